"""Odd input for every view: which role and object reach each view, the fields of its form,
Hypothesis strategies for form values and query strings, and the check that a refused form
saved nothing (tests/wijkportaal/test_no_server_errors.py).

The permission matrix knows every URL pattern, the objects it is requested with and the
action that guards it; `reaching` asks it which (object, role) pairs get through to the view
itself, not to a sign-in redirect, a 403, a 404 or a 405. The fields of a form are read from
the form on its own page (or, for a POST-only endpoint, from the page that carries its form,
`HOSTS`), with the values the page offers: the real names, including prefixes and hidden
revisions, and the real choices, so that generated requests get past the first field and
into the code behind the form.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.signals import got_request_exception
from django.http import HttpRequest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import strategies as st

from tests.permissions.matrix import LOGIN, expected_status, target_for
from tests.permissions.roles import Table
from tests.permissions.views import GET, View
from tests.permissions.world import World

# ---- Who reaches a view -------------------------------------------------------------------

# The role a case is requested as: the first of these that reaches the view. The gebiedsteam's
# lead first, whose pages carry the most forms and links; anonymous last, for the pages only
# visitors get (the sign-in form).
ROLE_PREFERENCE = (
    "wijkregisseur",
    "omgevingsmanager",
    "ondersteuner",
    "council_chair",
    "council_member",
    "staff_administrator",
    "partner_staff",
    "moderator",
    "functional_admin",
    "resident",
    "partner_representative",
    "municipal_staff",
    "council_secretary",
    "superuser",
    "anonymous",
)
# What a role that may not use the view gets: it never reaches the form.
NOT_REACHED = (LOGIN, 403, 404, 405)


@dataclass(frozen=True)
class Reach:
    target: str
    role: str
    expected: int  # what the matrix says the request without data answers
    url: str | None = None  # a URL the matrix does not make (see `password_reset`)


def reaching(table: Table, world: World, name: str, view: View, method: str) -> list[Reach]:
    """Every (object, role) pair whose request gets through to the view, the preferred first:
    the object in the state where the form is used (its page shows, 200; an empty POST acts,
    302), then the role by ROLE_PREFERENCE."""
    found = []
    for target_name in view.targets:
        for role in table.roles:
            target = target_for(world, target_name, role)
            expected = expected_status(table, view, target, role, method)
            signed_in_elsewhere = role != "anonymous" and method in view.ok_signed_in
            if expected in NOT_REACHED or signed_in_elsewhere:
                continue
            found.append(Reach(target_name, role, expected))

    def preference(reach: Reach) -> tuple[int, int, int, int]:
        target = target_for(world, reach.target, reach.role)
        shows = GET in view.methods and expected_status(table, view, target, reach.role, GET) in (
            200,
            302,
        )
        acts = reach.expected in (200, 302)
        return (
            0 if reach.target == PREFERRED_TARGETS.get(name) else 1,
            0 if shows else 1,
            0 if acts else 1,
            ROLE_PREFERENCE.index(reach.role),
        )

    # sorted() is stable: among equals, the order of the view's targets.
    return sorted(found, key=preference)


# Objects in the state where the form acts, where the matrix's empty POST does not show it
# (it is refused everywhere): "consider" closes an open proposal early.
PREFERRED_TARGETS = {"participation:proposal-consider": "open_proposal_A"}

PASSWORD_RESET = "password_reset"  # the session of someone who followed a valid reset link


def password_reset(user: Any) -> tuple[Reach, str]:
    """The set-password form of a valid reset link, which the matrix does not reach (its link
    is invalid: 410): the URL Django's PasswordResetConfirmView sends a valid link on to, and
    the session that link leaves behind (the signed-cookie session's key is its content)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    session = SessionStore()
    session[INTERNAL_RESET_SESSION_TOKEN] = default_token_generator.make_token(user)
    session.save()
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={"uidb64": uid, "token": PasswordResetConfirmView.reset_url_token},
    )
    return Reach("anywhere", PASSWORD_RESET, 200, url=url), session.session_key or ""


# ---- The forms on a page ------------------------------------------------------------------


