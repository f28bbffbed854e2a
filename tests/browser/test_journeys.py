"""What a resident does on the portal, in a real browser, at phone and laptop width.

With WIJKPORTAAL_SCREENSHOTS=1 the journeys also photograph the pages they pass into
docs/screenshots/ (the README shows some of them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext
from shapely.geometry import Point, shape

from agendas.models import Wijkagenda
from areas.models import Gebiedsteam, Wijk
from pacts.models import Pact
from tests.browser.conftest import (
    CSP_WATCH,
    WIDTHS,
    Portal,
    new_page,
    nl,
    screenshot,
    wait_for_maps,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db


@pytest.fixture(params=list(WIDTHS))
def page(request: pytest.FixtureRequest, browser: Browser, portal: Portal) -> Iterator[Page]:
    page = new_page(browser, request.param)
    yield page
    page.context.close()


def width_of(page: Page) -> str:
    size = page.viewport_size
    assert size is not None
    return next(name for name, width in WIDTHS.items() if width == size["width"])


def h1(page: Page) -> str:
    return page.locator("h1").inner_text()


def test_resident_finds_a_wijk_from_home_via_the_list(page: Page, portal: Portal) -> None:
    wijk_count = Wijk.objects.count()
    gebieden = [
        nl("Gebied %(name)s") % {"name": name}
        for name in Gebiedsteam.objects.order_by("position", "name").values_list("name", flat=True)
    ]
    page.goto(portal("/"))
    wait_for_maps(page)
    screenshot(page, f"home-{width_of(page)}")

    page.get_by_role("link", name=nl("Choose your wijk from the list")).click()
    page.wait_for_url(portal("/wijken/"))
    wait_for_maps(page)
    list_h1 = h1(page)
    groups = page.locator("#wijk-results section.wijk-group h2").all_inner_texts()
    rows = page.locator("#wijk-results th[scope='row'] a").all_inner_texts()
    screenshot(page, f"wijk-list-{width_of(page)}")
    page.locator("#wijk-results").get_by_role("link", name="Spoorzone Zuid", exact=True).click()
    page.wait_for_url(portal("/wijken/spoorzone-zuid/"))

    assert (list_h1, groups, len(rows), rows[:2]) == (
        nl("Find my wijk"),
        gebieden,
        wijk_count,
        ["Binnenstad", "Spoorzone Zuid"],
    )
    assert h1(page) == "Spoorzone Zuid"


def point_inside(page: Page, selector: str) -> dict[str, float]:
    """A point on screen where `selector` is hit, and still is 8 px away in every direction.

    Searches outwards from the middle of the element's box, so the click lands well inside
    the shape rather than on an edge shared with a neighbour.
    """
    point = page.evaluate(
        """(selector) => {
          const target = document.querySelector(selector);
          const box = target.getBoundingClientRect();
          const hits = (x, y) => [[0, 0], [8, 0], [-8, 0], [0, 8], [0, -8]].every(
            ([dx, dy]) => document.elementFromPoint(x + dx, y + dy) === target);
          const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
          const candidates = [];
          for (let x = box.left; x <= box.right; x += 4) {
            for (let y = box.top; y <= box.bottom; y += 4) {
              candidates.push([Math.hypot(x - cx, y - cy), x, y]);
            }
          }
          candidates.sort((a, b) => a[0] - b[0]);
          const found = candidates.find(([, x, y]) => hits(x, y));
          return found ? {x: found[1], y: found[2]} : null;
        }""",
        selector,
    )
    assert point is not None, f"no point inside {selector}"
    return point


def test_resident_finds_a_wijk_from_home_via_the_map(page: Page, portal: Portal) -> None:
    west = Gebiedsteam.objects.get(slug="west")
    page.goto(portal("/"))
    wait_for_maps(page)
    polygon = f"[data-layers-id='home-map'] path[fill='{west.colour}']"
    page.locator(polygon).scroll_into_view_if_needed()
    point = point_inside(page, polygon)

    with page.expect_request("**/wijken/zoek/?*") as located:
        page.mouse.click(point["x"], point["y"])
    # The portal answers with a redirect to the wijk's page.
    page.wait_for_url(lambda url: "/wijken/" in url and "/zoek/" not in url)
    query = dict(part.split("=") for part in located.value.url.split("?")[1].split("&"))
    clicked = Point(float(query["lon"]), float(query["lat"]))
    # Which wijk lies there, worked out here from the boundaries, not by the portal.
    wijk = next(
        wijk for wijk in Wijk.objects.exclude(geometry=None) if shape(wijk.geometry).covers(clicked)
    )

    assert wijk.gebiedsteam_id == west.pk
    assert (page.url, h1(page)) == (portal(f"/wijken/{wijk.slug}/"), wijk.name)


def test_resident_reads_the_wijkagenda_of_a_wijk(page: Page, portal: Portal) -> None:
    agenda = Wijkagenda.objects.get(slug="wijkagenda-west-het-zand-wandelbos-de-reit")
    expected_items: dict[str, list[str]] = {}
    for item in agenda.items.select_related("theme"):
        expected_items.setdefault(item.theme.name, []).append(item.title)
    version_count = agenda.versions.count()
    page.goto(portal("/wijken/het-zand/"))
    wait_for_maps(page)
    screenshot(page, f"wijk-{width_of(page)}")

    page.get_by_role("link", name=nl("Read the whole agenda")).click()
    page.wait_for_url(portal(f"/wijkagendas/{agenda.slug}/"))
    themes = {
        group.locator("h3").inner_text(): sorted(group.locator("h4").all_inner_texts())
        for group in page.locator("section.theme-group").all()
    }
    visible_groups = [group.is_visible() for group in page.locator("section.theme-group").all()]
    changelog = page.locator("section[aria-labelledby='changelog-heading'] ul.changelog > li")
    changelog_heading = page.locator("#changelog-heading").inner_text()
    versions = changelog.locator("h3").all_inner_texts()
    screenshot(page, f"wijkagenda-{width_of(page)}")

    assert (h1(page), len(themes)) == (agenda.title, len(expected_items))
    assert themes == {name: sorted(titles) for name, titles in expected_items.items()}
    assert visible_groups == [True] * len(expected_items)
    assert changelog_heading == nl("Changelog")
    with translation.override("nl"):
        assert versions == [
            gettext("Version %(number)s") % {"number": number}
            for number in range(version_count, 0, -1)
        ]


def test_resident_opens_a_pact_from_the_pacts_page(page: Page, portal: Portal) -> None:
    pact = Pact.objects.get(slug="pact-groenewoud")
    commitment_count = pact.commitments.count()
    page.goto(portal("/pacten/"))
    cards = page.locator("section[aria-labelledby='pacts-heading'] li.card h3").all_inner_texts()
    screenshot(page, f"pacts-{width_of(page)}")

    page.get_by_role("link", name=pact.name, exact=True).click()
    page.wait_for_url(portal(f"/pacten/{pact.slug}/"))
    promises = page.locator("section[aria-labelledby='commitments-heading'] h3").all_inner_texts()
    screenshot(page, f"pact-{width_of(page)}")

    assert cards == list(
        Pact.objects.visible_to(AnonymousUser())
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    assert (h1(page), len(promises)) == (pact.name, commitment_count)


def test_the_policy_refuses_inline_code_and_the_browser_tests_see_it(
    desktop: Page, portal: Portal
) -> None:
    """Inline style and an inline script, added to a page, are refused and reported
    (so the autouse `no_csp_violations` would fail the test; here they are taken away)."""
    desktop.goto(portal("/"))
    refused = desktop.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<p id="x" style="color: red">x</p>');
            const script = document.createElement("script");
            script.textContent = "window.ran = true;";
            document.body.append(script);
            return [getComputedStyle(document.getElementById("x")).color, !!window.ran];
        }"""
    )
    desktop.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    violations = CSP_WATCH.take()
    events = [text for text in violations if "Content Security Policy violation:" in text]
    logged = [text for text in violations if text not in events]

    assert refused == ["rgb(26, 26, 26)", False]
    assert events == [
        portal("/: Content Security Policy violation: style-src-attr refused inline at :2"),
        portal("/: Content Security Policy violation: script-src-elem refused inline at :5"),
    ]
    # Chromium's own console messages, which name the directive of the policy.
    assert [text.split(": ", 1)[1].split(" violates")[0] for text in logged] == [
        "Applying inline style",
        "Executing inline script",
    ]
