from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agendas.models import Action
from areas.geometry import footprint
from areas.models import Gebiedsteam, TeamMembership, Wijk
from participation.models import Proposal
from tests.factories import (
    SQUARE,
    ActionFactory,
    AgendaItemFactory,
    BuurtFactory,
    CollaborationFactory,
    GebiedsteamFactory,
    MeetingFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    TeamMembershipFactory,
    ThemeFactory,
    UserFactory,
    VisionFactory,
    WerkplekFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import count_queries, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def with_boundary(area: Any, source: str = "file") -> Any:
    area.apply_footprint(footprint(SQUARE), source=source, year=2024)
    area.save()
    return area


def text_of(response: Any, tag: str, attribute: str) -> str:
    """The text of the first <tag ...attribute...>, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    match = re.search(rf"<{tag} [^>]*{attribute}[^>]*>(.*?)</{tag}>", html, re.S)
    assert match, f"no <{tag} {attribute}>"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def add_city_data(*, scale: int, gebieden: list[Gebiedsteam], wijk: Wijk) -> None:
    """`scale` of everything the three pages list: wijken per gebied, and in `wijk` its
    agendas with items, plans, actions and results, proposals, meetings and buurten."""
    theme = ThemeFactory()
    organisation = PartnerOrganisationFactory()
    in_future = timezone.now() + dt.timedelta(days=3)
    for gebied in gebieden:
        for _ in range(scale):
            other = with_boundary(WijkFactory(gebiedsteam=gebied))
            TeamMembershipFactory(gebiedsteam=gebied, role=TeamMembership.Role.PARTNER)
            WerkplekFactory(gebiedsteam=gebied, opening_hours="ma 9-12")
            pact = PactFactory(gebiedsteam=gebied)
            pact.wijken.add(other)
            collaboration = CollaborationFactory(gebiedsteam=gebied)
            collaboration.organisations.add(organisation)
            collaboration.wijken.add(other)
            meeting = MeetingFactory(gebiedsteam=gebied, starts_at=in_future, ends_at=in_future)
            meeting.wijken.add(other)
            ProposalFactory(gebiedsteam=gebied, wijken=[other])
    for _ in range(scale):
        with_boundary(BuurtFactory(wijk=wijk))
        agenda = WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
        item = AgendaItemFactory(wijkagenda=agenda, theme=theme, lead_organisation=organisation)
        plan = PlanFactory(wijkagenda=agenda)
        ActionFactory(plan=plan, agenda_item=item, owner_organisation=organisation)
        done = ActionFactory(
            plan=plan,
            agenda_item=item,
            owner_organisation=organisation,
            status=Action.Status.DONE,
            progress=100,
            result="Het plein is vergroend.",
        )
        ProgressUpdateFactory(action=done, is_result=True, progress=100)
        WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], status="archived")
        ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
        meeting = MeetingFactory(gebiedsteam=wijk.gebiedsteam)
        meeting.wijken.add(wijk)
        VisionFactory(gebiedsteam=wijk.gebiedsteam)


@pytest.fixture
def city(gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam) -> dict[str, Any]:
    gebiedsteam.outline = SQUARE
    gebiedsteam.save()
    wijk = with_boundary(WijkFactory(gebiedsteam=gebiedsteam, slug="heikant", name="Heikant"))
    WijkraadFactory(name="Wijkraad Noord").wijken.add(wijk)
    return {"gebieden": [gebiedsteam, other_gebiedsteam], "wijk": wijk}


# Query budgets: 1× against 10× the data.


@pytest.mark.parametrize("url", ["/", "/gebieden/noord/", "/wijken/heikant/", "/wijken/"])
def test_page_query_count_does_not_grow_with_data_for_anonymous(client, city, url):
    add_city_data(scale=1, **city)
    client.get(url)
    small = count_queries(client, url)

    add_city_data(scale=9, **city)

    assert count_queries(client, url) == small


@pytest.mark.parametrize("url", ["/", "/gebieden/noord/", "/wijken/heikant/"])
def test_page_query_count_does_not_grow_with_data_for_team_member(client, city, team_member, url):
    client.force_login(team_member)
    add_city_data(scale=1, **city)
    client.get(url)
    small = count_queries(client, url)

    add_city_data(scale=9, **city)

    assert count_queries(client, url) == small


def test_page_query_budget_scales_the_lists(client, city):
    add_city_data(scale=10, **city)

    response = client.get("/wijken/heikant/")

    assert len(response.context["buurten"]) == 10
    # Agendas are bounded: three whole, ten earlier ones named, and a link to the rest.
    assert len(response.context["agendas"]) == 3
    assert len(response.context["archived_agendas"]) == 10
    assert texts_of(response, "more-agendas") == ["All agendas of gebied Noord"]
    assert 'href="/wijkagendas/?gebied=noord">All agendas' in response.content.decode()
    assert len(response.context["results"]) == 10


def test_wijk_page_links_to_no_more_agendas_when_all_show(client, city):
    add_city_data(scale=3, **city)

    response = client.get("/wijken/heikant/")

    assert len(response.context["agendas"]) == 3
    assert len(response.context["archived_agendas"]) == 3
    assert texts_of(response, "more-agendas") == []


# home


def test_home_lists_the_gebieden_with_counts_and_the_map(client):
    noord = GebiedsteamFactory(name="Noord", slug="noord", position=2, focus=True)
    west = GebiedsteamFactory(name="West", slug="west", position=1)
    WijkFactory(gebiedsteam=noord, inhabitants=7000)
    WijkFactory(gebiedsteam=noord, inhabitants=3000)
    WijkFactory(gebiedsteam=west, inhabitants=None)

    response = client.get(reverse("portal:home"))

    assert [
        (g.name, g.wijk_count, g.inhabitants, g.focus) for g in response.context["gebieden"]
    ] == [("West", 1, None, False), ("Noord", 2, 10000, True)]
    assert response.context["wijk_total"] == 3
    assert response.context["map_layers"] == [
        {"url": "/kaart/gebieden.geojson", "kind": "gebieden", "fit": True}
    ]
    html = response.content.decode()
    assert html.count('data-locate-url="/wijken/zoek/"') == 2  # the map and the button
    assert html.count("data-locate-me hidden") == 1
    assert html.count('<table id="gebieden-list">') == 1


def test_home_shows_upcoming_public_meetings_and_open_proposals(client, gebiedsteam):
    soon = timezone.now() + dt.timedelta(days=1)
    later = soon + dt.timedelta(days=9)
    MeetingFactory(gebiedsteam=gebiedsteam, title="Later", starts_at=later, ends_at=later)
    MeetingFactory(gebiedsteam=gebiedsteam, title="Eerst", starts_at=soon, ends_at=soon)
    MeetingFactory(
        gebiedsteam=gebiedsteam, title="Besloten", starts_at=soon, ends_at=soon, public=False
    )
    MeetingFactory(
        gebiedsteam=gebiedsteam,
        title="Geweest",
        starts_at=soon - dt.timedelta(days=10),
        ends_at=soon - dt.timedelta(days=9),
    )
    ProposalFactory(gebiedsteam=gebiedsteam, title="Open voorstel")
    ProposalFactory(gebiedsteam=gebiedsteam, title="Concept", status=Proposal.Status.DRAFT)
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        title="Nog niet open",
        opens_at=soon,
        closes_at=soon + dt.timedelta(days=14),
    )

    response = client.get(reverse("portal:home"))

    assert [m.title for m in response.context["meetings"]] == ["Eerst", "Later"]
    assert [p.title for p in response.context["proposals"]] == ["Open voorstel"]


# gebiedsteam_detail


def test_gebiedsteam_page_shows_wijken_team_places_vision_pacts_and_meetings(
    client, gebiedsteam, other_gebiedsteam
):
    gebiedsteam.contact_email = "noord@tilburg.nl"
    gebiedsteam.save()
    WijkFactory(gebiedsteam=gebiedsteam, name="Stokhasselt")
    WijkFactory(gebiedsteam=gebiedsteam, name="Heikant")
    WijkFactory(gebiedsteam=other_gebiedsteam, name="Reeshof")
    for name in ["Rina Regisseur", "Ruud Regisseur"]:
        TeamMembershipFactory(
            gebiedsteam=gebiedsteam,
            user=UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org"),
        )
    TeamMembershipFactory(
        gebiedsteam=gebiedsteam,
        user=UserFactory(full_name="", email="zonder-naam@example.org"),
        role=TeamMembership.Role.OMGEVINGSMANAGER,
    )
    WerkplekFactory(gebiedsteam=gebiedsteam, name="De Ypelaer", opening_hours="ma 9-12")
    VisionFactory(gebiedsteam=gebiedsteam, title="Noord in 2034", body="Iedereen **doet mee**.")
    VisionFactory(gebiedsteam=gebiedsteam, title="Conceptvisie", status="draft", horizon_year=2040)
    PactFactory(gebiedsteam=gebiedsteam, name="Pact Noord")
    PactFactory(gebiedsteam=gebiedsteam, name="Conceptpact", status="draft")
    PactFactory(gebiedsteam=other_gebiedsteam, name="Pact Reeshof")
    CollaborationFactory(gebiedsteam=gebiedsteam, name="Innovatielab Noord")
    MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog Noord")
    MeetingFactory(gebiedsteam=other_gebiedsteam, title="Wijkdialoog Reeshof")

    response = client.get(reverse("portal:gebiedsteam-detail", kwargs={"slug": "noord"}))

    context = response.context
    assert [w.name for w in context["wijken"]] == ["Heikant", "Stokhasselt"]
    assert [(r.label, r.count, r.names) for r in context["roles"]] == [
        ("wijkregisseur", 2, ["Rina Regisseur", "Ruud Regisseur"]),
        ("omgevingsmanager", 1, []),
    ]
    assert [w.name for w in context["werkplekken"]] == ["De Ypelaer"]
    assert context["vision"].title == "Noord in 2034"
    assert [p.name for p in context["pacts"]] == ["Pact Noord"]
    assert [c.name for c in context["collaborations"]] == ["Innovatielab Noord"]
    assert [m.title for m in context["meetings"]] == ["Wijkdialoog Noord"]
    assert context["breadcrumbs"] == [("Noord", None)]
    assert context["map_layers"] == [
        {
            "url": "/kaart/gebieden.geojson?gebied=noord",
            "kind": "outline",
            "fit": True,
            "legend": "Boundary of gebied Noord",
        },
        {"url": "/kaart/wijken.geojson?gebied=noord", "kind": "wijken", "fit": True},
        {
            "url": "/kaart/locaties.geojson?gebied=noord",
            "kind": "located",
            "bbox": True,
            "fit": True,
        },
    ]
    html = response.content.decode()
    assert html.count("Iedereen <strong>doet mee</strong>.") == 1
    assert re.findall(r"[\w.-]+@example\.org", html) == []
    assert html.count('href="mailto:noord@tilburg.nl"') == 1


def test_gebiedsteam_page_shows_draft_pact_to_own_team(client, gebiedsteam, team_member):
    PactFactory(gebiedsteam=gebiedsteam, name="Conceptpact", status="draft")
    client.force_login(team_member)

    response = client.get(reverse("portal:gebiedsteam-detail", kwargs={"slug": "noord"}))

    assert [p.name for p in response.context["pacts"]] == ["Conceptpact"]


def test_gebiedsteam_page_unknown_slug_is_404_in_layout(client, gebiedsteam):
    response = client.get(reverse("portal:gebiedsteam-detail", kwargs={"slug": "atlantis"}))

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]


# wijk_detail


def test_wijk_page_shows_agenda_by_theme_plans_results_and_figures(client, city):
    wijk = city["wijk"]
    wijk.area_land_ha = 312
    wijk.population_density = 4100
    wijk.figures_year = 2024
    wijk.save()
    wonen = ThemeFactory(name="Wonen", position=1)
    groen = ThemeFactory(name="Groen", position=2)
    agenda = WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], title="Heikant")
    bomen = AgendaItemFactory(wijkagenda=agenda, theme=groen, title="Meer bomen", position=1)
    AgendaItemFactory(wijkagenda=agenda, theme=wonen, title="Betaalbaar wonen", position=2)
    speeltuin = AgendaItemFactory(wijkagenda=agenda, theme=groen, title="Speeltuin", position=3)
    plan = PlanFactory(wijkagenda=agenda, title="Uitvoering 2025")
    ActionFactory(
        plan=plan,
        agenda_item=bomen,
        title="Bomen planten",
        progress=40,
        due_date=dt.date(2099, 1, 1),
    )
    done = ActionFactory(
        plan=plan,
        agenda_item=speeltuin,
        title="Speeltuin opknappen",
        status=Action.Status.DONE,
        progress=100,
        result="De speeltuin is open.",
        due_date=dt.date(2099, 2, 1),
    )
    ProgressUpdateFactory(action=done, text="Eerste paal geslagen", is_result=True)
    ProgressUpdateFactory(action=done, text="Gewone update", is_result=False)
    BuurtFactory(wijk=wijk, name="Heikant-Oost", code="BU08551002")
    BuurtFactory(wijk=wijk, name="Heikant-West", code="BU08551001")

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    context = response.context
    [(shown, _content)] = context["agendas"]
    assert [(i.theme.name, i.title) for i in shown.items.all()] == [
        ("Wonen", "Betaalbaar wonen"),
        ("Groen", "Meer bomen"),
        ("Groen", "Speeltuin"),
    ]
    assert [
        (a.title, a.status, a.progress) for p in shown.plans.all() for a in p.actions.all()
    ] == [("Bomen planten", "in_progress", 40), ("Speeltuin opknappen", "done", 100)]
    assert sorted(r.text for r in context["results"]) == [
        "De speeltuin is open.",
        "Eerste paal geslagen",
    ]
    assert [b.name for b in context["buurten"]] == ["Heikant-West", "Heikant-Oost"]
    assert [w.name for w in context["wijkraden"]] == ["Wijkraad Noord"]
    assert context["breadcrumbs"] == [("Noord", "/gebieden/noord/"), ("Heikant", None)]
    assert context["schematic"] is False
    assert context["map_layers"] == [
        {
            "url": "/kaart/wijken.geojson?wijk=heikant",
            "kind": "outline",
            "fit": True,
            "legend": "Boundary of Heikant",
        },
        {"url": "/kaart/wijken/heikant/buurten.geojson", "kind": "buurten", "fit": True},
        {
            "url": "/kaart/locaties.geojson?wijk=heikant",
            "kind": "located",
            "bbox": True,
            "fit": True,
        },
    ]
    html = response.content.decode()
    assert text_of(response, "p", 'id="cbs-source"') == (
        "Source: Kadaster / Centraal Bureau voor de Statistiek, 2024"
    )
    assert html.count('<progress max="100" value="40"') == 1
    assert html.count('<span class="action__progress-value">40%</span>') == 1
    assert re.findall(r'<h4 class="theme-heading">.*?</svg>(\w+)</h4>', html) == [
        "Wonen",
        "Groen",
    ]
    assert html.count("Schematic shapes: not the real boundaries") == 0


def test_wijk_page_says_when_the_map_is_schematic(client, gebiedsteam):
    with_boundary(WijkFactory(gebiedsteam=gebiedsteam, slug="heikant"), source="schematic")

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert response.context["schematic"] is True
    assert response.content.decode().count("Schematic shapes: not the real boundaries") == 1


def test_wijk_page_shows_open_proposals_and_upcoming_meetings_of_the_wijk(client, city):
    wijk = city["wijk"]
    elsewhere = WijkFactory(gebiedsteam=wijk.gebiedsteam)
    ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], title="Speelveld")
    ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[elsewhere], title="Elders")
    ProposalFactory(
        gebiedsteam=wijk.gebiedsteam,
        wijken=[wijk],
        title="Besloten",
        status=Proposal.Status.DECIDED,
        input_feedback="Verwerkt.",
    )
    MeetingFactory(gebiedsteam=wijk.gebiedsteam, title="Wijkdialoog Heikant").wijken.add(wijk)
    MeetingFactory(gebiedsteam=wijk.gebiedsteam, title="Elders").wijken.add(elsewhere)

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert [p.title for p in response.context["proposals"]] == ["Speelveld"]
    assert [m.title for m in response.context["meetings"]] == ["Wijkdialoog Heikant"]
    period = text_of(response, "p", 'class="proposal-card__period"')
    assert period.startswith("Comments from ")


@pytest.fixture
def draft_in_wijk(city: dict[str, Any]) -> Wijk:
    """A published and a draft agenda of the wijk's team, with content that could leak."""
    wijk = city["wijk"]
    WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], title="Openbare agenda")
    draft = WijkagendaFactory(
        gebiedsteam=wijk.gebiedsteam,
        wijken=[wijk],
        title="Geheime conceptagenda",
        status="draft",
        published_at=None,
    )
    AgendaItemFactory(wijkagenda=draft, title="Geheim punt")
    ActionFactory(
        plan=PlanFactory(wijkagenda=draft),
        title="Geheime actie",
        status=Action.Status.DONE,
        result="Geheim resultaat",
    )
    ProposalFactory(
        gebiedsteam=wijk.gebiedsteam,
        wijken=[wijk],
        title="Geheim voorstel",
        status=Proposal.Status.DRAFT,
    )
    return wijk


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_team_member"])
def test_wijk_page_does_not_leak_a_draft_agenda(client, draft_in_wijk, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert [a.title for a, _content in response.context["agendas"]] == ["Openbare agenda"]
    assert response.context["results"] == []
    assert list(response.context["proposals"]) == []
    assert re.findall(r"Geheim\w*", response.content.decode()) == []


def test_wijk_page_shows_the_draft_agenda_to_its_own_team(client, draft_in_wijk, team_member):
    client.force_login(team_member)

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert [a.title for a, _content in response.context["agendas"]] == [
        "Geheime conceptagenda",
        "Openbare agenda",
    ]
    assert [r.text for r in response.context["results"]] == ["Geheim resultaat"]
    assert response.content.decode().count("Draft: only your team can see this") == 1


def test_wijk_page_lists_archived_agendas_apart(client, city):
    wijk = city["wijk"]
    WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], title="Nu")
    WijkagendaFactory(
        gebiedsteam=wijk.gebiedsteam, wijken=[wijk], title="Vroeger", status="archived"
    )

    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert [a.title for a, _content in response.context["agendas"]] == ["Nu"]
    assert [a.title for a in response.context["archived_agendas"]] == ["Vroeger"]