# What a person would type into an empty field of each kind, so that the form as sent is
# mostly valid and one odd value gets past the others into the code behind the form. Dates
# go up a day per field, so that a period ends after it starts.
TYPED = {
    "text": "Fuzz",
    "search": "Fuzz",
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "password": "Een lang wachtwoord 2026!",
    "textarea": "Een korte tekst.",
    "date": "2030-01-{day:02}",
    "datetime-local": "2030-01-{day:02}T10:00",
}


@dataclass
class Field:
    offered: list[str] = field(default_factory=list)  # every value the page offers
    sent: list[str] = field(default_factory=list)  # what the form sends as a person fills it
    kind: str = ""  # the input's type, "select", "textarea" or "geojson" (see KIND_ODD)


@dataclass
class Form:
    action: str  # the path with query the form posts to
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def _field(self, name: str) -> Field:
        return self.fields.setdefault(name, Field())


class FormParser(HTMLParser):
    """Every <form> of a page: its action, method, and each field with the values the page
    offers (an input's value, a select's options, a textarea's text) and what a person
    filling it in would send (the values shown, a checked box or the first of a group, the
    selected or first option, a word typed into an empty field)."""

    IGNORED = frozenset({"csrfmiddlewaretoken"})

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._select_required = False
        self._textarea: Field | None = None
        self._dates = 0

    def _typed(self, kind: str, a: dict[str, str | None]) -> list[str]:
        """What a person types into an empty field. Every field, not only those marked
        required: some are needed only with others (an advice deadline once advice is asked,
        the reason of a rejected input), and the browser does not know that. Not a textarea
        for code (spellcheck off: the GeoJSON under a map), which a person leaves empty."""
        if kind not in TYPED or (a.get("spellcheck") == "false" and "required" not in a):
            return []
        self._dates += kind.startswith("date")
        return [TYPED[kind].format(day=9 + self._dates)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page_url
            self._form = Form(urljoin(self.page_url, action), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._option(self._select, a)
            return
        name = a.get("name")
        if self._form is None or not name or name in self.IGNORED:
            return
        if tag in ("input", "button"):
            self._input(self._form._field(name), a)
        elif tag == "select":
            self._select = self._form._field(name)
            self._select.kind = "select"
            self._select_required = "required" in a
        elif tag == "textarea":
            self._textarea = self._form._field(name)
            self._textarea.kind = "geojson" if a.get("spellcheck") == "false" else "textarea"
            self._textarea.sent = self._typed("textarea", a)

    def _input(self, field: Field, a: dict[str, str | None]) -> None:
        kind = a.get("type") or ("submit" if "value" in a else "text")
        field.kind = kind
        value = a.get("value")
        if value is not None and value not in field.offered:
            field.offered.append(value)
        if kind in ("checkbox", "radio"):
            # The boxes ticked, else the first box of a group (one more of a group is fine).
            if "checked" in a or not field.sent:
                field.sent = [*field.sent, value or "on"] if kind == "checkbox" else [value or ""]
        elif kind == "submit":
            field.sent = field.sent or [value or ""]
        else:
            field.sent = [value] if value else self._typed(kind, a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _option(self, select: Field, a: dict[str, str | None]) -> None:
        """The option selected, else the first; a required select's first real option
        rather than its empty one."""
        value = a.get("value") or ""
        select.offered.append(value)
        chosen = select.sent[0] if select.sent else None
        if "selected" in a or chosen is None or (self._select_required and value and not chosen):
            select.sent = [value]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self._textarea.offered.append(data)
            self._textarea.sent = [data]


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def view_name_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def form_for(forms: list[Form], name: str, url: str, method: str) -> Form | None:
    """The form on the page that sends `method` to `url`; else one that sends it to another
    object of the same view (the same fields, for another pk)."""
    sending = [form for form in forms if form.method == method.lower()]
    path = urlsplit(url).path
    for form in sending:
        if urlsplit(form.action).path == path:
            return form
    return next((form for form in sending if view_name_of(form.action) == name), None)


# POST-only endpoints have no page of their own: their form is on another page. The page's
# URL name, and the object it is requested with for the endpoint's object.
HOSTS: dict[str, tuple[str, Callable[[str], str]]] = {
    "areas:team-invite": ("areas:team-detail", lambda target: target),
    "pacts:organisation-staff-invite": ("pacts:organisation-staff", lambda target: target),
    "agendas:agendaitem-move": (
        "agendas:wijkagenda-items",
        lambda target: target.replace("item_", "agenda_"),
    ),
    "agendas:vision-publish": ("agendas:vision-edit", lambda target: target),
    "participation:proposal-open": ("participation:proposal-detail", lambda target: target),
    "participation:proposal-consider": ("participation:proposal-detail", lambda target: target),
    "participation:proposal-withdraw": ("participation:proposal-detail", lambda target: target),
    # comment_open_A is on open_proposal_A
    # The comment form of the proposal page posts to the thread.
    "participation:comment-thread": ("participation:proposal-detail", lambda target: target),
    "participation:comment-delete": (
        "participation:proposal-detail",
        lambda target: re.sub(r"^comment_(\w+)_(\w)$", r"\1_proposal_\2", target),
    ),
    "participation:comment-restore": ("participation:comment-moderation", lambda target: target),
    "participation:report-hide": ("participation:report-detail", lambda target: target),
    "participation:report-dismiss": ("participation:report-detail", lambda target: target),
    "followup:report-create": ("portal:gebiedsteam-detail", lambda target: target),
    "portal:follow": ("portal:wijk-detail", lambda target: "wijk_A"),
    "accounts:logout": ("portal:home", lambda target: target),
    # The language switch is in every page's header.
    "set-language": ("portal:home", lambda target: target),
    "accounts:notification-read-all": ("accounts:notification-list", lambda target: "anywhere"),
    "accounts:notification-read": ("accounts:notification-list", lambda target: "anywhere"),
}

# Fields no page of the world shows, because the state that shows them is not there: the
# restore form is on the moderation page of a hidden comment, the unfollow button on a page
# one follows, "close early" on an open proposal whose period runs. Named as the view's form
# class names them (with its prefix), with a value the form takes.
UNSHOWN_FIELDS: dict[str, dict[str, list[str]]] = {
    "participation:comment-restore": {"restore-reason": ["Onterecht verborgen."]},
    "participation:proposal-consider": {"early": ["on"]},
    "portal:unfollow": {"next": ["/wijken/"]},
    # The confirmation page's one button; the matrix's link has expired (410), so no page of
    # the world shows it.
    "accounts:confirm-email": {"confirm": ["yes"]},
    "accounts:confirm-new-email": {"confirm": ["yes"]},
    # The world's meetings take no sign-ups, so their pages show neither button: the sign-up
    # form's one field, and the sign-off button that sends none.
    "meetings:meeting-sign-up": {"waiting_list": ["1"]},
    "meetings:meeting-sign-off": {},
}

# Query parameters the portal's views read (request.GET, query_text, the forms they bind to
# the query), besides those of the GET forms on the page itself.
QUERY_PARAMETERS = (
    "page",
    "pagina",
    "q",
    "gebied",
    "wijk",
    "buurt",
    "soort",
    "status",
    "zoom",
    "bbox",
    "cijfer",
    "lon",
    "lat",
    "id",
    "postcode",
    "huisnummer",
    "toevoeging",
    "section",
    "due_page",
    "next",
    "sort",
    # The API's period and boundaries (api/filters.py).
    "since",
    "until",
    "geometry",
)
# Those of them that are numbers (or keys): they get numbers' odd values more often.
NUMBER_PARAMETERS = {
    name: "number"
    for name in ("page", "pagina", "zoom", "lon", "lat", "id", "huisnummer", "due_page", "gebied")
}

# ---- Odd values ---------------------------------------------------------------------------

DEEP = 3000  # nesting that json and GEOS refuse with a RecursionError of their own
ODD_STRINGS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 3,
    "²",
    "١٢٣",
    "１２",
    "½",
    "Ⅻ",
    "-1",
    "0",
    "-0",
    "+1",
    "00",
    "1.5",
    "1,5",
    " 7 ",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "0x1F",
    "1_000",
    "9" * 30,
    "9" * 5000,
    "-9223372036854775809",
    "9223372036854775808",
    "2147483648",
    "4294967297",
    "\t\n\r",
    "\r\n",
    "\u202e",
    "\ufeff",
    "🙂",
    "İ",
    "ß",
    "ﬃ",
    "null",
    "None",
    "true",
    "on",
    "[]",
    "{}",
    "[1, 2]",
    '{"a":',
    "[" * DEEP,
    "[" * DEEP + "]" * DEEP,
    '{"type":"Point","coordinates":' + "[" * DEEP + "]" * DEEP + "}",
    '{"type":"Point","coordinates":[NaN,Infinity]}',
    '{"type":"Point","coordinates":[5.05,51.55]}',
    '{"type":"Point","coordinates":[]}',
    '{"type":"Polygon","coordinates":[[[5.0,51.5],[5.1,51.5],[5.0,51.5]]]}',
    '{"type":"Polygon","coordinates":[[[5.0,51.5],[5.1,51.5],[5.1,51.6],[5.0,51.5]]]}',
    '{"type":"Polygon","coordinates":[[[5.0,51.5],[5.1,51.6],[5.1,51.5],[5.0,51.6],[5.0,51.5]]]}',
    '{"type":"Polygon","coordinates":[[[1e308,1e308],[-1e308,0],[0,-1e308],[1e308,1e308]]]}',
    '{"type":"Polygon","coordinates":[[["a","b"],[1],[2,3,4,5]]]}',
    '{"type":"Polygon","coordinates":[]}',
    '{"type":"MultiPolygon","coordinates":[[[[5.0,51.5],[5.1,51.5],[5.1,51.6],[5.0,51.5]]]]}',
    '{"type":"LineString","coordinates":[[5.0,51.5],[5.1,51.6]]}',
    '{"type":"GeometryCollection","geometries":[]}',
    '{"type":"Feature","geometry":null,"properties":{}}',
    '{"type":"FeatureCollection","features":[]}',
    '{"type":"Nonsense","coordinates":[1,2]}',
    '{"type":null}',
    '{"type":["Polygon"]}',
    '"Polygon"',
    "POINT(5.05 51.55)",
    "SRID=4326;POLYGON((5 51,6 51,6 52,5 51))",
    "2024-02-30",
    "2024-13-01",
    "31-12-2024",
    "12/31/2024",
    "2024/12/31",
    "20241231",
    "0000-00-00",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31",
    "9999-12-31T23:59",
    "2026-03-29T02:30",  # a time the clocks skip in the Netherlands
    "2026-10-25T02:30",  # and one they pass twice
    "10000-01-01",
    "-2024-01-01",
    "2024-01-01T25:61",
    "2024-01-01T00:00:00+99:00",
    "2024-W01",
    "1970-01-01T00:00:00Z",
    "morgen",
    "/",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "abc",
    "/%0d%0aSet-Cookie:x=1",
    "/wijken/",
    "<script>alert(1)</script>",
    "{{ request }}",
    "{% debug %}",
    "%(name)s",
    "%s%s%s",
    "{0}",
    "' OR '1'='1",
    "a@b",
    "@",
    "x@example.org",
    "é@example.org",
    "a" * 250 + "@example.org",
    "noor.vermeulen@example.org",
    "up",
    "down",
    "wijk",
    "wijkagenda",
    "proposal",
    "positive",
    "draft",
    "published",
    "open",
    "decided",
    "in_progress",
    "matrix-a",
    "matrixwijk-a",
    "1",
    "2",
    "3",
    "99999",
    "a" * 201,
    "a" * 10001,
)
_TEXT = st.characters(exclude_categories=("Cs",))  # surrogates cannot be sent as UTF-8
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y%m%d", "%d %B %Y")


def _dates() -> st.SearchStrategy[str]:
    # Naive, from year 1 to 9999: as typed, without a time zone.
    return st.builds(
        lambda moment, fmt: moment.strftime(fmt), st.datetimes(), st.sampled_from(DATE_FORMATS)
    )


def _json() -> st.SearchStrategy[str]:
    leaves = st.none() | st.booleans() | st.floats() | st.integers() | st.text(_TEXT, max_size=4)
    values = st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(["type", "coordinates", "features", "x"]), inner)
        ),
        max_leaves=12,
    )
    geometry = st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["Point", "Polygon", "MultiPolygon", "LineString", "Feature", "Nonsense"]
            ),
            "coordinates": values,
        }
    )
    return (values | geometry).map(json.dumps)  # NaN and Infinity as json writes them


