from __future__ import annotations

import datetime as dt
import re

import pytest

from pacts.models import Pact, PartnerOrganisation
from tests.factories import (
    AllianceFactory,
    GebiedsteamFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    WijkFactory,
    action_in,
)
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(response, heading_id: str) -> str:
    """The text of the <section> whose heading has this id."""
    content = response.content.decode()
    start = content.index(f'id="{heading_id}"')
    return plain_text(content[start:].split("</section>")[0].split(">", 1)[1])


# --- pact list -------------------------------------------------------------------------------


def test_pact_list_shows_visible_pacts_with_their_facts(client, gebiedsteam):
    groenewoud = WijkFactory(gebiedsteam=gebiedsteam, name="Groenewoud")
    pact = PactFactory(
        gebiedsteam=gebiedsteam,
        name="Pact Groenewoud",
        approach="Systemisch Samenwerken",
    )
    pact.wijken.add(groenewoud)
    PactCommitmentFactory.create_batch(2, pact=pact)
    PactFactory(gebiedsteam=gebiedsteam, name="Concept pact", status=Pact.Status.DRAFT)

    response = client.get("/pacten/")

    rows = [
        (p.name, p.gebiedsteam.name, [w.name for w in p.wijken.all()], p.commitment_count)
        for p in response.context["page_obj"]
    ]
    assert rows == [("Pact Groenewoud", "Noord", ["Groenewoud"], 2)]
    assert section(response, "pacts-heading").startswith(
        "Pacts Pact Groenewoud Gebied Noord Wijken Groenewoud Approach Systemisch Samenwerken "
        "Period 2024–2027 Status Active Commitments 2"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", ["Pact Noord"]),
        ("other_team_member", ["Pact Noord"]),
        ("team_member", ["Concept Noord", "Pact Noord"]),
        ("staff", ["Concept Noord", "Pact Noord"]),
    ],
)
def test_pact_list_shows_drafts_to_their_team_and_staff_only(
    client, request, gebiedsteam, role, expected
):
    PactFactory(gebiedsteam=gebiedsteam, name="Pact Noord")
    PactFactory(gebiedsteam=gebiedsteam, name="Concept Noord", status=Pact.Status.DRAFT)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/pacten/")

    assert [p.name for p in response.context["page_obj"]] == expected


def test_pact_list_shows_the_alliances_with_their_sub_alliances_and_focus(client, gebiedsteam):
    west = GebiedsteamFactory(name="West")
    stedelijk = AllianceFactory(name="Stedelijke Alliantie")
    kern = AllianceFactory(name="Kernalliantie", parent=stedelijk)
    kern.focus_gebiedsteams.add(gebiedsteam, west)
    kern.focus_wijken.add(WijkFactory(gebiedsteam=gebiedsteam, name="Groenewoud"))

    response = client.get("/pacten/")

    alliances = response.context["alliances"]
    assert [(a.name, [c.name for c in a.children.all()]) for a in alliances] == [
        ("Stedelijke Alliantie", ["Kernalliantie"])
    ]
    assert section(response, "alliances-heading") == (
        "Alliances Stedelijke Alliantie Focus gebieden the whole city "
        "Kernalliantie Focus gebieden Noord West Focus wijken Groenewoud"
    )


def test_pact_list_bad_page_number_shows_a_real_page(client, settings, gebiedsteam):
    settings.WIJKPORTAAL_PAGE_SIZE = 1
    PactFactory(gebiedsteam=gebiedsteam, name="A")
    PactFactory(gebiedsteam=gebiedsteam, name="B")

    not_a_number = client.get("/pacten/", {"page": "een"})
    too_far = client.get("/pacten/", {"page": "50"})

    assert [p.name for p in not_a_number.context["page_obj"]] == ["A"]
    assert [p.name for p in too_far.context["page_obj"]] == ["B"]


# --- pact detail -----------------------------------------------------------------------------


