"""The search at /zoeken/: Dutch words and typing errors on PostgreSQL, only what the visitor
may see, grouped by kind, within a gebied or wijk, and a clear answer to bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from agendas.models import PublishedText
from portal.search import GROUP_SIZE
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    WijkagendaFactory,
)
from tests.helpers import count_queries, signed_in, texts_of
from web import search as web_search

pytestmark = [pytest.mark.django_db, pytest.mark.english]

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch words and typos: PostgreSQL's search"
)


def found(response) -> list[str]:
    """The titles of the results, in page order."""
    return texts_of(response, "search-result-title")


def groups(response) -> list[str]:
    return texts_of(response, "search-group")


@pytest.fixture
def agenda(wijk, team_member):
    agenda = WijkagendaFactory(
        title="Wijkagenda Quirijnstok",
        slug="quirijnstok",
        gebiedsteam=wijk.gebiedsteam,
        wijken=[wijk],
    )
    AgendaItemFactory(
        wijkagenda=agenda, title="Groen in de wijk", description="Meer bomen en moestuinen."
    )
    agenda.publish(by=team_member)
    return agenda


@pytest.fixture
def action(agenda):
    plan = PlanFactory(wijkagenda=agenda, title="Uitvoeringsplan 2026")
    return ActionFactory(
        plan=plan,
        title="Moestuin in het Quirijnstokpark",
        description="Bewoners leggen samen speeltuinen en bloembakken aan.",
    )


@needs_postgresql
def test_an_action_is_found_by_a_dutch_word_of_its_description(action) -> None:
    # "speeltuin" is the stem of "speeltuinen" in the description.
    response = Client().get("/zoeken/", {"q": "speeltuin"})

    assert response.status_code == 200
    assert found(response) == ["Moestuin in het Quirijnstokpark"]
    assert groups(response) == ["Actions"]


@needs_postgresql
def test_an_action_is_found_by_a_misspelling_of_its_title(action) -> None:
    response = Client().get("/zoeken/", {"q": "moestiun"})

    assert found(response) == ["Moestuin in het Quirijnstokpark"]
    assert "Nothing holds “moestiun”; these are spelled almost the same." in (
        response.content.decode()
    )


@needs_postgresql
def test_close_spellings_are_only_offered_when_the_words_find_nothing(agenda) -> None:
    plan = PlanFactory(wijkagenda=agenda, title="Plan")
    ActionFactory(plan=plan, title="Moestuin aanleggen")
    ActionFactory(plan=plan, title="Moestuinen onderhouden", description="Samen met de moestuin.")

    response = Client().get("/zoeken/", {"q": "moestuin"})

    # Each holds the word (a Dutch plural is the same word: the agenda's item says "meer bomen
    # en moestuinen"); no close spellings are added to them.
    assert found(response) == ["Groen in de wijk", "Moestuinen onderhouden", "Moestuin aanleggen"]
    assert "spelled almost the same" not in response.content.decode()


def test_a_draft_agenda_is_found_by_its_team_and_by_nobody_else(wijk, team_member) -> None:
    draft = WijkagendaFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk], status="draft")
    ActionFactory(plan=PlanFactory(wijkagenda=draft), title="Fietsenstalling bij de school")

    anonymous = Client().get("/zoeken/", {"q": "fietsenstalling"})
    team = signed_in(team_member).get("/zoeken/", {"q": "fietsenstalling"})

    assert found(anonymous) == []
    assert "Nothing matches" in anonymous.content.decode()
    assert found(team) == ["Fietsenstalling bij de school"]


def test_agenda_items_are_found_as_last_published_not_as_edited_since(agenda, team_member) -> None:
    item = agenda.items.get()
    item.title = "Geheime herinrichting"
    item.save()

    assert found(Client().get("/zoeken/", {"q": "geheime"})) == []
    assert found(Client().get("/zoeken/", {"q": "bomen"})) == ["Groen in de wijk"]

    agenda.publish(by=team_member)

    response = Client().get("/zoeken/", {"q": "geheime"})
    assert found(response) == ["Geheime herinrichting"]
    assert f'href="/wijkagendas/quirijnstok/#item-{item.pk}"' in response.content.decode()
    assert list(PublishedText.objects.values_list("kind", "title").order_by("kind")) == [
        ("agenda", "Wijkagenda Quirijnstok"),
        ("item", "Geheime herinrichting"),
    ]


def test_nothing_council_only_or_closed_is_found_by_a_visitor(wijk, council_member) -> None:
    team = wijk.gebiedsteam
    ProposalFactory(title="Parkeren Piushaven", gebiedsteam=team, wijken=[wijk], council_only=True)
    ProposalFactory(title="Parkeren concept", gebiedsteam=team, wijken=[wijk], status="draft")
    MeetingFactory(title="Parkeren overleg", gebiedsteam=team, public=False)

    assert found(Client().get("/zoeken/", {"q": "parkeren"})) == []
    assert found(signed_in(council_member).get("/zoeken/", {"q": "parkeren"})) == [
        "Parkeren Piushaven"
    ]


def test_results_are_grouped_by_kind_with_a_page_for_all_of_one_kind(agenda, wijk) -> None:
    plan = PlanFactory(wijkagenda=agenda, title="Plan bomen")
    for number in range(GROUP_SIZE + 2):
        ActionFactory(plan=plan, title=f"Bomen planten {number}")
    ProposalFactory(title="Bomen aan de Ringbaan", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])

    response = Client().get("/zoeken/", {"q": "bomen"})

    assert groups(response) == ["Ambitions and tasks", "Plans", "Actions", "Proposals"]
    html = response.content.decode()
    assert html.count('class="search-result"') == 1 + 1 + GROUP_SIZE + 1
    assert 'href="?q=bomen&amp;soort=acties"' in html
    everything = Client().get("/zoeken/", {"q": "bomen", "soort": "acties"})
    assert len(found(everything)) == GROUP_SIZE + 2
    assert f"{GROUP_SIZE + 2} results" in everything.content.decode()


def test_a_search_within_a_wijk_leaves_out_other_wijken_and_organisations(wijk, other_wijk) -> None:
    ProposalFactory(title="Bankjes hier", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
    ProposalFactory(title="Bankjes elders", gebiedsteam=other_wijk.gebiedsteam, wijken=[other_wijk])
    PartnerOrganisationFactory(name="Bankjesfonds", description="Bankjes voor iedereen.")

    everywhere = Client().get("/zoeken/", {"q": "bankjes"})
    here = Client().get("/zoeken/", {"q": "bankjes", "wijk": wijk.slug})
    organisations_here = Client().get(
        "/zoeken/", {"q": "bankjes", "wijk": wijk.slug, "soort": "organisaties"}
    )

    assert sorted(found(everywhere)) == ["Bankjes elders", "Bankjes hier", "Bankjesfonds"]
    assert found(here) == ["Bankjes hier"]
    assert "These belong to no gebied or wijk" in organisations_here.content.decode()
    in_gebied = Client().get("/zoeken/", {"q": "bankjes", "gebied": other_wijk.gebiedsteam.slug})
    assert found(in_gebied) == ["Bankjes elders"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "x" * 201}, "Search for at most 200 characters, not 201."),
        ({"q": "bomen", "gebied": "atlantis"}, "There is no gebied with that name."),
        ({"q": "bomen", "wijk": "atlantis"}, "There is no wijk with that name."),
        ({"q": "bomen", "soort": "raketten"}, "The search does not know that kind."),
    ],
)
def test_bad_input_gets_a_400_with_the_problem(db, query, message) -> None:
    response = Client().get("/zoeken/", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_search_asks_for_words_and_a_bad_page_number_is_no_error(action) -> None:
    empty = Client().get("/zoeken/", {"q": "   "})
    bad_page = Client().get("/zoeken/", {"q": "moestuin", "soort": "acties", "page": "x"})

    assert empty.status_code == 200
    assert "Type a word or a few words to search for." in empty.content.decode()
    assert bad_page.status_code == 200
    assert found(bad_page) == ["Moestuin in het Quirijnstokpark"]


def test_the_search_takes_as_many_queries_for_many_results_as_for_one(agenda, wijk) -> None:
    def add() -> None:
        plan = PlanFactory(wijkagenda=agenda, title="Plan bomen")
        ActionFactory(plan=plan, title="Bomen planten")
        ProposalFactory(title="Bomen kappen", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
        MeetingFactory(title="Bomenavond", gebiedsteam=wijk.gebiedsteam)

    add()
    one = count_queries(Client(), "/zoeken/?q=bomen")
    for _ in range(8):
        add()

    assert count_queries(Client(), "/zoeken/?q=bomen") == one


@needs_postgresql
def test_every_kind_is_asked_in_one_query_and_only_kinds_with_hits_are_loaded(agenda, wijk) -> None:
    plan = PlanFactory(wijkagenda=agenda, title="Plan bomen")
    ActionFactory(plan=plan, title="Bomen planten")
    ProposalFactory(title="Bomen kappen", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])

    # Nothing found: one query for the words of every kind, one for their close spellings.
    nothing = count_queries(Client(), "/zoeken/?q=qwxzv")
    # Bomen: one query for the words of every kind, then one load for each of the four kinds
    # that has any (the agenda's item, the plan, the action and the proposal).
    four_kinds = count_queries(Client(), "/zoeken/?q=bomen")

    assert four_kinds - nothing == (1 + 4) - 2


def test_every_page_links_to_the_search(db) -> None:
    html = Client().get("/").content.decode()

    assert (
        '<a class="utrecht-nav-list__link utrecht-link utrecht-link--html-a" href="/zoeken/">'
        in html
    )


def test_on_sqlite_every_word_must_occur_in_some_column(action, monkeypatch) -> None:
    """The embedded default's fallback, run on this database: plain substrings, no typos."""
    monkeypatch.setattr(web_search, "full_text", lambda: False)

    assert found(Client().get("/zoeken/", {"q": "Moestuin bloembakken"})) == [
        "Moestuin in het Quirijnstokpark"
    ]
    assert found(Client().get("/zoeken/", {"q": "moestiun"})) == []
