"""A resident places their initiative as an area, drawn with Leaflet.draw in Chromium.

From the wijk's list of initiatives, the resident draws a square in Quirijnstok with mouse
clicks, as a person does it; a point typed as well is refused (a point or an area, not both),
the drawing stays on the form, and without the point the initiative is saved with the area
and its page shows it on a map and in words. axe checks the form with the drawing, its
refusal and the page, at both widths.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import User
from areas.models import Residence, Wijk
from participation.models import Initiative
from tests.browser.conftest import PASSWORD, WIDTHS, Portal, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

RESIDENT = "tekenaar@example.org"
AREA_MAP = ".area-picker__map.leaflet-container"
# Half the side of the drawn square, in pixels, at zoom 16 (about 40 m in Tilburg).
HALF_SIDE = 25


@pytest.fixture(scope="module")
def resident(portal: Portal, people: dict[str, Any], django_db_blocker: Any) -> User:
    """A confirmed resident of Quirijnstok who signs in with PASSWORD; saved outside the
    tests' transactions, so that the live server sees it (`portal` empties it afterwards)."""
    from django.contrib.auth.hashers import MD5PasswordHasher
    from django.utils import timezone

    hasher = MD5PasswordHasher()
    with django_db_blocker.unblock():
        user = User.objects.create(
            email=RESIDENT,
            full_name="Tara Tekenaar",
            password=hasher.encode(PASSWORD, hasher.salt()),
            is_resident=True,
            email_confirmed_at=timezone.now(),
        )
        Residence.objects.create(user=user, wijk=Wijk.objects.get(slug="quirijnstok"))
    return user


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, portal: Portal, width: str) -> Iterator[Page]:
    opened = new_page(browser, width)
    yield opened
    opened.context.close()


def assert_no_axe_violations(page: Page) -> None:
    assert report(axe_violations(page)) == "", page.url


def draw_square(page: Page, lon: float, lat: float) -> None:
    """Draw a square around (lon, lat) on the area map with the polygon tool."""
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
        # Leaflet.draw ignores a click within 50 ms of the last one.
        page.wait_for_timeout(100)
    page.wait_for_function(
        "() => document.querySelector('.area-picker').dataset.areaState === 'drawn'"
    )


def test_a_resident_draws_the_area_of_their_initiative(
    page: Page, portal: Portal, resident: User, width: str, django_db_blocker: Any
) -> None:
    title = f"Bloemen in de Quirijnstokse straat ({width})"
    with django_db_blocker.unblock():
        wijk = Wijk.objects.get(slug="quirijnstok")

    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.locator(".site-header__user").wait_for()
    page.goto(portal("/wijken/quirijnstok/initiatieven/"))
    page.locator("#submit-initiative").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("We zetten bloembakken in de hele straat.")
    draw_square(page, wijk.label_lon, wijk.label_lat)
    drawn = json.loads(page.locator("#id_area").input_value())
    assert (drawn["type"], len(drawn["coordinates"][0])) == ("Polygon", 5)
    assert_no_axe_violations(page)

    # A point as well: refused, with the reason at the area; the drawing stays on the form.
    page.locator("#id_longitude").fill(f"{wijk.label_lon:.5f}")
    page.locator("#id_latitude").fill(f"{wijk.label_lat:.5f}")
    page.get_by_role("button", name=nl("Send the initiative")).click()
    assert page.locator("#id_area_error").inner_text() == nl(
        "Choose a point or draw an area, not both: empty the longitude and latitude, "
        "or remove the area."
    )
    with django_db_blocker.unblock():
        assert not Initiative.objects.filter(title=title).exists()
    assert json.loads(page.locator("#id_area").input_value()) == drawn
    assert_no_axe_violations(page)

    page.locator("#id_longitude").fill("")
    page.locator("#id_latitude").fill("")
    page.get_by_role("button", name=nl("Send the initiative")).click()
    assert page.locator("h1").inner_text() == title
    page.wait_for_selector(".area-map.leaflet-container .leaflet-overlay-pane path")
    assert page.locator(".item-area__text").inner_text() == nl(
        "This initiative is about an area in %(names)s."
    ) % {"names": "Quirijnstok"}
    assert_no_axe_violations(page)

    with django_db_blocker.unblock():
        initiative = Initiative.objects.get(title=title)
    assert initiative.area == drawn
    # No point was given: the point is the middle of the area, in Quirijnstok.
    assert initiative.longitude is not None and initiative.latitude is not None
    assert abs(initiative.longitude - wijk.label_lon) < 0.001
    assert abs(initiative.latitude - wijk.label_lat) < 0.001
