"""The kill trial: SIGKILL a Celery worker in the middle of a sweep of reminders, again and
again, and count what reached the mail server.

Each trial records 100 overdue actions (one contact address each), runs the reminder sweep
through a real Redis to a real worker that mails over SMTP to a sink in this process (which
takes `--accept-delay` seconds to accept each message, as a real server does), kills the
worker with SIGKILL after a random number of reminders written to the outbox (odd trials)
or of mails sent (even trials), starts a new worker once the dead
worker's claims have expired, sweeps again, and waits until every reminder is sent and the
outbox is empty. Then per address: lost (never received), or received more than once.

A duplicate is explained when the kill fell inside the SMTP exchange of its first copy: that
connection ended without QUIT (the worker died holding it), or the kill came within
`--window` seconds after the exchange ended (before the outbox could record the mail sent).

    python -m bench.kill_trial --database-url postgres://postgres@127.0.0.1:5432/ --trials 30

Needs redis-server on the PATH and a PostgreSQL server; uses the database `bench_kill`
(dropped and created). Uses the test suite's worker machinery (tests/workers.py), so it
runs from a checkout with the dev packages installed. Writes a JSON summary (`--out`).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import email
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_WORK_DIR, database_url, masked, recreate_database

RETRY_MINUTES = 0.05  # the worker settings of tests/workers.py: claims expire after 3 s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kill_trial", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--reminders", type=int, default=100)
    parser.add_argument("--accept-delay", type=float, default=0.02)
    parser.add_argument("--window", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=DEFAULT_WORK_DIR / "run-kill.json")
    args = parser.parse_args(argv)

    url = database_url(args.database_url, "bench_kill", DEFAULT_WORK_DIR)
    if not url.startswith("postgres"):
        raise SystemExit("The kill trial needs a PostgreSQL server (--database-url).")
    recreate_database(url)
    print(f"==> Database {masked(url)}", flush=True)

    with tempfile.TemporaryDirectory(prefix="wijkportaal-kill-") as tmp:
        work = Path(tmp)
        os.environ.update(
            {
                "DATABASE_URL": url,
                "DJANGO_SECRET_KEY": "bench-only-not-secret",
                "DJANGO_SETTINGS_MODULE": "wijkportaal.settings",
                "DJANGO_DEBUG": "false",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "WIJKPORTAAL_LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        from tests.workers import RedisServer

        redis = RedisServer(work)
        redis.start()
        from wijkportaal.celery import app

        # This process queues to that Redis; the settings were read before it started.
        app.conf.broker_url = redis.url
        app.conf.task_always_eager = False
        try:
            summary = run_trials(args, redis.url, work)
        finally:
            redis.stop()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    totals = summary["totals"]
    print(
        f"==> {totals['trials']} kills, {totals['expected']} mails expected: "
        f"{totals['lost']} lost, {totals['duplicates']} duplicated "
        f"({totals['explained']} with the kill inside an SMTP exchange). {args.out}",
        flush=True,
    )
    return 0 if totals["lost"] == 0 and totals["duplicates"] == totals["explained"] else 1


def run_trials(args: argparse.Namespace, broker: str, work: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    settings.WIJKPORTAAL_REMINDER_RETRY_MINUTES = RETRY_MINUTES
    settings.WIJKPORTAAL_MAIL_CLAIM_SECONDS = RETRY_MINUTES * 60

    from accounts.models import OutgoingMail
    from accounts.tasks import send_outbox
    from agendas.models import Action
    from followup.models import Reminder
    from followup.services import reminders
    from tests.factories import ActionFactory
    from tests.workers import SMTPSink, Workers, wait_for

    rng = random.Random(args.seed)
    sink = SMTPSink(accept_delay=args.accept_delay)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    mail_dir = work / "mail"
    mail_dir.mkdir()
    trials = []
    try:
        for number in range(1, args.trials + 1):
            addresses = [f"t{number}-{i}@voorbeeld.nl" for i in range(args.reminders)]
            yesterday = timezone.localdate() - dt.timedelta(days=1)
            for address in addresses:
                ActionFactory(due_date=yesterday, contact_email=address)
            pool = Workers(broker, mail_dir, work)
            first = pool.start(smtp_port=sink.server_address[1])
            received_before = len(sink.messages)
            kill_after = rng.randint(5, args.reminders - 5)
            # Half the kills fall while the worker writes the reminders into the outbox, half
            # while it sends their mails (queued behind the reminders).
            phase = "reminders" if number % 2 else "mails"

            def done(phase: str = phase, received_before: int = received_before) -> int:
                if phase == "reminders":
                    return Reminder.objects.filter(sent_at__isnull=False).count()
                return len(sink.messages) - received_before

            queued = reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)
            wait_for(lambda: done() >= kill_after, 180, f"{phase} before the kill")  # noqa: B023
            time.sleep(rng.uniform(0, args.accept_delay * 2))  # a random phase of the exchange
            killed_at = time.time()
            first.send_signal(signal.SIGKILL)
            first.wait()
            at_kill = done()
            mails_at_kill = len(sink.messages) - received_before

            time.sleep(RETRY_MINUTES * 60 + 0.5)  # the dead worker's claims are stale now
            pool.start(smtp_port=sink.server_address[1])  # sweeps the outbox as it starts
            reminders.run_sweep(Reminder.Kind.ACTION_OVERDUE)  # its lost reminder task
            send_outbox.delay()
            wait_for(
                lambda: (
                    not Reminder.objects.filter(sent_at=None).exists()
                    and not OutgoingMail.objects.unsent().exists()
                ),
                90,
                "every reminder sent",
            )
            time.sleep(0.5)
            pool.stop_all()
            trials.append(
                judge(number, addresses, sink, received_before, killed_at, args.window)
                | {
                    "queued": queued,
                    "phase": phase,
                    "killed_after": at_kill,
                    "mails_at_kill": mails_at_kill,
                }
            )
            last = trials[-1]
            print(
                f"trial {number:2}: killed after {at_kill:3} {phase:9}; lost {last['lost']}, "
                f"duplicated {last['duplicates']} (explained {last['explained']})",
                flush=True,
            )
            # The next trial starts from nothing due.
            Reminder.objects.all().delete()
            OutgoingMail.objects.all().delete()
            Action.objects.all().delete()
    finally:
        sink.shutdown()
        sink.server_close()
    totals = {
        "trials": len(trials),
        "expected": sum(len(t["addresses"]) for t in trials),
        "lost": sum(t["lost"] for t in trials),
        "duplicates": sum(t["duplicates"] for t in trials),
        "explained": sum(t["explained"] for t in trials),
    }
    for trial in trials:
        del trial["addresses"]
    return {
        "command": " ".join(["python -m bench.kill_trial", *sys.argv[1:]]),
        "accept_delay": args.accept_delay,
        "window": args.window,
        "reminders": args.reminders,
        "totals": totals,
        "trials": trials,
    }


def judge(
    number: int,
    addresses: list[str],
    sink: Any,
    received_before: int,
    killed_at: float,
    window: float,
) -> dict[str, Any]:
    """Lost and duplicated mails of one trial, and whether each duplicate is explained: the
    connection that carried its first copy was cut by the kill (no QUIT, closed as the worker
    died), or ended less than `window` seconds before the kill."""
    with sink.lock:
        raw = sink.messages[received_before:]
        sessions = list(sink.sessions)
    counts = collections.Counter(email.message_from_bytes(m)["To"] for m in raw)
    lost = [a for a in addresses if counts[a] == 0]
    duplicated = [a for a in addresses if counts[a] > 1]

    def inside_the_exchange(address: str) -> bool:
        first = min((s for s in sessions if address in s.addresses), key=lambda s: s.opened)
        if not first.quit:
            return first.closed >= killed_at - window
        return 0 <= killed_at - first.closed <= window

    explained = [a for a in duplicated if inside_the_exchange(a)]
    return {
        "trial": number,
        "addresses": addresses,
        "lost": len(lost),
        "duplicates": len(duplicated),
        "explained": len(explained),
        "duplicated_addresses": duplicated,
    }


if __name__ == "__main__":
    sys.exit(main())
