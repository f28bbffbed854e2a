from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from web import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.english]

URL = "/api/v1/organisations/"


@pytest.fixture
def rate(settings: pytest.FixtureRequest) -> None:
    settings.WIJKPORTAAL_API_RATE = "3/m"
    cache.delete_many([f"api-throttle:192.0.2.{n}" for n in (10, 11)])


def test_a_client_over_the_rate_gets_429_and_when_to_come_back(client: Client, rate: None) -> None:
    answers = [client.get(URL, REMOTE_ADDR="192.0.2.10").status_code for _ in range(4)]
    refused = client.get(URL, REMOTE_ADDR="192.0.2.10")
    other = client.get(URL, REMOTE_ADDR="192.0.2.11")

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    wait = refused["Retry-After"]
    assert refused.json() == {
        "detail": f"Request was throttled. Expected available in {wait} seconds."
    }
    assert other.status_code == 200


def test_behind_a_trusted_proxy_each_client_counts_on_its_own(
    client: Client, rate: None, settings: pytest.FixtureRequest
) -> None:
    settings.WIJKPORTAAL_TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = {"REMOTE_ADDR": "10.0.0.1"}

    first = [
        client.get(URL, HTTP_X_FORWARDED_FOR="192.0.2.10", **proxied).status_code for _ in range(4)
    ]
    second = client.get(URL, HTTP_X_FORWARDED_FOR="192.0.2.11", **proxied).status_code

    assert (first, second) == ([200, 200, 200, 429], 200)


def test_with_the_cache_down_the_api_still_answers(client: Client, rate: None) -> None:
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down):
        answers = [client.get(URL, REMOTE_ADDR="192.0.2.10").status_code for _ in range(5)]
    pagecache.forget_cache_failure()

    assert answers == [200] * 5


def test_a_malformed_rate_stops_the_portal_at_start() -> None:
    env = {**os.environ, "WIJKPORTAAL_API_RATE": "300 per minute", "DJANGO_DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: WIJKPORTAAL_API_RATE must be "
        "<number>/<s|m|h|d>, such as 300/m: '300 per minute'"
    )