def test_pact_detail_shows_commitments_per_organisation_with_their_actions(client, gebiedsteam):
    pact = PactFactory(gebiedsteam=gebiedsteam, slug="groenewoud", text="Wij werken **samen**.")
    tiwos = PartnerOrganisationFactory(name="Tiwos")
    politie = PartnerOrganisationFactory(name="Politie")
    tiwos_promise = PactCommitmentFactory(
        pact=pact,
        organisation=tiwos,
        text="Wij renoveren 200 woningen.",
        signed_by="Directeur Dirk",
        signed_on=dt.date(2024, 2, 14),
    )
    PactCommitmentFactory(pact=pact, organisation=politie, text="Wij zijn er elke week.")
    action_in(
        gebiedsteam,
        pact_commitment=tiwos_promise,
        title="Renovatie Blok A",
        due_date=None,
        start_date=None,
    )
    action_in(
        gebiedsteam,
        status="draft",
        pact_commitment=tiwos_promise,
        title="Geheime renovatie",
    )

    response = client.get("/pacten/groenewoud/")
    content = response.content.decode()

    commitments = [
        (c.organisation.name, [a.title for a in c.visible_actions])
        for c in response.context["commitments"]
    ]
    assert commitments == [("Politie", []), ("Tiwos", ["Renovatie Blok A"])]
    assert "<p>Wij werken <strong>samen</strong>.</p>" in content
    assert "Geheime renovatie" not in content
    assert section(response, "commitment-" + str(tiwos_promise.pk)) == (
        "Tiwos Wij renoveren 200 woningen. Signed by Directeur Dirk on 14 February 2024 "
        "Actions carrying out the promise of Tiwos Action Status Progress Due date "
        "Renovatie Blok A In progress 40% –"
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", []),
        ("other_team_member", []),
        ("team_member", ["Geheime renovatie"]),
        ("staff", ["Geheime renovatie"]),
    ],
)
def test_pact_detail_actions_of_draft_agendas_do_not_leak(
    client, request, gebiedsteam, role, expected
):
    pact = PactFactory(gebiedsteam=gebiedsteam, slug="groenewoud")
    promise = PactCommitmentFactory(pact=pact)
    action_in(gebiedsteam, status="draft", pact_commitment=promise, title="Geheime renovatie")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/pacten/groenewoud/")

    assert [a.title for a in response.context["commitments"][0].visible_actions] == expected


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [("anonymous", 404), ("other_team_member", 404), ("team_member", 200), ("staff", 200)],
)
def test_pact_detail_draft_is_visible_to_its_team_and_staff_only(
    client, request, gebiedsteam, role, expected_status
):
    PactFactory(gebiedsteam=gebiedsteam, slug="concept", status=Pact.Status.DRAFT)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/pacten/concept/")

    assert response.status_code == expected_status
    assert response.templates[0].name == (
        "pacts/pact_detail.html" if expected_status == 200 else "404.html"
    )


@pytest.mark.parametrize(
    "url", ["/pacten/bestaat-niet/", "/allianties/bestaat-niet/", "/organisaties/bestaat-niet/"]
)
def test_unknown_slugs_are_404_in_the_site_layout(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]


# --- alliances -------------------------------------------------------------------------------


def test_alliance_detail_shows_members_focus_and_sub_alliances(client, gebiedsteam):
    stedelijk = AllianceFactory(
        name="Stedelijke Alliantie", slug="stedelijk", description="Samen voor de stad."
    )
    kern = AllianceFactory(name="Kernalliantie", slug="kern", parent=stedelijk)
    kern.focus_gebiedsteams.add(gebiedsteam)
    stedelijk.members.add(
        PartnerOrganisationFactory(name="WonenBreburg", kind=PartnerOrganisation.Kind.HOUSING),
        PartnerOrganisationFactory(name="ContourdeTwern"),
    )
    stedelijk.focus_wijken.add(WijkFactory(gebiedsteam=gebiedsteam, name="Groenewoud"))

    parent = client.get("/allianties/stedelijk/")
    child = client.get("/allianties/kern/")

    assert [m.name for m in parent.context["members"]] == ["ContourdeTwern", "WonenBreburg"]
    assert [c.name for c in parent.context["children"]] == ["Kernalliantie"]
    assert section(parent, "members-heading") == (
        "Member organisations ContourdeTwern (welfare organisation) "
        "WonenBreburg (housing corporation)"
    )
    assert section(parent, "focus-heading") == (
        "Focus Focus gebieden the whole city Focus wijken Groenewoud"
    )
    assert section(parent, "children-heading") == "Part of this alliance Kernalliantie : Noord"
    assert child.context["alliance"].parent == stedelijk
    assert section(child, "focus-heading") == "Focus Focus gebieden Noord Focus wijken none"


