from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agendas.models import Action, Plan
from areas.models import Gebiedsteam, Wijk
from portal import maps
from portal.maps import CAP, BBox, LocatedFilters, cell_size
from tests.factories import (
    ActionFactory,
    CouncilMembershipFactory,
    MeetingFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    WerkplekFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

URL = "/kaart/locaties.geojson"
PAGE = "/kaart/"
# Inside Tilburg, and a box around it.
LON, LAT = 5.07, 51.56
CITY_BBOX = "4.9,51.45,5.25,51.7"


def geojson(client: Any, query: str = "", **headers: Any) -> dict[str, Any]:
    response = client.get(f"{URL}?{query}", **headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def ids(answer: dict[str, Any]) -> list[str]:
    return [feature["id"] for feature in answer["features"]]


@pytest.fixture
def wijk(gebiedsteam: Gebiedsteam) -> Wijk:
    return WijkFactory(name="Het Zand", slug="het-zand", gebiedsteam=gebiedsteam)


@pytest.fixture
def plan(gebiedsteam: Gebiedsteam, wijk: Wijk) -> Plan:
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    return PlanFactory(wijkagenda=agenda)


def located_action(plan: Plan, lon: float = LON, lat: float = LAT, **kwargs: Any) -> Action:
    return ActionFactory(plan=plan, longitude=lon, latitude=lat, **kwargs)


@pytest.fixture
def one_of_each(gebiedsteam: Gebiedsteam, wijk: Wijk, plan: Plan) -> dict[str, Any]:
    """A located action, proposal, meeting and werkplek in Het Zand, and unlocated ones."""
    action = located_action(plan, title="Speelplek")
    ActionFactory(plan=plan, title="Nergens")
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], longitude=LON + 0.01, latitude=LAT, title="Bankjes"
    )
    meeting = MeetingFactory(
        gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT + 0.01, title="Wijkdialoog Zand"
    )
    meeting.wijken.set([wijk])
    werkplek = WerkplekFactory(
        gebiedsteam=gebiedsteam, wijk=wijk, longitude=LON + 0.02, latitude=LAT, name="De Poort"
    )
    return {"actie": action, "voorstel": proposal, "bijeenkomst": meeting, "werkplek": werkplek}


# The answer


def test_located_geojson_answers_every_kind_as_a_feature(client, one_of_each, gebiedsteam):
    action, proposal = one_of_each["actie"], one_of_each["voorstel"]
    meeting, werkplek = one_of_each["bijeenkomst"], one_of_each["werkplek"]

    answer = geojson(client, f"bbox={CITY_BBOX}&zoom=15")

    assert answer["type"] == "FeatureCollection"
    assert (answer["total"], answer["clustered"], answer["cap"]) == (4, False, CAP)
    team_url = reverse("portal:gebiedsteam-detail", kwargs={"slug": gebiedsteam.slug})
    assert answer["features"] == [
        {
            "type": "Feature",
            "id": f"actie-{action.pk}",
            "geometry": {"type": "Point", "coordinates": [LON, LAT]},
            "properties": {
                "kind": "actie",
                "kind_label": "Action",
                "title": "Speelplek",
                "url": f"/acties/{action.pk}/",
                "status": "in_progress",
                "status_label": "in progress",
                "wijk": "Het Zand",
                "area": False,
            },
        },
        {
            "type": "Feature",
            "id": f"voorstel-{proposal.pk}",
            "geometry": {"type": "Point", "coordinates": [LON + 0.01, LAT]},
            "properties": {
                "kind": "voorstel",
                "kind_label": "Proposal",
                "title": "Bankjes",
                "url": f"/voorstellen/{proposal.slug}/",
                "status": "open",
                "status_label": "open for comments",
                "wijk": "Het Zand",
                "area": False,
            },
        },
        {
            "type": "Feature",
            "id": f"bijeenkomst-{meeting.pk}",
            "geometry": {"type": "Point", "coordinates": [LON, LAT + 0.01]},
            "properties": {
                "kind": "bijeenkomst",
                "kind_label": "Meeting",
                "title": "Wijkdialoog Zand",
                "url": f"/bijeenkomsten/{meeting.pk}/",
                "status": "upcoming",
                "status_label": "upcoming",
                "wijk": "Het Zand",
                "area": False,
            },
        },
        {
            "type": "Feature",
            "id": f"werkplek-{werkplek.pk}",
            "geometry": {"type": "Point", "coordinates": [LON + 0.02, LAT]},
            "properties": {
                "kind": "werkplek",
                "kind_label": "werkplek",
                "title": "De Poort",
                "url": f"{team_url}#werkplekken-heading",
                "status": "",
                "status_label": "",
                "wijk": "Het Zand",
                "area": False,
            },
        },
    ]


