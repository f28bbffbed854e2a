"""Real components: reminders through Redis to a Celery worker process, and a real SMTP path.

The worker tests start their own redis-server (so that one test can stop it and the queues
are nobody else's) and real `celery worker --pool=solo` processes on the test database
(tests/workers.py has the machinery and says when they run). The SMTP test needs nothing but
the standard library: a tiny SMTP sink on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import email
import signal
import time

import pytest
from django.utils import timezone

from accounts.models import OutgoingMail
from followup.models import Reminder
from followup.services import reminders
from tests.factories import ActionFactory, OrganisationMembershipFactory, UserFactory
from tests.workers import (
    RETRY_MINUTES,
    RedisServer,
    SMTPSink,
    Workers,
    mails,
    overdue_actions,
    reset_producer,
    wait_for,
)

pytestmark = [pytest.mark.english]


@pytest.mark.worker
def test_a_reminder_goes_through_redis_to_a_worker(workers: Workers) -> None:
    staff = UserFactory(email="staf@welzijn.nl")
    action = ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=2))
    OrganisationMembershipFactory(user=staff, organisation=action.owner_organisation)
    workers.start()

    queued = reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)
    wait_for(lambda: mails(workers.mail_dir), 15, "the worker's e-mail")

    # The worker records sent_at just after the mail backend wrote the file: wait for both.
    wait_for(
        lambda: Reminder.objects.filter(sent_at__isnull=False).exists(), 15, "sent_at recorded"
    )

    [message] = mails(workers.mail_dir)
    assert (queued, message["To"]) == (1, "staf@welzijn.nl")
    assert message.get_content_type() == "multipart/alternative"
    assert Reminder.objects.get().sent_at is not None


@pytest.mark.worker
def test_killing_a_worker_mid_sweep_sends_every_reminder_once(workers: Workers) -> None:
    addresses = overdue_actions(30)
    first = workers.start(mail_delay=0.05)

    assert reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE) == 30
    wait_for(lambda: len(mails(workers.mail_dir)) >= 5, 15, "the first e-mails")
    first.send_signal(signal.SIGKILL)
    first.wait()
    sent_before = len(mails(workers.mail_dir))
    time.sleep(RETRY_MINUTES * 60 + 0.5)  # the dead worker's claim is now stale
    workers.start()  # at start it sweeps the outbox: the dead worker's mails go out
    requeued = reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)
    wait_for(lambda: not Reminder.objects.filter(sent_at=None).exists(), 20, "all reminders")
    wait_for(lambda: not OutgoingMail.objects.unsent().exists(), 20, "the outbox emptied")

    received = sorted(message["To"] for message in mails(workers.mail_dir))
    assert 5 <= sent_before < 30
    # The new worker may already have drained some queued messages before this sweep ran;
    # what the sweep must never do is queue again what was sent.
    assert requeued <= 30 - sent_before
    # Every address, and each once, but for the one mail the kill may have caught between
    # the mail backend taking it and the outbox recording that (bench/kill_trial.py tells
    # those apart over many kills).
    assert sorted(set(received)) == sorted(addresses)
    assert len(received) - len(addresses) <= 1
    assert OutgoingMail.objects.filter(sent_at__isnull=False).count() == 30


@pytest.mark.worker
def test_with_redis_stopped_the_site_serves_and_the_work_is_done_later(
    workers: Workers, broker: RedisServer, client, caplog
) -> None:
    addresses = overdue_actions(2)
    broker.stop()

    page = client.get("/")
    started = time.monotonic()
    queued = reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)  # queues on commit: no raise
    took = time.monotonic() - started

    assert page.status_code == 200
    assert queued == 2 and took < 10
    assert "Could not queue task followup.send_reminder" in caplog.text
    assert Reminder.objects.filter(sent_at=None).count() == 2

    broker.start()
    reset_producer()
    workers.start()
    time.sleep(RETRY_MINUTES * 60 + 0.5)  # the lost messages count as lost
    assert reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE) == 2
    wait_for(lambda: len(mails(workers.mail_dir)) == 2, 15, "the e-mails after the outage")

    assert sorted(m["To"] for m in mails(workers.mail_dir)) == sorted(addresses)


@pytest.mark.django_db
def test_a_reminder_is_sent_over_real_smtp(
    smtp_sink: SMTPSink, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    [address] = overdue_actions(1)

    with django_capture_on_commit_callbacks(execute=True):
        queued = reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)

    [raw] = smtp_sink.messages
    message = email.message_from_bytes(raw)
    parts = [part.get_content_type() for part in message.walk()]
    assert (queued, message["To"]) == (1, address)
    assert parts == ["multipart/alternative", "text/plain", "text/html"]
