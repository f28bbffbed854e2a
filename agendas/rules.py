"""Who may do what with agendas, visions, plans, actions, proposals, advice and meetings.

The gebied's team reads its drafts; its core team (wijkregisseur, omgevingsmanager,
ondersteuner) edits them and its leads (wijkregisseur, omgevingsmanager) publish them.
Organisation staff report progress on the actions their organisation owns (municipal staff
only in the gebieden whose team they are in). The functional administrator may do all of it.
The table of roles is docs/roles.md.

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
from areas.models import CORE_ROLES, LEAD_ROLES, TEAM_ROLES
from areas.rules import is_admin, team_ids
from pacts.models import PartnerOrganisation
from pacts.rules import organisation_kinds

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


is_team_member_of_gebied = area_rules.in_team_of(
    TEAM_ROLES, gebiedsteam_id_of, "is_team_member_of_agenda_gebied"
)
is_core_team_of_gebied = area_rules.in_team_of(
    CORE_ROLES, gebiedsteam_id_of, "is_core_team_of_agenda_gebied"
)
is_lead_of_gebied = area_rules.in_team_of(LEAD_ROLES, gebiedsteam_id_of, "is_lead_of_agenda_gebied")


@rules.predicate
def is_partner_staff_of_owner(user: AnyUser, action: Action | None) -> bool:
    """Works for the organisation that owns the action. The municipality owns actions in
    every gebied; its staff report only on those of the gebieden whose team they are in."""
    if action is None:
        return False
    kind = organisation_kinds(user).get(action.owner_organisation_id)
    if kind is None:
        return False
    if kind == PartnerOrganisation.Kind.MUNICIPALITY:
        return gebiedsteam_id_of(action) in team_ids(user)
    return True


@rules.predicate
def is_public_agenda_content(user: AnyUser, obj: Any) -> bool:
    """A published or archived agenda or vision, or a plan or action under such an agenda."""
    if isinstance(obj, Vision):
        return obj.status in PUBLIC_STATUSES
    agenda = wijkagenda_of(obj)
    return agenda is not None and agenda.status in PUBLIC_STATUSES


# The team reads its drafts; the core team writes them; the leads publish.
can_read = is_admin | is_public_agenda_content | is_team_member_of_gebied
can_edit = is_admin | is_core_team_of_gebied
can_publish = is_admin | is_lead_of_gebied

rules.add_perm("agendas.view_wijkagenda", can_read)
rules.add_perm("agendas.view_vision", can_read)
rules.add_perm("agendas.view_plan", can_read)
rules.add_perm("agendas.view_action", can_read)
rules.add_perm("agendas.view_progressupdate", can_read)

# "Add" permissions are checked on the container: a gebiedsteam for an agenda or vision; an
# agenda for an item or plan; a plan for an action.
rules.add_perm("agendas.add_wijkagenda", can_edit)
rules.add_perm("agendas.change_wijkagenda", can_edit)
rules.add_perm("agendas.publish_wijkagenda", can_publish)
rules.add_perm("agendas.publish_vision", can_publish)
rules.add_perm("agendas.add_vision", can_edit)
rules.add_perm("agendas.change_vision", can_edit)
rules.add_perm("agendas.add_agendaitem", can_edit)
rules.add_perm("agendas.change_agendaitem", can_edit)
rules.add_perm("agendas.add_plan", can_edit)
rules.add_perm("agendas.change_plan", can_edit)
rules.add_perm("agendas.add_action", can_edit)
rules.add_perm("agendas.change_action", can_edit)
rules.add_perm("agendas.add_progressupdate", can_edit | is_partner_staff_of_owner)
