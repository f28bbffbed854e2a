"""One Chromium, one live server and the Tilburg demo, shared by every browser test.

The browser tests need Debian's Chromium (Playwright cannot download its own browser on a
closed network): its headless shell at /usr/bin/chromium-headless-shell, or else the whole
browser at /usr/bin/chromium. A developer without either gets the tests skipped, with the
reason; in CI (the variable `CI` set) a missing Chromium is a failure instead, because there
a skipped test would hide a broken check.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from portal.demo import load_tilburg

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

    from tests.areas.fake_locatieserver import FakeLocatieserver

# The headless shell (Debian's chromium-headless-shell) first: the same Blink, V8 and
# DevTools protocol as the browser, without the browser's own user interface, and what
# Playwright itself runs for headless Chromium. It opens a page in about a quarter of the
# CPU time of the whole browser, whose headless mode also starts renderers for its own
# (invisible) interface; on a 2-core machine that halves the time of the browser tests.
CHROMIUM_BINARIES = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
CHROMIUM = next((path for path in CHROMIUM_BINARIES if path.is_file()), CHROMIUM_BINARIES[-1])
# Without the background-networking flags Chromium keeps calling Google's services, which a
# closed network answers with nothing but delays.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Widths the pages are checked and photographed at: a small phone and a laptop.
WIDTHS = {"mobile": 375, "desktop": 1280}
VIEWPORT_HEIGHT = 800


BROWSER_TESTS = Path(__file__).resolve().parent

# Every page of every browser test reports what the Content-Security-Policy refused: Chromium
# logs it to the console ("… violates the following Content Security Policy directive …")
# and fires a `securitypolicyviolation` event, which this script logs as well (it also sees
# what the console message may leave out, such as a violation in an htmx swap).
CSP_MESSAGE = "Content Security Policy"
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
        + `${event.blockedURI || "inline code"} at ${event.sourceFile}:${event.lineNumber}`);
});"""


