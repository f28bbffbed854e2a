"""Who may see, comment on, advise on, decide and moderate proposals.

The gebied's core team drafts proposals and its leads open and decide them and answer the
advice; wijkraad members comment on open proposals for their wijken, and so do the residents
of its wijken or everyone with an account when the team chose that audience for the proposal
(`Proposal.audience`); the chair or secretary submits the council's advice; moderators and
the gebied's core team handle reported comments. The table of roles is docs/roles.md.
Callers that check a list of objects load `proposal` for comments and advice, and the
prefetched `wijken` of proposals when council members or residents are involved; the wijk a
person lives in is read once per user object (request), not per proposal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from areas import rules as area_rules
from areas.models import CORE_ROLES, LEAD_ROLES, TEAM_ROLES, CouncilMembership, Residence
from areas.rules import council_roles, council_wijk_ids, is_admin, is_moderator, memoise_on_user
from participation.models import Advice, Comment, Initiative, Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


ADVICE_SUBMITTERS = frozenset({CouncilMembership.Role.CHAIR, CouncilMembership.Role.SECRETARY})


def proposal_of(obj: Any) -> Proposal | None:
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, Comment | Advice):
        return obj.proposal
    return None


@rules.predicate
def is_council_member_for(user: AnyUser, obj: Any) -> bool:
    """Sits on a wijkraad covering one of the proposal's wijken (needs `wijken` prefetched)."""
    proposal = proposal_of(obj)
    if proposal is None:
        return False
    covered = council_wijk_ids(user)
    # Users on no council never touch the proposal's wijken, so no query is run for them.
    return bool(covered) and any(wijk.pk in covered for wijk in proposal.wijken.all())


def residence_wijk_id(user: AnyUser | None) -> int | None:
    """The id of the wijk the user says they live in (`areas.Residence`), or None; one query
    per user object, however many proposals are checked."""
    if user is None or not user.is_authenticated:
        return None
    # Memoised as a 1-tuple: None (no wijk given) is an answer too.
    loaded: tuple[int | None] = memoise_on_user(
        user,
        "_wijkportaal_residence_wijk_id",
        lambda: (
            Residence.objects.filter(user_id=user.pk).values_list("wijk_id", flat=True).first(),
        ),
    )
    return loaded[0]


@rules.predicate
def is_confirmed_account(user: AnyUser) -> bool:
    """Signed in with an active account whose e-mail address is confirmed: a resident by the
    link sent at sign-up, everyone else by the invitation they accepted."""
    return bool(
        user.is_authenticated
        and user.is_active
        and not (getattr(user, "is_resident", False) and user.email_confirmed_at is None)
    )


@rules.predicate
def is_in_audience(user: AnyUser, obj: Any) -> bool:
    """In the audience the team chose for the proposal beyond its team and councils: anyone
    with a confirmed account (everyone), or one living in one of its wijken (residents).
    Needs `wijken` prefetched for the residents' audience."""
    proposal = proposal_of(obj)
    if proposal is None or proposal.council_only or not is_confirmed_account(user):
        return False
    if proposal.audience == Proposal.Audience.EVERYONE:
        return True
    if proposal.audience == Proposal.Audience.RESIDENTS:
        home = residence_wijk_id(user)
        return home is not None and any(wijk.pk == home for wijk in proposal.wijken.all())
    return False


@rules.predicate
def is_officer_of_advised_wijkraad(user: AnyUser, advice: Advice | None) -> bool:
    """Chair or secretary of the wijkraad whose advice is asked."""
    if advice is None:
        return False
    return council_roles(user).get(advice.wijkraad_id) in ADVICE_SUBMITTERS


@rules.predicate
def is_draft_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_draft


@rules.predicate
def is_council_only_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.council_only


@rules.predicate
def is_open_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    """Open for comments now: status open and inside the comment period."""
    return proposal is not None and proposal.is_open


@rules.predicate
def is_comment_author(user: AnyUser, comment: Comment | None) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_visible_comment(user: AnyUser, comment: Comment | None) -> bool:
    """Neither hidden by a moderator nor removed by its author."""
    return comment is not None and comment.is_visible


@rules.predicate
def is_in_edit_window(user: AnyUser, comment: Comment | None) -> bool:
    """Posted less than COMMENT_EDIT_WINDOW (15 minutes) ago."""
    return comment is not None and comment.is_in_edit_window


