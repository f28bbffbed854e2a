"""E-mail of notifications, as each user chose per kind: one e-mail per notification
("immediately", the default), a daily or weekly digest, or none ("off").

Every e-mailed notification is claimed first by setting its `emailed_at` with a conditional
UPDATE (`emailed_at IS NULL`), so a re-run, a retry or a second worker never mails one twice;
when sending fails, the claim is cleared again so that the retry can take it. A digest is
queued only for users with news, and a digest whose news was all taken meanwhile is not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import Notification, NotificationPreference, User

logger = logging.getLogger(__name__)

Frequency = NotificationPreference.Frequency
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


def absolute(url: str) -> str:
    """An absolute link for an e-mail: site paths get the portal's base URL."""
    return f"{settings.WIJKPORTAAL_BASE_URL}{url}" if url.startswith("/") else url


# Preferences


def preferences_of(user: User) -> dict[str, str]:
    """The frequency of every kind of notification for the user (default: immediately)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "frequency")
    )
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in Notification.Kind.values}


@transaction.atomic
def set_preferences(*, user: User, frequencies: Mapping[str, str]) -> None:
    """Store the user's frequency per kind of notification (kinds not given are left alone)."""
    for kind, frequency in frequencies.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": frequency}
        )


def immediate_recipients(user_ids: Iterable[int], kind: str) -> set[int]:
    """Those of `user_ids` who get notifications of `kind` by e-mail at once; one query."""
    ids = set(user_ids)
    if not ids:
        return set()
    other = NotificationPreference.objects.filter(user_id__in=ids, kind=kind).exclude(
        frequency=Frequency.IMMEDIATELY
    )
    return ids - set(other.values_list("user_id", flat=True))


# One e-mail per notification


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


def email_notification(*, notification: Notification) -> bool:
    """E-mail one notification unless it was e-mailed already; returns whether it was sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
        emailed_at=now
    )
    if not claimed:
        logger.info("Notification %s was e-mailed already.", notification.pk)
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


# Digests


@transaction.atomic
def queue_digests(*, frequency: str) -> list[int]:
    """Queue one digest task per user with news for a `frequency` digest; returns their ids.

    Users without news get no task.
    """
    from accounts.tasks import send_digest

    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"No digest is sent {frequency!r}.")
    user_ids = sorted(
        Notification.objects.due_for_digest(frequency)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in user_ids:
        send_digest.delay_on_commit(user_id=user_id, frequency=frequency)
    return user_ids


def _claim_digest(user: User, frequency: str) -> tuple[list[Notification], object]:
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
    notifications, claim = _claim_digest(user, frequency)
    if not notifications:
        logger.info("No news for a %s digest of user %s; nothing sent.", frequency, user.pk)
        return 0
    subject = (
        gettext_lazy("Your daily summary of notifications")
        if frequency == Frequency.DAILY
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
                "items": [_item(notification) for notification in notifications],
                "list_url": absolute(reverse("accounts:notification-list")),
            },
        )
    except (SMTPException, ConnectionError):
        Notification.objects.filter(
            pk__in=[notification.pk for notification in notifications], emailed_at=claim
        ).update(emailed_at=None)
        raise
    return len(notifications)
