"""Meetings link the residents' initiatives they discuss (issue 15, item 4).

The team links them in the meeting form: those of its own gebied that are public or awaiting
its answer, never another gebied's. The meeting's page lists the linked initiatives the
reader may see, the initiative's page the meetings the reader may see.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from agendas.models import ChangeRecord
from meetings.models import Meeting
from meetings.services import update_meeting
from participation.models import Initiative
from tests.factories import InitiativeFactory, MeetingFactory
from tests.helpers import count_queries, errors_of, revision_in, signed_in, texts_of
from tests.meetings.test_views import meeting_data

pytestmark = [pytest.mark.django_db, pytest.mark.english]

REFUSED = (
    "Only initiatives for the wijken of this gebied that are public or await an answer can be "
    "linked."
)


def public_initiative(wijk, title: str, status: str = "conversation") -> Initiative:
    return InitiativeFactory(wijk=wijk, title=title, status=status, published_at=timezone.now())


def offered(response) -> list[int]:
    """The initiatives the form offers, by primary key, in the order shown."""
    return [
        int(pk)
        for pk in re.findall(
            r'<input type="checkbox" name="initiatives" value="(\d+)"', response.content.decode()
        )
    ]


@pytest.fixture
def initiatives(wijk, other_wijk):
    """Every kind of initiative a meeting of the gebied might want to link."""
    return {
        "conversation": public_initiative(wijk, "Moestuin"),
        "received": InitiativeFactory(wijk=wijk, title="Jeu de boules"),
        "refused later": InitiativeFactory(
            wijk=wijk,
            title="Bankjes",
            status="not_supported",
            reason="Geen plek.",
            published_at=timezone.now(),
        ),
        "refused at once": InitiativeFactory(
            wijk=wijk, title="Parkeervak", status="not_supported", reason="Eén huishouden."
        ),
        "other gebied": public_initiative(other_wijk, "Buurtfeest Reeshof"),
    }


def test_meeting_form_offers_the_gebieds_public_and_waiting_initiatives(
    team_member, gebiedsteam, initiatives
):
    response = signed_in(team_member).get(f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/")

    assert response.status_code == 200
    assert offered(response) == [
        initiatives["refused later"].pk,
        initiatives["received"].pk,
        initiatives["conversation"].pk,
    ]
    content = response.content.decode()
    assert re.search(r"<legend[^>]*>Initiatives discussed:</legend>", content)
    assert "Moestuin (Quirijnstok, in conversation)" in content


def test_meeting_create_links_the_initiatives_chosen(team_member, gebiedsteam, initiatives):
    chosen = [initiatives["conversation"], initiatives["received"]]

    response = signed_in(team_member).post(
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/",
        meeting_data(initiatives=[str(i.pk) for i in chosen]),
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert sorted(meeting.initiatives.values_list("title", flat=True)) == [
        "Jeu de boules",
        "Moestuin",
    ]
    assert sorted(initiatives["conversation"].meetings.values_list("pk", flat=True)) == [meeting.pk]


@pytest.mark.parametrize("kind", ["other gebied", "refused at once"])
def test_meeting_create_refuses_an_initiative_it_may_not_link(
    team_member, gebiedsteam, initiatives, kind
):
    response = signed_in(team_member).post(
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/",
        meeting_data(initiatives=[str(initiatives["conversation"].pk), str(initiatives[kind].pk)]),
    )

    assert response.status_code == 400
    assert errors_of(response) == [REFUSED]
    assert (Meeting.objects.count(), ChangeRecord.objects.count()) == (0, 0)
    assert Meeting.initiatives.through.objects.count() == 0


def test_meeting_edit_refuses_another_gebieds_initiative_and_saves_nothing(
    team_member, gebiedsteam, initiatives
):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Inloop", kind="inloop")
    meeting.initiatives.set([initiatives["received"]])
    client = signed_in(team_member)
    revision = revision_in(client.get(f"/bijeenkomsten/{meeting.pk}/bewerken/"))

    response = client.post(
        f"/bijeenkomsten/{meeting.pk}/bewerken/",
        meeting_data(
            title="Inloop met buurtfeest",
            initiatives=[str(initiatives["other gebied"].pk)],
            revision=revision,
        ),
    )

    meeting.refresh_from_db()
    assert response.status_code == 400
    assert errors_of(response) == [REFUSED]
    assert (meeting.title, meeting.revision) == ("Inloop", 0)
    assert list(meeting.initiatives.all()) == [initiatives["received"]]


def test_meeting_edit_changes_the_links_and_keeps_one_made_earlier(
    team_member, gebiedsteam, initiatives
):
    """An initiative turned down before it was public is no new choice, but a link made
    earlier stays one: saving the form does not drop it unasked."""
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Inloop", kind="inloop")
    meeting.initiatives.set([initiatives["refused at once"], initiatives["received"]])
    client = signed_in(team_member)
    page = client.get(f"/bijeenkomsten/{meeting.pk}/bewerken/")
    kept = [initiatives["refused at once"], initiatives["conversation"]]

    response = client.post(
        f"/bijeenkomsten/{meeting.pk}/bewerken/",
        meeting_data(
            title="Inloop",
            kind="inloop",
            initiatives=[str(i.pk) for i in kept],
            revision=revision_in(page),
        ),
    )

    assert initiatives["refused at once"].pk in offered(page)
    assert response.status_code == 302
    assert sorted(meeting.initiatives.values_list("title", flat=True)) == [
        "Moestuin",
        "Parkeervak",
    ]


def test_meeting_page_lists_only_the_initiatives_the_reader_may_see(
    gebiedsteam, wijk, team_member, resident, initiatives
):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog")
    mine = InitiativeFactory(wijk=wijk, title="Mijn plan", submitted_by=resident)
    meeting.initiatives.set([initiatives["conversation"], initiatives["received"], mine])
    url = f"/bijeenkomsten/{meeting.pk}/"

    def titles(client: Client) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        return [text.split(" (")[0] for text in texts_of(response, "utrecht-heading-3")]

    assert titles(Client()) == ["Moestuin"]
    assert titles(signed_in(resident)) == ["Mijn plan", "Moestuin"]
    assert titles(signed_in(team_member)) == ["Mijn plan", "Jeu de boules", "Moestuin"]
    card = texts_of(Client().get(url), "initiative-card")
    assert card[0].startswith("Moestuin In conversation Submitted on ")
    assert card[0].endswith(" · Quirijnstok")
    assert (
        f'href="/initiatieven/{initiatives["conversation"].pk}/"'
        in Client().get(url).content.decode()
    )


def test_initiative_page_lists_only_the_meetings_the_reader_may_see(
    gebiedsteam, wijk, team_member, resident, other_team_member
):
    initiative = public_initiative(wijk, "Moestuin")
    opened = MeetingFactory(gebiedsteam=gebiedsteam, title="Open wijkdialoog", kind="wijkdialoog")
    closed = MeetingFactory(gebiedsteam=gebiedsteam, title="Teamoverleg", public=False)
    unlinked = MeetingFactory(gebiedsteam=gebiedsteam, title="Andere inloop")
    initiative.meetings.set([opened, closed])
    url = f"/initiatieven/{initiative.pk}/"

    def meetings(client: Client) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        listed = re.search(
            r'<ul id="initiative-meetings">(.*?)</ul>', response.content.decode(), re.S
        )
        assert listed is not None
        return re.findall(r'href="/bijeenkomsten/\d+/">([^<]+)</a>', listed.group(1))

    assert meetings(Client()) == ["Open wijkdialoog"]
    assert meetings(signed_in(resident)) == ["Open wijkdialoog"]
    assert meetings(signed_in(other_team_member)) == ["Open wijkdialoog"]
    assert meetings(signed_in(team_member)) == ["Open wijkdialoog", "Teamoverleg"]
    page = Client().get(url).content.decode()
    assert f'href="/bijeenkomsten/{opened.pk}/"' in page
    assert "Teamoverleg" not in page
    assert unlinked.title not in page


def test_initiative_page_without_meetings_has_no_meetings_section(wijk):
    initiative = public_initiative(wijk, "Moestuin")

    page = Client().get(f"/initiatieven/{initiative.pk}/").content.decode()

    assert 'id="initiative-meetings"' not in page
    assert "Discussed at meetings" not in page


def test_a_new_link_shows_to_an_anonymous_visitor_on_the_next_request(
    gebiedsteam, wijk, team_member
):
    initiative = public_initiative(wijk, "Moestuin")
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Open wijkdialoog")
    anonymous = Client()
    url = f"/initiatieven/{initiative.pk}/"
    before = anonymous.get(url).content.decode()
    assert anonymous.get(url).content.decode() == before  # answered from the page cache

    update_meeting(
        meeting=meeting,
        values={},
        wijken=[wijk],
        initiatives=[initiative],
        expected_revision=meeting.revision,
        by=team_member,
    )

    assert "Open wijkdialoog" not in before
    assert "Open wijkdialoog" in anonymous.get(url).content.decode()


def test_meeting_page_query_count_does_not_grow_with_its_initiatives(gebiedsteam, wijk):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, longitude=None, latitude=None)
    meeting.initiatives.set([public_initiative(wijk, "Eerste")])
    url = f"/bijeenkomsten/{meeting.pk}/"
    one = count_queries(Client(), url)
    meeting.initiatives.add(*(public_initiative(wijk, f"Initiatief {n}") for n in range(19)))
    twenty = count_queries(Client(), url)

    assert len(texts_of(Client().get(url), "initiative-card")) == 20
    assert one == twenty


def test_initiative_page_query_count_does_not_grow_with_its_meetings(gebiedsteam, wijk):
    initiative = public_initiative(wijk, "Moestuin")
    initiative.meetings.set([MeetingFactory(gebiedsteam=gebiedsteam)])
    url = f"/initiatieven/{initiative.pk}/"
    one = count_queries(Client(), url)
    initiative.meetings.add(*MeetingFactory.create_batch(9, gebiedsteam=gebiedsteam))
    ten = count_queries(Client(), url)

    assert Client().get(url).content.decode().count('href="/bijeenkomsten/') == 10
    assert one == ten
