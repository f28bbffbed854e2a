"""The main menu: the same for everyone, with the proposals beside the wijkagendas."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

MENU = re.compile(r'<nav class="utrecht-nav-bar site-nav" aria-label="Main menu">(.*?)</nav>', re.S)
LINK = re.compile(r'<a [^>]*href="([^"]+)"([^>]*)>([^<]+)</a>')


def menu_of(response) -> list[tuple[str, str, bool]]:
    """(href, text, is the current page) of each link of the main menu."""
    menu = MENU.search(response.content.decode())
    assert menu is not None
    return [
        (href, text, 'aria-current="page"' in rest) for href, rest, text in LINK.findall(menu[1])
    ]


EXPECTED = [
    ("/", "Gebieden"),
    ("/wijken/", "Find my wijk"),
    ("/kaart/", "Map"),
    ("/wijkagendas/", "Wijkagendas"),
    ("/voorstellen/", "Proposals"),
    ("/pacten/", "Pacts and alliances"),
    ("/organisaties/", "Partners"),
    ("/zoeken/", "Search"),
]


def test_the_menu_offers_the_proposals_to_anonymous_visitors(client: Client):
    home = client.get("/")
    proposals = client.get("/voorstellen/")

    assert [(href, text) for href, text, _ in menu_of(home)] == EXPECTED
    assert [href for href, _, current in menu_of(proposals) if current] == ["/voorstellen/"]


@pytest.mark.parametrize("url", [href for href, _ in EXPECTED])
def test_the_pages_of_the_menu_set_no_cookie_for_anonymous_visitors(client: Client, url: str):
    """Not even the CSRF cookie: only signed-in people post, and the sign-in form sets it."""
    response = client.get(url)

    assert response.status_code == 200
    assert dict(response.cookies) == {}


def test_a_signed_in_page_still_gives_htmx_the_csrf_token(resident):
    response = signed_in(resident).get("/werkplek/")

    header = re.search(r"""hx-headers='\{"X-CSRFToken": "(\w+)"\}'""", response.text)
    assert header is not None
    assert response.cookies["csrftoken"].value


def test_the_menu_is_the_same_when_signed_in(resident):
    response = signed_in(resident).get("/werkplek/")

    assert [(href, text, current) for href, text, current in menu_of(response)] == [
        (href, text, False) for href, text in EXPECTED
    ]