def test_located_geojson_without_bbox_answers_everything_that_matches(client, one_of_each, plan):
    located_action(plan, lon=6.5, lat=53.2)  # far from the others: Groningen

    answer = geojson(client)

    assert (answer["total"], answer["clustered"]) == (5, False)


def test_located_geojson_names_every_wijk_of_an_agenda(client, gebiedsteam, wijk):
    other = WijkFactory(name="Wandelbos", gebiedsteam=gebiedsteam)
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[other, wijk])
    located_action(PlanFactory(wijkagenda=agenda))

    answer = geojson(client, "soort=actie")

    assert answer["features"][0]["properties"]["wijk"] == "Het Zand, Wandelbos"


# Filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("soort=actie", ["actie"]),
        ("soort=voorstel&soort=werkplek", ["voorstel", "werkplek"]),
        ("soort=bijeenkomst", ["bijeenkomst"]),
        ("", ["actie", "voorstel", "bijeenkomst", "werkplek"]),
    ],
)
def test_located_geojson_filters_on_soort(client, one_of_each, query, expected):
    answer = geojson(client, query)

    assert ids(answer) == [f"{kind}-{one_of_each[kind].pk}" for kind in expected]


def test_located_geojson_filters_on_gebied(client, one_of_each, other_gebiedsteam):
    other_wijk = WijkFactory(gebiedsteam=other_gebiedsteam)
    agenda = WijkagendaFactory(gebiedsteam=other_gebiedsteam, wijken=[other_wijk])
    elsewhere = located_action(PlanFactory(wijkagenda=agenda))
    ProposalFactory(gebiedsteam=other_gebiedsteam, wijken=[other_wijk], longitude=LON, latitude=LAT)
    MeetingFactory(gebiedsteam=other_gebiedsteam, longitude=LON, latitude=LAT)
    WerkplekFactory(gebiedsteam=other_gebiedsteam, longitude=LON, latitude=LAT)

    noord = geojson(client, "gebied=noord")
    reeshof = geojson(client, "gebied=reeshof&soort=actie")

    assert ids(noord) == [f"{kind}-{item.pk}" for kind, item in one_of_each.items()]
    assert ids(reeshof) == [f"actie-{elsewhere.pk}"]


def test_located_geojson_filters_on_wijk(client, one_of_each, gebiedsteam):
    other_wijk = WijkFactory(slug="wandelbos", gebiedsteam=gebiedsteam)
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[other_wijk])
    action = located_action(PlanFactory(wijkagenda=agenda))
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[other_wijk], longitude=LON, latitude=LAT
    )
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT)
    meeting.wijken.set([other_wijk])
    werkplek = WerkplekFactory(
        gebiedsteam=gebiedsteam, wijk=other_wijk, longitude=LON, latitude=LAT
    )

    answer = geojson(client, "wijk=wandelbos")

    assert ids(answer) == [
        f"actie-{action.pk}",
        f"voorstel-{proposal.pk}",
        f"bijeenkomst-{meeting.pk}",
        f"werkplek-{werkplek.pk}",
    ]


def test_located_geojson_filters_actions_on_status_only(client, one_of_each, plan):
    done = located_action(plan, status=Action.Status.DONE, progress=100)

    answer = geojson(client, "status=done")

    assert ids(answer) == [
        f"actie-{done.pk}",
        f"voorstel-{one_of_each['voorstel'].pk}",
        f"bijeenkomst-{one_of_each['bijeenkomst'].pk}",
        f"werkplek-{one_of_each['werkplek'].pk}",
    ]


def test_located_geojson_leaves_out_drafts_past_meetings_and_closed_meetings(
    client, team_member, gebiedsteam, wijk
):
    ProposalFactory(gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT, status="draft")
    past = timezone.now() - dt.timedelta(days=3)
    MeetingFactory(
        gebiedsteam=gebiedsteam,
        longitude=LON,
        latitude=LAT,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
    )
    MeetingFactory(gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT, public=False)
    client.force_login(team_member)

    answer = geojson(client)

    assert (answer["features"], answer["total"]) == ([], 0)


