from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from areas.geometry import footprint
from areas.models import Gebiedsteam, TeamMembership, Werkplek, Wijk
from pacts.models import OrganisationMembership
from tests.factories import (
    CouncilMembershipFactory,
    PartnerOrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
    WerkplekFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import revision_in, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

HTMX = {"HTTP_HX_REQUEST": "true"}
INVITE_LINK = re.compile(r"http://testserver(?P<path>/account/uitnodiging/[\w-]+/)")


def square(lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def wijk_at(lon: float, lat: float, **kwargs: Any) -> Wijk:
    wijk = WijkFactory(**kwargs)
    wijk.apply_footprint(footprint(square(lon, lat)), source="file", year=2024)
    wijk.save()
    return wijk


@pytest.fixture
def world(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam, team_member: User
) -> SimpleNamespace:
    omgevingsmanager = UserFactory(email="olga@example.org", full_name="Olga Omgeving")
    TeamMembershipFactory(user=omgevingsmanager, gebiedsteam=gebiedsteam, role="omgevingsmanager")
    return SimpleNamespace(
        omgevingsmanager=omgevingsmanager,
        # Noord has two wijken side by side; Reeshof's lies further east.
        centrum=wijk_at(5.0, 51.5, name="Centrum", slug="centrum", gebiedsteam=gebiedsteam),
        heikant=wijk_at(5.1, 51.5, name="Heikant", slug="heikant", gebiedsteam=gebiedsteam),
        reeshof=wijk_at(5.3, 51.5, name="Reeshof", slug="reeshof", gebiedsteam=other_gebiedsteam),
        werkplek=WerkplekFactory(gebiedsteam=gebiedsteam, name="Wijkcentrum Noord"),
        other_werkplek=WerkplekFactory(gebiedsteam=other_gebiedsteam, name="Wijkcentrum Reeshof"),
        organisation=PartnerOrganisationFactory(name="WonenBreburg"),
    )


def team_url(slug: str = "noord") -> str:
    return reverse("areas:team-detail", kwargs={"slug": slug})


def invite_url(slug: str = "noord") -> str:
    return reverse("areas:team-invite", kwargs={"slug": slug})


def fragment_root(response: Any) -> str:
    """The opening tag of the first element of a fragment."""
    match = re.match(r"\s*(<[^>]+>)", response.content.decode())
    assert match is not None
    return match[1]


def table_rows(response: Any, table_id: str) -> list[list[str]]:
    """The text of each cell of each body row of a table in the response."""
    html = response.content.decode()
    table = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table is not None
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table[1], re.S)
    ]


