from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from accounts import throttle


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def fail(times: int, *, email: str = "rina@example.org", address: str = "10.0.0.1") -> None:
    for __ in range(times):
        throttle.record_failure(email=email, address=address)


def test_is_blocked_false_without_failures() -> None:
    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


def test_is_blocked_false_below_the_account_limit() -> None:
    fail(throttle.MAX_FAILURES_PER_ACCOUNT - 1)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.1") is False


def test_is_blocked_true_at_the_account_limit_from_any_address() -> None:
    fail(throttle.MAX_FAILURES_PER_ACCOUNT)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.99") is True


def test_is_blocked_counts_the_email_case_and_space_insensitively() -> None:
    fail(throttle.MAX_FAILURES_PER_ACCOUNT, email=" Rina@Example.org ")

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.2") is True


def test_is_blocked_true_at_the_address_limit_for_any_account() -> None:
    for number in range(throttle.MAX_FAILURES_PER_ADDRESS):
        throttle.record_failure(email=f"person{number}@example.org", address="10.0.0.1")

    assert throttle.is_blocked(email="new@example.org", address="10.0.0.1") is True
    assert throttle.is_blocked(email="new@example.org", address="10.0.0.2") is False


def test_is_blocked_leaves_other_accounts_alone() -> None:
    fail(throttle.MAX_FAILURES_PER_ACCOUNT)

    assert throttle.is_blocked(email="chris@example.org", address="10.0.0.2") is False


def test_is_blocked_ends_with_the_window() -> None:
    fail(throttle.MAX_FAILURES_PER_ACCOUNT)
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

    assert timeouts == [throttle.WINDOW_SECONDS, throttle.WINDOW_SECONDS]


def test_reset_account_forgets_the_account_but_not_the_address() -> None:
    for number in range(throttle.MAX_FAILURES_PER_ADDRESS - 1):
        throttle.record_failure(email=f"person{number}@example.org", address="10.0.0.1")
    fail(throttle.MAX_FAILURES_PER_ACCOUNT - 1)

    throttle.reset_account(email="rina@example.org")
    fail(1)

    assert throttle.is_blocked(email="rina@example.org", address="10.0.0.2") is False
    assert throttle.is_blocked(email="other@example.org", address="10.0.0.1") is True


def test_client_address_reads_remote_addr_not_forwarded_headers() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    assert throttle.client_address(request) == "192.0.2.10"
