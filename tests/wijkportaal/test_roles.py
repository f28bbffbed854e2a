"""The roles mean what they say (docs/roles.md), tried over HTTP as each person would.

Each test here failed before the role model: a partner representative in a team could do all
the team's work, municipal staff reported on the municipality's actions city-wide, a
technical superuser bypassed the portal's rules, and a moderator read the titles of
council-only proposals in the moderation queue.
"""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agendas.models import ProgressUpdate
from participation.models import Comment, Proposal
from tests.factories import (
    AdviceFactory,
    CommentFactory,
    CommentReportFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    VisionFactory,
    WijkraadFactory,
    action_in,
    draft_agenda,
)
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_representative(gebiedsteam: Any) -> Any:
    """A representative of a partner organisation, sitting in the gebiedsteam of Noord."""
    user = UserFactory(email="vertegenwoordiger@example.org")
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam, role="partner")
    return user


@pytest.fixture
def team_work(gebiedsteam: Any, wijk: Any, council_member: Any) -> dict[str, tuple[str, str]]:
    """The municipality's work in the gebied: (method, address) of each step."""
    agenda = draft_agenda(gebiedsteam)
    agenda.wijken.set([wijk])
    VisionFactory(gebiedsteam=gebiedsteam, status="draft")
    draft = ProposalFactory(gebiedsteam=gebiedsteam, status=Proposal.Status.DRAFT, wijken=[wijk])
    closed = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    wijkraad = council_member.council_memberships.get().wijkraad
    advice = AdviceFactory(proposal=closed, wijkraad=wijkraad, text="Wij adviseren positief.")
    report = CommentReportFactory(comment=CommentFactory(proposal=closed, author=council_member))
    return {
        "publish the wijkagenda": (
            "post",
            reverse("agendas:wijkagenda-publish", kwargs={"slug": agenda.slug}),
        ),
        "publish the vision": (
            "post",
            reverse("agendas:vision-publish", kwargs={"slug": gebiedsteam.slug}),
        ),
        "open a proposal": (
            "post",
            reverse("participation:proposal-open", kwargs={"slug": draft.slug}),
        ),
        "decide a proposal": (
            "get",
            reverse("participation:proposal-decide", kwargs={"slug": closed.slug}),
        ),
        "answer the advice": (
            "get",
            reverse("participation:advice-respond", kwargs={"pk": advice.pk}),
        ),
        "hide a resident's comment": (
            "post",
            reverse("participation:report-hide", kwargs={"pk": report.pk}),
        ),
        "read the team page": (
            "get",
            reverse("areas:team-detail", kwargs={"slug": gebiedsteam.slug}),
        ),
    }


# How each step refuses: the team page is not public, so it is not found (404).
STEPS = {
    "publish the wijkagenda": HTTPStatus.FORBIDDEN,
    "publish the vision": HTTPStatus.FORBIDDEN,
    "open a proposal": HTTPStatus.FORBIDDEN,
    "decide a proposal": HTTPStatus.FORBIDDEN,
    "answer the advice": HTTPStatus.FORBIDDEN,
    "hide a resident's comment": HTTPStatus.FORBIDDEN,
    "read the team page": HTTPStatus.NOT_FOUND,
}


@pytest.mark.parametrize(("step", "refusal"), STEPS.items())
def test_a_partner_representative_does_not_do_the_municipalitys_work(
    step: str,
    refusal: HTTPStatus,
    partner_representative: Any,
    team_work: dict[str, tuple[str, str]],
) -> None:
    method, url = team_work[step]

    response = getattr(signed_in(partner_representative), method)(url)

    assert response.status_code == refusal


@pytest.mark.parametrize("step", STEPS)
def test_the_wijkregisseur_of_the_same_team_may(
    step: str, team_member: Any, team_work: dict[str, tuple[str, str]]
) -> None:
    method, url = team_work[step]

    response = getattr(signed_in(team_member), method)(url)

    # A form answered (200), a refused empty form (400) or a redirect after the change.
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.FOUND}