# Odd values of the kind a field expects, more often than among all odd values: the ends of the
# calendar for a date, of 64 bits for a number or a key, GeoJSON for a map.
_EDGE_DAYS = (
    "0001-01-01",
    "0001-12-31",
    "1899-12-31",
    "1999-12-31",
    "2000-01-01",
    "2024-02-29",
    "2025-02-29",
    "2100-12-31",
    "2101-01-01",
    "9999-01-01",
    "9999-12-01",
    "9999-12-31",
)
_DAYS = st.one_of(
    st.sampled_from(_EDGE_DAYS),
    st.dates().map(lambda day: day.isoformat()),
    # The last and first years, where a period's end or start falls off the calendar.
    st.dates(min_value=dt.date(9999, 1, 1)).map(lambda day: day.isoformat()),
    st.dates(min_value=dt.date(9999, 12, 1)).map(lambda day: day.isoformat()),
    st.dates(max_value=dt.date(1, 12, 31)).map(lambda day: day.isoformat()),
)
_MOMENTS = st.one_of(
    st.tuples(_DAYS, st.sampled_from(["00:00", "02:30", "23:59", "24:00", "12:60"])).map("T".join),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
)
_NUMBERS = st.one_of(
    st.sampled_from(
        ["-1", "0", "2147483648", "9223372036854775807", "9223372036854775808", "9" * 30]
    ),
    st.integers().map(str),
    st.floats().map(repr),
    st.sampled_from(["NaN", "inf", "1e309", "²", "١٢", "1.5", "0x10"]),
)
KIND_ODD: dict[str, st.SearchStrategy[str]] = {
    "date": _DAYS,
    "datetime-local": _MOMENTS,
    "number": _NUMBERS,
    "select": _NUMBERS,
    "checkbox": _NUMBERS,
    "radio": _NUMBERS,
    "hidden": _NUMBERS,
}

