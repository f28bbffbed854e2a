"""axe-core on every public page at phone and laptop width, and a keyboard-only journey."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext

from agendas.models import Action
from meetings.models import Meeting
from participation.models import Initiative
from tests.browser.conftest import (
    WIDTHS,
    Portal,
    new_page,
    wait_for_maps,
    wait_for_settled_maps,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the law asks (2.1 AA) and what the
# accessibility statement promises (2.2 AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Every public page, by a name for the test id. The ids of the action, the meetings and the
# initiative differ between databases, so they are looked up when the test runs.
PUBLIC_PAGES = {
    "home": "/",
    "wijk-list": "/wijken/",
    "gebied": "/gebieden/west/",
    "wijk": "/wijken/het-zand/",
    "wijk-with-buurt": "/wijken/het-zand/?buurt=BU08553801",
    "dorp": "/wijken/udenhout/",
    "wijkagenda-list": "/wijkagendas/",
    "wijkagenda": "/wijkagendas/wijkagenda-west-het-zand-wandelbos-de-reit/",
    "action": None,
    "meeting": None,
    "meeting-sign-up": None,
    "wijk-meetings": "/wijken/het-zand/bijeenkomsten/",
    "gebied-meetings": "/gebieden/west/bijeenkomsten/",
    "proposal-list": "/voorstellen/",
    "proposal": "/voorstellen/bomen-en-bankjes-oude-dijk/",
    "pact-list": "/pacten/",
    "pact": "/pacten/pact-groenewoud/",
    "alliance": "/allianties/kernalliantie/",
    "organisation-list": "/organisaties/",
    "organisation": "/organisaties/wonenbreburg/",
    "wijkraad-list": "/wijkraden/",
    "wijkraad": "/wijkraden/wijkraad-west/",
    "initiative-list": "/wijken/quirijnstok/initiatieven/",
    "initiative": None,
    "city-map-initiatives": "/kaart/?soort=initiatief&wijk=quirijnstok",
    "not-found": "/bestaat-niet/",
    "locate-error": "/wijken/zoek/?lon=4.9&lat=52.37",
    "accessibility": "/toegankelijkheid/",
    "search": "/zoeken/?q=moestuin",
    "open-data": "/open-data/",
    "search-kind": "/zoeken/?q=wijk&soort=acties",
    "search-nothing": "/zoeken/?q=xyzzy&wijk=het-zand",
    "city-map": "/kaart/",
    "city-map-filtered": "/kaart/?soort=actie&gebied=west",
    "key-figures": "/kaart/kerncijfers/",
    "key-figures-inhabitants": "/kaart/kerncijfers/?cijfer=inwoners",
    "key-figures-density": "/kaart/kerncijfers/?cijfer=dichtheid",
    "key-figures-dwellings": "/kaart/kerncijfers/?cijfer=woningen",
    "key-figures-unknown": "/kaart/kerncijfers/?cijfer=onbekend",
    "sign-in": "/account/inloggen/",
    "password-reset": "/account/wachtwoord-vergeten/",
}


def path_of(name: str) -> str:
    path = PUBLIC_PAGES[name]
    if path is not None:
        return path
    if name == "meeting":
        # A past meeting with a place on the map, minutes and a proposal: the fullest one.
        return Meeting.objects.get(title="Wijkdialoog over de Westermarkt").get_absolute_url()
    if name == "initiative":
        # A supported initiative with its history, action and partner: the fullest one.
        return Initiative.objects.get(
            title="Moestuinbakken in het Quirijnstokpark"
        ).get_absolute_url()
    if name == "meeting-sign-up":
        # A meeting to come that takes sign-ups, with its number of places.
        return Meeting.objects.get(sign_up=True, capacity__isnull=False).get_absolute_url()
    # The action with the most progress updates: the fullest action page of the demo.
    action = (
        Action.objects.visible_to(AnonymousUser())
        .annotate(update_count=Count("updates"))
        .order_by("-update_count", "pk")
        .first()
    )
    assert action is not None
    return action.get_absolute_url()


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


# The pages that answer with another status than 200 (the rest answer 200).
STATUS_OF = {"not-found": 404, "locate-error": 404, "key-figures-unknown": 400}


@pytest.fixture(scope="module")
def pages(browser: Browser, portal: Portal) -> Iterator[dict[str, Page]]:
    """One tab per width, shared by the page checks: a new tab per page costs time."""
    opened = {width: new_page(browser, width) for width in WIDTHS}
    yield opened
    for page in opened.values():
        page.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_has_no_axe_violations(
    pages: dict[str, Page], portal: Portal, name: str, width: str
) -> None:
    page = pages[width]
    response = page.goto(portal(path_of(name)))
    wait_for_settled_maps(page)

    violations = axe_violations(page)

    assert response is not None
    expected_status = STATUS_OF.get(name, 200)
    assert (response.status, report(violations)) == (expected_status, "")


def test_axe_reports_a_page_with_a_known_violation(pages: dict[str, Page]) -> None:
    page = pages["desktop"]
    page.set_content(
        '<!doctype html><html lang="nl"><title>t</title><main><h1>t</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>'
    )

    violations = axe_violations(page)

    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [
        ("image-alt", [["img"]])
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_map_with_basemap_tiles_has_no_axe_violations(
    browser: Browser, portal: Portal, settings: Any, width: str
) -> None:
    # A stand-in for the basemap, served by the portal itself: the tests stay offline.
    settings.WIJKPORTAAL_BASEMAP_URL = portal("/static/leaflet/images/layers.png?{z}/{x}/{y}")
    settings.WIJKPORTAAL_BASEMAP_ATTRIBUTION = "Achtergrondkaart"
    page = new_page(browser, width)
    try:
        page.goto(portal("/"))
        wait_for_maps(page)
        page.locator(".leaflet-tile-loaded").first.wait_for()
        tiles = page.locator(".leaflet-tile").count()
        violations = axe_violations(page)
    finally:
        page.context.close()

    assert (tiles > 0, report(violations)) == (True, "")


def focused(page: Page) -> dict[str, Any]:
    """The focused element: tag, id, text, href and whether the focus can be seen."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            text: el.innerText.trim(),
            href: el.getAttribute("href"),
            outlineStyle: style.outlineStyle,
            boxShadow: style.boxShadow,
            onScreen: box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0
              && box.bottom <= innerHeight && box.right <= innerWidth,
          };
        }"""
    )


def focus_is_visible(state: dict[str, Any]) -> bool:
    return state["onScreen"] and (state["outlineStyle"] != "none" or state["boxShadow"] != "none")


def test_keyboard_alone_reaches_main_content_and_main_menu(desktop: Page, portal: Portal) -> None:
    with translation.override("nl"):
        skip_text = gettext("Skip to main content")
        menu_label = gettext("Main menu")
        menu = [
            ("/", gettext("Gebieden")),
            ("/wijken/", gettext("Find my wijk")),
            ("/kaart/", gettext("Map")),
            ("/wijkagendas/", gettext("Wijkagendas")),
            ("/voorstellen/", gettext("Proposals")),
            ("/pacten/", gettext("Pacts and alliances")),
            ("/organisaties/", gettext("Partners")),
            ("/zoeken/", gettext("Search")),
        ]
    desktop.goto(portal("/wijkagendas/"))
    menu_links = desktop.locator(
        f"nav[aria-label='{menu_label}'] a, nav[aria-label='{menu_label}'] button"
    )
    in_menu = [(link.get_attribute("href"), link.inner_text()) for link in menu_links.all()]
    hidden_before = desktop.evaluate(
        """() => document.querySelector("a[href='#main']").getBoundingClientRect().bottom <= 0"""
    )

    desktop.keyboard.press("Tab")
    skip_link = focused(desktop)
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(portal("/wijkagendas/#main"))
    after_skip = focused(desktop)
    # From the top again: every link of the main menu, in order, each with a visible focus.
    desktop.goto(portal("/wijkagendas/"))
    reached = []
    for _ in range(20):
        desktop.keyboard.press("Tab")
        state = focused(desktop)
        if state["href"] in dict(menu) and state["text"] == dict(menu)[state["href"]]:
            reached.append((state["href"], state["text"], focus_is_visible(state)))
        if len(reached) == len(menu):
            break

    assert (hidden_before, skip_link["tag"], skip_link["href"], skip_link["text"]) == (
        True,
        "a",
        "#main",
        skip_text,
    )
    assert focus_is_visible(skip_link) is True
    assert in_menu == menu
    assert (after_skip["tag"], after_skip["id"]) == ("main", "main")
    assert reached == [(href, text, True) for href, text in menu]


def tab_to(page: Page, *, element_id: str = "", href: str = "", limit: int = 40) -> dict[str, Any]:
    """Press Tab until the element with this id or href has the focus; fail after `limit`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if (element_id and state["id"] == element_id) or (href and state["href"] == href):
            return state
    raise AssertionError(f"Tab does not reach {element_id or href} within {limit} presses")


