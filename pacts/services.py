"""Workflows of the pacts app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from pacts.models import OrganisationMembership, PartnerOrganisation

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def invitable_organisations() -> QuerySet[PartnerOrganisation]:
    """The organisations partner staff can be invited to a gebiedsteam for, by name."""
    return PartnerOrganisation.objects.order_by("name")


def join_organisation(*, user: User, purpose: Mapping[str, Any]) -> None:
    """Carry out the organisation part of an accepted team invitation for partner staff.

    Runs for every team invitation; only those that name an organisation make the person
    staff of it. Registered for the team invitations of `areas` (see PactsConfig.ready).
    """
    organisation_id = purpose.get("organisation")
    if organisation_id is None:
        return
    organisation = PartnerOrganisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        logger.warning("Invitation for organisation %s, which is gone.", organisation_id)
        return
    OrganisationMembership.objects.get_or_create(user=user, organisation=organisation)
