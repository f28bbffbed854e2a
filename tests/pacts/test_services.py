from __future__ import annotations

import pytest

from accounts import purposes
from accounts.models import User
from areas.services import join_gebiedsteam
from pacts import services
from pacts.models import OrganisationMembership
from tests.factories import OrganisationMembershipFactory, PartnerOrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def purpose(organisation_id: int, **extra: object) -> dict[str, object]:
    return {"kind": "organisation", "organisation": organisation_id, **extra}


def test_organisation_invitations_are_handled_by_pacts_and_team_invitations_are_not() -> None:
    assert purposes.registry["organisation"].handlers == [services.join_organisation]
    assert purposes.registry["team"].handlers == [join_gebiedsteam]


def test_join_organisation_makes_the_membership_as_invited() -> None:
    tiwos = PartnerOrganisationFactory(name="Tiwos")
    user = UserFactory()

    services.join_organisation(
        user=user, purpose=purpose(tiwos.pk, job_title="Wijkconsulent", administrator=True)
    )

    assert list(
        OrganisationMembership.objects.values_list(
            "user", "organisation", "job_title", "is_staff_administrator"
        )
    ) == [(user.pk, tiwos.pk, "Wijkconsulent", True)]


def test_join_organisation_keeps_what_an_existing_member_has() -> None:
    membership = OrganisationMembershipFactory(job_title="Teamleider", is_staff_administrator=True)

    services.join_organisation(
        user=membership.user,
        purpose=purpose(membership.organisation_id, job_title="", administrator=False),
    )

    membership.refresh_from_db()
    assert (membership.job_title, membership.is_staff_administrator) == ("Teamleider", True)
    assert OrganisationMembership.objects.count() == 1


def test_join_organisation_of_an_organisation_that_is_gone_makes_nothing() -> None:
    services.join_organisation(user=UserFactory(), purpose=purpose(999999))

    assert OrganisationMembership.objects.count() == 0


def test_describe_organisation_invitation() -> None:
    tiwos = PartnerOrganisationFactory(name="Tiwos")

    assert [
        purposes.describe_purpose(purpose(tiwos.pk, administrator=False)),
        purposes.describe_purpose(purpose(tiwos.pk, administrator=True)),
        purposes.describe_purpose(purpose(999999)),
    ] == ["join the staff of Tiwos", "join the staff of Tiwos as staff administrator", ""]


def test_revoke_organisation_staff_refuses_the_last_administrator_to_a_staff_administrator() -> (
    None
):
    membership = OrganisationMembershipFactory(is_staff_administrator=True)
    OrganisationMembershipFactory(organisation=membership.organisation)

    with pytest.raises(services.LastStaffAdministrator):
        services.revoke_organisation_staff(membership=membership, by=membership.user)

    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_revoke_organisation_staff_lets_the_functional_administrator_remove_anyone() -> None:
    membership = OrganisationMembershipFactory(is_staff_administrator=True)
    admin = UserFactory(is_functional_admin=True)

    services.revoke_organisation_staff(membership=membership, by=admin)

    assert OrganisationMembership.objects.count() == 0
    assert User.objects.filter(pk=membership.user_id).exists()


def test_revoke_organisation_staff_of_an_administrator_beside_another() -> None:
    membership = OrganisationMembershipFactory(is_staff_administrator=True)
    other = OrganisationMembershipFactory(
        organisation=membership.organisation, is_staff_administrator=True
    )

    services.revoke_organisation_staff(membership=membership, by=membership.user)

    assert list(OrganisationMembership.objects.values_list("pk", flat=True)) == [other.pk]
