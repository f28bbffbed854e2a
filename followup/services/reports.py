"""Workflows for progress reports: requesting one, building it, and the monthly run.

A report is a row first (status queued) and figures later: the task `agendas.build_report`
claims the row with a conditional UPDATE (queued → running), so a message delivered twice
builds the report once, and records its progress on the row for the status page to poll.

A report whose message or worker is lost would stay queued or running for ever, and its
status page would poll for ever. The hourly `agendas.reclaim_stale_reports` puts a queued
report that nobody picked up back on the queue (building is idempotent), and marks a report
that has been running without progress for longer than the task time limit as failed: its
worker is gone, and the person who asked can start it again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Gebiedsteam
from followup.models import Report
from followup.reports import period_bounds
from followup.services.building import stale_after
from followup.tasks import build_report

logger = logging.getLogger(__name__)


@transaction.atomic
def request_report(
    *, gebiedsteam: Gebiedsteam | None, period: str, day: dt.date, requested_by: User | None
) -> Report:
    """Queue a report over the month, quarter or year that `day` falls in.

    `gebiedsteam` None asks for the city-wide report of the Stedelijke Alliantie.
    """
    start, end = period_bounds(period, day)
    report = Report.objects.create(
        gebiedsteam=gebiedsteam, period=period, start=start, end=end, requested_by=requested_by
    )
    build_report.delay_on_commit(report_id=report.pk)
    return report


def reclaim_stale_reports(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Queue lost queued reports again and fail abandoned running ones: (requeued, failed)."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    failed = Report.objects.filter(status=Report.Status.RUNNING, updated_at__lt=cutoff).update(
        status=Report.Status.FAILED, finished_at=now, updated_at=now
    )
    requeued = 0
    lost = Report.objects.filter(status=Report.Status.QUEUED, updated_at__lt=cutoff)
    for report_id in list(lost.values_list("pk", flat=True)):
        # A conditional UPDATE, as in build(): of two runs at once only one queues it, and
        # updated_at restarts the clock.
        with transaction.atomic():
            if lost.filter(pk=report_id).update(updated_at=now):
                build_report.delay_on_commit(report_id=report_id)
                requeued += 1
    if failed or requeued:
        logger.warning("Reports reclaimed: %s queued again, %s marked failed.", requeued, failed)
    return requeued, failed


def last_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


@transaction.atomic
def queue_monthly_reports(*, today: dt.date | None = None) -> int:
    """Queue last month's report for every gebiedsteam; a second run queues nothing new."""
    start, end = period_bounds(Report.Period.MONTH, last_month(today or timezone.localdate()))
    queued = 0
    for team in Gebiedsteam.objects.only("pk"):
        report, created = Report.objects.get_or_create(
            gebiedsteam=team,
            period=Report.Period.MONTH,
            start=start,
            requested_by=None,
            defaults={"end": end},
        )
        if created:
            build_report.delay_on_commit(report_id=report.pk)
            queued += 1
    return queued
