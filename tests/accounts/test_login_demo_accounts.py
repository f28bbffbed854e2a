"""The sign-in page lists the demo accounts on a developer's machine (DEBUG) and never
without DEBUG."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from portal.demo.content import DEMO_ACCOUNTS

pytestmark = [pytest.mark.django_db, pytest.mark.english]

LOGIN_URL = "/account/inloggen/"
PASSWORD = "wijkportaal-demo"  # noqa: S105
CONSOLE = "django.core.mail.backends.console.EmailBackend"
MAIL_NOTE = (
    "E-mail, such as a password-reset link, is not sent: it is written to the terminal in "
    "which the portal runs."
)


@pytest.fixture
def debug(settings: Any) -> Any:
    settings.DEBUG = True
    settings.DEMO_PASSWORD = PASSWORD
    return settings


def demo_section(page: str) -> str | None:
    match = re.search(r'<section id="demo-accounts".*?</section>', page, flags=re.DOTALL)
    return match[0] if match else None


def rows(section: str) -> list[tuple[str, str]]:
    return [
        (html.unescape(role), html.unescape(email))
        for role, email in re.findall(
            r'<th scope="row">(.*?)</th>\s*<td><code>(.*?)</code></td>', section
        )
    ]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_with_debug_the_sign_in_page_lists_one_demo_account_per_role(client: Client, debug):
    response = client.get(LOGIN_URL)

    section = demo_section(response.content.decode())
    assert section is not None
    assert rows(section) == [(str(account.role), account.email) for account in DEMO_ACCOUNTS]
    assert len(rows(section)) == 13
    assert (
        "This portal runs as a demo. Try every role: each account below signs in with the "
        "password <code>wijkportaal-demo</code>."
    ) in section
    # The tests' mail goes to an outbox, not to the console: no promise of a terminal.
    assert MAIL_NOTE not in text(section)


def test_with_debug_and_mail_on_the_console_the_page_says_where_mail_goes(client: Client, debug):
    debug.EMAIL_BACKEND = CONSOLE

    section = demo_section(client.get(LOGIN_URL).content.decode())

    assert section is not None
    assert MAIL_NOTE in text(section)


def test_without_debug_the_sign_in_page_names_no_demo_account(client: Client, settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = ""
    settings.EMAIL_BACKEND = CONSOLE

    page = client.get(LOGIN_URL).content.decode()

    assert demo_section(page) is None
    assert [account.email for account in DEMO_ACCOUNTS if account.email in page] == []
    assert PASSWORD not in page


def test_with_debug_but_no_demo_password_the_page_names_no_demo_account(client: Client, debug):
    debug.DEMO_PASSWORD = ""

    assert demo_section(client.get(LOGIN_URL).content.decode()) is None


def test_the_demo_accounts_are_only_on_the_sign_in_page_when_asked_for(client: Client, debug):
    """Other pages get the context too, but none shows it."""
    page = client.get("/").content.decode()

    assert demo_section(page) is None