# The bounding box


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (5.0, 51.5, True),  # the lower left corner
        (5.1, 51.6, True),  # the upper right corner
        (5.0, 51.6, True),
        (4.999999, 51.55, False),
        (5.100001, 51.55, False),
        (5.05, 51.499999, False),
        (5.05, 51.600001, False),
    ],
)
def test_located_geojson_bbox_includes_its_edges(client, plan, lon, lat, inside):
    action = located_action(plan, lon=lon, lat=lat)

    answer = geojson(client, "bbox=5.0,51.5,5.1,51.6")

    assert ids(answer) == ([f"actie-{action.pk}"] if inside else [])


# Clusters


def bulk_actions(plan: Plan, count: int, *, step: float = 0.0001) -> None:
    """`count` located actions on a grid of `step` degrees from (LON, LAT), in one query."""
    organisation = PartnerOrganisationFactory()
    per_row = 100
    Action.objects.bulk_create(
        Action(
            plan=plan,
            title=f"Actie {n}",
            owner_organisation=organisation,
            longitude=round(LON + (n % per_row) * step, 6),
            latitude=round(LAT + (n // per_row) * step, 6),
        )
        for n in range(count)
    )


def test_located_geojson_at_cap_sends_every_item(client, plan):
    bulk_actions(plan, CAP)

    answer = geojson(client, f"bbox={CITY_BBOX}&zoom=12")

    assert (answer["clustered"], answer["total"], len(answer["features"])) == (False, CAP, CAP)


def test_located_geojson_above_cap_sends_clusters(client, plan):
    bulk_actions(plan, CAP + 1)

    answer = geojson(client, f"bbox={CITY_BBOX}&zoom=12")

    assert (answer["clustered"], answer["total"]) == (True, CAP + 1)
    assert len(answer["features"]) <= CAP
    counts = [feature["properties"]["count"] for feature in answer["features"]]
    assert sum(counts) == CAP + 1
    first = answer["features"][0]
    assert first["properties"]["cluster"] is True
    assert first["properties"]["kinds"] == {"actie": first["properties"]["count"]}
    min_lon, min_lat, max_lon, max_lat = first["properties"]["bbox"]
    lon, lat = first["geometry"]["coordinates"]
    assert min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def test_located_geojson_merges_cells_until_at_most_cap(client, plan, gebiedsteam, monkeypatch):
    # Every action in a cell of its own at zoom 20: Python must merge them down to CAP.
    monkeypatch.setattr(maps, "CAP", 7)
    bulk_actions(plan, 60, step=0.001)
    MeetingFactory(gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT)

    answer = geojson(client, "bbox=5.0,51.5,5.2,51.7&zoom=20")

    assert (answer["clustered"], answer["total"], answer["cap"]) == (True, 61, 7)
    assert len(answer["features"]) <= 7
    kinds: dict[str, int] = {}
    for feature in answer["features"]:
        for kind, count in feature["properties"]["kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    assert kinds == {"actie": 60, "bijeenkomst": 1}
    assert sum(f["properties"]["count"] for f in answer["features"]) == 61


def test_cell_size_follows_zoom_and_stays_within_the_grid_limit():
    bbox = BBox(5.0, 51.5, 5.3, 51.7)

    width_12, height_12 = cell_size(LocatedFilters(bbox=bbox, zoom=12))
    width_20, _height_20 = cell_size(LocatedFilters(bbox=BBox(5.0, 51.5, 6.0, 52.5), zoom=20))

    assert width_12 == pytest.approx(360 / 2**12 / 4)
    assert height_12 < width_12  # square on a map at 51.6° north
    assert (1.0 / width_20 + 2) * (1.0 / (width_20 * 0.62) + 2) <= maps.MAX_GRID_CELLS


# Who sees what


def test_located_geojson_shows_a_draft_agendas_action_only_to_its_team(
    client, resident, team_member, other_team_member, gebiedsteam, wijk
):
    draft = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk], status="draft")
    action = located_action(PlanFactory(wijkagenda=draft))

    anonymous = geojson(client)
    client.force_login(resident)
    as_resident = geojson(client)
    client.force_login(other_team_member)
    as_other_team = geojson(client)
    client.force_login(team_member)
    as_team = geojson(client)

    assert (ids(anonymous), ids(as_resident), ids(as_other_team)) == ([], [], [])
    assert ids(as_team) == [f"actie-{action.pk}"]


def test_located_geojson_shows_a_council_only_proposal_only_to_its_council(
    client, resident, gebiedsteam, wijk
):
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True, longitude=LON, latitude=LAT
    )
    council = WijkraadFactory()
    council.wijken.set([wijk])
    member = CouncilMembershipFactory(wijkraad=council).user

    client.force_login(resident)
    as_resident = geojson(client)
    client.force_login(member)
    as_council = geojson(client)

    assert ids(as_resident) == []
    assert ids(as_council) == [f"voorstel-{proposal.pk}"]


