"""E-mail of notifications per the user's preferences: at once, daily or weekly digests, off
(accounts.digests, accounts.tasks, the settings page)."""

from __future__ import annotations

import datetime as dt
import re
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import digests, emails, outbox, tasks
from accounts.models import Notification, NotificationPreference, OutgoingMail, User
from accounts.notifications import notify
from tests.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

SETTINGS_URL = "/account/meldingen/instellingen/"
BASE = "http://portal.example"
UPDATE = Notification.Kind.UPDATE
NOTHING = {
    outbox.SENT: 0,
    outbox.RETRY: 0,
    outbox.FAILED: 0,
    outbox.WITHDRAWN: 0,
    outbox.NOT_CLAIMED: 0,
}


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WIJKPORTAAL_BASE_URL = BASE


def prefer(user: User, frequency: str, kind: str = UPDATE) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, frequency=frequency)


def news(user: User, title: str, *, minutes_ago: int = 10, **extra) -> Notification:
    return NotificationFactory(
        recipient=user,
        title=title,
        url=f"/wijken/{title.lower()}/",
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **extra,
    )


def listed(message) -> list[str]:
    return re.findall(r"^- (.+?) \(", message.body, re.M)


# Settings page


@pytest.fixture
def client(resident: User) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def test_settings_page_shows_every_kind_with_immediately_as_default(client, resident):
    prefer(resident, "weekly")

    response = client.get(SETTINGS_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == Notification.Kind.values
    assert {name: form[name].value() for name in form.fields} == {
        **dict.fromkeys(Notification.Kind.values, "immediately"),
        "update": "weekly",
    }


def test_settings_are_saved_and_redirect_back(client, resident):
    data = dict.fromkeys(Notification.Kind.values, "daily")
    data["reminder"] = "off"

    response = client.post(SETTINGS_URL, data)

    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    assert digests.preferences_of(resident) == data
    assert client.get(SETTINGS_URL).context["form"]["reminder"].value() == "off"


def test_settings_with_an_unknown_frequency_are_400_and_save_nothing(client, resident):
    data = dict.fromkeys(Notification.Kind.values, "daily")
    data["update"] = "hourly"

    response = client.post(SETTINGS_URL, data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["update"]
    assert NotificationPreference.objects.count() == 0


def test_settings_htmx_returns_the_form_fragment_with_a_notice(client, resident):
    data = dict.fromkeys(Notification.Kind.values, "weekly")

    response = client.post(SETTINGS_URL, data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preferences"')
    assert "Your notification settings have been saved." in response.text
    assert "<h1" not in response.text
    assert digests.preferences_of(resident) == data


def test_settings_htmx_invalid_returns_the_fragment_with_errors_and_400(client):
    response = client.post(SETTINGS_URL, {"update": "hourly"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert response.text.lstrip().startswith('<section id="preferences"')
    assert NotificationPreference.objects.count() == 0


def test_settings_anonymous_is_sent_to_sign_in(db):
    response = Client().get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/account/inloggen/?next={SETTINGS_URL}"


def test_notification_centre_links_to_the_settings(client):
    response = client.get("/account/meldingen/")

    assert f'href="{SETTINGS_URL}"' in response.text


# One e-mail per notification


def test_immediate_email_is_sent_once_multipart_with_links(
    django_capture_on_commit_callbacks, resident
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(
            recipients=[resident], kind=UPDATE, title="Published: Agenda Noord", url="/wijk/"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bewoner@example.org"]
    assert message.subject == "Published: Agenda Noord"
    assert f"{BASE}/wijk/" in message.body
    assert f"{BASE}{SETTINGS_URL}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{BASE}/wijk/"' in html
    assert f'href="{BASE}{SETTINGS_URL}"' in html

    # A second run of the same task (a retry, a second worker) sends nothing.
    (queued,) = OutgoingMail.objects.all()
    assert outbox.send_mail.delay(mail_id=queued.pk).get() == outbox.NOT_CLAIMED
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    queued.refresh_from_db()
    assert (queued.notification, queued.attempts, queued.state) == (notification, 1, "sent")


@pytest.mark.parametrize("frequency", ["daily", "weekly", "off"])
def test_no_immediate_email_for_other_frequencies(
    django_capture_on_commit_callbacks, resident, frequency
):
    prefer(resident, frequency)
    other = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[resident, other], kind=UPDATE, title="Nieuws")

    assert [message.to for message in mail.outbox] == [[other.email]]


def test_notify_without_email_marks_the_notifications_as_emailed(
    django_capture_on_commit_callbacks, resident
):
    prefer(resident, "daily")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[resident], kind=UPDATE, title="Gemaild door de afzender", email=False)
        tasks.queue_digests.delay(frequency="daily")

    assert mail.outbox == []


def test_an_immediate_email_that_fails_waits_in_the_outbox_for_the_next_attempt(resident):
    (notification,) = notify(recipients=[resident], kind=UPDATE, title="Nieuws")
    (queued,) = OutgoingMail.objects.all()
    now = timezone.now()

    failing = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException)
    with failing:
        assert outbox.deliver(queued.pk, now=now) == outbox.RETRY

    queued.refresh_from_db()
    assert (queued.state, queued.attempts, queued.claimed_at) == ("waiting", 1, None)
    assert queued.next_attempt_at == now + dt.timedelta(minutes=1)
    assert queued.last_error == "SMTPException: "
    # Not offered to a digest meanwhile: the mail is the outbox's now.
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert outbox.send_due(now=now) == {**NOTHING}
    assert outbox.send_due(now=now + dt.timedelta(minutes=1)) == {**NOTHING, outbox.SENT: 1}
    assert [message.subject for message in mail.outbox] == ["Nieuws"]


# Digests


def test_daily_digest_goes_only_to_the_user_with_news_listing_exactly_their_news(
    django_capture_on_commit_callbacks,
):
    daily, weekly, quiet = UserFactory(), UserFactory(), UserFactory()
    for user in (daily, quiet):
        prefer(user, "daily")
    prefer(weekly, "weekly")
    news(daily, "Noord", minutes_ago=30)
    news(daily, "Oost", minutes_ago=20)
    news(daily, "Gelezen", read_at=timezone.now())  # read in the portal: not news
    news(daily, "Gemaild", emailed_at=timezone.now())  # e-mailed already
    news(daily, "Antwoord", kind=Notification.Kind.COMMENT_REPLY)  # immediately, not daily
    news(weekly, "West")
    news(quiet, "Oud", read_at=timezone.now())
    news(quiet, "Verstuurd", emailed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.queue_digests(frequency="daily")

    assert queued == [daily.pk]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [daily.email]
    assert message.subject == "Your daily summary of notifications"
    assert listed(message) == ["Noord", "Oost"]
    assert f"{BASE}/wijken/noord/" in message.body
    assert f"{BASE}{SETTINGS_URL}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', html) == ["Noord", "Oost"]

    # The sweep again: nobody has news, no task, no mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_digests(frequency="daily") == []
    assert len(mail.outbox) == 1


def test_weekly_digest_goes_to_the_weekly_user_only(django_capture_on_commit_callbacks):
    daily, weekly = UserFactory(), UserFactory()
    prefer(daily, "daily")
    prefer(weekly, "weekly")
    news(daily, "Noord")
    news(weekly, "West")
    news(weekly, "Zuid", minutes_ago=5)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_digests.delay(frequency="weekly")

    assert [message.to for message in mail.outbox] == [[weekly.email]]
    assert mail.outbox[0].subject == "Your weekly summary of notifications"
    assert listed(mail.outbox[0]) == ["West", "Zuid"]


def test_off_sends_no_digest(django_capture_on_commit_callbacks, resident):
    prefer(resident, "off")
    news(resident, "Noord")

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.queue_digests(frequency="daily") == []
        assert tasks.queue_digests(frequency="weekly") == []

    assert mail.outbox == []


def test_a_digest_written_twice_is_one_mail(django_capture_on_commit_callbacks, resident):
    prefer(resident, "daily")
    news(resident, "Noord")

    with django_capture_on_commit_callbacks(execute=True):
        assert emails.write_digest(user=resident, frequency="daily") == 1
        assert emails.write_digest(user=resident, frequency="daily") == 0

    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().kind == OutgoingMail.Kind.DIGEST


def test_a_digest_lists_only_what_is_unclaimed_when_it_is_written(
    django_capture_on_commit_callbacks, resident
):
    prefer(resident, "daily")
    taken = news(resident, "Noord", minutes_ago=30)
    news(resident, "Oost", minutes_ago=20)
    # Between finding the users with news and writing the digest, an immediate e-mail took one.
    assert digests.users_due_for_digest("daily") == [resident.pk]
    Notification.objects.filter(pk=taken.pk).update(emailed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert emails.write_digest(user=resident, frequency="daily") == 1

    assert len(mail.outbox) == 1
    assert listed(mail.outbox[0]) == ["Oost"]


def test_an_empty_digest_is_never_written(django_capture_on_commit_callbacks, resident):
    prefer(resident, "daily")
    news(resident, "Noord")
    # Everything was read before the digest was written.
    Notification.objects.update(read_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert emails.write_digest(user=resident, frequency="daily") == 0

    assert (mail.outbox, OutgoingMail.objects.count()) == ([], 0)


def test_a_digest_the_mail_server_refuses_is_sent_by_a_later_sweep(resident):
    prefer(resident, "daily")
    news(resident, "Noord")
    assert tasks.queue_digests(frequency="daily") == [resident.pk]
    now = timezone.now()

    failing = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException)
    with failing:
        assert outbox.send_due(now=now) == {**NOTHING, outbox.RETRY: 1}

    # Its news stays claimed by the waiting digest: no second digest lists it.
    assert tasks.queue_digests(frequency="daily") == []
    assert outbox.send_due(now=now + dt.timedelta(minutes=1)) == {**NOTHING, outbox.SENT: 1}
    assert [listed(message) for message in mail.outbox] == [["Noord"]]


def test_the_beat_schedule_sweeps_daily_and_weekly_at_seven(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE

    daily, weekly = schedule["digests-daily"], schedule["digests-weekly"]
    assert (daily["task"], daily["kwargs"]) == ("accounts.queue_digests", {"frequency": "daily"})
    assert (weekly["task"], weekly["kwargs"]) == (
        "accounts.queue_digests",
        {"frequency": "weekly"},
    )
    assert (daily["schedule"].hour, daily["schedule"].minute) == ({7}, {0})
    assert daily["schedule"].day_of_week == set(range(7))
    assert (weekly["schedule"].hour, weekly["schedule"].minute) == ({7}, {0})
    assert weekly["schedule"].day_of_week == {1}
