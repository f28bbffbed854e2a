"""Who is told of a reported comment, and how its reporter hears the outcome."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Notification, NotificationPreference, User
from areas.models import TeamMembership
from participation.models import CommentReport
from tests.factories import (
    CommentFactory,
    CommentReportFactory,
    CouncilMembershipFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

REASON = "Noemt een buurman bij naam."
HIDDEN_TEXT = "Thank you for your report. A moderator has looked at the comment and hidden it."
DISMISSED_TEXT = (
    "Thank you for your report. A moderator has looked at the comment and left it in place."
)


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(name="Quirijnstok", slug="quirijnstok", gebiedsteam=gebiedsteam)


@pytest.fixture
def wijkraad(wijk):
    wijkraad = WijkraadFactory(name="Wijkraad Quirijnstok")
    wijkraad.wijken.set([wijk])
    return wijkraad


@pytest.fixture
def author(wijkraad):
    user = UserFactory(email="auteur@example.org", full_name="Auteur Anna")
    CouncilMembershipFactory(user=user, wijkraad=wijkraad)
    return user


@pytest.fixture
def reporter(wijkraad):
    user = UserFactory(email="melder@example.org", full_name="Melder Mia")
    CouncilMembershipFactory(user=user, wijkraad=wijkraad)
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderator@example.org", full_name="Moderator Mo", is_moderator=True)


@pytest.fixture
def team(gebiedsteam, other_gebiedsteam):
    """The gebied's team in every role, and a lead of another gebied, by role."""
    people = {
        role: UserFactory(email=f"{role}@example.org").pk
        for role in ("wijkregisseur", "omgevingsmanager", "ondersteuner", "partner")
    }
    for role, pk in people.items():
        TeamMembershipFactory(user_id=pk, gebiedsteam=gebiedsteam, role=role)
    elsewhere = UserFactory(email="elders@example.org")
    TeamMembershipFactory(user=elsewhere, gebiedsteam=other_gebiedsteam)
    return people


@pytest.fixture
def proposal(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld Quirijnstok", slug="speelveld"
    )


@pytest.fixture
def comment(proposal, author):
    return CommentFactory(proposal=proposal, author=author, body="Die buurman is een sukkel.")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(client: Client, comment) -> None:
    response = client.post(f"/reacties/{comment.pk}/melden/", {"reason": REASON})
    assert response.status_code == 302


def told(kind: str) -> list[tuple]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("recipient__email")
        .values_list("recipient__email", "title", "body", "url", "subject_id")
    )


def test_a_report_tells_the_moderators_and_the_core_team_of_the_gebied(
    reporter, moderator, team, comment, proposal
):
    UserFactory(email="oud@example.org", is_moderator=True, is_active=False)

    report(signed_in(reporter), comment)

    made = CommentReport.objects.get()
    title = "A comment on “Speelveld Quirijnstok” was reported"
    body = f"Reason given: {REASON}"
    url = f"/moderatie/meldingen/{made.pk}/"
    assert told("comment_reported") == [
        ("moderator@example.org", title, body, url, proposal.pk),
        ("omgevingsmanager@example.org", title, body, url, proposal.pk),
        ("ondersteuner@example.org", title, body, url, proposal.pk),
        ("wijkregisseur@example.org", title, body, url, proposal.pk),
    ]
    assert set(
        Notification.objects.values_list("subject_type__app_label", "subject_type__model")
    ) == {("participation", "proposal")}


def test_the_reporter_is_not_told_of_their_own_report(moderator, comment, proposal):
    reporting_moderator = UserFactory(email="ook@example.org", is_moderator=True)

    report(signed_in(reporting_moderator), comment)

    assert [row[0] for row in told("comment_reported")] == ["moderator@example.org"]


def test_moderators_are_not_told_of_comments_on_a_council_only_proposal(
    reporter, moderator, team, gebiedsteam, wijk, author
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True)
    comment = CommentFactory(proposal=secret, author=author)

    report(signed_in(reporter), comment)

    assert [row[0] for row in told("comment_reported")] == [
        "omgevingsmanager@example.org",
        "ondersteuner@example.org",
        "wijkregisseur@example.org",
    ]


