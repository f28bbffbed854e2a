"""A resident's initiative, from submission to the team's support, in a real browser.

From the home page, following links only: the resident signs in, finds their wijk and
submits an initiative for it; the wijkregisseur of Noord finds it on the werkplek and marks it
supported, linked to an action of the Noord agenda; the resident sees the outcome and has a
notification of it. axe checks every new page at both widths. What the browser saves is
committed (PostgreSQL) and emptied with the demo; each run's title names its width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import Notification, User
from participation.models import Initiative
from tests.browser.conftest import PASSWORD, WIDTHS, Portal, confirmed_resident, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

RESIDENT = "initiatiefnemer@example.org"
ACTION = "Moestuin in het Quirijnstokpark"


@pytest.fixture(scope="module")
def resident(portal: Portal, people: dict[str, Any], django_db_blocker: Any) -> User:
    """A confirmed resident of Quirijnstok (see `confirmed_resident`)."""
    return confirmed_resident(django_db_blocker, RESIDENT, "Iris Initiatief", "quirijnstok")


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def pages(browser: Browser, portal: Portal, width: str) -> Iterator[tuple[Page, Page]]:
    resident_page, team_page = new_page(browser, width), new_page(browser, width)
    yield resident_page, team_page
    resident_page.context.close()
    team_page.context.close()


def h1(page: Page) -> str:
    return page.locator("h1").inner_text()


def assert_no_axe_violations(page: Page) -> None:
    assert report(axe_violations(page)) == "", page.url


def sign_in_from_home(page: Page, portal: Portal, email: str) -> None:
    page.goto(portal("/"))
    page.locator(".site-header__account").get_by_role("link", name=nl("Sign in")).click()
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.locator(".site-header__user").wait_for()


def test_a_resident_submits_an_initiative_and_the_team_supports_it(
    pages: tuple[Page, Page], portal: Portal, resident: User, width: str
) -> None:
    resident_page, team_page = pages
    title = f"Bloembakken langs de Ringbaan ({width})"

    # The resident: home → sign in → home → the list of wijken → Quirijnstok → submit.
    sign_in_from_home(resident_page, portal, RESIDENT)
    resident_page.get_by_role("link", name=nl("Choose your wijk from the list")).click()
    resident_page.locator("#wijk-results").get_by_role(
        "link", name="Quirijnstok", exact=True
    ).click()
    resident_page.wait_for_url(portal("/wijken/quirijnstok/"))
    resident_page.locator("#wijk-initiatives").click()
    resident_page.wait_for_url(portal("/wijken/quirijnstok/initiatieven/"))
    assert_no_axe_violations(resident_page)
    resident_page.locator("#submit-initiative").click()
    assert h1(resident_page) == nl("Submit an initiative")
    # Their wijk is chosen already.
    assert resident_page.locator("#id_wijk option:checked").inner_text() == "Quirijnstok"
    assert_no_axe_violations(resident_page)

    # Sent without a text: the form says so, nothing is saved.
    resident_page.locator("#id_title").fill(title)
    resident_page.get_by_role("button", name=nl("Send the initiative")).click()
    assert resident_page.locator("#id_body_error").inner_text() == nl("Describe your initiative.")
    assert not Initiative.objects.filter(title=title).exists()
    assert_no_axe_violations(resident_page)

    resident_page.locator("#id_body").fill("Met de buren planten we bloemen langs de weg.")
    resident_page.locator("#id_help_space").check()
    resident_page.get_by_role("button", name=nl("Send the initiative")).click()
    assert h1(resident_page) == title
    initiative = Initiative.objects.get(title=title)
    assert (initiative.status, initiative.published_at) == ("received", None)
    assert_no_axe_violations(resident_page)

    # The wijkregisseur of Noord: the werkplek lists it; answer it, supported with an action.
    sign_in_from_home(team_page, portal, "ilse.vangorp@example.org")
    team_page.locator(".site-header__account").get_by_role("link", name=nl("My workspace")).click()
    section = team_page.locator("#section-initiatives")
    section.get_by_role("link", name=nl("Answer %(title)s") % {"title": title}).click()
    team_page.wait_for_url(portal(f"/initiatieven/{initiative.pk}/antwoorden/"))
    assert_no_axe_violations(team_page)
    team_page.get_by_label(nl("supported"), exact=True).check()
    team_page.get_by_label(ACTION, exact=False).first.check()
    team_page.locator("#id_note").fill("Mooi plan: het past bij de moestuin in het park.")
    team_page.get_by_role("button", name=nl("Save the answer")).click()
    team_page.wait_for_url(portal(f"/initiatieven/{initiative.pk}/"))
    assert team_page.locator("#initiative-status").inner_text() == nl("supported").capitalize()

    # The resident sees the outcome and the action, and was told.
    resident_page.reload()
    assert resident_page.locator("#initiative-status").inner_text() == (
        nl("supported").capitalize()
    )
    assert resident_page.locator("#initiative-actions a").all_inner_texts() == [ACTION]
    assert_no_axe_violations(resident_page)
    told = Notification.objects.filter(recipient=resident, title__contains=f"({width})")
    assert list(told.values_list("title", flat=True)) == [
        nl("Initiative supported: %(title)s") % {"title": title}
    ]
