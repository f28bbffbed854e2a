"""The tasks of follow-up work: sending one reminder, building one report.

Thin wrappers around `followup.services.delivery` and `followup.services.building`. The
periodic jobs that queue them are in `followup.sweeps`; `followup.services.reminders`
documents how a reminder is claimed, retried and never lost.
"""

from __future__ import annotations

import logging

from celery import shared_task

from followup.models import Reminder
from followup.services import building, delivery

logger = logging.getLogger(__name__)


@shared_task(name="followup.send_reminder")
def send_reminder(*, reminder_id: int) -> None:
    reminder = (
        Reminder.objects.filter(pk=reminder_id).select_related("content_type", "recipient").first()
    )
    if reminder is None:
        logger.info("Reminder %s is gone; no e-mail sent.", reminder_id)
        return
    delivery.deliver(reminder=reminder)


@shared_task(name="followup.build_report")
def build_report(*, report_id: int) -> None:
    building.build(report_id=report_id)
