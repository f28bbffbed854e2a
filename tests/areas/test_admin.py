from __future__ import annotations

import importlib.machinery
import json
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from areas.forms import GeoJSONAreaField
from areas.geometry import footprint, outline
from areas.models import (
    Buurt,
    CouncilMembership,
    Gebiedsteam,
    Residence,
    Stadsdeel,
    TeamMembership,
    Werkplek,
    Wijk,
    Wijkraad,
)
from tests.factories import (
    SQUARE,
    BuurtFactory,
    CouncilMembershipFactory,
    GebiedsteamFactory,
    ResidenceFactory,
    StadsdeelFactory,
    TeamMembershipFactory,
    WerkplekFactory,
    WijkFactory,
    WijkraadFactory,
)


def make_wijkraad() -> Wijkraad:
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([WijkFactory()])
    return wijkraad


MAKERS: dict[type[Model], Callable[[], Model]] = {
    Gebiedsteam: GebiedsteamFactory,
    Stadsdeel: StadsdeelFactory,
    Wijk: lambda: WijkFactory(geometry=SQUARE, stadsdeel=StadsdeelFactory()),
    Buurt: lambda: BuurtFactory(geometry=SQUARE),
    Werkplek: lambda: WerkplekFactory(wijk=WijkFactory(), longitude=5.08, latitude=51.56),
    TeamMembership: TeamMembershipFactory,
    Wijkraad: make_wijkraad,
    CouncilMembership: CouncilMembershipFactory,
    Residence: ResidenceFactory,
}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "areas"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(staff: User) -> User:
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def test_every_areas_model_is_registered() -> None:
    assert set(REGISTERED) == set(apps.get_app_config("areas").get_models()) == set(MAKERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_admin_pages_answer_200(model: type[Model], admin_client: Client) -> None:
    obj = MAKERS[model]()

    changelist = admin_client.get(admin_url(model, "changelist"))
    add = admin_client.get(admin_url(model, "add"))
    change = admin_client.get(admin_url(model, "change", obj.pk))

    assert (changelist.status_code, add.status_code, change.status_code) == (200, 200, 200)
    assert changelist.context["cl"].result_count == model._default_manager.count()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_changelist_query_count_does_not_grow_with_rows(
    model: type[Model], admin_client: Client
) -> None:
    url = admin_url(model, "changelist")
    MAKERS[model]()
    admin_client.get(url)  # warm up: sessions, content types
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for __ in range(3):
        MAKERS[model]()
    with CaptureQueriesContext(connection) as four:
        response = admin_client.get(url)

    assert response.context["cl"].result_count == model._default_manager.count()
    assert len(four) == len(one)


def wijk_form_data(wijk: Wijk, **changes: Any) -> dict[str, Any]:
    data = {
        "code": wijk.code,
        "name": wijk.name,
        "slug": wijk.slug,
        "kind": wijk.kind,
        "gebiedsteam": wijk.gebiedsteam_id,
        "stadsdeel": "",
        "inhabitants": wijk.inhabitants or "",
        "dwellings": wijk.dwellings or "",
        "area_land_ha": "",
        "population_density": "",
        "figures_year": "",
        "geometry": json.dumps(wijk.geometry) if wijk.geometry else "",
        "label_lon": "" if wijk.label_lon is None else wijk.label_lon,
        "label_lat": "" if wijk.label_lat is None else wijk.label_lat,
        "buurten-TOTAL_FORMS": "0",
        "buurten-INITIAL_FORMS": "0",
        "buurten-MIN_NUM_FORMS": "0",
        "buurten-MAX_NUM_FORMS": "1000",
        "_save": "Opslaan",
    }
    data.update(changes)
    return data


DRAWN = {
    "type": "Polygon",
    "coordinates": [[[5.05, 51.55], [5.07, 51.55], [5.07, 51.57], [5.05, 51.57], [5.05, 51.55]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 51.5], [5.1, 51.6], [5.1, 51.5], [5.0, 51.6], [5.0, 51.5]]],
}


def assert_boundary(wijk: Wijk, geojson: dict[str, Any]) -> None:
    expected = footprint(geojson)
    assert wijk.geometry == expected.geometry
    assert wijk.geometry_simplified == expected.simplified
    assert (wijk.min_lon, wijk.min_lat, wijk.max_lon, wijk.max_lat) == expected.bbox
    assert (wijk.label_lon, wijk.label_lat) == expected.label
    assert (wijk.geometry_source, wijk.boundary_year) == ("drawn", None)


def test_wijk_change_form_saves_a_drawn_polygon(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, geometry=json.dumps(DRAWN))
    )

    assert (response.status_code, response["Location"]) == (302, admin_url(Wijk, "changelist"))
    wijk.refresh_from_db()
    assert_boundary(wijk, DRAWN)
    assert wijk.min_lon == pytest.approx(5.05)
    assert wijk.max_lat == pytest.approx(51.57)


