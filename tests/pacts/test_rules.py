from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from areas.models import Gebiedsteam
from pacts.models import Pact
from tests.factories import (
    CouncilMembershipFactory,
    OrganisationMembershipFactory,
    PactCommitmentFactory,
    PactFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)

ROLES = [
    "anonymous",
    "resident",
    "team_member",
    "other_team_member",
    "partner_staff",
    "council_member",
    "staff",
]
CONFTEST_ROLES = {"resident", "team_member", "other_team_member", "staff"}


@pytest.fixture
def world(gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam) -> SimpleNamespace:
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([wijk])
    pact = PactFactory(gebiedsteam=gebiedsteam)
    pact.wijken.set([wijk])
    commitment = PactCommitmentFactory(pact=pact)
    return SimpleNamespace(
        wijkraad=wijkraad,
        commitment=commitment,
        pact=pact,
        draft_pact=PactFactory(gebiedsteam=gebiedsteam, status=Pact.Status.DRAFT),
        other_pact=PactFactory(gebiedsteam=other_gebiedsteam),
        other_draft_pact=PactFactory(gebiedsteam=other_gebiedsteam, status=Pact.Status.DRAFT),
        ended_pact=PactFactory(gebiedsteam=gebiedsteam, status=Pact.Status.ENDED),
    )


def user_for(role: str, world: SimpleNamespace, request: pytest.FixtureRequest) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role in CONFTEST_ROLES:
        return request.getfixturevalue(role)
    user = UserFactory()
    if role == "partner_staff":
        # Staff of an organisation that signed the pact: signing gives no right to edit it.
        OrganisationMembershipFactory(user=user, organisation=world.commitment.organisation)
    else:
        CouncilMembershipFactory(user=user, wijkraad=world.wijkraad)
    return user


EVERYONE = set(ROLES)
EDITORS = {"team_member", "staff"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("pacts.change_pact", "pact"): EDITORS,
    ("pacts.change_pact", "draft_pact"): EDITORS,
    ("pacts.change_pact", "other_pact"): {"other_team_member", "staff"},
    ("pacts.view_pact", "pact"): EVERYONE,
    ("pacts.view_pact", "ended_pact"): EVERYONE,
    ("pacts.view_pact", "draft_pact"): EDITORS,
    ("pacts.view_pact", "other_draft_pact"): {"other_team_member", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("permission", "target"), list(ALLOWED))
def test_permission_for_role(
    permission: str,
    target: str,
    role: str,
    world: SimpleNamespace,
    request: pytest.FixtureRequest,
) -> None:
    user = user_for(role, world, request)

    assert user.has_perm(permission, getattr(world, target)) is (
        role in ALLOWED[permission, target]
    )


@pytest.mark.parametrize("role", ROLES)
def test_pact_visible_to_agrees_with_view_permission(
    role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = user_for(role, world, request)
    pacts = list(Pact.objects.all())
    assert len(pacts) == 5

    visible = {pact.pk for pact in Pact.objects.visible_to(user)}
    permitted = {pact.pk for pact in pacts if user.has_perm("pacts.view_pact", pact)}

    assert visible == permitted
    assert len(visible) == {"team_member": 4, "other_team_member": 4, "staff": 5}.get(role, 3)
