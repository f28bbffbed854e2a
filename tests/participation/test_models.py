from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from participation.models import Comment, CommentReport, InputOutcome, Proposal
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
