"""Throttling of failed sign-ins, per account and per address, in Django's cache.

Each failure counts against the e-mail address that was typed and against the client's IP
address, in a fixed window that starts at the first failure. Once either count reaches its
limit, sign-in is refused without checking the password, until the window ends. The e-mail
address counts whether or not an account has it, so the answer reveals nothing about which
addresses have accounts.

The counters live in the cache (Redis in production), so every web process sees the same
counts; with the local-memory cache of the embedded default each process counts on its own.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

KEY_PREFIX = "accounts:signin-failures"


def normalise_email(email: str) -> str:
    """The e-mail address as accounts store it: stripped and lower case."""
    return email.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    REMOTE_ADDR, never a forwarded header a client could write itself: behind a proxy, the
    proxy or the WSGI server must put the real client address there.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(kind: str, value: str) -> str:
    # Hashed: cache keys must be short and plain, and the cache need not hold addresses.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{KEY_PREFIX}:{kind}:{digest}"


def _keys(*, email: str, address: str) -> tuple[str, str]:
    return _key("account", normalise_email(email)), _key("address", address)


def is_blocked(*, email: str, address: str) -> bool:
    """Whether sign-in for this e-mail address, or from this address, is refused for now."""
    account_key, address_key = _keys(email=email, address=address)
    counts = cache.get_many([account_key, address_key])
    return (
        counts.get(account_key, 0) >= MAX_FAILURES_PER_ACCOUNT
        or counts.get(address_key, 0) >= MAX_FAILURES_PER_ADDRESS
    )


def record_failure(*, email: str, address: str) -> None:
    """Count one failed sign-in against the e-mail address and the client address."""
    for key in _keys(email=email, address=address):
        # add() starts the window only if there is none; incr() keeps its expiry. A key that
        # expires between the two is simply counted from the next failure.
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=WINDOW_SECONDS)


def reset_account(*, email: str) -> None:
    """Forget the failures of an account after its owner signed in.

    The address count stays: one person signing in says nothing about the others tried from
    that address.
    """
    cache.delete(_key("account", normalise_email(email)))


# Password-reset requests. Each request sends an e-mail, so the limits protect the inboxes of
# the people whose addresses are typed in, as well as the portal's mail reputation: a few
# links per address per hour is plenty for someone locked out, and one client may ask for a
# handful of accounts (a shared computer in a wijkcentrum), not for hundreds.
RESET_WINDOW_SECONDS = 60 * 60
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 10

RESET_KEY_PREFIX = "accounts:reset-requests"


def _reset_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{RESET_KEY_PREFIX}:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    """Add one to a counter with a fixed window that starts at its first count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window)
        return 1


def reset_address_blocked(*, address: str) -> bool:
    """Whether this client address asked for more reset links than allowed in the window."""
    return cache.get(_reset_key("address", address), 0) >= MAX_RESETS_PER_ADDRESS


def record_reset_request(*, email: str, address: str) -> bool:
    """Count one reset request; whether a link may be sent to this e-mail address.

    The address is counted even when no account has it, so the answer says nothing about
    which addresses have accounts.
    """
    _count(_reset_key("address", address), RESET_WINDOW_SECONDS)
    sent = _count(_reset_key("account", normalise_email(email)), RESET_WINDOW_SECONDS)
    return sent <= MAX_RESETS_PER_ACCOUNT