def test_wijk_page_unknown_slug_is_404_in_layout(client, city):
    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "atlantis"}))

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]


# the maps of the gebied and wijk pages


def test_gebiedsteam_page_says_what_is_on_the_map_and_links_the_city_map(client, gebiedsteam):
    response = client.get(reverse("portal:gebiedsteam-detail", kwargs={"slug": "noord"}))

    assert text_of(response, "p", 'class="map-alternative"') == (
        "The map also shows the actions, proposals, meetings, werkplekken and residents' "
        "initiatives of this gebied. "
        "The city map lists them, for this gebied or for the part of the map you choose."
    )
    html = response.content.decode()
    assert html.count('href="/kaart/?gebied=noord"') == 1
    assert html.count('data-locate-url="/wijken/zoek/"') == 1


def test_wijk_page_says_what_is_on_the_map_and_links_the_city_map(client, city):
    response = client.get(reverse("portal:wijk-detail", kwargs={"slug": "heikant"}))

    assert text_of(response, "p", 'class="map-alternative"') == (
        "The map also shows the actions, proposals, meetings, werkplekken and residents' "
        "initiatives of this wijk. "
        "The city map lists them, for this wijk or for the part of the map you choose."
    )
    html = response.content.decode()
    assert html.count('href="/kaart/?wijk=heikant"') == 1
    assert html.count("data-highlight-buurt") == 0
    assert html.count('id="your-buurt"') == 0


