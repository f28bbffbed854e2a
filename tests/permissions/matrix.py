"""Requesting the views as every role and comparing the answer with docs/roles.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from tests.permissions.roles import Table, allows
from tests.permissions.views import GET, POST, View
from tests.permissions.world import Target, World

LOGIN = "login"  # a 302 to the sign-in page
METHODS = (GET, POST)

# Patterns the matrix does not request one by one: the admin site (checked separately), and
# the debug toolbar's should one be installed for development.
SKIPPED_NAMESPACES = ("admin:", "djdt:")


def named_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every pattern of the URL conf with its full name (namespace:name); unnamed ones as
    their regex, so that they need an entry too."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name or entry.pattern}", entry


def matrix_patterns() -> list[str]:
    return [name for name, _ in named_patterns() if not name.startswith(SKIPPED_NAMESPACES)]


def target_for(world: World, name: str, role: str) -> Target:
    if name == "own_notification":
        return world.targets[f"notification_{'resident' if role == 'anonymous' else role}"]
    return world.targets[name]


def value_at(obj: Any, path: str) -> str:
    if path.startswith("="):
        return path[1:]
    value = obj
    for part in path.split("."):
        value = getattr(value, part)
    return str(value)


def expected_status(table: Table, view: View, target: Target, role: str, method: str) -> Any:
    """What docs/roles.md says the view answers this role, for this object and method."""
    anonymous = role == "anonymous"
    needs_login = view.login or (view.login_post and method == POST)
    if method not in view.methods:
        return LOGIN if anonymous and view.login and view.login_first else 405
    if anonymous and needs_login:
        return LOGIN
    if not allows(table, role, target.read, target.scope):
        return 404
    action = view.get if method == GET else view.post
    assert action is not None
    if not allows(table, role, action, target.scope):
        return view.denied
    if not anonymous and method in view.ok_signed_in:
        return view.ok_signed_in[method]
    return view.ok_when.get(target.kind, {}).get(method, view.ok[method])


@dataclass(frozen=True)
class Outcome:
    name: str
    target: str
    method: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return (
            f"{self.name} [{self.target}] {self.method}: "
            f"expected {self.expected}, got {self.actual}"
        )


class LeanClient(Client):
    """The test client without what the matrix does not read: it keeps no copy of every
    template's context (a third of the run) and answers an exception with the 500 page
    (logged by django.request), as the portal would.

    The matrix makes a client for each request, so that no cookie a response sets reaches
    the next one; the clients share one handler, which builds the middleware chain once
    instead of for every request. One per session engine and middleware setting, which the
    chain reads when it is built (the matrix's fixture has sessions in signed cookies)."""

    handlers: ClassVar[dict[tuple[str, tuple[str, ...]], ClientHandler]] = {}

    def __init__(self, **defaults: Any) -> None:
        super().__init__(**defaults)
        key = (settings.SESSION_ENGINE, tuple(settings.MIDDLEWARE))
        self.handler = self.handlers.setdefault(key, self.handler)

    def request(self, **request: Any) -> Any:
        return self.handler(self._base_environ(**request))


# Statements that change nothing; any other one is preceded by the savepoint of `rolled_back`.
READS = ("SELECT", "(SELECT", "DECLARE")
SAVEPOINT = "matrix_request"


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the block writes is rolled back at its end, as in `transaction.atomic()` with
    `set_rollback(True)`; but the savepoint is made only just before the first statement that
    is not a read (a write, or a savepoint of the view's own `atomic`, which then nests inside
    it). Most requests of the matrix only read: they are spared the SAVEPOINT, ROLLBACK TO and
    RELEASE that Django's atomic sends, half of all the statements of the matrix.

    Must run inside a transaction (the matrix's module-wide one). If a statement fails, the
    rollback to the savepoint also clears the failed state, as Django's atomic would."""
    made = False

    def savepoint_before_writes(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        nonlocal made
        if not made and not sql.lstrip()[:8].upper().startswith(READS):
            made = True
            with context["connection"].cursor() as cursor:
                cursor.execute(f"SAVEPOINT {SAVEPOINT}")
        return execute(sql, params, many, context)

    assert connection.in_atomic_block, "rolled_back() needs a transaction around it"
    try:
        with connection.execute_wrapper(savepoint_before_writes):
            yield
    finally:
        if made:
            # A statement that failed after the savepoint marked the transaction as broken;
            # rolling back to the savepoint mends it.
            connection.needs_rollback = False
            with connection.cursor() as cursor:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
                cursor.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")


def request_as(
    session_key: str | None,
    method: str,
    url: str,
    data: dict[str, str],
    secrets: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
) -> Any:
    """The answer, with whatever the request wrote rolled back (`rolled_back`): nothing a POST
    does stays. A page naming an object in `secrets` (which the role cannot read) answers
    "leaks …"."""
    client = LeanClient()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    login_url = resolve_url(settings.LOGIN_URL)
    with rolled_back():
        send = client.get if method == GET else client.post
        response = send(url, data, headers=headers)
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return LOGIN
    if secrets and not response.streaming:
        content = response.content.decode(errors="replace")
        leaked = [secret for secret in secrets if secret in content]
        if leaked:
            return f"{response.status_code}, but leaks {', '.join(leaked)}"
    return response.status_code


def url_and_data(view: View, name: str, target: Target) -> tuple[str, dict[str, str]]:
    """The URL (with its query, for GET and POST alike) and the body of a POST."""
    kwargs = {key: value_at(target.obj, path) for key, path in view.kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    query = {
        key: value_at(target.obj, path)
        for key, path in view.query.items()
        if target.obj is not None or path.startswith("=")
    }
    if query:
        url = f"{url}?{urlencode(query)}"
    return url, {key: value_at(target.obj, path) for key, path in view.data.items()}


def run_role(
    table: Table, world: World, views: dict[str, View], role: str, session_key: str | None
) -> tuple[list[Outcome], int]:
    """Every view, object and method as `role`: the mismatches, and how many requests."""
    mismatches = []
    requests = 0
    secrets = tuple(
        target.secret
        for target in world.targets.values()
        if target.secret and not allows(table, role, target.read, target.scope)
    )
    for name, view in views.items():
        for target_name in view.targets:
            target = target_for(world, target_name, role)
            url, data = url_and_data(view, name, target)
            for method in METHODS:
                expected = expected_status(table, view, target, role, method)
                actual = request_as(
                    session_key,
                    method,
                    url,
                    data if method == POST else {},
                    secrets,
                    {"HX-Request": "true"} if view.htmx else None,
                )
                requests += 1
                if actual != expected:
                    mismatches.append(Outcome(name, target_name, method, expected, actual))
    return mismatches, requests


# The admin site, which the matrix does not walk pattern by pattern: its index and a model of
# the portal's are for `admin_site`; whoever else asks is sent to its own sign-in page (302).
# Groups and permissions are the technical superuser's alone, and where a rule of the portal
# exists it decides in the admin site too: the functional administrator reads comments there
# but does not change them in another's name (403), as the superuser may (accounts.backends).
ADMIN_PAGES = ("/beheer/", "/beheer/agendas/wijkagenda/")
ADMIN_GROUPS = "/beheer/auth/group/"
ADMIN_CHECKS = 5  # the requests admin_site_mismatches makes per role


def admin_site_mismatches(
    table: Table, world: World, role: str, session_key: str | None
) -> list[Outcome]:
    scope = world.targets["anywhere"].scope
    admin = allows(table, role, "admin_site", scope)
    refused = 302  # to the admin site's own sign-in page
    comment = f"/beheer/participation/comment/{world.targets['comment_open_A'].obj.pk}/change/"
    checks = [(GET, url, 200 if admin else refused) for url in ADMIN_PAGES]
    checks += [
        (GET, ADMIN_GROUPS, {"superuser": 200, "functional_admin": 403}.get(role, refused)),
        (GET, comment, 200 if admin else refused),
        # An empty form: the superuser sees its errors; the administrator may not change it.
        (POST, comment, {"superuser": 200, "functional_admin": 403}.get(role, refused)),
    ]
    assert len(checks) == ADMIN_CHECKS
    mismatches = []
    for method, url, expected in checks:
        actual = request_as(session_key, method, url, {})
        if actual == LOGIN:  # the portal's sign-in page is not the admin site's
            actual = "302 to the portal's sign-in page"
        if actual != expected:
            mismatches.append(Outcome("admin", url, method, expected, actual))
    return mismatches