ODD = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(_TEXT, max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(repr),
    _dates(),
    _json(),
)
KIND_ODD["geojson"] = _json()

# The names of fields no form has; and names some form has, sent to another.
UNKNOWN_FIELDS = st.one_of(
    st.sampled_from(
        [
            "revision",
            "next",
            "parent",
            "id",
            "type",
            "pk",
            "status",
            "gebiedsteam",
            "author",
            "is_staff",
            "is_superuser",
            "__proto__",
            "",
            "\x00",
            "²",
            "a" * 300,
        ]
    ),
    st.text(_TEXT, min_size=1, max_size=10),
)

ABSENT = object()  # a field left out of the request


def value(offered: list[str], kind: str = "") -> st.SearchStrategy[Any]:
    """One field's value: one the page offers, an odd one of the field's kind (twice as
    likely), or any odd one; mostly once, sometimes several times or an empty list."""
    choices = [st.sampled_from(offered)] if offered else []
    if kind in KIND_ODD:
        choices += [KIND_ODD[kind], KIND_ODD[kind]]
    single = st.one_of(*choices, ODD)
    return st.one_of(single, single, single, st.lists(single, max_size=4))


def form_data(fields: dict[str, Field]) -> st.SearchStrategy[dict[str, Any]]:
    """A body for the form: filled in as a person would, then a few fields (or all of them)
    changed to a value the page offers, an odd value, several values or none at all, and a
    few fields the form does not have. The simplest example is the form as a person sends it."""
    names = sorted(fields)
    # Mostly one field, so that the others let its value through to the code behind them.
    one = st.sampled_from(names).map(lambda name: frozenset([name])) if names else st.nothing()
    changed = (
        st.one_of(one, one, st.sets(st.sampled_from(names), max_size=3), st.just(frozenset(names)))
        if names
        else st.just(frozenset())
    )

    @st.composite
    def body(draw: Callable[..., Any]) -> dict[str, Any]:
        data: dict[str, Any] = {name: f.sent for name, f in fields.items() if f.sent}
        for name in sorted(draw(changed)):
            field_value = value(fields[name].offered, fields[name].kind)
            new = draw(st.one_of(field_value, field_value, field_value, st.just(ABSENT)))
            if new is ABSENT:
                data.pop(name, None)
            else:
                data[name] = new
        for name, new in draw(st.dictionaries(UNKNOWN_FIELDS, value([]), max_size=3)).items():
            data.setdefault(name, new)
        return data

    return body()


