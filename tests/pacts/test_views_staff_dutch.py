"""The staff pages in the portal's own language: the refusals a person reads are Dutch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pacts.models import OrganisationMembership
from tests.factories import OrganisationMembershipFactory, PartnerOrganisationFactory
from tests.helpers import signed_in, texts_of

pytestmark = pytest.mark.django_db


def test_revoking_the_last_staff_administrator_is_refused_in_dutch() -> None:
    tiwos = PartnerOrganisationFactory(name="Tiwos", slug="tiwos")
    membership = OrganisationMembershipFactory(
        organisation=tiwos, is_staff_administrator=True, user__full_name="Anna Admin"
    )
    url = reverse("pacts:organisation-staff-revoke", kwargs={"slug": "tiwos", "pk": membership.pk})

    response = signed_in(membership.user).post(url)

    assert response.status_code == 400
    assert texts_of(response, "message--error") == [
        "Anna Admin is de laatste beheerder van de medewerkers van Tiwos. Maak eerst iemand "
        "anders beheerder van de medewerkers, of vraag het de functioneel beheerder."
    ]
    assert OrganisationMembership.objects.count() == 1


def test_inviting_staff_who_are_already_staff_is_refused_in_dutch() -> None:
    membership = OrganisationMembershipFactory(
        organisation=PartnerOrganisationFactory(slug="tiwos"), is_staff_administrator=True
    )
    url = reverse("pacts:organisation-staff-invite", kwargs={"slug": "tiwos"})

    response = signed_in(membership.user).post(url, {"email": membership.user.email})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["Deze persoon is al medewerker van deze organisatie."]
    }
