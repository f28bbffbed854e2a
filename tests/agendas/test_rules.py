from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from agendas.models import Action, Plan, ProgressUpdate, Vision, Wijkagenda
from areas.models import CouncilMembership, Gebiedsteam
from meetings.models import Meeting
from participation.models import Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CouncilMembershipFactory,
    MeetingFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    UserFactory,
    VisionFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

ROLES = [
    "anonymous",
    "resident",
    "team_member",
    "other_team_member",
    "partner_staff",
    "other_partner_staff",
    "council_member",
    "council_chair",
    "council_secretary",
    "other_council_chair",
    "staff",
]
CONFTEST_ROLES = {"resident", "team_member", "other_team_member", "staff"}


@pytest.fixture
def world(gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam) -> SimpleNamespace:
    """One gebied with its agenda content, a second gebied, two organisations, two councils."""
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    other_wijk = WijkFactory(gebiedsteam=other_gebiedsteam)
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([wijk])
    other_wijkraad = WijkraadFactory()
    other_wijkraad.wijken.set([other_wijk])
    owner = PartnerOrganisationFactory()
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    plan = PlanFactory(wijkagenda=agenda)
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    meeting = MeetingFactory(gebiedsteam=gebiedsteam)
    meeting.wijken.set([wijk])
    return SimpleNamespace(
        gebiedsteam=gebiedsteam,
        other_gebiedsteam=other_gebiedsteam,
        wijk=wijk,
        other_wijk=other_wijk,
        wijkraad=wijkraad,
        other_wijkraad=other_wijkraad,
        owner=owner,
        other_organisation=PartnerOrganisationFactory(),
        agenda=agenda,
        draft_agenda=WijkagendaFactory(
            gebiedsteam=gebiedsteam, wijken=[wijk], status="draft", published_at=None
        ),
        vision=VisionFactory(gebiedsteam=gebiedsteam),
        plan=plan,
        action=ActionFactory(plan=plan, owner_organisation=owner),
        proposal=proposal,
        closed_proposal=ProposalFactory(
            gebiedsteam=gebiedsteam,
            wijken=[wijk],
            opens_at=timezone.now() - dt.timedelta(days=20),
            closes_at=timezone.now() - dt.timedelta(days=6),
            status=Proposal.Status.CONSIDERATION,
        ),
        advice=AdviceFactory(proposal=proposal, wijkraad=wijkraad),
        meeting=meeting,
    )


def user_for(role: str, world: SimpleNamespace, request: pytest.FixtureRequest) -> Any:
    """The user playing `role` towards the objects of `world`."""
    if role == "anonymous":
        return AnonymousUser()
    if role in CONFTEST_ROLES:
        return request.getfixturevalue(role)
    user = UserFactory()
    memberships = {
        "partner_staff": lambda: OrganisationMembershipFactory(user=user, organisation=world.owner),
        "other_partner_staff": lambda: OrganisationMembershipFactory(
            user=user, organisation=world.other_organisation
        ),
        "council_member": lambda: CouncilMembershipFactory(
            user=user, wijkraad=world.wijkraad, role=CouncilMembership.Role.MEMBER
        ),
        "council_chair": lambda: CouncilMembershipFactory(
            user=user, wijkraad=world.wijkraad, role=CouncilMembership.Role.CHAIR
        ),
        "council_secretary": lambda: CouncilMembershipFactory(
            user=user, wijkraad=world.wijkraad, role=CouncilMembership.Role.SECRETARY
        ),
        "other_council_chair": lambda: CouncilMembershipFactory(
            user=user, wijkraad=world.other_wijkraad, role=CouncilMembership.Role.CHAIR
        ),
    }
    memberships[role]()
    return user


EDITORS = {"team_member", "staff"}

# What a role may do, view by view, is the permission matrix's (docs/roles.md, checked by
# tests/wijkportaal/test_permission_matrix.py). What it cannot see stays here: the check
# on the gebied an agenda is created in, which the view makes only after the form is valid.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("agendas.add_wijkagenda", "gebiedsteam"): EDITORS,
    ("agendas.add_wijkagenda", "other_gebiedsteam"): {"other_team_member", "staff"},
}