# Caching


def test_located_geojson_repeat_with_etag_is_304(client, one_of_each):
    first = client.get(f"{URL}?bbox={CITY_BBOX}&zoom=15", HTTP_ACCEPT_ENCODING="gzip")
    repeat = client.get(
        f"{URL}?bbox={CITY_BBOX}&zoom=15",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )

    assert (first.status_code, first["Content-Encoding"]) == (200, "gzip")
    assert first["Content-Type"] == "application/geo+json"
    assert (repeat.status_code, repeat.content) == (304, b"")
    assert repeat["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in repeat["Vary"]


def test_located_geojson_is_private_for_a_signed_in_user(client, resident, one_of_each):
    client.force_login(resident)

    response = client.get(URL)

    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


# Bad requests


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("bbox=5,51,6", "The bbox must be four numbers: minLon,minLat,maxLon,maxLat."),
        ("bbox=5,51,6,52,7", "The bbox must be four numbers: minLon,minLat,maxLon,maxLat."),
        ("bbox=a,51,6,52", "The bbox must be four numbers: minLon,minLat,maxLon,maxLat."),
        ("bbox=nan,51,6,52", "The bbox must be four numbers: minLon,minLat,maxLon,maxLat."),
        (
            "bbox=-181,51,5,52",
            "The bbox is out of range: the longitude lies between -180 and 180, "
            "the latitude between -90 and 90.",
        ),
        (
            "bbox=5,51,5.5,90.5",
            "The bbox is out of range: the longitude lies between -180 and 180, "
            "the latitude between -90 and 90.",
        ),
        ("bbox=5.2,51.5,5.1,51.6", "In the bbox, a minimum is larger than its maximum."),
        ("bbox=5.0,51.6,5.1,51.5", "In the bbox, a minimum is larger than its maximum."),
        ("bbox=4.5,51.5,5.6,51.6", "The bbox is too large: at most 1° by 1°. Zoom in."),
        ("bbox=5.0,51.0,5.1,52.01", "The bbox is too large: at most 1° by 1°. Zoom in."),
        ("zoom=21", "The zoom must be a whole number from 0 to 20."),
        ("zoom=-1", "The zoom must be a whole number from 0 to 20."),
        ("zoom=12.5", "The zoom must be a whole number from 0 to 20."),
        ("zoom=%C2%B2", "The zoom must be a whole number from 0 to 20."),  # ², a digit to Python
        ("zoom=%D9%A1", "The zoom must be a whole number from 0 to 20."),  # Arabic-Indic 1
        ("zoom=" + "1" * 5000, "The zoom must be a whole number from 0 to 20."),  # int() refuses
        (
            "soort=actie&soort=fiets",
            "Unknown soort “fiets”: choose actie, voorstel, bijeenkomst, werkplek or initiatief.",
        ),
        ("status=busy", "Unknown status “busy”."),
        ("gebied=atlantis", "Unknown gebied “atlantis”."),
        ("wijk=atlantis", "Unknown wijk “atlantis”."),
    ],
)
def test_located_geojson_refuses_bad_input_with_the_reason(client, query, error):
    response = client.get(f"{URL}?{query}")

    assert (response.status_code, response.json()) == (400, {"error": error})


def test_located_geojson_reports_the_bbox_before_other_errors(client):
    response = client.get(f"{URL}?status=busy&bbox=1,2,3")

    assert response.json() == {
        "error": "The bbox must be four numbers: minLon,minLat,maxLon,maxLat."
    }


# Queries


def _add_items(gebiedsteam: Gebiedsteam, wijk: Wijk, plan: Plan, times: int) -> None:
    for n in range(times):
        located_action(plan, lon=LON + n * 0.001)
        ProposalFactory(
            gebiedsteam=gebiedsteam, wijken=[wijk], longitude=LON, latitude=LAT + n * 0.001
        )
        meeting = MeetingFactory(gebiedsteam=gebiedsteam, longitude=LON, latitude=LAT)
        meeting.wijken.set([wijk])
        WerkplekFactory(gebiedsteam=gebiedsteam, wijk=wijk, longitude=LON, latitude=LAT)


