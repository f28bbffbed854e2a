"""The permission matrix: every view, as every role of docs/roles.md, GET and POST.

The test reads the role table of docs/roles.md, walks every pattern of the URL conf (a
pattern without an entry in tests/permissions/views.py fails), builds one world in two
gebieden (tests/permissions/world.py) and requests each view for each of its objects as each
role, with GET and with POST, whatever a request writes rolled back (`rolled_back`: a
savepoint made before its first write, so the many that only read need none). The answer
expected follows from the table and the object's scope: allowed → the view's success status;
not allowed → a redirect to sign in (anonymous, login-only views), 404 (cannot read the
object), 403 (can read it, may not act); 405 for a method the view does not take; never 500.

COUNTS (printed by `test_matrix_size`): 111 patterns (every one but the admin site's) × 15
roles × 2 methods = 3,330 combinations; each pattern is requested for each of its objects
(355 pattern × object pairs: both gebieden, drafts, council-only and decided proposals, closed
meetings, both organisations' staff…), so 355 × 15 × 2 = 10,650 requests, and 5 × 15 more
to the admin site at /beheer/ (`admin_site_mismatches`). A page answered to a role must also
not name an object that role cannot read (the objects' titles are distinct for the purpose).

One test per role, so that a failure lists everything one role gets wrong; tests/scheduling.py
hands the roles to the xdist workers in four units, each building the world once (about a
second). The whole matrix takes about 45 s on two workers, 3–7 s per role.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from tests.factories import UserFactory
from tests.permissions.matrix import (
    ADMIN_CHECKS,
    METHODS,
    admin_site_mismatches,
    matrix_patterns,
    rolled_back,
    run_role,
)
from tests.permissions.roles import (
    RolesTableError,
    parse_roles_table,
    read_roles_table,
)
from tests.permissions.views import VIEWS
from tests.permissions.world import World, build_world

TABLE = read_roles_table()
ROLES = TABLE.roles
# tests/scheduling.py keeps the roles of one unit on one worker, which builds the world once.
MATRIX_UNITS = 4
MINIMUM_ROLES = 14
MINIMUM_COMBINATIONS = 2600  # patterns × roles × methods
MINIMUM_REQUESTS = 8500


@contextmanager
def quiet_request_log() -> Iterator[None]:
    """Thousands of 403s, 404s and 405s are expected: logging each costs a third of the run.
    Errors (a 500) are still logged."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_log.setLevel(level)


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[World, dict]]:
    """The world and a signed-in session per role, in a transaction rolled back at the end.

    Sessions live in signed cookies: one query fewer for each of the thousands of requests.
    """
    with (
        quiet_request_log(),
        override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        sessions: dict[str, str | None] = {}
        for role, user in world.users.items():
            if user is None:
                sessions[role] = None
                continue
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world, sessions
        transaction.set_rollback(True)


def test_the_roles_table_is_read() -> None:
    assert len(ROLES) >= MINIMUM_ROLES
    assert {"public", "read_drafts", "decide_proposal", "give_advice", "admin_site"} <= set(
        TABLE.cells
    )
    assert TABLE.cell("give_advice", "functional_admin") == "—"


def test_an_unreadable_table_fails_clearly() -> None:
    with pytest.raises(RolesTableError, match="no table"):
        parse_roles_table("# Roles\n\nNo table here.\n")
    broken = "| Action | " + " | ".join(ROLES) + " |\n|---|\n| `public` | ✓ |\n"
    with pytest.raises(RolesTableError):
        parse_roles_table(broken)


def test_every_pattern_has_an_entry() -> None:
    patterns = matrix_patterns()

    missing = sorted(set(patterns) - set(VIEWS))
    stale = sorted(set(VIEWS) - set(patterns))
    assert missing == [], (
        f"URL patterns without an entry in tests/permissions/views.py: {missing}. Add each with "
        "the action of docs/roles.md that guards its GET and POST."
    )
    assert stale == [], f"entries in tests/permissions/views.py for no pattern: {stale}"


def test_every_entry_names_actions_of_the_table() -> None:
    unknown = {
        (name, action)
        for name, view in VIEWS.items()
        for action in (view.get, view.post)
        if action is not None and action not in TABLE.cells
    }
    assert unknown == set()


def test_matrix_size(capsys: pytest.CaptureFixture[str]) -> None:
    patterns = len(VIEWS)
    combinations = patterns * len(ROLES) * len(METHODS)
    pairs = sum(len(view.targets) for view in VIEWS.values())
    requests = pairs * len(ROLES) * len(METHODS)
    with capsys.disabled():
        print(
            f"\npermission matrix: {patterns} patterns × {len(ROLES)} roles × {len(METHODS)} "
            f"methods = {combinations} combinations; {pairs} pattern × object pairs, "
            f"{requests} requests (and {ADMIN_CHECKS * len(ROLES)} to the admin site)"
        )
    assert len(ROLES) >= MINIMUM_ROLES
    assert combinations >= MINIMUM_COMBINATIONS
    assert requests >= MINIMUM_REQUESTS


@pytest.mark.django_db
def test_what_a_request_writes_is_rolled_back() -> None:
    """The matrix's requests share one world: `rolled_back` (its savepoint made only before
    the first write) must undo every write, nested atomics and failed statements included."""
    user = UserFactory(email="voor@example.org", full_name="Voor")
    emails = ("voor@example.org", "nieuw@example.org")
    with rolled_back():
        assert User.objects.get(pk=user.pk).full_name == "Voor"  # a read: no savepoint yet
        User.objects.filter(pk=user.pk).update(full_name="Na")
        with transaction.atomic():
            UserFactory(email="nieuw@example.org")
        assert User.objects.filter(email__in=emails).count() == 2
    with rolled_back(), pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
        User.objects.create(email=user.email)  # the same address twice: refused

    assert list(User.objects.filter(email__in=emails).values_list("email", "full_name")) == [
        ("voor@example.org", "Voor")
    ]


def _units() -> list[pytest.ParameterSet]:
    return [
        pytest.param(role, id=f"unit{number % MATRIX_UNITS}-{role}")
        for number, role in enumerate(ROLES)
    ]


# The mark makes pytest-django set up the test database (for the `matrix` fixture too).
@pytest.mark.django_db
@pytest.mark.parametrize("role", _units())
def test_role(role: str, matrix: tuple[World, dict]) -> None:
    world, sessions = matrix
    assert role in world.users, f"the world has no user for the role {role}"

    mismatches, requests = run_role(TABLE, world, VIEWS, role, sessions[role])
    mismatches += admin_site_mismatches(TABLE, world, role, sessions[role])

    assert requests > 0
    assert not mismatches, f"{role}: {len(mismatches)} of {requests} answers differ:\n" + "\n".join(
        f"  {outcome}" for outcome in mismatches
    )
