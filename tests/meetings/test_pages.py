from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from meetings.services import update_meeting
from participation.models import Proposal
from tests.factories import MeetingFactory, ProposalFactory
from tests.helpers import count_queries, signed_in, texts_of

pytestmark = [pytest.mark.django_db]
english = pytest.mark.english

TZ = dt.timezone(dt.timedelta(hours=1))  # Europe/Amsterdam in winter


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def meeting(gebiedsteam, wijk):
    meeting = MeetingFactory(
        gebiedsteam=gebiedsteam,
        title="Wijkdialoog Quirijnstok",
        kind="wijkdialoog",
        starts_at=at(10, 19),
        ends_at=at(10, 21),
        location_name="Wijkcentrum De Ypelaer",
        address="Ypelaerstraat 1, Tilburg",
        longitude=5.05,
        latitude=51.55,
        description="We praten over **groen** in de wijk.",
        minutes="Besloten: <script>alert(1)</script>meer *bomen*.",
    )
    meeting.wijken.set([wijk])
    return meeting


@english
def test_meeting_page_shows_when_where_description_and_minutes(meeting):
    response = Client().get(f"/bijeenkomsten/{meeting.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert response.cookies == {}
    assert texts_of(response, "utrecht-heading-1") == ["Wijkdialoog Quirijnstok"]
    assert texts_of(response, "facts") == [
        "When Tuesday 10 March 2026, 19:00–21:00 "
        "Where Wijkcentrum De Ypelaer, Ypelaerstraat 1, Tilburg "
        "Location In wijk Quirijnstok · latitude 51.55000, longitude 5.05000 "
        "Wijken Quirijnstok "
        f"Gebied {meeting.gebiedsteam.name}"
    ]
    assert "We praten over <strong>groen</strong> in de wijk." in content
    # The minutes go through the sanitising Markdown filter: the script is gone.
    assert "Besloten: meer <em>bomen</em>." in content
    assert "<script>alert" not in content
    assert f'href="/bijeenkomsten/{meeting.pk}/agenda.ics"' in content
    assert 'data-layers-id="meeting-map"' in content
    assert texts_of(response, "utrecht-breadcrumb-nav__link") == [
        "Home",
        meeting.gebiedsteam.name,
        "Meetings",
        "Wijkdialoog Quirijnstok",
    ]


def test_meeting_page_gives_the_time_in_dutch(meeting):
    response = Client().get(f"/bijeenkomsten/{meeting.pk}/")

    assert texts_of(response, "facts")[0].startswith("Wanneer dinsdag 10 maart 2026, 19:00–21:00")


@english
def test_meeting_page_without_a_place_has_no_map(gebiedsteam):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, longitude=None, latitude=None)

    response = Client().get(f"/bijeenkomsten/{meeting.pk}/")

    assert response.status_code == 200
    assert 'data-layers-id="meeting-map"' not in response.content.decode()
    assert "leaflet.js" not in response.content.decode()


@english
def test_meeting_page_lists_only_the_proposals_the_viewer_may_read(meeting, gebiedsteam, wijk):
    public = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Speeltuin")
    draft = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        title="Geheim concept",
        status=Proposal.Status.DRAFT,
    )
    meeting.proposals.set([public, draft])

    anonymous = Client().get(f"/bijeenkomsten/{meeting.pk}/")

    assert [t.split(" ")[0] for t in texts_of(anonymous, "proposal-card")] == ["Speeltuin"]
    assert "Geheim concept" not in anonymous.content.decode()


@english
def test_meeting_page_shows_the_teams_drafts_to_the_team(meeting, gebiedsteam, wijk, team_member):
    draft = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Concept", status=Proposal.Status.DRAFT
    )
    meeting.proposals.set([draft])

    response = signed_in(team_member).get(f"/bijeenkomsten/{meeting.pk}/")

    assert [t.split(" ")[0] for t in texts_of(response, "proposal-card")] == ["Concept"]


@pytest.mark.parametrize("path", ["", "agenda.ics"])
def test_closed_meeting_is_not_found_outside_the_team(
    gebiedsteam, resident, other_team_member, path
):
    closed = MeetingFactory(gebiedsteam=gebiedsteam, public=False, title="Teamoverleg")
    url = f"/bijeenkomsten/{closed.pk}/{path}"

    assert Client().get(url).status_code == 404
    assert signed_in(resident).get(url).status_code == 404
    assert signed_in(other_team_member).get(url).status_code == 404


@english
def test_closed_meeting_is_shown_to_its_team(gebiedsteam, team_member):
    closed = MeetingFactory(gebiedsteam=gebiedsteam, public=False, title="Teamoverleg")

    response = signed_in(team_member).get(f"/bijeenkomsten/{closed.pk}/")

    assert response.status_code == 200
    assert texts_of(response, "utrecht-heading-1") == ["Teamoverleg"]
    assert "For the team only" in texts_of(response, "meta")[0]


def test_unknown_meeting_is_not_found(db):
    assert Client().get("/bijeenkomsten/999999/").status_code == 404


def test_edited_minutes_show_to_an_anonymous_visitor_on_the_next_request(meeting, team_member):
    anonymous = Client()
    url = f"/bijeenkomsten/{meeting.pk}/"
    before = anonymous.get(url).content.decode()
    assert anonymous.get(url).content.decode() == before  # answered from the page cache

    update_meeting(
        meeting=meeting,
        values={"minutes": "Afgesproken: een *buurtmoestuin*."},
        wijken=[*meeting.wijken.all()],
        expected_revision=meeting.revision,
        by=team_member,
    )

    after = anonymous.get(url).content.decode()
    assert "Afgesproken: een <em>buurtmoestuin</em>." not in before
    assert "Afgesproken: een <em>buurtmoestuin</em>." in after


