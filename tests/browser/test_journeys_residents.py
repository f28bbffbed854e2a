"""A resident signs up, confirms, signs in and finds "Mijn account", in a real browser.

From the home page, following links only: sign in → create an account (the wijk found by
postcode and house number, against a local fake Locatieserver) → the confirmation mail
(Django's locmem outbox: the live server runs in this process) → confirm → sign in → Mijn
account. Then axe on every new page, at both widths. What the browser saves is committed
(PostgreSQL) or rolled back (SQLite); each run signs up an address naming its width.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail

from accounts.models import User
from areas.models import Residence
from tests.browser.conftest import WIDTHS, Portal, new_page, nl
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from tests.areas.fake_locatieserver import FakeLocatieserver

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-bewonerswachtwoord-7"  # noqa: S105
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(?P<path>/account/bevestigen/[^/\s]+/)")


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, portal: Portal, width: str) -> Iterator[Page]:
    page = new_page(browser, width)
    yield page
    page.context.close()


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert report(violations) == "", page.url


def confirmation_mail(to: str) -> mail.EmailMessage:
    """The confirmation mail, sent by the outbox's task once the sign-up committed."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [message for message in mail.outbox if message.to == [to]]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to}: {[m.to for m in mail.outbox]}")


def test_a_resident_signs_up_confirms_and_finds_their_account(
    page: Page,
    portal: Portal,
    locatieserver: FakeLocatieserver,
    mailoutbox: list[mail.EmailMessage],
    width: str,
) -> None:
    email = f"bewoner-{width}@example.org"
    page.goto(portal("/"))
    page.locator(".site-header__account").get_by_role("link", name=nl("Sign in")).click()
    page.get_by_role("link", name=nl("Create a resident account")).click()
    assert page.locator("h1").inner_text() == nl("Create an account")
    assert_no_axe_violations(page)

    # Sent without the postcode's number first: the form says what is missing, nothing saved.
    page.locator("#id_email").fill(email)
    page.locator("#id_display_name").fill(f"Bea {width}")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_postcode").fill("5038 TC")
    page.get_by_role("button", name=nl("Create account")).click()
    assert page.locator("h1").inner_text() == nl("Create an account")
    assert not User.objects.filter(email=email).exists()
    assert_no_axe_violations(page)  # the form with its errors

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_huisnummer").fill("130")
    page.get_by_role("button", name=nl("Create account")).click()
    assert page.locator("h1").inner_text() == nl("Check your e-mail")
    assert_no_axe_violations(page)
    user = User.objects.get(email=email)
    assert (user.is_active, user.is_resident) == (False, True)
    assert Residence.objects.get(user=user).wijk.code == "WK085510"

    message = confirmation_mail(email)
    match = CONFIRM_LINK.search(message.body)
    assert match is not None, message.body
    page.goto(portal(match["path"]))
    assert page.locator("h1").inner_text() == nl("Confirm your e-mail address")
    assert_no_axe_violations(page)
    page.get_by_role("button", name=nl("Confirm my e-mail address")).click()
    assert page.locator(".message--success").inner_text() == nl(
        "Your e-mail address is confirmed. You can sign in now."
    )

    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=nl("Sign in")).click()
    page.locator(".site-header__account").get_by_role("link", name=nl("My account")).click()
    assert page.locator("h1").inner_text() == nl("My account")
    summary = page.locator("#account-summary").inner_text()
    assert email in summary
    assert Residence.objects.get(user=user).wijk.name in summary
    assert_no_axe_violations(page)

    for link in (nl("Change e-mail address"), nl("Delete my account")):
        page.get_by_role("link", name=link).click()
        assert page.locator("h1").inner_text() == link
        assert_no_axe_violations(page)
        page.get_by_role("link", name=nl("Back to my account")).click()
    page.locator("footer").get_by_role("link", name=nl("Privacy statement")).click()
    assert page.locator("h1").inner_text() == nl("Privacy statement")
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    "path", ["/account/aanmelden/verstuurd/", "/account/aanmelden/nieuwe-link/", "/privacy/"]
)
def test_the_pages_around_sign_up_have_no_axe_violations(
    page: Page, portal: Portal, path: str
) -> None:
    response = page.goto(portal(path))
    assert response is not None
    assert response.status == 200
    assert_no_axe_violations(page)


def test_an_expired_link_page_has_no_axe_violations(page: Page, portal: Portal) -> None:
    response = page.goto(portal("/account/bevestigen/onzin/"))
    assert response is not None
    assert response.status == 404
    assert_no_axe_violations(page)


def test_the_page_to_confirm_a_new_address_has_no_axe_violations(
    page: Page, portal: Portal, people: dict[str, Any]
) -> None:
    """The link in the mail to a changed address: its page, before the button is pressed."""
    from django.core import signing

    from accounts import residents

    tom = people["tom"]
    token = signing.dumps(
        {"u": tom.pk, "e": "tom.nieuw@example.org", "old": tom.email}, salt=residents.CHANGE_SALT
    )
    response = page.goto(portal(f"/account/nieuw-adres-bevestigen/{token}/"))
    assert response is not None
    assert response.status == 200
    assert page.locator("h1").inner_text() == nl("Confirm your new e-mail address")
    assert_no_axe_violations(page)
