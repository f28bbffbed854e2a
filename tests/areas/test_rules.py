from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from areas.models import CouncilMembership, Gebiedsteam, Wijk
from areas.rules import council_roles, council_wijk_ids, team_ids
from tests.factories import (
    CouncilMembershipFactory,
    OrganisationMembershipFactory,
    TeamMembershipFactory,
    UserFactory,
    WerkplekFactory,
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
    return SimpleNamespace(
        gebiedsteam=gebiedsteam,
        other_gebiedsteam=other_gebiedsteam,
        wijkraad=wijkraad,
        werkplek=WerkplekFactory(gebiedsteam=gebiedsteam, wijk=wijk),
        other_werkplek=WerkplekFactory(gebiedsteam=other_gebiedsteam),
    )


def user_for(role: str, world: SimpleNamespace, request: pytest.FixtureRequest) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role in CONFTEST_ROLES:
        return request.getfixturevalue(role)
    user = UserFactory()
    if role == "partner_staff":
        OrganisationMembershipFactory(user=user)
    else:
        CouncilMembershipFactory(user=user, wijkraad=world.wijkraad)
    return user


EDITORS = {"team_member", "staff"}
OTHER_EDITORS = {"other_team_member", "staff"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("areas.change_gebiedsteam", "gebiedsteam"): EDITORS,
    ("areas.change_gebiedsteam", "other_gebiedsteam"): OTHER_EDITORS,
    ("areas.change_werkplek", "werkplek"): EDITORS,
    ("areas.change_werkplek", "other_werkplek"): OTHER_EDITORS,
    ("areas.add_werkplek", "gebiedsteam"): EDITORS,
    ("areas.delete_werkplek", "werkplek"): EDITORS,
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
def test_only_staff_holds_a_permission_without_an_object(
    role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = user_for(role, world, request)
    permissions = sorted({permission for permission, __ in ALLOWED})

    held = [permission for permission in permissions if user.has_perm(permission)]

    assert held == (permissions if role == "staff" else [])


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_agrees_with_view_permission(
    role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = user_for(role, world, request)

    for model, permission in ((Gebiedsteam, "areas.view_gebiedsteam"), (Wijk, "areas.view_wijk")):
        objects = list(model.objects.all())
        visible = {obj.pk for obj in model.objects.visible_to(user)}
        permitted = {obj.pk for obj in objects if user.has_perm(permission, obj)}

        assert (model, visible) == (model, permitted)
        assert len(visible) == (2 if model is Gebiedsteam else 1)


def test_superuser_follows_the_rules_in_the_portal_but_keeps_the_admin_site(
    world: SimpleNamespace,
) -> None:
    user = UserFactory(is_superuser=True, is_staff=True)

    # The admin site asks without an object; the portal asks about the werkplek itself.
    assert (
        user.has_perm("areas.change_werkplek"),
        user.has_perm("areas.change_werkplek", world.werkplek),
    ) == (True, False)


def test_memberships_are_read_once_per_user_object(
    team_member: User, gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    TeamMembershipFactory(user=team_member, gebiedsteam=other_gebiedsteam)
    wijkraad = WijkraadFactory()
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    wijkraad.wijken.set([wijk, WijkFactory(gebiedsteam=gebiedsteam)])
    CouncilMembershipFactory(user=team_member, wijkraad=wijkraad, role=CouncilMembership.Role.CHAIR)
    user = User.objects.get(pk=team_member.pk)

    with CaptureQueriesContext(connection) as first:
        answers = (team_ids(user), council_roles(user), council_wijk_ids(user))
    with CaptureQueriesContext(connection) as again:
        answers_again = (team_ids(user), council_roles(user), council_wijk_ids(user))

    assert answers == (
        frozenset({gebiedsteam.pk, other_gebiedsteam.pk}),
        {wijkraad.pk: "chair"},
        frozenset(wijkraad.wijken.values_list("pk", flat=True)),
    )
    assert len(answers[2]) == 2
    assert (len(first), len(again), answers_again) == (3, 0, answers)


def test_anonymous_user_has_no_memberships_and_runs_no_query() -> None:
    # No database access is allowed in this test: a query would raise.
    user = AnonymousUser()

    answers = (team_ids(user), council_roles(user), council_wijk_ids(user))

    assert answers == (frozenset(), {}, frozenset())
