"""Who may do what with agendas, visions, plans, actions, proposals, advice and meetings.

Team members edit the content of their own gebied; partner staff report progress on the
actions their organisation owns; wijkraad members comment on open proposals for their
wijken, and the chair or secretary submits the council's advice. Residents and council
members edit none of the agenda content; admins may do everything.

The predicates read the user's memberships once per user object (see `areas.rules`) and
otherwise only the object's own attributes. Callers that check a list of objects load the
relations the predicates follow: `plan__wijkagenda` for actions, `wijkagenda` for plans and
agenda items, `proposal` for comments and advice, and the prefetched `wijken` of proposals
when council members are involved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from agendas.models import (
    PUBLIC_STATUSES,
    Action,
    Advice,
    AgendaItem,
    Comment,
    Meeting,
    Plan,
    ProgressUpdate,
    Proposal,
    Vision,
    Wijkagenda,
)
from areas import rules as area_rules
from areas.models import CouncilMembership
from areas.rules import council_roles, council_wijk_ids, is_admin, team_ids
from pacts.rules import organisation_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

ADVICE_SUBMITTERS = frozenset({CouncilMembership.Role.CHAIR, CouncilMembership.Role.SECRETARY})


def wijkagenda_of(obj: Any) -> Wijkagenda | None:
    """The agenda an agenda, item, plan, action or progress update belongs to."""
    if isinstance(obj, Wijkagenda):
        return obj
    if isinstance(obj, AgendaItem | Plan):
        return obj.wijkagenda
    if isinstance(obj, Action):
        return obj.plan.wijkagenda
    if isinstance(obj, ProgressUpdate):
        return obj.action.plan.wijkagenda
    return None


def proposal_of(obj: Any) -> Proposal | None:
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, Comment | Advice):
        return obj.proposal
    return None


def gebiedsteam_id_of(obj: Any) -> int | None:
    """The gebiedsteam whose members edit the object."""
    agenda = wijkagenda_of(obj)
    if agenda is not None:
        return agenda.gebiedsteam_id
    proposal = proposal_of(obj)
    if proposal is not None:
        return proposal.gebiedsteam_id
    # Gebiedsteam (for "add" checks), Vision, Meeting.
    return area_rules.gebiedsteam_id_of(obj)


@rules.predicate
def is_team_member_of_gebied(user: AnyUser, obj: Any) -> bool:
    """A member of the gebiedsteam the object (or its agenda or proposal) belongs to."""
    if obj is None:
        return False
    teams = team_ids(user)
    return bool(teams) and gebiedsteam_id_of(obj) in teams


@rules.predicate
def is_partner_staff_of_owner(user: AnyUser, action: Action | None) -> bool:
    """Works for the organisation that owns the action."""
    if action is None:
        return False
    return action.owner_organisation_id in organisation_ids(user)


@rules.predicate
def is_council_member_for(user: AnyUser, obj: Any) -> bool:
    """Sits on a wijkraad covering one of the proposal's wijken (needs `wijken` prefetched)."""
    proposal = proposal_of(obj)
    if proposal is None:
        return False
    covered = council_wijk_ids(user)
    # Users on no council never touch the proposal's wijken, so no query is run for them.
    return bool(covered) and any(wijk.pk in covered for wijk in proposal.wijken.all())


@rules.predicate
def is_officer_of_advised_wijkraad(user: AnyUser, advice: Advice | None) -> bool:
    """Chair or secretary of the wijkraad whose advice is asked."""
    if advice is None:
        return False
    return council_roles(user).get(advice.wijkraad_id) in ADVICE_SUBMITTERS


@rules.predicate
def is_public_agenda_content(user: AnyUser, obj: Any) -> bool:
    """A published or archived agenda or vision, or a plan or action under such an agenda."""
    if isinstance(obj, Vision):
        return obj.status in PUBLIC_STATUSES
    agenda = wijkagenda_of(obj)
    return agenda is not None and agenda.status in PUBLIC_STATUSES


@rules.predicate
def is_draft_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == Proposal.Status.DRAFT


@rules.predicate
def is_council_only_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.council_only


@rules.predicate
def is_open_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    """Open for comments now: status open and inside the comment period."""
    return proposal is not None and proposal.is_open


@rules.predicate
def is_moderator(user: AnyUser) -> bool:
    """A moderator: may moderate every comment."""
    return bool(user.is_authenticated and getattr(user, "is_moderator", False))