def element_text(response: Any, element_id: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match is not None
    return " ".join(re.sub(r"<[^>]+>", " ", match[2]).split())


def pending_emails() -> list[str]:
    return list(Invitation.objects.order_by("email").values_list("email", flat=True))


# team_detail


def test_team_detail_shows_members_invitations_and_the_invite_form(
    client: Client, team_member: User, world: SimpleNamespace, gebiedsteam: Gebiedsteam
) -> None:
    Invitation.issue(
        email="nieuw@example.org",
        invited_by=team_member,
        purpose={"kind": "team", "gebiedsteam": gebiedsteam.pk, "role": "ondersteuner"},
    )
    Invitation.issue(
        email="elders@example.org",
        invited_by=None,
        purpose={"kind": "team", "gebiedsteam": gebiedsteam.pk + 1000, "role": "ondersteuner"},
    )
    client.force_login(team_member)

    response = client.get(team_url())

    assert response.status_code == 200
    assert [(m.user.full_name, m.user.email, m.role) for m in response.context["memberships"]] == [
        ("Olga Omgeving", "olga@example.org", "omgevingsmanager"),
        ("Regisseur Rina", "regisseur@example.org", "wijkregisseur"),
    ]
    assert [(i["email"], i["role"]) for i in response.context["invitations"]] == [
        ("nieuw@example.org", "gebiedsmanagementondersteuner")
    ]
    assert list(response.context["form"].fields) == ["email", "role"]
    assert [w.name for w in response.context["werkplekken"]] == ["Wijkcentrum Noord"]


def test_team_detail_for_an_admin(client: Client, staff: User, world: SimpleNamespace) -> None:
    client.force_login(staff)

    response = client.get(team_url())

    assert response.status_code == 200
    assert response.context["gebiedsteam"].slug == "noord"
    assert response.context["form"] is not None


def test_team_detail_without_invite_form_for_an_omgevingsmanager(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.omgevingsmanager)

    response = client.get(team_url())

    assert response.status_code == 200
    assert response.context["form"] is None
    assert response.context["can_edit_werkplekken"] is True


@pytest.mark.parametrize("role", ["other_team_member", "resident"])
def test_team_detail_of_another_gebied_is_not_found(
    client: Client, role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(role))

    response = client.get(team_url("noord"))

    assert response.status_code == 404
    assert "memberships" not in (response.context or {})


def test_team_detail_of_an_unknown_gebied_is_not_found(client: Client, team_member: User) -> None:
    client.force_login(team_member)

    response = client.get(team_url("bestaat-niet"))

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


def test_team_detail_asks_anonymous_visitors_to_sign_in(
    client: Client, world: SimpleNamespace
) -> None:
    response = client.get(team_url())

    assert response.status_code == 302
    assert response["Location"] == f"/account/inloggen/?next={team_url()}"


# team_invite


def test_team_invite_sends_the_invitation_after_commit_and_redirects(
    client: Client,
    team_member: User,
    world: SimpleNamespace,
    gebiedsteam: Gebiedsteam,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(team_member)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(invite_url(), {"email": "Nieuw@Example.org", "role": "ondersteuner"})

    assert response.status_code == 302
    assert response["Location"] == team_url()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by, invitation.purpose) == (
        "nieuw@example.org",
        team_member,
        {"kind": "team", "gebiedsteam": gebiedsteam.pk, "role": "ondersteuner"},
    )
    assert len(callbacks) == 1
    assert [message.to for message in mailoutbox] == [["nieuw@example.org"]]
    page = client.get(team_url())
    assert [str(m) for m in page.context["messages"]] == [
        "We have sent an invitation to nieuw@example.org."
    ]


def test_team_invite_by_htmx_returns_the_invitations_fragment(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        invite_url(), {"email": "nieuw@example.org", "role": "ondersteuner"}, **HTMX
    )

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="team-invitations" aria-labelledby="invitations-heading">'
    )
    assert "<html" not in response.content.decode()
    assert element_text(response, "invitation-sent") == (
        "We have sent an invitation to nieuw@example.org."
    )
    assert [row[:2] for row in table_rows(response, "pending-invitations")] == [
        ["nieuw@example.org", "Gebiedsmanagementondersteuner"]
    ]
    assert response.context["form"].is_bound is False
    assert response["Vary"] == "HX-Request, Cookie"