@pytest.fixture
def buurten_of_heikant(city: dict[str, Any]) -> Wijk:
    wijk = city["wijk"]
    BuurtFactory(wijk=wijk, name="Heikant-Oost", code="BU08551002")
    BuurtFactory(wijk=wijk, name="Heikant-West", code="BU08551001")
    BuurtFactory(wijk=WijkFactory(gebiedsteam=wijk.gebiedsteam), name="Elders", code="BU08559901")
    return wijk


def test_wijk_page_with_buurt_of_the_address_shows_it(client, buurten_of_heikant):
    response = client.get(
        reverse("portal:wijk-detail", kwargs={"slug": "heikant"}), {"buurt": "BU08551002"}
    )

    assert response.status_code == 200
    assert response.context["your_buurt"].name == "Heikant-Oost"
    assert text_of(response, "p", 'id="your-buurt"') == (
        "Your address is in buurt Heikant-Oost of Heikant."
    )
    html = response.content.decode()
    assert html.count('data-highlight-buurt="BU08551002"') == 1
    assert re.findall(r'<span class="buurt-highlight">([^<]*)</span>', html) == ["Heikant-Oost"]


def test_wijk_page_reads_the_buurt_code_in_lower_case_too(client, buurten_of_heikant):
    response = client.get(
        reverse("portal:wijk-detail", kwargs={"slug": "heikant"}), {"buurt": " bu08551001 "}
    )

    assert response.context["your_buurt"].name == "Heikant-West"


@pytest.mark.parametrize(
    "code",
    ["BU08559901", "BU99999999", "<script>", "", "x" * 500],
    ids=["other-wijk", "unknown", "markup", "empty", "long"],
)
def test_wijk_page_ignores_a_buurt_that_is_not_in_the_wijk(client, buurten_of_heikant, code):
    response = client.get(
        reverse("portal:wijk-detail", kwargs={"slug": "heikant"}), {"buurt": code}
    )

    assert response.status_code == 200
    assert response.context["your_buurt"] is None
    html = response.content.decode()
    assert html.count('id="your-buurt"') == 0
    assert html.count("data-highlight-buurt") == 0
    assert html.count('class="buurt-highlight"') == 0


def test_wijk_page_with_buurt_keeps_its_query_count(client, city):
    add_city_data(scale=1, **city)
    url = "/wijken/heikant/"
    client.get(url)
    plain = count_queries(client, url)

    assert count_queries(client, f"{url}?buurt=BU08550000") == plain
    add_city_data(scale=9, **city)
    code = city["wijk"].buurten.first().code
    assert count_queries(client, f"{url}?buurt={code}") == plain
