"""Following a wijk, a wijkagenda or a proposal (accounts.follows, portal.views.follows)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.follows import follow, is_following, unfollow
from accounts.models import Follow, User
from tests.factories import (
    CouncilMembershipFactory,
    FollowFactory,
    ProposalFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

FOLLOW_URL = "/volgen/"
UNFOLLOW_URL = "/volgen/stoppen/"


@pytest.fixture
def client(resident: User) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def followed_by(user: User) -> list[tuple[str, int]]:
    return sorted((f.content_type.model, f.object_id) for f in Follow.objects.filter(user=user))


def test_follow_service_is_idempotent_and_unfollow_says_whether_it_followed(resident):
    wijk = WijkFactory()

    follow(user=resident, subject=wijk)
    follow(user=resident, subject=wijk)

    assert followed_by(resident) == [("wijk", wijk.pk)]
    assert is_following(resident, wijk) is True
    assert unfollow(user=resident, subject=wijk) is True
    assert unfollow(user=resident, subject=wijk) is False
    assert followed_by(resident) == []


@pytest.mark.parametrize("kind", ["wijk", "wijkagenda", "proposal"])
def test_follow_each_kind_redirects_back_to_the_page(client, resident, kind):
    subject = {"wijk": WijkFactory, "wijkagenda": WijkagendaFactory, "proposal": ProposalFactory}[
        kind
    ]()
    page = subject.get_absolute_url()

    response = client.post(FOLLOW_URL, {"type": kind, "id": subject.pk, "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    assert followed_by(resident) == [(kind, subject.pk)]


def test_unfollow_removes_only_that_follow(client, resident):
    wijk, other = WijkFactory(), WijkFactory()
    FollowFactory(user=resident, subject=wijk)
    FollowFactory(user=resident, subject=other)

    response = client.post(UNFOLLOW_URL, {"type": "wijk", "id": wijk.pk})

    assert response.status_code == 302
    assert response["Location"] == wijk.get_absolute_url()
    assert followed_by(resident) == [("wijk", other.pk)]


def test_follow_to_another_host_returns_to_the_subject_instead(client):
    wijk = WijkFactory()

    response = client.post(
        FOLLOW_URL, {"type": "wijk", "id": wijk.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == wijk.get_absolute_url()


def test_follow_a_council_only_proposal_of_someone_elses_council_is_404(client, resident):
    wijk = WijkFactory()
    proposal = ProposalFactory(council_only=True, wijken=[wijk])
    member = UserFactory()
    wijkraad = WijkraadFactory()
    wijkraad.wijken.set([wijk])
    CouncilMembershipFactory(user=member, wijkraad=wijkraad)

    response = client.post(FOLLOW_URL, {"type": "proposal", "id": proposal.pk})

    assert response.status_code == 404
    assert Follow.objects.count() == 0
    # The council member may follow it.
    member_client = Client()
    member_client.force_login(member)
    assert (
        member_client.post(FOLLOW_URL, {"type": "proposal", "id": proposal.pk}).status_code == 302
    )
    assert followed_by(member) == [("proposal", proposal.pk)]


def test_follow_a_draft_agenda_of_another_team_is_404(client):
    agenda = WijkagendaFactory(status="draft", published_at=None)

    response = client.post(FOLLOW_URL, {"type": "wijkagenda", "id": agenda.pk})

    assert response.status_code == 404
    assert Follow.objects.count() == 0


def test_follow_anonymous_is_sent_to_sign_in(db):
    wijk = WijkFactory()

    response = Client().post(FOLLOW_URL, {"type": "wijk", "id": wijk.pk})

    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/volgen/"
    assert Follow.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"type": "user", "id": "1"},
        {"type": "wijk", "id": "abc"},
        {"type": "wijk"},
        {"type": "", "id": "1"},
    ],
)
def test_follow_with_an_unknown_type_or_bad_id_is_400(client, data):
    WijkFactory()

    response = client.post(FOLLOW_URL, data)

    assert response.status_code == 400
    assert Follow.objects.count() == 0


def test_follow_get_is_405(client):
    assert client.get(FOLLOW_URL).status_code == 405


def test_follow_htmx_returns_the_swapped_button(client, resident):
    wijk = WijkFactory()
    page = wijk.get_absolute_url()

    response = client.post(
        FOLLOW_URL, {"type": "wijk", "id": wijk.pk, "next": page}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "includes/_follow_button.html"
    assert response.context["follow"] == {
        "type": "wijk",
        "id": wijk.pk,
        "following": True,
        "next": page,
    }
    assert f'id="follow-wijk-{wijk.pk}"' in response.text
    assert 'action="/volgen/stoppen/"' in response.text
    assert ">Stop following</button>" in response.text
    assert response["Vary"] == "HX-Request, Cookie"

    response = client.post(
        UNFOLLOW_URL, {"type": "wijk", "id": wijk.pk, "next": page}, headers={"HX-Request": "true"}
    )

    assert response.context["follow"]["following"] is False
    assert 'action="/volgen/"' in response.text
    assert ">Follow</button>" in response.text
    assert followed_by(resident) == []


@pytest.mark.parametrize("kind", ["wijk", "wijkagenda", "proposal"])
def test_pages_show_the_follow_button(client, resident, kind):
    subject = {"wijk": WijkFactory, "wijkagenda": WijkagendaFactory, "proposal": ProposalFactory}[
        kind
    ]()
    FollowFactory(user=resident, subject=subject)

    response = client.get(subject.get_absolute_url())

    assert response.status_code == 200
    assert response.context["follow"] == {
        "type": kind,
        "id": subject.pk,
        "following": True,
        "next": subject.get_absolute_url(),
    }
    assert response.text.count(f'id="follow-{kind}-{subject.pk}"') == 1
    assert ">Stop following</button>" in response.text


def test_pages_offer_anonymous_users_a_sign_in_link(db):
    wijk = WijkFactory()

    response = Client().get(wijk.get_absolute_url())

    assert response.context["follow"]["following"] is False
    assert (
        f'href="/account/inloggen/?next=/wijken/{wijk.slug}/">Sign in to follow</a>'
        in response.text
    )
    assert ">Follow</button>" not in response.text