@pytest.mark.parametrize("query", [f"bbox={CITY_BBOX}&zoom=14&gebied=noord&wijk=het-zand", ""])
def test_located_geojson_queries_do_not_grow_with_the_items(
    client, django_assert_num_queries, gebiedsteam, wijk, plan, query
):
    _add_items(gebiedsteam, wijk, plan, 1)
    # Form: the gebied and the wijk (when given); the items; the wijk names.
    expected = 4 if query else 2
    with django_assert_num_queries(expected):
        assert geojson(client, query)["total"] == 4
    _add_items(gebiedsteam, wijk, plan, 9)
    with django_assert_num_queries(expected):
        assert geojson(client, query)["total"] == 40


def test_located_geojson_clusters_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, plan
):
    bulk_actions(plan, CAP + 1)
    with django_assert_num_queries(2):  # up to CAP + 1 items; the grid
        assert geojson(client, f"bbox={CITY_BBOX}&zoom=12")["clustered"] is True
    bulk_actions(plan, 9 * (CAP + 1))
    with django_assert_num_queries(2):
        assert geojson(client, f"bbox={CITY_BBOX}&zoom=12")["total"] == 10 * (CAP + 1)


# The page


def test_city_map_shows_the_filters_the_map_and_the_list(client, one_of_each):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["breadcrumbs"] == [("Map", None)]
    assert response.context["map_layers"] == [
        {"url": "/kaart/gebieden.geojson", "kind": "gebieden", "fit": True},
        {"url": "/kaart/wijken.geojson", "kind": "wijken", "fit": False},
        {"url": URL, "kind": "located", "bbox": True, "fit": False},
    ]
    html = response.content.decode()
    assert '<form id="located-filters" class="filters" method="get" action="/kaart/">' in html
    assert 'data-filter-form="located-filters"' in html
    assert 'data-sync-list="located-list"' in html
    assert [item.title for item in response.context["items"]] == [
        "Bankjes",
        "De Poort",
        "Speelplek",
        "Wijkdialoog Zand",
    ]
    assert response.context["page_obj"].paginator.count == 4
    assert "4 items\n" not in html and ">4 items</h2>" in html


def test_city_map_filters_without_javascript(client, one_of_each):
    response = client.get(f"{PAGE}?soort=actie&soort=werkplek&gebied=noord&wijk=het-zand")

    assert [item.feature_id for item in response.context["items"]] == [
        f"werkplek-{one_of_each['werkplek'].pk}",
        f"actie-{one_of_each['actie'].pk}",
    ]
    form = response.context["form"]
    assert form["soort"].value() == ["actie", "werkplek"]
    assert ">2 items</h2>" in response.content.decode()


def test_city_map_paginates_the_list(client, plan):
    bulk_actions(plan, 45)

    first = client.get(PAGE)
    third = client.get(f"{PAGE}?soort=actie&page=3")

    assert len(first.context["items"]) == 20
    assert [item.title for item in third.context["items"]] == [f"Actie {n}" for n in range(5, 10)]
    assert 'href="?soort=actie&amp;page=2" rel="prev"' in third.content.decode()


def test_city_map_list_for_htmx_is_the_partial_for_the_box(client, one_of_each):
    response = client.get(f"{PAGE}?bbox=5.065,51.555,5.075,51.575&zoom=15", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="located-list"')
    assert "<form" not in html
    assert ">2 items in this part of the map</h2>" in html
    assert [item.title for item in response.context["items"]] == ["Speelplek", "Wijkdialoog Zand"]
    assert response["Vary"] == "HX-Request, Cookie, Accept-Encoding"


def test_city_map_with_wrong_filters_says_why(client, one_of_each):
    response = client.get(f"{PAGE}?gebied=atlantis")

    assert response.status_code == 400
    assert response.context["error"] == "Unknown gebied “atlantis”."
    assert response.context["items"] == []
    assert "Unknown gebied “atlantis”." in response.content.decode()


def test_city_map_queries_do_not_grow_with_the_items(
    client, django_assert_num_queries, gebiedsteam, wijk, plan
):
    _add_items(gebiedsteam, wijk, plan, 1)
    # Gebied and wijk options; count; page; wijk names.
    with django_assert_num_queries(5):
        client.get(PAGE)
    _add_items(gebiedsteam, wijk, plan, 9)
    with django_assert_num_queries(5):
        client.get(PAGE)


@pytest.mark.parametrize("zoom", ["%C2%B2", "1" * 5000])
def test_city_map_refuses_a_zoom_that_is_no_number_with_400(client, zoom):
    response = client.get(f"{PAGE}?zoom={zoom}")

    assert response.status_code == 400
    assert response.context["error"] == "The zoom must be a whole number from 0 to 20."