class CSPWatch:
    """The Content-Security-Policy violations reported in the browser contexts it watches;
    the autouse fixture `no_csp_violations` fails the test during which any was reported."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        return context

    def _console(self, message: ConsoleMessage) -> None:
        if CSP_MESSAGE in message.text:
            self.violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def take(self) -> list[str]:
        """The violations reported since the last call."""
        taken, self.violations = self.violations, []
        return taken


CSP_WATCH = CSPWatch()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, so that `-m browser` selects them.

    A conftest's hook sees the items of the whole session, hence the check of the path;
    `tryfirst` so that the mark is there before `-m` deselects. Under pytest-xdist,
    tests/scheduling.py keeps all of this folder on one worker.
    """
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _require_chromium() -> None:
    problem = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "Playwright is not installed: pip install -e '.[dev]'"
    if not problem and not CHROMIUM.is_file():
        problem = (
            f"Chromium is not installed at {' or '.join(map(str, CHROMIUM_BINARIES))}: "
            "apt-get install chromium-headless-shell"
        )
    if problem:
        if in_ci():
            pytest.fail(f"Browser tests cannot run in CI: {problem}", pytrace=False)
        pytest.skip(f"Browser tests skipped: {problem}")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # ORM calls from a thread with a running loop. The test thread only reads the database
    # between browser calls, never at the same time as a request is served.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            # Every context a test opens, through new_page() or on its own, is watched.
            new_context = chromium.new_context
            patch.setattr(
                chromium, "new_context", lambda **options: CSP_WATCH.watch(new_context(**options))
            )
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Fail a browser test during which a page reported a Content-Security-Policy violation:
    a script, style or image the policy refused means something on that page is broken."""
    # Taken after the test: what a module's own fixtures opened before it counts too.
    yield
    violations = CSP_WATCH.take()
    assert violations == [], "The Content-Security-Policy refused:\n" + "\n".join(violations)


@dataclass(frozen=True)
class Portal:
    url: str

    def __call__(self, path: str) -> str:
        return f"{self.url}{path}"


@pytest.fixture(scope="package")
def portal(django_db_setup: None, django_db_blocker: Any) -> Iterator[Portal]:
    """The portal on loopback with the Tilburg demo, loaded once for all browser tests.

    pytest-django's `live_server` fixture would make every test transactional, which empties
    the database after each test, so the demo would be loaded again for every test. This
    fixture starts the same server (pytest-django's `LiveServer`) once, keeps the database
    open for the server thread while the browser tests run, and empties it afterwards so the
    tests that follow start from an empty database as usual.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        # pytest-django sets up the test database only for tests that ask for it (the
        # browser modules' `django_db` mark); never load into, or flush, a real database.
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if not (in_memory or str(connection.settings_dict["NAME"]).startswith("test_")):
            pytest.fail(f"Not a test database: {connection.settings_dict['NAME']}")
        try:
            boundaries = SHARED_DATA if SHARED_DATA.is_dir() else None
            load_tilburg(boundaries_dir=boundaries, stdout=io.StringIO())
            server = LiveServer("127.0.0.1")
            server._live_server_modified_settings.enable()
            try:
                yield Portal(url=server.url)
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def new_page(browser: Browser, width: str) -> Page:
    context = browser.new_context(
        viewport={"width": WIDTHS[width], "height": VIEWPORT_HEIGHT},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def desktop(browser: Browser, portal: Portal) -> Iterator[Page]:
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


def screenshot(page: Page, name: str, *, max_height: int = 2400) -> None:
    """Save docs/screenshots/<name>.png, only when WIJKPORTAAL_SCREENSHOTS=1.

    The whole page, cut off at `max_height` pixels so the README's images stay small.
    """
    if os.environ.get("WIJKPORTAAL_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width, height = page.evaluate(
        "() => [document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height)}
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, clip=clip)


# A password the browser tests give chosen demo people (the demo itself sets none).
PASSWORD = "wijkportaal-browser-test"  # noqa: S105
# The demo people the signed-in tests act as, by first name, with what they hold.
PEOPLE = {
    "noor": "noor.vermeulen@example.org",  # gebiedsteam West, wijkregisseur
    "ilse": "ilse.vangorp@example.org",  # gebiedsteam Noord, wijkregisseur
    "mirjam": "mirjam.kuipers@example.org",  # partner staff in West (ContourdeTwern)
    "hanneke": "hanneke.wouters@example.org",  # chair of Wijkraad West
    "karim": "karim.benali@example.org",  # member of Wijkraad Groenewoud
    "tom": "tom.bakker@example.org",  # a resident of Wandelbos Zuid (gebied West)
}
MODERATOR = "moderator@example.org"


@pytest.fixture(scope="package")
def people(portal: Portal, django_db_blocker: Any) -> dict[str, Any]:
    """The demo people of PEOPLE and a new moderator, all able to sign in with PASSWORD.

    Saved outside the tests' transactions, like the demo, so the live server's own database
    connection (PostgreSQL) sees them too; `portal` empties the database afterwards.
    """
    from django.contrib.auth.hashers import MD5PasswordHasher

    from accounts.models import User

    # Hashed with MD5, the only hasher tests/conftest.py leaves on while a test runs.
    hasher = MD5PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    with django_db_blocker.unblock():
        found = {name: User.objects.get(email=email) for name, email in PEOPLE.items()}
        found["moderator"] = User.objects.create_user(
            MODERATOR, None, full_name="Mo Derator", is_moderator=True
        )
        for user in found.values():
            user.password = password
            user.save(update_fields=["password"])
    return found


def confirmed_resident(django_db_blocker: Any, email: str, full_name: str, wijk: str) -> Any:
    """A confirmed resident of the wijk with this slug who signs in with PASSWORD; saved
    outside the tests' transactions, so that the live server sees it (`portal` empties it
    afterwards)."""
    from django.contrib.auth.hashers import MD5PasswordHasher
    from django.utils import timezone

    from accounts.models import User
    from areas.models import Residence, Wijk

    hasher = MD5PasswordHasher()
    with django_db_blocker.unblock():
        user = User.objects.create(
            email=email,
            full_name=full_name,
            password=hasher.encode(PASSWORD, hasher.salt()),
            is_resident=True,
            email_confirmed_at=timezone.now(),
        )
        Residence.objects.create(user=user, wijk=Wijk.objects.get(slug=wijk))
    return user


def session_cookie(portal: Portal, user: Any, django_db_blocker: Any) -> dict[str, Any]:
    """A session cookie for `user`, as Django's test client signs in: for a browser context."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    with django_db_blocker.unblock():
        client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": portal.url}


def wait_for_maps(page: Page) -> None:
    """Wait until every Leaflet map on the page has drawn its layers (or given up)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-map]")].every((map) =>
            map.hasAttribute("data-map-error")
            || map.querySelector(".leaflet-overlay-pane path"))"""
    )


def wait_for_settled_maps(page: Page) -> None:
    """Wait until every map has drawn its layers and its first located points too: markers
    come after the shapes, once the map has fitted its view."""
    wait_for_maps(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-map]")].every((map) =>
            map.hasAttribute("data-map-error") || map.hasAttribute("data-map-settled"))"""
    )


