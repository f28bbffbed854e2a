"""Who may do what with gebiedsteams, wijken and werkplekken, and the shared predicates.

The other apps build on the helpers here: a user's team ids, council roles and council wijk
ids are read once per user object and memoised on it, so that checking a permission on a
list of objects runs no query per object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rules

from areas import models as area_models
from areas.models import (
    CORE_ROLES,
    INVITER_ROLES,
    TEAM_ROLES,
    CouncilMembership,
    Gebiedsteam,
    TeamMembership,
    Wijk,
    Wijkraad,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


def memoise_on_user(user: AnyUser, attribute: str, load: Any) -> Any:
    """The value cached on the user object under `attribute`, loaded on first use.

    The user object lives for one request (or one test), so the cache cannot go stale in a
    way that matters; a membership granted during a request counts from the next request.
    """
    cached = getattr(user, attribute, None)
    if cached is None:
        cached = load()
        setattr(user, attribute, cached)
    return cached


def team_ids(user: AnyUser | None) -> frozenset[int]:
    """Ids of the gebiedsteams the user belongs to; one query per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return memoise_on_user(
        user,
        "_wijkportaal_team_ids",
        lambda: frozenset(
            TeamMembership.objects.filter(user_id=user.pk).values_list("gebiedsteam_id", flat=True)
        ),
    )


def council_roles(user: AnyUser | None) -> dict[int, str]:
    """The user's role per wijkraad id; one query per user object."""
    if user is None or not user.is_authenticated:
        return {}
    return memoise_on_user(
        user,
        "_wijkportaal_council_roles",
        lambda: dict(
            CouncilMembership.objects.filter(user_id=user.pk).values_list("wijkraad_id", "role")
        ),
    )


def council_wijk_ids(user: AnyUser | None) -> frozenset[int]:
    """Ids of the wijken covered by a wijkraad the user sits on; one query per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return memoise_on_user(
        user,
        "_wijkportaal_council_wijk_ids",
        lambda: frozenset(
            Wijk.objects.filter(wijkraden__memberships__user_id=user.pk)
            .values_list("pk", flat=True)
            .distinct()
        ),
    )


def team_roles(user: AnyUser | None) -> dict[int, str]:
    """The user's role per gebiedsteam id; one query per user object."""
    if user is None or not user.is_authenticated:
        return {}
    return memoise_on_user(
        user,
        "_wijkportaal_team_roles",
        lambda: dict(
            TeamMembership.objects.filter(user_id=user.pk).values_list("gebiedsteam_id", "role")
        ),
    )


@rules.predicate
def is_admin(user: AnyUser) -> bool:
    """The municipality's functional administrator; not the technical superuser."""
    return area_models.is_admin(user)


@rules.predicate
def is_moderator(user: AnyUser) -> bool:
    """A moderator: handles reported comments everywhere."""
    return bool(user.is_authenticated and getattr(user, "is_moderator", False))


@rules.predicate
def is_team_member(user: AnyUser) -> bool:
    """A member of any gebiedsteam."""
    return bool(team_ids(user))


@rules.predicate
def is_core_team_member(user: AnyUser) -> bool:
    """A member of any gebiedsteam in one of the municipality's roles."""
    return any(role in CORE_ROLES for role in team_roles(user).values())


def gebiedsteam_id_of(obj: Any) -> int | None:
    """The gebiedsteam an areas object belongs to (a team is its own)."""
    if isinstance(obj, Gebiedsteam):
        return obj.pk
    return getattr(obj, "gebiedsteam_id", None)


def in_team_of(
    roles: frozenset[str], gebiedsteam_of: Callable[[Any], int | None], name: str
) -> rules.Predicate:
    """A predicate: the user holds one of `roles` in the gebiedsteam of the object.

    Each app passes its own `gebiedsteam_of`, which knows how its objects reach their
    gebied (an action through its plan and agenda, a comment through its proposal).
    """

    def check(user: AnyUser, obj: Any) -> bool:
        if obj is None:
            return False
        gebiedsteam_id = gebiedsteam_of(obj)
        return gebiedsteam_id is not None and team_roles(user).get(gebiedsteam_id) in roles

    return rules.Predicate(check, name=name)


is_team_member_of_gebied = in_team_of(TEAM_ROLES, gebiedsteam_id_of, "is_team_member_of_gebied")
is_core_team_of_gebied = in_team_of(CORE_ROLES, gebiedsteam_id_of, "is_core_team_of_gebied")
is_wijkregisseur_of_gebied = in_team_of(
    INVITER_ROLES, gebiedsteam_id_of, "is_wijkregisseur_of_gebied"
)


@rules.predicate
def is_chair_of_wijkraad(user: AnyUser, wijkraad: Wijkraad | None) -> bool:
    if wijkraad is None:
        return False
    return council_roles(user).get(wijkraad.pk) == CouncilMembership.Role.CHAIR


# The territory and its teams are public: the same as their `visible_to(user)`.
rules.add_perm("areas.view_gebiedsteam", rules.always_allow)
rules.add_perm("areas.view_wijk", rules.always_allow)
rules.add_perm("areas.change_gebiedsteam", is_admin | is_core_team_of_gebied)
rules.add_perm("areas.change_werkplek", is_admin | is_core_team_of_gebied)
rules.add_perm("areas.add_werkplek", is_admin | is_core_team_of_gebied)
rules.add_perm("areas.delete_werkplek", is_admin | is_core_team_of_gebied)
# The team page (members, their e-mail addresses, pending invitations) is for the core team.
rules.add_perm("areas.view_teammembership", is_admin | is_core_team_of_gebied)
rules.add_perm("areas.invite_to_gebiedsteam", is_admin | is_wijkregisseur_of_gebied)
rules.add_perm("areas.invite_to_wijkraad", is_admin | is_chair_of_wijkraad)
