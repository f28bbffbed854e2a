"""No mail lost to an outage: real Redis, a real Celery worker, PostgreSQL and an SMTP sink.

- Redis down: an invitation, a notification and a reminder made meanwhile are each
  delivered once Redis is back (the worker sweeps the outbox when it starts; the reminder
  sweep queues its lost task again).
- The mail server down for an hour: the mails made meanwhile wait in the outbox and are
  delivered once it is back (the clock is moved an hour by moving the rows' times back).

The machinery (a Redis of the test's own, worker processes, the SMTP sink) is in
tests/workers.py; these tests run where REDIS_URL or CI is set, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import email
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.models import F

from accounts import services
from accounts.models import OutgoingMail
from accounts.notifications import notify
from accounts.tasks import send_outbox
from areas.services import TEAM_INVITATION
from followup.models import Reminder
from followup.services import reminders
from tests.factories import UserFactory
from tests.workers import (
    RETRY_MINUTES,
    SMTPSink,
    Workers,
    free_port,
    overdue_actions,
    reset_producer,
    wait_for,
)

pytestmark = [pytest.mark.english, pytest.mark.worker]


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    server = SMTPSink(free_port())
    yield server
    server.shutdown()
    server.server_close()


def serve(server: SMTPSink) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


def recipients(server: SMTPSink) -> list[str]:
    return sorted(email.message_from_bytes(raw)["To"] for raw in server.messages)


def invite_and_notify(gebiedsteam_pk: int) -> None:
    resident = UserFactory(email="bewoner@voorbeeld.nl")
    with transaction.atomic():
        services.invite(
            email="nieuw@voorbeeld.nl",
            invited_by=None,
            purpose={
                "kind": TEAM_INVITATION,
                "gebiedsteam": gebiedsteam_pk,
                "role": "ondersteuner",
            },
            base_url="http://portal.example",
        )
    with transaction.atomic():
        notify(recipients=[resident], kind="update", title="Nieuws uit Noord")


def test_mail_made_while_redis_is_down_is_delivered_once_redis_is_back(
    workers: Workers, broker, sink: SMTPSink, gebiedsteam, caplog
) -> None:
    serve(sink)
    [contact] = overdue_actions(1)
    broker.stop()

    invite_and_notify(gebiedsteam.pk)
    assert reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE) == 1

    # Nothing could be queued, and nothing is lost: the mails and the reminder wait.
    assert "Could not queue task accounts.send_mail" in caplog.text
    assert "Could not queue task followup.send_reminder" in caplog.text
    assert OutgoingMail.objects.unsent().count() == 2
    assert Reminder.objects.filter(sent_at=None).count() == 1

    broker.start()
    reset_producer()
    workers.start(smtp_port=sink.server_address[1])  # sweeps the outbox as it starts
    wait_for(lambda: len(sink.messages) == 2, 20, "the mails made during the outage")
    time.sleep(RETRY_MINUTES * 60 + 0.5)  # the reminder's lost task counts as lost
    assert reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE) == 1
    wait_for(lambda: len(sink.messages) == 3, 20, "the reminder")
    time.sleep(0.5)  # nothing more comes

    assert recipients(sink) == sorted(["nieuw@voorbeeld.nl", "bewoner@voorbeeld.nl", contact])
    assert OutgoingMail.objects.unsent().count() == 0


def test_mail_made_while_the_mail_server_is_down_for_an_hour_is_delivered_once_it_is_back(
    workers: Workers, broker, gebiedsteam
) -> None:
    port = free_port()  # nothing listens there yet: the connection is refused
    workers.start(smtp_port=port)

    invite_and_notify(gebiedsteam.pk)
    wait_for(
        lambda: OutgoingMail.objects.filter(attempts=1, claimed_at=None).count() == 2,
        20,
        "the first attempts",
    )
    waiting = list(OutgoingMail.objects.unsent().values_list("last_error", flat=True))
    assert len(waiting) == 2
    assert all(error.startswith("ConnectionRefusedError") for error in waiting)

    # An hour passes (the rows' clock is moved back an hour), then the server is back and
    # beat's sweep runs.
    hour = dt.timedelta(hours=1)
    OutgoingMail.objects.update(
        created_at=F("created_at") - hour, next_attempt_at=F("next_attempt_at") - hour
    )
    sink = SMTPSink(port)
    serve(sink)
    try:
        send_outbox.delay()
        wait_for(lambda: len(sink.messages) == 2, 20, "the mails once the server is back")
        time.sleep(0.5)
    finally:
        sink.shutdown()
        sink.server_close()

    assert recipients(sink) == ["bewoner@voorbeeld.nl", "nieuw@voorbeeld.nl"]
    assert list(OutgoingMail.objects.values_list("attempts", "failed_at")) == [
        (2, None),
        (2, None),
    ]
    assert OutgoingMail.objects.unsent().count() == 0
