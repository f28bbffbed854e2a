"""Sending a reminder: claimed, written in the portal's language, put in the outbox.

The send task (`followup.tasks.send_reminder`) calls `deliver`; finding and queueing what is
due is `followup.services.reminders`, which documents how a reminder is never lost. The
mail itself is the outbox's (accounts/outbox.py): it is written in the same transaction that
marks the reminder sent, and the outbox delivers it with its own retries.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import outbox
from accounts.models import Notification, NotificationPreference, OutgoingMail
from accounts.notifications import notify
from accounts.visibility import can_see
from followup.models import Reminder
from meetings.models import Meeting
from participation.models import Advice

logger = logging.getLogger(__name__)


class HasPage(Protocol):
    """What every reminder's subject has: a page of its own."""

    def get_absolute_url(self) -> str: ...


Kind = Reminder.Kind


def retry_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.WIJKPORTAAL_REMINDER_RETRY_MINUTES)


def claim(reminder_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take the reminder for sending; False if it is sent or a live worker holds it."""
    now = now or timezone.now()
    return bool(
        Reminder.objects.filter(pk=reminder_id)
        .claimable(now=now, retry_after=retry_after())
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def _subject_of(reminder: Reminder) -> models.Model | None:
    model = reminder.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=reminder.object_id).first()


def _item(subject: models.Model) -> tuple[str, str]:
    """Title and path of the page about the subject."""
    if isinstance(subject, Advice):
        return subject.proposal.title, subject.proposal.get_absolute_url()
    if isinstance(subject, Meeting):
        path = reverse("portal:gebiedsteam-detail", kwargs={"slug": subject.gebiedsteam.slug})
        return subject.title, path
    return str(subject), cast(HasPage, subject).get_absolute_url()


def subject_line(kind: str, title: str) -> str:
    lines: dict[str, str] = {
        Kind.ACTION_DUE_SOON: _("Reminder: the action “%(title)s” is due soon"),
        Kind.ACTION_OVERDUE: _("The action “%(title)s” is overdue"),
        Kind.ACTION_STALLED: _("No progress update for the action “%(title)s”"),
        Kind.PROPOSAL_CLOSING: _("Comment period for “%(title)s” closes soon"),
        Kind.ADVICE_DEADLINE: _("Advice deadline for “%(title)s” is coming up"),
        Kind.PROPOSAL_UNDECIDED: _("No decision yet on “%(title)s”"),
        Kind.ADVICE_UNANSWERED: _("Advice on “%(title)s” is awaiting a response"),
        Kind.AGENDA_REVIEW: _("The wijkagenda “%(title)s” is due for review"),
        Kind.MEETING_SOON: _("Meeting soon: “%(title)s”"),
        Kind.INITIATIVE_WAITING: _("The initiative “%(title)s” is waiting for an answer"),
    }
    return lines[kind] % {"title": title}


def compose(reminder: Reminder, subject: models.Model) -> tuple[str, str, str]:
    """The reminder's e-mail in the portal's language: its subject line, text and HTML."""
    base = settings.WIJKPORTAAL_BASE_URL
    with translation.override(settings.LANGUAGE_CODE):
        title, path = _item(subject)
        context = {
            "reminder": reminder,
            "subject": subject,
            "item_title": title,
            "item_url": base + path,
            "base_url": base,
            "notifications_path": reverse("accounts:notification-list"),
            "recipient_name": reminder.recipient.full_name if reminder.recipient else "",
            "stalled_weeks": settings.WIJKPORTAAL_STALLED_WEEKS,
            "language": settings.LANGUAGE_CODE,
        }
        text = render_to_string(f"followup/email/reminder_{reminder.kind}.txt", context)
        html = render_to_string(f"followup/email/reminder_{reminder.kind}.html", context)
        return subject_line(reminder.kind, title), text, html


def _wants_email(reminder: Reminder) -> bool:
    if reminder.recipient_id is None:
        return True
    return not NotificationPreference.objects.filter(
        user_id=reminder.recipient_id,
        kind=Notification.Kind.REMINDER,
        frequency=NotificationPreference.Frequency.OFF,
    ).exists()


def deliver(*, reminder: Reminder) -> bool:
    """Claim one reminder, write its e-mail to the outbox and record it sent, with its
    in-app notification, in one transaction; True if this call did so.

    Of two workers that hold a claim (one took over a claim it thought lost) only the one
    that marks the reminder sent writes the mail: the mark is a conditional UPDATE.
    """
    if not claim(reminder.pk):
        logger.info("Reminder %s is sent or being sent; nothing to do.", reminder.pk)
        return False
    subject = _subject_of(reminder)
    if subject is None:
        logger.info("The subject of reminder %s is gone; reminder deleted.", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).delete()
        return False
    if not can_see(reminder.recipient, subject):
        # Closed or back to draft since the sweep: not a word of it to this recipient. The
        # next sweep records the reminder again should they be able to see it once more.
        logger.info("The recipient of reminder %s may not see its subject; dropped.", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).delete()
        return False
    subject_text, text, html = compose(reminder, subject)
    with transaction.atomic():
        if not Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(sent_at=timezone.now()):
            logger.info("Reminder %s was sent by another worker meanwhile.", reminder.pk)
            return False
        if _wants_email(reminder):
            outbox.put(
                kind=OutgoingMail.Kind.REMINDER,
                to=reminder.recipient_email,
                subject=subject_text,
                text=text,
                html=html,
            )
        if reminder.recipient_id:
            notify(
                recipients=[reminder.recipient_id],
                kind=Notification.Kind.REMINDER,
                title=subject_text,
                url=_item(subject)[1],
                email=False,  # this reminder is the e-mail
                subject=subject,
            )
    return True
