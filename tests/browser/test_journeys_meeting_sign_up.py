"""A resident signs up for a meeting and puts it in their calendar, in a real browser.

From the home page, following links only: gebied West → wijk Het Zand → the Innovatielab,
which takes sign-ups for 60 places → "sign in to sign up" → sign in (back at the meeting) →
sign up → the page says so and counts the place → the .ics file → "Mijn account" lists the
meeting → back to it and sign off, so that each width starts from the same demo. axe on the
meeting page in the signed-up state, at both widths. Tom Bakker is the demo's resident.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import User
from meetings.models import Meeting, Registration
from tests.browser.conftest import PASSWORD, WIDTHS, Portal, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

RESIDENT = "tom.bakker@example.org"
MEETING = "Innovatielab West: wat gaan we samen doen in 2027?"


@pytest.fixture(scope="module")
def resident(people: dict[str, Any]) -> User:
    """The demo's resident, able to sign in with PASSWORD (tests/browser/conftest.py)."""
    user: User = people["tom"]
    return user


def in_own_connection(blocker: Any, write: Callable[[], None]) -> None:
    """Run `write` in a thread, so on a database connection of its own that commits at once."""

    def run() -> None:
        try:
            write()
        finally:
            connection.close()

    with blocker.unblock():
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(20)


@pytest.fixture(params=list(WIDTHS))
def page(browser: Browser, portal: Portal, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = new_page(browser, str(request.param))
    yield page
    page.context.close()


def test_a_resident_signs_up_for_a_meeting_and_downloads_it(
    page: Page, portal: Portal, resident: User
) -> None:
    meeting = Meeting.objects.get(title=MEETING)
    assert (meeting.sign_up, meeting.capacity) == (True, 60)
    taken = Registration.objects.filter(meeting=meeting, waiting=False).count()

    page.goto(portal("/"))
    page.locator('main a[href="/gebieden/west/"]').first.click()
    page.wait_for_url(portal("/gebieden/west/"))
    page.locator('main a[href="/wijken/het-zand/"]').first.click()
    page.wait_for_url(portal("/wijken/het-zand/"))
    page.get_by_role("link", name=MEETING, exact=True).click()
    page.wait_for_url(portal(meeting.get_absolute_url()))
    section = page.locator("#sign-up")
    section.get_by_role("link", name="Log in", exact=True).click()

    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal(f"{meeting.get_absolute_url()}#sign-up"))
    section.get_by_role("button", name=nl("Sign up"), exact=True).click()
    page.wait_for_url(portal(meeting.get_absolute_url()))

    with translation.override("nl"):
        counted = ngettext(
            "%(places)s place, %(taken)s taken.", "%(places)s places, %(taken)s taken.", 60
        ) % {"places": 60, "taken": taken + 1}
    assert nl("You have signed up. See you there!") in page.locator(".messages").inner_text()
    assert counted in section.inner_text()
    assert section.locator(".notice").inner_text() == nl("You have signed up for this meeting.")
    assert Registration.objects.filter(meeting=meeting, user=resident, waiting=False).exists()
    assert report(axe_violations(page)) == ""

    with page.expect_download() as download:
        page.get_by_role("link", name=nl("Add to calendar (.ics)")).click()
    calendar = download.value.path().read_text()
    assert "BEGIN:VEVENT" in calendar
    assert "SUMMARY:Innovatielab West: wat gaan we samen doen in 2027?" in calendar

    page.locator(".site-header__account").get_by_role("link", name=nl("My account")).click()
    page.wait_for_url(portal("/account/mijn-account/"))
    page.get_by_role("link", name=MEETING, exact=True).click()
    page.wait_for_url(portal(meeting.get_absolute_url()))
    section.get_by_role("button", name=nl("Sign off"), exact=True).click()
    page.wait_for_url(portal(meeting.get_absolute_url()))
    assert nl("You have signed off.") in page.locator(".messages").inner_text()
    assert not Registration.objects.filter(meeting=meeting, user=resident).exists()


def test_the_last_place_taken_meanwhile_is_a_clear_409_with_the_waiting_list(
    page: Page, portal: Portal, resident: User, people: dict[str, Any], django_db_blocker: Any
) -> None:
    """The page showed a free place, but it was taken before the resident clicked: the
    answer says so (409) and offers the waiting list; axe on that page."""
    meeting = Meeting.objects.get(title=MEETING)
    page.goto(portal(meeting.get_absolute_url()))
    page.locator(".site-header__account").get_by_role(
        "link", name=nl("Sign in"), exact=True
    ).click()
    page.locator("#id_username").fill(RESIDENT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal(meeting.get_absolute_url()))

    def last_place_taken() -> None:
        # Someone else takes the last place: committed at once, in a connection of its own
        # (this test's own transaction would hold the meeting's row from the live server).
        Registration.objects.create(meeting=meeting, user=people["noor"])
        taken = Registration.objects.filter(meeting=meeting, waiting=False).count()
        Meeting.objects.filter(pk=meeting.pk).update(capacity=taken)

    def undone() -> None:
        Registration.objects.filter(meeting=meeting, user=people["noor"]).delete()
        Meeting.objects.filter(pk=meeting.pk).update(capacity=60)

    in_own_connection(django_db_blocker, last_place_taken)
    try:
        with page.expect_response(lambda r: r.url.endswith("/aanmelden/")) as answer:
            page.locator("#sign-up").get_by_role("button", name=nl("Sign up"), exact=True).click()
        assert answer.value.status == 409
        assert page.locator(".message--error").inner_text() == nl(
            "All places are taken. You can put your name on the waiting list instead."
        )
        assert report(axe_violations(page)) == ""
        assert not Registration.objects.filter(meeting=meeting, user=resident).exists()
    finally:
        in_own_connection(django_db_blocker, undone)
