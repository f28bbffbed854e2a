"""The public pages of the wijkraden and dorpsraden (/wijkraden/ and /wijkraden/<slug>/), and
a member's own choice to be named there (on "My account")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from areas.models import CouncilMembership, Wijk, Wijkraad
from participation.models import Advice, Proposal
from tests.factories import (
    AdviceFactory,
    CouncilMembershipFactory,
    MeetingFactory,
    ProposalFactory,
    UserFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

URL = "/wijkraden/raad-quirijnstok/"


@pytest.fixture
def council(wijk: Wijk) -> Wijkraad:
    council = WijkraadFactory(
        name="Wijkraad Quirijnstok",
        slug="raad-quirijnstok",
        website="https://wijkraadquirijnstok.example.org",
        email="info@wijkraadquirijnstok.example.org",
    )
    council.wijken.set([wijk])
    return council


def member(council: Wijkraad, name: str, *, shown: bool, role: str = "member") -> CouncilMembership:
    return CouncilMembershipFactory(
        wijkraad=council, user=UserFactory(full_name=name), role=role, shown_publicly=shown
    )


def given(council: Wijkraad, proposal: Proposal, text: str, *, days_ago: int, **kwargs) -> Advice:
    return AdviceFactory(
        wijkraad=council,
        proposal=proposal,
        verdict=Advice.Verdict.POSITIVE,
        text=text,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        **kwargs,
    )


def test_the_list_names_every_council_with_its_kind_and_wijken(
    client: Client, council: Wijkraad, other_wijk: Wijk
) -> None:
    village = WijkraadFactory(
        name="Dorpsraad Udenhout", slug="dorpsraad-udenhout", kind="dorpsraad"
    )
    village.wijken.set([other_wijk])

    response = client.get("/wijkraden/")

    assert response.status_code == 200
    assert [(c.name, [w.name for w in c.wijken.all()]) for c in response.context["wijkraden"]] == [
        ("Dorpsraad Udenhout", ["Reeshof-Oost"]),
        ("Wijkraad Quirijnstok", ["Quirijnstok"]),
    ]
    html = response.content.decode()
    assert f'href="{URL}">Wijkraad Quirijnstok</a> <span class="muted">(wijkraad)</span>' in html
    assert 'href="/wijkraden/dorpsraad-udenhout/">Dorpsraad Udenhout</a>' in html
    assert "(dorpsraad)" in html


def test_the_page_shows_kind_wijken_website_and_email(client: Client, council: Wijkraad) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Wijkraad Quirijnstok</h1>' in html
    assert "<dd>Wijkraad</dd>" in html
    assert (
        '<a class="utrecht-link utrecht-link--html-a" href="/wijken/quirijnstok/">Quirijnstok</a>'
        in html
    )
    assert 'href="https://wijkraadquirijnstok.example.org"' in html
    assert 'href="mailto:info@wijkraadquirijnstok.example.org"' in html
    assert response.context["breadcrumbs"] == [
        ("Wijkraden and dorpsraden", "/wijkraden/"),
        ("Wijkraad Quirijnstok", None),
    ]


def test_an_unknown_council_is_a_404(client: Client) -> None:
    assert client.get("/wijkraden/bestaat-niet/").status_code == 404


def test_only_members_who_agreed_are_named(client: Client, council: Wijkraad) -> None:
    member(council, "Voorzitter Vera", shown=True, role="chair")
    member(council, "Lid Lars", shown=True)
    member(council, "Stille Sanne", shown=False)
    member(council, "", shown=True)  # agreed, but has no name to show
    CouncilMembershipFactory(
        wijkraad=WijkraadFactory(), user=UserFactory(full_name="Ander Anton"), shown_publicly=True
    )

    response = client.get(URL)

    assert [(m.user.full_name, m.role) for m in response.context["members"]] == [
        ("Voorzitter Vera", "chair"),
        ("Lid Lars", "member"),
    ]
    html = response.content.decode()
    assert '<li>Voorzitter Vera <span class="muted">(chair)</span></li>' in html
    assert "Stille Sanne" not in html
    assert "Ander Anton" not in html
    assert "@example.org" not in html.replace("info@wijkraadquirijnstok.example.org", "")


def test_advice_submitted_on_visible_proposals_newest_first_with_the_response(
    client: Client, council: Wijkraad, gebiedsteam, wijk: Wijk
) -> None:
    older = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld", slug="speelveld"
    )
    newer = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Bankjes", slug="bankjes")
    given(
        council, older, "Doe het.", days_ago=9, response="We doen het.", responded_at=timezone.now()
    )
    given(council, newer, "Graag ook bomen.", days_ago=2)
    AdviceFactory(
        wijkraad=council,
        proposal=ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Nog niet gegeven"),
    )
    given(
        WijkraadFactory(), ProposalFactory(title="Van een andere raad"), "Ander advies.", days_ago=1
    )

    response = client.get(URL)

    assert [(a.proposal.title, a.text, a.response) for a in response.context["page_obj"]] == [
        ("Bankjes", "Graag ook bomen.", ""),
        ("Speelveld", "Doe het.", "We doen het."),
    ]
    html = response.content.decode()
    assert 'href="/voorstellen/bankjes/">Bankjes</a>' in html
    assert "<p>We doen het.</p>" in html
    assert "No response yet." in html
    assert "Nog niet gegeven" not in html
    assert "Van een andere raad" not in html


def test_advice_on_a_council_only_proposal_is_not_shown_to_anonymous_visitors(
    client: Client, council: Wijkraad, gebiedsteam, wijk: Wijk
) -> None:
    secret = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Vertrouwelijk plan", council_only=True
    )
    given(council, secret, "Vertrouwelijk advies.", days_ago=1)
    insider = member(council, "Raadslid Ria", shown=False).user

    anonymous = client.get(URL)
    client.force_login(insider)
    signed_in = client.get(URL)

    assert list(anonymous.context["page_obj"]) == []
    assert "Vertrouwelijk" not in anonymous.content.decode()
    assert "This council has not given any advice yet." in anonymous.content.decode()
    assert [a.proposal.title for a in signed_in.context["page_obj"]] == ["Vertrouwelijk plan"]


def test_meetings_of_its_wijken_to_come_and_past_never_closed_ones_for_outsiders(
    client: Client, council: Wijkraad, gebiedsteam, wijk: Wijk, other_wijk: Wijk, team_member
) -> None:
    now = timezone.now()

    def meeting(title: str, days: int, *, wijken: list[Wijk], public: bool = True) -> None:
        MeetingFactory(
            gebiedsteam=gebiedsteam,
            title=title,
            public=public,
            starts_at=now + dt.timedelta(days=days),
            ends_at=now + dt.timedelta(days=days, hours=2),
        ).wijken.set(wijken)

    meeting("Later", 10, wijken=[wijk])
    meeting("Soon", 2, wijken=[wijk, other_wijk])
    meeting("Last week", -7, wijken=[wijk])
    meeting("Last month", -30, wijken=[wijk])
    meeting("Closed", 3, wijken=[wijk], public=False)
    meeting("Elsewhere", 4, wijken=[other_wijk])

    response = client.get(URL)
    client.force_login(team_member)
    team = client.get(URL)

    assert [m.title for m in response.context["upcoming_meetings"]] == ["Soon", "Later"]
    assert [m.title for m in response.context["ended_meetings"]] == ["Last week", "Last month"]
    assert "Closed" not in response.content.decode()
    assert [m.title for m in team.context["upcoming_meetings"]] == ["Soon", "Closed", "Later"]
    assert 'href="/wijken/quirijnstok/bijeenkomsten/"' in response.content.decode()


def test_the_advice_is_paginated_with_constant_queries(
    client: Client, council: Wijkraad, gebiedsteam, wijk: Wijk
) -> None:
    member(council, "Lid Lars", shown=True)
    MeetingFactory(gebiedsteam=gebiedsteam).wijken.set([wijk])

    def advices(start: int, end: int) -> None:
        for number in range(start, end):
            given(
                council,
                ProposalFactory(
                    gebiedsteam=gebiedsteam, wijken=[wijk], title=f"Voorstel {number:02}"
                ),
                f"Advies {number:02}",
                days_ago=number + 1,
            )

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        return len(queries), len(response.context["page_obj"])

    advices(0, 2)
    few = count()
    advices(2, 30)
    many = count()
    last_page = client.get(URL + "?page=2")

    assert few == (few[0], 2)
    assert many == (few[0], 20)
    assert [a.text for a in last_page.context["page_obj"]][:2] == ["Advies 20", "Advies 21"]
    assert len(last_page.context["page_obj"]) == 10


def test_the_wijk_page_and_the_proposal_page_link_to_the_council(
    client: Client, council: Wijkraad, gebiedsteam, wijk: Wijk
) -> None:
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="speelveld")
    AdviceFactory(wijkraad=council, proposal=proposal)
    link = f'<a class="utrecht-link utrecht-link--html-a" href="{URL}">Wijkraad Quirijnstok</a>'

    assert link in client.get("/wijken/quirijnstok/").content.decode()
    assert link in client.get("/voorstellen/speelveld/").content.decode()


def test_a_member_agrees_on_my_account_and_shows_on_the_next_request(
    client: Client, council: Wijkraad
) -> None:
    anonymous = Client()
    membership = member(council, "Raadslid Ria", shown=False)
    other = CouncilMembershipFactory(
        user=membership.user, wijkraad=WijkraadFactory(name="Wijkraad Heikant"), shown_publicly=True
    )
    before = anonymous.get(URL).content.decode()
    client.force_login(membership.user)
    page = client.get("/account/mijn-account/")
    assert page.context["council_form"].initial == {"shown": [other.pk]}

    response = client.post(
        "/account/mijn-account/",
        {"display_name": "Raadslid Ria", "wijk": "", "shown": [str(membership.pk)]},
    )

    assert (response.status_code, response["Location"]) == (302, "/account/mijn-account/")
    assert dict(CouncilMembership.objects.values_list("pk", "shown_publicly")) == {
        membership.pk: True,
        other.pk: False,
    }
    assert "Raadslid Ria" not in before
    assert (
        '<li>Raadslid Ria <span class="muted">(member)</span></li>'
        in anonymous.get(URL).content.decode()
    )


def test_someone_elses_membership_is_refused_and_nothing_is_saved(
    client: Client, council: Wijkraad
) -> None:
    own = member(council, "Raadslid Ria", shown=False)
    foreign = member(council, "Lid Lars", shown=False)
    client.force_login(own.user)

    response = client.post(
        "/account/mijn-account/",
        {"display_name": "Ria R.", "wijk": "", "shown": [str(own.pk), str(foreign.pk)]},
    )

    assert response.status_code == 400
    assert list(response.context["council_form"].errors) == ["shown"]
    assert list(CouncilMembership.objects.filter(shown_publicly=True)) == []
    own.user.refresh_from_db()
    assert own.user.full_name == "Raadslid Ria"


def test_my_account_asks_nothing_of_someone_in_no_council(client: Client) -> None:
    client.force_login(UserFactory(is_resident=True))

    response = client.get("/account/mijn-account/")

    assert response.context["council_form"] is None
    assert 'id="council-visibility"' not in response.content.decode()


def test_the_list_of_wijken_links_to_the_list_of_councils(client: Client) -> None:
    html = client.get("/wijken/").content.decode()

    assert '<a class="utrecht-link utrecht-link--html-a" href="/wijkraden/">' in html
