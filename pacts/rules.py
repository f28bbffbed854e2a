"""Who may do what with pacts, and which organisations a user works for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from areas.rules import (
    is_admin,
    is_core_team_of_gebied,
    is_team_member_of_gebied,
    memoise_on_user,
)
from pacts.models import OrganisationMembership, Pact

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


def organisation_kinds(user: AnyUser | None) -> dict[int, str]:
    """The kind of each partner organisation the user works for, by id; one query per user
    object."""
    if user is None or not user.is_authenticated:
        return {}
    return memoise_on_user(
        user,
        "_wijkportaal_organisation_kinds",
        lambda: dict(
            OrganisationMembership.objects.filter(user_id=user.pk).values_list(
                "organisation_id", "organisation__kind"
            )
        ),
    )


def organisation_ids(user: AnyUser | None) -> frozenset[int]:
    """Ids of the partner organisations the user works for; one query per user object."""
    return frozenset(organisation_kinds(user))


@rules.predicate
def is_published_pact(user: AnyUser, pact: Pact | None) -> bool:
    return pact is not None and pact.status != Pact.Status.DRAFT


# Same answer as Pact.objects.visible_to.
rules.add_perm("pacts.view_pact", is_admin | is_published_pact | is_team_member_of_gebied)
rules.add_perm("pacts.change_pact", is_admin | is_core_team_of_gebied)