# Raw bits of a query string that a dict cannot produce: bad escapes, invalid UTF-8, a NUL.
RAW_QUERY = st.sampled_from(
    ["", "%", "%ZZ", "%00", "page=%FF%FE", "q=%C0%AF", "=", "&&", ";", "+", "a", "page=1&page=2"]
)


def query(names: dict[str, Field]) -> st.SearchStrategy[str]:
    """A query string: the parameters views read (with the values the page offers for them)
    and random ones, with odd values."""
    known = st.sampled_from(sorted(names)).flatmap(
        lambda name: st.tuples(st.just(name), value(names[name].offered, names[name].kind))
    )
    unknown = st.tuples(UNKNOWN_FIELDS, value([]))
    params = st.lists(st.one_of(known, unknown), max_size=4).map(dict)
    return st.builds(
        lambda params, raw: "&".join(filter(None, (urlencode(params, doseq=True), raw))),
        params,
        RAW_QUERY,
    )


def with_query(url: str, extra: str) -> str:
    """The URL with `extra` added to the query it already has."""
    base, _, own = url.partition("?")
    return f"{base}?{'&'.join(filter(None, (own, extra)))}" if own or extra else base


# ---- Requests and what they change --------------------------------------------------------


class FuzzClient(Client):
    """The test client without the copy of every template's context (as the matrix's
    LeanClient), but raising the view's exception, so that a 500 fails with its traceback."""

    def request(self, **request: Any) -> Any:
        environ = self._base_environ(**request)
        uid = f"fuzz-exception-{id(environ)}"
        got_request_exception.connect(self.store_exc_info, dispatch_uid=uid)
        try:
            response = self.handler(environ)
        finally:
            got_request_exception.disconnect(dispatch_uid=uid)
        self.check_exception(response)
        return response


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_SAVEPOINT = re.compile(
    r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I
)


