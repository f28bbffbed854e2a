from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from agendas.models import Action, ChangeRecord
from areas.geometry import footprint
from areas.models import GeometrySource, Wijk
from areas.widgets import address_search_urls
from participation.models import Proposal
from tests.factories import (
    ActionFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    WerkplekFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
WIJKEN_FILE = DATA / "tilburg-wijken.geojson"

# Real CBS 2024 boundaries of Tilburg: West's wijken are De Blaak, Zorgvlied, De Reit,
# Het Zand, Wandelbos Noord, Wandelbos Zuid and De Oude Warande.
# A block across the edge of De Reit and Het Zand, inside both.
ACROSS_REIT_AND_ZAND = {
    "type": "Polygon",
    "coordinates": [
        [[5.049, 51.5638], [5.053, 51.5638], [5.053, 51.5662], [5.049, 51.5662], [5.049, 51.5638]]
    ],
}
# A block across the east edge of Het Zand, half in Bouwmeester (gebied Oud-Noord).
INTO_BOUWMEESTER = {
    "type": "Polygon",
    "coordinates": [
        [
            [5.0645, 51.5639],
            [5.0665, 51.5639],
            [5.0665, 51.5651],
            [5.0645, 51.5651],
            [5.0645, 51.5639],
        ]
    ],
}


def along_east_edge_of_het_zand(offset: float) -> dict[str, Any]:
    """A block in Het Zand whose east side runs `offset` degrees east of its edge."""
    a, b = [5.0658 + offset, 51.5654], [5.0652 + offset, 51.5636]
    return {"type": "Polygon", "coordinates": [[a, b, [5.0632, 51.5636], [5.0638, 51.5654], a]]}


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[5.049, 51.5638], [5.053, 51.5662], [5.053, 51.5638], [5.049, 51.5662], [5.049, 51.5638]]
    ],
}


def circle(points: int) -> dict[str, Any]:
    ring = [
        [
            round(5.051 + 0.001 * math.cos(2 * math.pi * i / points), 6),
            round(51.565 + 0.0007 * math.sin(2 * math.pi * i / points), 6),
        ]
        for i in range(points)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def errors_of(response) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
    ]


