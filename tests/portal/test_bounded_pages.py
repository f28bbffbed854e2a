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
        ProgressUpdate(action=action, text="Een resultaat onderweg.", status="done", progress=100)
        for action in Action.objects.for_plan(plan).done().filter(title__gte=f"Actie {start:04}")
    )
    ProgressUpdate.objects.filter(action__plan=plan).update(is_result=True)
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
