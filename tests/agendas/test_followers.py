"""Events reach the followers of a wijk, a wijkagenda or a proposal (agendas.followers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification
from agendas.followers import followers_of
from agendas.services.agendas import publish_wijkagenda
from participation.models import Proposal
from participation.services.proposals import decide_proposal, open_proposal
from tests.factories import (
    CommentFactory,
    CouncilMembershipFactory,
    FollowFactory,
    ProposalFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def updates() -> list[tuple[int, str, str]]:
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.UPDATE).values_list(
            "recipient_id", "title", "url"
        )
    )


def test_followers_of_several_subjects_of_several_models_in_one_query():
    wijk, other_wijk = WijkFactory(), WijkFactory()
    agenda = WijkagendaFactory()
    both, of_wijk, of_agenda, of_other = (UserFactory() for _ in range(4))
    FollowFactory(user=both, subject=wijk)
    FollowFactory(user=both, subject=agenda)
    FollowFactory(user=of_wijk, subject=wijk)
    FollowFactory(user=of_agenda, subject=agenda)
    FollowFactory(user=of_other, subject=other_wijk)
    # An agenda with the same id as the wijk must not match the wijk's followers.
    FollowFactory(user=UserFactory(), subject=WijkFactory(pk=agenda.pk + 1000))

    with CaptureQueriesContext(connection) as queries:
        ids = followers_of(wijk, agenda)

    assert ids == {both.pk, of_wijk.pk, of_agenda.pk}
    assert len(queries) == 1
    assert followers_of() == set()


def test_publishing_an_agenda_tells_followers_of_the_agenda_and_of_its_wijken(
    team_member, gebiedsteam
):
    wijk, other_wijk = WijkFactory(), WijkFactory()
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status="draft",
        published_at=None,
        title="Agenda Noord",
    )
    of_agenda, of_wijk, of_other_wijk = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(user=of_agenda, subject=agenda)
    FollowFactory(user=of_wijk, subject=wijk)
    FollowFactory(user=of_other_wijk, subject=other_wijk)
    FollowFactory(user=team_member, subject=agenda)  # the publisher is not told

    publish_wijkagenda(agenda=agenda, change_summary="Eerste versie", by=team_member)

    url = agenda.get_absolute_url()
    assert updates() == sorted(
        [
            (of_agenda.pk, "Published: Agenda Noord", url),
            (of_wijk.pk, "Published: Agenda Noord", url),
        ]
    )


def _council_member_of(wijk):
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([wijk])
    return CouncilMembershipFactory(user=UserFactory(), wijkraad=wijkraad).user


def test_opening_a_proposal_tells_followers_of_its_wijken_once(team_member, gebiedsteam):
    wijk, other_wijk = WijkFactory(), WijkFactory()
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], status=Proposal.Status.DRAFT, title="Speelveld"
    )
    follower, of_other_wijk = UserFactory(), UserFactory()
    council_member = _council_member_of(wijk)
    FollowFactory(user=follower, subject=wijk)
    FollowFactory(user=of_other_wijk, subject=other_wijk)
    FollowFactory(user=council_member, subject=wijk)  # told as council member, not twice

    open_proposal(proposal=proposal, by=team_member)

    url = proposal.get_absolute_url()
    assert updates() == [(follower.pk, "Open for comments: Speelveld", url)]
    assert list(
        Notification.objects.exclude(kind=Notification.Kind.UPDATE).values_list(
            "recipient_id", "kind"
        )
    ) == [(council_member.pk, "proposal_opened")]


def test_opening_a_council_only_proposal_tells_no_follower_outside_its_audience(
    team_member, gebiedsteam
):
    wijk = WijkFactory()
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status=Proposal.Status.DRAFT,
        council_only=True,
        title="Vertrouwelijk",
    )
    resident_follower, staff_follower = UserFactory(), UserFactory(is_functional_admin=True)
    FollowFactory(user=resident_follower, subject=wijk)
    FollowFactory(user=staff_follower, subject=wijk)

    open_proposal(proposal=proposal, by=team_member)

    assert updates() == [
        (staff_follower.pk, "Open for comments: Vertrouwelijk", proposal.get_absolute_url())
    ]


def test_deciding_a_proposal_tells_followers_of_the_proposal_who_did_not_take_part(
    team_member, gebiedsteam
):
    wijk = WijkFactory()
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status=Proposal.Status.CONSIDERATION,
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() - dt.timedelta(days=2),
        title="Speelveld",
    )
    follower, of_wijk, commenter = UserFactory(), UserFactory(), UserFactory()
    CommentFactory(proposal=proposal, author=commenter)
    FollowFactory(user=follower, subject=proposal)
    FollowFactory(user=commenter, subject=proposal)  # told of the decision as commenter
    FollowFactory(user=of_wijk, subject=wijk)  # follows the wijk, not the proposal

    decide_proposal(
        proposal=proposal,
        by=team_member,
        decision="We doen het.",
        input_feedback="Alle reacties meegenomen.",
        outcomes=[],
        actions=[],
    )

    url = proposal.get_absolute_url()
    assert updates() == [(follower.pk, "Decision on: Speelveld", url)]
    assert list(
        Notification.objects.filter(kind=Notification.Kind.DECISION_PUBLISHED).values_list(
            "recipient_id", flat=True
        )
    ) == [commenter.pk]
