"""Retention: expired sessions and old read notifications are pruned nightly, in batches;
sessions still valid and unread notifications are kept."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import retention, tasks
from accounts.models import Notification, User
from areas.models import Residence
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def session(expires: dt.datetime) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    assert store.session_key is not None
    return store.session_key


def notification(*, made: dt.datetime, read: bool):
    made_one = NotificationFactory(read_at=made if read else None)
    Notification.objects.filter(pk=made_one.pk).update(created_at=made)
    return made_one.pk


def test_expired_sessions_go_and_valid_ones_stay() -> None:
    now = timezone.now()
    expired = [session(now - dt.timedelta(seconds=1)), session(now - 30 * DAY)]
    valid = session(now + dt.timedelta(minutes=1))

    assert retention.prune_expired_sessions(now=now) == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == [valid]
    assert not Session.objects.filter(session_key__in=expired).exists()
    assert retention.prune_expired_sessions(now=now) == 0


def test_read_notifications_older_than_the_period_go_unread_ones_stay(settings) -> None:
    settings.WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS = 180
    now = timezone.now()
    outside = now - 181 * DAY
    inside = now - 179 * DAY
    gone = notification(made=outside, read=True)
    kept = {
        notification(made=inside, read=True),
        notification(made=outside, read=False),  # unread: kept however old
        notification(made=now - 1000 * DAY, read=False),
        notification(made=now, read=True),
    }

    assert retention.prune_read_notifications(now=now) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == kept
    assert not Notification.objects.filter(pk=gone).exists()


def test_the_batched_delete_deletes_all_of_a_large_backlog() -> None:
    old = timezone.now() - 400 * DAY
    for __ in range(7):
        notification(made=old, read=True)
    notification(made=old, read=False)

    assert (
        retention.delete_in_batches(Notification.objects.exclude(read_at=None), batch_size=3) == 7
    )
    assert Notification.objects.count() == 1


def test_the_tasks_return_how_many_they_deleted(settings) -> None:
    settings.WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS = 10
    now = timezone.now()
    notification(made=now - 11 * DAY, read=True)
    session(now - DAY)
    session(now - DAY)

    assert tasks.prune_read_notifications.delay().get() == 1
    assert tasks.prune_expired_sessions.delay().get() == 2


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ("prune-sessions", "accounts.prune_expired_sessions"),
        ("prune-notifications", "accounts.prune_read_notifications"),
        ("prune-unconfirmed-residents", "accounts.prune_unconfirmed_residents"),
    ],
)
def test_the_beat_schedule_prunes_nightly_at_a_quiet_hour(settings, entry, task) -> None:
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]

    assert scheduled["task"] == task
    assert task in current_app.tasks
    assert scheduled["schedule"].hour == {3}
    assert scheduled["schedule"].day_of_week == set(range(7))


def test_resident_accounts_never_confirmed_go_after_a_week(wijk) -> None:
    now = timezone.now()

    def resident(email: str, *, joined: dt.datetime, **fields: object) -> User:
        return User.objects.create_user(
            email, "x", is_resident=True, date_joined=joined, **{"is_active": False, **fields}
        )

    old = resident("oud@example.org", joined=now - 8 * DAY)
    Residence.objects.create(user=old, wijk=wijk)
    fresh = resident("nieuw@example.org", joined=now - 6 * DAY)
    confirmed = resident(
        "bevestigd@example.org", joined=now - 30 * DAY, is_active=True, email_confirmed_at=now
    )
    deactivated = resident(
        "uitgezet@example.org", joined=now - 30 * DAY, email_confirmed_at=now - 20 * DAY
    )
    invited = User.objects.create_user("team@example.org", "x", is_active=False)
    User.objects.filter(pk=invited.pk).update(date_joined=now - 30 * DAY)

    assert tasks.prune_unconfirmed_residents.delay().get() == 1

    assert sorted(User.objects.values_list("pk", flat=True)) == sorted(
        [fresh.pk, confirmed.pk, deactivated.pk, invited.pk]
    )
    assert Residence.objects.count() == 0
