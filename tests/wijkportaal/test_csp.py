"""The Content-Security-Policy: on every answer, and no page that needs more than it allows.

The policy (CONTENT_SECURITY_POLICY in wijkportaal/settings.py; docs/operations.md,
"Content-Security-Policy") lets a page run scripts and apply styles from the portal's own
files only. So no page may carry an inline script (a <script> without src, other than a
json_script data block), an event handler attribute (onclick=…), a javascript: link, a
<style> element or a style attribute: the browser would refuse them and the page would break.

Every view of the permission matrix (tests/permissions/views.py, an entry for every pattern
of the URL conf) is requested with GET for the first of its objects in the matrix's world, as
the first role of docs/roles.md that may see it (so that edit forms, with their map widgets,
are shown) and, where anyone may read it, anonymously; a page that varies on HX-Request is
requested as htmx does too, for its fragment. So are the admin pages with the portal's map
widgets, a 404 and a refused form. About 12 s on a busy 2-core machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client

from tests.permissions.matrix import target_for, url_and_data
from tests.permissions.roles import allows, read_roles_table
from tests.permissions.views import VIEWS, View
from tests.permissions.world import World, build_world
from wijkportaal.settings import tile_source
from wijkportaal.templatetags.portal import colour_mark

pytestmark = pytest.mark.django_db

TABLE = read_roles_table()

# The tests run without a basemap (WIJKPORTAAL_BASEMAP_URL is empty in pyproject.toml).
# django-csp writes the directives in no fixed order.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response: Any) -> dict[str, str] | None:
    header = response.get("Content-Security-Policy")
    if header is None:
        return None
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: sources for name, sources in directives}


class InlineCode(HTMLParser):
    """What a page holds that the policy refuses: each as a short description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.found.append("<style>")
        elif tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.found.append(f"<script> without src (type {named.get('type')!r})")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def problems(response: Any, url: str) -> list[str]:
    """What is wrong with one answer: a missing or other policy, or inline code in a page."""
    found = []
    if policy_of(response) != POLICY:
        found.append(f"{url}: policy {response.get('Content-Security-Policy')!r}")
    is_page = response.get("Content-Type", "").startswith("text/html")
    # A download (the HTML report) is read from disk, without the portal's stylesheets.
    is_download = response.get("Content-Disposition", "").startswith("attachment")
    if is_page and not is_download and not response.streaming:
        found += [f"{url}: {code}" for code in inline_code(response.content.decode())]
    return found


class LeanClient(Client):
    """The test client without a copy of every template's context (a third of the walk's
    time); an exception is answered with the 500 page, which the walk counts as a problem."""

    def request(self, **request: Any) -> Any:
        return self.handler(self._base_environ(**request))


def answer(client: Client, url: str, headers: dict[str, str] | None = None) -> Any:
    with transaction.atomic():
        response = client.get(url, headers=headers)
        transaction.set_rollback(True)
    return response


def test_the_parser_finds_each_kind_of_inline_code() -> None:
    html = (
        '<p style="color: red">x</p><style>p {}</style><script>go()</script>'
        '<button onclick="go()">x</button><a href=" JavaScript:go()">x</a><br style="">'
        '<script src="/static/js/map.js"></script><script type="application/json">{}</script>'
        '<svg><rect fill="#1f6f8b"/></svg>'
    )

    assert inline_code(html) == [
        '<p style="color: red">',
        "<style>",
        "<script> without src (type None)",
        "<button onclick=…>",
        '<a href=" JavaScript:go()">',
        '<br style="">',
    ]


def reader_of(world: World, view: View) -> str:
    """The first role of docs/roles.md that may read the view's object and take its GET
    action, so that the page itself is shown (the superuser, for instance, edits nothing
    of the portal's own)."""
    for role in TABLE.roles:
        target = target_for(world, view.targets[0], role)
        if role != "anonymous" and all(
            allows(TABLE, role, action, target.scope) for action in (target.read, view.get)
        ):
            return role
    return "superuser"


