"""A resident finds their wijk by address, in a real browser, against a fake Locatieserver."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from areas.models import Wijk
from tests.browser.conftest import VIEWPORT_HEIGHT, WIDTHS, Portal, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from tests.areas.fake_locatieserver import FakeLocatieserver

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db

CORELLI_10_2 = "adr-d03a455a5f3ac303d9b4ab6fd81a3e48"


@pytest.fixture(params=list(WIDTHS))
def page(request: pytest.FixtureRequest, browser: Browser, portal: Portal) -> Iterator[Page]:
    page = new_page(browser, request.param)
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser: Browser, portal: Portal) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTHS["mobile"], "height": VIEWPORT_HEIGHT},
        locale="nl-NL",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def slug_of(code: str) -> str:
    return Wijk.objects.get(code=code).slug


def combobox_state(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
          const input = document.getElementById("address-q");
          const listbox = document.getElementById(input.getAttribute("aria-controls"));
          return {
            role: input.getAttribute("role"),
            expanded: input.getAttribute("aria-expanded"),
            active: input.getAttribute("aria-activedescendant"),
            visible: !listbox.hidden,
            options: [...listbox.querySelectorAll("[role=option]")].map(
              (o) => [o.id, o.textContent, o.getAttribute("aria-selected")]),
            focus: document.activeElement === input,
            status: document.querySelector(".address-search__status").textContent,
          };
        }"""
    )


