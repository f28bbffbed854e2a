"""Throttling of failed sign-ins and of password-reset requests.

Each failed sign-in counts against the pair of the e-mail address that was typed and the
client's IP address, and against the client address alone, in a fixed window that starts at
the first failure. Once either count reaches its limit, sign-in from that address (for that
account, or for any account) is refused without checking the password, until the window ends.
Never per account alone: then anyone anywhere could lock an account's owner out by typing
wrong passwords for it. The e-mail address counts whether or not an account has it, so the
answer reveals nothing about which addresses have accounts. The limits are settings
(WIJKPORTAAL_SIGNIN_*); the client address is the one web.addresses finds, also behind
trusted proxies.

The counters live in the cache (Redis in production), so every web process sees the same
counts; with the local-memory cache of the embedded default each process counts on its own.
When the cache fails (Redis down, or not answering within WIJKPORTAAL_CACHE_TIMEOUT) the
counters move to the database (`ThrottleCount`) for a short while, with a warning in the log:
sign-in and password reset never fail because the cache does. The two stores do not add up,
so while the cache comes and goes an attacker gains at most one window's worth of guesses.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import ThrottleCount
from web import addresses

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What Django's RedisCache raises when Redis is down or hung: redis-py's ConnectionError and
# TimeoutError (both RedisError), and OSError from the socket underneath.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
# After a cache error the next requests count in the database without asking the cache
# first, so that a hung Redis costs one timeout per process every this many seconds, not one
# per request.
CACHE_RETRY_SECONDS = 30.0

KEY_PREFIX = "accounts:signin-failures"

_cache_down_until = 0.0


def window_seconds() -> int:
    """How long a sign-in failure counts, in seconds."""
    return int(settings.WIJKPORTAAL_SIGNIN_WINDOW_MINUTES) * 60


def max_failures_per_account() -> int:
    """Failures allowed for one e-mail address from one client address in a window."""
    return int(settings.WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ACCOUNT)


def max_failures_per_address() -> int:
    """Failures allowed from one client address, for any e-mail addresses, in a window."""
    return int(settings.WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ADDRESS)


def normalise_email(email: str) -> str:
    """The e-mail address as accounts store it: stripped and lower case."""
    return email.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or behind a trusted proxy the address it saw.

    X-Forwarded-For is read only from the proxies in WIJKPORTAAL_TRUSTED_PROXIES; a client
    could write it itself (web/addresses.py).
    """
    return addresses.client_address(request)


# The stores: the cache, and the database while the cache fails.


def forget_cache_failure() -> None:
    """Ask the cache again from the next count on (for tests, and after a deploy)."""
    global _cache_down_until
    _cache_down_until = 0.0


def _with_fallback(in_cache: Callable[[], T], in_database: Callable[[], T]) -> T:
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return in_database()
    try:
        return in_cache()
    except CACHE_ERRORS as error:
        _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning(
            "The throttle cannot use the cache (%s: %s); it counts in the database for the "
            "next %d seconds.",
            type(error).__name__,
            error,
            CACHE_RETRY_SECONDS,
        )
        return in_database()


def _counts(keys: list[str]) -> dict[str, int]:
    def in_cache() -> dict[str, int]:
        return {key: int(value) for key, value in cache.get_many(keys).items()}

    def in_database() -> dict[str, int]:
        rows = ThrottleCount.objects.filter(key__in=keys, expires_at__gt=timezone.now())
        return dict(rows.values_list("key", "count"))

    return _with_fallback(in_cache, in_database)


def _count(key: str, window: int) -> int:
    """Add one to a counter with a fixed window that starts at its first count; the count."""

    def in_cache() -> int:
        # add() starts the window only if there is none; incr() keeps its expiry. A key that
        # expires between the two is counted again from one.
        cache.add(key, 0, timeout=window)
        try:
            return int(cache.incr(key))
        except ValueError:
            cache.add(key, 1, timeout=window)
            return 1

    def in_database() -> int:
        now = timezone.now()
        live = ThrottleCount.objects.filter(key=key, expires_at__gt=now)
        if live.update(count=F("count") + 1):
            return int(live.values_list("count", flat=True).first() or 1)
        # No window, or an expired one: start a new window, and clear away the old ones.
        ThrottleCount.objects.filter(expires_at__lte=now).delete()
        ThrottleCount.objects.update_or_create(
            key=key, defaults={"count": 1, "expires_at": now + timedelta(seconds=window)}
        )
        return 1

    return _with_fallback(in_cache, in_database)


def _forget(key: str) -> None:
    def in_cache() -> None:
        cache.delete(key)

    def in_database() -> None:
        ThrottleCount.objects.filter(key=key).delete()

    _with_fallback(in_cache, in_database)


# Sign-in.


def _key(kind: str, value: str) -> str:
    # Hashed: cache keys must be short and plain, and the cache need not hold addresses.
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{KEY_PREFIX}:{kind}:{digest}"


