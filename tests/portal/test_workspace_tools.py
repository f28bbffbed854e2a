"""The workspace's tools: a link to every task a person's roles allow, and to nothing else."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts.models import OutgoingMail, User
from tests.factories import (
    CommentFactory,
    CommentReportFactory,
    CouncilMembershipFactory,
    GebiedsteamFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import count_queries, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

TOOL = re.compile(r'<a [^>]*id="tool-([\w-]+)" href="([^"]+)"[^>]*>([^<]+)</a>')
NOORD_TOOLS = {
    "team": "/gebieden/noord/team/",
    "invite": "/gebieden/noord/team/#invite-form",
    "werkplek": "/gebieden/noord/werkplekken/nieuw/",
    "meeting": "/gebieden/noord/bijeenkomsten/nieuw/",
    "report": "/gebieden/noord/#reports-heading",
}


def tools_of(user: User) -> list[tuple[str, str]]:
    response = signed_in(user).get("/werkplek/")
    assert response.status_code == 200
    return [(key, url) for key, url, _label in TOOL.findall(response.content.decode())]


def noord(*keys: str) -> list[tuple[str, str]]:
    return [(f"noord-{key}", NOORD_TOOLS[key]) for key in keys]


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(name="Quirijnstok", slug="quirijnstok", gebiedsteam=gebiedsteam)


def member(gebiedsteam, role: str) -> User:
    user = UserFactory(email=f"{role}@example.org")
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam, role=role)
    return user


@pytest.fixture
def moderator(db) -> User:
    return UserFactory(email="moderator@example.org", is_moderator=True)


@pytest.fixture
def reports(gebiedsteam, other_gebiedsteam, wijk):
    """Open reports: two on public proposals (one per gebied), one on a council-only
    proposal of Noord; and a dismissed one."""
    public = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    elsewhere = ProposalFactory(
        gebiedsteam=other_gebiedsteam,
        wijken=[WijkFactory(gebiedsteam=other_gebiedsteam)],
    )
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], council_only=True)
    for proposal in (public, elsewhere, secret):
        CommentReportFactory(comment=CommentFactory(proposal=proposal))
    CommentReportFactory(comment=CommentFactory(proposal=public), status="dismissed")


def test_a_wijkregisseur_gets_every_tool_of_their_team(gebiedsteam, reports):
    user = member(gebiedsteam, "wijkregisseur")

    assert tools_of(user) == [
        ("proposal", "/voorstellen/nieuw/"),
        ("wijkagenda", "/wijkagendas/nieuw/"),
        ("moderation", "/moderatie/"),
        *noord("team", "invite", "werkplek", "meeting", "report"),
    ]


@pytest.mark.parametrize("role", ["omgevingsmanager", "ondersteuner"])
def test_the_rest_of_the_core_team_gets_all_but_the_invitations(gebiedsteam, role):
    assert tools_of(member(gebiedsteam, role)) == [
        ("proposal", "/voorstellen/nieuw/"),
        ("wijkagenda", "/wijkagendas/nieuw/"),
        ("moderation", "/moderatie/"),
        *noord("team", "werkplek", "meeting", "report"),
    ]


def test_a_partner_representative_in_the_team_gets_no_tools(gebiedsteam):
    response = signed_in(member(gebiedsteam, "partner")).get("/werkplek/")

    assert TOOL.findall(response.content.decode()) == []
    assert 'id="tools"' not in response.content.decode()
    # Their gebied is still listed, and its lists are theirs to read.
    assert '<a class="utrecht-link utrecht-link--html-a" href="/gebieden/noord/">Noord</a>' in (
        response.content.decode()
    )


def test_the_tools_of_two_teams_follow_the_role_in_each(gebiedsteam, other_gebiedsteam):
    user = member(gebiedsteam, "omgevingsmanager")
    TeamMembershipFactory(user=user, gebiedsteam=other_gebiedsteam, role="partner")
    third = GebiedsteamFactory(name="Centrum", slug="centrum", position=30000)
    TeamMembershipFactory(user=user, gebiedsteam=third, role="wijkregisseur")

    assert [key for key, _url in tools_of(user)] == [
        "proposal",
        "wijkagenda",
        "moderation",
        "noord-team",
        "noord-werkplek",
        "noord-meeting",
        "noord-report",
        "centrum-team",
        "centrum-invite",
        "centrum-werkplek",
        "centrum-meeting",
        "centrum-report",
    ]


def test_a_moderator_gets_the_queue_with_the_reports_they_can_read(moderator, reports):
    response = signed_in(moderator).get("/werkplek/")

    assert [(key, url) for key, url, _ in TOOL.findall(response.content.decode())] == [
        ("moderation", "/moderatie/")
    ]
    assert '<span class="muted">(2 open reports)</span>' in response.content.decode()
    assert "there is nothing here for you" not in response.content.decode()


def test_the_core_team_counts_the_reports_of_its_own_gebied(gebiedsteam, reports):
    response = signed_in(member(gebiedsteam, "ondersteuner")).get("/werkplek/")

    assert '<span class="muted">(2 open reports)</span>' in response.content.decode()


def test_the_functional_administrator_gets_the_city_wide_tools(staff, gebiedsteam, reports):
    now = timezone.now()
    OutgoingMail.objects.create(kind="digest", to="a@example.org", subject="-", failed_at=now)
    OutgoingMail.objects.create(kind="digest", to="b@example.org", subject="-", sent_at=now)

    response = signed_in(staff).get("/werkplek/")

    assert [(key, url) for key, url, _ in TOOL.findall(response.content.decode())] == [
        ("proposal", "/voorstellen/nieuw/"),
        ("wijkagenda", "/wijkagendas/nieuw/"),
        ("moderation", "/moderatie/"),
        ("city-report", "/rapportages/stad/"),
        ("outbox", "/beheer/accounts/outgoingmail/?state=failed"),
    ]
    assert '<span class="muted">(3 open reports)</span>' in response.content.decode()
    assert '<span class="muted">(1 failed)</span>' in response.content.decode()


def test_a_wijkraad_chair_gets_the_invitation_of_their_wijkraad(council_member):
    chair = UserFactory()
    wijkraad = council_member.council_memberships.get().wijkraad
    CouncilMembershipFactory(user=chair, wijkraad=wijkraad, role="chair")

    tools = {
        who: TOOL.findall(signed_in(user).get("/werkplek/").content.decode())
        for who, user in (("chair", chair), ("member", council_member))
    }

    assert tools == {
        "chair": [
            (
                f"wijkraad-{wijkraad.slug}",
                f"/wijkraden/{wijkraad.slug}/uitnodigen/",
                f"Invite to {wijkraad.name}",
            )
        ],
        "member": [],
    }


def test_a_staff_administrator_gets_the_staff_page_of_their_organisation(owner):
    user = UserFactory()
    OrganisationMembershipFactory(user=user, organisation=owner, is_staff_administrator=True)
    OrganisationMembershipFactory(user=user, organisation=PartnerOrganisationFactory(name="Tiwos"))

    response = signed_in(user).get("/werkplek/")

    assert TOOL.findall(response.content.decode()) == [
        (
            f"organisation-{owner.slug}",
            f"/organisaties/{owner.slug}/medewerkers/",
            "Staff of ContourdeTwern",
        )
    ]


@pytest.mark.parametrize("who", ["owner_staff", "council_member", "resident"])
def test_people_without_a_tool_see_none(request, who, reports):
    response = signed_in(request.getfixturevalue(who)).get("/werkplek/")

    assert TOOL.findall(response.content.decode()) == []
    assert 'id="tools"' not in response.content.decode()


def test_a_resident_is_still_told_there_is_nothing_for_them(resident):
    response = signed_in(resident).get("/werkplek/")

    assert "there is nothing here for you" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["wijkregisseur", "omgevingsmanager", "ondersteuner", "moderator", "staff", "owner"]
)
def test_every_tool_offered_leads_to_a_page_with_its_form(request, who, gebiedsteam, wijk, owner):
    """Each tool opens, and an anchor finds the invitation or report form on its page."""
    if who == "owner":
        user = UserFactory()
        OrganisationMembershipFactory(user=user, organisation=owner, is_staff_administrator=True)
    elif who in ("moderator", "staff"):
        user = request.getfixturevalue(who)
    else:
        user = member(gebiedsteam, who)
    client = signed_in(user)
    opened = {}
    for _key, url in tools_of(user):
        path, _hash, anchor = url.partition("#")
        response = client.get(path)
        opened[url] = (response.status_code, not anchor or f'id="{anchor}"' in response.text)

    assert opened
    assert opened == dict.fromkeys(opened, (200, True))


def test_the_tools_refused_to_a_partner_are_refused_by_the_views(gebiedsteam, wijk):
    client = signed_in(member(gebiedsteam, "partner"))
    werkplek, meeting = NOORD_TOOLS["werkplek"], NOORD_TOOLS["meeting"]
    gebied_page = client.get("/gebieden/noord/")

    # The team page is not even shown to exist; the forms refuse.
    assert client.get(NOORD_TOOLS["team"]).status_code == 404
    assert (client.get(werkplek).status_code, client.get(meeting).status_code) == (403, 403)
    assert client.post("/gebieden/noord/rapportages/", {}).status_code == 403
    assert 'id="reports-heading"' not in gebied_page.text


def test_the_tools_run_the_same_number_of_queries_for_1_and_4_teams(gebiedsteam, reports, owner):
    user = member(gebiedsteam, "wijkregisseur")
    user.is_moderator = True
    user.save(update_fields=["is_moderator"])
    OrganisationMembershipFactory(user=user, organisation=owner, is_staff_administrator=True)
    council = WijkraadFactory()
    CouncilMembershipFactory(user=user, wijkraad=council)
    client = signed_in(user)

    one = count_queries(client, "/werkplek/")
    for n in range(3):
        team = GebiedsteamFactory(name=f"Team {n}", slug=f"team-{n}")
        TeamMembershipFactory(user=user, gebiedsteam=team, role="wijkregisseur")
        OrganisationMembershipFactory(
            user=user, organisation=PartnerOrganisationFactory(), is_staff_administrator=True
        )
    four = count_queries(client, "/werkplek/")

    assert len(tools_of(user)) == 3 + 4 * 5 + 4
    assert four == one
