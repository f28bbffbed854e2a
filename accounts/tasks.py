"""Tasks of the accounts app: the e-mails for invitations and password reset, the
e-mails of notifications (one at a time, or as a daily or weekly digest), and the daily
pruning of expired sessions and old read notifications (accounts.retention).

Neither e-mail has a "sent" column to claim, so a retry after a failed send may repeat one;
both are harmless to receive twice (a password reset link and an invitation link each work
only once).
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction

from accounts import digests, emails, retention
from accounts.models import Invitation, Notification, User

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="accounts.send_invitation", **RETRY)
def send_invitation(*, invitation_id: int, token: str, base_url: str) -> None:
    invitation = (
        Invitation.objects.filter(pk=invitation_id, accepted_at=None)
        .select_related("invited_by")
        .first()
    )
    if invitation is None:
        logger.info("Invitation %s is gone or already accepted; no e-mail sent.", invitation_id)
        return
    emails.send_invitation_email(invitation=invitation, token=token, base_url=base_url)


@shared_task(name="accounts.send_password_reset", **RETRY)
def send_password_reset(*, user_id: int, domain: str, use_https: bool) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("User %s is gone or inactive; no password reset e-mail sent.", user_id)
        return
    emails.send_password_reset_email(user=user, domain=domain, use_https=use_https)


@shared_task(name="accounts.send_notification_email", **RETRY)
def send_notification_email(*, notification_id: int) -> None:
    notification = (
        Notification.objects.not_emailed()
        .filter(pk=notification_id, recipient__is_active=True)
        .select_related("recipient")
        .first()
    )
    if notification is None:
        logger.info("Notification %s is gone or e-mailed already.", notification_id)
        return
    emails.email_notification(notification=notification)


@shared_task(name="accounts.queue_digests")
def queue_digests(*, frequency: str) -> list[int]:
    """Queue one digest per user with news for a `frequency` digest; returns their ids."""
    with transaction.atomic():
        user_ids = digests.users_due_for_digest(frequency)
        for user_id in user_ids:
            send_digest.delay_on_commit(user_id=user_id, frequency=frequency)
    return user_ids


@shared_task(name="accounts.send_digest", **RETRY)
def send_digest(*, user_id: int, frequency: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("User %s is gone or inactive; no digest sent.", user_id)
        return
    emails.send_digest(user=user, frequency=frequency)


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