POINTS_LOADED = """() => { const map = document.querySelector("[data-map]");
    return map.hasAttribute("data-located-total") && !map.hasAttribute("data-located-loading"); }"""


def wait_for_points(page: Page) -> None:
    """Wait until the map has its located points for the view it shows now (it says it is
    loading from the moment its view moves)."""
    page.wait_for_function(POINTS_LOADED)


def set_view(page: Page, lat: float, lon: float, zoom: int) -> None:
    """Move the first map to (lat, lon) at `zoom` once it has settled (so that its own first
    fit cannot undo the move), and wait for the points of that view."""
    wait_for_settled_maps(page)
    page.evaluate(
        """([lat, lon, zoom]) => document.querySelector("[data-map]")._leafletMap
            .setView([lat, lon], zoom, {animate: false})""",
        [lat, lon, zoom],
    )
    wait_for_points(page)


# The area picker of a form (a drawn area instead of a point), and half the side of the
# square the tests draw on it, in pixels at zoom 16 (about 40 m in Tilburg).
AREA_MAP = ".area-picker__map.leaflet-container"
HALF_SIDE = 25


def draw_square(page: Page, lon: float, lat: float) -> None:
    """Draw a square around (lon, lat) on the form's area map with the polygon tool, with
    mouse clicks as a person does it."""
    page.locator(AREA_MAP).scroll_into_view_if_needed()
    corners = page.evaluate(
        """([selector, lat, lon, half]) => {
            const element = document.querySelector(selector);
            const map = element.leafletMap;
            map.setView([lat, lon], 16, { animate: false });
            const box = element.getBoundingClientRect();
            const centre = map.latLngToContainerPoint([lat, lon]);
            const x = box.left + centre.x, y = box.top + centre.y;
            return [[x - half, y - half], [x + half, y - half], [x + half, y + half],
                    [x - half, y + half]];
        }""",
        [AREA_MAP, lat, lon, HALF_SIDE],
    )
    page.locator(".area-picker .leaflet-draw-draw-polygon").click()
    # Leaflet.draw follows the mouse with a marker that takes the clicks: move, then click.
    for x, y in [*corners, corners[0]]:  # clicking the first corner again closes the area
        page.mouse.move(x, y, steps=4)
        page.mouse.click(x, y)
        # Leaflet.draw ignores a click within 50 ms of the last one (its guard against a
        # browser's duplicate touch and click events); a person is never that fast.
        page.wait_for_timeout(100)
    page.wait_for_function(
        "() => document.querySelector('.area-picker').dataset.areaState === 'drawn'"
    )


def nl(msgid: str) -> str:
    """The Dutch the pages show for `msgid`: what the tests click and read."""
    with translation.override("nl"):
        return gettext(msgid)


@pytest.fixture
def locatieserver(
    portal: Portal, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeLocatieserver]:
    """The local fake PDOK Locatieserver. The live server runs in this process: it reads
    these settings and this cache."""
    from tests.areas.conftest import start_fake_locatieserver

    server = start_fake_locatieserver(settings, monkeypatch)
    yield server
    server.stop()
    cache.clear()