def test_team_invite_of_a_partner_then_accepted_joins_the_team_only(
    client: Client,
    team_member: User,
    world: SimpleNamespace,
    gebiedsteam: Gebiedsteam,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(invite_url(), {"email": "piet@example.org", "role": "partner"})
    match = INVITE_LINK.search(mailoutbox[0].body)
    assert match is not None

    invitee = Client()
    response = invitee.post(
        match["path"],
        {
            "full_name": "Piet Partner",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )

    assert (sent.status_code, response.status_code) == (302, 302)
    assert Invitation.objects.get().purpose == {
        "kind": "team",
        "gebiedsteam": gebiedsteam.pk,
        "role": "partner",
    }
    piet = User.objects.get(email="piet@example.org")
    assert list(TeamMembership.objects.filter(user=piet).values_list("gebiedsteam", "role")) == [
        (gebiedsteam.pk, "partner")
    ]
    assert OrganisationMembership.objects.count() == 0
    assert invitee.get(match["path"]).status_code == 410


@pytest.mark.parametrize("organisation", ["own", "999999", "iets"])
def test_team_invite_naming_an_organisation_is_refused_and_saves_nothing(
    client: Client, team_member: User, world: SimpleNamespace, organisation: str
) -> None:
    client.force_login(team_member)
    value = str(world.organisation.pk) if organisation == "own" else organisation

    response = client.post(
        invite_url(), {"email": "piet@example.org", "role": "partner", "organisation": value}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "__all__": [
            "A team invitation does not make anyone staff of an organisation. Invite the "
            "person to the team without an organisation; the organisation's staff "
            "administrator adds its staff on the organisation's staff page."
        ]
    }
    assert pending_emails() == []
    assert OrganisationMembership.objects.count() == 0


def test_team_invite_naming_an_organisation_by_htmx_returns_the_fragment_with_the_error(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        invite_url(),
        {"email": "piet@example.org", "role": "partner", "organisation": world.organisation.pk},
        **HTMX,
    )

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="team-invitations" aria-labelledby="invitations-heading">'
    )
    assert list(response.context["form"].errors) == ["__all__"]
    assert pending_emails() == []


def test_team_invite_of_another_gebied_by_a_wijkregisseur_is_not_found_and_saves_nothing(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        invite_url("reeshof"), {"email": "piet@example.org", "role": "wijkregisseur"}
    )

    assert response.status_code == 404
    assert pending_emails() == []


def test_team_invite_with_invalid_input_rerenders_the_page_and_saves_nothing(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Invitation.objects.count()

    response = client.post(invite_url(), {"email": "geen-adres", "role": "baas"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["Enter a valid email address."],
        "role": ["Select a valid choice. baas is not one of the available choices."],
    }
    assert response.templates[0].name == "areas/team/team_detail.html"
    assert Invitation.objects.count() == before


def test_team_invite_with_invalid_input_by_htmx_returns_the_fragment_with_errors(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(invite_url(), {"email": "", "role": "ondersteuner"}, **HTMX)

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="team-invitations" aria-labelledby="invitations-heading">'
    )
    assert response.context["form"].errors == {"email": ["This field is required."]}
    assert Invitation.objects.count() == 0


def test_team_invite_refuses_a_member_of_the_team(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(invite_url(), {"email": "OLGA@example.org", "role": "ondersteuner"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["This person is already a member of this team."]
    }
    assert Invitation.objects.count() == 0


def test_team_invite_refuses_a_second_pending_invitation(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    client.post(invite_url(), {"email": "nieuw@example.org", "role": "ondersteuner"})

    response = client.post(invite_url(), {"email": "nieuw@example.org", "role": "wijkregisseur"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["This person has already been invited and has not answered yet."]
    }
    assert pending_emails() == ["nieuw@example.org"]


def test_team_invite_by_an_omgevingsmanager_is_forbidden(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.omgevingsmanager)

    response = client.post(invite_url(), {"email": "nieuw@example.org", "role": "ondersteuner"})

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


def test_team_invite_to_another_gebied_is_not_found(
    client: Client, other_team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(other_team_member)

    response = client.post(invite_url(), {"email": "nieuw@example.org", "role": "ondersteuner"})

    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_team_invite_by_get_is_not_allowed(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.get(invite_url())

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_team_invite_without_csrf_token_is_refused(
    team_member: User, world: SimpleNamespace
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)

    response = client.post(invite_url(), {"email": "nieuw@example.org", "role": "ondersteuner"})

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


# wijkraad_invite


@pytest.fixture
def wijkraad(world: SimpleNamespace) -> Any:
    wijkraad = WijkraadFactory(name="Wijkraad Noord", slug="wijkraad-noord")
    wijkraad.wijken.set([world.centrum])
    return wijkraad


@pytest.fixture
def chair(wijkraad: Any) -> User:
    user = UserFactory(email="voorzitter@example.org", full_name="Vera Voorzitter")
    CouncilMembershipFactory(user=user, wijkraad=wijkraad, role="chair")
    return user


def wijkraad_url(slug: str = "wijkraad-noord") -> str:
    return reverse("areas:wijkraad-invite", kwargs={"slug": slug})


def test_wijkraad_invite_page_for_the_chair(client: Client, chair: User, wijkraad: Any) -> None:
    client.force_login(chair)

    response = client.get(wijkraad_url())

    assert response.status_code == 200
    assert [(m.user.email, m.role) for m in response.context["memberships"]] == [
        ("voorzitter@example.org", "chair")
    ]
    assert list(response.context["form"].fields) == ["email", "role"]


def test_wijkraad_invite_by_the_chair_sends_the_invitation(
    client: Client,
    chair: User,
    wijkraad: Any,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "member"})

    assert response.status_code == 302
    assert response["Location"] == wijkraad_url()
    assert list(Invitation.objects.values_list("email", "purpose")) == [
        ("lid@example.org", {"kind": "council", "wijkraad": wijkraad.pk, "role": "member"})
    ]
    assert [message.to for message in mailoutbox] == [["lid@example.org"]]
    assert mailoutbox[0].body.splitlines()[2:4] == [
        "Vera Voorzitter invites you to the Wijkportaal of Tilburg.",
        "You are invited to join Wijkraad Noord as member.",
    ]


def test_wijkraad_invite_by_an_admin(client: Client, staff: User, wijkraad: Any) -> None:
    client.force_login(staff)

    response = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "secretary"})

    assert response.status_code == 302
    assert pending_emails() == ["lid@example.org"]


def test_wijkraad_invite_by_htmx_returns_the_invitations_fragment(
    client: Client, chair: User, wijkraad: Any
) -> None:
    client.force_login(chair)

    response = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "member"}, **HTMX)

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="council-invitations" aria-labelledby="invitations-heading">'
    )
    assert [row[:2] for row in table_rows(response, "pending-invitations")] == [
        ["lid@example.org", "Member"]
    ]
    assert Invitation.objects.get().email == "lid@example.org"


def test_wijkraad_invite_with_invalid_input_saves_nothing(
    client: Client, chair: User, wijkraad: Any
) -> None:
    client.force_login(chair)

    response = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "koning"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "role": ["Select a valid choice. koning is not one of the available choices."]
    }
    assert Invitation.objects.count() == 0


def test_wijkraad_invite_refuses_a_member_of_the_council(
    client: Client, chair: User, wijkraad: Any
) -> None:
    client.force_login(chair)

    response = client.post(wijkraad_url(), {"email": "voorzitter@example.org", "role": "member"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["This person is already a member of this council."]
    }
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_wijkraad_invite_by_a_council_member_who_is_not_chair_is_forbidden(
    client: Client, wijkraad: Any, role: str
) -> None:
    member = UserFactory()
    CouncilMembershipFactory(user=member, wijkraad=wijkraad, role=role)
    client.force_login(member)

    page = client.get(wijkraad_url())
    submit = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "member"})

    assert (page.status_code, submit.status_code) == (403, 403)
    assert Invitation.objects.count() == 0


def test_wijkraad_invite_by_a_team_member_is_forbidden(
    client: Client, team_member: User, wijkraad: Any
) -> None:
    client.force_login(team_member)

    response = client.post(wijkraad_url(), {"email": "lid@example.org", "role": "member"})

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


def test_wijkraad_invite_of_an_unknown_wijkraad_is_not_found(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.get(wijkraad_url("bestaat-niet"))

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


# werkplek_create


def werkplek_create_url(slug: str = "noord") -> str:
    return reverse("areas:werkplek-create", kwargs={"slug": slug})


def werkplek_edit_url(werkplek: Werkplek, slug: str = "noord") -> str:
    return reverse("areas:werkplek-edit", kwargs={"slug": slug, "pk": werkplek.pk})


def werkplek_data(world: SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Buurthuis De Kameleon",
        "address": "Heikantstraat 1, Tilburg",
        "opening_hours": "Maandag 9:00–12:00",
        "wijk": world.heikant.pk,
        "longitude": "5.15",
        "latitude": "51.55",
        # The revision the edit form was opened at (a new werkplek's form has none).
        "revision": "0",
        **overrides,
    }


def test_werkplek_create_form_offers_only_the_wijken_of_the_gebied(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.get(werkplek_create_url())

    assert response.status_code == 200
    assert [wijk.name for wijk in response.context["form"].fields["wijk"].queryset] == [
        "Centrum",
        "Heikant",
    ]


def test_werkplek_create_saves_and_goes_back_to_the_team_page(
    client: Client, team_member: User, world: SimpleNamespace, gebiedsteam: Gebiedsteam
) -> None:
    client.force_login(team_member)

    response = client.post(werkplek_create_url(), werkplek_data(world))

    assert response.status_code == 302
    assert response["Location"] == f"{team_url()}#werkplekken"
    werkplek = Werkplek.objects.get(name="Buurthuis De Kameleon")
    assert (
        werkplek.gebiedsteam,
        werkplek.wijk,
        werkplek.address,
        werkplek.opening_hours,
        werkplek.longitude,
        werkplek.latitude,
    ) == (
        gebiedsteam,
        world.heikant,
        "Heikantstraat 1, Tilburg",
        "Maandag 9:00–12:00",
        5.15,
        51.55,
    )


def test_werkplek_create_without_location(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        werkplek_create_url(), werkplek_data(world, wijk="", longitude="", latitude="")
    )

    assert response.status_code == 302
    werkplek = Werkplek.objects.get(name="Buurthuis De Kameleon")
    assert (werkplek.wijk, werkplek.longitude, werkplek.latitude) == (None, None, None)


def test_werkplek_create_by_htmx_redirects_the_client(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(werkplek_create_url(), werkplek_data(world), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{team_url()}#werkplekken"
    assert Werkplek.objects.filter(name="Buurthuis De Kameleon").count() == 1


def test_werkplek_create_with_invalid_input_by_htmx_returns_the_form_fragment(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world, name=""), **HTMX)

    assert response.status_code == 200
    assert fragment_root(response).startswith('<form id="werkplek-form" method="post"')
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert Werkplek.objects.count() == before


def test_werkplek_create_refuses_a_location_outside_the_gebied(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    # Inside Reeshof, a wijk of another gebied.
    response = client.post(
        werkplek_create_url(), werkplek_data(world, wijk="", longitude="5.35", latitude="51.55")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "longitude": [
            "This location lies outside the wijken of gebied Noord. Choose a place inside "
            "the gebied, or leave the location empty."
        ]
    }
    assert Werkplek.objects.count() == before


def test_werkplek_create_refuses_a_location_in_another_wijk_than_chosen(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world, wijk=world.centrum.pk))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "wijk": [
            "The location lies in Heikant, not in Centrum. Choose Heikant, or move the location."
        ]
    }
    assert Werkplek.objects.count() == before


def test_werkplek_create_refuses_half_a_location(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world, latitude=""))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "latitude": ["Give both longitude and latitude, or leave both empty."]
    }
    assert Werkplek.objects.count() == before


def test_werkplek_create_refuses_coordinates_out_of_range(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world, latitude="95"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "longitude": ["Longitude lies between -180 and 180, latitude between -90 and 90."]
    }
    assert Werkplek.objects.count() == before


def test_werkplek_create_refuses_a_wijk_of_another_gebied(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(
        werkplek_create_url(),
        werkplek_data(world, wijk=world.reeshof.pk, longitude="", latitude=""),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "wijk": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Werkplek.objects.count() == before


@pytest.mark.parametrize("role", ["other_team_member", "resident"])
def test_werkplek_create_in_another_gebied_is_forbidden(
    client: Client, role: str, world: SimpleNamespace, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(role))
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world))

    assert response.status_code == 403
    assert Werkplek.objects.count() == before


def test_werkplek_create_in_an_unknown_gebied_is_not_found(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.get(werkplek_create_url("bestaat-niet"))

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


def test_werkplek_create_without_csrf_token_is_refused(
    team_member: User, world: SimpleNamespace
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    before = Werkplek.objects.count()

    response = client.post(werkplek_create_url(), werkplek_data(world))

    assert response.status_code == 403
    assert Werkplek.objects.count() == before


# werkplek_edit


def test_werkplek_edit_saves_the_changes(client: Client, world: SimpleNamespace) -> None:
    # Any member of the team edits werkplekken, not only the wijkregisseur.
    client.force_login(world.omgevingsmanager)

    response = client.post(
        werkplek_edit_url(world.werkplek),
        werkplek_data(
            world,
            name="Wijkcentrum Noord (nieuw)",
            wijk=world.centrum.pk,
            longitude="5.05",
            latitude="51.52",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{team_url()}#werkplekken"
    world.werkplek.refresh_from_db()
    assert (
        world.werkplek.name,
        world.werkplek.wijk,
        world.werkplek.longitude,
        world.werkplek.latitude,
    ) == ("Wijkcentrum Noord (nieuw)", world.centrum, 5.05, 51.52)


def test_werkplek_edit_form_shows_the_werkplek(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.get(werkplek_edit_url(world.werkplek))

    assert response.status_code == 200
    assert response.context["form"].instance == world.werkplek
    assert response.context["title"] == "Edit werkplek Wijkcentrum Noord"


def test_werkplek_edit_by_htmx_with_invalid_input_returns_the_form_fragment(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        werkplek_edit_url(world.werkplek), werkplek_data(world, address=""), **HTMX
    )

    assert response.status_code == 400
    assert fragment_root(response).startswith('<form id="werkplek-form" method="post"')
    assert response.context["form"].errors == {"address": ["This field is required."]}
    world.werkplek.refresh_from_db()
    assert world.werkplek.address == "Stadhuisplein 130, Tilburg"


def test_werkplek_edit_in_two_tabs_refuses_the_later_save_and_keeps_the_first(
    world: SimpleNamespace, team_member: User
) -> None:
    first, second = signed_in(team_member), signed_in(world.omgevingsmanager)
    # Both open the form at the same revision.
    opened = [revision_in(tab.get(werkplek_edit_url(world.werkplek))) for tab in (first, second)]
    assert opened == [0, 0]

    saved = first.post(
        werkplek_edit_url(world.werkplek),
        werkplek_data(world, name="Wijkcentrum Noord (nieuw)", longitude="", latitude=""),
    )
    refused = second.post(
        werkplek_edit_url(world.werkplek),
        werkplek_data(world, address="Elders 1", longitude="", latitude=""),
    )

    world.werkplek.refresh_from_db()
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert (world.werkplek.name, world.werkplek.address, world.werkplek.revision) == (
        "Wijkcentrum Noord (nieuw)",
        "Heikantstraat 1, Tilburg",
        1,
    )
    body = refused.content.decode()
    assert "Someone else saved this in the meantime" in body
    assert ("Name", "Wijkcentrum Noord (nieuw)") in refused.context["conflict"].current
    # The input is kept, now at the current revision: saving again is a knowing choice.
    assert refused.context["form"]["address"].value() == "Elders 1"
    assert revision_in(refused) == 1


def test_werkplek_edit_refused_by_htmx_answers_the_form_with_the_notice(
    world: SimpleNamespace, team_member: User
) -> None:
    client = signed_in(team_member)
    client.post(werkplek_edit_url(world.werkplek), werkplek_data(world, name="Eerst"))

    refused = client.post(
        werkplek_edit_url(world.werkplek), werkplek_data(world, name="Daarna"), **HTMX
    )

    world.werkplek.refresh_from_db()
    assert refused.status_code == 409
    assert fragment_root(refused).startswith('<form id="werkplek-form" method="post"')
    assert "Someone else saved this in the meantime" in refused.content.decode()
    assert world.werkplek.name == "Eerst"


def test_werkplek_edit_with_invalid_input_saves_nothing(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        werkplek_edit_url(world.werkplek), werkplek_data(world, name="", longitude="oost")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "longitude": ["Enter a number."],
    }
    world.werkplek.refresh_from_db()
    assert world.werkplek.name == "Wijkcentrum Noord"


def test_werkplek_edit_of_another_gebieds_werkplek_is_not_found(
    client: Client, team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(team_member)

    response = client.post(
        werkplek_edit_url(world.other_werkplek, slug="noord"), werkplek_data(world)
    )

    assert response.status_code == 404
    world.other_werkplek.refresh_from_db()
    assert world.other_werkplek.name == "Wijkcentrum Reeshof"


def test_werkplek_edit_by_a_member_of_another_team_is_forbidden(
    client: Client, other_team_member: User, world: SimpleNamespace
) -> None:
    client.force_login(other_team_member)

    response = client.post(werkplek_edit_url(world.werkplek), werkplek_data(world))

    assert response.status_code == 403
    world.werkplek.refresh_from_db()
    assert world.werkplek.name == "Wijkcentrum Noord"
