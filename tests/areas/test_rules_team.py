from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import Gebiedsteam
from areas.rules import team_roles
from tests.factories import (
    CouncilMembershipFactory,
    OrganisationMembershipFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkraadFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "team_member",  # the wijkregisseur of the gebiedsteam (conftest)
    "omgevingsmanager",
    "partner_representative",
    "other_team_member",
    "partner_staff",
    "council_member",
    "council_chair",
    "staff",
]
CONFTEST_ROLES = {"resident", "team_member", "other_team_member", "staff"}


@pytest.fixture
def world(gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam) -> SimpleNamespace:
    return SimpleNamespace(
        gebiedsteam=gebiedsteam,
        other_gebiedsteam=other_gebiedsteam,
        wijkraad=WijkraadFactory(),
        other_wijkraad=WijkraadFactory(),
    )


def user_for(role: str, world: SimpleNamespace, request: pytest.FixtureRequest) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role in CONFTEST_ROLES:
        return request.getfixturevalue(role)
    user = UserFactory()
    if role == "omgevingsmanager":
        TeamMembershipFactory(user=user, gebiedsteam=world.gebiedsteam, role="omgevingsmanager")
    elif role == "partner_representative":
        TeamMembershipFactory(user=user, gebiedsteam=world.gebiedsteam, role="partner")
    elif role == "partner_staff":
        OrganisationMembershipFactory(user=user)
    elif role == "council_member":
        CouncilMembershipFactory(user=user, wijkraad=world.wijkraad, role="member")
    elif role == "council_chair":
        CouncilMembershipFactory(user=user, wijkraad=world.wijkraad, role="chair")
    return user


# The team page, with colleagues' e-mail addresses, is the core team's: a partner
# representative sits in the team for their organisation and does not see it.
CORE_TEAM = {"team_member", "omgevingsmanager", "staff"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("areas.view_teammembership", "gebiedsteam"): CORE_TEAM,
    ("areas.view_teammembership", "other_gebiedsteam"): {"other_team_member", "staff"},
    ("areas.invite_to_gebiedsteam", "gebiedsteam"): {"team_member", "staff"},
    ("areas.invite_to_gebiedsteam", "other_gebiedsteam"): {"other_team_member", "staff"},
    ("areas.invite_to_wijkraad", "wijkraad"): {"council_chair", "staff"},
    ("areas.invite_to_wijkraad", "other_wijkraad"): {"staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("permission", "target"), list(ALLOWED))
def test_team_permission_for_role(
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
def test_team_permissions_without_an_object_only_for_staff(
    role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = user_for(role, world, request)
    permissions = sorted({permission for permission, __ in ALLOWED})

    held = [permission for permission in permissions if user.has_perm(permission)]

    assert held == (permissions if role == "staff" else [])


def test_team_roles_are_read_once_per_user_object(
    team_member: Any, gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    TeamMembershipFactory(user=team_member, gebiedsteam=other_gebiedsteam, role="ondersteuner")

    with CaptureQueriesContext(connection) as queries:
        first = team_roles(team_member)
        second = team_roles(team_member)
        team_member.has_perm("areas.invite_to_gebiedsteam", gebiedsteam)
        team_member.has_perm("areas.invite_to_gebiedsteam", other_gebiedsteam)

    assert (
        first == second == {gebiedsteam.pk: "wijkregisseur", other_gebiedsteam.pk: "ondersteuner"}
    )
    assert len(queries) == 1


def test_team_roles_of_an_anonymous_user_run_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert team_roles(AnonymousUser()) == {}

    assert len(queries) == 0
