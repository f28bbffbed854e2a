from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from pacts.models import OrganisationMembership, PartnerOrganisation
from tests.factories import (
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    UserFactory,
)
from tests.helpers import errors_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]

HTMX = {"HTTP_HX_REQUEST": "true"}
INVITE_LINK = re.compile(r"http://testserver(?P<path>/account/uitnodiging/[\w-]+/)")
PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    tiwos = PartnerOrganisationFactory(name="Tiwos", slug="tiwos")
    breburg = PartnerOrganisationFactory(name="WonenBreburg", slug="wonenbreburg")
    administrator = UserFactory(email="anna@tiwos.nl", full_name="Anna Admin")
    colleague = UserFactory(email="cor@tiwos.nl", full_name="Cor Collega")
    other_administrator = UserFactory(email="otto@breburg.nl", full_name="Otto Ander")
    outsider = UserFactory(email="bram@breburg.nl", full_name="Bram Breburg")
    return SimpleNamespace(
        tiwos=tiwos,
        breburg=breburg,
        administrator=administrator,
        colleague=colleague,
        other_administrator=other_administrator,
        admin_membership=OrganisationMembershipFactory(
            user=administrator,
            organisation=tiwos,
            job_title="Teamleider",
            is_staff_administrator=True,
        ),
        colleague_membership=OrganisationMembershipFactory(
            user=colleague, organisation=tiwos, job_title="Wijkconsulent"
        ),
        other_admin_membership=OrganisationMembershipFactory(
            user=other_administrator, organisation=breburg, is_staff_administrator=True
        ),
        outsider_membership=OrganisationMembershipFactory(user=outsider, organisation=breburg),
    )


def staff_url(slug: str = "tiwos") -> str:
    return reverse("pacts:organisation-staff", kwargs={"slug": slug})


def invite_url(slug: str = "tiwos") -> str:
    return reverse("pacts:organisation-staff-invite", kwargs={"slug": slug})


def revoke_url(pk: int, slug: str = "tiwos") -> str:
    return reverse("pacts:organisation-staff-revoke", kwargs={"slug": slug, "pk": pk})


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


def fragment_root(response: Any) -> str:
    match = re.match(r"\s*(<[^>]+>)", response.content.decode())
    assert match is not None
    return match[1]


def memberships() -> list[tuple[str, str, str, bool]]:
    return list(
        OrganisationMembership.objects.order_by("organisation__name", "user__email").values_list(
            "organisation__slug", "user__email", "job_title", "is_staff_administrator"
        )
    )


BEFORE = [
    ("tiwos", "anna@tiwos.nl", "Teamleider", True),
    ("tiwos", "cor@tiwos.nl", "Wijkconsulent", False),
    ("wonenbreburg", "bram@breburg.nl", "", False),
    ("wonenbreburg", "otto@breburg.nl", "", True),
]


def user_for(role: str, world: SimpleNamespace, request: pytest.FixtureRequest) -> User:
    if role == "superuser":
        return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    if hasattr(world, role):
        return getattr(world, role)
    return request.getfixturevalue(role)


# organisation_staff


def test_organisation_staff_lists_staff_invitations_and_the_invite_form(
    client: Client, world: SimpleNamespace
) -> None:
    Invitation.issue(
        email="nieuw@tiwos.nl",
        invited_by=world.administrator,
        purpose={"kind": "organisation", "organisation": world.tiwos.pk, "administrator": False},
    )
    Invitation.issue(
        email="elders@breburg.nl",
        invited_by=world.other_administrator,
        purpose={"kind": "organisation", "organisation": world.breburg.pk, "administrator": False},
    )
    client.force_login(world.administrator)

    response = client.get(staff_url())

    assert response.status_code == 200
    assert table_rows(response, "staff") == [
        ["Anna Admin", "anna@tiwos.nl", "Teamleider", "Staff administrator", "Revoke Anna Admin"],
        ["Cor Collega", "cor@tiwos.nl", "Wijkconsulent", "", "Revoke Cor Collega"],
    ]
    assert [row[:2] for row in table_rows(response, "pending-invitations")] == [
        ["nieuw@tiwos.nl", "Staff member"]
    ]
    assert list(response.context["form"].fields) == ["email", "job_title", "administrator"]
    assert response.context["breadcrumbs"] == [
        ("Partner organisations", "/organisaties/"),
        ("Tiwos", "/organisaties/tiwos/"),
        ("Staff", None),
    ]


def test_organisation_staff_for_the_functional_administrator(
    client: Client, world: SimpleNamespace, staff: User
) -> None:
    client.force_login(staff)

    response = client.get(staff_url("wonenbreburg"))

    assert response.status_code == 200
    assert [row[:4] for row in table_rows(response, "staff")] == [
        ["Bram Breburg", "bram@breburg.nl", "", ""],
        ["Otto Ander", "otto@breburg.nl", "", "Staff administrator"],
    ]


FORBIDDEN = ["resident", "team_member", "colleague", "other_administrator", "superuser"]