def test_a_partner_representative_still_reads_the_teams_drafts(
    partner_representative: Any, gebiedsteam: Any
) -> None:
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, status=Proposal.Status.DRAFT)

    response = signed_in(partner_representative).get(proposal.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


@pytest.fixture
def municipality() -> Any:
    return PartnerOrganisationFactory(name="Gemeente Tilburg", kind="municipality")


@pytest.fixture
def municipal_staff_of_reeshof(municipality: Any, other_gebiedsteam: Any) -> Any:
    """Staff of the municipality, in the gebiedsteam of Reeshof."""
    user = UserFactory(email="ambtenaar@example.org")
    OrganisationMembershipFactory(user=user, organisation=municipality)
    TeamMembershipFactory(user=user, gebiedsteam=other_gebiedsteam, role="ondersteuner")
    return user


def test_municipal_staff_report_no_progress_on_the_municipalitys_actions_elsewhere(
    municipal_staff_of_reeshof: Any, municipality: Any, gebiedsteam: Any
) -> None:
    noord = action_in(gebiedsteam, owner_organisation=municipality)
    url = reverse("agendas:progress-create", kwargs={"pk": noord.pk})
    client = signed_in(municipal_staff_of_reeshof)

    shown = client.get(url)
    posted = client.post(
        url, {"text": "Klaar.", "status": "done", "progress": "100", "revision": noord.revision}
    )

    noord.refresh_from_db()
    assert (shown.status_code, posted.status_code) == (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN)
    assert (noord.status, noord.progress, ProgressUpdate.objects.count()) == ("in_progress", 40, 0)


def test_municipal_staff_report_progress_in_their_own_gebied(
    municipal_staff_of_reeshof: Any, municipality: Any, other_gebiedsteam: Any
) -> None:
    reeshof = action_in(other_gebiedsteam, owner_organisation=municipality)

    response = signed_in(municipal_staff_of_reeshof).get(
        reverse("agendas:progress-create", kwargs={"pk": reeshof.pk})
    )

    assert response.status_code == HTTPStatus.OK


def test_partner_staff_report_progress_on_their_organisations_actions_in_every_gebied(
    owner_staff: Any, owner: Any, gebiedsteam: Any, other_gebiedsteam: Any
) -> None:
    actions = [
        action_in(team, owner_organisation=owner) for team in (gebiedsteam, other_gebiedsteam)
    ]
    client = signed_in(owner_staff)

    statuses = [
        client.get(reverse("agendas:progress-create", kwargs={"pk": action.pk})).status_code
        for action in actions
    ]

    assert statuses == [HTTPStatus.OK, HTTPStatus.OK]


@pytest.fixture
def superuser() -> Any:
    """The technical superuser: every permission of the admin site, no membership."""
    return UserFactory(email="techniek@example.org", is_staff=True, is_superuser=True)


def test_a_superuser_does_not_rewrite_a_council_members_comment(
    superuser: Any, council_member: Any, wijk: Any, gebiedsteam: Any
) -> None:
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    comment = CommentFactory(proposal=proposal, author=council_member, body="Mijn woorden.")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - dt.timedelta(days=3))

    response = signed_in(superuser).post(
        reverse("participation:comment-edit", kwargs={"pk": comment.pk}),
        {"body": "Andere woorden."},
    )

    comment.refresh_from_db()
    assert (response.status_code, comment.body) == (HTTPStatus.FORBIDDEN, "Mijn woorden.")


def test_a_superuser_does_not_comment_on_a_decided_proposal(
    superuser: Any, wijk: Any, gebiedsteam: Any
) -> None:
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status=Proposal.Status.DECIDED,
        input_feedback="We hebben het speelveld opnieuw ingericht.",
    )

    response = signed_in(superuser).post(
        reverse("participation:comment-thread", kwargs={"slug": proposal.slug}),
        {"body": "Toch nog iets."},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.filter(proposal=proposal).exists()


def test_a_superuser_reads_no_drafts_in_the_portal(superuser: Any, gebiedsteam: Any) -> None:
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, status=Proposal.Status.DRAFT)

    response = signed_in(superuser).get(proposal.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_superuser_keeps_the_admin_site(superuser: Any) -> None:
    response = signed_in(superuser).get(reverse("admin:participation_proposal_changelist"))

    assert response.status_code == HTTPStatus.OK


def test_a_moderator_does_not_see_council_only_proposals_in_the_queue(
    gebiedsteam: Any, wijk: Any, council_member: Any, resident: Any
) -> None:
    moderator = UserFactory(email="moderator@example.org", is_moderator=True)
    hidden_from_moderator = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True, title="Vertrouwelijk plan"
    )
    public = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Openbaar plan")
    for proposal in (hidden_from_moderator, public):
        CommentReportFactory(
            comment=CommentFactory(proposal=proposal, author=council_member), reporter=resident
        )

    response = signed_in(moderator).get(reverse("participation:moderation-queue"))

    content = response.content.decode()
    assert ("Openbaar plan" in content, "Vertrouwelijk plan" in content) == (True, False)


def test_the_functional_administrator_is_not_the_wijkraads_voice(
    staff: Any, wijk: Any, gebiedsteam: Any
) -> None:
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([wijk])
    advice = AdviceFactory(
        proposal=ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk]), wijkraad=wijkraad
    )

    response = signed_in(staff).post(
        reverse("participation:advice-submit", kwargs={"pk": advice.pk}),
        {"text": "Namens de raad."},
    )

    advice.refresh_from_db()
    assert (response.status_code, advice.text) == (HTTPStatus.FORBIDDEN, "")
