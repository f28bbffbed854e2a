"""The edit forms as a person sees them in the browser: no error before anything was typed,
and an area-drawing tool that speaks Dutch.

What the browser saves goes through the live server (see test_journeys_signed_in.py); these
tests save nothing, or only a form the server refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from agendas.models import Action
from tests.browser.conftest import PASSWORD, PEOPLE, Portal, new_page, nl

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def desktop(browser: Browser, portal: Portal, people: dict[str, Any]) -> Iterator[Page]:
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


def sign_in(page: Page, portal: Portal, email: str) -> None:
    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal("/werkplek/"))


def west_action() -> Action:
    action = (
        Action.objects.filter(plan__wijkagenda__gebiedsteam__slug="west")
        .select_related("plan__wijkagenda")
        .order_by("pk")
        .first()
    )
    assert action is not None, "the demo has no action in gebied West"
    return action


def danger(page: Page) -> str:
    """The portal's error colour, as the browser computes a colour (rgb(…))."""
    return page.evaluate(
        """() => {
            const probe = document.createElement("span");
            probe.style.color = "var(--wp-color-danger)";
            document.body.append(probe);
            const colour = getComputedStyle(probe).color;
            probe.remove();
            return colour;
        }"""
    )


def border(field: Locator) -> str:
    return field.evaluate("(element) => getComputedStyle(element).borderTopColor")


def errors(page: Page) -> list[str]:
    return page.locator("main .errorlist").all_inner_texts()


# ---- No error before anything was typed -------------------------------------------------


def test_a_fresh_form_shows_no_error_until_the_field_was_changed(
    desktop: Page, portal: Portal
) -> None:
    sign_in(desktop, portal, PEOPLE["noor"])
    desktop.goto(portal(f"/acties/{west_action().pk}/voortgang/"))
    text = desktop.locator("#id_text")
    red = danger(desktop)

    fresh = (errors(desktop), border(text), nl("This field is required.") in desktop.content())

    text.fill("Bijna klaar")
    text.fill("")
    text.blur()
    assert fresh == ([], fresh[1], False)
    assert fresh[1] != red
    assert border(text) == red


def test_a_fresh_form_shows_its_errors_after_a_submit(desktop: Page, portal: Portal) -> None:
    sign_in(desktop, portal, PEOPLE["noor"])
    desktop.goto(portal("/wijkagendas/nieuw/"))
    summary = desktop.locator("#id_summary")
    red = danger(desktop)
    before = (errors(desktop), border(summary) == red)

    desktop.locator("#agenda-form").get_by_role("button", name=nl("Save as draft")).click()

    desktop.locator("#agenda-form .errorlist").first.wait_for()
    assert before == ([], False)
    assert nl("This field is required.") in errors(desktop)
    assert border(summary) == red


# ---- After an htmx save the page is current ----------------------------------------------


def save_status(page: Page, pk: str, status: str, progress: str) -> None:
    row = page.locator(f"#section-due [data-action-row='{pk}']")
    row.locator("select[name$='-status']").select_option(status)
    row.locator("input[name$='-progress']").fill(progress)
    row.get_by_role("button", name=nl("Save status")).click()
    page.locator(f"#section-due [data-action-row='{pk}'] .message[role=status]").wait_for()


def test_the_workspace_is_current_after_an_action_status_was_saved(
    desktop: Page, portal: Portal
) -> None:
    page = desktop
    sign_in(page, portal, PEOPLE["noor"])
    count = page.locator("#section-due-count")
    before = count.inner_text()
    row = page.locator("#section-due .action-inline").first
    pk = row.get_attribute("data-action-row") or ""
    status = row.locator("select[name$='-status']").input_value()
    progress = row.locator("input[name$='-progress']").input_value()

    save_status(page, pk, "done", "100")
    page.wait_for_function(
        "(before) => document.querySelector('#section-due-count').textContent !== before",
        arg=before,
    )
    shown = page.locator(f"[data-action-row='{pk}'] .action .status").all_inner_texts()
    value = page.locator(f"[data-action-row='{pk}'] .action__progress-value").inner_text()
    after = count.inner_text()
    # Back as it was, for the tests that follow.
    save_status(page, pk, status, progress)
    page.wait_for_function(
        "(before) => document.querySelector('#section-due-count').textContent === before",
        arg=before,
    )

    with translation.override("nl"):
        done = str(Action.Status.DONE.label)
    assert (shown, value) == ([done], "100%")
    assert int(after.strip("()")) == int(before.strip("()")) - 1


