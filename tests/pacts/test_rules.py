from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from areas.models import Gebiedsteam
from pacts.models import OrganisationMembership, Pact
from tests.factories import (
    CouncilMembershipFactory,
    OrganisationMembershipFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
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


# Organisation staff: granted by the organisation's own staff administrator or the
# functional administrator.

STAFF_ROLES = [
    "anonymous",
    "resident",
    "team_member",
    "staff",
    "superuser",
    "partner_staff",
    "staff_administrator",
    "other_staff_administrator",
]
STAFF_MANAGERS = {"staff", "staff_administrator"}


@pytest.fixture
def staff_world(world: SimpleNamespace) -> SimpleNamespace:
    organisation = world.commitment.organisation
    other = PartnerOrganisationFactory(name="Andere organisatie")
    return SimpleNamespace(
        organisation=organisation,
        other=other,
        membership=OrganisationMembershipFactory(organisation=organisation),
        other_membership=OrganisationMembershipFactory(organisation=other),
    )


def staff_user_for(
    role: str, world: SimpleNamespace, staff_world: SimpleNamespace, request: pytest.FixtureRequest
) -> Any:
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "staff_administrator":
        user = UserFactory()
        OrganisationMembershipFactory(
            user=user, organisation=staff_world.organisation, is_staff_administrator=True
        )
        return user
    if role == "other_staff_administrator":
        user = UserFactory()
        OrganisationMembershipFactory(
            user=user, organisation=staff_world.other, is_staff_administrator=True
        )
        return user
    return user_for(role, world, request)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_manage_organisation_staff_for_role(
    role: str,
    world: SimpleNamespace,
    staff_world: SimpleNamespace,
    request: pytest.FixtureRequest,
) -> None:
    user = staff_user_for(role, world, staff_world, request)

    assert user.has_perm("pacts.manage_organisation_staff", staff_world.organisation) is (
        role in STAFF_MANAGERS
    )
    assert user.has_perm("pacts.manage_organisation_staff", staff_world.other) is (
        role in {"staff", "other_staff_administrator"}
    )
    # Without an organisation only the functional administrator may (as in the admin site).
    assert user.has_perm("pacts.manage_organisation_staff", None) is (role == "staff")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_organisation_membership_visible_to_agrees_with_view_permission(
    role: str,
    world: SimpleNamespace,
    staff_world: SimpleNamespace,
    request: pytest.FixtureRequest,
) -> None:
    user = staff_user_for(role, world, staff_world, request)
    memberships = list(OrganisationMembership.objects.all())
    assert len(memberships) >= 2

    visible = {m.pk for m in OrganisationMembership.objects.visible_to(user)}
    permitted = {m.pk for m in memberships if user.has_perm("pacts.view_organisationmembership", m)}

    assert visible == permitted
    expected = {
        "staff": {m.pk for m in memberships},
        "staff_administrator": {
            m.pk for m in memberships if m.organisation_id == staff_world.organisation.pk
        },
        "other_staff_administrator": {
            m.pk for m in memberships if m.organisation_id == staff_world.other.pk
        },
    }.get(role, set())
    assert visible == expected
