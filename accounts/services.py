"""Workflows of the accounts app: inviting people and accepting invitations.

What accepting means is registered by the domain apps (`accounts.purposes`); the e-mail is
written by `accounts.emails` into the outbox (`accounts.outbox`), which sends it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import emails, purposes
from accounts.models import Invitation, OutgoingMail, User

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7


class InvitationUnusable(Exception):
    """The invitation link cannot be used: unknown, already used, expired, or for an account
    that has been deactivated."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    DEACTIVATED = "deactivated"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation for the token in a link, or InvitationUnusable with the reason.

    An invitation to the address of a deactivated account cannot be used: someone took that
    account's access away on purpose, and only the functional administrator gives it back.
    """
    invitation = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise InvitationUnusable(InvitationUnusable.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(InvitationUnusable.USED)
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(InvitationUnusable.EXPIRED)
    if User.objects.filter(email__iexact=invitation.email, is_active=False).exists():
        raise InvitationUnusable(InvitationUnusable.DEACTIVATED)
    return invitation


def pending_invitations(**purpose: Any) -> QuerySet[Invitation]:
    """Pending invitations whose purpose has these values, e.g. `kind="team", gebiedsteam=3`."""
    lookups = {f"purpose__{name}": value for name, value in purpose.items()}
    return Invitation.objects.pending().filter(**lookups).order_by("email", "pk")


@transaction.atomic
def invite(
    *,
    email: str,
    invited_by: User | None,
    purpose: dict[str, Any],
    base_url: str = "",
    days: int = INVITATION_DAYS,
) -> Invitation:
    """Invite a person by e-mail; the e-mail with the single-use link is written to the
    outbox in the same transaction.

    `purpose["kind"]` must be registered (see `register_invitation_purpose`), so that no
    invitation is sent that nobody can carry out. The plain token is in the e-mail only; the
    invitation keeps its hash, and the outbox empties the e-mail once it is sent.
    `base_url` (scheme and host, from the inviting request) makes the link absolute.
    """
    kind = purpose.get("kind")
    if kind not in purposes.registry:
        raise ValueError(f"No app handles invitations of kind {kind!r}.")
    invitation, token = Invitation.issue(
        email=email, invited_by=invited_by, purpose=purpose, days=days
    )
    emails.write_invitation(invitation=invitation, token=token, base_url=base_url)
    return invitation


@transaction.atomic
def resend_invitation(
    invitation: Invitation, *, base_url: str = "", days: int = INVITATION_DAYS
) -> Invitation | None:
    """Send an unused invitation again, with a new link valid for `days` from now; returns
    it, or None when it was accepted meanwhile. The old link stops working (only one hash
    is kept), so its mails still waiting or failed are withdrawn. For the functional
    administrator, after its mail failed or was lost.
    """
    token = Invitation.new_token()
    now = timezone.now()
    renewed = Invitation.objects.filter(pk=invitation.pk, accepted_at=None).update(
        token_hash=Invitation.hash_token(token),
        expires_at=now + timedelta(days=days),
        updated_at=now,
    )
    if not renewed:
        return None
    OutgoingMail.objects.filter(invitation=invitation, sent_at=None).update(
        withdrawn_at=now, failed_at=None, claimed_at=None, text="", html=""
    )
    invitation.refresh_from_db()
    emails.write_invitation(
        invitation=invitation, token=token, base_url=base_url or settings.WIJKPORTAAL_BASE_URL
    )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, full_name: str) -> User:
    """Carry out an invitation: create the account (or set its password) and join.

    Valid once and before it expires. The invitation is claimed with a conditional UPDATE,
    so two submits of the same link at once cannot both get through: the second finds it
    taken and gets InvitationUnusable, and its transaction changes nothing.

    An invitation grants what its purpose says and nothing else: a new account is an
    ordinary one (no admin site, no functional administrator, no moderator), an existing
    one keeps the flags it has, and a deactivated one is refused (InvitationUnusable with
    DEACTIVATED, nothing saved) instead of being made active again.
    """
    invitation = invitation_for_token(token)
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, expires_at__gt=now
    ).update(accepted_at=now, updated_at=now)
    if not claimed:
        raise InvitationUnusable(InvitationUnusable.USED)

    full_name = full_name.strip()
    # Locked, so that an account deactivated while this runs is not given a new password.
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif not user.is_active:
        # Raising rolls back the claim above: the invitation stays unused.
        raise InvitationUnusable(InvitationUnusable.DEACTIVATED)
    else:
        user.set_password(password)
        update_fields = ["password"]
        if full_name:
            user.full_name = full_name
            update_fields.append("full_name")
        user.save(update_fields=update_fields)

    kind = str(invitation.purpose.get("kind"))
    registered = purposes.registry.get(kind)
    if registered is None:
        # Checked when inviting; only an app removed since then leaves a kind unhandled.
        logger.warning("Invitation %s of kind %r, which no app handles.", invitation.pk, kind)
        return user
    for handler in registered.handlers:
        handler(user=user, purpose=invitation.purpose)
    return user
