"""No input gives a 500: odd values posted to every form, odd query strings sent to every page.

Hypothesis generates the requests (tests/permissions/fuzz.py has the strategies). Every URL
pattern of the permission matrix's list (tests/permissions/views.py) is requested with each
method it takes, as a role that docs/roles.md lets through to the view itself (not to a
sign-in redirect, a 403 or a 404), on an object of the matrix's world:

- every view that answers GET gets query strings: the parameters the portal's views read
  (page, q, gebied, zoom, next, …), those of the GET forms on the page and random ones, with
  NUL bytes, `²`, huge numbers, odd dates, deep JSON, several values, bad escapes;
- every view that takes POST gets bodies built on its form's real fields, read from the form
  on its page (or the page that carries it): each field as the page offers it, odd, several
  times or left out, plus fields the form does not have; multipart or urlencoded, as a plain
  request or as htmx.

No answer may be a 5xx (a view's exception fails with its traceback, and Hypothesis shrinks it
to the smallest request that raises it). An answer that refuses the input (a 4xx, a 200 with
the form's errors, a redirect with an error message) must have saved nothing: no INSERT,
UPDATE or DELETE that the database keeps (fuzz.WriteLog). Each request runs in a savepoint
that is rolled back, so a form that is taken changes nothing for the next one.

The counts (printed by `test_fuzz_size`): 117 patterns, 100 of them answering GET and 59
taking POST; GET_EXAMPLES query strings for each GET view and POST_EXAMPLES bodies for each
form, 868 requests in CI. WIJKPORTAAL_FUZZ_EXAMPLES sets POST_EXAMPLES for a deep run by hand.
Settings: derandomize (the same requests on every run, seeded per view), no example
database, no deadline. The cases are split into units that tests/scheduling.py keeps on one
xdist worker each, so the world is built once per unit and a page's forms are read once.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from areas.models import Wijk
from participation.models import Comment
from tests.areas.fake_locatieserver import FakeLocatieserver
from tests.permissions.fuzz import (
    HOSTS,
    NUMBER_PARAMETERS,
    PASSWORD_RESET,
    QUERY_PARAMETERS,
    RAW_QUERY,
    UNSHOWN_FIELDS,
    Field,
    Form,
    FuzzClient,
    Reach,
    WriteLog,
    form_data,
    form_for,
    forms_on,
    password_reset,
    query,
    quiet_request_log,
    reaching,
    refused,
    with_query,
)
from tests.permissions.matrix import matrix_patterns, target_for, url_and_data
from tests.permissions.roles import read_roles_table
from tests.permissions.views import GET, POST, VIEWS, View
from tests.permissions.world import World, build_world

TABLE = read_roles_table()

# A deep run by hand: more bodies per form (pages get half as many query strings), and other
# requests than CI's: WIJKPORTAAL_FUZZ_EXAMPLES=100 WIJKPORTAAL_FUZZ_SEED=1.
POST_EXAMPLES = int(os.environ.get("WIJKPORTAAL_FUZZ_EXAMPLES", "8"))
SEED = os.environ.get("WIJKPORTAAL_FUZZ_SEED", "")
GET_EXAMPLES = max(1, POST_EXAMPLES // 2)
# Pages that take long to make and read no query: fewer examples.
SLOW_PAGES = {
    name: max(1, POST_EXAMPLES // 4) for name in ("followup:report-pdf", "followup:report-xlsx")
}
LOCATIESERVER_TIMEOUT = 0.5  # seconds; the fake answers at once
UNITS = 4  # tests/scheduling.py keeps each unit on one xdist worker (`[unitN-` in the id)

MINIMUM_PATTERNS = 90
MINIMUM_PAGES = 75
MINIMUM_FORMS = 50


def _cases() -> list[tuple[str, str]]:
    return [(name, method) for name, view in VIEWS.items() for method in view.methods]


def examples_for(name: str, method: str) -> int:
    if method == POST:
        return POST_EXAMPLES
    return SLOW_PAGES.get(name, GET_EXAMPLES)


def _params() -> list[Any]:
    # A view's GET and POST in one unit: they read the forms of the same page (Fuzz.forms).
    units = {name: number % UNITS for number, name in enumerate(VIEWS)}
    return [
        pytest.param(name, method, id=f"unit{units[name]}-{method}-{name}")
        for name, method in _cases()
    ]


class Fuzz:
    def __init__(self, world: World, sessions: dict[str, str | None]) -> None:
        self.world = world
        self.sessions = sessions
        reset, sessions[PASSWORD_RESET] = password_reset(world.users["resident"])
        # Requests the matrix does not make, tried first.
        self.special = {"accounts:password-reset-confirm": [reset]}
        self._forms: dict[tuple[str, str], list[Form]] = {}

    def keep_time(self) -> None:
        """The world as it was built, however long the run takes: its comments, all written at
        the build, stay in their 15-minute edit window (a deep run lasts longer)."""
        Comment.objects.update(created_at=timezone.now())

    def reaches(self, name: str, view: View, method: str) -> list[Reach]:
        return [
            *self.special.get(name, []),
            *reaching(TABLE, self.world, name, view, method),
        ]

    def client(self, role: str) -> FuzzClient:
        client = FuzzClient()
        session = self.sessions[role]
        if session:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = session
        return client

    def url(self, name: str, view: View, reach: Reach) -> tuple[str, dict[str, str]]:
        if reach.url:
            return reach.url, {}
        return url_and_data(view, name, target_for(self.world, reach.target, reach.role))

    def forms(self, role: str, url: str) -> list[Form]:
        """The forms on the page at `url`, as `role` sees it (read once: the world does not
        change between cases, each request is rolled back)."""
        if (role, url) not in self._forms:
            self._forms[role, url] = self._read_forms(role, url)
        return self._forms[role, url]

    def _read_forms(self, role: str, url: str) -> list[Form]:
        with transaction.atomic():
            response = self.client(role).get(url)
            transaction.set_rollback(True)
        assert response.status_code == HTTPStatus.OK, f"{url} as {role}: {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            return []
        return forms_on(url, response.content.decode())


@pytest.fixture(scope="module")
def fuzz(django_db_setup: None, django_db_blocker: Any) -> Iterator[Fuzz]:
    """The matrix's world and a signed-in session per role, in a transaction rolled back at
    the end; sessions in signed cookies, as in the matrix. The address search asks a fake
    Locatieserver (no request leaves the machine). The cache is cleared before and after:
    hundreds of refused sign-ins count against 127.0.0.1, and the fake's answers are kept."""
    locatieserver = FakeLocatieserver().start()
    with (
        quiet_request_log(),
        pytest.MonkeyPatch.context() as monkeypatch,
        override_settings(
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
            WIJKPORTAAL_LOCATIESERVER_URL=locatieserver.url,
            WIJKPORTAAL_LOCATIESERVER_TIMEOUT=LOCATIESERVER_TIMEOUT,
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        # A proxy from the environment must not catch requests for the local server.
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
        cache.clear()
        world = build_world()
        sessions: dict[str, str | None] = {}
        for role, user in world.users.items():
            if user is None:
                sessions[role] = None
                continue
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        yield Fuzz(world, sessions)
        transaction.set_rollback(True)
        cache.clear()
    locatieserver.stop()


def _settings(name: str, method: str) -> Any:
    return settings(
        max_examples=examples_for(name, method),
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=False,
    )


def _seed(name: str, method: str) -> int:
    """Each view its own requests, the same on every run."""
    return zlib.crc32(f"{method} {name}{SEED}".encode())


def send(
    fuzz: Fuzz, role: str, method: str, url: str, *, htmx: bool, **request: Any
) -> tuple[Any, list[str]]:
    """The answer and the writes the database would keep, in a savepoint rolled back."""
    client = fuzz.client(role)
    headers = {"HX-Request": "true"} if htmx else None
    log = WriteLog()
    with transaction.atomic():
        with connection.execute_wrapper(log):
            if method == GET:
                response = client.get(url, headers=headers)
            else:
                response = client.post(url, headers=headers, **request)
        transaction.set_rollback(True)
    return response, log.writes


def check(response: Any, writes: list[str], what: str) -> None:
    assert response.status_code < 500, f"{what}: answered {response.status_code}"
    why = refused(response)
    assert not (why and writes), f"{what}: {why}, but saved: {writes}"


def get_names(fuzz: Fuzz, name: str, view: View, reach: Reach) -> dict[str, Field]:
    """The query parameters to try, with the values the page offers: those views read, the
    view's own, and the fields of the GET forms on its page."""
    url, _ = fuzz.url(name, view, reach)
    names = {name: Field(kind=NUMBER_PARAMETERS.get(name, "")) for name in QUERY_PARAMETERS}
    names.update({name: Field() for name in view.query if name not in names})
    if reach.expected == HTTPStatus.OK and not view.htmx:
        for form in fuzz.forms(reach.role, url):
            if form.method == "get":
                for field, offered in form.fields.items():
                    known = names.setdefault(field, Field(kind=offered.kind))
                    known.offered = [*known.offered, *offered.offered]
    return names


def fields_of(fuzz: Fuzz, name: str, view: View, reach: Reach) -> dict[str, Field]:
    """The form's fields and the values its page offers: from its own page, else from the
    page that carries it (fuzz.HOSTS); with the fields no page of the world shows
    (fuzz.UNSHOWN_FIELDS) and the data the matrix posts (follow's type and id)."""
    url, data = fuzz.url(name, view, reach)
    form = None
    if GET in view.methods and name not in HOSTS and reach.expected != HTTPStatus.GONE:
        form = form_for(fuzz.forms(reach.role, url), name, url, POST)
    elif name in HOSTS:
        host, host_target = HOSTS[name]
        host_view = VIEWS[host]
        host_reach = Reach(host_target(reach.target), reach.role, HTTPStatus.OK)
        host_url, _ = fuzz.url(host, host_view, host_reach)
        form = form_for(fuzz.forms(reach.role, host_url), name, url, POST)
    unshown = UNSHOWN_FIELDS.get(name, {})
    assert form is not None or name in UNSHOWN_FIELDS, (
        f"no form on the page of {name} (or its host in fuzz.HOSTS) posts to {url} for "
        f"{reach.role}: name the page that carries its form in HOSTS, or its fields in "
        "UNSHOWN_FIELDS"
    )
    fields = dict(form.fields) if form else {}
    for field, sent in {**unshown, **{key: [value] for key, value in data.items()}}.items():
        fields[field] = Field(offered=sent, sent=sent)
    return fields


# The mark makes pytest-django set up the test database (for the `fuzz` fixture too).
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), _params())
def test_no_server_error(name: str, method: str, fuzz: Fuzz) -> None:
    fuzz.keep_time()
    view = VIEWS[name]
    reaches = fuzz.reaches(name, view, method)
    assert reaches, f"{method} {name}: no role of docs/roles.md reaches the view"
    ran = 0

    if method == GET:
        names = get_names(fuzz, name, view, reaches[0])

        @_settings(name, method)
        @seed(_seed(name, method))
        @given(st.sampled_from(reaches), query(names), st.booleans())
        def get(reach: Reach, extra: str, htmx: bool) -> None:
            nonlocal ran
            ran += 1
            url = with_query(fuzz.url(name, view, reach)[0], extra)
            response, writes = send(fuzz, reach.role, GET, url, htmx=htmx)
            check(response, writes, f"GET {url} as {reach.role}{' (htmx)' if htmx else ''}")

        get()
    else:
        reach = reaches[0]
        url, _ = fuzz.url(name, view, reach)
        fields = fields_of(fuzz, name, view, reach)

        @_settings(name, method)
        @seed(_seed(name, method))
        @given(form_data(fields), st.booleans(), st.booleans(), RAW_QUERY)
        def post(data: dict[str, Any], htmx: bool, multipart: bool, raw: str) -> None:
            nonlocal ran
            ran += 1
            if multipart:
                request = {"data": data}
            else:
                body = "&".join(filter(None, (urlencode(data, doseq=True), raw)))
                request = {"data": body, "content_type": "application/x-www-form-urlencoded"}
            response, writes = send(fuzz, reach.role, POST, url, htmx=htmx, **request)
            check(
                response,
                writes,
                f"POST {url} as {reach.role}{' (htmx)' if htmx else ''} with {request['data']!r}",
            )

        post()
    assert ran >= examples_for(name, method)


