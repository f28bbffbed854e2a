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
    AgendaItem,
    Plan,
    ProgressUpdate,
    Vision,
    Wijkagenda,
)
from areas import rules as area_rules
from areas.rules import is_admin, team_ids
from pacts.rules import organisation_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


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


def gebiedsteam_id_of(obj: Any) -> int | None:
    """The gebiedsteam whose members edit the object."""
    agenda = wijkagenda_of(obj)
    if agenda is not None:
        return agenda.gebiedsteam_id
    # Gebiedsteam (for "add" checks), Vision.
    return area_rules.gebiedsteam_id_of(obj)


@rules.predicate
def is_team_member_of_gebied(user: AnyUser, obj: Any) -> bool:
    """A member of the gebiedsteam the object (or its agenda) belongs to."""
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
def is_public_agenda_content(user: AnyUser, obj: Any) -> bool:
    """A published or archived agenda or vision, or a plan or action under such an agenda."""
    if isinstance(obj, Vision):
        return obj.status in PUBLIC_STATUSES
    agenda = wijkagenda_of(obj)
    return agenda is not None and agenda.status in PUBLIC_STATUSES


can_edit = is_admin | is_team_member_of_gebied

rules.add_perm("agendas.view_wijkagenda", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_vision", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_plan", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_action", is_admin | is_public_agenda_content | can_edit)
rules.add_perm("agendas.view_progressupdate", is_admin | is_public_agenda_content | can_edit)

# "Add" permissions are checked on the container: a gebiedsteam for an agenda or vision; an
# agenda for an item or plan; a plan for an action.
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
