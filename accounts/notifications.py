"""In-app notifications: the primitive that the domain apps call to tell people something.

accounts knows no domain model: callers pass the text and the link themselves. E-mail for
notifications follows the user's preferences once the reminders and digests are built.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


def notify(
    *,
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    exclude: User | int | None = None,
) -> list[Notification]:
    """Create one notification per distinct recipient, in one query.

    `exclude` leaves out the person who caused the event (nobody is told of their own
    comment). Recipients may be users or user ids.
    """
    excluded = exclude.pk if isinstance(exclude, User) else exclude
    ids = {r.pk if isinstance(r, User) else r for r in recipients} - {excluded, None}
    return Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, title=title[:200], url=url, body=body)
        for pk in sorted(ids)
    )


def unread_count(user: User) -> int:
    """How many notifications the user has not read; one count on the unread index."""
    return Notification.objects.filter(recipient_id=user.pk, read_at=None).count()


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user as read; returns how many there were."""
    now = timezone.now()
    return Notification.objects.filter(recipient_id=user.pk, read_at=None).update(
        read_at=now, updated_at=now
    )