@pytest.mark.parametrize("role", FORBIDDEN)
def test_organisation_staff_is_forbidden_without_the_permission(
    client: Client, world: SimpleNamespace, role: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(user_for(role, world, request))

    page = client.get(staff_url())
    invite = client.post(invite_url(), {"email": "nieuw@tiwos.nl", "administrator": "on"})
    confirm = client.get(revoke_url(world.admin_membership.pk))
    revoke = client.post(revoke_url(world.admin_membership.pk))

    assert [page.status_code, invite.status_code, confirm.status_code, revoke.status_code] == [
        403,
        403,
        403,
        403,
    ]
    assert "cor@tiwos.nl" not in page.content.decode()
    assert Invitation.objects.count() == 0
    assert memberships() == BEFORE


def test_organisation_staff_asks_anonymous_visitors_to_sign_in(
    client: Client, world: SimpleNamespace
) -> None:
    urls = [staff_url(), invite_url(), revoke_url(world.colleague_membership.pk)]

    responses = [client.get(urls[0]), client.post(urls[1]), client.post(urls[2])]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, f"/account/inloggen/?next={url}") for url in urls
    ]
    assert memberships() == BEFORE


def test_organisation_staff_of_an_unknown_organisation_is_not_found(
    client: Client, world: SimpleNamespace, staff: User
) -> None:
    client.force_login(staff)

    response = client.get(staff_url("bestaat-niet"))

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


