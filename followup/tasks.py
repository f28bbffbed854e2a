"""Tasks of the agendas app: the reminder sweeps and the reminder e-mail.

Thin wrappers around followup.services.reminders, which documents how a reminder is claimed,
retried and never lost.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from followup.models import Reminder
from followup.services import reminders
from followup.services import reports as report_services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="followup.sweep_reminders")
def sweep_reminders(*, names: list[str] | None = None) -> dict[str, int]:
    """Run these sweeps (all when None); each queues one send task per due reminder."""
    queued = {}
    for name in names or list(reminders.SWEEPS):
        if name not in reminders.SWEEPS:
            logger.warning("Unknown reminder sweep %r; skipped.", name)
            continue
        queued[name] = reminders.run_sweep(name)
    return queued


@shared_task(name="followup.send_reminder", **RETRY)
def send_reminder(*, reminder_id: int) -> None:
    reminder = (
        Reminder.objects.filter(pk=reminder_id).select_related("content_type", "recipient").first()
    )
    if reminder is None:
        logger.info("Reminder %s is gone; no e-mail sent.", reminder_id)
        return
    reminders.deliver(reminder=reminder)


@shared_task(name="followup.build_report")
def build_report(*, report_id: int) -> None:
    report_services.build(report_id=report_id)


@shared_task(name="followup.queue_monthly_reports")
def queue_monthly_reports() -> int:
    return report_services.queue_monthly_reports()


@shared_task(name="followup.reclaim_stale_reports")
def reclaim_stale_reports() -> tuple[int, int]:
    return report_services.reclaim_stale_reports()