def test_wijk_add_form_saves_a_drawn_polygon(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    unsaved = Wijk(code="WK085599", name="Nieuwe wijk", slug="nieuwe-wijk", gebiedsteam=gebiedsteam)

    response = admin_client.post(
        admin_url(Wijk, "add"), wijk_form_data(unsaved, geometry=json.dumps(DRAWN))
    )

    assert response.status_code == 302
    assert_boundary(Wijk.objects.get(code="WK085599"), DRAWN)


def test_wijk_redrawn_elsewhere_gets_a_new_label_point(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    wijk.apply_footprint(footprint(SQUARE), source="file", year=2024)
    wijk.save()
    moved = {
        "type": "Polygon",
        "coordinates": [[[6.0, 52.0], [6.1, 52.0], [6.1, 52.1], [6.0, 52.1], [6.0, 52.0]]],
    }

    admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, geometry=json.dumps(moved))
    )

    wijk.refresh_from_db()
    assert_boundary(wijk, moved)


def test_wijk_label_point_typed_by_the_admin_is_kept(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)

    admin_client.post(
        admin_url(Wijk, "change", wijk.pk),
        wijk_form_data(wijk, geometry=json.dumps(DRAWN), label_lon="5.06", label_lat="51.565"),
    )

    wijk.refresh_from_db()
    assert (wijk.label_lon, wijk.label_lat) == (5.06, 51.565)
    assert wijk.geometry == footprint(DRAWN).geometry


def test_wijk_saved_without_boundary_change_keeps_its_source(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    wijk.apply_footprint(footprint(SQUARE), source="file", year=2024)
    wijk.save()

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, name="Hernoemd")
    )

    assert response.status_code == 302
    wijk.refresh_from_db()
    assert (wijk.name, wijk.geometry_source, wijk.boundary_year) == ("Hernoemd", "file", 2024)


def test_wijk_self_intersecting_boundary_is_repaired(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, geometry=json.dumps(BOWTIE))
    )

    assert response.status_code == 302
    wijk.refresh_from_db()
    assert wijk.geometry["type"] == "MultiPolygon"
    assert len(wijk.geometry["coordinates"]) == 2
    assert_boundary(wijk, BOWTIE)


def dutch(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            json.dumps({"type": "LineString", "coordinates": [[5.0, 51.5], [5.1, 51.6]]}),
            "The geometry has no area (after repair it is only lines or points).",
        ),
        (
            json.dumps({"type": "Point", "coordinates": [5.0, 51.5]}),
            "The geometry has no area (after repair it is only lines or points).",
        ),
        (json.dumps([5.0, 51.5]), "Not a GeoJSON geometry: it has no 'type'."),
        ("{this is not json", dutch("Enter a valid JSON.")),
    ],
    ids=["line", "point", "list", "garbage"],
)
def test_wijk_unusable_boundary_is_refused_with_the_reason(
    geometry: str, message: str, admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Oud")

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, name="Nieuw", geometry=geometry)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"geometry": [message]}
    assert response.content.decode().count(message.replace("'", "&#x27;")) == 1
    wijk.refresh_from_db()
    assert (wijk.name, wijk.geometry, wijk.min_lon) == ("Oud", None, None)


def test_buurt_change_form_saves_a_drawn_polygon(admin_client: Client) -> None:
    buurt = BuurtFactory()

    response = admin_client.post(
        admin_url(Buurt, "change", buurt.pk),
        {
            "code": buurt.code,
            "name": buurt.name,
            "wijk": buurt.wijk_id,
            "geometry": json.dumps(DRAWN),
            "label_lon": "",
            "label_lat": "",
        },
    )

    assert response.status_code == 302
    buurt.refresh_from_db()
    expected = footprint(DRAWN)
    assert (buurt.geometry, buurt.geometry_simplified, buurt.geometry_source) == (
        expected.geometry,
        expected.simplified,
        "drawn",
    )
    assert (buurt.min_lon, buurt.min_lat, buurt.max_lon, buurt.max_lat) == expected.bbox
    assert (buurt.label_lon, buurt.label_lat) == expected.label


@pytest.fixture
def fake_services(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    module = types.ModuleType("areas.services")
    module.__spec__ = importlib.machinery.ModuleSpec("areas.services", None)
    module.refresh_outlines = lambda: calls.append("refresh")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "areas.services", module)
    return calls


