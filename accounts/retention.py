"""Retention: what the portal stops keeping after a while (expired sessions, old read
notifications, sent mails of the outbox, resident accounts never confirmed), and the batched
delete that the other apps' retention jobs use too.

A retention job deletes in batches of BATCH_SIZE rows by primary key, each batch its own
statement outside any transaction, so a large backlog never holds locks on a table for long
and a job stopped halfway keeps what it deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from accounts.models import Notification, OutgoingMail, User

BATCH_SIZE = 1000
# A resident account whose address was never confirmed is deleted this many days after the
# sign-up: long enough to ask for a new link when the first expired, short enough that an
# address someone else typed in is not kept (the privacy statement says so).
UNCONFIRMED_DAYS = 7


def delete_in_batches(queryset: models.QuerySet[Any], *, batch_size: int = BATCH_SIZE) -> int:
    """Delete the rows of `queryset` in batches by pk; returns how many of its rows went.

    Each batch is deleted through the same filter, so a row that stopped matching between
    the select and the delete (a notification marked unread again, say) is kept.
    """
    label = queryset.model._meta.label
    deleted = 0
    while pks := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        __, per_model = queryset.filter(pk__in=pks).delete()
        deleted += per_model.get(label, 0)
        if len(pks) < batch_size:
            break
    return deleted


def prune_expired_sessions(*, now: dt.datetime | None = None) -> int:
    """Delete the database sessions that expired (what `clearsessions` does, in batches)."""
    return delete_in_batches(Session.objects.filter(expire_date__lt=now or timezone.now()))


def prune_read_notifications(*, now: dt.datetime | None = None) -> int:
    """Delete the read notifications made more than WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS
    ago. Unread ones are kept however old: they are the ones the recipient has not seen, and
    the only ones a digest still sends (NotificationQuerySet.due_for_digest), so deleting
    read ones never takes news out of a digest."""
    cutoff = (now or timezone.now()) - dt.timedelta(
        days=settings.WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS
    )
    return delete_in_batches(
        Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff)
    )


def prune_sent_mails(*, now: dt.datetime | None = None) -> int:
    """Delete the outbox's sent and withdrawn mails made more than
    WIJKPORTAAL_KEEP_SENT_MAILS_DAYS ago. Waiting mails are never deleted, and mails that
    failed for good stay until the functional administrator has seen them (and deletes
    them in the admin)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.WIJKPORTAAL_KEEP_SENT_MAILS_DAYS)
    done = models.Q(sent_at__isnull=False) | models.Q(withdrawn_at__isnull=False)
    return delete_in_batches(OutgoingMail.objects.filter(done, created_at__lt=cutoff))


def prune_unconfirmed_residents(*, now: dt.datetime | None = None) -> int:
    """Delete the resident accounts never confirmed, UNCONFIRMED_DAYS after they signed up;
    the wijk they gave goes with them. An account deactivated by the functional
    administrator is not one of them (it was confirmed, or is no resident's)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=UNCONFIRMED_DAYS)
    return delete_in_batches(
        User.objects.filter(
            is_resident=True, is_active=False, email_confirmed_at=None, date_joined__lt=cutoff
        )
    )
