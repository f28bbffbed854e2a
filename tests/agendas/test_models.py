from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from agendas.models import Action, ActionQuerySet, AgendaItem, ChangeRecord, Vision, Wijkagenda
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    ChangeRecordFactory,
    PlanFactory,
    VisionFactory,
    WijkagendaFactory,
)

pytestmark = pytest.mark.django_db


def test_wijkagenda_visible_to_anonymous_is_published_only(gebiedsteam):
    published = WijkagendaFactory(gebiedsteam=gebiedsteam)
    WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)

    assert list(Wijkagenda.objects.visible_to(AnonymousUser())) == [published]


def test_wijkagenda_visible_to_team_includes_own_drafts_only(
    gebiedsteam, other_gebiedsteam, team_member
):
    published = WijkagendaFactory(gebiedsteam=other_gebiedsteam, title="A")
    own_draft = WijkagendaFactory(
        gebiedsteam=gebiedsteam, status="draft", published_at=None, title="B"
    )
    WijkagendaFactory(gebiedsteam=other_gebiedsteam, status="draft", published_at=None, title="C")

    assert list(Wijkagenda.objects.visible_to(team_member)) == [published, own_draft]


def test_wijkagenda_visible_to_staff_is_everything(gebiedsteam, staff):
    WijkagendaFactory(gebiedsteam=gebiedsteam)
    WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)

    assert Wijkagenda.objects.visible_to(staff).count() == 2


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", {"is_draft": True, "is_archived": False, "is_public": False}),
        ("published", {"is_draft": False, "is_archived": False, "is_public": True}),
        ("archived", {"is_draft": False, "is_archived": True, "is_public": True}),
    ],
)
def test_wijkagenda_status_properties(status, expected):
    agenda = Wijkagenda(status=status)

    assert {name: getattr(agenda, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("status", "expected"), [("draft", False), ("published", True), ("archived", False)]
)
def test_vision_is_published_only_while_in_force(status, expected):
    assert Vision(status=status).is_published is expected


def test_wijkagenda_publish_keeps_a_version_with_the_items(gebiedsteam, team_member):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)
    item = AgendaItemFactory(wijkagenda=agenda, title="Meer groen op het plein")

    version = agenda.publish(by=team_member, change_summary="Eerste versie")
    second = agenda.publish(by=team_member)

    agenda.refresh_from_db()
    assert (agenda.status, agenda.version, version.number, second.number) == ("published", 2, 1, 2)
    assert version.snapshot["items"] == [
        {
            "id": item.pk,
            "theme": {
                "name": item.theme.name,
                "slug": item.theme.slug,
                "position": item.theme.position,
                "colour": item.theme.colour,
            },
            "kind": "ambition",
            "title": "Meer groen op het plein",
            "description": "",
            "lead_organisation": None,
            "position": item.position,
        }
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("progress", 101), ("due_date", dt.date(2020, 1, 1)), ("latitude", 95.0)],
)
def test_action_constraints_refuse_bad_values(field, value):
    action = ActionFactory(longitude=5.08, latitude=51.56)
    setattr(action, field, value)

    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()

    assert Action.objects.get(pk=action.pk).progress == 40


def actions_in_every_state(today: dt.date) -> list[Action]:
    """One action for each status and due date: none, yesterday, today and tomorrow."""
    plan = PlanFactory()
    due_dates = [None, *(today + dt.timedelta(days=days) for days in (-1, 0, 1))]
    return [
        ActionFactory(plan=plan, status=status, start_date=None, due_date=due_date)
        for status in Action.Status
        for due_date in due_dates
    ]


def test_action_open_filter_agrees_with_is_open():
    actions = actions_in_every_state(timezone.localdate())

    open_actions = {action for action in actions if action.is_open}
    assert set(Action.objects.open()) == open_actions
    assert {action.status for action in open_actions} == {"planned", "in_progress", "delayed"}


