"""A team member gives an action its place: an area drawn on the map, or a point found by
address; the functional administrator sees a wijk's boundary and places a werkplek on the
admin site's maps.

The area is drawn with Leaflet.draw as a person does it, with mouse clicks on the map; the
address comes from the fake Locatieserver of the areas tests. What the browser saves goes
through the live server (see test_journeys_signed_in.py for how its database is shared).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import User
from agendas.models import Action
from areas.models import Gebiedsteam, Wijk
from tests.areas.conftest import start_fake_locatieserver
from tests.browser.conftest import (
    PASSWORD,
    PEOPLE,
    Portal,
    draw_square,
    new_page,
    nl,
    session_cookie,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def desktop(browser: Browser, portal: Portal, people: dict[str, Any]) -> Iterator[Page]:
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


def sign_in(page: Page, portal: Portal, email: str) -> None:
    """Sign in through the sign-in form, so that the live server's own connection has the
    session (with PostgreSQL it does not see the test's transaction)."""
    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal("/werkplek/"))


def action_in(gebied: str, wijk: str) -> Action:
    """A demo action of gebied `gebied` whose agenda covers `wijk`, with no place yet.

    Read, not written: a change made here would stay in the test's transaction, which the
    live server does not see with PostgreSQL (and whose row lock would block its save).
    """
    action = (
        Action.objects.filter(
            plan__wijkagenda__gebiedsteam__slug=gebied,
            plan__wijkagenda__wijken__name=wijk,
            longitude__isnull=True,
            area__isnull=True,
        )
        .select_related("plan__wijkagenda")
        .order_by("pk")
        .first()
    )
    assert action is not None, f"the demo has no action without a place in {wijk}"
    return action


def test_team_member_draws_the_area_of_an_action_and_saves_it(
    desktop: Page, portal: Portal, people: dict[str, Any], django_db_blocker: Any
) -> None:
    page = desktop
    action = action_in("west", "Het Zand")
    wijk = action.plan.wijkagenda.wijken.get(name="Het Zand")
    sign_in(page, portal, PEOPLE["noor"])
    page.goto(portal(f"/acties/{action.pk}/bewerken/"))
    draw_square(page, wijk.label_lon, wijk.label_lat)
    drawn = page.locator("#id_area").input_value()
    assert drawn.startswith('{"type":"Polygon","coordinates":[[[')
    page.locator("#action-form button[type=submit]").click()
    page.wait_for_selector("#action-form .message[role=status]")

    with django_db_blocker.unblock():
        action.refresh_from_db()
    assert action.area is not None
    assert action.area["type"] == "Polygon"
    assert len(action.area["coordinates"][0]) == 5
    # No point was given: the point is the middle of the area, in Het Zand.
    assert action.longitude is not None and action.latitude is not None
    assert abs(action.longitude - wijk.label_lon) < 0.001
    assert abs(action.latitude - wijk.label_lat) < 0.001
    assert page.locator("#action-form .area-wijken").inner_text().endswith("Het Zand.")

    page.goto(portal(f"/acties/{action.pk}/"))
    page.wait_for_selector(".area-map.leaflet-container .leaflet-overlay-pane path")
    assert page.locator(".item-area__text").inner_text().endswith("Het Zand.")


def test_team_member_places_an_action_by_searching_its_address(
    desktop: Page,
    portal: Portal,
    people: dict[str, Any],
    django_db_blocker: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = desktop
    server = start_fake_locatieserver(settings, monkeypatch)
    try:
        action = action_in("noord", "Stokhasselt")
        sign_in(page, portal, PEOPLE["ilse"])
        page.goto(portal(f"/acties/{action.pk}/bewerken/"))
        search = page.get_by_role("combobox", name=nl("Search an address"))
        search.fill("Corelli")
        listbox = page.get_by_role("listbox")
        listbox.get_by_role("option").first.wait_for()
        assert search.get_attribute("aria-expanded") == "true"
        search.press("ArrowDown")
        active = search.get_attribute("aria-activedescendant")
        assert active == listbox.get_by_role("option").first.get_attribute("id")
        search.press("Enter")

        status = page.locator(".picker-search__status")
        page.wait_for_function(
            "() => document.querySelector('.picker-search__status')"
            ".textContent.includes('Stokhasselt')"
        )
        assert status.inner_text().endswith("Stokhasselt")
        assert page.locator("#id_longitude").input_value() == "5.07462"
        assert page.locator("#id_latitude").input_value() == "51.5845"
        assert page.locator(".location-picker .leaflet-marker-icon").count() == 1

        page.locator("#action-form button[type=submit]").click()
        page.wait_for_selector("#action-form .message[role=status]")
        with django_db_blocker.unblock():
            action.refresh_from_db()
        assert (action.longitude, action.latitude) == (5.07462, 51.5845)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def admin_cookie(portal: Portal, django_db_blocker: Any) -> dict[str, Any]:
    """The session of a superuser, saved for the live server (`portal` empties it after)."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser("beheer@example.org", None, full_name="Beheer")
    return session_cookie(portal, user, django_db_blocker)


def test_the_admin_site_shows_a_boundary_on_its_map_and_places_a_werkplek(
    desktop: Page, portal: Portal, admin_cookie: dict[str, Any]
) -> None:
    """The admin's own scripts (actions, autocomplete) and the portal's map widgets work
    under the policy (the autouse `no_csp_violations` fails on anything it refuses); the
    maps take their size from css/map-widgets.css, not from a style attribute."""
    page = desktop
    page.context.add_cookies([admin_cookie])
    wijk = Wijk.objects.exclude(geometry=None).order_by("pk").first()
    assert wijk is not None
    geometry = wijk.geometry
    polygons = 1 if geometry["type"] == "Polygon" else len(geometry["coordinates"])

    page.goto(portal("/beheer/areas/wijk/"))
    page.locator("#action-toggle").check()  # the admin's actions.js
    count = Wijk.objects.count()
    assert page.locator(".action-counter").inner_text() == f"{count} van de {count} geselecteerd"
    # The admin's autocomplete (select2 on jQuery) in the team's memberships.
    team = Gebiedsteam.objects.filter(memberships__isnull=False).order_by("pk").first()
    assert team is not None
    page.goto(portal(f"/beheer/areas/gebiedsteam/{team.pk}/change/"))
    page.locator(".select2-selection").first.click()
    page.locator(".select2-results__option").first.wait_for()
    assert page.evaluate("() => document.activeElement.className") == "select2-search__field"

    page.goto(portal(f"/beheer/areas/wijk/{wijk.pk}/change/"))
    boundary = page.locator(".geometry-widget__map.leaflet-container")
    boundary.locator(".leaflet-overlay-pane path").first.wait_for()
    assert boundary.locator(".leaflet-overlay-pane path").count() == polygons
    tools = ".leaflet-draw-draw-polygon, .leaflet-draw-draw-rectangle"
    assert boundary.locator(tools).count() == 2
    assert boundary.evaluate("(map) => map.clientHeight") == 420

    page.goto(portal("/beheer/areas/werkplek/add/"))
    location = page.locator(".location-widget__map.leaflet-container")
    location.wait_for()
    assert location.evaluate("(map) => map.clientHeight") == 300
    assert location.locator(".leaflet-marker-icon").count() == 0
    location.click()
    # A marker where the click was, and its point (in Tilburg, the default view) in the inputs.
    assert location.locator(".leaflet-marker-icon").count() == 1
    longitude = float(page.locator("#id_longitude").input_value())
    latitude = float(page.locator("#id_latitude").input_value())
    assert (4.9 < longitude < 5.25, 51.45 < latitude < 51.65) == (True, True)
