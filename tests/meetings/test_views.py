from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agendas.models import ChangeRecord
from meetings.models import Meeting
from tests.factories import (
    MeetingFactory,
)
from tests.helpers import ELSEWHERE, INSIDE, errors_of, revision_in, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def test_meeting_create_saves_exact_values(team_member, gebiedsteam, wijk):
    response = signed_in(team_member).post(
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/",
        meeting_data(wijken=[str(wijk.pk)], longitude=INSIDE[0], latitude=INSIDE[1]),
    )

    meeting = Meeting.objects.get()
    tz = timezone.get_current_timezone()
    assert response.status_code == 302
    assert response["Location"] == f"/bijeenkomsten/{meeting.pk}/bewerken/"
    assert (
        meeting.gebiedsteam,
        meeting.kind,
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        meeting.public,
        list(meeting.wijken.all()),
        meeting.longitude,
    ) == (
        gebiedsteam,
        "wijkdialoog",
        "Wijkdialoog Quirijnstok",
        dt.datetime(2026, 3, 10, 19, 0, tzinfo=tz),
        dt.datetime(2026, 3, 10, 21, 0, tzinfo=tz),
        True,
        [wijk],
        5.05,
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.gebiedsteam, record.wijkagenda) == ("created", gebiedsteam, None)


def test_meeting_edit_saves_and_records_the_change(team_member, gebiedsteam, wijk):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Inloop", kind="inloop")
    client = signed_in(team_member)
    revision = revision_in(client.get(f"/bijeenkomsten/{meeting.pk}/bewerken/"))

    response = client.post(
        f"/bijeenkomsten/{meeting.pk}/bewerken/",
        meeting_data(
            title="Inloop in het wijkcentrum", kind="inloop", public="", revision=revision
        ),
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.title, meeting.public, meeting.revision) == (
        "Inloop in het wijkcentrum",
        False,
        1,
    )
    assert ChangeRecord.objects.get().changes["title"] == {
        "old": "Inloop",
        "new": "Inloop in het wijkcentrum",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2026-03-10T18:00"}, "A meeting ends after it starts."),
        (
            {"longitude": ELSEWHERE[0], "latitude": ELSEWHERE[1]},
            "This location lies outside the gebied of this team.",
        ),
        ({"kind": "feest"}, "Select a valid choice. feest is not one of the available choices."),
        ({"starts_at": ""}, "This field is required."),
    ],
)
def test_meeting_create_refuses_bad_input(team_member, gebiedsteam, wijk, changes, message):
    response = signed_in(team_member).post(
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/", meeting_data(**changes)
    )

    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert (Meeting.objects.count(), ChangeRecord.objects.count()) == (0, 0)


def test_meeting_create_refuses_a_wijk_of_another_gebied(team_member, gebiedsteam, other_wijk):
    response = signed_in(team_member).post(
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/",
        meeting_data(wijken=[str(other_wijk.pk)]),
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        f"Select a valid choice. {other_wijk.pk} is not one of the available choices."
    ]
    assert Meeting.objects.count() == 0


def test_meeting_edit_answers_404_for_a_closed_meeting_of_another_gebied(
    other_team_member, gebiedsteam
):

    closed = MeetingFactory(gebiedsteam=gebiedsteam, public=False)

    response = signed_in(other_team_member).get(f"/bijeenkomsten/{closed.pk}/bewerken/")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member", "owner_staff"])
def test_meeting_views_answer_403_to_who_may_not_change_them(request, role, gebiedsteam):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog")
    client = signed_in(request.getfixturevalue(role))

    responses = [
        client.post(f"/bijeenkomsten/{meeting.pk}/bewerken/", meeting_data(revision="0")),
        client.post(f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/", meeting_data()),
    ]

    assert [response.status_code for response in responses] == [403, 403]
    assert list(Meeting.objects.values_list("title", flat=True)) == ["Wijkdialoog"]


def test_meeting_edit_with_htmx_returns_the_fragment(team_member, gebiedsteam):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam)

    response = signed_in(team_member).post(
        f"/bijeenkomsten/{meeting.pk}/bewerken/", meeting_data(revision="0"), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="meeting-form"')
    assert "<html" not in body
    assert "The meeting has been saved." in body


def test_meeting_edit_refuses_the_later_of_two_concurrent_saves(team_member, staff, gebiedsteam):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog")
    first, second = signed_in(team_member), signed_in(staff)
    url = f"/bijeenkomsten/{meeting.pk}/bewerken/"
    rev_first, rev_second = revision_in(first.get(url)), revision_in(second.get(url))

    first.post(url, meeting_data(title="Eerste", revision=rev_first))
    refused = second.post(url, meeting_data(title="Tweede", revision=rev_second))

    meeting.refresh_from_db()
    assert refused.status_code == 409
    assert (meeting.title, meeting.revision) == ("Eerste", 1)
    assert "Regisseur Rina saved it on" in refused.content.decode()


def meeting_data(**changes) -> dict:
    return {
        "kind": "wijkdialoog",
        "title": "Wijkdialoog Quirijnstok",
        "description": "Praat mee over het park.",
        "starts_at": "2026-03-10T19:00",
        "ends_at": "2026-03-10T21:00",
        "location_name": "Wijkcentrum",
        "address": "Stadhuisplein 130",
        "public": "on",
        "longitude": "",
        "latitude": "",
        **changes,
    }


def test_meeting_edit_saves_the_minutes_shown_on_the_meetings_page(team_member, gebiedsteam):
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Inloop", kind="inloop")
    client = signed_in(team_member)
    revision = revision_in(client.get(f"/bijeenkomsten/{meeting.pk}/bewerken/"))

    response = client.post(
        f"/bijeenkomsten/{meeting.pk}/bewerken/",
        meeting_data(
            title="Inloop", kind="inloop", minutes="Twaalf *bewoners* kwamen.", revision=revision
        ),
    )

    meeting.refresh_from_db()
    page = client.get(f"/bijeenkomsten/{meeting.pk}/").content.decode()
    assert response.status_code == 302
    assert meeting.minutes == "Twaalf *bewoners* kwamen."
    assert "Twaalf <em>bewoners</em> kwamen." in page
