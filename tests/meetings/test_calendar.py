from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting
from tests.factories import MeetingFactory, WijkFactory
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

TZ = dt.timezone(dt.timedelta(hours=1))  # Europe/Amsterdam in winter


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WIJKPORTAAL_BASE_URL = "https://wijkportaal.example.nl"


def parsed(response) -> Calendar:
    return Calendar.from_ical(response.content)


def events(response) -> list:
    return list(parsed(response).walk("VEVENT"))


def summaries(response) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(response)]


def test_meeting_ics_holds_the_meeting(gebiedsteam):
    meeting = MeetingFactory(
        gebiedsteam=gebiedsteam,
        title="Wijkdialoog; groen, en bomen",
        starts_at=dt.datetime(2026, 3, 10, 19, 0, tzinfo=TZ),
        ends_at=dt.datetime(2026, 3, 10, 21, 0, tzinfo=TZ),
        location_name="Wijkcentrum De Ypelaer",
        address="Ypelaerstraat 1, Tilburg",
        longitude=5.05,
        latitude=51.55,
        description="Welkom!\nNeem een buur mee.",
    )

    response = Client().get(f"/bijeenkomsten/{meeting.pk}/agenda.ics")

    assert response.status_code == 200
    assert response.cookies == {}
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bijeenkomst-{meeting.pk}.ics"'
    )
    calendar = parsed(response)
    assert (str(calendar["VERSION"]), str(calendar["X-WR-CALNAME"])) == (
        "2.0",
        "Wijkdialoog; groen, en bomen",
    )
    [event] = calendar.walk("VEVENT")
    url = f"https://wijkportaal.example.nl/bijeenkomsten/{meeting.pk}/"
    assert (
        str(event["UID"]),
        str(event["SUMMARY"]),
        event.decoded("DTSTART"),
        event.decoded("DTEND"),
        str(event["LOCATION"]),
        str(event["DESCRIPTION"]),
        str(event["URL"]),
        (event["GEO"].latitude, event["GEO"].longitude),
        str(event["CLASS"]),
    ) == (
        f"meeting-{meeting.pk}@wijkportaal.example.nl",
        "Wijkdialoog; groen, en bomen",
        dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC),
        "Wijkcentrum De Ypelaer, Ypelaerstraat 1, Tilburg",
        f"Welkom!\nNeem een buur mee.\n\n{url}",
        url,
        (51.55, 5.05),
        "PUBLIC",
    )
    # The library escaped the separators of the text values.
    assert "SUMMARY:Wijkdialoog\\; groen\\, en bomen" in response.content.decode()


def test_meeting_ics_of_a_closed_meeting_is_for_its_team_only(gebiedsteam, team_member):
    closed = MeetingFactory(gebiedsteam=gebiedsteam, public=False, title="Teamoverleg")
    url = f"/bijeenkomsten/{closed.pk}/agenda.ics"

    assert Client().get(url).status_code == 404
    assert summaries(signed_in(team_member).get(url)) == ["Teamoverleg"]


@pytest.fixture
def meetings(gebiedsteam, wijk):
    """Of the wijk: to come, lately, long ago, closed; of the gebied without the wijk; and of
    another wijk of the gebied."""
    now = timezone.now()

    def make(title, days, wijken=(wijk,), **extra):
        starts = now + dt.timedelta(days=days)
        meeting = MeetingFactory(
            gebiedsteam=gebiedsteam,
            title=title,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            **extra,
        )
        meeting.wijken.set(wijken)
        return meeting

    neighbour = WijkFactory(gebiedsteam=gebiedsteam, slug="buurwijk")
    return {
        "later": make("Later", 40),
        "soon": make("Binnenkort", 3),
        "lately": make("Vorige maand", -30),
        "long_ago": make("Vorig jaar", -200),
        "closed": make("Teamoverleg", 5, public=False),
        "gebied": make("Gebiedsdialoog", 10, wijken=()),
        "neighbour": make("In de buurwijk", 7, wijken=(neighbour,)),
    }


@pytest.mark.parametrize("who", ["anonymous", "team_member"])
def test_wijk_feed_holds_public_meetings_to_come_and_of_the_last_90_days(
    meetings, wijk, who, request
):
    client = Client() if who == "anonymous" else signed_in(request.getfixturevalue(who))

    response = client.get(f"/wijken/{wijk.slug}/bijeenkomsten.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bijeenkomsten-quirijnstok.ics"'
    assert str(parsed(response)["X-WR-CALNAME"]) == "Meetings in Quirijnstok"
    assert summaries(response) == ["Vorige maand", "Binnenkort", "Later"]
    uids = [str(event["UID"]) for event in events(response)]
    assert uids[1] == f"meeting-{meetings['soon'].pk}@wijkportaal.example.nl"


@pytest.mark.parametrize("who", ["anonymous", "team_member"])
def test_gebied_feed_holds_the_public_meetings_of_the_whole_gebied(
    meetings, gebiedsteam, who, request
):
    client = Client() if who == "anonymous" else signed_in(request.getfixturevalue(who))

    response = client.get(f"/gebieden/{gebiedsteam.slug}/bijeenkomsten.ics")

    assert summaries(response) == [
        "Vorige maand",
        "Binnenkort",
        "In de buurwijk",
        "Gebiedsdialoog",
        "Later",
    ]
    assert "Teamoverleg" not in response.content.decode()


def test_feed_is_bounded_to_the_soonest_meetings(gebiedsteam, wijk):
    now = timezone.now()
    for day in range(5):
        MeetingFactory(
            gebiedsteam=gebiedsteam,
            title=f"Inloop {day}",
            starts_at=now + dt.timedelta(days=day + 1),
            ends_at=now + dt.timedelta(days=day + 1, hours=1),
        ).wijken.set([wijk])

    feed = Meeting.objects.for_wijk(wijk).for_feed(recent_days=90, limit=3)

    assert [meeting.title for meeting in feed] == ["Inloop 0", "Inloop 1", "Inloop 2"]


def test_feed_of_an_unknown_place_is_not_found(db):
    assert Client().get("/wijken/nergens/bijeenkomsten.ics").status_code == 404
    assert Client().get("/gebieden/nergens/bijeenkomsten.ics").status_code == 404
