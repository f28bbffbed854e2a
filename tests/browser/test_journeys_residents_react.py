"""A resident reacts to a proposal open to residents of their wijk, in a real browser.

From the home page, following links only: the proposals → a proposal open to residents of
Wandelbos Zuid (the demo's) → "who can react, and how" says to sign in → sign in (back at the
proposal) → react → the reaction shows, marked as a resident's. axe on the proposal page in
that signed-in state and on "Mijn account", at both widths. Tom Bakker is the demo's resident
of Wandelbos Zuid; the reaction is committed (PostgreSQL), one per width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import User
from participation.models import Comment, Proposal
from tests.browser.conftest import PASSWORD, WIDTHS, Portal, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

RESIDENT = "tom.bakker@example.org"  # lives in Wandelbos Zuid (WK085540), gebied West
OPEN_TO_RESIDENTS = "speelplek-kleurenbuurt-opnieuw-inrichten"


@pytest.fixture(scope="module")
def resident(people: dict[str, Any]) -> User:
    """The demo's resident, able to sign in with PASSWORD (tests/browser/conftest.py)."""
    user: User = people["tom"]
    return user


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, portal: Portal, width: str) -> Iterator[Page]:
    page = new_page(browser, width)
    yield page
    page.context.close()


def assert_no_axe_violations(page: Page) -> None:
    assert report(axe_violations(page)) == "", page.url


def test_a_resident_signs_in_from_a_proposal_open_to_their_wijk_and_reacts(
    page: Page, portal: Portal, resident: User, width: str
) -> None:
    proposal = Proposal.objects.get(slug=OPEN_TO_RESIDENTS)
    assert proposal.audience == Proposal.Audience.RESIDENTS
    text = f"Graag een bankje in de schaduw bij de zandbak ({width})."

    page.goto(portal("/"))
    page.locator("nav.site-nav").get_by_role("link", name=nl("Proposals"), exact=True).click()
    page.wait_for_url(portal("/voorstellen/"))
    page.get_by_role("link", name=proposal.title, exact=True).click()
    page.wait_for_url(portal(proposal.get_absolute_url()))
    how = page.locator("#how-to-react")
    assert nl("Do you live there? Sign in or create an account to react.") in how.inner_text()
    how.get_by_role("link", name=nl("Sign in"), exact=True).click()

    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal(f"{proposal.get_absolute_url()}#reacties"))
    assert page.locator(".reaction-how__reason").count() == 0
    assert_no_axe_violations(page)  # the proposal as the resident sees it, with the form

    page.locator("#comment-form textarea").fill(text)
    page.locator("#comment-form").get_by_role("button", name=nl("Post comment")).click()
    posted = page.locator("#new-comments .comment__body", has_text=text)
    posted.wait_for()
    comment = Comment.objects.get(proposal=proposal, body=text)
    assert comment.author_id == resident.pk
    meta = page.locator(f"#comment-{comment.pk} .meta").inner_text()
    assert resident.full_name in meta
    assert nl("Resident") in meta
    page.reload()
    assert page.locator(f"#comment-{comment.pk} .comment__body").inner_text() == text
    assert_no_axe_violations(page)


def test_the_residents_account_page_has_no_axe_violations(
    page: Page, portal: Portal, resident: User
) -> None:
    page.goto(portal("/"))
    page.locator(".site-header__account").get_by_role(
        "link", name=nl("Sign in"), exact=True
    ).click()
    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal("/"))
    page.locator(".site-header__account").get_by_role("link", name=nl("My account")).click()
    page.wait_for_url(portal("/account/mijn-account/"))
    assert page.locator("h1").inner_text() == nl("My account")
    assert "Wandelbos Zuid" in page.locator("#account-summary").inner_text()
    assert_no_axe_violations(page)
