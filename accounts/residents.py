"""Resident accounts: signing up, confirming the e-mail address, changing it, deleting.

Anyone may sign up as a resident with an e-mail address, a display name and a password. The
account is inactive until the address is confirmed by the link mailed to it; the link is a
signed token (`django.core.signing`) that works WIJKPORTAAL_CONFIRM_EMAIL_HOURS and names
the account and the address it confirms, so it stops working once the address is confirmed
or changed. A new address is confirmed the same way before it replaces the old one.

Signing up with an address that already has an account answers exactly as a new sign-up
does ("check your mail"), as Django's password reset does: the page never tells whether an
address has an account. The owner of the address gets a mail instead that says someone tried
to sign up with it and how to sign in or choose a new password; an account that still
awaits confirmation gets a new link. Nothing of the second sign-up is saved.

The wijk where a resident lives is not kept here (this app knows no domain model): `areas`
keeps it, and the pages that ask for it (`portal.views.residents`) save both in one
transaction. Every mail goes through the outbox, in the transaction of its cause.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import outbox
from accounts.models import OutgoingMail, User
from accounts.throttle import normalise_email

logger = logging.getLogger(__name__)

SIGN_UP_SALT = "accounts.residents.confirm-sign-up"
CHANGE_SALT = "accounts.residents.confirm-new-email"


class ConfirmationUnusable(Exception):
    """The confirmation link cannot be used; `reason` says why."""

    INVALID = "invalid"  # not a link we made, or for an account that is gone
    EXPIRED = "expired"
    USED = "used"  # the address is confirmed already, or changed since
    TAKEN = "taken"  # the new address has an account meanwhile
    DEACTIVATED = "deactivated"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Confirmed:
    """What a confirmation link did: activated a new account, or changed an address."""

    user: User
    changed_email: bool


def confirm_max_age() -> int:
    return int(settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS) * 60 * 60


def _link(base_url: str, name: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{reverse(name, kwargs={'token': token})}"


def _write(*, to: str, template: str, context: dict[str, Any], sensitive: bool) -> OutgoingMail:
    context = {
        **context,
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
        "hours": settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"accounts/email/{template}_body.txt", context)
    return outbox.put(
        kind=OutgoingMail.Kind.CONFIRMATION, to=to, subject=subject, text=text, sensitive=sensitive
    )


def write_sign_up_confirmation(*, user: User, base_url: str, next_url: str = "") -> OutgoingMail:
    """The mail with the link that confirms a new resident's address (a sensitive mail: the
    outbox empties it once sent). `next_url`, a path of the portal, is where the resident
    goes after signing in (the proposal they came from to react)."""
    data: dict[str, Any] = {"u": user.pk, "e": user.email}
    if next_url:
        data["n"] = next_url
    token = signing.dumps(data, salt=SIGN_UP_SALT)
    return _write(
        to=user.email,
        template="confirm_sign_up",
        context={"user": user, "url": _link(base_url, "accounts:confirm-email", token)},
        sensitive=True,
    )


def _write_already_registered(*, email: str, base_url: str) -> OutgoingMail:
    base = base_url.rstrip("/")
    return _write(
        to=email,
        template="already_registered",
        context={
            "email": email,
            "login_url": f"{base}{reverse('accounts:login')}",
            "reset_url": f"{base}{reverse('accounts:password-reset')}",
        },
        sensitive=False,
    )


@transaction.atomic
def sign_up(
    *, email: str, display_name: str, password: str, base_url: str, next_url: str = ""
) -> User | None:
    """Create an inactive resident account and mail the confirmation link (carrying
    `next_url`); the new account, or None when the address already has one (its owner is
    mailed instead, nothing saved).
    """
    email = normalise_email(email)
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email,
                    password,
                    full_name=display_name.strip(),
                    is_active=False,
                    is_resident=True,
                )
        except IntegrityError:
            # Someone signed up with the same address at the same moment; theirs stands.
            existing = User.objects.filter(email__iexact=email).first()
        else:
            write_sign_up_confirmation(user=user, base_url=base_url, next_url=next_url)
            return user
    if existing is not None and existing.awaits_confirmation:
        write_sign_up_confirmation(user=existing, base_url=base_url, next_url=next_url)
    elif existing is not None:
        _write_already_registered(email=email, base_url=base_url)
    return None


@transaction.atomic
def resend_confirmation(*, email: str, base_url: str) -> bool:
    """Mail a new confirmation link if an account with this address awaits confirmation;
    whether one was written (the caller answers the same either way)."""
    user = User.objects.filter(email__iexact=normalise_email(email)).first()
    if user is None or not user.awaits_confirmation:
        return False
    write_sign_up_confirmation(user=user, base_url=base_url)
    return True


@transaction.atomic
def request_email_change(*, user: User, new_email: str, base_url: str) -> None:
    """Mail a link to `new_email` that makes it the account's address once opened; the old
    address stays until then. When the new address has an account, its owner is told so
    instead, and the answer to `user` is the same."""
    new_email = normalise_email(new_email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        _write_already_registered(email=new_email, base_url=base_url)
        return
    token = signing.dumps({"u": user.pk, "e": new_email, "old": user.email}, salt=CHANGE_SALT)
    _write(
        to=new_email,
        template="confirm_new_email",
        context={
            "user": user,
            "new_email": new_email,
            "url": _link(base_url, "accounts:confirm-new-email", token),
        },
        sensitive=True,
    )


def _load(token: str, salt: str) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=confirm_max_age())
    except signing.SignatureExpired as expired:
        raise ConfirmationUnusable(ConfirmationUnusable.EXPIRED) from expired
    except signing.BadSignature as bad:
        raise ConfirmationUnusable(ConfirmationUnusable.INVALID) from bad
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise ConfirmationUnusable(ConfirmationUnusable.INVALID)
    return data


def local_path(url: str | None) -> str:
    """`url` when it is a path of this site ("/voorstellen/x/#reacties"), else "": never
    another host, a scheme, or a path that a browser would read as one ("//host")."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


