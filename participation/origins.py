"""What an action carries out, from participation's side: the decided proposals and the
supported initiatives that name it (`Proposal.actions`, `Initiative.actions`). Registered
with agendas.origins in ParticipationConfig.ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from agendas.followers import followers_of
from agendas.origins import Origin, Source
from participation.models import Initiative, Proposal
from participation.services.proposals import input_givers

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from agendas.models import Action


def _decided(action: Action) -> list[Proposal]:
    return list(
        Proposal.objects.filter(actions=action, status=Proposal.Status.DECIDED).order_by(
            "-decided_at", "pk"
        )
    )


def proposal_origins(action: Action, user: User | AnonymousUser) -> list[Origin]:
    """The decided proposals the action carries out that `user` may read."""
    decided = (
        Proposal.objects.visible_to(user)
        .filter(actions=action, status=Proposal.Status.DECIDED)
        .order_by("-decided_at", "pk")
    )
    return [
        Origin(kind=_("Decision on a proposal"), title=p.title, url=p.get_absolute_url())
        for p in decided
    ]


def proposal_input_givers(action: Action) -> set[int]:
    """Who commented on or advised about the decided proposals the action carries out."""
    return set().union(*(input_givers(proposal) for proposal in _decided(action)))


PROPOSALS = Source(origins=proposal_origins, input_givers=proposal_input_givers)


def initiative_origins(action: Action, user: User | AnonymousUser) -> list[Origin]:
    """The supported initiatives the action carries out that `user` may read."""
    supported = (
        Initiative.objects.visible_to(user)
        .filter(actions=action, status=Initiative.Status.SUPPORTED)
        .order_by("-created_at", "pk")
    )
    return [
        Origin(kind=_("Residents' initiative"), title=i.title, url=i.get_absolute_url())
        for i in supported
    ]


def initiative_input_givers(action: Action) -> set[int]:
    """Who submitted or follows the supported initiatives the action carries out (an
    initiative is public once it is supported, so its followers may all read it)."""
    supported = list(Initiative.objects.filter(actions=action, status=Initiative.Status.SUPPORTED))
    if not supported:
        return set()
    submitters = {i.submitted_by_id for i in supported if i.submitted_by_id is not None}
    return submitters | followers_of(*supported)


INITIATIVES = Source(origins=initiative_origins, input_givers=initiative_input_givers)
