"""Who may do what with pacts and organisation staff, and which organisations a user works
for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from areas.rules import (
    is_admin,
    is_core_team_of_gebied,
    is_team_member_of_gebied,
    memoise_on_user,
)
from pacts.models import OrganisationMembership, Pact, PartnerOrganisation

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


def administered_organisation_ids(user: AnyUser | None) -> frozenset[int]:
    """Ids of the organisations whose staff the user administers; one query per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return memoise_on_user(
        user,
        "_wijkportaal_administered_organisation_ids",
        lambda: frozenset(
            OrganisationMembership.objects.filter(
                user_id=user.pk, is_staff_administrator=True
            ).values_list("organisation_id", flat=True)
        ),
    )


def organisation_id_of(obj: Any) -> int | None:
    """The organisation a pacts object belongs to (an organisation is its own)."""
    if isinstance(obj, PartnerOrganisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


@rules.predicate
def is_staff_administrator_of(user: AnyUser, obj: Any) -> bool:
    """A staff administrator of the organisation (of a membership: of its organisation)."""
    organisation_id = organisation_id_of(obj) if obj is not None else None
    return organisation_id is not None and organisation_id in administered_organisation_ids(user)


@rules.predicate
def is_published_pact(user: AnyUser, pact: Pact | None) -> bool:
    return pact is not None and pact.status != Pact.Status.DRAFT


# Same answer as Pact.objects.visible_to.
rules.add_perm("pacts.view_pact", is_admin | is_published_pact | is_team_member_of_gebied)
rules.add_perm("pacts.change_pact", is_admin | is_core_team_of_gebied)
# Organisation staff is granted and revoked by the organisation's own staff administrators
# and by the functional administrator; nobody else (a team's wijkregisseur no longer does).
rules.add_perm("pacts.manage_organisation_staff", is_admin | is_staff_administrator_of)
# The staff list with e-mail addresses; same answer as OrganisationMembership.objects.visible_to.
rules.add_perm("pacts.view_organisationmembership", is_admin | is_staff_administrator_of)