class WriteLog:
    """The statements that change a table, as the database will keep them: a write inside a
    savepoint that is rolled back is forgotten again.

    An execute wrapper (Django's `connection.execute_wrapper`) sees every statement before it
    runs, on SQLite and PostgreSQL alike, at no cost of queries; comparing the row counts of
    every table before and after would cost two queries a request and miss an UPDATE."""

    def __init__(self) -> None:
        self.writes: list[str] = []
        self._savepoints: dict[str, int] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        savepoint = _SAVEPOINT.match(sql)
        if savepoint:
            verb, name = savepoint[1].upper(), savepoint[2]
            if verb == "SAVEPOINT":
                self._savepoints[name] = len(self.writes)
            elif verb == "ROLLBACK TO SAVEPOINT":
                del self.writes[self._savepoints[name] :]
        elif sql.lstrip().split(None, 1)[0].upper() in WRITES:
            self.writes.append(sql[:200])
        return execute(sql, params, many, context)


def error_messages(response: Any) -> list[str]:
    """The messages of level error a redirect carries (django.contrib.messages, in the
    cookie): a form refused with a message instead of a 400."""
    morsel = response.cookies.get(CookieStorage.cookie_name)
    if morsel is None or not morsel.value:
        return []
    stored = CookieStorage(HttpRequest())._decode(morsel.value) or []
    return [str(message) for message in stored if message.level >= messages.ERROR]


ERRORS = re.compile(r'<ul class="errorlist|aria-invalid="true"')


def refused(response: Any) -> str | None:
    """Why the answer refuses the request, or None if it took it: a 4xx; a 200 with the form
    and its errors; a redirect with an error message."""
    status = response.status_code
    if 400 <= status < 500:
        return f"answered {status}"
    html = not response.streaming and "html" in response.get("Content-Type", "")
    if status == 200 and html and ERRORS.search(response.content.decode(errors="replace")):
        return "answered 200 with the form's errors"
    if status == 302:
        errors = error_messages(response)
        if errors:
            return f"redirected with the error {errors[0]!r}"
    return None


@contextmanager
def quiet_request_log() -> Iterator[None]:
    """Hundreds of refused requests are expected; logging each 4xx costs time. A 500 is
    still logged (and fails the test anyway)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