def gebiedsteam_id_of(obj: Any) -> int | None:
    """The gebiedsteam whose members handle the proposal, comment or advice."""
    proposal = proposal_of(obj)
    if proposal is not None:
        return proposal.gebiedsteam_id
    # A Gebiedsteam, for "add" checks.
    return area_rules.gebiedsteam_id_of(obj)


is_team_member_of_gebied = area_rules.in_team_of(
    TEAM_ROLES, gebiedsteam_id_of, "is_team_member_of_proposal_gebied"
)
is_core_team_of_gebied = area_rules.in_team_of(
    CORE_ROLES, gebiedsteam_id_of, "is_core_team_of_proposal_gebied"
)
is_lead_of_gebied = area_rules.in_team_of(
    LEAD_ROLES, gebiedsteam_id_of, "is_lead_of_proposal_gebied"
)

# The team reads its drafts; the core team drafts; the leads open, decide and answer advice
# for the municipality.
can_edit = is_admin | is_core_team_of_gebied
can_decide = is_admin | is_lead_of_gebied

rules.add_perm(
    "participation.view_proposal",
    is_admin
    | is_team_member_of_gebied
    | (~is_draft_proposal & (~is_council_only_proposal | is_council_member_for)),
)
# "Add" is checked on the gebiedsteam.
rules.add_perm("participation.add_proposal", can_edit)
rules.add_perm("participation.change_proposal", can_edit)
rules.add_perm("participation.open_proposal", can_decide)
rules.add_perm("participation.decide_proposal", can_decide)
# The municipality's response to a wijkraad's advice, checked on the advice.
rules.add_perm("participation.respond_to_advice", can_decide)
# The comment period binds everyone, admins too: a closed period is closed. Councils and the
# team keep their say under every audience; residents (or everyone) only where the team
# chose so.
rules.add_perm(
    "participation.add_comment",
    is_open_proposal
    & (is_admin | is_council_member_for | is_team_member_of_gebied | is_in_audience),
)
# The advice is the wijkraad's voice: nobody else gives it, not even the administrator.
rules.add_perm("participation.submit_advice", is_officer_of_advised_wijkraad)
# Moderation: anyone signed in reports a comment they can read (not their own); moderators,
# admins and the gebied's team hide comments and handle reports. The queue is the same
# group's: `CommentReport.objects.visible_to(user)` says which reports each one sees.
# Whether the reporter can read the comment at all is `Comment.objects.visible_to(user)`,
# the views' first step: the rule reads only the comment itself, so that the thread can
# show a "Report" link on every comment without a query per comment.
rules.add_perm(
    "participation.report_comment",
    rules.is_authenticated & is_visible_comment & ~is_comment_author,
)
rules.add_perm("participation.moderate_comment", is_admin | is_moderator | is_core_team_of_gebied)
rules.add_perm(
    "participation.view_moderation_queue", is_admin | is_moderator | area_rules.is_core_team_member
)
# Authors change their own comment for 15 minutes and withdraw it at any time; nobody else
# does either (moderators hide, they do not rewrite).
rules.add_perm(
    "participation.change_comment", is_comment_author & is_visible_comment & is_in_edit_window
)
rules.add_perm("participation.delete_comment", is_comment_author & is_visible_comment)


# ---- Residents' initiatives ---------------------------------------------------------------
# Anyone signed in submits one; its gebied's core team answers it. Unpublished initiatives are
# read by their submitter and that core team only (Initiative.objects.visible_to says the same
# for lists).


@rules.predicate
def is_published_initiative(user: AnyUser, initiative: Initiative | None) -> bool:
    return initiative is not None and initiative.is_published


@rules.predicate
def is_initiative_submitter(user: AnyUser, initiative: Initiative | None) -> bool:
    return (
        initiative is not None and user.is_authenticated and initiative.submitted_by_id == user.pk
    )


is_core_team_of_initiative_gebied = area_rules.in_team_of(
    CORE_ROLES, area_rules.gebiedsteam_id_of, "is_core_team_of_initiative_gebied"
)

rules.add_perm(
    "participation.view_initiative",
    is_admin
    | is_published_initiative
    | is_initiative_submitter
    | is_core_team_of_initiative_gebied,
)
rules.add_perm("participation.add_initiative", rules.is_authenticated)
# Checked on the initiative: whether the answer form is offered at all (its state aside).
rules.add_perm("participation.answer_initiative", is_admin | is_core_team_of_initiative_gebied)