def test_organisation_staff_with_a_bad_page_number_shows_the_first_page(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.get(staff_url(), {"page": "zeven"})

    assert response.status_code == 200
    assert [m.user.email for m in response.context["memberships"]] == [
        "anna@tiwos.nl",
        "cor@tiwos.nl",
    ]


# organisation_staff_invite


def test_organisation_staff_invite_sends_the_invitation_and_accepting_makes_staff(
    client: Client,
    world: SimpleNamespace,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(world.administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(), {"email": " Nina@Tiwos.nl ", "job_title": " Wijkbeheerder "}
        )

    assert response.status_code == 302
    assert response["Location"] == staff_url()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by, invitation.purpose) == (
        "nina@tiwos.nl",
        world.administrator,
        {
            "kind": "organisation",
            "organisation": world.tiwos.pk,
            "job_title": "Wijkbeheerder",
            "administrator": False,
        },
    )
    assert [message.to for message in mailoutbox] == [["nina@tiwos.nl"]]
    assert "join the staff of Tiwos" in mailoutbox[0].body
    page = client.get(staff_url())
    assert [str(m) for m in page.context["messages"]] == [
        "We have sent an invitation to nina@tiwos.nl."
    ]

    match = INVITE_LINK.search(mailoutbox[0].body)
    assert match is not None
    invitee = Client()
    accepted = invitee.post(
        match["path"], {"full_name": "Nina", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert accepted.status_code == 302
    assert memberships() == [
        ("tiwos", "anna@tiwos.nl", "Teamleider", True),
        ("tiwos", "cor@tiwos.nl", "Wijkconsulent", False),
        ("tiwos", "nina@tiwos.nl", "Wijkbeheerder", False),
        *BEFORE[2:],
    ]
    nina = User.objects.get(email="nina@tiwos.nl")
    assert (nina.is_staff, nina.is_functional_admin) == (False, False)


def test_organisation_staff_invite_of_an_administrator_by_the_functional_administrator(
    client: Client,
    world: SimpleNamespace,
    staff: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url("wonenbreburg"), {"email": "cor@tiwos.nl", "administrator": "on"})
    match = INVITE_LINK.search(mailoutbox[0].body)
    assert match is not None
    accepted = Client().post(
        match["path"], {"full_name": "Cor", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert accepted.status_code == 302

    assert ("wonenbreburg", "cor@tiwos.nl", "", True) in memberships()
    assert "join the staff of WonenBreburg as staff administrator" in mailoutbox[0].body


def test_organisation_staff_invite_by_htmx_returns_the_invitations_fragment(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.post(invite_url(), {"email": "nina@tiwos.nl", "administrator": "on"}, **HTMX)

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="staff-invitations" aria-labelledby="invitations-heading">'
    )
    assert "<html" not in response.content.decode()
    assert [row[:2] for row in table_rows(response, "pending-invitations")] == [
        ["nina@tiwos.nl", "Staff administrator"]
    ]
    assert response.context["form"].is_bound is False
    assert response["Vary"] == "HX-Request, Cookie"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"email": "geen-adres"}, {"email": ["Enter a valid email address."]}),
        ({"email": ""}, {"email": ["This field is required."]}),
        (
            {"email": "nina@tiwos.nl", "job_title": "x" * 101},
            {"job_title": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
        (
            {"email": "COR@tiwos.nl"},
            {"email": ["This person is already on the staff of this organisation."]},
        ),
    ],
)
def test_organisation_staff_invite_with_bad_input_is_refused_and_saves_nothing(
    client: Client, world: SimpleNamespace, data: dict[str, str], errors: dict[str, list[str]]
) -> None:
    client.force_login(world.administrator)

    response = client.post(invite_url(), data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert response.templates[0].name == "pacts/organisation_staff.html"
    assert Invitation.objects.count() == 0


def test_organisation_staff_invite_refuses_a_second_pending_invitation(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)
    client.post(invite_url(), {"email": "nina@tiwos.nl"})

    response = client.post(invite_url(), {"email": "nina@tiwos.nl", "administrator": "on"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["This person has already been invited and has not answered yet."]
    }
    assert Invitation.objects.count() == 1


def test_organisation_staff_invite_with_invalid_input_by_htmx_returns_the_fragment(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.post(invite_url(), {"email": ""}, **HTMX)

    assert response.status_code == 200
    assert fragment_root(response) == (
        '<section id="staff-invitations" aria-labelledby="invitations-heading">'
    )
    assert errors_of(response) == ["This field is required."]
    assert Invitation.objects.count() == 0


def test_organisation_staff_invite_by_get_is_not_allowed(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.get(invite_url())

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_organisation_staff_invite_without_csrf_token_is_refused(world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.administrator)

    response = client.post(invite_url(), {"email": "nina@tiwos.nl"})

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


# organisation_staff_revoke


def test_organisation_staff_revoke_asks_for_confirmation(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.get(revoke_url(world.colleague_membership.pk))

    assert response.status_code == 200
    assert response.context["membership"] == world.colleague_membership
    assert response.context["refusal"] == ""
    assert response.context["title"] == "Revoke Cor Collega as staff of Tiwos?"
    assert memberships() == BEFORE


def test_organisation_staff_revoke_removes_the_membership_and_goes_back(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.post(revoke_url(world.colleague_membership.pk))

    assert response.status_code == 302
    assert response["Location"] == staff_url()
    assert memberships() == [BEFORE[0], *BEFORE[2:]]
    assert User.objects.filter(email="cor@tiwos.nl").exists()
    page = client.get(staff_url())
    assert [str(m) for m in page.context["messages"]] == [
        "Cor Collega is no longer staff of Tiwos."
    ]


def test_organisation_staff_revoke_by_htmx_redirects_the_client(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    response = client.post(revoke_url(world.colleague_membership.pk), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == staff_url()
    assert memberships() == [BEFORE[0], *BEFORE[2:]]


def test_organisation_staff_revoke_of_the_last_administrator_is_refused(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    confirm = client.get(revoke_url(world.admin_membership.pk))
    response = client.post(revoke_url(world.admin_membership.pk))

    refusal = (
        "Anna Admin is the last staff administrator of Tiwos. Make someone else staff "
        "administrator first, or ask the functional administrator."
    )
    assert (confirm.status_code, confirm.context["refusal"]) == (200, refusal)
    assert 'id="revoke-form"' not in confirm.content.decode()
    assert response.status_code == 400
    assert response.context["refusal"] == refusal
    assert memberships() == BEFORE


def test_organisation_staff_revoke_of_oneself_beside_another_administrator(
    client: Client, world: SimpleNamespace
) -> None:
    world.colleague_membership.is_staff_administrator = True
    world.colleague_membership.save()
    client.force_login(world.administrator)

    response = client.post(revoke_url(world.admin_membership.pk))

    assert response.status_code == 302
    assert response["Location"] == "/organisaties/tiwos/"
    assert [m[1] for m in memberships()] == ["cor@tiwos.nl", "bram@breburg.nl", "otto@breburg.nl"]
    assert client.get(staff_url()).status_code == 403


def test_organisation_staff_revoke_of_the_last_administrator_by_the_functional_administrator(
    client: Client, world: SimpleNamespace, staff: User
) -> None:
    client.force_login(staff)

    response = client.post(revoke_url(world.admin_membership.pk))

    assert response.status_code == 302
    assert memberships() == BEFORE[1:]


def test_organisation_staff_revoke_of_another_organisations_membership_is_not_found(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.administrator)

    confirm = client.get(revoke_url(world.outsider_membership.pk))
    response = client.post(revoke_url(world.outsider_membership.pk))
    unknown = client.post(revoke_url(999999))

    assert [confirm.status_code, response.status_code, unknown.status_code] == [404, 404, 404]
    assert memberships() == BEFORE


def test_organisation_staff_revoke_without_csrf_token_is_refused(world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.administrator)

    response = client.post(revoke_url(world.colleague_membership.pk))

    assert response.status_code == 403
    assert memberships() == BEFORE


def test_organisation_staff_pages_have_their_routes() -> None:
    assert [staff_url(), invite_url(), revoke_url(7)] == [
        "/organisaties/tiwos/medewerkers/",
        "/organisaties/tiwos/medewerkers/uitnodigen/",
        "/organisaties/tiwos/medewerkers/7/intrekken/",
    ]


def test_organisation_of_the_staff_page_stays_public(world: SimpleNamespace) -> None:
    assert PartnerOrganisation.objects.visible_to(UserFactory()).count() == 2
