"""Signing up for a meeting: places, the waiting list, signing off, who sees whom, the
reminder 48 hours before, and what is refused."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from accounts.residents import delete_account
from followup.services.reminders import find_meeting_soon
from meetings import services
from meetings.forms import MeetingForm
from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, UserFactory
from tests.helpers import count_queries, signed_in, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


@pytest.fixture
def meeting(gebiedsteam, wijk) -> Meeting:
    meeting = MeetingFactory(
        gebiedsteam=gebiedsteam, title="Wijkdialoog Groen", sign_up=True, capacity=2
    )
    meeting.wijken.set([wijk])
    return meeting


def sign_up(user, meeting: Meeting, **data: str):
    return signed_in(user).post(f"/bijeenkomsten/{meeting.pk}/aanmelden/", data)


def registrations(meeting: Meeting) -> list[tuple[str, bool]]:
    return list(
        Registration.objects.filter(meeting=meeting)
        .order_by("created_at", "pk")
        .values_list("user__email", "waiting")
    )


def test_a_signed_in_visitor_signs_up_and_the_page_says_so(meeting, resident) -> None:
    response = sign_up(resident, meeting)
    page = signed_in(resident).get(meeting.get_absolute_url())

    assert (response.status_code, response["Location"]) == (302, meeting.get_absolute_url())
    assert registrations(meeting) == [("bewoner@example.org", False)]
    content = page.content.decode()
    assert "2 places, 1 taken." in content
    assert texts_of(page, "notice") == ["You have signed up for this meeting."]
    assert "Sign off" in content


def test_signing_up_twice_keeps_one_sign_up(meeting, resident) -> None:
    sign_up(resident, meeting)
    again = sign_up(resident, meeting)

    assert again.status_code == 302
    assert registrations(meeting) == [("bewoner@example.org", False)]


def test_a_full_meeting_refuses_a_place_with_409_and_offers_the_waiting_list(meeting) -> None:
    first, second, third = (UserFactory(email=f"{n}@example.org") for n in ("a", "b", "c"))
    sign_up(first, meeting)
    sign_up(second, meeting)

    refused = sign_up(third, meeting)

    assert refused.status_code == 409
    assert texts_of(refused, "message--error") == [
        "All places are taken. You can put your name on the waiting list instead."
    ]
    assert 'name="waiting_list" value="1"' in refused.content.decode()
    assert registrations(meeting) == [("a@example.org", False), ("b@example.org", False)]


def test_the_waiting_list_keeps_its_order_and_shows_each_their_number(meeting) -> None:
    people = [UserFactory(email=f"{n}@example.org") for n in ("a", "b", "c", "d")]
    for person in people:
        sign_up(person, meeting, waiting_list="1")

    page = signed_in(people[3]).get(meeting.get_absolute_url())

    assert registrations(meeting) == [
        ("a@example.org", False),
        ("b@example.org", False),
        ("c@example.org", True),
        ("d@example.org", True),
    ]
    assert texts_of(page, "notice") == [
        "You are on the waiting list, number 2. We let you know when a place comes free."
    ]
    assert "Leave the waiting list" in page.content.decode()


def test_who_signs_off_gives_the_place_to_the_first_waiting_who_is_told(
    meeting, django_capture_on_commit_callbacks
) -> None:
    people = [UserFactory(email=f"{n}@example.org") for n in ("a", "b", "c", "d")]
    for person in people:
        sign_up(person, meeting, waiting_list="1")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people[0]).post(f"/bijeenkomsten/{meeting.pk}/afmelden/")

    assert response.status_code == 302
    assert registrations(meeting) == [
        ("b@example.org", False),
        ("c@example.org", False),
        ("d@example.org", True),
    ]
    told = Notification.objects.get(kind=Notification.Kind.MEETING_PLACE)
    assert (told.recipient.email, told.url) == ("c@example.org", meeting.get_absolute_url())
    assert told.title == "A place has come free for you: Wijkdialoog Groen"
    assert [m.to for m in mail.outbox] == [["c@example.org"]]


def test_more_places_move_the_waiting_list_up(meeting, team_member) -> None:
    people = [UserFactory(email=f"{n}@example.org") for n in ("a", "b", "c", "d")]
    for person in people:
        sign_up(person, meeting, waiting_list="1")

    services.update_meeting(
        meeting=meeting,
        values={"capacity": 3},
        wijken=meeting.wijken.all(),
        expected_revision=meeting.revision,
        by=team_member,
    )

    assert [waiting for _, waiting in registrations(meeting)] == [False, False, False, True]
    assert Notification.objects.filter(kind=Notification.Kind.MEETING_PLACE).count() == 1


def test_signing_off_without_a_sign_up_changes_nothing(meeting, resident) -> None:
    response = signed_in(resident).post(f"/bijeenkomsten/{meeting.pk}/afmelden/", follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert "You had not signed up for this meeting." in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"sign_up": False},
        {"public": False},
        {
            "starts_at": timezone.now() - dt.timedelta(minutes=5),
            "ends_at": timezone.now() + dt.timedelta(hours=1),
        },
    ],
    ids=["no sign-ups", "closed", "begun"],
)
def test_a_meeting_that_takes_no_sign_ups_refuses_them_with_400(
    meeting, team_member, change
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(**change)

    response = sign_up(team_member, meeting)

    assert response.status_code == 400
    assert texts_of(response, "message--error") == ["This meeting takes no sign-ups (any more)."]
    assert registrations(meeting) == []


def test_a_closed_meeting_is_not_found_for_who_cannot_read_it(meeting, resident) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(public=False)

    assert sign_up(resident, meeting).status_code == 404
    assert registrations(meeting) == []


def test_an_anonymous_visitor_is_asked_to_sign_in_and_gets_no_form_or_cookie(meeting) -> None:
    response = Client().get(meeting.get_absolute_url())

    content = response.content.decode()
    assert response.cookies == {}
    assert f'href="/account/inloggen/?next=%2Fbijeenkomsten%2F{meeting.pk}%2F%23sign-up"' in (
        content
    )
    assert "/aanmelden/" not in content.replace("/account/aanmelden/", "")
    assert Client().post(f"/bijeenkomsten/{meeting.pk}/aanmelden/").status_code == 302
    assert registrations(meeting) == []


def test_only_the_team_sees_who_signed_up(meeting, resident, team_member) -> None:
    sign_up(resident, meeting)
    sign_up(UserFactory(email="c@example.org", full_name="Carla Verbeek"), meeting)
    sign_up(
        UserFactory(email="d@example.org", full_name="Dirk Smulders"), meeting, waiting_list="1"
    )

    team_page = signed_in(team_member).get(meeting.get_absolute_url()).content.decode()
    resident_page = signed_in(resident).get(meeting.get_absolute_url()).content.decode()

    assert "Who signed up (only the team sees this)" in team_page
    assert "Bewoner Bas</li><li>Carla Verbeek</li><li>Dirk Smulders <span" in team_page
    assert "Who signed up" not in resident_page
    assert "Carla Verbeek" not in resident_page
    assert "Dirk Smulders" not in resident_page


def test_the_reminder_48_hours_before_goes_to_who_has_a_place(meeting) -> None:
    people = [UserFactory(email=f"{n}@example.org") for n in ("a", "b", "c")]
    for person in people:
        sign_up(person, meeting, waiting_list="1")

    dues = [d for d in find_meeting_soon(meeting.starts_at - dt.timedelta(hours=47))]
    too_early = list(find_meeting_soon(meeting.starts_at - dt.timedelta(hours=49)))

    assert [d.subject for d in dues] == [meeting]
    assert [email for email, _ in dues[0].people] == ["a@example.org", "b@example.org"]
    assert too_early == []


def test_my_account_lists_the_meetings_still_to_come(meeting, resident, gebiedsteam) -> None:
    past = MeetingFactory(
        gebiedsteam=gebiedsteam,
        title="Vorige keer",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
    )
    Registration.objects.create(meeting=past, user=resident)
    sign_up(resident, meeting)

    page = signed_in(resident).get("/account/mijn-account/").content.decode()

    assert "Wijkdialoog Groen" in page
    assert "Vorige keer" not in page


def test_the_meeting_page_keeps_its_queries_with_many_sign_ups(meeting, team_member) -> None:
    sign_up(UserFactory(), meeting)
    few = count_queries(signed_in(team_member), meeting.get_absolute_url())
    Meeting.objects.filter(pk=meeting.pk).update(capacity=None)
    for _ in range(30):
        Registration.objects.create(meeting=meeting, user=UserFactory())

    many = count_queries(signed_in(team_member), meeting.get_absolute_url())

    assert many == few


@pytest.mark.parametrize(
    ("values", "field", "error"),
    [
        ({"capacity": "10"}, "capacity", "Places are counted only when people sign up."),
        ({"sign_up": "on", "capacity": "0"}, "capacity", "A meeting with places has at least one."),
        ({"sign_up": "on"}, "sign_up", "Only a public meeting takes sign-ups."),
    ],
    ids=["places without sign-up", "no places", "closed with sign-up"],
)
def test_the_team_gets_a_clear_message_for_places_that_make_no_sense(
    gebiedsteam, wijk, values, field, error
) -> None:
    data = {
        "kind": "wijkdialoog",
        "title": "Inloop",
        "starts_at": "2030-03-10T19:00",
        "ends_at": "2030-03-10T21:00",
        "wijken": [str(wijk.pk)],
        **({"public": "on"} if field != "sign_up" else {}),
        **values,
    }

    form = MeetingForm(data, instance=Meeting(gebiedsteam=gebiedsteam), gebiedsteam=gebiedsteam)

    assert not form.is_valid()
    assert form.errors[field] == [error]


@pytest.mark.django_db(transaction=True)
def test_two_people_at_once_never_both_get_the_last_place(gebiedsteam) -> None:
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, sign_up=True, capacity=1)
    people = [UserFactory(), UserFactory()]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def try_sign_up(person) -> None:
        try:
            start.wait(10)
            services.sign_up(meeting=meeting, user=person)
            outcomes.append("place")
        except services.MeetingFull:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=try_sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert sorted(outcomes) == ["full", "place"]
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_a_deleted_account_gives_its_place_to_the_first_waiting(
    meeting, django_capture_on_commit_callbacks
) -> None:
    people = [UserFactory(email=f"{n}@example.org", is_resident=True) for n in ("a", "b", "c")]
    for person in people:
        sign_up(person, meeting, waiting_list="1")

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=people[0])

    assert registrations(meeting) == [("b@example.org", False), ("c@example.org", False)]
    told = Notification.objects.get(kind=Notification.Kind.MEETING_PLACE)
    assert told.recipient.email == "c@example.org"
