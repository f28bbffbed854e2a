"""axe-core on the pages behind sign-in, at phone and laptop width.

Each page is opened as the person who uses it: the browser context carries that person's
session cookie (Django's test client signs them in). Forms shown with errors and the 409 of
two edits at the same revision are produced in the browser, as a user would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from accounts.models import Notification
from accounts.notifications import notify
from agendas.models import Action
from participation.models import Advice, Comment, CommentReport, Proposal
from tests.browser.conftest import WIDTHS, Portal, new_page, nl, session_cookie, wait_for_maps
from tests.browser.test_accessibility import axe_violations, report

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, Page

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db

WEST_AGENDA = "wijkagenda-west-het-zand-wandelbos-de-reit"
# An open proposal of West with comments and advice asked of Wijkraad West.
OPEN_PROPOSAL = "speelplek-kleurenbuurt-opnieuw-inrichten"
# An open proposal of Noord with comments and advice, put under consideration to be decided.
DECIDE_PROPOSAL = "speelveld-heikant-nieuwe-inrichting"
# The agenda whose edit form is shown with errors and in a conflict.
NOORD_AGENDA = "wijkagenda-noord-heikant-quirijnstok-stokhasselt"


def west_action() -> Action:
    action = Action.objects.filter(plan__wijkagenda__slug=WEST_AGENDA).order_by("pk").first()
    assert action is not None
    return action


def advice_path() -> str:
    advice = Advice.objects.get(proposal__slug=OPEN_PROPOSAL, wijkraad__slug="wijkraad-west")
    return f"/adviezen/{advice.pk}/indienen/"


# The pages by a name for the test id: who opens it, where (a function when the id differs
# between databases), and what must be on it, waited for before axe runs.
PICKER = "[data-location-picker].leaflet-container:not([hidden])"
PAGES: dict[str, tuple[str, str | Callable[[], str], str]] = {
    "workspace-team": ("noor", "/werkplek/", "#section-due .workspace-item"),
    "workspace-partner": ("mirjam", "/werkplek/", "#section-partner .workspace-item"),
    "agenda-edit": ("noor", f"/wijkagendas/{WEST_AGENDA}/bewerken/", "#agenda-form"),
    "items": ("noor", f"/wijkagendas/{WEST_AGENDA}/ambities/", "#agenda-items .edit-item"),
    "action-edit": ("noor", lambda: f"/acties/{west_action().pk}/bewerken/", PICKER),
    "progress": ("noor", lambda: f"/acties/{west_action().pk}/voortgang/", "#progress-form form"),
    "proposal-create": ("noor", "/voorstellen/nieuw/", PICKER),
    "proposal-decide": (
        "ilse",
        f"/voorstellen/{DECIDE_PROPOSAL}/besluiten/",
        "#decision-form fieldset.outcome",
    ),
    "proposal-as-council-member": (
        "hanneke",
        f"/voorstellen/{OPEN_PROPOSAL}/",
        "#comment-form textarea",
    ),
    "advice-form": ("hanneke", advice_path, "#advice-form"),
    "notifications": ("hanneke", "/account/meldingen/", "#notifications li.notification"),
    "moderation-queue": ("moderator", "/moderatie/", "ol.reports article.report"),
}

# How many of `shown` a page has, where the scene below decides that: the moderation queue
# holds the demo's reported comment and the scene's.
SHOWN_COUNT = {"notifications": 2, "moderation-queue": 2}


@pytest.fixture(scope="module")
def scene(portal: Portal, people: dict[str, Any], django_db_blocker: Any) -> Iterator[None]:
    """What the pages need beyond the demo, saved for the live server and undone afterwards:
    a proposal under consideration, notifications, and one open report on a comment."""
    with django_db_blocker.unblock():
        to_decide = Proposal.objects.get(slug=DECIDE_PROPOSAL)
        Proposal.objects.filter(pk=to_decide.pk).update(status=Proposal.Status.CONSIDERATION)
        notifications = notify(
            recipients=[people["hanneke"]],
            kind=Notification.Kind.ADVICE_REQUESTED,
            title="Advies gevraagd: speelplek in de Kleurenbuurt",
            url=f"/voorstellen/{OPEN_PROPOSAL}/",
        ) + notify(
            recipients=[people["hanneke"]],
            kind=Notification.Kind.COMMENT_REPLY,
            title="Noor Vermeulen reageerde op uw reactie",
            body="Goed punt.",
            url=f"/voorstellen/{OPEN_PROPOSAL}/#reacties",
        )
        notifications[0].mark_read()
        # The wijkraad chair's comment (residents react to this proposal too).
        reported = Comment.objects.get(
            proposal__slug=OPEN_PROPOSAL, parent=None, author=people["hanneke"]
        )
        open_report = CommentReport.objects.create(
            comment=reported, reporter=people["karim"], reason="Dit is geen reactie op het plan."
        )
    yield
    with django_db_blocker.unblock():
        open_report.delete()
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).delete()
        Proposal.objects.filter(pk=to_decide.pk).update(status=to_decide.status)


@pytest.fixture(scope="module")
def cookies(
    scene: None, portal: Portal, people: dict[str, Any], django_db_blocker: Any
) -> dict[str, dict[str, Any]]:
    names = {person for person, _, _ in PAGES.values()} | {"ilse"}
    return {name: session_cookie(portal, people[name], django_db_blocker) for name in names}


@pytest.fixture(scope="module")
def pages(browser: Browser, cookies: dict[str, dict[str, Any]]) -> Iterator[dict[str, Page]]:
    """One tab per width, shared by the page checks; its cookies say who is signed in."""
    opened = {width: new_page(browser, width) for width in WIDTHS}
    yield opened
    for page in opened.values():
        page.context.close()


def as_person(page: Page, cookies: dict[str, dict[str, Any]], name: str | None) -> None:
    page.context.clear_cookies()
    if name is not None:
        page.context.add_cookies([cookies[name]])


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_signed_in_page_has_no_axe_violations(
    pages: dict[str, Page],
    cookies: dict[str, dict[str, Any]],
    portal: Portal,
    name: str,
    width: str,
) -> None:
    person, path, shown = PAGES[name]
    url = portal(path if isinstance(path, str) else path())
    page = pages[width]
    as_person(page, cookies, person)
    response = page.goto(url)
    wait_for_maps(page)
    page.locator(shown).first.wait_for()

    violations = axe_violations(page)

    assert response is not None
    assert (response.status, page.url, report(violations)) == (200, url, "")
    if name in SHOWN_COUNT:
        assert page.locator(shown).count() == SHOWN_COUNT[name]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_failed_sign_in_has_no_axe_violations(
    pages: dict[str, Page], cookies: dict[str, dict[str, Any]], portal: Portal, width: str
) -> None:
    page = pages[width]
    as_person(page, cookies, None)
    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(f"niemand-{width}@example.org")
    page.locator("#id_password").fill("niet-het-wachtwoord")
    with page.expect_response(portal("/account/inloggen/")) as answered:
        page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_load_state()

    violations = axe_violations(page)

    assert answered.value.status == 400
    assert page.locator(
        "main form .utrecht-form-field-error-message, main form [role='alert'], "
        "main form .errorlist"
    ).first.inner_text() == nl(
        "The e-mail address or the password is not correct. Check both and try again."
    )
    assert report(violations) == ""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_edit_form_with_errors_has_no_axe_violations(
    pages: dict[str, Page], cookies: dict[str, dict[str, Any]], portal: Portal, width: str
) -> None:
    page = pages[width]
    as_person(page, cookies, "ilse")
    page.goto(portal(f"/wijkagendas/{NOORD_AGENDA}/bewerken/"))
    page.locator("#id_title").fill("")
    with page.expect_response(portal(f"/wijkagendas/{NOORD_AGENDA}/bewerken/")) as answered:
        page.locator("main form button[type='submit']").first.click()
    page.locator("#id_title[aria-invalid='true']").wait_for()

    violations = axe_violations(page)

    assert answered.value.status == 400
    assert report(violations) == ""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_conflict_page_has_no_axe_violations(
    browser: Browser, cookies: dict[str, dict[str, Any]], portal: Portal, width: str
) -> None:
    path = f"/wijkagendas/{NOORD_AGENDA}/bewerken/"
    first = new_page(browser, width)
    try:
        first.context.add_cookies([cookies["ilse"]])
        second = first.context.new_page()
        for tab in (first, second):
            tab.goto(portal(path))
        first.locator("#id_summary").fill(f"Eerst opgeslagen ({width}).")
        with first.expect_response(portal(path)) as saved:
            first.locator("main form button[type='submit']").first.click()
        first.wait_for_load_state()
        second.locator("#id_summary").fill(f"Daarna opgeslagen ({width}).")
        with second.expect_response(portal(path)) as refused:
            second.locator("main form button[type='submit']").first.click()
        second.locator(".conflict").first.wait_for()
        violations = axe_violations(second)
    finally:
        first.context.close()

    # htmx posts both forms: the first save answers with the saved form, the second with 409.
    assert (saved.value.status, refused.value.status) == (200, 409)
    assert report(violations) == ""
