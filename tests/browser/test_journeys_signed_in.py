"""What gebiedsteam members and wijkraad members do on the portal once signed in.

Each journey signs in through the real sign-in form. What the browser saves goes through
the live server: with SQLite it shares the test's connection and is rolled back after the
test, with PostgreSQL it is committed (and emptied with the demo at the end), so each
journey writes values that name the width it ran at and finds them back by those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from agendas.models import Action, AgendaItem, Wijkagenda
from participation.models import Comment, Proposal
from tests.browser.conftest import PASSWORD, WIDTHS, Portal, new_page, nl

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db


@pytest.fixture
def desktop(browser: Browser, portal: Portal, people: dict[str, Any]) -> Iterator[Page]:
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


@pytest.fixture(params=list(WIDTHS))
def page(
    request: pytest.FixtureRequest, browser: Browser, portal: Portal, people: dict[str, Any]
) -> Iterator[Page]:
    page = new_page(browser, request.param)
    yield page
    page.context.close()


def h1(page: Page) -> str:
    return page.locator("h1").inner_text()


def sign_in(page: Page, portal: Portal, email: str) -> None:
    """Sign in through the sign-in form; the portal then shows the workspace."""
    page.goto(portal("/account/inloggen/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal("/werkplek/"))


def test_team_member_reports_progress_from_the_workspace(page: Page, portal: Portal) -> None:
    width = next(name for name, px in WIDTHS.items() if px == page.viewport_size["width"])
    text = f"De eerste bewoners doen mee ({width})."
    sign_in(page, portal, "noor.vermeulen@example.org")
    workspace_h1 = h1(page)
    link = page.locator("#section-due .action__title a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(portal(href or ""))
    action = Action.objects.get(pk=int((href or "").rstrip("/").split("/")[-1]))
    action_h1 = h1(page)

    page.get_by_role("link", name=nl("Report progress"), exact=True).click()
    page.wait_for_url(portal(f"/acties/{action.pk}/voortgang/"))
    page.locator("#id_text").fill(text)
    page.locator("#id_status").select_option("in_progress")
    page.locator("#id_progress").fill("60")
    page.locator("#progress-form").get_by_role("button", name=nl("Report progress")).click()
    saved = page.get_by_role("status").filter(
        has_text=nl("Thank you: the progress has been reported.")
    )
    saved.wait_for()
    update = action.updates.get(text=text)
    action.refresh_from_db()
    page.goto(portal(f"/acties/{action.pk}/"))
    newest = page.locator("ol.timeline > li").first

    assert (workspace_h1, action_h1) == (nl("My workspace"), action.title)
    assert (update.author.email, update.status, update.progress, update.is_result) == (
        "noor.vermeulen@example.org",
        "in_progress",
        60,
        False,
    )
    assert (action.status, action.progress) == ("in_progress", 60)
    with translation.override("nl"):
        status_label = capfirst(str(Action.Status("in_progress").label))
    assert newest.locator("p.meta").inner_text().split(" · ")[1:] == [status_label, "60%"]
    assert newest.locator("p:not(.meta)").inner_text() == text


def test_team_member_renames_an_item_and_a_resident_sees_it_published(
    desktop: Page, browser: Browser, portal: Portal
) -> None:
    agenda = Wijkagenda.objects.get(slug="wijkagenda-noord-heikant-quirijnstok-stokhasselt")
    item = agenda.items.order_by("theme__position", "position", "pk").first()
    assert item is not None
    new_title = "Samen de Heikant groener maken"
    version_count = agenda.versions.count()
    sign_in(desktop, portal, "ilse.vangorp@example.org")

    desktop.goto(portal(f"/wijkagendas/{agenda.slug}/ambities/"))
    items_h1 = h1(desktop)
    row = desktop.locator(f"#item-{item.pk}")
    row.locator(f"a[href='/wijkagendas/{agenda.slug}/ambities/{item.pk}/bewerken/']").click()
    row.locator("input[name='title']").fill(new_title)
    row.get_by_role("button", name=nl("Save changes")).click()
    row.locator("h4").filter(has_text=new_title).wait_for()
    desktop.get_by_role("link", name=nl("Publish"), exact=True).click()
    desktop.wait_for_url(portal(f"/wijkagendas/{agenda.slug}/publiceren/"))
    desktop.get_by_role("button", name=nl("Publish now")).click()
    desktop.locator("#publish p.message--success").wait_for()
    published = desktop.locator("#publish p.message--success").inner_text()

    resident = new_page(browser, "desktop")
    try:
        resident.goto(portal(f"/wijkagendas/{agenda.slug}/"))
        resident_h1 = h1(resident)
        resident_titles = resident.locator("section.theme-group h4").all_inner_texts()
    finally:
        resident.context.close()

    with translation.override("nl"):
        expected = gettext("Version %(number)s is published. Everyone can read it now.") % {
            "number": version_count + 1
        }
        assert items_h1 == gettext("Ambitions and tasks of %(title)s") % {"title": agenda.title}
    assert published == expected
    assert AgendaItem.objects.get(pk=item.pk).title == new_title
    assert agenda.versions.count() == version_count + 1
    assert resident_h1 == agenda.title
    assert (new_title in resident_titles, item.title in resident_titles) == (True, False)


def test_council_member_comments_on_an_open_proposal_through_htmx(
    desktop: Page, portal: Portal
) -> None:
    proposal = Proposal.objects.get(slug="ontmoetingsplek-visserijbuurt")
    body = "Graag ook een watertappunt bij de jeu-de-boulesbaan."
    before = proposal.comments.count()
    sign_in(desktop, portal, "karim.benali@example.org")
    desktop.goto(portal(f"/voorstellen/{proposal.slug}/"))
    url = desktop.url
    # A full page load would reset this marker; an htmx swap keeps it.
    desktop.evaluate("() => { window.stillTheSamePage = true; }")

    with desktop.expect_response(
        lambda response: response.request.method == "POST" and "/reacties/" in response.url
    ) as posted:
        form = desktop.locator("#comment-form")
        form.locator("textarea[name='body']").fill(body)
        form.get_by_role("button", name=nl("Post comment")).click()
    new_comment = desktop.locator("#new-comments article.comment").last
    new_comment.wait_for()
    comment = Comment.objects.get(proposal=proposal, body=body)

    assert (posted.value.status, posted.value.request.headers.get("hx-request")) == (200, "true")
    assert (desktop.url, desktop.evaluate("() => window.stillTheSamePage")) == (url, True)
    assert (comment.author.email, comment.parent_id, comment.is_team_response) == (
        "karim.benali@example.org",
        None,
        False,
    )
    assert proposal.comments.count() == before + 1
    assert new_comment.get_attribute("id") == f"comment-{comment.pk}"
    assert new_comment.locator(".comment__body").inner_text() == body
    assert new_comment.locator("p.meta strong").inner_text() == "Karim Benali"
    assert desktop.locator("#comment-form textarea[name='body']").input_value() == ""
