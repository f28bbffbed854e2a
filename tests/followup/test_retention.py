"""Retention of reminders: old sent reminders are pruned, never in a way that lets a sweep
record and send one again (followup.services.retention)."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agendas.models import Action
from followup.models import Reminder
from followup.services import reminders, retention
from followup.sweeps import prune_sent_reminders
from tests.factories import (
    ActionFactory,
    MeetingFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

Kind = Reminder.Kind
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _a_year(settings) -> None:
    settings.WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS = 365


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(name: str, at: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.run_sweep(name, now=at)

    return run


def reminder(*, sent: dt.datetime | None, due: dt.datetime, kind: str = Kind.MEETING_SOON):
    subject = MeetingFactory()
    return Reminder.objects.create(
        kind=kind,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        recipient_email=f"r{subject.pk}@example.org",
        due_moment=due,
        sent_at=sent,
    ).pk


def test_sent_reminders_sent_and_due_before_the_period_go(now) -> None:
    gone = reminder(sent=now - 366 * DAY, due=now - 366 * DAY)
    kept = {
        reminder(sent=now - 364 * DAY, due=now - 366 * DAY),  # sent inside the period
        reminder(sent=now - 366 * DAY, due=now - 364 * DAY),  # due inside the period
        reminder(sent=None, due=now - 1000 * DAY),  # never sent
        reminder(sent=now - DAY, due=now),
    }

    assert retention.prune_sent_reminders(now=now) == 1
    assert set(Reminder.objects.values_list("pk", flat=True)) == kept
    assert not Reminder.objects.filter(pk=gone).exists()


def test_the_batches_delete_all_of_a_large_backlog(now) -> None:
    for __ in range(7):
        reminder(sent=now - 400 * DAY, due=now - 400 * DAY)

    assert retention.prune_sent_reminders(now=now, batch_size=3) == 7
    assert not Reminder.objects.exists()


def sent_back_then(moment: dt.datetime) -> None:
    """The send task stamps the real time; move the sending to when the sweep ran."""
    Reminder.objects.exclude(sent_at=None).update(sent_at=moment)


def overdue_action(now: dt.datetime, *, days: int) -> Action:
    org = PartnerOrganisationFactory()
    OrganisationMembershipFactory(user=UserFactory(email="staf@laat.nl"), organisation=org)
    return ActionFactory(
        owner_organisation=org,
        due_date=timezone.localdate(now) - dt.timedelta(days=days),
        contact_email="",
        last_progress_at=now,
    )


def test_a_reminder_of_a_subject_still_due_is_kept_and_not_sent_again(
    now, sweep, mailoutbox
) -> None:
    """An action overdue for 400 days: its sent reminder is past the period on both counts,
    but the overdue sweep still finds it due with that due moment, so deleting it would send
    it again."""
    action = overdue_action(now, days=400)
    sweep(Kind.ACTION_OVERDUE, now - 399 * DAY)
    sent_back_then(now - 399 * DAY)
    assert len(mailoutbox) == 1

    assert retention.prune_sent_reminders(now=now) == 0
    assert sweep(Kind.ACTION_OVERDUE, now) == 0
    assert sweep(Kind.ACTION_OVERDUE, now + DAY) == 0
    assert len(mailoutbox) == 1
    assert Reminder.objects.filter(object_id=action.pk).count() == 1


def test_once_the_subject_is_no_longer_due_it_goes_and_nothing_is_sent_again(
    now, sweep, mailoutbox
) -> None:
    action = overdue_action(now, days=400)
    sweep(Kind.ACTION_OVERDUE, now - 399 * DAY)
    sent_back_then(now - 399 * DAY)
    action.status = Action.Status.DONE
    action.save()

    assert retention.prune_sent_reminders(now=now) == 1
    assert sweep(Kind.ACTION_OVERDUE, now) == 0
    assert len(mailoutbox) == 1
    assert not Reminder.objects.exists()


def test_pruning_never_makes_a_sweep_send_again(now, sweep, mailoutbox) -> None:
    """Every kind sent once 400 days ago; the sweeps run now (sending what is newly due), the
    old reminders are pruned, and the sweeps that run after it send nothing again."""
    from tests.followup.test_reminders import build_world

    then = now - 400 * DAY
    build_world(then)
    for name in reminders.SWEEPS:
        sweep(name, then)
    sent_back_then(then)
    old = Reminder.objects.count()
    for name in reminders.SWEEPS:
        sweep(name, now)
    sent = len(mailoutbox)

    deleted = retention.prune_sent_reminders(now=now)
    again = [sweep(name, at) for at in (now, now + DAY) for name in reminders.SWEEPS]

    assert 0 < deleted < old  # the ones no longer due went, the overdue ones stayed
    assert set(again) == {0}
    assert len(mailoutbox) == sent


def test_the_task_returns_how_many_it_deleted_and_is_scheduled_nightly(now, settings) -> None:
    reminder(sent=now - 400 * DAY, due=now - 400 * DAY)

    assert prune_sent_reminders.delay().get() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["prune-reminders"]
    assert entry["task"] == "followup.prune_sent_reminders"
    assert entry["task"] in current_app.tasks
    assert entry["schedule"].hour == {3}
    assert entry["schedule"].day_of_week == set(range(7))