# The permissions the portal checks on objects, asked here without one.
OBJECT_PERMISSIONS = [
    "agendas.add_progressupdate",
    "agendas.add_wijkagenda",
    "agendas.change_action",
    "agendas.change_plan",
    "agendas.change_vision",
    "agendas.change_wijkagenda",
    "agendas.view_wijkagenda",
    "meetings.change_meeting",
    "participation.add_comment",
    "participation.change_proposal",
    "participation.submit_advice",
]


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
def test_no_role_but_staff_holds_a_permission_without_an_object(
    role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    user = user_for(role, world, request)

    held = [permission for permission in OBJECT_PERMISSIONS if user.has_perm(permission)]

    # add_comment also needs an open proposal, so without one nobody holds it; the advice
    # is the wijkraad's own.
    not_without_object = {"participation.add_comment", "participation.submit_advice"}
    expected = (
        [p for p in OBJECT_PERMISSIONS if p not in not_without_object] if role == "staff" else []
    )
    assert held == expected


def visible_world(world: SimpleNamespace) -> dict[type, tuple[str, list[Any]]]:
    """Per model: its view permission and objects in every state, in both gebieden."""
    other = world.other_gebiedsteam
    agendas = [
        world.agenda,
        world.draft_agenda,
        WijkagendaFactory(gebiedsteam=world.gebiedsteam, status="archived"),
        WijkagendaFactory(gebiedsteam=other),
        WijkagendaFactory(gebiedsteam=other, status="draft", published_at=None),
    ]
    plans = [world.plan, *(PlanFactory(wijkagenda=agenda) for agenda in agendas[1:])]
    actions = [world.action, *(ActionFactory(plan=plan) for plan in plans[1:])]
    visions = [
        world.vision,
        VisionFactory(gebiedsteam=world.gebiedsteam, status="draft"),
        VisionFactory(gebiedsteam=other),
        VisionFactory(gebiedsteam=other, status="draft"),
    ]
    proposals = [world.proposal, world.closed_proposal]
    for team, wijk in ((world.gebiedsteam, world.wijk), (other, world.other_wijk)):
        for status in (Proposal.Status.DRAFT, Proposal.Status.OPEN, Proposal.Status.DECIDED):
            for council_only in (False, True):
                proposals.append(
                    ProposalFactory(
                        gebiedsteam=team,
                        wijken=[wijk],
                        status=status,
                        council_only=council_only,
                        input_feedback="Verwerkt." if status == Proposal.Status.DECIDED else "",
                    )
                )
    meetings = [
        world.meeting,
        MeetingFactory(gebiedsteam=world.gebiedsteam, public=False),
        MeetingFactory(gebiedsteam=other),
        MeetingFactory(gebiedsteam=other, public=False),
    ]
    return {
        Wijkagenda: ("agendas.view_wijkagenda", agendas),
        Vision: ("agendas.view_vision", visions),
        Plan: ("agendas.view_plan", plans),
        Action: ("agendas.view_action", actions),
        ProgressUpdate: (
            "agendas.view_progressupdate",
            [ProgressUpdateFactory(action=action) for action in actions],
        ),
        Proposal: ("participation.view_proposal", proposals),
        Meeting: ("meetings.view_meeting", meetings),
    }


@pytest.mark.parametrize(
    "model", [Wijkagenda, Vision, Plan, Action, ProgressUpdate, Proposal, Meeting]
)
def test_visible_to_agrees_with_view_permission_for_every_role(
    model: type, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    permission, objects = visible_world(world)[model]
    assert model.objects.count() == len(objects)

    for role in ROLES:
        user = user_for(role, world, request)

        visible = {obj.pk for obj in model.objects.visible_to(user)}
        permitted = {obj.pk for obj in objects if user.has_perm(permission, obj)}

        assert (role, visible) == (role, permitted)


def test_view_permission_differs_between_roles(
    world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    # Guards the agreement test against a world in which every role sees the same.
    __, proposals = visible_world(world)[Proposal]
    seen = {
        role: sum(
            user_for(role, world, request).has_perm("participation.view_proposal", p)
            for p in proposals
        )
        for role in ("anonymous", "council_member", "team_member", "staff")
    }

    assert seen == {"anonymous": 6, "council_member": 8, "team_member": 10, "staff": 14}


def checks_on(user_pk: int, action_pks: list[int], permission: str) -> tuple[int, list[bool]]:
    """Queries run, and answers, for checking `permission` on the actions as a fresh user."""
    user = User.objects.get(pk=user_pk)
    actions = list(
        Action.objects.select_related("plan__wijkagenda").filter(pk__in=action_pks).order_by("pk")
    )
    with CaptureQueriesContext(connection) as queries:
        answers = [user.has_perm(permission, action) for action in actions]
    return len(queries), answers


@pytest.mark.parametrize(
    ("role", "permission", "expected_queries", "expected"),
    [
        ("team_member", "agendas.change_action", 1, True),
        ("other_team_member", "agendas.change_action", 1, False),
        ("partner_staff", "agendas.add_progressupdate", 2, True),
        ("staff", "agendas.change_action", 0, True),
    ],
)
def test_checking_actions_runs_no_query_per_action(
    role: str,
    permission: str,
    expected_queries: int,
    expected: bool,
    world: SimpleNamespace,
    request: pytest.FixtureRequest,
) -> None:
    user = user_for(role, world, request)
    plan = world.plan
    action_pks = [world.action.pk] + [
        ActionFactory(plan=plan, owner_organisation=world.owner).pk for __ in range(9)
    ]

    assert checks_on(user.pk, action_pks[:1], permission) == (expected_queries, [expected])
    assert checks_on(user.pk, action_pks, permission) == (expected_queries, [expected] * 10)