def text_of(response) -> str:
    """The page as text: tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def tilburg(gebiedsteam, other_gebiedsteam) -> dict[str, Wijk]:
    """Tilburg's 59 wijken with their real boundaries: West's in `gebiedsteam`, the rest in
    `other_gebiedsteam`."""
    collection = json.loads(WIJKEN_FILE.read_text(encoding="utf-8"))
    wijken = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        wijk = WijkFactory(
            code=properties["code"],
            name=properties["name"],
            slug=properties["code"].lower(),
            gebiedsteam=gebiedsteam if properties["gebiedsteam"] == "West" else other_gebiedsteam,
        )
        wijk.apply_footprint(footprint(feature["geometry"]), source=GeometrySource.FILE, year=2024)
        wijk.save()
        wijken[wijk.name] = wijk
    return wijken


@pytest.fixture
def west(tilburg, gebiedsteam) -> list[Wijk]:
    return [wijk for wijk in tilburg.values() if wijk.gebiedsteam_id == gebiedsteam.pk]


@pytest.fixture
def agenda(gebiedsteam, west):
    return WijkagendaFactory(title="Wijkagenda West", gebiedsteam=gebiedsteam, wijken=west)


@pytest.fixture
def action(agenda):
    return ActionFactory(
        plan=PlanFactory(wijkagenda=agenda),
        owner_organisation=PartnerOrganisationFactory(name="ContourdeTwern"),
        title="Groene route",
        progress=10,
    )


def action_data(action: Action, **changes: Any) -> dict[str, Any]:
    data = {
        "title": action.title,
        "description": action.description,
        "agenda_item": str(action.agenda_item_id or ""),
        "owner_organisation": str(action.owner_organisation_id),
        "contact_name": action.contact_name,
        "contact_email": action.contact_email,
        "start_date": str(action.start_date or ""),
        "due_date": str(action.due_date or ""),
        "status": action.status,
        "progress": str(action.progress),
        "budget": str(action.budget or ""),
        "longitude": "",
        "latitude": "",
        "area": "",
        "revision": str(action.revision),
    }
    for name, value in changes.items():
        data[name] = json.dumps(value) if isinstance(value, dict) else value
    return data


def edit_url(action: Action) -> str:
    return f"/acties/{action.pk}/bewerken/"


# ---- Actions ----------------------------------------------------------------------------


def test_action_edit_saves_the_area_sets_the_point_and_names_the_wijken(team_member, action):
    client = signed_in(team_member)

    response = client.post(edit_url(action), action_data(action, area=ACROSS_REIT_AND_ZAND))

    assert response.status_code == 302
    assert response["Location"] == f"/acties/{action.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The action has been saved.",
        "This area lies in De Reit and Het Zand.",
    ]
    action.refresh_from_db()
    assert action.area == ACROSS_REIT_AND_ZAND
    # No point was given: the point is the area's label point, so it shows on point maps.
    assert (action.longitude, action.latitude, action.revision) == (5.051, 51.565, 1)
    page = text_of(client.get(f"/acties/{action.pk}/"))
    assert "This action covers an area in De Reit and Het Zand." in page
    assert "In wijk De Reit · latitude 51.56500, longitude 5.05100" in page


def test_action_edit_keeps_a_point_that_was_given_with_the_area(team_member, action):
    response = signed_in(team_member).post(
        edit_url(action),
        action_data(action, area=ACROSS_REIT_AND_ZAND, longitude="5.0555", latitude="51.574"),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.longitude, action.latitude) == (5.0555, 51.574)
    page = text_of(signed_in(team_member).get(f"/acties/{action.pk}/"))
    assert "In wijk Het Zand · latitude 51.57400, longitude 5.05550" in page


def test_action_edit_stores_the_area_rounded_to_six_decimals(team_member, action):
    precise = {
        "type": "Polygon",
        "coordinates": [
            [
                [5.0490004, 51.5638001],
                [5.0529996, 51.5638001],
                [5.0529996, 51.5661999],
                [5.0490004, 51.5661999],
                [5.0490004, 51.5638001],
            ]
        ],
    }

    response = signed_in(team_member).post(edit_url(action), action_data(action, area=precise))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.area == {
        "type": "Polygon",
        "coordinates": [
            [
                [5.049, 51.5638],
                [5.053, 51.5638],
                [5.053, 51.5662],
                [5.049, 51.5662],
                [5.049, 51.5638],
            ]
        ],
    }


def test_action_edit_allows_an_area_a_few_metres_past_the_wijken(team_member, action):
    # About 5 m past the edge of Het Zand, into Bouwmeester: within the 10 m tolerance.
    area = along_east_edge_of_het_zand(0.00007)

    response = signed_in(team_member).post(edit_url(action), action_data(action, area=area))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.area == area
    assert [str(m) for m in get_messages(response.wsgi_request)][1] == (
        "This area lies in Het Zand."
    )


@pytest.mark.parametrize(
    ("area", "message"),
    [
        (
            "{not json",
            "The area is not valid GeoJSON. Draw it on the map, or paste a Polygon.",
        ),
        (
            {"type": "Point", "coordinates": [5.05, 51.56]},
            "The area must be a Polygon or MultiPolygon, not a Point.",
        ),
        ("[1, 2]", "The area is not a GeoJSON geometry: it has no 'type'."),
        ({"type": "Polygon", "coordinates": []}, "The area has no coordinates."),
        (
            {"type": "Polygon", "coordinates": [[[5.05, 51.56], [5.06, 51.56], [5.05, 51.56]]]},
            "An area needs at least three different points.",
        ),
        (
            {"type": "Polygon", "coordinates": [[["a", 51.56], [5.06, 51.56], [5.06, 51.57]]]},
            "The coordinates of the area are not pairs of numbers.",
        ),
        (
            BOWTIE,
            "The area crosses itself near latitude 51.56500, longitude 5.05100. "
            "Move the points so that its edges do not cross.",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[151000, 397000], [152000, 397000], [152000, 398000]]],
            },
            "Coordinates of the area lie outside longitude −180…180 and latitude −90…90. "
            "Give them in WGS84 degrees.",
        ),
        (
            circle(2001),
            "The area has 2002 points; at most 2000 are allowed. Simplify it.",
        ),
        (
            INTO_BOUWMEESTER,
            "The area goes outside the wijken of this agenda: part of it lies in Bouwmeester, "
            "near latitude 51.56450, longitude 5.06607.",
        ),
        (
            along_east_edge_of_het_zand(0.0003),
            "The area goes outside the wijken of this agenda: part of it lies in Bouwmeester, "
            "near latitude 51.56450, longitude 5.06572.",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[4.5, 52.3], [4.51, 52.3], [4.51, 52.31], [4.5, 52.3]]],
            },
            "The area goes outside the wijken of this agenda: part of it lies outside every "
            "wijk, near latitude 52.30500, longitude 4.50750.",
        ),
    ],
)
def test_action_edit_refuses_a_bad_area_and_saves_nothing(team_member, action, area, message):
    before = Action.objects.values().get(pk=action.pk)

    response = signed_in(team_member).post(edit_url(action), action_data(action, area=area))

    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert Action.objects.values().get(pk=action.pk) == before
    assert ChangeRecord.objects.count() == 0


def test_action_edit_refuses_an_area_text_too_long_to_be_a_drawing(team_member, action):
    before = Action.objects.values().get(pk=action.pk)

    response = signed_in(team_member).post(
        edit_url(action), action_data(action, area=" " * 200_001)
    )

    assert response.status_code == 400
    assert errors_of(response) == ["The area is too detailed to store. Draw it with fewer points."]
    assert Action.objects.values().get(pk=action.pk) == before


def test_action_edit_with_htmx_returns_the_fragment_naming_the_wijken(team_member, action):
    response = signed_in(team_member).post(
        edit_url(action),
        action_data(action, area=ACROSS_REIT_AND_ZAND),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="action-form" class="edit-form">')
    assert "<html" not in body
    assert '<p class="area-wijken" role="status">This area lies in De Reit and Het Zand.</p>' in (
        body
    )
    assert (
        '<p class="location-wijk" role="status">This location lies in the wijk De Reit.</p>' in body
    )


def test_action_edit_with_htmx_and_a_bad_area_returns_the_fragment_with_the_error(
    team_member, action
):
    response = signed_in(team_member).post(
        edit_url(action), action_data(action, area=BOWTIE), headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<div id="action-form" class="edit-form">')
    assert errors_of(response) == [
        "The area crosses itself near latitude 51.56500, longitude 5.05100. "
        "Move the points so that its edges do not cross."
    ]


def test_action_history_records_the_change_of_area(team_member, action):
    action.area = INTO_BOUWMEESTER  # saved before the rules, say by an import
    action.save()
    client = signed_in(team_member)

    response = client.post(
        edit_url(action),
        action_data(action, area=ACROSS_REIT_AND_ZAND, longitude="5.051", latitude="51.565"),
    )

    assert response.status_code == 302
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.revision) == ("changed", team_member, 1)
    assert record.changes["area"] == {"old": INTO_BOUWMEESTER, "new": ACROSS_REIT_AND_ZAND}
    assert set(record.changes) == {"area", "longitude", "latitude"}


def test_action_edit_removes_the_area_when_the_field_is_emptied(team_member, action):
    action.area = ACROSS_REIT_AND_ZAND
    action.save()

    response = signed_in(team_member).post(
        edit_url(action), action_data(action, longitude="5.051", latitude="51.565")
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.area is None
    record = ChangeRecord.objects.get()
    assert record.changes["area"] == {"old": ACROSS_REIT_AND_ZAND, "new": None}
    page = text_of(signed_in(team_member).get(f"/acties/{action.pk}/"))
    assert "covers an area" not in page


def test_action_edit_answers_404_outside_the_users_scope(other_team_member, gebiedsteam, west):
    draft = WijkagendaFactory(
        gebiedsteam=gebiedsteam, wijken=west, status="draft", published_at=None
    )
    hidden = ActionFactory(plan=PlanFactory(wijkagenda=draft))
    before = Action.objects.values().get(pk=hidden.pk)

    response = signed_in(other_team_member).post(
        edit_url(hidden), action_data(hidden, area=ACROSS_REIT_AND_ZAND)
    )

    assert response.status_code == 404
    assert Action.objects.values().get(pk=hidden.pk) == before


@pytest.mark.parametrize("role", ["resident", "other_team_member"])
def test_action_edit_answers_403_to_who_may_not_change_the_action(request, role, action):
    user = request.getfixturevalue(role)
    before = Action.objects.values().get(pk=action.pk)

    response = signed_in(user).post(
        edit_url(action), action_data(action, area=ACROSS_REIT_AND_ZAND)
    )

    assert response.status_code == 403
    assert Action.objects.values().get(pk=action.pk) == before
    assert ChangeRecord.objects.count() == 0


def test_action_form_shows_the_area_picker_with_its_labelled_fallback(team_member, action):
    action.area = ACROSS_REIT_AND_ZAND
    action.save()

    response = signed_in(team_member).get(edit_url(action))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_area">Area:</label>' in body
    assert 'data-area-picker\n     data-input-id="id_area" data-wijken-id="picker-wijken"' in body
    assert re.search(r'<textarea name="area"[^>]*id="id_area"', body)
    assert json.dumps(ACROSS_REIT_AND_ZAND).replace('"', "&quot;") in body
    assert "This area lies in De Reit and Het Zand." in body
    assert "leaflet/draw/leaflet.draw.js" in body
    assert "js/area-picker.js" in body
    # The address search shows only when the portal has the address endpoints.
    assert ("data-picker-search hidden" in body) == (address_search_urls() is not None)


def test_action_form_without_area_leaves_the_area_field_empty(team_member, action):
    response = signed_in(team_member).get(edit_url(action))

    textarea = re.search(
        r'<textarea name="area"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert textarea is not None
    assert textarea.group(1).strip() == ""


def test_action_page_without_area_shows_no_area_map(action):
    action.longitude, action.latitude = 5.0555, 51.574
    action.save()

    response = Client().get(f"/acties/{action.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "data-area-map" not in body
    assert "In wijk Het Zand · latitude 51.57400, longitude 5.05550" in text_of(response)


def test_action_page_shows_the_area_on_a_map_and_in_words(action):
    action.area = ACROSS_REIT_AND_ZAND
    action.save()

    response = Client().get(f"/acties/{action.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="item-area__text">This action covers an area in De Reit and Het Zand.</p>' in body
    )
    assert f'<script id="item-area" type="application/json">{json.dumps(ACROSS_REIT_AND_ZAND)}' in (
        body
    )
    assert 'data-area-map data-area-id="item-area"' in body


# ---- Proposals --------------------------------------------------------------------------


def proposal_data(wijken: list[Wijk], **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Groene route",
        "body": "We leggen een groene route aan.",
        "wijken": [wijk.pk for wijk in wijken],
        "agenda_items": [],
        "opens_at": "2030-05-01T09:00",
        "closes_at": "2030-06-01T17:00",
        "council_only": "",
        "longitude": "",
        "latitude": "",
        "area": "",
        "advice_from": [],
        "advice_deadline": "",
        "revision": 0,  # of the edit form (a new draft's form has none)
    }
    for name, value in changes.items():
        data[name] = json.dumps(value) if isinstance(value, dict) else value
    return data


def test_proposal_create_saves_the_area_and_names_the_wijken(team_member, tilburg):
    client = signed_in(team_member)
    wijken = [tilburg["De Reit"], tilburg["Het Zand"]]

    response = client.post("/voorstellen/nieuw/", proposal_data(wijken, area=ACROSS_REIT_AND_ZAND))

    assert response.status_code == 302
    assert response["Location"] == "/voorstellen/groene-route/bewerken/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The proposal has been saved as a draft.",
        "This area lies in De Reit and Het Zand.",
    ]
    proposal = Proposal.objects.get()
    assert proposal.area == ACROSS_REIT_AND_ZAND
    assert (proposal.longitude, proposal.latitude) == (5.051, 51.565)
    page = text_of(client.get("/voorstellen/groene-route/"))
    assert "This proposal covers an area in De Reit and Het Zand." in page
    assert "In wijk De Reit · latitude 51.56500, longitude 5.05100" in page


def test_proposal_create_refuses_an_area_outside_the_chosen_wijken(team_member, tilburg):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/",
        proposal_data([tilburg["Het Zand"]], area=ACROSS_REIT_AND_ZAND),
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "The area goes outside the chosen wijken: part of it lies in De Reit, "
        "near latitude 51.56419, longitude 5.05100."
    ]
    assert Proposal.objects.count() == 0


def test_proposal_edit_with_htmx_returns_the_fragment_naming_the_wijken(team_member, tilburg):
    wijken = [tilburg["De Reit"], tilburg["Het Zand"]]
    draft = ProposalFactory(
        gebiedsteam=team_member.team_memberships.get().gebiedsteam,
        wijken=wijken,
        status=Proposal.Status.DRAFT,
        slug="groene-route",
    )

    response = signed_in(team_member).post(
        "/voorstellen/groene-route/bewerken/",
        proposal_data(wijken, area=ACROSS_REIT_AND_ZAND),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="proposal-form" class="edit-form">')
    assert '<p class="area-wijken" role="status">This area lies in De Reit and Het Zand.</p>' in (
        body
    )
    draft.refresh_from_db()
    assert draft.area == ACROSS_REIT_AND_ZAND


def test_proposal_edit_answers_403_and_404_and_saves_nothing(
    other_team_member, resident, gebiedsteam, tilburg
):
    wijken = [tilburg["Het Zand"]]
    draft = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=wijken, status=Proposal.Status.DRAFT, slug="concept"
    )
    visible = ProposalFactory(gebiedsteam=gebiedsteam, wijken=wijken, slug="open")
    data = proposal_data(wijken, area=ACROSS_REIT_AND_ZAND)

    hidden = signed_in(other_team_member).post("/voorstellen/concept/bewerken/", data)
    refused = signed_in(resident).post("/voorstellen/open/bewerken/", data)

    assert (hidden.status_code, refused.status_code) == (404, 403)
    draft.refresh_from_db()
    visible.refresh_from_db()
    assert (draft.area, visible.area) == (None, None)


# ---- Werkplekken --------------------------------------------------------------------------


def test_werkplek_form_loads_the_address_search_with_its_picker(team_member, gebiedsteam, west):
    werkplek = WerkplekFactory(gebiedsteam=gebiedsteam)

    response = signed_in(team_member).get(
        f"/gebieden/{gebiedsteam.slug}/werkplekken/{werkplek.pk}/bewerken/"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "js/picker-search.js" in body
    assert 'data-location-widget data-latitude-id="id_latitude"' in body.replace("\n     ", " ")
    assert ("data-picker-search hidden" in body) == (address_search_urls() is not None)


# ---- Areas no parser can take -----------------------------------------------------------

NESTED = "[" * 2000 + "]" * 2000
NAN_POLYGON = (
    '{"type": "Polygon", "coordinates": '
    "[[[NaN, 51.56], [5.06, 51.56], [5.06, 51.57], [NaN, 51.56]]]}"
)
UNREADABLE_AREAS = [
    NESTED,
    "[" * 900 + "]" * 900,  # read by json, but not written again while the page renders
    '{"type": "Polygon", "coordinates": ' + NESTED + "}",
    '{"a": ' * 2000 + "1" + "}" * 2000,
    NAN_POLYGON,
    NAN_POLYGON.replace("NaN", "Infinity"),
]
NOT_GEOJSON = "The area is not valid GeoJSON. Draw it on the map, or paste a Polygon."


@pytest.mark.parametrize("area", UNREADABLE_AREAS)
def test_action_edit_refuses_an_area_too_deep_or_with_nan_and_saves_nothing(
    team_member, action, area
):
    before = Action.objects.values().get(pk=action.pk)

    response = signed_in(team_member).post(edit_url(action), action_data(action, area=area))

    assert response.status_code == 400
    assert errors_of(response) == [NOT_GEOJSON]
    assert Action.objects.values().get(pk=action.pk) == before
    assert ChangeRecord.objects.count() == 0


@pytest.mark.parametrize("area", UNREADABLE_AREAS)
def test_proposal_create_refuses_an_area_too_deep_or_with_nan_and_saves_nothing(
    team_member, tilburg, area
):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/", proposal_data([tilburg["Het Zand"]], area=area)
    )

    assert response.status_code == 400
    assert errors_of(response) == [NOT_GEOJSON]
    assert Proposal.objects.count() == 0
