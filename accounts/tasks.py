"""Tasks of the accounts app: sending the outbox's mails, writing the digests, and the
nightly pruning (accounts.retention).

The outbox's `send_mail` (in accounts/outbox.py) sends one mail right after the transaction
that wrote it commits; `send_outbox` here runs every minute and when a worker starts, and
sends whatever is due that nobody holds (a mail whose task was lost while the broker was
down, a retry). Neither raises on a mail server failure: the outbox records it and tries
again later.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from accounts import digests, emails, outbox, retention
from accounts.models import User

logger = logging.getLogger(__name__)


@shared_task(name="accounts.send_outbox")
def send_outbox() -> dict[str, int]:
    counts = outbox.send_due()
    if any(counts.values()):
        logger.info("Outbox sweep: %s", counts)
    return counts


@worker_ready.connect
def _send_outbox_when_a_worker_starts(**kwargs: Any) -> None:
    """A worker that starts after an outage sends what waited, without waiting for beat."""
    try:
        send_outbox.delay()
    except Exception:  # the broker went away again; beat's sweep follows
        logger.warning("Could not queue the outbox sweep at worker start.", exc_info=True)


@shared_task(name="accounts.queue_digests")
def queue_digests(*, frequency: str) -> list[int]:
    """Write one digest for each user with news for a `frequency` digest into the outbox;
    returns the ids of the users who got one. Each digest is its own transaction."""
    written = []
    for user in User.objects.filter(
        pk__in=digests.users_due_for_digest(frequency), is_active=True
    ).order_by("pk"):
        if emails.write_digest(user=user, frequency=frequency):
            written.append(user.pk)
    return written


@shared_task(name="accounts.prune_expired_sessions")
def prune_expired_sessions() -> int:
    deleted = retention.prune_expired_sessions()
    logger.info("Deleted %s expired session(s).", deleted)
    return deleted


@shared_task(name="accounts.prune_read_notifications")
def prune_read_notifications() -> int:
    deleted = retention.prune_read_notifications()
    logger.info("Deleted %s old read notification(s).", deleted)
    return deleted


@shared_task(name="accounts.prune_sent_mails")
def prune_sent_mails() -> int:
    deleted = retention.prune_sent_mails()
    logger.info("Deleted %s old sent mail(s) from the outbox.", deleted)
    return deleted


@shared_task(name="accounts.prune_unconfirmed_residents")
def prune_unconfirmed_residents() -> int:
    deleted = retention.prune_unconfirmed_residents()
    logger.info("Deleted %s resident account(s) never confirmed.", deleted)
    return deleted
