"""How each user wants notifications e-mailed, per kind: one e-mail per notification
("immediately", the default), a daily or weekly digest, or none ("off"); and who has news
for a digest. The e-mails themselves are written in `accounts.emails`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from accounts.models import Notification, NotificationPreference, User

Frequency = NotificationPreference.Frequency
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


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


# Digests


def users_due_for_digest(frequency: str) -> list[int]:
    """The ids of the users with news for a `frequency` digest (users without news get none)."""
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"No digest is sent {frequency!r}.")
    return sorted(
        Notification.objects.due_for_digest(frequency)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
