from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agendas.models import Action, Plan, ProgressUpdate
from agendas.models.actions import ACTIONS_SHOWN_PER_PLAN
from tests.factories import (
    AgendaItemFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    WijkagendaFactory,
    WijkFactory,
)
from tests.helpers import texts_of
from web import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.english]

MAX_HTML = 60 * 1024
PAGES = ("/wijken/heikant/", "/wijkagendas/heikant-agenda/")


def add_actions(plan: Plan, organisation: Any, start: int, end: int) -> None:
    """Actions `start`..`end - 1` of the plan, every third done with a result reported."""
    Action.objects.bulk_create(
        Action(
            plan=plan,
            owner_organisation=organisation,
            title=f"Actie {number:04}",
            description="Een actie met een beschrijving van een paar woorden.",
            status=Action.Status.DONE if number % 3 == 0 else Action.Status.IN_PROGRESS,
            progress=100 if number % 3 == 0 else 40,
            result="Het is gelukt." if number % 3 == 0 else "",
            due_date=dt.date(2026, 1, 1) + dt.timedelta(days=number % 365),
        )
        for number in range(start, end)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action,
            text="Een resultaat onderweg.",
            status="done",
            progress=100,
            is_result=True,
        )
        for action in Action.objects.for_plan(plan).done().filter(title__gte=f"Actie {start:04}")
    )
    # Bulk writes send no signals: like the services, say that public pages changed.
    pagecache.bump_now()


@pytest.fixture
def agenda_plan(gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam, slug="heikant", name="Heikant")
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, slug="heikant-agenda", wijken=[wijk])
    AgendaItemFactory(wijkagenda=agenda)
    agenda.publish(by=None)
    plan = PlanFactory(wijkagenda=agenda, title="Uitvoering 2026")
    return plan, PartnerOrganisationFactory(name="Welzijn Tilburg")