def test_every_pattern_is_requested() -> None:
    patterns = set(matrix_patterns())
    requested = {name for name, _ in _cases()}

    assert sorted(patterns - requested) == [], (
        "URL patterns without odd requests: give each an entry in tests/permissions/views.py"
    )
    assert sorted(requested - patterns) == []
    assert sorted(set(HOSTS) - set(_forms())) == [], "fuzz.HOSTS names a view without a form"


def _forms() -> list[str]:
    return [name for name, method in _cases() if method == POST]


def test_fuzz_size(capsys: pytest.CaptureFixture[str]) -> None:
    cases = _cases()
    pages = [name for name, method in cases if method == GET]
    forms = _forms()
    examples = sum(examples_for(name, method) for name, method in cases)
    with capsys.disabled():
        print(
            f"\nno server errors: {len(VIEWS)} patterns: {len(pages)} GET views × "
            f"{GET_EXAMPLES} query strings ({len(SLOW_PAGES)} slow ones fewer) and {len(forms)} "
            f"forms × {POST_EXAMPLES} bodies = {examples} examples in {UNITS} units"
        )
    assert len(VIEWS) >= MINIMUM_PATTERNS
    assert len(pages) >= MINIMUM_PAGES
    assert len(forms) >= MINIMUM_FORMS


@pytest.mark.django_db
def test_the_write_log_keeps_what_the_database_keeps(wijk: Wijk) -> None:
    log = WriteLog()

    with connection.execute_wrapper(log):
        Wijk.objects.filter(pk=wijk.pk).update(name="Bewaard")
        with contextlib.suppress(RuntimeError), transaction.atomic():
            Wijk.objects.filter(pk=wijk.pk).update(name="Teruggedraaid")
            raise RuntimeError
        Wijk.objects.count()

    assert [sql.split()[:2] for sql in log.writes] == [["UPDATE", '"areas_wijk"']]
