"""A resident places their initiative as an area, drawn with Leaflet.draw in Chromium.

From the wijk's list of initiatives, the resident draws a square in Quirijnstok with mouse
clicks, as a person does it; a point typed as well is refused (a point or an area, not both),
the drawing stays on the form, and without the point the initiative is saved with the area
and its page shows it on a map and in words; once the team takes it up, the city map has it
at the area's label point, and its list and popup say it is about an area. axe checks the
form with the drawing, its refusal and the page, at both widths.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import User
from areas.models import Wijk
from participation.models import Initiative
from tests.browser.conftest import (
    PASSWORD,
    PEOPLE,
    WIDTHS,
    Portal,
    confirmed_resident,
    draw_square,
    new_page,
    nl,
    set_view,
)
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

RESIDENT = "tekenaar@example.org"
# Where each width draws: east or west of the wijk's label point, in degrees (about 70 m).
OFFSET = {"mobile": -0.001, "desktop": 0.001}


@pytest.fixture(scope="module")
def resident(portal: Portal, people: dict[str, Any], django_db_blocker: Any) -> User:
    """A confirmed resident of Quirijnstok (see `confirmed_resident`)."""
    return confirmed_resident(django_db_blocker, RESIDENT, "Tara Tekenaar", "quirijnstok")


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


def take_up(browser: Browser, portal: Portal, width: str, initiative: Initiative) -> None:
    """The wijkregisseur of Noord takes the initiative up on its answer page (the browser
    saves it: a write of the test itself would stay in its transaction, unseen)."""
    team = new_page(browser, width)
    try:
        team.goto(portal("/account/inloggen/"))
        team.locator("#id_username").fill(PEOPLE["ilse"])
        team.locator("#id_password").fill(PASSWORD)
        team.locator("main form").get_by_role("button", name=nl("Sign in")).click()
        team.locator(".site-header__user").wait_for()
        team.goto(portal(f"/initiatieven/{initiative.pk}/antwoorden/"))
        team.get_by_label(nl("in conversation"), exact=True).check()
        team.get_by_role("button", name=nl("Save the answer")).click()
        team.wait_for_url(portal(f"/initiatieven/{initiative.pk}/"))
    finally:
        team.context.close()


def test_a_resident_draws_the_area_of_their_initiative(
    browser: Browser,
    page: Page,
    portal: Portal,
    resident: User,
    width: str,
    django_db_blocker: Any,
) -> None:
    title = f"Bloemen in de Quirijnstokse straat ({width})"
    with django_db_blocker.unblock():
        wijk = Wijk.objects.get(slug="quirijnstok")
    # Each width draws in its own spot, so that their markers do not share one place.
    lon, lat = wijk.label_lon + OFFSET[width], wijk.label_lat

    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.locator(".site-header__user").wait_for()
    page.goto(portal("/wijken/quirijnstok/initiatieven/"))
    page.locator("#submit-initiative").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("We zetten bloembakken in de hele straat.")
    draw_square(page, lon, lat)
    drawn = json.loads(page.locator("#id_area").input_value())
    assert (drawn["type"], len(drawn["coordinates"][0])) == ("Polygon", 5)
    assert_no_axe_violations(page)

    # A point as well: refused, with the reason at the area; the drawing stays on the form.
    page.locator("#id_longitude").fill(f"{lon:.5f}")
    page.locator("#id_latitude").fill(f"{lat:.5f}")
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
    assert abs(initiative.longitude - lon) < 0.0005
    assert abs(initiative.latitude - lat) < 0.0005

    # Once the team takes it up, it is on the city map at that point, said to be an area.
    take_up(browser, portal, width, initiative)
    page.goto(portal("/kaart/?soort=initiatief&wijk=quirijnstok"))
    item = page.locator("#located-list .located-item", has_text=title)
    assert item.locator(".located-item__area").inner_text() == nl("About an area")
    set_view(page, initiative.latitude, initiative.longitude, 18)
    page.locator(f'.leaflet-marker-pane [title="{nl("Initiative")}: {title}"]').click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".map-popup__title").inner_text() == title
    assert popup.locator(".map-popup__meta").inner_text().endswith(nl("About an area"))
