"""An initiative's place: a point or a drawn area in the chosen wijk, not both.

The area is checked by the same field and the same wijk check as the areas of actions and
proposals (areas.forms.DrawnAreaField, areas.forms_location.LocatedForm); these tests show
that the initiative form uses them, and what the resident and the maps see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Notification
from areas.geometry import footprint
from areas.models import GeometrySource
from participation.models import Initiative, InitiativeStep
from tests.factories import InitiativeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

CREATE = "/initiatieven/nieuw/"
# The wijk fixture is the square 5.0…5.1 × 51.5…51.6; the other wijk starts at 5.2.
IN_QUIRIJNSTOK = {
    "type": "Polygon",
    "coordinates": [[[5.02, 51.52], [5.04, 51.52], [5.04, 51.53], [5.02, 51.53], [5.02, 51.52]]],
}
# Sticks out east of 5.1 (+ the tolerance of 10 m): the middle of that part is near 5.155.
INTO_REESHOF = {
    "type": "Polygon",
    "coordinates": [[[5.09, 51.52], [5.21, 51.52], [5.21, 51.53], [5.09, 51.53], [5.09, 51.52]]],
}
OUTSIDE_EVERY_WIJK = {
    "type": "Polygon",
    "coordinates": [[[5.12, 51.52], [5.14, 51.52], [5.14, 51.53], [5.12, 51.52]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[5.02, 51.52], [5.04, 51.53], [5.04, 51.52], [5.02, 51.53], [5.02, 51.52]]],
}
NOT_GEOJSON = "The area is not valid GeoJSON. Draw it on the map, or paste a Polygon."


def area_post(place, area, **extra):
    return {
        "wijk": str(place.pk),
        "title": "Bloemen langs de Ringbaan",
        "body": "We planten bloembollen langs het fietspad.",
        "group_name": "",
        "longitude": "",
        "latitude": "",
        "area": json.dumps(area) if isinstance(area, dict) else area,
        **extra,
    }


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture(autouse=True)
def _boxed(wijk, other_wijk):
    """The wijken with their box and label point, as an import stores them: the checks find
    the wijken near an area by their box."""
    for place in (wijk, other_wijk):
        place.apply_footprint(footprint(place.geometry), source=GeometrySource.FILE, year=2024)
        place.save()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The submission throttle counts per client address in the cache: start afresh."""
    cache.clear()
    yield
    cache.clear()


def test_a_resident_submits_an_initiative_for_an_area(client, wijk, resident):
    client.force_login(resident)

    response = client.post(CREATE, area_post(wijk, IN_QUIRIJNSTOK))

    initiative = Initiative.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.area == IN_QUIRIJNSTOK
    # The area's label point is the point: the initiative shows as a marker on the maps.
    assert (initiative.longitude, initiative.latitude) == (5.03, 51.525)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Thank you. Your initiative has been sent to gebiedsteam Noord. "
        "You follow it: you hear of every step."
    ]


def test_the_form_offers_the_area_drawing_on_the_map_of_the_wijk(client, wijk, resident):
    client.force_login(resident)

    page = client.get(f"{CREATE}?wijk={wijk.slug}").content.decode()

    assert "data-area-picker" in page
    assert 'data-wijken-id="picker-wijken"' in page
    assert '<textarea name="area"' in page
    assert "leaflet.draw.js" in page


