"""Who can react to a proposal, said plainly: the sentence for its audience, and for the
person reading it what they can do (react, sign in, create an account, say where they live)
or why they cannot. The proposal page shows it above the comment form; a refused comment
gets the same reason (403).

Reads only what the rules read: the proposal with its prefetched wijken, and the wijk the
reader lives in (once per request, participation.rules.residence_wijk_id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from participation.models import Proposal
from participation.rules import is_confirmed_account, residence_wijk_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Reaction:
    """What the proposal page says about reacting, for one reader.

    `audience` is who may react; `reason` why this reader cannot (empty when they can, or
    when the comments are not open); `sign_in_url` and `sign_up_url` are set for a visitor
    who could react once signed in; `account_url` for a signed-in person who could react
    once they say where they live.
    """

    audience: str
    reason: str = ""
    sign_in_url: str = ""
    sign_up_url: str = ""
    account_url: str = ""


def wijk_names(proposal: Proposal) -> str:
    """The proposal's wijken by name, "A, B and C" (prefetched wijken: no query)."""
    names = sorted(wijk.name for wijk in proposal.wijken.all())
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def audience_sentence(proposal: Proposal) -> str:
    """Who can react to the proposal, in one sentence."""
    wijken = wijk_names(proposal)
    if proposal.audience == Proposal.Audience.EVERYONE and not proposal.council_only:
        return _(
            "Everyone with an account on the portal can react to this proposal, as can the "
            "wijkraden of %(wijken)s and the gebiedsteam."
        ) % {"wijken": wijken}
    if proposal.audience == Proposal.Audience.RESIDENTS and not proposal.council_only:
        return _(
            "Residents of %(wijken)s can react to this proposal, as can the wijkraden of these "
            "wijken and the gebiedsteam."
        ) % {"wijken": wijken}
    return _(
        "Only members of the wijkraden of %(wijken)s and the gebiedsteam can react to this "
        "proposal."
    ) % {"wijken": wijken}


def closed_reason(proposal: Proposal) -> str:
    return _(
        "This proposal is not open for comments. "
        "Comments are possible from %(opens)s to %(closes)s."
    ) % {
        "opens": formats.date_format(timezone.localtime(proposal.opens_at), "j F Y"),
        "closes": formats.date_format(timezone.localtime(proposal.closes_at), "j F Y"),
    }


def refusal_reason(user: AnyUser, proposal: Proposal) -> str:
    """Why this signed-in user may not comment on this (visible) proposal."""
    if not proposal.is_open:
        return closed_reason(proposal)
    open_to_residents = not proposal.council_only and proposal.audience in (
        Proposal.Audience.RESIDENTS,
        Proposal.Audience.EVERYONE,
    )
    if open_to_residents and not is_confirmed_account(user):
        return _(
            "Confirm your e-mail address first: follow the link in the e-mail we sent you "
            "when you created your account."
        )
    if proposal.audience == Proposal.Audience.RESIDENTS and open_to_residents:
        home = residence_wijk_id(user)
        if home is None:
            return _(
                "Only residents of %(wijken)s can react to this proposal. Say on Mijn account "
                "in which wijk you live."
            ) % {"wijken": wijk_names(proposal)}
        return _(
            "Only residents of %(wijken)s can react to this proposal. According to Mijn "
            "account you live in another wijk."
        ) % {"wijken": wijk_names(proposal)}
    return _(
        "Only members of a wijkraad for the wijken of this proposal, and its gebiedsteam, "
        "can comment on it."
    )


def reaction_for(user: AnyUser, proposal: Proposal, *, can_comment: bool) -> Reaction:
    """What the page says about reacting to the proposal, for this reader."""
    audience = audience_sentence(proposal)
    if can_comment or not proposal.is_open:
        return Reaction(audience=audience)
    open_to_residents = not proposal.council_only and proposal.audience in (
        Proposal.Audience.RESIDENTS,
        Proposal.Audience.EVERYONE,
    )
    if not user.is_authenticated:
        back = urlencode({"next": f"{proposal.get_absolute_url()}#reacties"})
        sign_in = f"{reverse('accounts:login')}?{back}"
        if not open_to_residents:
            return Reaction(
                audience=audience,
                reason=_("Are you a member of one of these wijkraden? Sign in to react."),
                sign_in_url=sign_in,
            )
        return Reaction(
            audience=audience,
            reason=_("Sign in or create an account to react.")
            if proposal.audience == Proposal.Audience.EVERYONE
            else _("Do you live there? Sign in or create an account to react."),
            sign_in_url=sign_in,
            sign_up_url=f"{reverse(settings.WIJKPORTAAL_SIGN_UP_URL)}?{back}",
        )
    reason = refusal_reason(user, proposal)
    account_url = ""
    if (
        open_to_residents
        and proposal.audience == Proposal.Audience.RESIDENTS
        and is_confirmed_account(user)
    ):
        account_url = reverse(settings.WIJKPORTAAL_MY_ACCOUNT_URL)
    return Reaction(audience=audience, reason=reason, account_url=account_url)