def test_a_moderator_in_the_core_team_is_told_once(reporter, moderator, gebiedsteam, comment):
    TeamMembershipFactory(user=moderator, gebiedsteam=gebiedsteam, role="ondersteuner")

    report(signed_in(reporter), comment)

    assert [row[0] for row in told("comment_reported")] == ["moderator@example.org"]


def test_each_is_told_at_once_or_in_the_digest_as_they_chose(
    reporter, moderator, team, comment, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user_id=team["wijkregisseur"],
        kind=Notification.Kind.COMMENT_REPORTED,
        frequency=NotificationPreference.Frequency.DAILY,
    )
    NotificationPreference.objects.create(
        user_id=team["ondersteuner"],
        kind=Notification.Kind.COMMENT_REPORTED,
        frequency=NotificationPreference.Frequency.OFF,
    )

    with django_capture_on_commit_callbacks(execute=True):
        report(signed_in(reporter), comment)

    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "moderator@example.org",
        "omgevingsmanager@example.org",
    ]
    assert list(
        Notification.objects.due_for_digest("daily").values_list("recipient__email", flat=True)
    ) == ["wijkregisseur@example.org"]


def test_hiding_tells_every_reporter_the_outcome(moderator, reporter, resident, comment, proposal):
    first = CommentReportFactory(comment=comment, reporter=reporter)
    CommentReportFactory(comment=comment, reporter=resident)
    CommentReportFactory(comment=comment, status=CommentReport.Status.DISMISSED)

    response = signed_in(moderator).post(
        f"/moderatie/meldingen/{first.pk}/verbergen/", {"hide-reason": REASON}
    )

    assert response.status_code == 302
    title = "Your report of a comment on “Speelveld Quirijnstok” has been handled"
    assert told("report_handled") == [
        ("bewoner@example.org", title, HIDDEN_TEXT, "/voorstellen/speelveld/", proposal.pk),
        ("melder@example.org", title, HIDDEN_TEXT, "/voorstellen/speelveld/", proposal.pk),
    ]
    assert [row[0] for row in told("comment_hidden")] == ["auteur@example.org"]


def test_dismissing_tells_the_reporter_the_outcome(
    moderator, reporter, resident, comment, proposal
):
    dismissed = CommentReportFactory(comment=comment, reporter=reporter)
    CommentReportFactory(comment=comment, reporter=resident)

    response = signed_in(moderator).post(
        f"/moderatie/meldingen/{dismissed.pk}/afwijzen/", {"dismiss-reason": ""}
    )

    assert response.status_code == 302
    title = "Your report of a comment on “Speelveld Quirijnstok” has been handled"
    assert told("report_handled") == [
        ("melder@example.org", title, DISMISSED_TEXT, "/voorstellen/speelveld/", proposal.pk)
    ]
    assert Notification.objects.exclude(kind="report_handled").count() == 0


def test_the_outcome_text_is_dutch_for_dutch_readers(moderator, reporter, comment, settings):
    settings.LANGUAGE_CODE = "nl"
    settings.LANGUAGES = [("nl", "Nederlands")]
    dismissed = CommentReportFactory(comment=comment, reporter=reporter)

    signed_in(moderator).post(f"/moderatie/meldingen/{dismissed.pk}/afwijzen/", {})

    assert list(Notification.objects.values_list("title", "body")) == [
        (
            "Je melding over een reactie op “Speelveld Quirijnstok” is behandeld",
            "Bedankt voor je melding. Een moderator heeft de reactie bekeken en laten staan.",
        )
    ]


def test_the_team_roles_that_do_not_moderate_are_not_told(reporter, team, comment):
    report(signed_in(reporter), comment)

    partner = TeamMembership.objects.get(role="partner").user
    assert partner.has_perm("participation.moderate_comment", comment) is False
    assert Notification.objects.filter(recipient=partner).count() == 0


def test_the_settings_page_lets_each_choose_how_they_hear_of_reports(moderator):
    response = signed_in(moderator).get("/account/meldingen/instellingen/")

    form = response.context["form"]
    fields = {kind: str(form.fields[kind].label) for kind in ("comment_reported", "report_handled")}
    assert response.status_code == 200
    assert fields == {
        "comment_reported": "A comment was reported",
        "report_handled": "My report was handled",
    }
    assert 'name="comment_reported"' in response.text
    assert 'name="report_handled"' in response.text
