"""Sign-in with a real Redis as the cache that is frozen, then stopped.

Like the worker tests (tests/followup/test_tasks_worker.py), these start a redis-server of
their own, so that stopping it is nobody else's business; they run when REDIS_URL or CI is
set.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from accounts import throttle
from accounts.models import ThrottleCount, User
from tests.factories import UserFactory
from tests.workers import RedisServer, needs_real_components

pytestmark = [pytest.mark.worker, pytest.mark.django_db, pytest.mark.english]

PASSWORD = "wachtwoord-voor-tests"
LOGIN_URL = "/account/inloggen/"


@pytest.fixture
def redis_cache(tmp_path: Path) -> Iterator[RedisServer]:
    """Django's cache on a redis-server of this test, with the timeouts of settings.py."""
    needs_real_components()
    server = RedisServer(tmp_path)
    server.start()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield server
    finally:
        if server.process is not None:
            os.kill(server.process.pid, signal.SIGCONT)
        server.stop()


def sign_in(client: Client, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        LOGIN_URL, {"username": "rina@example.org", "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def rina() -> User:
    return UserFactory(email="rina@example.org")


def test_sign_in_goes_on_with_redis_frozen_and_then_stopped(
    client: Client, rina: User, redis_cache: RedisServer
) -> None:
    assert sign_in(client, "fout").status_code == 400
    assert ThrottleCount.objects.count() == 0  # counted in Redis

    assert redis_cache.process is not None
    os.kill(redis_cache.process.pid, signal.SIGSTOP)
    started = time.monotonic()
    page = client.get(LOGIN_URL)
    wrong = sign_in(client, "fout")
    right = sign_in(client, PASSWORD)
    took = time.monotonic() - started

    assert (page.status_code, wrong.status_code, right.status_code) == (200, 400, 302)
    assert client.session[SESSION_KEY] == str(rina.pk)
    assert took < 3  # one socket timeout, not one per cache call
    # In the database: the address; the pair was forgotten when Rina signed in.
    assert ThrottleCount.objects.count() == 1

    os.kill(redis_cache.process.pid, signal.SIGCONT)
    redis_cache.stop()
    throttle.forget_cache_failure()  # ask the (now stopped) Redis again at once
    other = Client()
    for number in range(5):
        assert sign_in(other, f"fout-{number}", address="10.0.0.2").status_code == 400

    assert sign_in(other, PASSWORD, address="10.0.0.2").status_code == 429
    assert sign_in(other, PASSWORD, address="10.0.0.3").status_code == 302
