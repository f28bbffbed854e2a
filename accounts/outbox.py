"""The outbox: every e-mail of the portal is a row before it is a message.

Whoever decides that a mail is due (an invitation, a password reset, a notification, a
digest, a reminder) writes it here with `put`, in the transaction of the event that causes
it; nothing is sent until that transaction commits, and nothing is lost when the broker or
the mail server is away:

- after commit a send task is queued for the new row (`accounts.send_mail`); if the broker
  is down that queueing fails quietly (wijkportaal.celery),
- every minute, and when a worker starts, a sweep (`accounts.send_outbox`) sends whatever is
  due that no live sender holds: rows whose task was lost, and retries,
- a failed attempt is tried again after a growing pause (1, 2, 4 … minutes, at most
  WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES), until WIJKPORTAAL_MAIL_RETRY_HOURS (48) after the
  mail was made; then it has failed for good, shows in the admin list and as a count on
  /status/ for the functional administrator, and an invitation can be sent again from
  there. A recipient address the server refuses outright fails at once.

Exactly once: a sender claims a row with a conditional UPDATE of `claimed_at` before it
talks to the mail server, and records `sent_at` right after the server accepted the mail. A
sender killed inside that exchange leaves a claim that expires after
WIJKPORTAAL_MAIL_CLAIM_SECONDS; the mail is then sent again, so the only duplicates are of
mails whose sender died between handing the mail over and recording it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Invitation, Notification, OutgoingMail
from accounts.visibility import visible_keys

logger = logging.getLogger(__name__)

Kind = OutgoingMail.Kind

# What a sender learns from a failed attempt.
SENT = "sent"
RETRY = "retry"
FAILED = "failed"
WITHDRAWN = "withdrawn"
NOT_CLAIMED = "not claimed"


def claim_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WIJKPORTAAL_MAIL_CLAIM_SECONDS)


def retry_period() -> dt.timedelta:
    return dt.timedelta(hours=settings.WIJKPORTAAL_MAIL_RETRY_HOURS)


def pause_after(attempts: int) -> dt.timedelta:
    """The pause before the next attempt after `attempts` failed ones: 1, 2, 4 … minutes."""
    minutes = min(2 ** max(attempts - 1, 0), settings.WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES)
    return dt.timedelta(minutes=minutes)


# --- Writing -------------------------------------------------------------------------------


def put(
    *,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    sensitive: bool = False,
    invitation: Invitation | None = None,
    notification: Notification | None = None,
) -> OutgoingMail:
    """Write one mail to the outbox; its send task is queued once the transaction commits."""
    (mail,) = put_many(
        [
            OutgoingMail(
                kind=kind,
                to=to,
                subject=subject,
                text=text,
                html=html,
                sensitive=sensitive,
                invitation=invitation,
                notification=notification,
            )
        ]
    )
    return mail


def put_many(mails: list[OutgoingMail]) -> list[OutgoingMail]:
    """Write these mails to the outbox in one query; each gets its send task after commit."""
    for mail in mails:
        mail.subject = " ".join(mail.subject.split())[:255]
    created = OutgoingMail.objects.bulk_create(mails)
    for mail in created:
        queue(mail.pk)
    return created


def queue(mail_id: int) -> None:
    """Queue the send task of one mail after commit (the sweep covers a lost one)."""
    send_mail.delay_on_commit(mail_id=mail_id)


# The outbox's own task lives here, not in accounts.tasks: that module writes digests into
# the outbox, so this one may not import it back. Every worker imports it through
# accounts.tasks.
@shared_task(name="accounts.send_mail")
def send_mail(*, mail_id: int) -> str:
    """Send one mail of the outbox, right after the transaction that wrote it commits."""
    return deliver(mail_id)


# --- Sending -------------------------------------------------------------------------------


def claim(mail_id: int, *, now: dt.datetime) -> bool:
    return bool(
        OutgoingMail.objects.filter(pk=mail_id)
        .due(now=now, claim_timeout=claim_timeout())
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def _message(mail: OutgoingMail, connection: BaseEmailBackend | None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [mail.to], connection=connection
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _still_visible(mail: OutgoingMail) -> bool:
    """A notification's mail goes only while its recipient may still see its subject."""
    notification = mail.notification
    if notification is None or notification.subject_type_id is None:
        return True
    key = (notification.subject_type_id, notification.subject_id)
    return key in visible_keys(notification.recipient, [key])