# --- organisations ---------------------------------------------------------------------------


def test_organisation_list_groups_organisations_by_kind(client):
    PartnerOrganisationFactory(name="WonenBreburg", kind=PartnerOrganisation.Kind.HOUSING)
    PartnerOrganisationFactory(name="Tiwos", kind=PartnerOrganisation.Kind.HOUSING)
    PartnerOrganisationFactory(name="Politie", kind=PartnerOrganisation.Kind.POLICE)

    response = client.get("/organisaties/")
    content = response.content.decode()

    assert [o.name for o in response.context["page_obj"]] == ["Tiwos", "WonenBreburg", "Politie"]
    headings = re.findall(r'<h2 id="kind-[a-z]+">([^<]*)</h2>', content)
    assert headings == ["Housing corporation", "Police"]


def test_organisation_list_is_paginated(client, settings):
    settings.WIJKPORTAAL_PAGE_SIZE = 2
    for name in ["A", "B", "C"]:
        PartnerOrganisationFactory(name=name)

    second = client.get("/organisaties/", {"page": "2"})
    bad = client.get("/organisaties/", {"page": "-1"})

    assert [o.name for o in second.context["page_obj"]] == ["C"]
    assert [o.name for o in bad.context["page_obj"]] == ["C"]


# --- query budgets ---------------------------------------------------------------------------


def build_pact_world(gebiedsteam, *, scale: int, prefix: str) -> tuple[Pact, PartnerOrganisation]:
    """A pact, an organisation and an alliance with `scale` of everything their pages show."""
    wijken = [WijkFactory(gebiedsteam=gebiedsteam) for _ in range(scale)]
    pact = PactFactory(gebiedsteam=gebiedsteam, slug=f"{prefix}-pact")
    pact.wijken.add(*wijken)
    organisation = PartnerOrganisationFactory(slug=f"{prefix}-organisatie")
    alliance = AllianceFactory(slug=f"{prefix}-alliantie")
    alliance.members.add(organisation)
    alliance.focus_gebiedsteams.add(gebiedsteam)
    alliance.focus_wijken.add(*wijken)
    for number in range(scale):
        promise = PactCommitmentFactory(
            pact=pact, organisation=organisation if number == 0 else PartnerOrganisationFactory()
        )
        action_in(gebiedsteam, pact_commitment=promise, owner_organisation=organisation)
        other_pact = PactFactory(gebiedsteam=gebiedsteam)
        other_pact.wijken.add(wijken[number])
        PactCommitmentFactory(pact=other_pact, organisation=organisation)
        child = AllianceFactory(parent=alliance)
        child.focus_gebiedsteams.add(gebiedsteam)
        child.focus_wijken.add(wijken[number])
        child.members.add(organisation)
    return pact, organisation


@pytest.fixture
def signed_in(client, team_member):
    client.force_login(team_member)
    return team_member


def test_pact_list_query_count_does_not_grow_with_the_data(client, gebiedsteam, signed_in):
    build_pact_world(gebiedsteam, scale=1, prefix="een")
    at_1 = count_queries(client, "/pacten/")
    for number in range(9):
        build_pact_world(gebiedsteam, scale=1, prefix=f"meer{number}")

    at_10 = count_queries(client, "/pacten/")

    assert Pact.objects.count() == 20
    assert at_10 == at_1


@pytest.mark.parametrize("page", ["pact", "alliantie", "organisatie"])
def test_detail_query_count_does_not_grow_with_the_data(client, gebiedsteam, signed_in, page):
    build_pact_world(gebiedsteam, scale=1, prefix="een")
    build_pact_world(gebiedsteam, scale=10, prefix="tien")
    base = {"pact": "/pacten/", "alliantie": "/allianties/", "organisatie": "/organisaties/"}[page]

    at_1 = count_queries(client, f"{base}een-{page}/")
    at_10 = count_queries(client, f"{base}tien-{page}/")

    assert at_10 == at_1


def test_organisation_list_query_count_does_not_grow_with_the_data(client):
    PartnerOrganisationFactory()
    at_1 = count_queries(client, "/organisaties/")
    PartnerOrganisationFactory.create_batch(9)

    at_10 = count_queries(client, "/organisaties/")

    assert PartnerOrganisation.objects.count() == 10
    assert at_10 == at_1
