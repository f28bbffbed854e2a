"""A notification is e-mailed and listed only while its recipient may see its subject.

A resident follows a wijk and is told of a proposal and a meeting; then the proposal is
made council-only and the meeting closed. Neither the immediate e-mail nor the digest
tells them any more, and their notification list hides both, in a fixed number of queries.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import emails, outbox, tasks
from accounts.models import Notification, NotificationPreference, OutgoingMail, User
from accounts.notifications import notify
from meetings.models import Meeting
from participation.models import Proposal
from participation.services.proposals import open_proposal
from tests.factories import FollowFactory, MeetingFactory, ProposalFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

UPDATE = Notification.Kind.UPDATE


@pytest.fixture
def proposal(gebiedsteam, wijk) -> Proposal:
    return ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld")


@pytest.fixture
def meeting(gebiedsteam) -> Meeting:
    return MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog")


def hide(subject: Proposal | Meeting) -> None:
    """What changes after the notification was made: council-only, or closed."""
    if isinstance(subject, Proposal):
        Proposal.objects.filter(pk=subject.pk).update(council_only=True)
    else:
        Meeting.objects.filter(pk=subject.pk).update(public=False)


def tell(user: User, subject, title: str | None = None) -> Notification:
    (notification,) = notify(
        recipients=[user], kind=UPDATE, title=title or f"Over {subject}", subject=subject
    )
    return notification


def listed(message) -> list[str]:
    return re.findall(r"^- (.+?) \(", message.body, re.M)


# The immediate e-mail


@pytest.mark.parametrize("which", ["proposal", "meeting"])
def test_the_immediate_email_is_not_sent_once_the_subject_is_hidden(
    request, django_capture_on_commit_callbacks, mailoutbox, resident, team_member, which
):
    subject = request.getfixturevalue(which)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        notify(recipients=[resident, team_member], kind=UPDATE, title="Nieuws", subject=subject)
    hide(subject)

    for task in queued:
        task()

    # The team still sees it; the resident is told nothing, now or in a later digest.
    assert [message.to for message in mailoutbox] == [["regisseur@example.org"]]
    assert Notification.objects.filter(emailed_at=None).count() == 0
    assert sorted((mail.to, mail.state) for mail in OutgoingMail.objects.all()) == [
        ("bewoner@example.org", "withdrawn"),
        ("regisseur@example.org", "sent"),
    ]


def test_the_immediate_email_is_sent_while_the_subject_is_visible(
    django_capture_on_commit_callbacks, mailoutbox, resident, proposal, meeting
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(resident, proposal)
        tell(resident, meeting)

    assert sorted(message.subject for message in mailoutbox) == [
        "Over Speelveld",
        "Over Wijkdialoog",
    ]


def test_a_council_member_is_still_emailed_about_a_council_only_proposal(
    mailoutbox, council_member, proposal
):
    notification = tell(council_member, proposal)
    hide(proposal)

    outbox.send_mail.delay(mail_id=OutgoingMail.objects.get(notification=notification).pk)

    assert [message.to for message in mailoutbox] == [["raad@example.org"]]


# The digest


def test_the_digest_lists_only_what_the_recipient_may_still_see(
    django_capture_on_commit_callbacks, mailoutbox, resident, gebiedsteam, proposal, meeting
):
    NotificationPreference.objects.create(user=resident, kind=UPDATE, frequency="daily")
    still_public = ProposalFactory(gebiedsteam=gebiedsteam, title="Bankje")
    for subject in (proposal, meeting, still_public):
        tell(resident, subject)
    notify(recipients=[resident], kind=UPDATE, title="Zonder onderwerp")
    hide(proposal)
    hide(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_digests.delay(frequency="daily")

    assert [message.to for message in mailoutbox] == [["bewoner@example.org"]]
    assert listed(mailoutbox[0]) == ["Over Bankje", "Zonder onderwerp"]
    # The hidden ones are done with: no later digest offers them.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_digests.delay(frequency="daily").get() == []


@pytest.mark.parametrize("which", ["proposal", "meeting"])
def test_no_digest_when_all_its_news_is_hidden(request, mailoutbox, resident, which):
    subject = request.getfixturevalue(which)
    NotificationPreference.objects.create(user=resident, kind=UPDATE, frequency="weekly")
    tell(resident, subject)
    hide(subject)

    assert emails.write_digest(user=resident, frequency="weekly") == 0
    assert (mailoutbox, OutgoingMail.objects.count()) == ([], 0)


def test_the_digest_checks_visibility_in_a_fixed_number_of_queries(resident, gebiedsteam, wijk):
    NotificationPreference.objects.create(user=resident, kind=UPDATE, frequency="daily")

    def digest_of(count: int) -> int:
        for n in range(count):
            tell(resident, ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk]))
            tell(resident, MeetingFactory(gebiedsteam=gebiedsteam, public=n % 2 == 0))
        with CaptureQueriesContext(connection) as queries:
            emails.write_digest(user=resident, frequency="daily")
        return len(queries)

    digest_of(1)  # the content types are cached from here on
    assert digest_of(2) == digest_of(6)


# The notification list


def test_the_list_hides_notifications_about_what_was_hidden_since(
    resident, gebiedsteam, proposal, meeting
):
    tell(resident, ProposalFactory(gebiedsteam=gebiedsteam, title="Bankje"))
    hidden = [tell(resident, proposal), tell(resident, meeting)]
    notify(recipients=[resident], kind=UPDATE, title="Zonder onderwerp")
    hide(proposal)
    hide(meeting)
    client = Client()
    client.force_login(resident)

    response = client.get("/account/meldingen/")

    assert sorted(n.title for n in response.context["page_obj"]) == [
        "Over Bankje",
        "Zonder onderwerp",
    ]
    assert [client.get(f"/account/meldingen/{n.pk}/").status_code for n in hidden] == [404, 404]


def test_the_list_shows_the_team_what_it_may_see(team_member, proposal, meeting):
    tell(team_member, proposal)
    tell(team_member, meeting)
    hide(proposal)
    hide(meeting)
    client = Client()
    client.force_login(team_member)

    response = client.get("/account/meldingen/")

    assert sorted(n.title for n in response.context["page_obj"]) == [
        "Over Speelveld",
        "Over Wijkdialoog",
    ]


def test_the_list_checks_visibility_in_a_fixed_number_of_queries(resident, gebiedsteam):
    client = Client()
    client.force_login(resident)

    def page_with(count: int) -> int:
        for n in range(count):
            tell(resident, ProposalFactory(gebiedsteam=gebiedsteam, council_only=n % 2 == 0))
            tell(resident, MeetingFactory(gebiedsteam=gebiedsteam, public=n % 2 == 0))
        with CaptureQueriesContext(connection) as queries:
            client.get("/account/meldingen/")
        return len(queries)

    page_with(1)
    assert page_with(1) == page_with(5)


# Through the services that notify


def test_a_resident_follower_is_not_emailed_about_a_proposal_made_council_only(
    django_capture_on_commit_callbacks, mailoutbox, resident, team_member, wijk, gebiedsteam
):
    """Opening a proposal tells the followers of its wijk; the e-mails that wait (a digest)
    or were queued before the proposal was made council-only do not reach a resident."""
    FollowFactory(
        user=resident,
        content_type=ContentType.objects.get_for_model(wijk),
        object_id=wijk.pk,
    )
    daily = UserFactory(email="dagelijks@example.org")
    FollowFactory(
        user=daily, content_type=ContentType.objects.get_for_model(wijk), object_id=wijk.pk
    )
    NotificationPreference.objects.create(user=daily, kind=UPDATE, frequency="daily")
    draft = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld", status=Proposal.Status.DRAFT
    )

    with django_capture_on_commit_callbacks(execute=False) as queued:
        open_proposal(proposal=draft, by=team_member)
    told = Notification.objects.filter(recipient__in=[resident, daily])
    assert {(n.recipient.email, n.subject) for n in told} == {
        ("bewoner@example.org", draft),
        ("dagelijks@example.org", draft),
    }
    hide(draft)
    for task in queued:
        task()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_digests.delay(frequency="daily")

    assert mailoutbox == []
