from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from areas.models import Wijk
from participation.models import Advice, Comment, CommentReport, InputOutcome, Proposal
from tests.factories import (
    AdviceFactory,
    CommentFactory,
    CommentReportFactory,
    CouncilMembershipFactory,
    InputOutcomeFactory,
    ProposalFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def test_proposal_council_only_is_visible_to_its_council_alone(gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    council = WijkraadFactory()
    council.wijken.add(wijk)
    member = CouncilMembershipFactory(wijkraad=council).user
    outsider = CouncilMembershipFactory().user
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, council_only=True, wijken=[wijk])
    public = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])

    assert set(Proposal.objects.visible_to(member)) == {proposal, public}
    assert list(Proposal.objects.visible_to(outsider)) == [public]
    assert list(Proposal.objects.visible_to(AnonymousUser())) == [public]


@pytest.fixture
def advices(wijk: Wijk, other_wijk: Wijk) -> dict[str, Advice]:
    """Advice asked on a proposal in every state that limits who sees it, in two gebieden.

    Keyed "<gebied>-<status>-<audience>": own is the gebied of `wijk`, other that of
    `other_wijk`; the audience is public, or council for a council-only proposal.
    """
    found = {}
    for gebied, covered in (("own", wijk), ("other", other_wijk)):
        council = WijkraadFactory()
        council.wijken.set([covered])
        for status in (Proposal.Status.DRAFT, Proposal.Status.OPEN, Proposal.Status.DECIDED):
            for council_only in (False, True):
                proposal = ProposalFactory(
                    gebiedsteam=covered.gebiedsteam,
                    wijken=[covered],
                    status=status,
                    council_only=council_only,
                    input_feedback="Verwerkt." if status == Proposal.Status.DECIDED else "",
                )
                audience = "council" if council_only else "public"
                found[f"{gebied}-{status}-{audience}"] = AdviceFactory(
                    proposal=proposal, wijkraad=council
                )
    return found


def council_member_for(wijk: Wijk) -> Any:
    council = WijkraadFactory()
    council.wijken.set([wijk])
    return CouncilMembershipFactory(wijkraad=council).user


def keys(gebied: str, statuses: tuple[str, ...], audiences: tuple[str, ...]) -> set[str]:
    return {f"{gebied}-{status}-{audience}" for status in statuses for audience in audiences}


EVERY_STATE = (("draft", "open", "decided"), ("public", "council"))
OWN, OTHER = keys("own", *EVERY_STATE), keys("other", *EVERY_STATE)
PUBLIC = keys("own", ("open", "decided"), ("public",)) | keys(
    "other", ("open", "decided"), ("public",)
)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", PUBLIC),
        ("resident", PUBLIC),
        ("council_member", PUBLIC | keys("own", ("open", "decided"), ("council",))),
        ("other_council_member", PUBLIC | keys("other", ("open", "decided"), ("council",))),
        ("team_member", OWN | PUBLIC),
        ("other_team_member", OTHER | PUBLIC),
        ("staff", OWN | OTHER),
    ],
)
def test_advice_visible_to_agrees_with_view_proposal_for_every_role(
    role: str,
    expected: set[str],
    advices: dict[str, Advice],
    other_wijk: Wijk,
    request: pytest.FixtureRequest,
) -> None:
    if role == "anonymous":
        user = AnonymousUser()
    elif role == "other_council_member":
        user = council_member_for(other_wijk)
    else:
        user = request.getfixturevalue(role)
    label = {advice.pk: key for key, advice in advices.items()}

    visible = {label[advice.pk] for advice in Advice.objects.visible_to(user)}
    permitted = {
        key
        for key, advice in advices.items()
        if user.has_perm("participation.view_proposal", advice.proposal)
    }

    assert visible == permitted
    assert visible == expected


def test_advice_visible_to_runs_one_query(
    advices: dict[str, Advice], resident: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert len(list(Advice.objects.visible_to(resident))) == len(PUBLIC)


PROPOSAL_STATE = (
    "is_draft",
    "is_in_comment_phase",
    "is_ready_for_decision",
    "is_decided",
    "is_final",
)


@pytest.mark.parametrize(
    ("status", "period_over", "expected"),
    [
        ("draft", True, {"is_draft"}),
        ("open", False, {"is_in_comment_phase"}),
        ("open", True, {"is_in_comment_phase", "is_ready_for_decision"}),
        ("consideration", False, {"is_ready_for_decision"}),
        ("decided", True, {"is_decided", "is_final"}),
        ("withdrawn", False, {"is_final"}),
    ],
)
def test_proposal_state_properties(status: str, period_over: bool, expected: set[str]) -> None:
    now = timezone.now()
    closes_at = now - dt.timedelta(days=1) if period_over else now + dt.timedelta(days=1)
    proposal = Proposal(status=status, opens_at=now - dt.timedelta(days=14), closes_at=closes_at)

    assert {name for name in PROPOSAL_STATE if getattr(proposal, name)} == expected


@pytest.mark.parametrize(
    ("moderation", "expected"),
    [("visible", (True, False)), ("hidden", (False, True)), ("removed", (False, False))],
)
def test_comment_is_visible_or_hidden_by_its_moderation(
    moderation: str, expected: tuple[bool, bool]
) -> None:
    comment = Comment(moderation=moderation)

    assert (comment.is_visible, comment.is_hidden) == expected


def test_proposal_for_wijk_slug_and_covered_wijken(gebiedsteam):
    zand, reit, elsewhere = WijkFactory(slug="het-zand"), WijkFactory(), WijkFactory()
    both = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[zand, reit])
    ProposalFactory(gebiedsteam=gebiedsteam, wijken=[reit])

    assert list(Proposal.objects.for_wijk_slug("het-zand")) == [both]
    assert list(Proposal.objects.for_wijk_slug("onbekend")) == []
    assert set(Proposal.objects.covered_wijken()) == {zand, reit}
    assert elsewhere not in Proposal.objects.covered_wijken()


def test_comment_top_level_posted_before_counts_the_earlier_threads():
    proposal = ProposalFactory()
    first = CommentFactory(proposal=proposal)
    CommentFactory(proposal=proposal, parent=first)
    second = CommentFactory(proposal=proposal)
    Comment.objects.filter(pk=first.pk).update(created_at=second.created_at - dt.timedelta(1))

    earlier = Comment.objects.for_proposal(proposal).top_level().posted_before(second.created_at)

    assert list(earlier) == [first]


def test_input_outcomes_of_visible_comments_and_of_advice():
    proposal = ProposalFactory()
    shown = InputOutcomeFactory(comment=CommentFactory(proposal=proposal))
    InputOutcomeFactory(
        comment=CommentFactory(proposal=proposal, moderation=Comment.Moderation.REMOVED)
    )
    advice = InputOutcomeFactory(
        comment=None, proposal=proposal, advice=AdviceFactory(proposal=proposal)
    )
    InputOutcomeFactory()  # another proposal's

    outcomes = InputOutcome.objects.for_proposal(proposal)

    assert (list(outcomes.on_visible_comments()), list(outcomes.on_advice())) == (
        [shown],
        [advice],
    )


def test_comment_reports_for_a_comment_reported_by_a_user():
    report = CommentReportFactory()
    CommentReportFactory(comment=report.comment)
    CommentReportFactory(reporter=report.reporter)

    found = CommentReport.objects.for_comment(report.comment).reported_by(report.reporter)

    assert list(found) == [report]