def measure(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_wijk_and_wijkagenda_pages_stay_small_with_5000_actions(client, agenda_plan):
    plan, organisation = agenda_plan
    add_actions(plan, organisation, 0, 5)
    small = {url: measure(client, url) for url in PAGES}

    add_actions(plan, organisation, 5, 5000)
    large = {url: measure(client, url) for url in PAGES}

    for url in PAGES:
        queries_small, size_small = small[url]
        queries_large, size_large = large[url]
        assert queries_large == queries_small, url
        assert size_large <= MAX_HTML, (url, size_large)
        assert size_small <= MAX_HTML, (url, size_small)


def shown_plans(response) -> list[Plan]:
    """The plans on the wijk page (of its one agenda) or on the wijkagenda page."""
    if "plans" in response.context:
        return response.context["plans"]
    [(agenda, _content)] = response.context["agendas"]
    return list(agenda.plans.all())


@pytest.mark.parametrize("url", PAGES)
def test_wijk_and_wijkagenda_pages_show_the_first_actions_and_link_to_all(client, agenda_plan, url):
    plan, organisation = agenda_plan
    add_actions(plan, organisation, 0, 25)

    response = client.get(url)

    [shown] = shown_plans(response)
    # The first ten by due date: action N is due N days after 1 January.
    assert [action.title for action in shown.first_actions] == [
        f"Actie {number:04}" for number in range(ACTIONS_SHOWN_PER_PLAN)
    ]
    assert texts_of(response, "more-actions") == ["All 25 actions of Uitvoering 2026"]
    assert (
        f'<p class="more-actions"><a class="utrecht-link utrecht-link--html-a" '
        f'href="/plannen/{plan.pk}/acties/">'
    ) in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_wijk_and_wijkagenda_pages_link_no_list_when_all_actions_show(client, agenda_plan, url):
    plan, organisation = agenda_plan
    add_actions(plan, organisation, 0, ACTIONS_SHOWN_PER_PLAN)

    response = client.get(url)

    [shown] = shown_plans(response)
    assert len(shown.first_actions) == ACTIONS_SHOWN_PER_PLAN
    assert texts_of(response, "more-actions") == []


def test_wijkagenda_page_shows_the_latest_results_and_says_there_are_more(client, agenda_plan):
    plan, organisation = agenda_plan
    add_actions(plan, organisation, 0, 60)  # 20 done, each with a result update
    Action.objects.filter(plan=plan).update(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Action.objects.filter(plan=plan, title="Actie 0033").update(
        updated_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    )

    response = client.get("/wijkagendas/heikant-agenda/")

    done = [action.title for action in response.context["done_actions"]]
    assert len(done) == 10
    assert done[0] == "Actie 0033"
    assert len(response.context["result_updates"]) == 10
    assert texts_of(response, "more-results") == [
        "These are the latest results. Each plan's full list of actions shows them all."
    ]


def test_wijkagenda_page_says_nothing_more_when_all_results_show(client, agenda_plan):
    plan, organisation = agenda_plan
    add_actions(plan, organisation, 0, 30)  # 10 done, each with a result update

    response = client.get("/wijkagendas/heikant-agenda/")

    assert len(response.context["done_actions"]) == 10
    assert len(response.context["result_updates"]) == 10
    assert texts_of(response, "more-results") == []


def publish_versions(plan: Plan, count: int) -> None:
    """`count` more published versions of the plan's agenda, each renaming its one item."""
    agenda = plan.wijkagenda
    item = agenda.items.get()
    for _ in range(count):
        item.title = f"Ambitie na versie {agenda.versions.count()}"
        item.save()
        agenda.publish(by=None)


def test_wijkagenda_page_keeps_its_queries_with_many_versions_and_proposals(client, agenda_plan):
    plan, _organisation = agenda_plan
    heikant = plan.wijkagenda.wijken.get()
    publish_versions(plan, 1)
    ProposalFactory.create_batch(2, gebiedsteam=plan.wijkagenda.gebiedsteam, wijken=[heikant])
    queries_small, size_small = measure(client, "/wijkagendas/heikant-agenda/")

    publish_versions(plan, 30)
    ProposalFactory.create_batch(30, gebiedsteam=plan.wijkagenda.gebiedsteam, wijken=[heikant])
    pagecache.bump_now()
    queries_large, size_large = measure(client, "/wijkagendas/heikant-agenda/")

    assert queries_large == queries_small
    assert size_large <= MAX_HTML


def test_wijkagenda_page_shows_the_newest_versions_and_links_to_all(client, agenda_plan):
    plan, _organisation = agenda_plan
    publish_versions(plan, 11)  # versions 2 to 12

    response = client.get("/wijkagendas/heikant-agenda/")

    assert [entry.version.number for entry in response.context["changelog"]] == [12, 11, 10, 9, 8]
    assert [change.title for change in response.context["changelog"][-1].changes] == [
        "Ambitie na versie 7"
    ]
    assert 'href="/wijkagendas/heikant-agenda/versies/"' in response.content.decode()


def test_wijkagenda_page_links_no_changelog_when_all_versions_show(client, agenda_plan):
    plan, _organisation = agenda_plan
    publish_versions(plan, 4)  # versions 2 to 5

    response = client.get("/wijkagendas/heikant-agenda/")

    assert [entry.version.number for entry in response.context["changelog"]] == [5, 4, 3, 2, 1]
    assert response.context["changelog"][-1].changes is None
    assert "/wijkagendas/heikant-agenda/versies/" not in response.content.decode()


def test_changelog_page_lists_every_version_a_page_at_a_time(client, agenda_plan):
    plan, _organisation = agenda_plan
    publish_versions(plan, 11)  # versions 2 to 12

    first = client.get("/wijkagendas/heikant-agenda/versies/")
    second = client.get("/wijkagendas/heikant-agenda/versies/", {"page": 2})

    assert [entry.version.number for entry in first.context["changelog"]] == list(range(12, 2, -1))
    # The oldest on the first page is compared with the newest on the second.
    assert [change.title for change in first.context["changelog"][-1].changes] == [
        "Ambitie na versie 2"
    ]
    assert [entry.version.number for entry in second.context["changelog"]] == [2, 1]
    assert second.context["changelog"][-1].changes is None
    assert "12 published versions" in first.content.decode()


def test_wijkagenda_page_shows_ten_open_proposals_and_links_to_all(client, agenda_plan):
    plan, _organisation = agenda_plan
    heikant = plan.wijkagenda.wijken.get()
    ProposalFactory.create_batch(11, gebiedsteam=plan.wijkagenda.gebiedsteam, wijken=[heikant])

    response = client.get("/wijkagendas/heikant-agenda/")

    assert len(response.context["proposals"]) == 10
    assert texts_of(response, "more-proposals") == ["All proposals in Heikant"]
