"""The periodic jobs of follow-up work, queued by Celery beat (CELERY_BEAT_SCHEDULE).

Each finds what is due and queues one task of `followup.tasks` per object. They live apart
from those tasks, so that the services that queue work import the tasks and the tasks import
only the code that does the work: no module imports one that imports it back.
"""

from __future__ import annotations

import logging

from celery import shared_task

from followup.services import reminders, retention
from followup.services import reports as report_services

logger = logging.getLogger(__name__)


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


@shared_task(name="followup.queue_monthly_reports")
def queue_monthly_reports() -> int:
    return report_services.queue_monthly_reports()


@shared_task(name="followup.reclaim_stale_reports")
def reclaim_stale_reports() -> tuple[int, int]:
    return report_services.reclaim_stale_reports()


@shared_task(name="followup.prune_sent_reminders")
def prune_sent_reminders() -> int:
    """Delete old sent reminders that no sweep can record again (followup.services.retention)."""
    deleted = retention.prune_sent_reminders()
    logger.info("Deleted %s old sent reminder(s).", deleted)
    return deleted
