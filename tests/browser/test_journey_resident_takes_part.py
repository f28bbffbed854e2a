"""A new resident takes part from start to end, and the team closes the loop, in a real browser.

From the home page, following links only. The resident signs up (the wijk found by postcode
and house number, against the local fake Locatieserver: Stokhasselt, gebied Noord), confirms
the address from the mail, signs in, reacts to the Heikant proposal (open to everyone with an
account), submits an initiative for Stokhasselt, signs up for the Innovatielab of West and
downloads its calendar file. The wijkregisseur of Noord supports the initiative with an action
from the werkplek, and decides the proposal with an outcome for each reaction. The resident
sees both outcomes and has a notification of each. One width: the pages' axe checks at both
widths are in the journeys of each part.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail

from accounts.models import Notification, User
from meetings.models import Registration
from participation.models import Comment, Initiative, Proposal
from tests.browser.conftest import PASSWORD, Portal, new_page, nl

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from tests.areas.fake_locatieserver import FakeLocatieserver

pytestmark = pytest.mark.django_db

EMAIL = "nieuwe.bewoner@example.org"
RESIDENT_PASSWORD = "een-lang-bewonerswachtwoord-11"  # noqa: S105
PROPOSAL = "speelveld-heikant-nieuwe-inrichting"
MEETING = "Innovatielab West: wat gaan we samen doen in 2027?"
ACTION = "Moestuin in het Quirijnstokpark"
INITIATIVE = "Buurtbibliotheek in Stokhasselt"
REACTION = "Graag ook een bankje voor ouders bij het klimrek."
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(?P<path>/account/bevestigen/[^/\s]+/)")


@pytest.fixture
def pages(browser: Browser, portal: Portal) -> Iterator[tuple[Page, Page]]:
    resident, team = new_page(browser, "desktop"), new_page(browser, "desktop")
    yield resident, team
    resident.context.close()
    team.context.close()


def confirmation_link(to: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if message.to == [to] and (found := CONFIRM_LINK.search(message.body)):
                return found["path"]
        time.sleep(0.1)
    raise AssertionError(f"no confirmation mail to {to}")


def sign_in(page: Page, email: str, password: str) -> None:
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form").get_by_role("button", name=nl("Sign in")).click()
    page.locator(".site-header__user").wait_for()


def test_a_new_resident_takes_part_and_sees_what_became_of_it(
    pages: tuple[Page, Page],
    portal: Portal,
    people: dict[str, Any],
    locatieserver: FakeLocatieserver,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    page, team = pages
    proposal = Proposal.objects.get(slug=PROPOSAL)
    assert proposal.audience == Proposal.Audience.EVERYONE

    # Sign up, the wijk by address, confirm, sign in.
    page.goto(portal("/"))
    page.locator(".site-header__account").get_by_role("link", name=nl("Sign in")).click()
    page.get_by_role("link", name=nl("Create a resident account")).click()
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_display_name").fill("Bram Bewoner")
    page.locator("#id_password1").fill(RESIDENT_PASSWORD)
    page.locator("#id_password2").fill(RESIDENT_PASSWORD)
    page.locator("#id_postcode").fill("5045 CN")
    page.locator("#id_huisnummer").fill("10")
    page.get_by_role("button", name=nl("Create account")).click()
    assert page.locator("h1").inner_text() == nl("Check your e-mail")
    page.goto(portal(confirmation_link(EMAIL)))
    page.get_by_role("button", name=nl("Confirm my e-mail address")).click()
    sign_in(page, EMAIL, RESIDENT_PASSWORD)
    resident = User.objects.get(email=EMAIL)
    assert resident.residence.wijk.name == "Stokhasselt"

    # React to the proposal open to everyone with an account.
    page.locator("nav.site-nav").get_by_role("link", name=nl("Proposals"), exact=True).click()
    page.get_by_role("link", name=proposal.title, exact=True).click()
    page.wait_for_url(portal(proposal.get_absolute_url()))
    page.locator("#comment-form textarea").fill(REACTION)
    page.locator("#comment-form").get_by_role("button", name=nl("Post comment")).click()
    page.locator("#new-comments .comment__body", has_text=REACTION).wait_for()
    reaction = Comment.objects.get(proposal=proposal, author=resident)

    # Submit an initiative for their wijk, from its page.
    page.locator(".site-header__account").get_by_role("link", name=nl("My account")).click()
    page.locator("#account-summary").get_by_role("link", name="Stokhasselt").click()
    page.wait_for_url(portal("/wijken/stokhasselt/"))
    page.locator("#wijk-initiatives").click()
    page.locator("#submit-initiative").click()
    page.locator("#id_title").fill(INITIATIVE)
    page.locator("#id_body").fill("Een kastje met boeken bij het buurthuis, voor iedereen.")
    page.locator("#id_help_space").check()
    page.get_by_role("button", name=nl("Send the initiative")).click()
    assert page.locator("h1").inner_text() == INITIATIVE
    initiative = Initiative.objects.get(title=INITIATIVE)

    # Sign up for a meeting and put it in the calendar.
    page.goto(portal("/"))
    page.locator('main a[href="/gebieden/west/"]').first.click()
    page.locator('main a[href="/wijken/het-zand/"]').first.click()
    page.get_by_role("link", name=MEETING, exact=True).click()
    page.locator("#sign-up").get_by_role("button", name=nl("Sign up"), exact=True).click()
    assert nl("You have signed up. See you there!") in page.locator(".messages").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name=nl("Add to calendar (.ics)")).click()
    assert f"SUMMARY:{MEETING}" in download.value.path().read_text()
    assert Registration.objects.filter(user=resident, waiting=False).count() == 1

    # The wijkregisseur of Noord supports the initiative with an action ...
    team.goto(portal("/"))
    team.locator(".site-header__account").get_by_role("link", name=nl("Sign in")).click()
    sign_in(team, "ilse.vangorp@example.org", PASSWORD)
    team.locator(".site-header__account").get_by_role("link", name=nl("My workspace")).click()
    team.locator("#section-initiatives").get_by_role(
        "link", name=nl("Answer %(title)s") % {"title": INITIATIVE}
    ).click()
    team.get_by_label(nl("supported"), exact=True).check()
    team.get_by_label(ACTION, exact=False).first.check()
    team.get_by_role("button", name=nl("Save the answer")).click()
    team.wait_for_url(portal(initiative.get_absolute_url()))

    # ... and decides the proposal, with an outcome for each reaction.
    team.goto(portal(proposal.get_absolute_url()))
    status = team.locator("#proposal-status")
    status.get_by_label(nl("Close the comment period now")).check()
    status.get_by_role("button", name=nl("Start considering the input")).click()
    team.locator("#proposal-status").get_by_role("link", name=nl("Decide"), exact=True).click()
    team.locator("#id_decision").fill("Het speelveld krijgt een klimrek en twee bankjes.")
    team.locator("#id_input_feedback").fill("De bankjes komen er dankzij de reacties.")
    for outcome in team.locator("fieldset.outcome").all():
        outcome.locator("input[type='radio'][value='adopted']").check()
        outcome.locator("textarea").fill("Overgenomen: er komen bankjes bij het klimrek.")
    team.get_by_role("button", name=nl("Publish the decision")).click()
    team.locator("#decision-form .message[role='status']").wait_for()

    # The resident sees both outcomes and was told of each.
    page.locator(".site-header__account").get_by_role("link", name=nl("My account")).click()
    page.locator("#account-summary").get_by_role("link", name="Stokhasselt").click()
    your_input = page.locator("#your-input")
    your_input.get_by_role("link", name=INITIATIVE, exact=True).click()
    assert page.locator("#initiative-status").inner_text() == nl("supported").capitalize()
    assert page.locator("#initiative-actions a").all_inner_texts() == [ACTION]
    page.goto(portal(proposal.get_absolute_url()))
    outcome = page.locator(f"#comment-{reaction.pk}").inner_text()
    assert "Overgenomen: er komen bankjes bij het klimrek." in outcome
    titles = set(Notification.objects.filter(recipient=resident).values_list("title", flat=True))
    assert nl("Initiative supported: %(title)s") % {"title": INITIATIVE} in titles
    assert any(proposal.title in title for title in titles), titles