def _keys(*, email: str, address: str) -> tuple[str, str]:
    # A newline joins the pair: no IP address has one, so no two pairs give the same text.
    pair = f"{normalise_email(email)}\n{address}"
    return _key("account-address", pair), _key("address", address)


def is_blocked(*, email: str, address: str) -> bool:
    """Whether sign-in for this e-mail address from this address, or any sign-in from this
    address, is refused for now."""
    pair_key, address_key = _keys(email=email, address=address)
    counts = _counts([pair_key, address_key])
    return (
        counts.get(pair_key, 0) >= max_failures_per_account()
        or counts.get(address_key, 0) >= max_failures_per_address()
    )


def record_failure(*, email: str, address: str) -> None:
    """Count one failed sign-in against the e-mail and client address, and the address."""
    for key in _keys(email=email, address=address):
        _count(key, window_seconds())


def reset_account(*, email: str, address: str) -> None:
    """Forget the failures of an account from this address after its owner signed in there.

    The address count stays: one person signing in says nothing about the others tried from
    that address.
    """
    pair_key, __ = _keys(email=email, address=address)
    _forget(pair_key)


# Password-reset requests. Each request sends an e-mail, so the limits protect the inboxes of
# the people whose addresses are typed in, as well as the portal's mail reputation: a few
# links per address per hour is plenty for someone locked out, and one client may ask for a
# handful of accounts (a shared computer in a wijkcentrum), not for hundreds. Here the e-mail
# address is counted alone: its limit sends no more mail, but never refuses anyone.
RESET_WINDOW_SECONDS = 60 * 60
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 10

RESET_KEY_PREFIX = "accounts:reset-requests"


def _reset_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{RESET_KEY_PREFIX}:{kind}:{digest}"


def reset_address_blocked(*, address: str) -> bool:
    """Whether this client address asked for more reset links than allowed in the window."""
    key = _reset_key("address", address)
    return _counts([key]).get(key, 0) >= MAX_RESETS_PER_ADDRESS


def record_reset_request(*, email: str, address: str) -> bool:
    """Count one reset request; whether a link may be sent to this e-mail address.

    The address is counted even when no account has it, so the answer says nothing about
    which addresses have accounts.
    """
    _count(_reset_key("address", address), RESET_WINDOW_SECONDS)
    sent = _count(_reset_key("account", normalise_email(email)), RESET_WINDOW_SECONDS)
    return sent <= MAX_RESETS_PER_ACCOUNT


# Resident sign-ups and confirmation links. Each sends an e-mail, so like reset requests they
# are limited per client address (WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR; past it a 429)
# and per e-mail address (MAX_CONFIRMATIONS_PER_ACCOUNT an hour; past it no more mail, but
# the same answer, so nobody can flood someone else's inbox or learn who has an account).
SIGNUP_WINDOW_SECONDS = 60 * 60
MAX_CONFIRMATIONS_PER_ACCOUNT = 3

SIGNUP_KEY_PREFIX = "accounts:signups"


def _signup_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"{SIGNUP_KEY_PREFIX}:{kind}:{digest}"


def signup_address_blocked(*, address: str) -> bool:
    """Whether this client address asked for more sign-ups or links than allowed this hour."""
    key = _signup_key("address", address)
    limit = int(settings.WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR)
    return _counts([key]).get(key, 0) >= limit


def record_signup_request(*, email: str, address: str) -> bool:
    """Count one sign-up or request for a confirmation link; whether a mail may go to `email`.

    Counted whether or not an account has the address, so the answer reveals nothing.
    """
    _count(_signup_key("address", address), SIGNUP_WINDOW_SECONDS)
    sent = _count(_signup_key("account", normalise_email(email)), SIGNUP_WINDOW_SECONDS)
    return sent <= MAX_CONFIRMATIONS_PER_ACCOUNT


# Residents' initiatives. Each one tells a gebiedsteam, so a client address may submit a few an
# hour (WIJKPORTAAL_INITIATIVES_PER_ADDRESS_PER_HOUR; past it a 429), enough for a wijkcentrum
# computer that several residents use, not for a flood.
INITIATIVE_WINDOW_SECONDS = 60 * 60

INITIATIVE_KEY_PREFIX = "accounts:initiatives"


def _initiative_key(address: str) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{INITIATIVE_KEY_PREFIX}:address:{digest}"


def initiative_address_blocked(*, address: str) -> bool:
    """Whether this client address submitted as many initiatives as allowed this hour."""
    key = _initiative_key(address)
    limit = int(settings.WIJKPORTAAL_INITIATIVES_PER_ADDRESS_PER_HOUR)
    return _counts([key]).get(key, 0) >= limit


def record_initiative(*, address: str) -> None:
    """Count one submitted initiative for this client address."""
    _count(_initiative_key(address), INITIATIVE_WINDOW_SECONDS)
