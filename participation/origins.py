"""What an action carries out, from participation's side: the decided proposals that name it
(`Proposal.actions`). Registered with agendas.origins in ParticipationConfig.ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from agendas.origins import Origin, Source
from participation.models import Proposal
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
