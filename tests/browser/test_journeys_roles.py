"""A way in for every role: each journey starts on the home page and follows only links.

Each person signs in through the header's link, lands back on the home page and goes on
from the links the portal offers: the workspace's tools and lists, the main menu, the
notifications, breadcrumbs. Nobody types an inner address, except (d), which posts straight
to a form it was not offered, to see that the portal refuses it too.

(a) to (c) are one proposal's life: the wijkregisseur drafts and opens it, the chair of the
wijkraad comments and advises, the wijkregisseur answers the advice and decides. Each step is
a fixture that the next one starts from, run once, so each test asserts one step. What the
browser saves is committed by the live server (with PostgreSQL), so the steps see each
other's work; `portal` empties the database after the browser tests.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from accounts.models import Notification, User
from agendas.models import Action, ProgressUpdate
from areas.models import Wijk
from participation.models import Comment, CommentReport, InputOutcome, Proposal
from tests.browser.conftest import MODERATOR, PASSWORD, PEOPLE, Portal, new_page, nl

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db

TITLE = "Bankjes en schaduw op het Kleurenbuurtplein"
BODY = "We willen drie bankjes en twee bomen op het plein, zodat ouderen er kunnen uitrusten."
COMMENT = "Graag ook een bankje met armleuningen, dat is fijn voor wie slecht ter been is."
ADVICE = "Positief, als er een bankje met armleuningen komt."
RESPONSE = "Dank u. Een van de drie bankjes krijgt armleuningen."
DECISION = "We plaatsen drie bankjes, waarvan een met armleuningen, en planten twee bomen."
FEEDBACK = "De wijkraad vroeg om een bankje met armleuningen: dat komt er."
WIJK_CODE = "WK085540"  # a wijk of gebied West, covered by Wijkraad West
REPORTED_ON = "speelplek-kleurenbuurt-opnieuw-inrichten"  # an open proposal of West
REPORT_REASON = "Deze reactie noemt iemand bij naam."
HIDE_REASON = "Persoonsgegevens horen niet in een reactie."


def h1(page: Page) -> str:
    return page.locator("h1").inner_text()


def local_input(delta: dt.timedelta) -> str:
    """A moment from now, as a datetime-local field takes it (the portal's time zone)."""
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def sign_in_from_home(page: Page, portal: Portal, email: str) -> None:
    """From the home page through the header's sign-in link, back home, then the workspace."""
    page.goto(portal("/"))
    header = page.locator(".site-header__account")
    header.get_by_role("link", name=nl("Sign in"), exact=True).click()
    page.wait_for_url(portal("/account/inloggen/?next=/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.wait_for_url(portal("/"))
    header.get_by_role("link", name=nl("My workspace"), exact=True).click()
    page.wait_for_url(portal("/werkplek/"))


@pytest.fixture
def desk(browser: Browser, portal: Portal, people: dict[str, Any]) -> Browser:
    """The browser, once the demo and its people are there."""
    return browser


# The steps of one proposal's life, each run once, by the first test that needs it. They
# are function fixtures, not module ones, so that each runs inside a test with the test
# settings (the MD5 hasher the people's passwords use, tasks run in the process).
_STEPS: dict[str, dict[str, Any]] = {}


def once(name: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if name not in _STEPS:
        _STEPS[name] = run()
    return _STEPS[name]


def fresh_page(browser: Browser) -> Page:
    return new_page(browser, "desktop")


# ---- (a) to (c): a proposal from draft to decision ------------------------------------


@pytest.fixture
def opened(desk: Browser, portal: Portal) -> dict[str, Any]:
    return once("opened", lambda: open_a_proposal(desk, portal))


def open_a_proposal(desk: Browser, portal: Portal) -> dict[str, Any]:
    """(a) The wijkregisseur of West drafts a proposal from the workspace and opens it."""
    wijk = Wijk.objects.get(code=WIJK_CODE)
    page = fresh_page(desk)
    seen: dict[str, Any] = {}
    try:
        sign_in_from_home(page, portal, PEOPLE["noor"])
        page.locator("#tool-proposal").click()
        page.wait_for_url(portal("/voorstellen/nieuw/"))
        seen["form_h1"] = h1(page)
        form = page.locator("#proposal-form")
        form.locator("#id_title").fill(TITLE)
        form.locator("#id_body").fill(BODY)
        form.get_by_role("checkbox", name=wijk.name, exact=True).check()
        form.locator("#id_opens_at").fill(local_input(-dt.timedelta(hours=1)))
        form.locator("#id_closes_at").fill(local_input(dt.timedelta(days=14)))
        form.get_by_role("checkbox", name="Wijkraad West", exact=True).check()
        form.locator("#id_advice_deadline").fill(local_input(dt.timedelta(days=21)))
        form.get_by_role("button", name=nl("Save as draft")).click()
        next_step = page.locator("#proposal-form .next-step")
        next_step.get_by_role("link", name=nl("View the proposal")).click()
        page.wait_for_url(re.compile(r".*/voorstellen/[\w-]+/$"))
        seen["path"] = page.url.removeprefix(portal.url)
        seen["detail_h1"] = h1(page)
        seen["draft_status"] = page.locator("#proposal-status .status").inner_text()
        page.locator("#proposal-status").get_by_role("button", name=nl("Open for comments")).click()
        page.locator("#proposal-status [role='status']").wait_for()
        seen["open_status"] = page.locator("#proposal-status .status").inner_text()
    finally:
        page.context.close()
    return seen


def test_a_wijkregisseur_creates_a_proposal_from_the_workspace_and_opens_it(
    opened: dict[str, Any],
) -> None:
    proposal = Proposal.objects.get(title=TITLE)

    assert (opened["form_h1"], opened["detail_h1"]) == (nl("New proposal"), TITLE)
    assert opened["path"] == f"/voorstellen/{proposal.slug}/"
    with translation.override("nl"):
        draft, open_ = (capfirst(str(Proposal.Status(s).label)) for s in ("draft", "open"))
    assert (opened["draft_status"], opened["open_status"]) == (draft, open_)
    assert (proposal.status, proposal.is_open, proposal.gebiedsteam.slug) == (
        "open",
        True,
        "west",
    )
    assert list(proposal.wijken.values_list("code", flat=True)) == [WIJK_CODE]
    assert list(proposal.advices.values_list("wijkraad__name", "submitted_at")) == [
        ("Wijkraad West", None)
    ]


@pytest.fixture
def advised(opened: dict[str, Any], desk: Browser, portal: Portal) -> dict[str, Any]:
    return once("advised", lambda: comment_and_advise(opened, desk, portal))


def comment_and_advise(opened: dict[str, Any], desk: Browser, portal: Portal) -> dict[str, Any]:
    """(b) The chair of Wijkraad West finds it in her workspace, comments and advises."""
    page = fresh_page(desk)
    seen: dict[str, Any] = {}
    try:
        sign_in_from_home(page, portal, PEOPLE["hanneke"])
        page.locator("#section-council").get_by_role("link", name=TITLE, exact=True).click()
        page.wait_for_url(portal(opened["path"]))
        form = page.locator("#comment-form")
        form.locator("textarea[name='body']").fill(COMMENT)
        form.get_by_role("button", name=nl("Post comment")).click()
        page.locator("#new-comments article.comment").filter(has_text=COMMENT).wait_for()
        page.get_by_role("link", name=nl("Give the advice of your council")).click()
        page.wait_for_url(re.compile(r".*/adviezen/\d+/indienen/$"))
        seen["advice_h1"] = h1(page)
        page.locator("input[name='verdict'][value='conditional']").check()
        page.locator("#id_text").fill(ADVICE)
        page.get_by_role("button", name=nl("Submit the advice")).click()
        page.wait_for_url(portal(f"{opened['path']}#advice-heading"))
        seen["message"] = page.locator(".messages").inner_text()
    finally:
        page.context.close()
    return seen


def test_a_wijkraad_chair_comments_on_the_proposal_and_gives_the_advice(
    advised: dict[str, Any],
) -> None:
    proposal = Proposal.objects.get(title=TITLE)
    advice = proposal.advices.get()

    assert advised["advice_h1"] == nl("Advice of %(wijkraad)s") % {"wijkraad": "Wijkraad West"}
    assert advised["message"] == nl("The advice of the wijkraad has been submitted.")
    assert list(proposal.comments.values_list("author__email", "body", "parent")) == [
        (PEOPLE["hanneke"], COMMENT, None)
    ]
    assert (advice.verdict, advice.text, advice.submitted_by.email) == (
        "conditional",
        ADVICE,
        PEOPLE["hanneke"],
    )


@pytest.fixture
def decided(
    advised: dict[str, Any], opened: dict[str, Any], desk: Browser, portal: Portal
) -> dict[str, Any]:
    return once("decided", lambda: answer_and_decide(opened, desk, portal))


def answer_and_decide(opened: dict[str, Any], desk: Browser, portal: Portal) -> dict[str, Any]:
    """(c) The wijkregisseur answers the advice and decides, from the workspace's list of
    proposals that wait for the team."""
    page = fresh_page(desk)
    seen: dict[str, Any] = {}
    path = opened["path"]
    try:
        sign_in_from_home(page, portal, PEOPLE["noor"])
        page.locator("#section-proposals").get_by_role("link", name=TITLE, exact=True).click()
        page.wait_for_url(portal(path))
        page.get_by_role("link", name=nl("Write the response")).click()
        page.wait_for_url(re.compile(r".*/adviezen/\d+/antwoorden/$"))
        page.locator("#id_response").fill(RESPONSE)
        page.get_by_role("button", name=nl("Save the response")).click()
        page.locator("#advice-response [role='status']").wait_for()
        seen["response_saved"] = page.locator("#advice-response [role='status']").inner_text()
        page.locator("nav.breadcrumbs").get_by_role("link", name=TITLE, exact=True).click()
        page.wait_for_url(portal(path))
        status = page.locator("#proposal-status")
        status.get_by_label(nl("Close the comment period now")).check()
        status.get_by_role("button", name=nl("Start considering the input")).click()
        page.locator("#proposal-status").get_by_role("link", name=nl("Decide"), exact=True).click()
        page.wait_for_url(portal(f"{path}besluiten/"))
        page.locator("#id_decision").fill(DECISION)
        page.locator("#id_input_feedback").fill(FEEDBACK)
        outcomes = page.locator("fieldset.outcome")
        seen["inputs"] = outcomes.count()
        for outcome in outcomes.all():
            outcome.locator("input[type='radio'][value='adopted']").check()
            outcome.locator("textarea").fill("Overgenomen: het bankje met armleuningen komt er.")
        page.get_by_role("button", name=nl("Publish the decision")).click()
        published = page.locator("#decision-form .message[role='status']")
        published.get_by_role("link", name=nl("To the proposal")).click()
        page.wait_for_url(portal(path))
        seen["decision"] = page.locator("section[aria-labelledby='decision-heading']").inner_text()
    finally:
        page.context.close()
    return seen


def test_the_wijkregisseur_answers_the_advice_and_decides(decided: dict[str, Any]) -> None:
    proposal = Proposal.objects.get(title=TITLE)
    advice = proposal.advices.get()

    assert decided["response_saved"] == nl(
        "The response has been saved. The wijkraad has been told."
    )
    assert (advice.response, advice.responded_by.email) == (RESPONSE, PEOPLE["noor"])
    assert (proposal.status, proposal.decision, proposal.input_feedback) == (
        "decided",
        DECISION,
        FEEDBACK,
    )
    # One outcome for the chair's comment and one for the advice, both adopted.
    assert decided["inputs"] == 2
    assert sorted(
        InputOutcome.objects.filter(proposal=proposal).values_list(
            "comment__body", "advice__wijkraad__name", "outcome"
        ),
        key=str,
    ) == sorted([(COMMENT, None, "adopted"), (None, "Wijkraad West", "adopted")], key=str)
    assert DECISION in decided["decision"]


# ---- (d) partner staff report on their own organisation's action ----------------------


def test_partner_staff_report_on_their_own_action_and_cannot_touch_another(
    desk: Browser, portal: Portal
) -> None:
    mirjam = User.objects.get(email=PEOPLE["mirjam"])
    text = "De buurtwandeling trekt elke week meer mensen."
    earlier = set(ProgressUpdate.objects.filter(author=mirjam).values_list("pk", flat=True))
    page = fresh_page(desk)
    try:
        sign_in_from_home(page, portal, PEOPLE["mirjam"])
        report_link = page.locator("#section-partner a[href$='/voortgang/']").first
        own = Action.objects.get(pk=int((report_link.get_attribute("href") or "").split("/")[2]))
        report_link.click()
        page.wait_for_url(portal(f"/acties/{own.pk}/voortgang/"))
        page.locator("#id_text").fill(text)
        page.locator("#id_status").select_option("in_progress")
        page.locator("#id_progress").fill("40")
        page.locator("#progress-form").get_by_role("button", name=nl("Report progress")).click()
        page.get_by_role("status").filter(
            has_text=nl("Thank you: the progress has been reported.")
        ).wait_for()
        page.locator("nav.breadcrumbs").get_by_role("link", name=own.title, exact=True).click()
        page.wait_for_url(portal(f"/acties/{own.pk}/"))
        own_links = page.locator("p.edit-links a").all_inner_texts()
        agenda = own.plan.wijkagenda
        page.locator("dl.facts").get_by_role("link", name=agenda.title, exact=True).click()
        page.wait_for_url(portal(agenda.get_absolute_url()))
        other = (
            Action.objects.filter(plan__wijkagenda=agenda)
            .exclude(owner_organisation__memberships__user=mirjam)
            .order_by("pk")
            .first()
        )
        assert other is not None
        page.locator(f"a[href='{other.get_absolute_url()}']").first.click()
        page.wait_for_url(portal(other.get_absolute_url()))
        other_links = page.locator("p.edit-links a").count()
        other_page = page.content()
        # Straight to the form she was not offered: refused. The same token on her own
        # action passes the CSRF check and the rule (and fails only for the empty text).
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        headers = {"X-CSRFToken": token, "Referer": page.url}
        other.refresh_from_db()
        data = {"text": "Niet van mij.", "status": "in_progress", "progress": "90"}
        refused = page.request.post(
            portal(f"/acties/{other.pk}/voortgang/"),
            form={**data, "revision": str(other.revision)},
            headers=headers,
            max_redirects=0,
        )
        allowed = page.request.post(
            portal(f"/acties/{own.pk}/voortgang/"),
            form={**data, "text": "", "revision": "0"},
            headers=headers,
            max_redirects=0,
        )
    finally:
        page.context.close()

    own.refresh_from_db()
    other_before = other.progress
    other.refresh_from_db()
    assert list(
        ProgressUpdate.objects.filter(author=mirjam)
        .exclude(pk__in=earlier)
        .values_list("action", "text", "progress")
    ) == [(own.pk, text, 40)]
    assert (own.status, own.progress) == ("in_progress", 40)
    assert own_links == [nl("Report progress")]
    assert other_links == 0
    assert f"/acties/{other.pk}/voortgang/" not in other_page
    assert f"/acties/{other.pk}/bewerken/" not in other_page
    assert (refused.status, allowed.status) == (403, 400)
    assert other.progress == other_before
    assert not ProgressUpdate.objects.filter(action=other, author=mirjam).exists()


# ---- (e) a moderator hides a reported comment after the notification -------------------


def test_a_moderator_opens_the_notification_and_hides_the_reported_comment(
    desk: Browser, portal: Portal
) -> None:
    proposal = Proposal.objects.get(slug=REPORTED_ON)
    comment = (
        Comment.objects.filter(proposal=proposal, author__email=PEOPLE["hanneke"], parent=None)
        .order_by("pk")
        .first()
    )
    assert comment is not None
    moderator = User.objects.get(email=MODERATOR)
    reporter = fresh_page(desk)
    try:
        # Someone of the team reads the proposal through the main menu and reports a comment.
        sign_in_from_home(reporter, portal, PEOPLE["mirjam"])
        reporter.locator("nav.site-nav").get_by_role(
            "link", name=nl("Proposals"), exact=True
        ).click()
        reporter.wait_for_url(portal("/voorstellen/"))
        reporter.get_by_role("link", name=proposal.title, exact=True).click()
        reporter.wait_for_url(portal(proposal.get_absolute_url()))
        reporter.locator(f"#comment-{comment.pk} a[href$='/melden/']").click()
        reporter.wait_for_url(portal(f"/reacties/{comment.pk}/melden/"))
        reporter.locator("#id_reason").fill(REPORT_REASON)
        reporter.get_by_role("button", name=nl("Report to a moderator")).click()
        thanks = reporter.locator("#report-comment [role='status']")
        thanks.wait_for()
        thanked = thanks.inner_text()
    finally:
        reporter.context.close()
    report = CommentReport.objects.get(comment=comment, reporter__email=PEOPLE["mirjam"])
    notification = Notification.objects.get(
        recipient=moderator, kind=Notification.Kind.COMMENT_REPORTED, url__endswith=f"/{report.pk}/"
    )
    open_reports = CommentReport.objects.visible_to(moderator).open().count()

    page = fresh_page(desk)
    try:
        sign_in_from_home(page, portal, MODERATOR)
        tool = page.locator("#tool-moderation").locator("xpath=..").inner_text()
        page.locator(".site-header__account").get_by_role(
            "link", name=re.compile(f"^{re.escape(nl('Notifications'))}")
        ).click()
        page.wait_for_url(portal(reverse("accounts:notification-list")))
        page.get_by_role("link", name=notification.title, exact=True).click()
        page.wait_for_url(portal(f"/moderatie/meldingen/{report.pk}/"))
        report_h1 = h1(page)
        page.locator(f"#id_hide-reason_{report.pk}").fill(HIDE_REASON)
        page.get_by_role("button", name=nl("Hide the comment")).click()
        notice = page.locator(f"#report-{report.pk} [role='status']")
        notice.wait_for()
        notice_text = notice.inner_text()
    finally:
        page.context.close()

    comment.refresh_from_db()
    report.refresh_from_db()
    notification.refresh_from_db()
    with translation.override("nl"):
        expected_tool = "{} ({})".format(
            gettext("Moderation"),
            translation.ngettext("%(count)d open report", "%(count)d open reports", open_reports)
            % {"count": open_reports},
        )
    assert thanked == nl("Thank you. A moderator will look at this comment.")
    assert tool == expected_tool
    assert notification.read_at is not None
    assert report_h1 == nl("Report on a comment")
    assert notice_text == nl("The comment has been hidden and its author told why.")
    assert (comment.moderation, comment.moderation_reason) == ("hidden", HIDE_REASON)
    assert (report.status, report.handled_by) == ("hidden", moderator)
    assert list(
        Notification.objects.filter(
            recipient__email=PEOPLE["mirjam"], kind=Notification.Kind.REPORT_HANDLED
        ).values_list("body", flat=True)
    ) == [nl("Thank you for your report. A moderator has looked at the comment and hidden it.")]
