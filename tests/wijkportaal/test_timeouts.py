"""Every outside call that could hang has a time limit, and the database connections are
health-checked: the settings (read from the environment) and where they are used.

The settings are read in a fresh interpreter with a chosen environment, as a deployment
would start, so the test sees what the environment variables make of them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.mail import get_connection

from wijkportaal.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]

READ_SETTINGS = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "wijkportaal.settings"
from django.conf import settings
print(json.dumps({
    "CACHES": settings.CACHES,
    "DATABASES": {"CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
                  "CONN_HEALTH_CHECKS": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]},
    "EMAIL_TIMEOUT": settings.EMAIL_TIMEOUT,
    "CELERY_BROKER_TRANSPORT_OPTIONS": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "CELERY_BROKER_CONNECTION_TIMEOUT": settings.CELERY_BROKER_CONNECTION_TIMEOUT,
}))
"""

# What the settings read: only these (and no .env of the developer's) decide the answer.
NAMES = (
    "DJANGO_EMAIL_TIMEOUT",
    "WIJKPORTAAL_REDIS_TIMEOUT",
    "WIJKPORTAAL_CACHE_TIMEOUT",
    "WIJKPORTAAL_DB_CONN_MAX_AGE",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "WIJKPORTAAL_TASKS_EAGER",
    "DATABASE_URL",
)


def settings_with(**environment: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in NAMES}
    env |= {"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "test", **environment}
    # A .env in the project folder would fill in what is left out: name every variable.
    for name in NAMES:
        env.setdefault(name, "")
    env.pop("DATABASE_URL")  # empty is not a URL: the SQLite default
    env.pop("CELERY_BROKER_URL")
    env.pop("WIJKPORTAAL_TASKS_EAGER")
    for name in (
        "DJANGO_EMAIL_TIMEOUT",
        "WIJKPORTAAL_REDIS_TIMEOUT",
        "WIJKPORTAAL_CACHE_TIMEOUT",
        "WIJKPORTAAL_DB_CONN_MAX_AGE",
    ):
        if not env[name]:
            env.pop(name)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults() -> dict:
    return settings_with(REDIS_URL="redis://redis.example:6379/0")


def test_the_defaults(defaults: dict) -> None:
    assert defaults["EMAIL_TIMEOUT"] == 10.0
    assert defaults["CACHES"]["default"]["OPTIONS"] == {
        "socket_timeout": 0.5,
        "socket_connect_timeout": 0.5,
    }
    assert defaults["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "socket_timeout": 2.0,
        "socket_connect_timeout": 2.0,
    }
    assert defaults["CELERY_BROKER_CONNECTION_TIMEOUT"] == 2.0
    assert defaults["DATABASES"] == {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": True}


def test_the_environment_sets_them() -> None:
    chosen = settings_with(
        REDIS_URL="redis://redis.example:6379/0",
        DJANGO_EMAIL_TIMEOUT="7.5",
        WIJKPORTAAL_REDIS_TIMEOUT="0.5",
        WIJKPORTAAL_CACHE_TIMEOUT="0.25",
        WIJKPORTAAL_DB_CONN_MAX_AGE="60",
    )

    assert chosen["EMAIL_TIMEOUT"] == 7.5
    assert chosen["CACHES"]["default"]["OPTIONS"] == {
        "socket_timeout": 0.25,
        "socket_connect_timeout": 0.25,
    }
    assert chosen["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "socket_timeout": 0.5,
        "socket_connect_timeout": 0.5,
    }
    assert chosen["CELERY_BROKER_CONNECTION_TIMEOUT"] == 0.5
    assert chosen["DATABASES"] == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def test_without_redis_the_cache_is_in_process() -> None:
    assert settings_with()["CACHES"] == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def test_production_example_pools_database_connections() -> None:
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    example = (BASE_DIR / ".env.example").read_text()

    assert "WIJKPORTAAL_DB_CONN_MAX_AGE: ${WIJKPORTAAL_DB_CONN_MAX_AGE:-60}" in compose
    assert "# WIJKPORTAAL_DB_CONN_MAX_AGE=60" in example


def test_the_database_connection_is_health_checked() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_redis_cache_connections_carry_the_timeouts(defaults: dict) -> None:
    params = defaults["CACHES"]["default"]
    cache = RedisCache(params["LOCATION"], params)

    pool = cache._cache._get_connection_pool(write=True)

    assert pool.connection_kwargs["socket_timeout"] == 0.5
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.5


def test_the_mail_connection_has_the_timeout() -> None:
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")

    assert settings.EMAIL_TIMEOUT == 10.0
    assert connection.timeout == 10.0


def test_the_celery_app_has_the_broker_timeouts() -> None:
    assert celery_app.conf.broker_transport_options == {
        "socket_timeout": settings.WIJKPORTAAL_REDIS_TIMEOUT,
        "socket_connect_timeout": settings.WIJKPORTAAL_REDIS_TIMEOUT,
    }
    assert celery_app.conf.broker_connection_timeout == settings.WIJKPORTAAL_REDIS_TIMEOUT
    assert settings.WIJKPORTAAL_REDIS_TIMEOUT == 2.0


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


TIMEOUT = 0.5


def test_a_hung_redis_fails_a_cache_read_within_the_timeout(silent_server: int) -> None:
    cache = RedisCache(
        f"redis://127.0.0.1:{silent_server}/0",
        {"OPTIONS": {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT}},
    )
    started = time.monotonic()

    with pytest.raises(Exception, match="Timeout"):
        cache.get("anything")

    # redis-py retries a timed-out command once by default.
    assert time.monotonic() - started < 3 * TIMEOUT + 1


def _reset_producer() -> None:
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:  # the cached property, once something queued
        celery_app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def hung_broker(silent_server: int) -> Iterator[None]:
    """This process queues to the silent server (with short timeouts) instead of in process."""
    conf = celery_app.conf
    previous = (
        conf.broker_url,
        conf.task_always_eager,
        conf.broker_transport_options,
        conf.broker_connection_timeout,
    )
    conf.broker_url = f"redis://127.0.0.1:{silent_server}/0"
    conf.task_always_eager = False
    conf.broker_transport_options = {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT}
    conf.broker_connection_timeout = TIMEOUT
    _reset_producer()
    yield
    (
        conf.broker_url,
        conf.task_always_eager,
        conf.broker_transport_options,
        conf.broker_connection_timeout,
    ) = previous
    _reset_producer()


def test_a_hung_broker_fails_the_queueing_fast_and_logs_it(
    hung_broker: None, caplog: pytest.LogCaptureFixture
) -> None:
    from accounts.outbox import send_mail

    started = time.monotonic()
    send_mail._queue_or_log(mail_id=1)  # noqa: SLF001
    took = time.monotonic() - started

    # Three attempts (CELERY_TASK_PUBLISH_RETRY_POLICY), each waiting at most the timeout
    # (redis-py tries a timed-out command twice), with short pauses between.
    assert took < 6 * TIMEOUT + 2
    assert [
        record.getMessage() for record in caplog.records if record.name == "wijkportaal.celery"
    ] == ["Could not queue task accounts.send_mail: the broker is unreachable."]
