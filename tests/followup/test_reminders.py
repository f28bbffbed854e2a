"""Reminders: every kind sent once and only once, to exactly the right people.

The sweeps take `now`, so the clock is moved forward by passing a later moment (and once by
patching django.utils.timezone.now). Tasks run in process (tests/conftest.py); the queueing
happens on commit, so the sweeps run inside django_capture_on_commit_callbacks.
"""

from __future__ import annotations

import datetime as dt
import threading
from smtplib import SMTPException
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts import outbox
from accounts.models import Notification, NotificationPreference, OutgoingMail
from agendas.models import Action
from areas.models import CouncilMembership
from followup.models import Reminder
from followup.services import reminders
from followup.sweeps import sweep_reminders
from followup.tasks import send_reminder
from participation.models import Initiative, Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CommentFactory,
    CouncilMembershipFactory,
    FollowFactory,
    GebiedsteamFactory,
    InitiativeFactory,
    MeetingFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

Kind = Reminder.Kind


def user(email: str):
    return UserFactory(email=email)


def build_world(now: dt.datetime) -> dict[str, set[str]]:
    """One due subject per kind, with people who must and must not be reminded.

    Returns the expected addresses per sweep.
    """
    today = timezone.localtime(now).date()
    team = GebiedsteamFactory(name="Noord", slug="noord")
    other_team = GebiedsteamFactory(name="Zuid", slug="zuid")
    TeamMembershipFactory(user=user("regisseur@noord.nl"), gebiedsteam=team)
    TeamMembershipFactory(user=user("manager@noord.nl"), gebiedsteam=team)
    TeamMembershipFactory(user=user("regisseur@zuid.nl"), gebiedsteam=other_team)
    TeamMembershipFactory(user=UserFactory(email="oud@noord.nl", is_active=False), gebiedsteam=team)

    # Actions: owner organisation's staff and the contact e-mail (no account).
    org = PartnerOrganisationFactory()
    OrganisationMembershipFactory(user=user("staf@welzijn.nl"), organisation=org)
    OrganisationMembershipFactory(user=user("staf@ander.nl"))  # another organisation
    ActionFactory(
        owner_organisation=org,
        contact_email="Contact@Welzijn.nl",
        due_date=today + dt.timedelta(days=5),
        last_progress_at=now,
    )
    ActionFactory(owner_organisation=org, due_date=today + dt.timedelta(days=20))
    ActionFactory(
        owner_organisation=org, due_date=today + dt.timedelta(days=3), status=Action.Status.DONE
    )
    late_org = PartnerOrganisationFactory()
    OrganisationMembershipFactory(user=user("staf@laat.nl"), organisation=late_org)
    ActionFactory(
        owner_organisation=late_org,
        due_date=today - dt.timedelta(days=2),
        contact_email="",
        last_progress_at=now,
    )
    stalled_org = PartnerOrganisationFactory()
    OrganisationMembershipFactory(user=user("staf@stil.nl"), organisation=stalled_org)
    ActionFactory(
        owner_organisation=stalled_org,
        due_date=None,
        contact_email="stil@extern.nl",
        last_progress_at=now - dt.timedelta(weeks=7),
    )
    ActionFactory(owner_organisation=stalled_org, due_date=None, last_progress_at=now)

    # A proposal closing within 48 hours, for wijk Korvel: its wijkraad's members who have
    # not commented.
    korvel, other_wijk = WijkFactory(name="Korvel"), WijkFactory(name="Elders")
    raad = WijkraadFactory(name="Wijkraad Korvel")
    raad.wijken.set([korvel])
    other_raad = WijkraadFactory(name="Wijkraad Elders")
    other_raad.wijken.set([other_wijk])
    chair = user("voorzitter@korvel.nl")
    CouncilMembershipFactory(user=chair, wijkraad=raad, role=CouncilMembership.Role.CHAIR)
    CouncilMembershipFactory(
        user=user("secretaris@korvel.nl"), wijkraad=raad, role=CouncilMembership.Role.SECRETARY
    )
    commented = user("lid-reageerde@korvel.nl")
    CouncilMembershipFactory(user=commented, wijkraad=raad)
    CouncilMembershipFactory(user=user("lid@korvel.nl"), wijkraad=raad)
    CouncilMembershipFactory(user=user("lid@elders.nl"), wijkraad=other_raad)
    closing = ProposalFactory(
        gebiedsteam=team,
        wijken=[korvel],
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(hours=30),
    )
    CommentFactory(proposal=closing, author=commented)
    ProposalFactory(
        gebiedsteam=team,
        wijken=[korvel],
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=6),
    )

    # Advice due within 5 days: chair and secretary of that council.
    AdviceFactory(proposal=closing, wijkraad=raad, deadline=now + dt.timedelta(days=3))
    AdviceFactory(proposal=closing, wijkraad=other_raad, deadline=now + dt.timedelta(days=9))

    # A proposal closed 15 days ago without a decision: the team.
    undecided = ProposalFactory(
        gebiedsteam=team,
        status=Proposal.Status.CONSIDERATION,
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=15),
    )
    ProposalFactory(
        gebiedsteam=other_team,
        status=Proposal.Status.CONSIDERATION,
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=5),
    )

    # Advice given 15 days ago without a response: the team of the proposal.
    AdviceFactory(
        proposal=undecided,
        wijkraad=raad,
        deadline=now - dt.timedelta(days=14),
        submitted_at=now - dt.timedelta(days=15),
        verdict="positive",
        text="Goed plan.",
    )

    # Wijkagenda's: review within 30 days (team) and one later.
    WijkagendaFactory(gebiedsteam=team, review_date=today + dt.timedelta(days=20))
    WijkagendaFactory(gebiedsteam=other_team, review_date=today + dt.timedelta(days=60))

    # A meeting within 48 hours: who follows the meeting, its gebied or its wijk.
    meeting = MeetingFactory(
        gebiedsteam=team,
        starts_at=now + dt.timedelta(hours=20),
        ends_at=now + dt.timedelta(hours=22),
    )
    meeting.wijken.set([korvel])
    MeetingFactory(gebiedsteam=team, starts_at=now + dt.timedelta(days=4))
    types = ContentType.objects.get_for_models(type(meeting), type(team), type(korvel))
    for email, obj in [
        ("volgt-bijeenkomst@example.org", meeting),
        ("volgt-gebied@example.org", team),
        ("volgt-wijk@example.org", korvel),
        ("volgt-elders@example.org", other_wijk),
    ]:
        FollowFactory(user=user(email), content_type=types[type(obj)], object_id=obj.pk)

    # Initiatives: received 15 days ago (past WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS, 14) the
    # core team of its gebied; received 5 days ago, or taken up, nobody.
    hoogvenne = WijkFactory(name="Hoogvenne", gebiedsteam=team)
    InitiativeFactory(wijk=hoogvenne, created_at=now - dt.timedelta(days=15))
    InitiativeFactory(wijk=hoogvenne, created_at=now - dt.timedelta(days=5))
    InitiativeFactory(
        wijk=hoogvenne,
        created_at=now - dt.timedelta(days=30),
        status=Initiative.Status.CONVERSATION,
        published_at=now - dt.timedelta(days=20),
    )

    return {
        Kind.ACTION_DUE_SOON: {"staf@welzijn.nl", "contact@welzijn.nl"},
        Kind.ACTION_OVERDUE: {"staf@laat.nl"},
        Kind.ACTION_STALLED: {"staf@stil.nl", "stil@extern.nl"},
        Kind.PROPOSAL_CLOSING: {"voorzitter@korvel.nl", "secretaris@korvel.nl", "lid@korvel.nl"},
        Kind.ADVICE_DEADLINE: {"voorzitter@korvel.nl", "secretaris@korvel.nl"},
        Kind.PROPOSAL_UNDECIDED: {"regisseur@noord.nl", "manager@noord.nl"},
        Kind.ADVICE_UNANSWERED: {"regisseur@noord.nl", "manager@noord.nl"},
        Kind.AGENDA_REVIEW: {"regisseur@noord.nl", "manager@noord.nl"},
        Kind.MEETING_SOON: {
            "volgt-bijeenkomst@example.org",
            "volgt-gebied@example.org",
            "volgt-wijk@example.org",
        },
        Kind.INITIATIVE_WAITING: {"regisseur@noord.nl", "manager@noord.nl"},
    }


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(name: str, at: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.run_sweep(name, now=at)

    return run


def addresses(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


@pytest.mark.parametrize("name", list(reminders.SWEEPS))
def test_each_kind_goes_once_to_exactly_its_recipients(name, now, sweep, mailoutbox) -> None:
    expected = build_world(now)[name]

    queued = sweep(name, now)
    first = addresses(mailoutbox)
    # Moved forward: the subjects are still due, the reminders already sent.
    again = sweep(name, now + dt.timedelta(hours=12))
    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(hours=18)):
        with_patched_clock = sweep(name, now + dt.timedelta(hours=18))

    assert queued == len(expected)
    assert first == sorted(expected)
    assert (again, with_patched_clock, len(mailoutbox)) == (0, 0, len(expected))
    assert Reminder.objects.filter(kind=name, sent_at=None).count() == 0


def test_a_moved_due_date_gives_one_new_reminder(now, sweep, mailoutbox) -> None:
    org = PartnerOrganisationFactory()
    OrganisationMembershipFactory(user=user("staf@welzijn.nl"), organisation=org)
    action = ActionFactory(
        owner_organisation=org, due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    sweep(Kind.ACTION_OVERDUE, now)
    action.due_date = timezone.localdate() - dt.timedelta(days=3)  # corrected, still overdue
    action.save()
    sweep(Kind.ACTION_OVERDUE, now + dt.timedelta(days=1))
    sweep(Kind.ACTION_OVERDUE, now + dt.timedelta(days=2))

    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_on_postgresql_send_every_reminder_once(now, mailoutbox) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections: runs on PostgreSQL (as in CI)")
    expected = build_world(now)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            for name in reminders.SWEEPS:
                reminders.run_sweep(name, now=now)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for __ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(mail.outbox) == sum(len(people) for people in expected.values())
    assert Reminder.objects.filter(sent_at=None).count() == 0
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_reminder_the_mail_server_refuses_is_sent_once_by_a_later_outbox_sweep(
    now, sweep, mailoutbox
) -> None:
    expected = build_world(now)[Kind.ACTION_OVERDUE]
    original = locmem.EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise SMTPException("451 try again later")
        return original(self, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", flaky):
        sweep(Kind.ACTION_OVERDUE, now)
    # Each reminder is written to the outbox once; the refused mail waits there.
    assert Reminder.objects.filter(kind=Kind.ACTION_OVERDUE, sent_at=None).count() == 0
    (waiting,) = OutgoingMail.objects.unsent()
    assert (waiting.attempts, waiting.last_error) == (1, "SMTPException: 451 try again later")
    for reminder in Reminder.objects.all():  # duplicate task messages change nothing
        send_reminder.apply(kwargs={"reminder_id": reminder.pk})
    later = sweep(Kind.ACTION_OVERDUE, now + dt.timedelta(hours=1))
    assert len(mailoutbox) == len(expected) - 1

    sent = outbox.send_due(now=timezone.now() + dt.timedelta(minutes=1))

    assert (sent[outbox.SENT], later, addresses(mailoutbox)) == (1, 0, sorted(expected))
    assert len(calls) == len(expected)  # under the patch: the refused mail and the others
    assert OutgoingMail.objects.unsent().count() == 0
    assert OutgoingMail.objects.count() == len(expected)


def test_a_lost_claim_is_queued_again_after_the_retry_interval(now, sweep, mailoutbox) -> None:
    build_world(now)
    with mock.patch.object(reminders, "queue_due", return_value=0):
        sweep(Kind.AGENDA_REVIEW, now)  # recorded, not queued
    lost, fresh = Reminder.objects.filter(kind=Kind.AGENDA_REVIEW).order_by("pk")
    # A worker claimed `lost` long ago and died; another claimed `fresh` a minute ago.
    Reminder.objects.filter(pk=lost.pk).update(
        queued_at=now - dt.timedelta(minutes=30), claimed_at=now - dt.timedelta(minutes=30)
    )
    Reminder.objects.filter(pk=fresh.pk).update(
        queued_at=now - dt.timedelta(minutes=1), claimed_at=now - dt.timedelta(minutes=1)
    )

    queued = sweep(Kind.AGENDA_REVIEW, now)

    assert (queued, addresses(mailoutbox)) == (1, [lost.recipient_email])
    assert Reminder.objects.get(pk=fresh.pk).sent_at is None


def test_a_reminder_for_a_deleted_subject_is_dropped(now, sweep, mailoutbox) -> None:
    build_world(now)
    with mock.patch.object(reminders, "queue_due", return_value=0):
        sweep(Kind.MEETING_SOON, now)
    Reminder.objects.first().content_type.model_class().objects.filter(
        starts_at__lt=now + dt.timedelta(days=1)
    ).delete()

    sweep(Kind.MEETING_SOON, now)

    assert (len(mailoutbox), Reminder.objects.count()) == (0, 0)


def test_the_email_is_multipart_with_links(now, sweep, mailoutbox, settings) -> None:
    settings.WIJKPORTAAL_BASE_URL = "https://wijkportaal.example.nl"
    build_world(now)
    sweep(Kind.ACTION_DUE_SOON, now)
    action = Action.objects.get(contact_email="Contact@Welzijn.nl")
    message = next(m for m in mailoutbox if m.to == ["staf@welzijn.nl"])
    html, mimetype = message.alternatives[0]
    link = f"https://wijkportaal.example.nl/acties/{action.pk}/"

    assert mimetype == "text/html"
    assert message.subject == f"Reminder: the action “{action.title}” is due soon"
    assert "is due on" in message.body and "is due on" in html
    assert link in message.body and f'href="{link}"' in html
    assert "https://wijkportaal.example.nl/account/meldingen/" in message.body
    assert "<" not in message.body.replace("<http", "")
    assert "notification settings" in html


def test_recipients_with_an_account_get_a_notification(now, sweep, mailoutbox) -> None:
    build_world(now)
    staff = OrganisationMembershipFactory._meta.model.objects.get(user__email="staf@stil.nl").user
    NotificationPreference.objects.create(
        user=staff, kind=Notification.Kind.REMINDER, frequency="off"
    )

    sweep(Kind.ACTION_STALLED, now)

    notifications = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    # The contact e-mail has no account; the staff member turned reminder e-mail off.
    assert addresses(mailoutbox) == ["stil@extern.nl"]
    assert [n.recipient.email for n in notifications] == ["staf@stil.nl"]
    assert notifications[0].url.startswith("/acties/")


def test_run_sweep_command_prints_how_many_it_queued(now, mailoutbox) -> None:
    build_world(timezone.now())
    out = mock.Mock()
    call_command("run_sweep", "action_overdue", "agenda_review", stdout=out)
    call_command("run_sweep", "--all", stdout=out)

    written = "".join(call.args[0] for call in out.write.call_args_list)
    assert "action_overdue: 1 reminder(s) queued" in written
    assert "agenda_review: 2 reminder(s) queued" in written
    assert "agenda_review: 0 reminder(s) queued" in written
    assert "meeting_soon: 3 reminder(s) queued" in written
    with pytest.raises(CommandError):
        call_command("run_sweep", "nonsense")
    with pytest.raises(CommandError):
        call_command("run_sweep")


def test_the_sweep_task_runs_the_named_sweeps(now, django_capture_on_commit_callbacks) -> None:
    build_world(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_reminders.delay(names=["agenda_review", "unknown"]).get()

    assert result == {"agenda_review": 2}
