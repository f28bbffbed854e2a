"""The English interface: chosen with the switch on every page, Dutch by default, and no Dutch
UI string left on a public page in English; content the team wrote stays marked as Dutch."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ProposalFactory
from tests.permissions.matrix import target_for, url_and_data
from tests.permissions.views import VIEWS
from tests.permissions.world import build_world

pytestmark = pytest.mark.django_db

# Attributes that show or speak text.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _UiText(HTMLParser):
    """The texts of a page outside the parts marked lang="nl", scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.html_lang = ""

    def _dutch(self) -> bool:
        return any(dutch for _tag, dutch in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        # The page's own language (<html lang>) is what is checked, not a part marked apart.
        marked_dutch = tag != "html" and (values.get("lang") or "").startswith("nl")
        hidden = tag in ("script", "style", "template") or marked_dutch
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append((tag, hidden))
        if not self._dutch() and not hidden:
            self.texts.extend(values[name] or "" for name in SPOKEN_ATTRIBUTES if name in values)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._dutch():
            self.texts.append(data)


def ui_texts(html: str) -> tuple[str, list[str]]:
    parser = _UiText()
    parser.feed(html)
    texts = [re.sub(r"\s+", " ", text).strip() for text in parser.texts]
    return parser.html_lang, [text for text in texts if text]


def dutch_ui_strings() -> set[str]:
    """Every Dutch translation in the catalogue that differs from its English message and
    needs no filling in: what an English page must not show."""
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "nl" / "LC_MESSAGES" / "django.po"))
    english = {entry.msgid for entry in catalogue} | {e.msgid_plural for e in catalogue}
    dutch = set()
    for entry in catalogue.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text and text not in english and not re.search(r"%|\{", text) and len(text) > 3:
                dutch.add(text)
    return dutch


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_dutch_is_the_default_whatever_the_browser_asks(db) -> None:
    response = Client().get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    assert response["Content-Language"] == "nl"
    assert ui_texts(response.content.decode())[0] == "nl"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_switch_on_every_page_chooses_english_and_back(db) -> None:
    client = Client()
    page = client.get("/voorstellen/").content.decode()
    assert (
        '<input type="hidden" name="next" value="/voorstellen/">' in page
        and '<button class="utrecht-button utrecht-button--subtle" type="submit" name="language" '
        'value="en" lang="en">English</button>'
        in page
    )

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/voorstellen/"})

    assert (switched.status_code, switched["Location"]) == (302, "/voorstellen/")
    english = client.get("/voorstellen/")
    assert english["Content-Language"] == "en"
    assert '<h1 class="utrecht-heading-1">Proposals</h1>' in english.content.decode()
    assert 'value="nl" lang="nl">Nederlands</button>' in english.content.decode()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/voorstellen/"})
    assert client.get("/voorstellen/")["Content-Language"] == "nl"


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"language": "en", "next": "https://elders.example/"}, "/"),
        ({"language": "xx", "next": "/voorstellen/"}, "/voorstellen/"),
    ],
)
def test_the_switch_never_leaves_the_portal_and_ignores_unknown_languages(
    db, data, location
) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", data)

    assert (response.status_code, response["Location"]) == (302, location)
    assert client.get("/")["Content-Language"] == data["language"].replace("xx", "nl")


def test_the_page_cache_keeps_each_language_apart(db) -> None:
    ProposalFactory(title="Speeltuin Heikant")
    dutch = Client().get("/voorstellen/")
    english = english_client().get("/voorstellen/")
    dutch_again = Client().get("/voorstellen/")

    assert (dutch["Content-Language"], english["Content-Language"]) == ("nl", "en")
    assert dutch_again.content == dutch.content
    assert english.cookies == {}


def test_content_written_in_dutch_is_marked_dutch_on_an_english_page(wijk) -> None:
    proposal = ProposalFactory(
        title="Speeltuin Heikant", gebiedsteam=wijk.gebiedsteam, wijken=[wijk], body="Een **plan**."
    )

    english = english_client().get(proposal.get_absolute_url()).content.decode()
    dutch = Client().get(proposal.get_absolute_url()).content.decode()

    assert '<h1 class="utrecht-heading-1"><span lang="nl">Speeltuin Heikant</span></h1>' in english
    assert '<div lang="nl"><p>Een <strong>plan</strong>.</p></div>' in english
    assert '<h1 class="utrecht-heading-1">Speeltuin Heikant</h1>' in dutch
    assert 'lang="nl"><p>' not in dutch


def test_no_public_page_shows_a_dutch_ui_string_in_english() -> None:
    world = build_world()
    dutch = dutch_ui_strings()
    found: dict[str, list[str]] = {}
    pages = 0
    for name, view in VIEWS.items():
        if view.get is None or view.login:
            continue
        for target_name in view.targets:
            url, _ = url_and_data(view, name, target_for(world, target_name, "anonymous"))
            response = english_client().get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            lang, texts = ui_texts(response.content.decode())
            wrong = [text for text in texts if text in dutch]
            if lang != "en":
                wrong.append(f'<html lang="{lang}">')
            if wrong:
                found[url] = wrong
    assert pages >= 40
    assert found == {}
    # The same look at a Dutch page finds its Dutch: the check can fail.
    _lang, home = ui_texts(Client().get("/").content.decode())
    assert {"Zoeken", "Inloggen"} <= {text for text in home if text in dutch}
