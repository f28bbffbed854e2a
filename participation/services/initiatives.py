"""Workflows for residents' initiatives: submitting one, and the team's steps in answering it;
with the follows and notifications these cause.

The change of state is `Initiative.move_to`, which refuses a step the current status does not
allow (TransitionRefused); the service locks the row first, so that two team members pressing
the button at once cannot both pass the check. Everyone told is told through
`accounts.notifications.notify` with the initiative as its subject, so that nobody is told
(or e-mailed) of an initiative they may not see; the recipients of an unpublished one are
narrowed to those who may read it before that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.follows import follow
from accounts.models import Notification, User
from accounts.notifications import notify
from agendas.followers import followers_of
from agendas.models import Action, AgendaItem
from areas.models import CORE_ROLES, TeamMembership, Wijk
from pacts.models import PartnerOrganisation
from participation.models import Initiative, InitiativeStep

# The fields of an initiative the submitter fills in.
SUBMITTED_FIELDS = (
    "title",
    "body",
    "group_name",
    "longitude",
    "latitude",
    "area",
    "help_space",
    "help_money",
    "help_contacts",
    "help_permits",
    "help_other",
    "help_other_text",
)


def core_team(initiative: Initiative) -> QuerySet[TeamMembership]:
    """The memberships of the core team that answers the initiative."""
    return TeamMembership.objects.filter(
        gebiedsteam_id=initiative.gebiedsteam_id, role__in=CORE_ROLES, user__is_active=True
    )


def _readers(initiative: Initiative) -> QuerySet[User, Any] | None:
    """Who may read the initiative, as a query of user ids; None once it is public (as in
    InitiativeQuerySet.visible_to)."""
    if initiative.is_published:
        return None
    return User.objects.filter(
        Q(is_functional_admin=True)
        | Q(pk=initiative.submitted_by_id)
        | Q(pk__in=core_team(initiative).values("user_id"))
    ).values("pk")


@transaction.atomic
def submit_initiative(*, wijk: Wijk, by: User, values: dict[str, Any]) -> Initiative:
    """Record a new initiative for `wijk` (answered by the wijk's gebiedsteam), its first
    step, a follow of the submitter, and tell the core team that it waits for them."""
    fields = {name: values[name] for name in SUBMITTED_FIELDS if name in values}
    if not fields.get("help_other"):
        fields["help_other_text"] = ""
    initiative = Initiative.objects.create(
        wijk=wijk, gebiedsteam_id=wijk.gebiedsteam_id, submitted_by=by, **fields
    )
    InitiativeStep.objects.create(initiative=initiative, status=initiative.status, by=by)
    follow(user=by, subject=initiative)
    notify(
        recipients=set(core_team(initiative).values_list("user_id", flat=True)),
        kind=Notification.Kind.UPDATE,
        title=_("New initiative for %(wijk)s: %(title)s")
        % {"wijk": wijk.name, "title": initiative.title},
        url=initiative.get_absolute_url(),
        exclude=by,
        subject=initiative,
    )
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    """The initiative re-read under a row lock, its state copied onto the caller's object."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    initiative.status = locked.status
    initiative.published_at = locked.published_at
    initiative.reason = locked.reason
    return initiative


STEP_TITLES = {
    Initiative.Status.CONVERSATION: gettext_lazy("The team is in conversation about: %(title)s"),
    Initiative.Status.SUPPORTED: gettext_lazy("Initiative supported: %(title)s"),
    Initiative.Status.NOT_SUPPORTED: gettext_lazy("Initiative not supported: %(title)s"),
}


@transaction.atomic
def answer_initiative(
    *,
    initiative: Initiative,
    by: User,
    status: str,
    note: str = "",
    reason: str = "",
    agenda_items: Iterable[AgendaItem] = (),
    actions: Iterable[Action] = (),
    partner: PartnerOrganisation | None = None,
) -> Initiative:
    """Take the team's next step, record it in the history, and tell the followers.

    A supported initiative is linked to the agenda items and actions that take it on and to
    the partner that helps (links given with another step are kept as well).
    """
    _locked(initiative).move_to(status, reason=reason)
    agenda_items, actions = list(agenda_items), list(actions)
    if agenda_items:
        initiative.agenda_items.set(agenda_items)
    if actions:
        initiative.actions.set(actions)
    if partner is not None and initiative.partner_id != partner.pk:
        initiative.partner = partner
        initiative.save(update_fields=["partner", "updated_at"])
    InitiativeStep.objects.create(
        initiative=initiative,
        status=status,
        note=reason.strip() if status == Initiative.Status.NOT_SUPPORTED else note.strip(),
        by=by,
    )
    notify(
        recipients=followers_of(initiative, among=_readers(initiative)),
        kind=Notification.Kind.UPDATE,
        title=str(STEP_TITLES[Initiative.Status(status)]) % {"title": initiative.title},
        url=initiative.get_absolute_url(),
        exclude=by,
        subject=initiative,
    )
    return initiative
