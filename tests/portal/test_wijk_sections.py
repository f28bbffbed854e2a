"""The wijk page's sections are kept until what they read changes (web.sections): a change
shows on the next request, for anonymous visitors and for the team, and only the sections
that read what changed are rendered again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from agendas.services.actions import update_action
from areas.models import Wijk
from tests.factories import (
    ActionFactory,
    BuurtFactory,
    MeetingFactory,
    PlanFactory,
    WijkagendaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(gebiedsteam, wijk: Wijk):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Agenda Quirijnstok")
    return ActionFactory(plan=PlanFactory(wijkagenda=agenda), title="Bankjes plaatsen")


def meeting(wijk: Wijk, title: str, *, days: int) -> None:
    starts = timezone.now() + dt.timedelta(days=days)
    MeetingFactory(
        gebiedsteam=wijk.gebiedsteam, title=title, starts_at=starts, ends_at=starts
    ).wijken.set([wijk])


WATCHED = ("agendas_action", "meetings_meeting", "participation_initiative", "areas_buurt")


def tables_read(client: Client, url: str) -> tuple[str, set[str]]:
    """The page, and which of the tables above its queries read."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    read = {
        table
        for query in queries.captured_queries
        for table in WATCHED
        if f'"{table}"' in query["sql"]
    }
    return response.content.decode(), read


@pytest.mark.parametrize("who", ["anonymous", "team member"])
def test_an_edited_action_renders_the_sections_that_read_actions_and_no_other(
    client: Client, team_member: User, wijk: Wijk, action, who: str
) -> None:
    if who == "team member":
        client.force_login(team_member)
    url = wijk.get_absolute_url()
    meeting(wijk, "Wijkdialoog", days=3)
    _, first = tables_read(client, url)

    update_action(
        action=action,
        values={"title": "Bankjes en bomen plaatsen"},
        expected_revision=action.revision,
        by=team_member,
    )
    after_the_edit, read_after_the_edit = tables_read(client, url)
    meeting(wijk, "Buurtavond", days=4)
    after_a_meeting, read_after_a_meeting = tables_read(client, url)

    # The page around the sections (its buurten, map and wijkraden) is kept for anonymous
    # visitors; a signed-in person's shows their unread notifications, and is rendered.
    around = {"areas_buurt"} if who == "team member" else set()
    assert first == {"agendas_action", "meetings_meeting", "participation_initiative"} | {
        "areas_buurt"
    }
    assert "Bankjes en bomen plaatsen" in after_the_edit
    # The agenda, its results and "what happened with your input" read actions (the last
    # one reads initiatives too); the meetings and the initiatives' own list were kept.
    assert read_after_the_edit == {"agendas_action", "participation_initiative"} | around
    assert ("Wijkdialoog" in after_the_edit, "Buurtavond" in after_a_meeting) == (True, True)
    assert read_after_a_meeting == {"meetings_meeting"} | around


def test_a_new_buurt_renders_the_page_around_the_sections_and_no_section(
    client: Client, wijk: Wijk, action
) -> None:
    url = wijk.get_absolute_url()
    first, _ = tables_read(client, url)

    BuurtFactory(wijk=wijk, name="Tuindorp")
    after, read_after = tables_read(client, url)

    assert "Tuindorp" not in first
    assert "Tuindorp" in after
    assert read_after == {"areas_buurt"}


def test_an_edit_on_one_agenda_renders_that_agendas_plans_and_not_the_others(
    client: Client, gebiedsteam, team_member: User, wijk: Wijk, action
) -> None:
    other = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Dorpsagenda")
    ActionFactory(plan=PlanFactory(wijkagenda=other), title="Speeltuin opknappen")
    url = wijk.get_absolute_url()
    client.get(url)

    update_action(
        action=action,
        values={"title": "Bankjes en bomen plaatsen"},
        expected_revision=action.revision,
        by=team_member,
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    plans_read = [
        query["sql"] for query in queries.captured_queries if 'FROM "agendas_plan"' in query["sql"]
    ]
    assert ("Bankjes en bomen plaatsen" in page, "Speeltuin opknappen" in page) == (True, True)
    # One query of plans (with their number of actions), for the edited agenda only.
    assert len(plans_read) == 1
    assert f"IN ({action.plan.wijkagenda_id})" in plans_read[0]