# ---- the lists of a wijk and a gebied -------------------------------------------------------


def titles(response) -> list[str]:
    return [text.split(" (")[0] for text in texts_of(response, "meeting__title")]


@pytest.fixture
def history(gebiedsteam, wijk):
    """Two meetings to come, two past, one closed, and one of the gebied outside the wijk."""
    now = timezone.now()

    def make(title, days, **extra):
        starts = now + dt.timedelta(days=days)
        meeting = MeetingFactory(
            gebiedsteam=gebiedsteam,
            title=title,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            **extra,
        )
        if extra.pop("in_wijk", True):
            meeting.wijken.set([wijk])
        return meeting

    return {
        "later": make("Later", 30),
        "soon": make("Binnenkort", 2),
        "last_week": make("Vorige week", -7),
        "last_year": make("Vorig jaar", -300),
        "closed": make("Teamoverleg", 3, public=False),
    }


@english
def test_wijk_meetings_list_coming_first_then_past_newest_first(history, wijk):
    response = Client().get(f"/wijken/{wijk.slug}/bijeenkomsten/")

    assert response.status_code == 200
    assert response.cookies == {}
    assert titles(response) == ["Binnenkort", "Later", "Vorige week", "Vorig jaar"]
    assert texts_of(response, "result-count") == ["4 meetings"]
    assert "Teamoverleg" not in response.content.decode()
    assert f'href="{history["last_year"].get_absolute_url()}"' in response.content.decode()


@english
def test_wijk_meetings_list_shows_closed_meetings_to_the_team(history, wijk, team_member):
    response = signed_in(team_member).get(f"/wijken/{wijk.slug}/bijeenkomsten/")

    assert titles(response) == ["Binnenkort", "Teamoverleg", "Later", "Vorige week", "Vorig jaar"]


@english
def test_gebied_meetings_list_holds_the_meetings_of_every_wijk(history, gebiedsteam, other_wijk):
    MeetingFactory(gebiedsteam=other_wijk.gebiedsteam, title="Elders")
    MeetingFactory(gebiedsteam=gebiedsteam, title="Voor het hele gebied")

    response = Client().get(f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/")

    assert titles(response) == [
        "Binnenkort",
        "Voor het hele gebied",
        "Later",
        "Vorige week",
        "Vorig jaar",
    ]


@english
def test_wijk_meetings_list_is_paginated(gebiedsteam, wijk):
    now = timezone.now()
    for day in range(25):
        MeetingFactory(
            gebiedsteam=gebiedsteam,
            title=f"Inloop {day:02}",
            starts_at=now - dt.timedelta(days=day + 1),
            ends_at=now - dt.timedelta(days=day + 1) + dt.timedelta(hours=1),
        ).wijken.set([wijk])

    second = Client().get(f"/wijken/{wijk.slug}/bijeenkomsten/?page=2")

    assert titles(second) == [f"Inloop {day:02}" for day in range(20, 25)]
    assert texts_of(second, "result-count") == ["25 meetings"]


def test_meetings_list_of_an_unknown_wijk_is_not_found(db):
    assert Client().get("/wijken/nergens/bijeenkomsten/").status_code == 404
    assert Client().get("/gebieden/nergens/bijeenkomsten/").status_code == 404


@english
def test_wijk_and_gebied_pages_link_their_meetings(history, wijk, gebiedsteam):
    wijk_page = Client().get(f"/wijken/{wijk.slug}/").content.decode()
    gebied_page = Client().get(f"/gebieden/{gebiedsteam.slug}/").content.decode()

    for page in (wijk_page, gebied_page):
        assert f'href="{history["soon"].get_absolute_url()}"' in page
    assert f'href="/wijken/{wijk.slug}/bijeenkomsten/"' in wijk_page
    assert f'href="/gebieden/{gebiedsteam.slug}/bijeenkomsten/"' in gebied_page


def make_meetings(gebiedsteam, wijk, count: int) -> None:
    now = timezone.now()
    meetings = MeetingFactory.create_batch(
        count,
        gebiedsteam=gebiedsteam,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now - dt.timedelta(hours=22),
    )
    wijk.meetings.add(*meetings)


def test_wijk_meetings_list_query_count_does_not_grow_with_the_meetings(gebiedsteam, wijk):
    url = f"/wijken/{wijk.slug}/bijeenkomsten/"
    make_meetings(gebiedsteam, wijk, 5)
    few = count_queries(Client(), url)
    make_meetings(gebiedsteam, wijk, 195)
    many = count_queries(Client(), url)

    assert few == many


def test_meeting_page_query_count_does_not_grow_with_its_proposals(meeting, gebiedsteam, wijk):
    url = f"/bijeenkomsten/{meeting.pk}/"
    meeting.proposals.set(ProposalFactory.create_batch(2, gebiedsteam=gebiedsteam, wijken=[wijk]))
    Client().get(url)  # builds the index of the wijken that names the wijk at the place
    few = count_queries(Client(), url)
    meeting.proposals.add(*ProposalFactory.create_batch(30, gebiedsteam=gebiedsteam, wijken=[wijk]))
    many = count_queries(Client(), url)

    assert few == many