def test_action_overdue_filter_agrees_with_is_overdue():
    today = timezone.localdate()
    actions = actions_in_every_state(today)

    overdue = {action for action in actions if action.is_overdue}
    assert set(Action.objects.overdue()) == overdue
    assert sorted((action.status, action.due_date) for action in overdue) == [
        ("delayed", today - dt.timedelta(days=1)),
        ("in_progress", today - dt.timedelta(days=1)),
        ("planned", today - dt.timedelta(days=1)),
    ]


def test_action_stalled_counts_from_the_last_update_or_else_from_creation():
    now = timezone.now()
    long_ago, lately = now - dt.timedelta(weeks=6, days=1), now - dt.timedelta(weeks=5)
    plan = PlanFactory()
    updated_long_ago = ActionFactory(plan=plan, last_progress_at=long_ago, created_at=long_ago)
    ActionFactory(plan=plan, last_progress_at=lately, created_at=long_ago)
    never_updated = ActionFactory(plan=plan, last_progress_at=None, created_at=long_ago)
    ActionFactory(plan=plan, last_progress_at=None, created_at=lately)
    ActionFactory(plan=plan, status="done", last_progress_at=long_ago, created_at=long_ago)

    assert set(Action.objects.stalled(6, now=now)) == {updated_long_ago, never_updated}


def test_action_conditions_count_in_an_aggregate_as_the_filters_do():
    today, now = timezone.localdate(), timezone.now()
    long_ago = now - dt.timedelta(weeks=7)
    actions_in_every_state(today)
    plan = PlanFactory()
    ActionFactory(plan=plan, due_date=None, last_progress_at=long_ago, created_at=long_ago)
    ActionFactory(plan=plan, due_date=today - dt.timedelta(days=3), last_progress_at=long_ago)

    counts = Action.objects.aggregate(
        overdue=Count("pk", filter=ActionQuerySet.overdue_condition(today)),
        stalled=Count("pk", filter=ActionQuerySet.stalled_condition(6, now)),
    )

    assert counts == {
        "overdue": Action.objects.overdue(today).count(),
        "stalled": Action.objects.stalled(6, now).count(),
    }
    assert counts == {"overdue": 4, "stalled": 2}


def test_action_active_between_keeps_the_actions_that_ran_in_the_period():
    plan = PlanFactory()
    may = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    june = dt.datetime(2025, 6, 1, tzinfo=timezone.get_current_timezone())

    def action(title: str, **fields: object) -> Action:
        fields.setdefault("start_date", dt.date(2025, 4, 1))
        return ActionFactory(plan=plan, title=title, **fields)

    action("due in June", due_date=dt.date(2025, 6, 30))
    action("started in June", start_date=dt.date(2025, 6, 1), due_date=dt.date(2025, 6, 30))
    action("created in May", start_date=None, created_at=june - dt.timedelta(seconds=1))
    action("created in June", start_date=None, created_at=june)
    action("done in April", status="done", due_date=dt.date(2025, 4, 30))
    action("done on the first", status="done", due_date=dt.date(2025, 5, 1))
    action("late since April", status="delayed", due_date=dt.date(2025, 4, 30))
    action("stopped in April", status="stopped", due_date=dt.date(2025, 4, 30))
    action("without a due date", due_date=None)

    assert sorted(Action.objects.active_between(*may).values_list("title", flat=True)) == [
        "created in May",
        "done on the first",
        "due in June",
        "late since April",
        "without a due date",
    ]


def test_vision_not_archived_keeps_drafts_and_the_published_vision():
    draft, published = VisionFactory(status="draft"), VisionFactory(status="published")
    VisionFactory(status="archived")

    assert set(Vision.objects.not_archived()) == {draft, published}


def test_change_records_since_a_moment_leave_out_what_came_before():
    old, new = ChangeRecordFactory(), ChangeRecordFactory()
    ChangeRecord.objects.filter(pk=old.pk).update(created_at=new.created_at - dt.timedelta(1))

    assert list(ChangeRecord.objects.since(new.created_at - dt.timedelta(seconds=1))) == [new]


def test_agenda_items_for_a_theme():
    item = AgendaItemFactory()
    AgendaItemFactory(wijkagenda=item.wijkagenda)

    assert list(AgendaItem.objects.for_theme(item.theme)) == [item]
