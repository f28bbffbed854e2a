from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, User
from participation.models import Comment, CommentReport, ModerationLog, Proposal
from tests.factories import (
    CommentFactory,
    CommentReportFactory,
    CouncilMembershipFactory,
    ModerationLogFactory,
    NotificationFactory,
    ProposalFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

QUEUE_URL = "/moderatie/"
REASON = "Noemt een buurman bij naam."


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(name="Quirijnstok", slug="quirijnstok", gebiedsteam=gebiedsteam)


@pytest.fixture
def other_wijk(other_gebiedsteam):
    return WijkFactory(name="Reeshof-Oost", slug="reeshof-oost", gebiedsteam=other_gebiedsteam)


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
def council_member(wijkraad):
    user = UserFactory(email="raadslid@example.org", full_name="Raadslid Rob")
    CouncilMembershipFactory(user=user, wijkraad=wijkraad)
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderator@example.org", full_name="Moderator Mo", is_moderator=True)


@pytest.fixture
def proposal(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld Quirijnstok", slug="speelveld"
    )


@pytest.fixture
def other_proposal(other_gebiedsteam, other_wijk):
    return ProposalFactory(
        gebiedsteam=other_gebiedsteam, wijken=[other_wijk], title="Park Reeshof", slug="park"
    )


@pytest.fixture
def comment(proposal, author):
    return CommentFactory(proposal=proposal, author=author, body="Die buurman is een sukkel.")


@pytest.fixture
def report(comment, resident):
    return CommentReportFactory(comment=comment, reporter=resident, reason=REASON)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def report_url(comment: Comment) -> str:
    return f"/reacties/{comment.pk}/melden/"


def hide_url(report: CommentReport) -> str:
    return f"/moderatie/meldingen/{report.pk}/verbergen/"


def dismiss_url(report: CommentReport) -> str:
    return f"/moderatie/meldingen/{report.pk}/afwijzen/"


def log_rows(comment: Comment) -> list[tuple]:
    return list(
        ModerationLog.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("act", "moderator__email", "report_id", "reason")
    )


def queue_report_ids(response) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'<article class="report" id="report-(\d+)"', response.text)
    ]


# ---- Reporting --------------------------------------------------------------------------


def test_report_form_shows_the_comment(resident, comment):
    response = client_for(resident).get(report_url(comment))

    assert response.status_code == 200
    assert response.context["comment"] == comment
    assert "Die buurman is een sukkel." in response.text


def test_report_stores_the_report_and_thanks(resident, comment, proposal):
    response = client_for(resident).post(report_url(comment), {"reason": REASON})

    assert (response.status_code, response.url) == (302, "/voorstellen/speelveld/")
    assert messages_of(response) == ["Thank you. A moderator will look at this comment."]
    assert list(CommentReport.objects.values_list("comment", "reporter", "reason", "status")) == [
        (comment.pk, resident.pk, REASON, "open")
    ]


def test_report_twice_says_so_and_stores_one(resident, comment):
    client = client_for(resident)
    client.post(report_url(comment), {"reason": REASON})

    response = client.post(report_url(comment), {"reason": "Nog een keer."})

    assert (response.status_code, response.url) == (302, "/voorstellen/speelveld/")
    assert messages_of(response) == [
        "Thank you. A moderator will look at this comment.",
        "You have already reported this comment.",
    ]
    assert list(CommentReport.objects.values_list("reason", flat=True)) == [REASON]


def test_report_own_comment_is_forbidden(author, comment):
    response = client_for(author).post(report_url(comment), {"reason": REASON})

    assert response.status_code == 403
    assert CommentReport.objects.count() == 0


def test_report_comment_of_council_only_proposal_is_404_for_outsider(
    resident, council_member, gebiedsteam, wijk, author
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True)
    comment = CommentFactory(proposal=secret, author=author)

    outsider = client_for(resident).post(report_url(comment), {"reason": REASON})
    insider = client_for(council_member).post(report_url(comment), {"reason": REASON})

    assert outsider.status_code == 404
    assert insider.status_code == 302
    assert list(CommentReport.objects.values_list("reporter", flat=True)) == [council_member.pk]


def test_report_hidden_comment_is_forbidden(resident, comment, moderator):
    comment.hide(by=moderator, reason=REASON)

    response = client_for(resident).post(report_url(comment), {"reason": REASON})

    assert response.status_code == 403
    assert CommentReport.objects.count() == 0


