"""In-app notifications: the primitive that the domain apps call to tell people something.

accounts knows no domain model: callers pass the text and the link themselves. E-mail for
notifications follows each user's preferences (`accounts.digests`): those who chose
"immediately" (the default) get one e-mail per notification, queued here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.digests import immediate_recipients
from accounts.emails import mail_notifications
from accounts.models import Notification, User


def notify(
    *,
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    exclude: User | int | None = None,
    email: bool = True,
    subject: Model | None = None,
) -> list[Notification]:
    """Create one notification per distinct recipient, in one query.

    `exclude` leaves out the person who caused the event (nobody is told of their own
    comment). Recipients may be users or user ids. Recipients who want notifications of
    this kind at once get an e-mail, written to the outbox in the caller's transaction; the
    others get it in their digest. A
    caller that e-mails the recipients itself passes `email=False`: those notifications
    count as e-mailed and go in no digest.

    `subject` is what the notification is about (a proposal, a meeting, an action): before
    it is e-mailed the recipient must still be able to see it.
    """
    excluded = exclude.pk if isinstance(exclude, User) else exclude
    ids = {r.pk if isinstance(r, User) else r for r in recipients} - {excluded, None}
    now = timezone.now()
    at_once = immediate_recipients(ids, kind) if email else set()
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            title=title[:200],
            url=url,
            body=body,
            # E-mailed now, or never: either way in no digest.
            emailed_at=now if (pk in at_once or not email) else None,
            subject_type=subject_type,
            subject_id=subject_id,
        )
        for pk in sorted(ids)
    )
    mail_notifications(n for n in notifications if n.recipient_id in at_once)
    return notifications


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
