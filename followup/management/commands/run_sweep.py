"""Run a reminder sweep by hand: `manage.py run_sweep action_overdue` or `run_sweep --all`.

The sweep records the due reminders and queues their e-mails (run in process when there is
no broker), exactly as the beat schedule does.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.services import reminders


class Command(BaseCommand):
    help = "Run one reminder sweep (or all) now and print how many reminders it queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help=", ".join(reminders.SWEEPS))
        parser.add_argument("--all", action="store_true", help="Run every sweep.")

    def handle(self, *args: Any, names: list[str], all: bool, **options: Any) -> None:
        if all == bool(names):
            raise CommandError("Name one or more sweeps, or pass --all.")
        unknown = sorted(set(names) - set(reminders.SWEEPS))
        if unknown:
            raise CommandError(
                f"Unknown sweep: {', '.join(unknown)}. Known: {', '.join(reminders.SWEEPS)}."
            )
        for name in names or list(reminders.SWEEPS):
            queued = reminders.run_sweep(name)
            self.stdout.write(f"{name}: {queued} reminder(s) queued")
