from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from accounts import throttle
from accounts.models import ThrottleCount

# A Redis nobody listens on: every cache call fails at once with a ConnectionError.
DOWN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cache_down() -> Iterator[None]:
    # Not the settings fixture: that one is undone after _empty_cache clears the cache.
    with override_settings(CACHES=DOWN_CACHE):
        yield


def fail(times: int, *, email: str = "rina@example.org", address: str = "10.0.0.1") -> None:
    for __ in range(times):
        throttle.record_failure(email=email, address=address)


def test_the_limits_are_settings(settings: Any) -> None:
    settings.WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ACCOUNT = 2
    settings.WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ADDRESS = 3
    settings.WIJKPORTAAL_SIGNIN_WINDOW_MINUTES = 7

    fail(2)
    fail(1, email="other@example.org", address="10.0.0.2")
    fail(2, email="other@example.org", address="10.0.0.2")

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is True
    assert throttle.is_blocked(email="new@example.org", address="10.0.0.2") is True
    assert throttle.window_seconds() == 7 * 60


def test_is_blocked_false_without_failures() -> None:
    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


def test_is_blocked_false_below_the_account_limit() -> None:
    fail(throttle.max_failures_per_account() - 1)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


def test_is_blocked_true_at_the_account_limit_from_that_address() -> None:
    fail(throttle.max_failures_per_account())

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is True


def test_failures_from_one_address_do_not_block_the_account_from_another() -> None:
    fail(throttle.max_failures_per_account() * 3)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.99") is False


def test_is_blocked_counts_the_email_case_and_space_insensitively() -> None:
    fail(throttle.max_failures_per_account(), email=" Rina@Example.org ")

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is True


def test_is_blocked_true_at_the_address_limit_for_any_account() -> None:
    for number in range(throttle.max_failures_per_address()):
        throttle.record_failure(email=f"person{number}@example.org", address="10.0.0.1")

    assert throttle.is_blocked(email="new@example.org", address="10.0.0.1") is True
    assert throttle.is_blocked(email="new@example.org", address="10.0.0.2") is False


def test_is_blocked_leaves_other_accounts_alone() -> None:
    fail(throttle.max_failures_per_account())

    assert throttle.is_blocked(email="chris@example.org", address="10.0.0.1") is False


def test_is_blocked_ends_with_the_window() -> None:
    fail(throttle.max_failures_per_account())
    # The window is the cache timeout: expiring the keys is what the cache does at its end.
    cache.clear()

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


def test_record_failure_sets_the_window_as_cache_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    timeouts: list[int | None] = []
    original_add = cache.add

    def add(key: str, value: int, timeout: int | None = None) -> bool:
        timeouts.append(timeout)
        return original_add(key, value, timeout=timeout)

    monkeypatch.setattr(cache, "add", add)

    fail(1)

    assert timeouts == [throttle.window_seconds(), throttle.window_seconds()]


def test_reset_account_forgets_the_pair_but_not_the_address() -> None:
    for number in range(throttle.max_failures_per_address() - 1):
        throttle.record_failure(email=f"person{number}@example.org", address="10.0.0.1")
    fail(throttle.max_failures_per_account() - 1, address="10.0.0.2")

    throttle.reset_account(email="rina@example.org", address="10.0.0.2")
    fail(1, address="10.0.0.2")
    fail(1)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.2") is False
    assert throttle.is_blocked(email="other@example.org", address="10.0.0.1") is True


def test_client_address_reads_remote_addr_not_forwarded_headers() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    assert throttle.client_address(request) == "192.0.2.10"


def test_client_address_behind_a_trusted_proxy_is_the_forwarded_one(settings: Any) -> None:
    settings.WIJKPORTAAL_TRUSTED_PROXIES = ["192.0.2.0/24"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1"
    )

    assert throttle.client_address(request) == "198.51.100.1"


# With the cache down: count in the database, and say so in the log.


@pytest.mark.django_db
def test_with_the_cache_down_failures_count_in_the_database(
    cache_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="accounts.throttle"):
        fail(throttle.max_failures_per_account() - 1)
        assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False
        fail(1)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is True
    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.2") is False
    assert ThrottleCount.objects.count() == 2
    # One warning, not one per call: the cache is not asked again for a while.
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "ConnectionError" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_with_the_cache_down_the_address_limit_holds(cache_down: None) -> None:
    for number in range(throttle.max_failures_per_address()):
        throttle.record_failure(email=f"person{number}@example.org", address="10.0.0.1")

    assert throttle.is_blocked(email="new@example.org", address="10.0.0.1") is True
    assert throttle.is_blocked(email="new@example.org", address="10.0.0.2") is False


@pytest.mark.django_db
def test_with_the_cache_down_a_window_ends_and_starts_again(cache_down: None) -> None:
    fail(throttle.max_failures_per_account())
    ThrottleCount.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False
    fail(1)

    # The expired rows are gone, and the pair and the address each count one again.
    assert sorted(ThrottleCount.objects.values_list("count", flat=True)) == [1, 1]


@pytest.mark.django_db
def test_with_the_cache_down_reset_account_forgets_the_pair(cache_down: None) -> None:
    fail(throttle.max_failures_per_account())

    throttle.reset_account(email="rina@example.org", address="10.0.0.1")

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


@pytest.mark.django_db
def test_with_the_cache_down_reset_requests_count_in_the_database(cache_down: None) -> None:
    allowed = [
        throttle.record_reset_request(email="rina@example.org", address="10.0.0.1")
        for __ in range(throttle.MAX_RESETS_PER_ACCOUNT + 1)
    ]

    assert allowed == [True] * throttle.MAX_RESETS_PER_ACCOUNT + [False]
    assert throttle.reset_address_blocked(address="10.0.0.1") is False


@pytest.mark.django_db
@pytest.mark.parametrize("error", [RedisConnectionError("down"), RedisTimeoutError("hung")])
def test_a_cache_that_raises_midway_falls_back(
    error: Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "add", broken)

    fail(throttle.max_failures_per_account())

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is True


@pytest.mark.django_db
def test_the_cache_is_asked_again_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    with override_settings(CACHES=DOWN_CACHE):
        fail(1)
    clock = throttle.time.monotonic() + throttle.CACHE_RETRY_SECONDS + 1
    monkeypatch.setattr(throttle.time, "monotonic", lambda: clock)

    fail(1)

    # The second failure went to the cache (back up) again, not to the database.
    assert sorted(ThrottleCount.objects.values_list("count", flat=True)) == [1, 1]
    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False