def test_every_page_and_fragment_has_the_policy_and_no_inline_code() -> None:
    world = build_world()
    clients: dict[str, Client] = {}
    found = []
    statuses: Counter[int] = Counter()
    fragments = 0
    for name, view in VIEWS.items():
        if view.get is None:
            continue
        for role in [reader_of(world, view)] + (["anonymous"] if view.get == "public" else []):
            if role not in clients:
                clients[role] = LeanClient()
                if (user := world.users[role]) is not None:
                    clients[role].force_login(user)
            url, _ = url_and_data(view, name, target_for(world, view.targets[0], role))
            htmx = {"HX-Request": "true"}
            response = answer(clients[role], url, htmx if view.htmx else None)
            responses = [(url, response)]
            # A page that varies on HX-Request also answers htmx with a fragment of itself.
            if not view.htmx and "HX-Request" in response.get("Vary", ""):
                responses.append((f"{url} (htmx)", answer(clients[role], url, htmx)))
                fragments += 1
            for label, response in responses:
                found += problems(response, f"{role} {label} ({response.status_code})")
                statuses[response.status_code] += 1
    print(f"{sum(statuses.values())} answers ({fragments} htmx fragments): {dict(statuses)}")
    assert (statuses[200] >= 120, fragments >= 15, max(statuses) < 500) == (True, True, True)
    assert found == []


def test_the_admin_pages_have_the_policy_and_no_inline_code() -> None:
    world = build_world()
    client = Client()
    client.force_login(world.users["superuser"])
    wijk = world.targets["wijk_A"].obj
    comment = world.targets["comment_open_A"].obj
    # Django's admin templates hold no inline code; these pages have the portal's widgets
    # (the boundary map, the location map) or the admin's own scripts (filters, actions).
    urls = [
        "/beheer/",
        "/beheer/areas/wijk/",
        "/beheer/areas/wijk/add/",
        f"/beheer/areas/wijk/{wijk.pk}/change/",
        "/beheer/areas/werkplek/add/",
        "/beheer/agendas/wijkagenda/",
        f"/beheer/participation/comment/{comment.pk}/change/",
        "/beheer/auth/group/add/",
    ]
    found = []
    statuses = []
    for url in urls:
        response = answer(client, url)
        statuses.append(response.status_code)
        found += problems(response, url)
    assert 'class="geometry-widget__map"' in answer(client, urls[3]).text
    assert 'class="location-widget__map"' in answer(client, urls[4]).text
    assert statuses == [200] * len(urls)
    assert found == []


def test_an_error_page_has_the_policy_too(client: Client) -> None:
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert problems(response, "/bestaat-niet/") == []


def test_the_basemap_host_is_allowed_for_images_and_nothing_more() -> None:
    assert tile_source("") == []
    assert tile_source(
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
    ) == ["https://service.pdok.nl"]
    # Leaflet's subdomain placeholder.
    assert tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "https://*.tile.example.org"
    ]
    with pytest.raises(ImproperlyConfigured, match="not an http"):
        tile_source("tiles.example.org/{z}/{x}/{y}.png")


@pytest.mark.english
def test_a_form_refused_by_the_csrf_check_gets_the_portals_own_page() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/account/inloggen/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    assert '<h1 class="utrecht-heading-1">The form was not sent</h1>' in response.text
    assert problems(response, "/account/inloggen/") == []


def test_a_colour_is_the_fill_of_an_svg_never_a_style() -> None:
    assert colour_mark("#1f6f8b") == (
        '<svg class="swatch" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect width="1" height="1" fill="#1f6f8b"/></svg>'
    )
    # A colour from the database cannot break out of its attribute.
    assert 'fill="&quot;&gt;&lt;script&gt;"' in colour_mark('"><script>', "accent-bar")
    assert inline_code(colour_mark("red", "swatch swatch--unknown")) == []


# The header a fresh portal process sends, built from its settings as the middleware does.
READ_POLICY = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "wijkportaal.settings"
import django
django.setup()
from csp.utils import build_policy
print(build_policy())
"""


def test_a_basemap_setting_brings_its_tile_host_into_the_policy() -> None:
    """In a fresh interpreter, as a deployment starts (the suite runs without a basemap)."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "WIJK"))},
        "DJANGO_SECRET_KEY": "only-for-this-test",
        "WIJKPORTAAL_BASEMAP_URL": "https://{s}.tiles.example.org/grijs/{z}/{x}/{y}.png",
    }
    header = subprocess.run(
        [sys.executable, "-c", READ_POLICY],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert directives == {**POLICY, "img-src": "'self' data: https://*.tiles.example.org"}