def sign_up_next(token: str) -> str:
    """Where the resident goes after signing in, as carried by the confirmation link ("" for
    none, or for a link that is not ours)."""
    try:
        data = _load(token, SIGN_UP_SALT)
    except ConfirmationUnusable:
        return ""
    next_url = data.get("n")
    return local_path(next_url) if isinstance(next_url, str) else ""


def check_sign_up_token(token: str) -> None:
    """ConfirmationUnusable unless `confirm_sign_up` would accept the link now."""
    data = _load(token, SIGN_UP_SALT)
    user = User.objects.filter(pk=data["u"]).first()
    _check_sign_up(user, data)


def _check_sign_up(user: User | None, data: dict[str, Any]) -> User:
    if user is None or user.email != data.get("e"):
        raise ConfirmationUnusable(ConfirmationUnusable.INVALID)
    if user.email_confirmed_at is not None:
        raise ConfirmationUnusable(ConfirmationUnusable.USED)
    if not user.awaits_confirmation:
        raise ConfirmationUnusable(ConfirmationUnusable.DEACTIVATED)
    return user


@transaction.atomic
def confirm_sign_up(token: str) -> User:
    """Activate the account the link was made for; ConfirmationUnusable with the reason when
    the link is unknown, expired, already used, or the account was deactivated since."""
    data = _load(token, SIGN_UP_SALT)
    # Locked, so two clicks on the link at once activate the account once.
    user = _check_sign_up(User.objects.select_for_update().filter(pk=data["u"]).first(), data)
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


def check_change_token(token: str) -> None:
    """ConfirmationUnusable unless `confirm_new_email` would accept the link now."""
    data = _load(token, CHANGE_SALT)
    _check_change(User.objects.filter(pk=data["u"]).first(), data)


def _check_change(user: User | None, data: dict[str, Any]) -> tuple[User, str]:
    new_email = data.get("e")
    if user is None or not isinstance(new_email, str):
        raise ConfirmationUnusable(ConfirmationUnusable.INVALID)
    if not user.is_active:
        raise ConfirmationUnusable(ConfirmationUnusable.DEACTIVATED)
    if user.email != data.get("old"):
        raise ConfirmationUnusable(ConfirmationUnusable.USED)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ConfirmationUnusable(ConfirmationUnusable.TAKEN)
    return user, new_email


@transaction.atomic
def confirm_new_email(token: str) -> User:
    """Make the new address the account's; ConfirmationUnusable when the link is unknown,
    expired, used (the address changed since), or another account has the address now."""
    data = _load(token, CHANGE_SALT)
    user, new_email = _check_change(
        User.objects.select_for_update().filter(pk=data["u"]).first(), data
    )
    user.email = new_email
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "email_confirmed_at"])
    return user


def may_delete_own_account(user: User) -> bool:
    """Whether the user deletes their account themselves: a resident with none of the
    account-wide roles. Anyone else asks the functional administrator, whose deactivation
    keeps the traces that other people's work needs."""
    return bool(
        user.is_authenticated
        and user.is_resident
        and not (
            user.is_staff or user.is_superuser or user.is_functional_admin or user.is_moderator
        )
    )


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete a resident's account with what hangs on it: follows, notifications and
    notification preferences go with it (their foreign keys cascade). Mails still waiting in
    the outbox for the address are withdrawn, so nothing is sent to it afterwards."""
    now = timezone.now()
    OutgoingMail.objects.unsent().filter(to__iexact=user.email).update(
        withdrawn_at=now, claimed_at=None, text="", html=""
    )
    logger.info("Resident account %s deleted by its owner.", user.pk)
    user.delete()