@rules.predicate
def is_comment_author(user: AnyUser, comment: Comment | None) -> bool:
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def is_visible_comment(user: AnyUser, comment: Comment | None) -> bool:
    """Neither hidden by a moderator nor removed by its author."""
    return comment is not None and comment.moderation == Comment.Moderation.VISIBLE


@rules.predicate
def is_in_edit_window(user: AnyUser, comment: Comment | None) -> bool:
    """Posted less than COMMENT_EDIT_WINDOW (15 minutes) ago."""
    return comment is not None and comment.is_in_edit_window


@rules.predicate
def is_public_meeting(user: AnyUser, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.public


can_edit = is_admin | is_team_member_of_gebied

# Viewing gives the same answer as the model's `visible_to(user)`; tests hold the two together.
rules.add_perm("agendas.view_wijkagenda", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_vision", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_plan", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_action", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_progressupdate", is_admin | is_public_agenda_content | can_edit)
rules.add_perm(
    "agendas.view_proposal",
    can_edit | (~is_draft_proposal & (~is_council_only_proposal | is_council_member_for)),
)
rules.add_perm("agendas.view_meeting", is_admin | is_public_meeting | can_edit)

# "Add" permissions are checked on the container: a gebiedsteam for an agenda, vision,
# proposal or meeting; an agenda for an item or plan; a plan for an action.
rules.add_perm("agendas.add_wijkagenda", can_edit)
rules.add_perm("agendas.change_wijkagenda", can_edit)
rules.add_perm("agendas.add_vision", can_edit)
rules.add_perm("agendas.change_vision", can_edit)
rules.add_perm("agendas.add_agendaitem", can_edit)
rules.add_perm("agendas.change_agendaitem", can_edit)
rules.add_perm("agendas.add_plan", can_edit)
rules.add_perm("agendas.change_plan", can_edit)
rules.add_perm("agendas.add_action", can_edit)
rules.add_perm("agendas.change_action", can_edit)
rules.add_perm("agendas.add_progressupdate", can_edit | is_partner_staff_of_owner)
rules.add_perm("agendas.add_proposal", can_edit)
rules.add_perm("agendas.change_proposal", can_edit)
rules.add_perm("agendas.decide_proposal", can_edit)
# The municipality's response to a wijkraad's advice, checked on the advice.
rules.add_perm("agendas.respond_to_advice", can_edit)
rules.add_perm("agendas.add_meeting", can_edit)
# Reports: a gebied's team (and admins) start and read its reports; city-wide ones (no
# gebiedsteam) are for admins only. Viewing matches Report.objects.visible_to(user).
rules.add_perm("agendas.add_report", can_edit)
rules.add_perm("agendas.add_city_report", is_admin)
rules.add_perm("agendas.view_report", is_admin | is_team_member_of_gebied)
rules.add_perm("agendas.change_meeting", can_edit)
# The comment period binds everyone, admins too: a closed period is closed.
rules.add_perm(
    "agendas.add_comment",
    is_open_proposal & (is_admin | is_council_member_for | is_team_member_of_gebied),
)
rules.add_perm("agendas.submit_advice", is_admin | is_officer_of_advised_wijkraad)
# Moderation: anyone signed in reports a comment they can read (not their own); moderators,
# admins and the gebied's team hide comments and handle reports. The queue is the same
# group's: `CommentReport.objects.visible_to(user)` says which reports each one sees.
# Whether the reporter can read the comment at all is `Comment.objects.visible_to(user)`,
# the views' first step: the rule reads only the comment itself, so that the thread can
# show a "Report" link on every comment without a query per comment.
rules.add_perm(
    "agendas.report_comment", rules.is_authenticated & is_visible_comment & ~is_comment_author
)
rules.add_perm("agendas.moderate_comment", is_admin | is_moderator | is_team_member_of_gebied)
rules.add_perm("agendas.view_moderation_queue", is_admin | is_moderator | area_rules.is_team_member)
# Authors change their own comment for 15 minutes and withdraw it at any time; nobody else
# does either (moderators hide, they do not rewrite).
rules.add_perm("agendas.change_comment", is_comment_author & is_visible_comment & is_in_edit_window)
rules.add_perm("agendas.delete_comment", is_comment_author & is_visible_comment)
