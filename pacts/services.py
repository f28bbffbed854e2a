"""Workflows of the pacts app: granting and revoking an organisation's staff.

An organisation's staff (OrganisationMembership) report progress on the actions their
organisation owns. It is granted in the portal by the organisation's own staff
administrators, or by the functional administrator: they invite a person by e-mail (an
invitation of kind "organisation", carried out by `join_organisation`), and revoke a
membership on the organisation's staff page. A team invitation grants no staff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts import services as account_services
from areas.models import is_admin
from pacts.models import OrganisationMembership, PartnerOrganisation

if TYPE_CHECKING:
    from accounts.models import Invitation, User

logger = logging.getLogger(__name__)

ORGANISATION_INVITATION = "organisation"


class LastStaffAdministrator(Exception):
    """Revoking this membership would leave the organisation without a staff administrator."""


def invite_to_organisation(
    *,
    organisation: PartnerOrganisation,
    email: str,
    job_title: str,
    administrator: bool,
    invited_by: User,
    base_url: str = "",
) -> Invitation:
    """Invite a person to an organisation's staff (as staff administrator, if asked).

    The caller has checked `pacts.manage_organisation_staff` on the organisation; accepting
    runs `join_organisation`.
    """
    purpose = {
        "kind": ORGANISATION_INVITATION,
        "organisation": organisation.pk,
        "job_title": job_title,
        "administrator": administrator,
    }
    return account_services.invite(
        email=email, invited_by=invited_by, purpose=purpose, base_url=base_url
    )


def _invited_to(purpose: Mapping[str, Any]) -> PartnerOrganisation | None:
    """The organisation an invitation's purpose names, or None if it is gone (or missing)."""
    pk = purpose.get("organisation")
    return PartnerOrganisation.objects.filter(pk=pk).first() if pk is not None else None


def join_organisation(*, user: User, purpose: Mapping[str, Any]) -> None:
    """Carry out an accepted organisation invitation: the membership, as invited.

    Someone already on the staff keeps what they have: a job title is only filled in when
    the invitation gives one, and an invitation never takes the staff administration away
    (that would be a way to leave an organisation without an administrator).
    """
    organisation = _invited_to(purpose)
    if organisation is None:
        logger.warning(
            "Invitation for organisation %s, which is gone.", purpose.get("organisation")
        )
        return
    job_title = str(purpose.get("job_title") or "")
    administrator = purpose.get("administrator") is True
    membership, created = OrganisationMembership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"job_title": job_title, "is_staff_administrator": administrator},
    )
    if created:
        return
    update_fields = []
    if job_title and membership.job_title != job_title:
        membership.job_title = job_title
        update_fields.append("job_title")
    if administrator and not membership.is_staff_administrator:
        membership.is_staff_administrator = True
        update_fields.append("is_staff_administrator")
    if update_fields:
        membership.save(update_fields=[*update_fields, "updated_at"])


def describe_organisation_invitation(purpose: Mapping[str, Any]) -> str:
    organisation = _invited_to(purpose)
    if organisation is None:
        return ""
    if purpose.get("administrator") is True:
        return _("join the staff of %(organisation)s as staff administrator") % {
            "organisation": organisation.name
        }
    return _("join the staff of %(organisation)s") % {"organisation": organisation.name}


def pending_staff_invitations(organisation: PartnerOrganisation) -> QuerySet[Invitation]:
    """The organisation's open staff invitations, by e-mail address."""
    return account_services.pending_invitations(
        kind=ORGANISATION_INVITATION, organisation=organisation.pk
    )


def revoke_refused(*, membership: OrganisationMembership, by: User, lock: bool = False) -> bool:
    """Whether `by` may not revoke this membership: it is the organisation's last staff
    administrator, and `by` is not the functional administrator.

    Nobody but the functional administrator could grant the organisation's staff then; the
    functional administrator may, as they can make a new staff administrator. With `lock`
    (inside a transaction) the organisation's administrator rows are locked, so two
    administrators revoking each other at the same time cannot both succeed.
    """
    if not membership.is_staff_administrator or is_admin(by):
        return False
    administrators = OrganisationMembership.objects.filter(
        organisation_id=membership.organisation_id
    ).administrators()
    if lock:
        administrators = administrators.select_for_update()
    return list(administrators.values_list("pk", flat=True)) == [membership.pk]


@transaction.atomic
def revoke_organisation_staff(*, membership: OrganisationMembership, by: User) -> None:
    """Take a person off an organisation's staff; their account and team places stay.

    Raises LastStaffAdministrator when `revoke_refused` says so, and then changes nothing.
    """
    if revoke_refused(membership=membership, by=by, lock=True):
        raise LastStaffAdministrator
    OrganisationMembership.objects.filter(pk=membership.pk).delete()
