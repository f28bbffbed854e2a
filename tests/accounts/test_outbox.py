"""The outbox (accounts/outbox.py): claims, retries with a growing pause for 48 hours,
failure for good, mails with a secret link, and what the functional administrator sees.

The mail server's answers are Django's locmem backend, made to fail where a test says so;
tests/accounts/test_outbox_worker.py does the same through Redis, a worker and an SMTP
sink."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.test import Client

from accounts import outbox
from accounts.models import Invitation, OutgoingMail
from accounts.notifications import notify
from tests.factories import UserFactory
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def write(**fields) -> OutgoingMail:
    values = {
        "kind": OutgoingMail.Kind.NOTIFICATION,
        "to": "bewoner@example.org",
        "subject": "Nieuw voorstel in Noord",
        "text": "Er is een nieuw voorstel.",
        "created_at": T0,
        "next_attempt_at": T0,
        **fields,
    }
    return OutgoingMail.objects.create(**values)


def refusing(error: Exception):
    return mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=error)


def test_a_mail_is_sent_once_with_its_text_and_html() -> None:
    waiting = write(html="<p>Er is een nieuw voorstel.</p>")

    assert outbox.deliver(waiting.pk, now=T0) == outbox.SENT
    assert outbox.deliver(waiting.pk, now=T0) == outbox.NOT_CLAIMED

    (message,) = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["bewoner@example.org"],
        "Nieuw voorstel in Noord",
        "Er is een nieuw voorstel.",
    )
    assert message.alternatives == [("<p>Er is een nieuw voorstel.</p>", "text/html")]
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts, waiting.claimed_at) == ("sent", 1, None)


def test_a_claim_holds_off_other_senders_until_it_is_older_than_a_send_can_take(
    settings,
) -> None:
    settings.WIJKPORTAAL_MAIL_CLAIM_SECONDS = 120
    waiting = write()
    assert outbox.claim(waiting.pk, now=T0)  # a sender that then died

    assert outbox.deliver(waiting.pk, now=T0 + dt.timedelta(seconds=119)) == outbox.NOT_CLAIMED
    assert outbox.deliver(waiting.pk, now=T0 + dt.timedelta(seconds=121)) == outbox.SENT
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().attempts == 2


def test_a_failed_attempt_waits_1_2_4_minutes_then_at_most_an_hour(settings) -> None:
    settings.WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES = 60
    waiting = write()
    pauses = []
    now = T0
    with refusing(smtplib.SMTPServerDisconnected("Connection unexpectedly closed")):
        for __ in range(9):
            assert outbox.deliver(waiting.pk, now=now) == outbox.RETRY
            waiting.refresh_from_db()
            pauses.append(int((waiting.next_attempt_at - now).total_seconds() // 60))
            # Not before its time: a sweep just before the next attempt leaves it alone.
            before = waiting.next_attempt_at - dt.timedelta(seconds=1)
            assert outbox.deliver(waiting.pk, now=before) == outbox.NOT_CLAIMED
            now = waiting.next_attempt_at

    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert (waiting.attempts, waiting.state, waiting.claimed_at) == (9, "waiting", None)
    assert waiting.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_after_48_hours_of_failures_the_mail_has_failed_for_good(settings) -> None:
    settings.WIJKPORTAAL_MAIL_RETRY_HOURS = 48
    waiting = write()

    with refusing(ConnectionRefusedError(111, "Connection refused")):
        assert outbox.deliver(waiting.pk, now=T0 + dt.timedelta(hours=47, minutes=59)) == (
            outbox.RETRY
        )
        OutgoingMail.objects.filter(pk=waiting.pk).update(next_attempt_at=T0)
        assert outbox.deliver(waiting.pk, now=T0 + dt.timedelta(hours=48)) == outbox.FAILED

    waiting.refresh_from_db()
    assert (waiting.state, waiting.failed_at) == ("failed", T0 + dt.timedelta(hours=48))
    assert waiting.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert outbox.send_due(now=T0 + dt.timedelta(days=5))[outbox.SENT] == 0
    assert outbox.counts() == {"waiting": 0, "failed": 1}


def test_an_address_the_server_refuses_for_good_fails_at_once_and_a_full_mailbox_waits() -> None:
    refused, full = write(to="weg@example.org"), write(to="vol@example.org")

    with refusing(smtplib.SMTPRecipientsRefused({"weg@example.org": (550, b"No such user")})):
        assert outbox.deliver(refused.pk, now=T0) == outbox.FAILED
    with refusing(smtplib.SMTPRecipientsRefused({"vol@example.org": (452, b"Mailbox full")})):
        assert outbox.deliver(full.pk, now=T0) == outbox.RETRY

    assert outbox.counts() == {"waiting": 1, "failed": 1}


def test_a_mail_with_a_secret_link_keeps_no_text_once_it_failed() -> None:
    waiting = write(kind="password_reset", sensitive=True, text="https://portal/reset/abc/")

    with refusing(smtplib.SMTPRecipientsRefused({"bewoner@example.org": (550, b"No")})):
        assert outbox.deliver(waiting.pk, now=T0) == outbox.FAILED

    waiting.refresh_from_db()
    assert (waiting.state, waiting.text, waiting.html) == ("failed", "", "")


def test_a_sweep_sends_what_is_due_oldest_first_and_stops_when_the_server_is_away() -> None:
    first = write(to="een@example.org")
    second = write(to="twee@example.org", next_attempt_at=T0 + dt.timedelta(seconds=1))
    write(to="later@example.org", next_attempt_at=T0 + dt.timedelta(hours=1))
    sent = write(to="al@example.org", sent_at=T0)
    now = T0 + dt.timedelta(minutes=1)

    with refusing(ConnectionRefusedError(111, "Connection refused")):
        away = outbox.send_due(now=now)
    back = outbox.send_due(now=now + dt.timedelta(minutes=1))

    # The first failure ends the sweep: the second mail was not even tried.
    assert (away[outbox.RETRY], away[outbox.SENT]) == (1, 0)
    assert OutgoingMail.objects.get(pk=second.pk).attempts == 1
    assert (back[outbox.SENT], back[outbox.NOT_CLAIMED]) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["een@example.org", "twee@example.org"]
    assert OutgoingMail.objects.get(pk=first.pk).attempts == 2
    assert OutgoingMail.objects.get(pk=sent.pk).attempts == 0


def test_notify_writes_the_mail_in_its_own_transaction_so_a_rollback_leaves_none(
    resident,
) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[resident], kind="update", title="Nieuws")
        raise RuntimeError("the event failed")

    assert OutgoingMail.objects.count() == 0


# What the functional administrator sees and does


def test_status_tells_only_the_functional_administrator_the_counts(client, staff) -> None:
    write(failed_at=T0)
    write()
    write(sent_at=T0)

    anonymous = client.get("/status/")
    admin = signed_in(staff).get("/status/")
    resident = signed_in(UserFactory()).get("/status/")

    assert anonymous.content == b"ok\n"
    assert "Set-Cookie" not in anonymous.headers
    assert resident.content == b"ok\n"
    assert admin.content == b"ok\nmail-waiting 1\nmail-failed 1\n"


def test_the_functional_administrator_tries_a_failed_mail_again(
    staff, django_capture_on_commit_callbacks
) -> None:
    failed = write(failed_at=T0, attempts=40, last_error="SMTPServerDisconnected: …")
    other = write(failed_at=T0, to="ander@example.org")
    client: Client = signed_in(staff)
    changelist = "/beheer/accounts/outgoingmail/"

    listed = client.get(changelist, {"state": "failed"})
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            changelist,
            {"action": "try_again", "_selected_action": [failed.pk]},
            follow=True,
        )

    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 2
    assert answer.status_code == 200
    assert "1 failed e-mail is tried again." in answer.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("sent", 1)
    assert [m.to for m in mail.outbox] == [["bewoner@example.org"]]
    assert OutgoingMail.objects.get(pk=other.pk).state == "failed"


def test_the_functional_administrator_sends_a_failed_invitation_again_with_a_new_link(
    staff, gebiedsteam, django_capture_on_commit_callbacks
) -> None:
    from areas.services import invite_to_gebiedsteam

    invitation = invite_to_gebiedsteam(
        gebiedsteam=gebiedsteam,
        email="nieuw@example.org",
        role="ondersteuner",
        invited_by=staff,
        base_url="http://testserver/",
    )
    (first,) = OutgoingMail.objects.all()
    with refusing(smtplib.SMTPRecipientsRefused({"nieuw@example.org": (550, b"Unknown")})):
        assert outbox.deliver(first.pk) == outbox.FAILED
    old_hash = Invitation.objects.get().token_hash

    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in(staff).post(
            "/beheer/accounts/outgoingmail/",
            {"action": "send_invitation_again", "_selected_action": [first.pk]},
            follow=True,
        )

    assert answer.status_code == 200
    assert (
        "1 invitation is sent again with a new link; the old link no longer works."
        in answer.content.decode()
    )
    (message,) = mail.outbox
    assert message.to == ["nieuw@example.org"]
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert "http://testserver/account/uitnodiging/" in message.body
    assert OutgoingMail.objects.filter(invitation=invitation, sent_at__isnull=False).count() == 1
    # The failed mail's link is dead: it is withdrawn, and no longer counts as failed.
    first.refresh_from_db()
    assert (first.state, outbox.counts()) == ("withdrawn", {"waiting": 0, "failed": 0})


def test_a_waiting_invitation_shows_no_link_in_the_admin(staff) -> None:
    waiting = write(kind="invitation", sensitive=True, text="http://portal/uitnodiging/geheim/")
    plain = write()

    secret = signed_in(staff).get(f"/beheer/accounts/outgoingmail/{waiting.pk}/change/")
    shown = signed_in(staff).get(f"/beheer/accounts/outgoingmail/{plain.pk}/change/")

    assert (secret.status_code, shown.status_code) == (200, 200)
    assert "geheim" not in secret.content.decode()
    assert "Er is een nieuw voorstel." in shown.content.decode()