def test_report_needs_sign_in(comment):
    response = Client().post(report_url(comment), {"reason": REASON})

    assert (response.status_code, response.url) == (
        302,
        f"/account/inloggen/?next=/reacties/{comment.pk}/melden/",
    )
    assert CommentReport.objects.count() == 0


def test_report_without_reason_is_400(resident, comment):
    response = client_for(resident).post(report_url(comment), {"reason": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["Say why you report this comment."]}
    assert CommentReport.objects.count() == 0


def test_report_htmx_returns_the_thanks_fragment(resident, comment):
    response = client_for(resident).post(
        report_url(comment), {"reason": REASON}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="report-comment">')
    assert "<html" not in response.text
    assert (
        '<p class="message message--success" role="status">Thank you. A moderator will look at '
        "this comment.</p>" in response.text
    )
    assert CommentReport.objects.count() == 1


def test_report_htmx_invalid_returns_the_form_with_errors(resident, comment):
    response = client_for(resident).post(
        report_url(comment), {"reason": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert response.text.lstrip().startswith('<div id="report-comment">')
    assert "Say why you report this comment." in response.text
    assert CommentReport.objects.count() == 0


# ---- The queue --------------------------------------------------------------------------


@pytest.fixture
def reports(report, other_proposal, other_team_member):
    """An open report in each gebied, one handled one, in this order of age."""
    elsewhere = CommentReportFactory(comment=CommentFactory(proposal=other_proposal))
    CommentReportFactory(comment=report.comment, status=CommentReport.Status.DISMISSED)
    return [report, elsewhere]


def test_queue_moderator_sees_all_open_reports_oldest_first(moderator, reports):
    response = client_for(moderator).get(QUEUE_URL)

    assert response.status_code == 200
    assert queue_report_ids(response) == [reports[0].pk, reports[1].pk]


def test_queue_admin_sees_all_open_reports(staff, reports):
    response = client_for(staff).get(QUEUE_URL)

    assert queue_report_ids(response) == [reports[0].pk, reports[1].pk]


def test_queue_team_member_sees_only_own_gebied(team_member, other_team_member, reports):
    own = client_for(team_member).get(QUEUE_URL)
    other = client_for(other_team_member).get(QUEUE_URL)

    assert queue_report_ids(own) == [reports[0].pk]
    assert queue_report_ids(other) == [reports[1].pk]


@pytest.mark.parametrize("role", ["resident", "council_member"])
def test_queue_is_forbidden_for_people_without_a_moderating_role(request, role, reports):
    response = client_for(request.getfixturevalue(role)).get(QUEUE_URL)

    assert response.status_code == 403
    assert "Die buurman" not in response.text


def test_queue_is_empty_without_reports(moderator):
    response = client_for(moderator).get(QUEUE_URL)

    assert response.status_code == 200
    assert queue_report_ids(response) == []
    assert "There are no open reports." in response.text


def test_queue_is_paginated(moderator, comment):
    made = [CommentReportFactory(comment=comment) for _ in range(21)]

    first = client_for(moderator).get(QUEUE_URL)
    second = client_for(moderator).get(QUEUE_URL, {"page": 2})

    assert queue_report_ids(first) == [report.pk for report in made[:20]]
    assert queue_report_ids(second) == [made[20].pk]


def test_queue_runs_a_fixed_number_of_queries(moderator, proposal, other_proposal):
    CommentReportFactory(comment=CommentFactory(proposal=proposal))
    client = client_for(moderator)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE_URL)
    for target in [proposal, other_proposal, other_proposal, proposal]:
        CommentReportFactory(comment=CommentFactory(proposal=target))
    with CaptureQueriesContext(connection) as five:
        response = client.get(QUEUE_URL)

    assert len(queue_report_ids(response)) == 5
    assert len(five) == len(one)


# ---- Hide, dismiss, restore -------------------------------------------------------------


def test_hide_hides_closes_reports_logs_and_tells_the_author(
    moderator, report, comment, author, council_member
):
    second = CommentReportFactory(comment=comment, reporter=council_member)

    response = client_for(moderator).post(hide_url(report), {"hide-reason": REASON})

    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert messages_of(response) == ["The comment has been hidden and its author told why."]
    comment.refresh_from_db()
    assert (comment.moderation, comment.moderation_reason) == ("hidden", REASON)
    assert list(CommentReport.objects.order_by("pk").values_list("pk", "status", "handled_by")) == [
        (report.pk, "hidden", moderator.pk),
        (second.pk, "hidden", moderator.pk),
    ]
    assert CommentReport.objects.filter(handled_at=None).count() == 0
    assert log_rows(comment) == [("hide", "moderator@example.org", report.pk, REASON)]
    assert list(
        Notification.objects.filter(kind="comment_hidden").values_list(
            "recipient", "kind", "title", "body", "url", "read_at"
        )
    ) == [
        (
            author.pk,
            "comment_hidden",
            "Your comment on “Speelveld Quirijnstok” was hidden",
            f"A moderator hid your comment. Reason: {REASON}",
            "/voorstellen/speelveld/",
            None,
        )
    ]
    # Both reporters hear the outcome (tests/participation/test_moderation_notifications.py).
    assert sorted(
        Notification.objects.filter(kind="report_handled").values_list("recipient", flat=True)
    ) == sorted([report.reporter_id, council_member.pk])


def test_hidden_comment_shows_a_placeholder_on_the_proposal_page(moderator, report, comment):
    client_for(moderator).post(hide_url(report), {"hide-reason": REASON})

    response = Client().get("/voorstellen/speelveld/")

    assert response.status_code == 200
    assert "Die buurman is een sukkel." not in response.text
    assert re.findall(r'<p class="comment--placeholder">([^<]*)</p>', response.text) == [
        "This comment was hidden by a moderator."
    ]


def test_hide_without_reason_is_400_and_changes_nothing(moderator, report, comment):
    response = client_for(moderator).post(hide_url(report), {"hide-reason": ""})

    assert response.status_code == 400
    assert response.context["item"]["hide_form"].errors == {
        "reason": ["Give the reason for hiding this comment."]
    }
    comment.refresh_from_db()
    report.refresh_from_db()
    assert (comment.moderation, report.status) == ("visible", "open")
    assert ModerationLog.objects.count() == 0
    assert Notification.objects.count() == 0


def test_hide_with_too_long_reason_is_400(moderator, report, comment):
    response = client_for(moderator).post(hide_url(report), {"hide-reason": "x" * 301})

    assert response.status_code == 400
    assert response.context["item"]["hide_form"].errors == {
        "reason": ["Ensure this value has at most 300 characters (it has 301)."]
    }
    comment.refresh_from_db()
    assert comment.moderation == "visible"


def test_hide_htmx_returns_the_handled_report(moderator, report):
    response = client_for(moderator).post(
        hide_url(report), {"hide-reason": REASON}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article class="report" id="report-{report.pk}"')
    assert "<html" not in response.text
    assert "The comment has been hidden and its author told why." in response.text
    assert "<dd>Comment hidden</dd>" in response.text
    assert "Hide the comment" not in response.text


def test_hide_htmx_invalid_returns_the_report_with_errors(moderator, report):
    response = client_for(moderator).post(
        hide_url(report), {"hide-reason": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert response.text.lstrip().startswith(f'<article class="report" id="report-{report.pk}"')
    assert "Give the reason for hiding this comment." in response.text


def test_hide_handled_report_says_so(moderator, report, comment):
    report.dismiss(by=moderator)

    response = client_for(moderator).post(hide_url(report), {"hide-reason": REASON})

    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert messages_of(response) == ["This report has already been handled."]
    comment.refresh_from_db()
    assert comment.moderation == "visible"


def test_hide_comment_removed_by_author_is_refused(moderator, report, comment):
    Comment.objects.filter(pk=comment.pk).update(moderation=Comment.Moderation.REMOVED)

    response = client_for(moderator).post(
        hide_url(report), {"hide-reason": REASON}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 409
    assert "The author has removed this comment. Dismiss the report." in response.text
    comment.refresh_from_db()
    assert comment.moderation == "removed"


def test_dismiss_closes_the_report_and_logs(team_member, report, comment):
    response = client_for(team_member).post(
        dismiss_url(report), {"dismiss-reason": "Geen regel overtreden."}
    )

    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert messages_of(response) == ["The report has been dismissed."]
    report.refresh_from_db()
    comment.refresh_from_db()
    assert (report.status, report.handled_by, comment.moderation) == (
        "dismissed",
        team_member,
        "visible",
    )
    assert report.handled_at is not None
    assert log_rows(comment) == [
        ("dismiss", "regisseur@example.org", report.pk, "Geen regel overtreden.")
    ]
    # Only the reporter is told: the author never knew of the report.
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (report.reporter_id, "report_handled")
    ]


def test_dismiss_htmx_returns_the_handled_report(moderator, report):
    response = client_for(moderator).post(
        dismiss_url(report), {"dismiss-reason": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article class="report" id="report-{report.pk}"')
    assert "<dd>Dismissed</dd>" in response.text


def test_plain_post_returns_to_a_safe_next_page(moderator, report):
    client = client_for(moderator)

    local = client.post(dismiss_url(report), {"next": "/moderatie/?page=2"})
    report.status = CommentReport.Status.OPEN
    report.save(update_fields=["status"])
    foreign = client.post(dismiss_url(report), {"next": "https://evil.example/"})

    assert (local.url, foreign.url) == ("/moderatie/?page=2", QUEUE_URL)


def test_plain_post_with_a_bare_word_as_next_returns_to_the_queue(moderator, report):
    response = client_for(moderator).post(
        dismiss_url(report), {"dismiss-reason": "Niets aan de hand.", "next": "abc"}
    )

    report.refresh_from_db()
    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert report.status == CommentReport.Status.DISMISSED


def test_restore_shows_the_comment_again_and_logs(moderator, comment):
    comment.hide(by=moderator, reason=REASON)

    response = client_for(moderator).post(
        f"/reacties/{comment.pk}/terugzetten/", {"restore-reason": "Toch niet beledigend."}
    )

    assert (response.status_code, response.url) == (302, f"/reacties/{comment.pk}/moderatie/")
    assert messages_of(response) == ["The comment is shown again."]
    comment.refresh_from_db()
    assert (comment.moderation, comment.moderation_reason) == ("visible", "")
    assert log_rows(comment) == [
        ("hide", "moderator@example.org", None, REASON),
        ("restore", "moderator@example.org", None, "Toch niet beledigend."),
    ]


def test_restore_htmx_returns_the_moderation_fragment(moderator, comment):
    comment.hide(by=moderator, reason=REASON)

    response = client_for(moderator).post(
        f"/reacties/{comment.pk}/terugzetten/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="comment-moderation">')
    assert "The comment is shown again." in response.text
    assert "Show the comment again" not in response.text


def test_restore_visible_comment_says_so(moderator, comment):
    response = client_for(moderator).post(f"/reacties/{comment.pk}/terugzetten/")

    assert messages_of(response) == ["This comment is not hidden."]
    assert ModerationLog.objects.count() == 0


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member"])
def test_restore_is_forbidden_without_moderating_role(request, role, moderator, comment):
    comment.hide(by=moderator, reason=REASON)

    response = client_for(request.getfixturevalue(role)).post(
        f"/reacties/{comment.pk}/terugzetten/"
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.moderation == "hidden"


# ---- The log page -----------------------------------------------------------------------


def test_log_page_lists_every_act_newest_first(moderator, comment, report):
    ModerationLogFactory(comment=comment, moderator=moderator, reason="Eerste blik.")
    comment.hide(by=moderator, reason=REASON, report=report)

    response = client_for(moderator).get(f"/reacties/{comment.pk}/moderatie/")

    assert response.status_code == 200
    assert [(e.act, e.reason) for e in response.context["log"]] == [
        ("hide", REASON),
        ("dismiss", "Eerste blik."),
    ]
    assert "Show the comment again" in response.text


def test_log_page_is_forbidden_for_residents(resident, comment):
    response = client_for(resident).get(f"/reacties/{comment.pk}/moderatie/")

    assert response.status_code == 403


def test_log_page_of_council_only_comment_is_404_for_outsiders(
    team_member, other_team_member, gebiedsteam, wijk, author
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True)
    comment = CommentFactory(proposal=secret, author=author)

    response = client_for(other_team_member).get(f"/reacties/{comment.pk}/moderatie/")
    own_team = client_for(team_member).get(f"/reacties/{comment.pk}/moderatie/")

    assert (response.status_code, own_team.status_code) == (404, 200)


def test_report_detail_page_shows_the_forms(moderator, report):
    response = client_for(moderator).get(f"/moderatie/meldingen/{report.pk}/")

    assert response.status_code == 200
    assert response.context["item"]["report"] == report
    assert 'name="hide-reason"' in response.text
    assert 'name="dismiss-reason"' in response.text


# ---- The permission matrix --------------------------------------------------------------

ROLES = [
    "resident",
    "council_member",
    "team_member",
    "other_team_member",
    "moderator",
    "staff",
]
MAY_MODERATE = {"team_member", "moderator", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_matrix_report(request, role, comment):
    user = request.getfixturevalue(role)

    response = client_for(user).post(report_url(comment), {"reason": REASON})

    assert response.status_code == 302
    assert list(CommentReport.objects.values_list("reporter", flat=True)) == [user.pk]


@pytest.mark.parametrize("role", ROLES)
def test_matrix_hide(request, role, report, comment):
    user = request.getfixturevalue(role)

    response = client_for(user).post(hide_url(report), {"hide-reason": REASON})

    comment.refresh_from_db()
    if role in MAY_MODERATE:
        assert (response.status_code, comment.moderation) == (302, "hidden")
    else:
        assert (response.status_code, comment.moderation) == (403, "visible")


@pytest.mark.parametrize("role", ROLES)
def test_matrix_dismiss(request, role, report):
    user = request.getfixturevalue(role)

    response = client_for(user).post(dismiss_url(report))

    report.refresh_from_db()
    if role in MAY_MODERATE:
        assert (response.status_code, report.status) == (302, "dismissed")
    else:
        assert (response.status_code, report.status) == (403, "open")


@pytest.mark.parametrize("role", [*ROLES, "author"])
def test_rules_agree_with_the_queue(request, role, report, other_proposal):
    elsewhere = CommentReportFactory(comment=CommentFactory(proposal=other_proposal))
    user = request.getfixturevalue(role)

    in_queue = set(CommentReport.objects.visible_to(user).values_list("pk", flat=True))
    allowed = {
        r.pk
        for r in CommentReport.objects.select_related("comment__proposal")
        if user.has_perm("participation.moderate_comment", r.comment)
    }

    assert in_queue == allowed
    assert (report.pk in allowed, elsewhere.pk in allowed) == (
        role in MAY_MODERATE,
        role in {"other_team_member", "moderator", "staff"},
    )


def test_author_may_not_report_own_comment_but_others_may(author, council_member, comment):
    assert (
        author.has_perm("participation.report_comment", comment),
        council_member.has_perm("participation.report_comment", comment),
    ) == (False, True)


def test_notification_of_other_kinds_is_untouched_by_hiding(moderator, report, author):
    NotificationFactory(recipient=author, kind=Notification.Kind.COMMENT_REPLY)

    client_for(moderator).post(hide_url(report), {"hide-reason": REASON})

    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        "comment_hidden",
        "comment_reply",
        "report_handled",
    ]


def test_draft_proposal_comment_is_404_for_residents(resident, gebiedsteam, wijk, author):
    draft = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], status=Proposal.Status.DRAFT)
    comment = CommentFactory(proposal=draft, author=author)

    response = client_for(resident).get(report_url(comment))

    assert response.status_code == 404


def report_links(response) -> list[str]:
    return re.findall(r'<a [^>]*href="(/reacties/\d+/melden/)"', response.text)


def test_proposal_page_offers_report_link_to_signed_in_non_authors(resident, author, comment):
    as_resident = client_for(resident).get("/voorstellen/speelveld/")
    as_author = client_for(author).get("/voorstellen/speelveld/")
    anonymous = Client().get("/voorstellen/speelveld/")

    assert report_links(as_resident) == [f"/reacties/{comment.pk}/melden/"]
    assert (report_links(as_author), report_links(anonymous)) == ([], [])


def test_plain_hide_with_a_bare_word_as_next_returns_to_the_queue(moderator, report, comment):
    response = client_for(moderator).post(hide_url(report), {"hide-reason": REASON, "next": "abc"})

    comment.refresh_from_db()
    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert comment.moderation == "hidden"


def test_handled_report_with_a_bare_word_as_next_returns_to_the_queue(moderator, report, comment):
    report.dismiss(by=moderator)

    response = client_for(moderator).post(hide_url(report), {"hide-reason": REASON, "next": "abc"})

    comment.refresh_from_db()
    assert (response.status_code, response.url) == (302, QUEUE_URL)
    assert comment.moderation == "visible"