def test_resident_types_an_address_and_chooses_a_suggestion_with_the_keyboard(
    page: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    page.goto(portal("/wijken/adres/"))
    before = combobox_state(page)
    page.locator("#address-q").click()
    page.keyboard.type("corelli", delay=30)
    page.locator("#address-q-listbox [role=option]").nth(1).wait_for()
    page.locator(".address-search__status:not(:empty)").wait_for()
    opened = combobox_state(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = combobox_state(page)
    # Past the last option to the first, and back up past the first to the last.
    page.keyboard.press("ArrowDown")
    wrapped_down = combobox_state(page)["active"]
    page.keyboard.press("ArrowUp")
    wrapped_up = combobox_state(page)["active"]
    page.keyboard.press("Enter")
    slug = slug_of("WK085542")
    page.wait_for_url(portal(f"/wijken/{slug}/?buurt=BU08554206"))

    assert (before["role"], before["expanded"], before["visible"]) == ("combobox", "false", False)
    assert opened == {
        "role": "combobox",
        "expanded": "true",
        "active": None,
        "visible": True,
        "options": [
            ["address-q-listbox-0", "Corellistraat 10, 5045CN Tilburg", "false"],
            ["address-q-listbox-1", "Corellistraat 10-2, 5045CN Tilburg", "false"],
        ],
        "focus": True,
        # A {% translate %} text with a literal "%" is doubled in the catalogue.
        "status": nl("%%(count)s addresses found. Use the arrow keys to choose one.").replace(
            "%%(count)s", "2"
        ),
    }
    assert (second["active"], [o[2] for o in second["options"]], second["focus"]) == (
        "address-q-listbox-1",
        ["false", "true"],
        True,
    )
    assert (wrapped_down, wrapped_up) == ("address-q-listbox-0", "address-q-listbox-1")
    assert page.locator("h1").inner_text() == "Stokhasselt"
    # Typing waits for a pause: not one request per letter.
    assert len(locatieserver.requests_to("suggest")) <= 3
    assert locatieserver.requests_to("lookup") == [
        {"id": [CORELLI_10_2], "fl": [locatieserver.requests_to("lookup")[0]["fl"][0]]}
    ]


def test_escape_closes_the_suggestions_then_clears_the_field(
    desktop: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    desktop.goto(portal("/"))
    desktop.locator("#address-q").click()
    desktop.keyboard.type("stadhuisplein 130", delay=20)
    desktop.locator("#address-q-listbox [role=option]").first.wait_for()
    desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("Escape")
    closed = combobox_state(desktop)
    desktop.keyboard.press("Escape")

    assert (closed["expanded"], closed["visible"], closed["active"]) == ("false", False, None)
    assert desktop.locator("#address-q").input_value() == ""
    assert desktop.url == portal("/")


def test_suggestions_say_so_when_the_service_is_down(
    desktop: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    locatieserver.fail = (500, b"")
    desktop.goto(portal("/wijken/adres/"))
    desktop.locator("#address-q").click()
    desktop.keyboard.type("stadhuisplein", delay=20)
    desktop.locator(".address-search__status:not(:empty)").wait_for()

    state = combobox_state(desktop)

    assert (state["expanded"], state["status"]) == (
        "false",
        nl("The address search is not available right now. Try again later."),
    )


def test_resident_finds_the_wijk_by_postcode_without_javascript(
    page_without_js: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    page = page_without_js
    page.goto(portal("/"))
    page.get_by_role("textbox", name=nl("Postcode")).fill("5038 tc")
    page.get_by_role("textbox", name=nl("House number")).fill("130")
    page.get_by_role("button", name=nl("Find my wijk"), exact=True).click()
    slug = slug_of("WK085510")
    page.wait_for_url(portal(f"/wijken/{slug}/?buurt=BU08551002"))

    assert page.locator("h1").inner_text() == "Binnenstad"


def test_resident_picks_from_the_list_of_addresses_without_javascript(
    page_without_js: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    page = page_without_js
    page.goto(portal("/wijken/"))
    page.locator("#address-q").fill("corellistraat")
    page.get_by_role("button", name=nl("Search the address")).click()
    page.wait_for_url(portal("/wijken/adres/?q=corellistraat"))
    links = page.locator(".address-suggestions a").all_inner_texts()
    page.get_by_role("link", name="Corellistraat 10-2, 5045CN Tilburg").click()
    slug = slug_of("WK085542")
    page.wait_for_url(portal(f"/wijken/{slug}/?buurt=BU08554206"))

    assert links == ["Corellistraat 10, 5045CN Tilburg", "Corellistraat 10-2, 5045CN Tilburg"]
    assert page.locator("h1").inner_text() == "Stokhasselt"


def test_wrong_postcode_shows_the_errors_linked_to_their_fields(
    desktop: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    response = desktop.goto(portal("/wijken/adres/?postcode=5038+SA&huisnummer=twaalf"))
    summary_links = desktop.locator(".error-summary a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    described = desktop.locator("#address-postcode").get_attribute("aria-describedby")

    assert response is not None and response.status == 400
    assert summary_links == ["#address-postcode", "#address-huisnummer"]
    assert described == "address-postcode_error"
    assert desktop.locator("#address-postcode_error").inner_text() == nl(
        "This is not a Dutch postcode. A postcode has four numbers and two letters, "
        "for example 5038 TC."
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/wijken/adres/", 200),
        ("/wijken/adres/?postcode=5038+SA&huisnummer=twaalf", 400),
        ("/wijken/adres/?q=corellistraat", 200),
        ("/wijken/adres/?postcode=5038TC&huisnummer=131", 404),
        ("/wijken/adres/?postcode=4811XS&huisnummer=38", 404),
    ],
)
def test_address_pages_have_no_axe_violations(
    page: Page, portal: Portal, locatieserver: FakeLocatieserver, path: str, status: int
) -> None:
    response = page.goto(portal(path))

    violations = axe_violations(page)

    assert response is not None
    assert (response.status, report(violations)) == (status, "")


def test_address_search_unavailable_page_has_no_axe_violations(
    desktop: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    locatieserver.fail = (500, b"")
    response = desktop.goto(portal("/wijken/adres/?postcode=5038TC&huisnummer=130"))
    links = desktop.locator(".address-alternatives a").all_inner_texts()

    violations = axe_violations(desktop)

    assert response is not None
    assert (response.status, report(violations)) == (503, "")
    assert links == [nl("Choose your wijk from the list"), nl("Choose a place on the map")]


def test_open_suggestions_have_no_axe_violations(
    desktop: Page, portal: Portal, locatieserver: FakeLocatieserver
) -> None:
    desktop.goto(portal("/wijken/adres/"))
    desktop.locator("#address-q").click()
    desktop.keyboard.type("tilburg", delay=20)
    desktop.locator("#address-q-listbox [role=option]").first.wait_for()
    desktop.keyboard.press("ArrowDown")

    violations = axe_violations(desktop)

    assert report(violations) == ""