# ---- The area-drawing tool speaks Dutch ---------------------------------------------------


def drawing(msgid: str) -> str:
    with translation.override("nl"):
        return pgettext("map drawing", msgid)


def test_the_area_drawing_tool_speaks_dutch(desktop: Page, portal: Portal) -> None:
    sign_in(desktop, portal, PEOPLE["noor"])
    desktop.goto(portal(f"/acties/{west_action().pk}/bewerken/"))
    picker = desktop.locator(".area-picker")
    picker.locator(".leaflet-draw-draw-polygon").scroll_into_view_if_needed()
    titles = [
        picker.locator(selector).get_attribute("title")
        for selector in (
            ".leaflet-draw-draw-polygon",
            ".leaflet-draw-edit-edit",
            ".leaflet-draw-edit-remove",
        )
    ]

    picker.locator(".leaflet-draw-draw-polygon").click()
    box = picker.locator(".area-picker__map").bounding_box()
    assert box is not None
    desktop.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
    actions = picker.locator(".leaflet-draw-actions:visible a")
    tooltip = picker.locator(".leaflet-draw-tooltip").inner_text()

    assert titles == [
        drawing("Draw a polygon"),
        drawing("No layers to edit"),
        drawing("No layers to delete"),
    ]
    assert [(link.inner_text(), link.get_attribute("title")) for link in actions.all()] == [
        (drawing("Finish"), drawing("Finish drawing")),
        (drawing("Delete last point"), drawing("Delete last point drawn")),
        (drawing("Cancel"), drawing("Cancel drawing")),
    ]
    assert tooltip == drawing("Click to start drawing shape.")
    assert titles[0] == "Een gebied tekenen"


PLAIN_TEXT = (
    "We leggen een speelveld aan. "
    "Het speelveld wordt door de gemeente aangelegd en onderhouden. "
    "Omdat veel ouders en kinderen uit de buurt al jaren vragen om een plek waar zij na "
    "school kunnen spelen, sporten en elkaar ontmoeten, kiezen we voor de grasstrook langs "
    "de wijkontmoetingsplaats."
)


def advice(page: Page, field: str, lines: int) -> list[str]:
    """The advice below the field, once it has this many lines (it follows the typing)."""
    page.wait_for_function(
        f"""() => document.querySelectorAll("#{field}-b1 li").length === {lines}"""
    )
    return [item.inner_text() for item in page.locator(f"#{field}-b1 li").all()]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/voorstellen/nieuw/?gebied=west", "id_body"),
        ("/acties/{action}/bewerken/", "id_description"),
    ],
)
def test_public_texts_get_plain_language_advice_while_typing(
    desktop: Page, portal: Portal, path: str, field: str
) -> None:
    sign_in(desktop, portal, PEOPLE["noor"])
    desktop.goto(portal(path.format(action=west_action().pk)))
    textarea = desktop.locator(f"#{field}")
    assert f"{field}-b1" in (textarea.get_attribute("aria-describedby") or "")

    textarea.fill(PLAIN_TEXT)

    with translation.override("nl"):
        expected = [
            nl("Sentences of more than %(words)d words: {n}") % {"words": 20},
            nl("Words of %(letters)d letters or more: {n} ({examples})") % {"letters": 15},
            nl("Passive voice (“wordt … gedaan”): {n}"),
        ]
    assert advice(desktop, field, 3) == [
        expected[0].replace("{n}", "1"),
        expected[1].replace("{n}", "1").replace("{examples}", "wijkontmoetingsplaats"),
        expected[2].replace("{n}", "1"),
    ]

    fine = nl("No long sentences, long words or passive voice.")
    textarea.fill("We leggen een speelveld aan.")
    desktop.wait_for_function(
        f"""() => document.querySelector("#{field}-b1 li").textContent === {fine!r}"""
    )
    textarea.fill("")
    desktop.wait_for_function(f"""() => document.querySelector("#{field}-b1").hidden""")
