from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participation.models import Proposal
from tests.factories import (
    CouncilMembershipFactory,
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
