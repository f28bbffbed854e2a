"""Workflows of the accounts app: invitations and the e-mails for them and for password reset.

This app knows no domain model. What accepting an invitation means (joining a gebiedsteam, a
wijkraad, an organisation) is up to the apps that register a purpose here: the invitation
stores the purpose as a small dict, `{"kind": "team", ...}`, and on acceptance every handler
registered for that kind is called with the user and the dict.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Invitation, User

logger = logging.getLogger(__name__)

INVITATION_DAYS = 7

AcceptHandler = Callable[..., None]
Describer = Callable[[Mapping[str, Any]], str]


@dataclass
class InvitationPurpose:
    """What the apps registered for one kind of invitation."""

    handlers: list[AcceptHandler] = field(default_factory=list)
    describe: Describer | None = None


_purposes: dict[str, InvitationPurpose] = {}


def register_invitation_purpose(
    kind: str, handler: AcceptHandler, *, describe: Describer | None = None
) -> None:
    """Have `handler(user=..., purpose=...)` called when an invitation of `kind` is accepted.

    Several apps may register for one kind; their handlers run in the order of registration
    (apps register in `ready()`, so in the order of INSTALLED_APPS), inside the transaction
    of the acceptance. `describe(purpose)` says in words what the invitee is invited to, for
    the e-mail and the acceptance page; the first one registered for a kind is used.
    Registering the same handler twice has no effect.
    """
    purpose = _purposes.setdefault(kind, InvitationPurpose())
    if handler not in purpose.handlers:
        purpose.handlers.append(handler)
    if purpose.describe is None:
        purpose.describe = describe


def describe_purpose(purpose: Mapping[str, Any]) -> str:
    """What an invitation is for, in words; empty when no app describes its kind."""
    registered = _purposes.get(str(purpose.get("kind", "")))
    if registered is None or registered.describe is None:
        return ""
    return registered.describe(purpose)


class InvitationUnusable(Exception):
    """The invitation link cannot be used: unknown, already used or expired."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation for the token in a link, or InvitationUnusable with the reason."""
    invitation = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise InvitationUnusable(InvitationUnusable.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(InvitationUnusable.USED)
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(InvitationUnusable.EXPIRED)
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
    """Invite a person by e-mail; the e-mail with the single-use link goes after commit.

    `purpose["kind"]` must be registered (see `register_invitation_purpose`), so that no
    invitation is sent that nobody can carry out. The plain token only travels to the task
    that writes the e-mail; the database keeps its hash. `base_url` (scheme and host, from
    the inviting request) makes the link in the e-mail absolute.
    """
    from accounts.tasks import send_invitation

    kind = purpose.get("kind")
    if kind not in _purposes:
        raise ValueError(f"No app handles invitations of kind {kind!r}.")
    invitation, token = Invitation.issue(
        email=email, invited_by=invited_by, purpose=purpose, days=days
    )
    send_invitation.delay_on_commit(invitation_id=invitation.pk, token=token, base_url=base_url)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, full_name: str) -> User:
    """Carry out an invitation: create the account (or set its password) and join.

    Valid once and before it expires. The invitation is claimed with a conditional UPDATE,
    so two submits of the same link at once cannot both get through: the second finds it
    taken and gets InvitationUnusable, and its transaction changes nothing.
    """
    invitation = invitation_for_token(token)
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, expires_at__gt=now
    ).update(accepted_at=now, updated_at=now)
    if not claimed:
        raise InvitationUnusable(InvitationUnusable.USED)

    full_name = full_name.strip()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    else:
        user.set_password(password)
        update_fields = ["password"]
        if full_name:
            user.full_name = full_name
            update_fields.append("full_name")
        if not user.is_active:
            user.is_active = True
            update_fields.append("is_active")
        user.save(update_fields=update_fields)

    kind = str(invitation.purpose.get("kind"))
    registered = _purposes.get(kind)
    if registered is None:
        # Checked when inviting; only an app removed since then leaves a kind unhandled.
        logger.warning("Invitation %s of kind %r, which no app handles.", invitation.pk, kind)
        return user
    for handler in registered.handlers:
        handler(user=user, purpose=invitation.purpose)
    return user


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
