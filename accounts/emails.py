"""The portal's own e-mails: invitations, password resets, notifications and digests.

This is the sending side; the tasks in `accounts.tasks` call it, and the code that decides
that an e-mail is due (services, `notify`, the digest sweep) only queues those tasks.

Every e-mailed notification is claimed first by setting its `emailed_at` with a conditional
UPDATE (`emailed_at IS NULL`), so a re-run, a retry or a second worker never mails one twice;
when sending fails, the claim is cleared again so that the retry can take it. A digest whose
news was all taken meanwhile is not sent.

A notification is e-mailed only while its recipient may still see its subject (the
proposal, meeting or action it is about; `accounts.visibility`), checked at the moment of
sending: a proposal made council-only or a meeting closed since is not told. Such a
notification is claimed all the same, so that no later digest offers it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy

from accounts.models import Invitation, Notification, NotificationPreference, User
from accounts.purposes import describe_purpose
from accounts.visibility import visible_keys

logger = logging.getLogger(__name__)


def absolute(url: str) -> str:
    """An absolute link for an e-mail: site paths get the portal's base URL."""
    return f"{settings.WIJKPORTAAL_BASE_URL}{url}" if url.startswith("/") else url


def _settings_url() -> str:
    return absolute(reverse("accounts:notification-settings"))


def _item(notification: Notification) -> dict[str, object]:
    url = notification.url or reverse("accounts:notification-list")
    return {"notification": notification, "url": absolute(url)}


def _send(*, to: str, subject: str | Promise, template: str, context: dict[str, object]) -> None:
    context = {
        **context,
        "settings_url": _settings_url(),
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
    }
    # In the portal's language, also when queued from a request in another language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
        text = render_to_string(f"accounts/email/{template}.txt", context)
        html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, None, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def still_visible(notifications: list[Notification], user: User) -> list[Notification]:
    """Those of `notifications` (all of `user`) whose subject `user` may still see, or that
    have none; one query per kind of subject."""
    keys = [(n.subject_type_id, n.subject_id) for n in notifications if n.subject_type_id]
    visible = visible_keys(user, keys)
    return [
        n
        for n in notifications
        if n.subject_type_id is None or (n.subject_type_id, n.subject_id) in visible
    ]


def email_notification(*, notification: Notification) -> bool:
    """E-mail one notification unless it was e-mailed already or its recipient may no longer
    see what it is about; returns whether it was sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
        emailed_at=now
    )
    if not claimed:
        logger.info("Notification %s was e-mailed already.", notification.pk)
        return False
    if not still_visible([notification], notification.recipient):
        logger.info("The recipient of notification %s may not see its subject.", notification.pk)
        return False
    try:
        _send(
            to=notification.recipient.email,
            subject=notification.title,
            template="notification",
            context={"user": notification.recipient, **_item(notification)},
        )
    except (SMTPException, ConnectionError):
        Notification.objects.filter(pk=notification.pk, emailed_at=now).update(emailed_at=None)
        raise
    return True


def _claim_digest(user: User, frequency: str) -> tuple[list[Notification], dt.datetime | None]:
    """Claim the user's news for a digest; returns the claimed notifications and the claim."""
    with transaction.atomic():
        # Two digests of one user wait for each other here; the second then finds no news.
        User.objects.select_for_update().filter(pk=user.pk).first()
        ids = list(
            Notification.objects.due_for_digest(frequency)
            .filter(recipient_id=user.pk)
            .values_list("pk", flat=True)
        )
        if not ids:
            return [], None
        now = timezone.now()
        Notification.objects.filter(pk__in=ids, emailed_at=None).update(emailed_at=now)
        # Only what this claim took: an immediate e-mail may have taken one meanwhile.
        claimed = Notification.objects.filter(pk__in=ids, emailed_at=now).order_by(
            "created_at", "pk"
        )
        return list(claimed), now


def send_digest(*, user: User, frequency: str) -> int:
    """E-mail the user one digest of their news; returns how many notifications it lists.

    A digest with nothing in it is not sent.
    """
    claimed, claim = _claim_digest(user, frequency)
    notifications = still_visible(claimed, user)
    if not notifications:
        logger.info("No news for a %s digest of user %s; nothing sent.", frequency, user.pk)
        return 0
    subject = (
        gettext_lazy("Your daily summary of notifications")
        if frequency == NotificationPreference.Frequency.DAILY
        else gettext_lazy("Your weekly summary of notifications")
    )
    try:
        _send(
            to=user.email,
            subject=subject,
            template="digest",
            context={
                "user": user,
                "frequency": frequency,
                "daily": frequency == NotificationPreference.Frequency.DAILY,
                "items": [_item(notification) for notification in notifications],
                "list_url": absolute(reverse("accounts:notification-list")),
            },
        )
    except (SMTPException, ConnectionError):
        Notification.objects.filter(
            pk__in=[notification.pk for notification in claimed], emailed_at=claim
        ).update(emailed_at=None)
        raise
    return len(notifications)


def send_invitation_email(*, invitation: Invitation, token: str, base_url: str) -> None:
    """Write the invitation e-mail with the link that carries the plain token."""
    path = reverse("accounts:invitation-accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "purpose": describe_purpose(invitation.purpose),
        "url": f"{base_url.rstrip('/')}{path}",
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])


def send_password_reset_email(*, user: User, domain: str, use_https: bool) -> None:
    """Write the password reset e-mail, with a token made now (it expires after
    PASSWORD_RESET_TIMEOUT and stops working once the password changes)."""
    context = {
        "user": user,
        "email": user.email,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context)
    body = render_to_string("accounts/email/password_reset_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