def _refused_for_good(error: Exception) -> bool:
    """The server refused the recipient with a permanent (5xx) answer: no retry helps."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return False


def _finish(mail: OutgoingMail, claim: dt.datetime, **fields: Any) -> None:
    """Record the outcome of this sender's attempt (only while its claim is the row's)."""
    if mail.sensitive and ("sent_at" in fields or "failed_at" in fields):
        fields.update(text="", html="")
    OutgoingMail.objects.filter(pk=mail.pk, claimed_at=claim).update(**fields)


def deliver(
    mail_id: int, *, now: dt.datetime | None = None, connection: BaseEmailBackend | None = None
) -> str:
    """Claim and send one mail; returns what became of it (SENT, RETRY, FAILED, WITHDRAWN or
    NOT_CLAIMED when it is not due or another sender holds it).

    Errors of the mail server are recorded on the row, never raised: the outbox retries.
    """
    now = now or timezone.now()
    if not claim(mail_id, now=now):
        return NOT_CLAIMED
    mail = OutgoingMail.objects.select_related("notification__recipient").get(pk=mail_id)
    if not _still_visible(mail):
        logger.info("Mail %s withdrawn: its recipient may no longer see its subject.", mail.pk)
        _finish(mail, now, withdrawn_at=now, claimed_at=None)
        return WITHDRAWN
    try:
        _message(mail, connection).send()
    except (smtplib.SMTPException, OSError) as error:
        # OSError covers refused connections and timeouts (socket.timeout, ConnectionError).
        description = f"{type(error).__name__}: {error}"[:2000]
        if _refused_for_good(error) or now - mail.created_at >= retry_period():
            logger.error(
                "Mail %s failed for good after %s attempt(s): %s",
                mail.pk,
                mail.attempts,
                description,
            )
            _finish(mail, now, failed_at=now, claimed_at=None, last_error=description)
            return FAILED
        logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, description)
        _finish(
            mail,
            now,
            claimed_at=None,
            next_attempt_at=now + pause_after(mail.attempts),
            last_error=description,
        )
        return RETRY
    _finish(mail, now, sent_at=timezone.now(), claimed_at=None)
    return SENT


def send_due(*, now: dt.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send what is due, oldest first, over one connection; returns a count per outcome.

    When the mail server cannot be reached the sweep stops at the first such failure: the
    rest waits for the next sweep rather than each costing a timeout.
    """
    now = now or timezone.now()
    limit = limit or settings.WIJKPORTAAL_MAIL_SWEEP_LIMIT
    due = list(
        OutgoingMail.objects.due(now=now, claim_timeout=claim_timeout())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {SENT: 0, RETRY: 0, FAILED: 0, WITHDRAWN: 0, NOT_CLAIMED: 0}
    if not due:
        return counts
    connection = get_connection(fail_silently=False)
    try:
        for mail_id in due:
            outcome = deliver(mail_id, now=now, connection=connection)
            counts[outcome] += 1
            if outcome == RETRY:
                break
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.warning("Closing the connection to the mail server failed.", exc_info=True)
    return counts


# --- For the functional administrator ------------------------------------------------------


def counts() -> dict[str, int]:
    """How many mails wait and how many failed for good (for /status/); two counts on
    partial indexes."""
    return {
        "waiting": OutgoingMail.objects.unsent().count(),
        "failed": OutgoingMail.objects.failed().count(),
    }


@transaction.atomic
def try_again(mail_ids: list[int]) -> int:
    """Give failed mails a new 48 hours (not invitations: `services.resend_invitation` makes
    a fresh link for those); returns how many."""
    now = timezone.now()
    ids = list(
        OutgoingMail.objects.failed()
        .exclude(sensitive=True)
        .filter(pk__in=mail_ids)
        .values_list("pk", flat=True)
    )
    OutgoingMail.objects.filter(pk__in=ids).update(
        failed_at=None, claimed_at=None, attempts=0, created_at=now, next_attempt_at=now
    )
    for mail_id in ids:
        queue(mail_id)
    return len(ids)
