from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import (
    AllianceFactory,
    OrganisationMembershipFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    action_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def test_organisation_detail_shows_pacts_alliances_and_visible_actions(client, gebiedsteam):
    tiwos = PartnerOrganisationFactory(
        name="Tiwos", slug="tiwos", kind="housing", website="https://www.tiwos.nl"
    )
    PactCommitmentFactory(
        pact=PactFactory(gebiedsteam=gebiedsteam, name="Pact Noord"), organisation=tiwos
    )
    PactCommitmentFactory(
        pact=PactFactory(gebiedsteam=gebiedsteam, name="Concept pact", status="draft"),
        organisation=tiwos,
    )
    PactFactory(gebiedsteam=gebiedsteam, name="Ander pact")
    AllianceFactory(name="Stedelijke Alliantie").members.add(tiwos)
    AllianceFactory(name="Andere alliantie")
    action_in(
        gebiedsteam, owner_organisation=tiwos, title="Renovatie", due_date=dt.date(2026, 1, 1)
    )
    action_in(
        gebiedsteam, owner_organisation=tiwos, title="Schilderwerk", due_date=dt.date(2026, 2, 1)
    )
    action_in(gebiedsteam, status="draft", owner_organisation=tiwos, title="Geheime sloop")
    action_in(gebiedsteam, title="Van een ander")

    response = client.get("/organisaties/tiwos/")

    assert [p.name for p in response.context["pacts"]] == ["Pact Noord"]
    assert [a.name for a in response.context["alliances"]] == ["Stedelijke Alliantie"]
    assert [a.title for a in response.context["page_obj"]] == ["Renovatie", "Schilderwerk"]
    assert "Geheime sloop" not in response.content.decode()
    assert "Concept pact" not in response.content.decode()


def test_organisation_detail_shows_draft_work_to_the_team(client, gebiedsteam, team_member):
    tiwos = PartnerOrganisationFactory(slug="tiwos")
    PactCommitmentFactory(
        pact=PactFactory(gebiedsteam=gebiedsteam, name="Concept pact", status="draft"),
        organisation=tiwos,
    )
    action_in(gebiedsteam, status="draft", owner_organisation=tiwos, title="Geheime sloop")
    client.force_login(team_member)

    response = client.get("/organisaties/tiwos/")

    assert [p.name for p in response.context["pacts"]] == ["Concept pact"]
    assert [a.title for a in response.context["page_obj"]] == ["Geheime sloop"]


def test_organisation_detail_paginates_the_actions(client, settings, gebiedsteam):
    settings.WIJKPORTAAL_PAGE_SIZE = 2
    tiwos = PartnerOrganisationFactory(slug="tiwos")
    for month in [1, 2, 3]:
        action_in(
            gebiedsteam,
            owner_organisation=tiwos,
            title=f"Actie {month}",
            due_date=dt.date(2026, month, 1),
        )

    second = client.get("/organisaties/tiwos/", {"page": "2"})
    bad = client.get("/organisaties/tiwos/", {"page": "zeven"})

    assert [a.title for a in second.context["page_obj"]] == ["Actie 3"]
    assert [a.title for a in bad.context["page_obj"]] == ["Actie 1", "Actie 2"]


STAFF_LINK = (
    '<a class="utrecht-link utrecht-link--html-a" id="staff-link" '
    'href="/organisaties/tiwos/medewerkers/">'
)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("anonymous", False),
        ("resident", False),
        ("colleague", False),
        ("other_administrator", False),
        ("administrator", True),
        ("staff", True),
    ],
)
def test_organisation_detail_links_to_the_staff_page_for_those_who_manage_it(
    client, request, role, shown
):
    tiwos = PartnerOrganisationFactory(slug="tiwos")
    users = {
        "administrator": OrganisationMembershipFactory(
            organisation=tiwos, is_staff_administrator=True
        ).user,
        "colleague": OrganisationMembershipFactory(organisation=tiwos).user,
        "other_administrator": OrganisationMembershipFactory(is_staff_administrator=True).user,
    }
    if role != "anonymous":
        client.force_login(users.get(role) or request.getfixturevalue(role))

    response = client.get("/organisaties/tiwos/")

    assert response.status_code == 200
    assert response.context["can_manage_staff"] is shown
    assert (STAFF_LINK in response.content.decode()) is shown