def test_keyboard_alone_filters_the_wijk_list(desktop: Page, portal: Portal) -> None:
    desktop.goto(portal("/wijken/"))

    search = tab_to(desktop, element_id="wijk-q")
    desktop.keyboard.type("zand")
    # Enter submits the form: a new page, with or without htmx.
    with desktop.expect_event("load"):
        desktop.keyboard.press("Enter")
    results_url = desktop.url
    names = desktop.locator("#wijk-results th[scope='row'] a").all_inner_texts()
    result = tab_to(desktop, href="/wijken/het-zand/")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(portal("/wijken/het-zand/"))

    assert (focus_is_visible(search), results_url) == (True, portal("/wijken/?q=zand"))
    assert names == ["Het Zand"]
    assert (result["text"], focus_is_visible(result)) == ("Het Zand", True)
    assert desktop.locator("h1").inner_text() == "Het Zand"


# Every public page once more in English (the switch's choice, in the language cookie).
ENGLISH_PAGES = tuple(PUBLIC_PAGES)


@pytest.fixture(scope="module")
def english_pages(browser: Browser, portal: Portal) -> Iterator[dict[str, Page]]:
    opened = {width: new_page(browser, width) for width in WIDTHS}
    for page in opened.values():
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": portal.url}])
    yield opened
    for page in opened.values():
        page.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_public_page_in_english_has_no_axe_violations(
    english_pages: dict[str, Page], portal: Portal, name: str, width: str
) -> None:
    page = english_pages[width]
    response = page.goto(portal(path_of(name)))
    wait_for_settled_maps(page)

    violations = axe_violations(page)

    assert response is not None
    assert page.locator("html").get_attribute("lang") == "en"
    expected_status = STATUS_OF.get(name, 200)
    assert (response.status, report(violations)) == (expected_status, "")
