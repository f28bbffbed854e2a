"""Reminders go only to people who may see what they remind of (issue 12).

A closed meeting is for its team, an action on a draft agenda for the team of that agenda:
following the wijk or working for the action's owner is not enough. The sweep records no
reminder for the others, and the send task checks again at the moment of sending.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Notification
from agendas.models import Wijkagenda
from followup.models import Reminder
from followup.services import reminders
from meetings.models import Meeting
from tests.factories import (
    ActionFactory,
    FollowFactory,
    GebiedsteamFactory,
    MeetingFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

Kind = Reminder.Kind


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(name: str, at: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.run_sweep(name, now=at)

    return run


@pytest.fixture
def record_only(sweep):
    """Run a sweep that records its reminders but queues none (the queue is not reached
    before the change the test makes)."""

    def run(name: str, at: dt.datetime) -> None:
        with mock.patch.object(reminders, "queue_due", return_value=0):
            sweep(name, at)

    return run


def mailed(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def reminded() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list(
            "recipient__email", flat=True
        )
    )


@pytest.fixture
def meeting_world(now):
    """A meeting in 20 hours in gebied Noord (wijk Korvel), and who follows what."""
    team = GebiedsteamFactory(name="Noord", slug="noord")
    korvel = WijkFactory(name="Korvel", gebiedsteam=team)
    meeting = MeetingFactory(
        gebiedsteam=team,
        title="Besloten teamoverleg",
        starts_at=now + dt.timedelta(hours=20),
        ends_at=now + dt.timedelta(hours=22),
    )
    meeting.wijken.set([korvel])
    regisseur = UserFactory(email="regisseur@noord.nl")
    TeamMembershipFactory(user=regisseur, gebiedsteam=team)
    types = ContentType.objects.get_for_models(Meeting, type(team), type(korvel))
    for user, followed in [
        (regisseur, team),
        (UserFactory(email="volgt-wijk@example.org"), korvel),
        (UserFactory(email="volgt-gebied@example.org"), team),
        (UserFactory(email="volgt-bijeenkomst@example.org"), meeting),
    ]:
        FollowFactory(user=user, content_type=types[type(followed)], object_id=followed.pk)
    return meeting


def test_a_closed_meeting_is_reminded_only_to_its_team(now, sweep, meeting_world, mailoutbox):
    Meeting.objects.filter(pk=meeting_world.pk).update(public=False)

    queued = sweep(Kind.MEETING_SOON, now)

    assert queued == 1
    assert mailed(mailoutbox) == ["regisseur@noord.nl"]
    assert reminded() == ["regisseur@noord.nl"]
    assert list(Reminder.objects.values_list("recipient_email", flat=True)) == [
        "regisseur@noord.nl"
    ]
    assert all(
        "Besloten teamoverleg" not in m.body for m in mailoutbox if m.to != ["regisseur@noord.nl"]
    )


def test_a_meeting_closed_after_the_sweep_is_not_sent_to_followers(
    now, record_only, sweep, meeting_world, mailoutbox
):
    record_only(Kind.MEETING_SOON, now)
    assert Reminder.objects.count() == 4  # still public when the sweep looked
    Meeting.objects.filter(pk=meeting_world.pk).update(public=False)

    sweep(Kind.MEETING_SOON, now + dt.timedelta(minutes=1))

    assert mailed(mailoutbox) == ["regisseur@noord.nl"]
    assert reminded() == ["regisseur@noord.nl"]
    # The others' reminders are dropped, and not recorded again while it stays closed.
    assert [(r.recipient_email, r.sent_at is not None) for r in Reminder.objects.all()] == [
        ("regisseur@noord.nl", True)
    ]
    sweep(Kind.MEETING_SOON, now + dt.timedelta(minutes=20))
    assert (Reminder.objects.count(), len(mailoutbox)) == (1, 1)


def test_a_public_meeting_still_goes_to_every_follower(now, sweep, meeting_world, mailoutbox):
    sweep(Kind.MEETING_SOON, now)

    assert mailed(mailoutbox) == [
        "regisseur@noord.nl",
        "volgt-bijeenkomst@example.org",
        "volgt-gebied@example.org",
        "volgt-wijk@example.org",
    ]


@pytest.fixture
def draft_action(now):
    """An overdue action on a draft agenda of gebied Noord, owned by a partner whose staff
    are one outsider and one member of the team; and a contact e-mail without an account."""
    team = GebiedsteamFactory(name="Noord", slug="noord")
    organisation = PartnerOrganisationFactory(name="Welzijn")
    OrganisationMembershipFactory(
        user=UserFactory(email="staf@welzijn.nl"), organisation=organisation
    )
    in_team = UserFactory(email="teampartner@welzijn.nl")
    OrganisationMembershipFactory(user=in_team, organisation=organisation)
    TeamMembershipFactory(user=in_team, gebiedsteam=team, role="partner")
    agenda = WijkagendaFactory(gebiedsteam=team, status="draft", published_at=None)
    return ActionFactory(
        plan=PlanFactory(wijkagenda=agenda),
        title="Geheime actie",
        owner_organisation=organisation,
        contact_email="contact@extern.nl",
        due_date=timezone.localdate() - dt.timedelta(days=2),
        last_progress_at=now,
    )


def test_an_action_of_a_draft_agenda_is_reminded_only_to_who_may_see_it(
    now, sweep, draft_action, mailoutbox
):
    queued = sweep(Kind.ACTION_OVERDUE, now)

    assert queued == 1
    assert mailed(mailoutbox) == ["teampartner@welzijn.nl"]
    assert reminded() == ["teampartner@welzijn.nl"]


def test_an_agenda_back_to_draft_stops_the_reminders_of_its_actions(
    now, record_only, sweep, draft_action, mailoutbox
):
    Wijkagenda.objects.filter(pk=draft_action.plan.wijkagenda_id).update(
        status="published", published_at=now
    )
    record_only(Kind.ACTION_OVERDUE, now)
    assert Reminder.objects.count() == 3
    Wijkagenda.objects.filter(pk=draft_action.plan.wijkagenda_id).update(status="draft")

    sweep(Kind.ACTION_OVERDUE, now + dt.timedelta(minutes=1))

    assert mailed(mailoutbox) == ["teampartner@welzijn.nl"]
    assert reminded() == ["teampartner@welzijn.nl"]


def test_a_published_action_is_reminded_to_its_staff_and_contact(
    now, sweep, draft_action, mailoutbox
):
    Wijkagenda.objects.filter(pk=draft_action.plan.wijkagenda_id).update(
        status="published", published_at=now
    )

    sweep(Kind.ACTION_OVERDUE, now)

    assert mailed(mailoutbox) == [
        "contact@extern.nl",
        "staf@welzijn.nl",
        "teampartner@welzijn.nl",
    ]


def test_the_sweep_checks_visibility_in_a_bounded_number_of_queries(
    now, sweep, django_assert_max_num_queries
):
    """However many closed meetings and followers: a query per account reminded of
    something the public may not see, not one per meeting and person."""
    team = GebiedsteamFactory(name="Noord", slug="noord")
    followers = [UserFactory(email=f"volger{n}@example.org") for n in range(3)]
    content_type = ContentType.objects.get_for_model(team)
    for follower in followers:
        FollowFactory(user=follower, content_type=content_type, object_id=team.pk)
    for n in range(6):
        MeetingFactory(
            gebiedsteam=team,
            public=n % 2 == 0,
            starts_at=now + dt.timedelta(hours=n + 1),
            ends_at=now + dt.timedelta(hours=n + 2),
        )
    dues = list(reminders.find_meeting_soon(now))

    with django_assert_max_num_queries(2 + len(followers) + 1):
        reminders.record(Kind.MEETING_SOON, dues)

    assert Reminder.objects.count() == 3 * len(followers)


def test_the_municipalitys_actions_are_reminded_only_to_its_staff_in_that_gebied(
    now, sweep, mailoutbox
):
    noord, west = (GebiedsteamFactory(name=name, slug=name.lower()) for name in ("Noord", "West"))
    municipality = PartnerOrganisationFactory(name="Gemeente Tilburg", kind="municipality")
    for email, team in [("noord@tilburg.nl", noord), ("west@tilburg.nl", west)]:
        user = UserFactory(email=email)
        OrganisationMembershipFactory(user=user, organisation=municipality)
        TeamMembershipFactory(user=user, gebiedsteam=team, role="ondersteuner")
    agenda = WijkagendaFactory(gebiedsteam=noord, status="published", published_at=now)
    ActionFactory(
        plan=PlanFactory(wijkagenda=agenda),
        owner_organisation=municipality,
        due_date=(now - dt.timedelta(days=3)).date(),
    )

    sweep(Kind.ACTION_OVERDUE, now)

    assert mailed(mailoutbox) == ["noord@tilburg.nl"]
    assert reminded() == ["noord@tilburg.nl"]
