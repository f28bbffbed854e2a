"""The portal's own e-mails: invitations, password resets, notifications and digests.

This is the writing side: each function renders one e-mail in the portal's language and
puts it in the outbox (`accounts.outbox`), in the caller's transaction; the outbox sends it.
The code that decides that an e-mail is due (services, `notify`, the digest sweep) calls
these functions.

A notification e-mailed at once is marked e-mailed (`emailed_at`) when its mail is written,
so no digest offers it again. A digest claims its news with a conditional UPDATE of
`emailed_at` (`emailed_at IS NULL`) under a lock on the user, so two digest runs never list
one notification twice; a digest whose news is all gone is not written.

A notification is e-mailed only while its recipient may still see its subject (the
proposal, meeting or action it is about; `accounts.visibility`): the digest checks when it
is written, the outbox checks a single notification's mail again when it sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy

from accounts import outbox
from accounts.models import (
    Invitation,
    Notification,
    NotificationPreference,
    OutgoingMail,
    User,
)
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


def _render(
    *, subject: str | Promise, template: str, context: dict[str, object]
) -> tuple[str, str, str]:
    """Subject, text and HTML of one of the notification e-mails."""
    context = {
        **context,
        "settings_url": _settings_url(),
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
    }
    # In the portal's language, also when written during a request in another language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
        text = render_to_string(f"accounts/email/{template}.txt", context)
        html = render_to_string(f"accounts/email/{template}.html", context)
    return subject, text, html


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


def mail_notifications(notifications: Iterable[Notification]) -> list[OutgoingMail]:
    """Write the e-mail of each of these new notifications (already marked e-mailed by the
    caller) to the outbox; the outbox checks their subjects again when it sends them."""
    notifications = list(notifications)
    if not notifications:
        return []
    recipients = User.objects.in_bulk({n.recipient_id for n in notifications})
    mails = []
    for notification in notifications:
        recipient = recipients[notification.recipient_id]
        if not recipient.is_active:
            continue
        subject, text, html = _render(
            subject=notification.title,
            template="notification",
            context={"user": recipient, **_item(notification)},
        )
        mails.append(
            OutgoingMail(
                kind=OutgoingMail.Kind.NOTIFICATION,
                to=recipient.email,
                subject=subject,
                text=text,
                html=html,
                notification=notification,
            )
        )
    return outbox.put_many(mails)


def _claim_digest(user: User, frequency: str) -> list[Notification]:
    """Claim the user's news for a digest (in the caller's transaction)."""
    # Two digests of one user wait for each other here; the second then finds no news.
    User.objects.select_for_update().filter(pk=user.pk).first()
    ids = list(
        Notification.objects.due_for_digest(frequency)
        .filter(recipient_id=user.pk)
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    now = timezone.now()
    Notification.objects.filter(pk__in=ids, emailed_at=None).update(emailed_at=now)
    # Only what this claim took: an immediate e-mail may have taken one meanwhile.
    return list(
        Notification.objects.filter(pk__in=ids, emailed_at=now).order_by("created_at", "pk")
    )


@transaction.atomic
def write_digest(*, user: User, frequency: str) -> int:
    """Write the user one digest of their news to the outbox; returns how many
    notifications it lists. A digest with nothing in it is not written."""
    notifications = still_visible(_claim_digest(user, frequency), user)
    if not notifications:
        logger.info("No news for a %s digest of user %s; nothing sent.", frequency, user.pk)
        return 0
    subject, text, html = _render(
        subject=(
            gettext_lazy("Your daily summary of notifications")
            if frequency == NotificationPreference.Frequency.DAILY
            else gettext_lazy("Your weekly summary of notifications")
        ),
        template="digest",
        context={
            "user": user,
            "frequency": frequency,
            "daily": frequency == NotificationPreference.Frequency.DAILY,
            "items": [_item(notification) for notification in notifications],
            "list_url": absolute(reverse("accounts:notification-list")),
        },
    )
    outbox.put(kind=OutgoingMail.Kind.DIGEST, to=user.email, subject=subject, text=text, html=html)
    return len(notifications)


def write_invitation(*, invitation: Invitation, token: str, base_url: str) -> OutgoingMail:
    """Write the invitation e-mail with the link that carries the plain token. The token is
    in the outbox only until the mail is sent (a sensitive mail)."""
    path = reverse("accounts:invitation-accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "purpose": describe_purpose(invitation.purpose),
        "url": f"{base_url.rstrip('/')}{path}",
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    return outbox.put(
        kind=OutgoingMail.Kind.INVITATION,
        to=invitation.email,
        subject=subject,
        text=body,
        sensitive=True,
        invitation=invitation,
    )


def write_password_reset(*, user: User, domain: str, use_https: bool) -> OutgoingMail:
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
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/password_reset_subject.txt", context)
        body = render_to_string("accounts/email/password_reset_body.txt", context)
    return outbox.put(
        kind=OutgoingMail.Kind.PASSWORD_RESET,
        to=user.email,
        subject=subject,
        text=body,
        sensitive=True,
    )