def test_saving_a_wijk_boundary_refreshes_the_outlines(
    fake_services: list[str], admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    url = admin_url(Wijk, "change", wijk.pk)

    admin_client.post(url, wijk_form_data(wijk, name="Alleen de naam"))
    assert fake_services == []

    admin_client.post(url, wijk_form_data(wijk, geometry=json.dumps(DRAWN)))
    assert fake_services == ["refresh"]


def test_saving_a_wijk_boundary_updates_the_gebied_outline(
    admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    assert gebiedsteam.outline is None

    admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, geometry=json.dumps(DRAWN))
    )

    gebiedsteam.refresh_from_db()
    assert gebiedsteam.outline == outline([footprint(DRAWN).geometry])


def test_saving_a_wijk_without_outline_service_still_saves(
    monkeypatch: pytest.MonkeyPatch, admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    # None in sys.modules makes the import fail as if the module did not exist.
    monkeypatch.setitem(sys.modules, "areas.services", None)
    wijk = WijkFactory(gebiedsteam=gebiedsteam)

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, geometry=json.dumps(DRAWN))
    )

    assert response.status_code == 302
    wijk.refresh_from_db()
    assert wijk.geometry == footprint(DRAWN).geometry


def test_wijk_change_page_shows_the_map_widget(admin_client: Client, settings: Any) -> None:
    settings.WIJKPORTAAL_BASEMAP_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    wijk = WijkFactory(geometry=SQUARE)

    response = admin_client.get(admin_url(Wijk, "change", wijk.pk))

    html = response.content.decode()
    assert html.count("data-geometry-widget") == 1
    assert html.count('data-input-id="id_geometry"') == 1
    assert html.count('<textarea name="geometry"') == 1
    assert html.count('<label for="id_geometry"') == 1
    assert html.count('data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"') == 1
    media = str(response.context["media"])
    for asset in (
        "leaflet/leaflet.css",
        "leaflet/draw/leaflet.draw.css",
        "leaflet/leaflet.js",
        "leaflet/draw/leaflet.draw.js",
        "js/geometry-widget.js",
    ):
        assert media.count(f"/static/{asset}") == 1


def test_werkplek_change_page_shows_the_location_widget(admin_client: Client) -> None:
    werkplek = WerkplekFactory(longitude=5.08, latitude=51.56)

    response = admin_client.get(admin_url(Werkplek, "change", werkplek.pk))

    html = response.content.decode()
    assert html.count("data-location-widget") == 1
    assert html.count('data-latitude-id="id_latitude" data-longitude-id="id_longitude"') == 1
    assert html.count('name="latitude" value="51.56"') == 1
    assert html.count('data-tiles-url=""') == 1


def test_geojson_area_field_reads_rd_new_into_wgs84() -> None:
    rd_square = {
        "type": "Polygon",
        "coordinates": [
            [
                [133000, 397000],
                [134000, 397000],
                [134000, 398000],
                [133000, 398000],
                [133000, 397000],
            ]
        ],
    }

    field = GeoJSONAreaField()

    geometry = field.clean(json.dumps(rd_square))

    assert field.footprint is not None
    min_lon, min_lat, max_lon, max_lat = field.footprint.bbox
    assert geometry["type"] == "Polygon"
    assert (round(min_lon, 2), round(min_lat, 2), round(max_lon, 2), round(max_lat, 2)) == (
        5.07,
        51.56,
        5.08,
        51.57,
    )


def test_geojson_area_field_is_empty_when_left_blank() -> None:
    assert GeoJSONAreaField(required=False).clean("") is None


FEATURE_COLLECTION = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "geometry": DRAWN, "properties": {}}],
}
NOT_A_GEOMETRY = "The boundary must be one GeoJSON geometry, a Polygon or MultiPolygon."


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            json.dumps(FEATURE_COLLECTION),
            "The boundary is a FeatureCollection: paste the geometry of one of its features, "
            "a Polygon or MultiPolygon.",
        ),
        (json.dumps({**DRAWN, "type": "Poly\x00gon"}), NOT_A_GEOMETRY),
        (json.dumps({"type": "Feature", "geometry": {**DRAWN, "type": "Vlak"}}), NOT_A_GEOMETRY),
        ("[" * 2000 + "]" * 2000, dutch("Enter a valid JSON.")),
        (json.dumps(DRAWN).replace("5.05", "NaN"), dutch("Enter a valid JSON.")),
    ],
    ids=["feature-collection", "nul-in-type", "unknown-type-in-feature", "nested", "nan"],
)
def test_wijk_boundary_that_is_no_geometry_is_refused_and_nothing_saved(
    geometry: str, message: str, admin_client: Client, gebiedsteam: Gebiedsteam
) -> None:
    wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Oud")

    response = admin_client.post(
        admin_url(Wijk, "change", wijk.pk), wijk_form_data(wijk, name="Nieuw", geometry=geometry)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"geometry": [dutch(message)]}
    wijk.refresh_from_db()
    assert (wijk.name, wijk.geometry, wijk.min_lon) == ("Oud", None, None)
