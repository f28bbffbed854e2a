"""Named roles and test-only settings for the whole suite."""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings as django_settings
from django.test.utils import override_settings

from accounts import throttle
from accounts.models import User
from areas.locate import forget_wijk_index
from areas.models import Gebiedsteam
from tests.factories import (
    CouncilMembershipFactory,
    GebiedsteamFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import square
from web import pagecache
from wijkportaal.celery import app as celery_app

# The fixtures of real Redis servers, Celery workers and the SMTP sink (tests/workers.py).
pytest_plugins = ["tests.workers"]

# Redis has databases 0–15; a worker beyond that would share one with another worker.
REDIS_DATABASES = 16


def pytest_configure(config: pytest.Config) -> None:
    _own_cache_per_xdist_worker()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """In xdist's default mode (`-n` without `--dist`), keep the browser tests together."""
    if config.getoption("dist") != "load":
        return None
    from tests.scheduling import BrowserModulesTogether

    return BrowserModulesTogether(config, log)


def _own_cache_per_xdist_worker() -> None:
    """Under pytest-xdist, give each worker its own Redis database for Django's cache.

    With REDIS_URL set (as in CI) the cache is Redis, which the workers would otherwise
    share: one worker's `cache.clear()` (FLUSHDB) would empty the other's cache in the middle
    of a test, and the sign-in throttle counts failures per address, 127.0.0.1 for every
    worker. Worker gwN uses database (n + N) mod 16 of the configured `redis://…/n`, so up to
    16 workers never share one. The test databases are already one per worker
    (pytest-django's suffix `_gwN`); the worker tests start Redis servers of their own.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = django_settings.CACHES["default"]
    if not worker or not cache["BACKEND"].endswith(".RedisCache"):
        return
    number = int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(f"At most {REDIS_DATABASES} xdist workers with a Redis cache.")
    match = re.fullmatch(r"(?P<server>rediss?://[^/]+)(?:/(?P<db>\d*))?", cache["LOCATION"])
    if match is None:
        raise pytest.UsageError(f"Cannot give each xdist worker a database of {cache['LOCATION']}")
    database = (int(match["db"] or 0) + number) % REDIS_DATABASES
    # override_settings announces the change, so Django's cache handler drops any client it
    # made for the shared database; it stays on for the whole session.
    override_settings(
        CACHES={
            **django_settings.CACHES,
            "default": {**cache, "LOCATION": f"{match['server']}/{database}"},
        }
    ).enable()


@pytest.fixture(autouse=True)
def _fast_and_offline(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WIJKPORTAAL_BASEMAP_URL = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The permission matrix and the no-5xx test send thousands of API requests from one
    # address; tests/api/test_throttling.py sets a rate of its own.
    settings.WIJKPORTAAL_API_RATE = "1000000/m"


@pytest.fixture(autouse=True)
def _english_if_marked(request: pytest.FixtureRequest) -> None:
    """Under @pytest.mark.english, render in English: the assertions read the msgids.

    The portal speaks Dutch; modules that assert texts of the UI use the English msgids so
    that a better Dutch translation never breaks them.
    """
    if request.node.get_closest_marker("english"):
        settings = request.getfixturevalue("settings")
        settings.LANGUAGE_CODE = "en"
        settings.LANGUAGES = [("en", "English")]


@pytest.fixture(autouse=True)
def _fresh_wijk_index():
    """Start and end every test without the process-wide point → wijk index.

    The index is rebuilt when the wijken change, but rolled-back test data can leave the same
    count and timestamps behind, so a stale index could answer the next test.
    """
    forget_wijk_index()
    yield
    forget_wijk_index()


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Run queued tasks in the test process, also where REDIS_URL is set (as in CI).

    Tests that check the wiring through a real broker and worker set that up themselves.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def gebiedsteam(db: None) -> Gebiedsteam:
    return GebiedsteamFactory(name="Noord", slug="noord")


@pytest.fixture
def other_gebiedsteam(db: None) -> Gebiedsteam:
    return GebiedsteamFactory(name="Reeshof", slug="reeshof")


@pytest.fixture
def resident(db: None) -> User:
    return UserFactory(email="bewoner@example.org", full_name="Bewoner Bas")


@pytest.fixture
def team_member(gebiedsteam: Gebiedsteam) -> User:
    user = UserFactory(email="regisseur@example.org", full_name="Regisseur Rina")
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam)
    return user


@pytest.fixture
def other_team_member(other_gebiedsteam: Gebiedsteam) -> User:
    user = UserFactory(email="collega@example.org", full_name="Collega Chris")
    TeamMembershipFactory(user=user, gebiedsteam=other_gebiedsteam)
    return user


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory(
        email="beheer@example.org", full_name="Beheer Bea", is_staff=True, is_functional_admin=True
    )


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(
        name="Quirijnstok",
        slug="quirijnstok",
        gebiedsteam=gebiedsteam,
        geometry=square(5.0),
        geometry_simplified=square(5.0),
    )


@pytest.fixture
def other_wijk(other_gebiedsteam):
    return WijkFactory(
        name="Reeshof-Oost",
        slug="reeshof-oost",
        gebiedsteam=other_gebiedsteam,
        geometry=square(5.2),
        geometry_simplified=square(5.2),
    )


@pytest.fixture
def owner():
    return PartnerOrganisationFactory(name="ContourdeTwern")


@pytest.fixture
def owner_staff(owner):
    user = UserFactory(email="twern@example.org", full_name="Partner Pim")
    OrganisationMembershipFactory(user=user, organisation=owner)
    return user


@pytest.fixture
def other_staff():
    user = UserFactory(email="tiwos@example.org", full_name="Partner Petra")
    OrganisationMembershipFactory(user=user, organisation=PartnerOrganisationFactory(name="Tiwos"))
    return user


@pytest.fixture
def council_member(wijk):
    council = WijkraadFactory()
    council.wijken.set([wijk])
    user = UserFactory(email="raad@example.org", full_name="Raadslid Ria")
    CouncilMembershipFactory(user=user, wijkraad=council)
    return user


@pytest.fixture
def signed_in_team_member(client, team_member):
    client.force_login(team_member)
    return team_member


@pytest.fixture(autouse=True)
def _throttle_asks_the_cache():
    """Start and end every test with the sign-in throttle asking the cache first: a test
    with the cache down would otherwise send the next tests' counts to the database."""
    throttle.forget_cache_failure()
    yield
    throttle.forget_cache_failure()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Start every test in a new generation of the page cache, with the cache asked again.

    A test's data is rolled back at its end, which bumps nothing (in production only a commit
    changes what visitors see): pages stored for the last test would answer this one.
    """
    pagecache.forget_cache_failure()
    pagecache.bump_now()
    yield
    pagecache.forget_cache_failure()