def test_a_point_and_an_area_at_once_are_refused(client, wijk, resident):
    client.force_login(resident)

    response = client.post(
        CREATE, area_post(wijk, IN_QUIRIJNSTOK, longitude="5.05", latitude="51.55")
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors == {
        "area": [
            "Choose a point or draw an area, not both: empty the longitude and latitude, "
            "or remove the area."
        ]
    }
    assert (Initiative.objects.count(), InitiativeStep.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("{not json", NOT_GEOJSON),
        ("[" * 40 + "]" * 40, NOT_GEOJSON),
        ('{"type": "Polygon", "coordinates": [[[NaN, 51.5]]]}', NOT_GEOJSON),
        (
            {"type": "Point", "coordinates": [5.05, 51.55]},
            "The area must be a Polygon or MultiPolygon, not a Point.",
        ),
        (
            BOWTIE,
            "The area crosses itself near latitude 51.52500, longitude 5.03000. "
            "Move the points so that its edges do not cross.",
        ),
        (
            INTO_REESHOF,
            "The area goes outside the chosen wijk: part of it lies in Reeshof-Oost, "
            "near latitude 51.52500, longitude 5.15507.",
        ),
        (
            OUTSIDE_EVERY_WIJK,
            "The area goes outside the chosen wijk: part of it lies outside every wijk, "
            "near latitude 51.52500, longitude 5.13500.",
        ),
        (" " * 200_001, "The area is too detailed to store. Draw it with fewer points."),
    ],
)
def test_a_bad_area_is_refused_with_a_message_and_nothing_saved(
    client, wijk, resident, area, message
):
    client.force_login(resident)

    response = client.post(CREATE, area_post(wijk, area))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors == {"area": [message]}
    assert (Initiative.objects.count(), InitiativeStep.objects.count()) == (0, 0)
    assert Notification.objects.count() == 0


def test_an_area_without_a_valid_wijk_gets_only_the_wijk_error(client, wijk, resident):
    client.force_login(resident)

    response = client.post(CREATE, area_post(wijk, IN_QUIRIJNSTOK, wijk=""))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors == {"wijk": ["Choose the wijk your initiative is for."]}
    assert Initiative.objects.count() == 0


@pytest.fixture
def with_area(wijk, resident):
    return InitiativeFactory(
        wijk=wijk,
        submitted_by=resident,
        title="Bloemen langs de Ringbaan",
        area=IN_QUIRIJNSTOK,
        longitude=5.03,
        latitude=51.525,
        status="conversation",
        published_at=timezone.now(),
    )


def test_the_page_shows_the_area_on_a_map_and_in_words(client, with_area):
    response = client.get(with_area.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "This initiative is about an area in Quirijnstok. · on the map" in text_of(response)
    assert (
        json.loads(
            re.search(r'<script id="item-area" type="application/json">(.*?)</script>', page, re.S)[
                1
            ]
        )
        == IN_QUIRIJNSTOK
    )
    assert 'aria-label="Map of the area of this initiative"' in page
    assert "js/area-picker.js" in page
    # The label point is not shown as a second place.
    assert "latitude 51.52500" not in text_of(response)


def test_a_page_without_an_area_has_no_area_map(client, wijk):
    initiative = InitiativeFactory(
        wijk=wijk,
        longitude=5.05,
        latitude=51.55,
        status="conversation",
        published_at=timezone.now(),
    )

    page = client.get(initiative.get_absolute_url()).content.decode()

    assert "data-area-map" not in page
    assert "js/area-picker.js" not in page
    assert "latitude 51.55000, longitude 5.05000" in page


def test_the_map_and_its_list_show_the_area_at_its_label_point(client, wijk, with_area):
    point = InitiativeFactory(
        wijk=wijk,
        title="Moestuin",
        longitude=5.05,
        latitude=51.55,
        status="conversation",
        published_at=timezone.now(),
    )

    geojson = client.get(f"/kaart/locaties.geojson?wijk={wijk.slug}&soort=initiatief").json()
    listing = client.get(f"/kaart/?wijk={wijk.slug}&soort=initiatief")

    assert [(f["id"], f["geometry"], f["properties"]["area"]) for f in geojson["features"]] == [
        (f"initiatief-{with_area.pk}", {"type": "Point", "coordinates": [5.03, 51.525]}, True),
        (f"initiatief-{point.pk}", {"type": "Point", "coordinates": [5.05, 51.55]}, False),
    ]
    items = {item.title: item.covers_area for item in listing.context["items"]}
    assert items == {"Bloemen langs de Ringbaan": True, "Moestuin": False}
    assert text_of(listing).count("About an area") == 1


def test_an_unpublished_initiative_with_an_area_is_on_no_map(client, wijk, resident):
    InitiativeFactory(
        wijk=wijk, submitted_by=resident, area=IN_QUIRIJNSTOK, longitude=5.03, latitude=51.525
    )
    client.force_login(resident)

    geojson = client.get(f"/kaart/locaties.geojson?wijk={wijk.slug}&soort=initiatief").json()

    assert geojson["features"] == []
