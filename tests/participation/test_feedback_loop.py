from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from areas.models import CouncilMembership
from participation.models import Advice, Comment, InputOutcome, Proposal
from tests.factories import CouncilMembershipFactory, UserFactory, WijkFactory, WijkraadFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_time(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_proposal_comment_advice_response_and_decision_close_the_loop(gebiedsteam, team_member):
    wijk = WijkFactory(name="Quirijnstok", slug="quirijnstok", gebiedsteam=gebiedsteam)
    council = WijkraadFactory(name="Wijkraad Quirijnstok")
    council.wijken.set([wijk])
    chair = UserFactory(email="voorzitter@example.org", full_name="Voorzitter Vera")
    CouncilMembershipFactory(user=chair, wijkraad=council, role=CouncilMembership.Role.CHAIR)
    member = UserFactory(email="raadslid@example.org", full_name="Raadslid Ria")
    CouncilMembershipFactory(user=member, wijkraad=council, role=CouncilMembership.Role.MEMBER)
    team, now = signed_in(team_member), timezone.now()

    # 1. The team drafts the proposal, asks the wijkraad for advice, and opens it.
    response = team.post(
        "/voorstellen/nieuw/",
        {
            "title": "Speelveld Quirijnstok",
            "body": "We leggen een nieuw speelveld aan.",
            "wijken": [wijk.pk],
            "opens_at": field_time(now - dt.timedelta(hours=1)),
            "closes_at": field_time(now + dt.timedelta(days=14)),
            "advice_from": [council.pk],
            "advice_deadline": field_time(now + dt.timedelta(days=21)),
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    response = team.post(f"/voorstellen/{proposal.slug}/openen/")
    assert response.status_code == 302
    assert kinds_of(member) == ["proposal_opened"]
    assert kinds_of(chair) == ["advice_requested", "proposal_opened"]

    # 2. A council member comments (through the comment view).
    response = signed_in(member).post(
        f"/voorstellen/{proposal.slug}/reacties/", {"body": "Denk aan de oversteek bij school."}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (member, "Denk aan de oversteek bij school.")

    # 3. The chair submits the council's advice (through the advice view).
    advice = Advice.objects.get()
    response = signed_in(chair).post(
        f"/adviezen/{advice.pk}/indienen/",
        {"verdict": "conditional", "text": "Positief, mits er een zebrapad komt."},
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert (advice.verdict, advice.submitted_by) == ("conditional", chair)

    # 4. The team answers the advice.
    response = team.post(
        f"/adviezen/{advice.pk}/antwoorden/",
        {"revision": 0, "response": "Het zebrapad komt er in 2026."},
    )
    assert response.status_code == 302
    assert kinds_of(chair) == ["advice_answered", "advice_requested", "proposal_opened"]

    # 5. The team closes the period and decides, with what it did with each input.
    response = team.post(f"/voorstellen/{proposal.slug}/in-behandeling/", {"early": "on"})
    assert response.status_code == 302
    response = team.post(
        f"/voorstellen/{proposal.slug}/besluiten/",
        {
            "decision": "Het speelveld wordt in 2026 aangelegd.",
            "input_feedback": "Alle reacties zijn gewogen; de oversteek wordt veiliger.",
            "outcome-TOTAL_FORMS": 2,
            "outcome-INITIAL_FORMS": 0,
            "outcome-0-input_key": f"comment-{comment.pk}",
            "outcome-0-outcome": "adopted",
            "outcome-0-reason": "Er komt een verkeersdrempel bij de school.",
            "outcome-1-input_key": f"advice-{advice.pk}",
            "outcome-1-outcome": "partly",
            "outcome-1-reason": "Het zebrapad komt een jaar later.",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECIDED
    assert InputOutcome.objects.count() == 2

    # 6. The commenter and the chair are told; the one deciding is not.
    assert kinds_of(member) == ["decision_published", "proposal_opened"]
    assert kinds_of(chair) == [
        "advice_answered",
        "advice_requested",
        "decision_published",
        "proposal_opened",
    ]
    assert "decision_published" not in kinds_of(team_member)
    # The commenter is sent to their comment's page, which says what became of it.
    assert set(
        Notification.objects.filter(kind="decision_published").values_list("recipient_id", "url")
    ) == {
        (member.pk, f"/reacties/{comment.pk}/antwoorden/"),
        (chair.pk, f"/voorstellen/{proposal.slug}/"),
    }

    # 7. The public page shows the decision and what was done with each input.
    page = Client().get(f"/voorstellen/{proposal.slug}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Het speelveld wordt in 2026 aangelegd." in body
    assert "Alle reacties zijn gewogen; de oversteek wordt veiliger." in body
    assert [(outcome, count) for outcome, _, count in page.context["outcome_counts"]] == [
        ("adopted", 1)
    ]
    # Each outcome is shown with its comment in the thread.
    assert [
        (shown, [(o.outcome, o.reason) for o in shown.shown_outcomes])
        for shown in page.context["page_obj"]
    ] == [(comment, [("adopted", "Er komt een verkeersdrempel bij de school.")])]
    assert f'id="outcome-comment-{comment.pk}"' in body
    assert "Er komt een verkeersdrempel bij de school." in body
    assert "Het zebrapad komt een jaar later." in body
    assert "Het zebrapad komt er in 2026." in body
