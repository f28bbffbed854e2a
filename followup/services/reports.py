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

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify
from areas.models import Gebiedsteam, TeamMembership
from followup.models import Report
from followup.reports import compute_report, period_bounds

logger = logging.getLogger(__name__)


@transaction.atomic
def request_report(
    *, gebiedsteam: Gebiedsteam | None, period: str, day: dt.date, requested_by: User | None
) -> Report:
    """Queue a report over the month, quarter or year that `day` falls in.

    `gebiedsteam` None asks for the city-wide report of the Stedelijke Alliantie.
    """
    from followup.tasks import build_report

    start, end = period_bounds(period, day)
    report = Report.objects.create(
        gebiedsteam=gebiedsteam, period=period, start=start, end=end, requested_by=requested_by
    )
    build_report.delay_on_commit(report_id=report.pk)
    return report


def _set_progress(report: Report, progress: int) -> None:
    Report.objects.filter(pk=report.pk).update(progress=progress, updated_at=timezone.now())


def build(*, report_id: int) -> bool:
    """Claim a queued report and build it; False when another worker has it or it is gone.

    Not one transaction: the progress updates must be visible to the status page while the
    figures are computed. A failure marks the report failed, so nobody polls for ever.
    """
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, progress=10, updated_at=timezone.now()
    )
    if not claimed:
        logger.info("Report %s is not queued (gone or claimed); not built.", report_id)
        return False
    report = Report.objects.select_related("gebiedsteam").get(pk=report_id)
    try:
        _set_progress(report, 50)
        data = compute_report(gebiedsteam=report.gebiedsteam, start=report.start, end=report.end)
        _set_progress(report, 90)
        now = timezone.now()
        Report.objects.filter(pk=report.pk).update(
            data=data, status=Report.Status.DONE, progress=100, finished_at=now, updated_at=now
        )
    except Exception:
        logger.exception("Report %s failed.", report_id)
        now = timezone.now()
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, finished_at=now, updated_at=now
        )
        return False
    _tell_when_ready(report)
    return True


@transaction.atomic
def _tell_when_ready(report: Report) -> None:
    """Notify who asked for the report; an automatic one goes to the whole team.

    The notification's e-mail goes out by the usual path (accounts.notifications).
    """
    if report.requested_by_id is not None:
        recipients = [report.requested_by_id]
    elif report.gebiedsteam_id is not None:
        recipients = list(
            TeamMembership.objects.filter(gebiedsteam_id=report.gebiedsteam_id).values_list(
                "user_id", flat=True
            )
        )
    else:
        return
    name = report.gebiedsteam.name if report.gebiedsteam else settings.WIJKPORTAAL_MUNICIPALITY_NAME
    notify(
        recipients=recipients,
        kind=Notification.Kind.UPDATE,
        title=_("The progress report for %(name)s (%(start)s to %(end)s) is ready")
        % {"name": name, "start": report.start.isoformat(), "end": report.end.isoformat()},
        url=report.get_absolute_url(),
    )


def stale_after() -> dt.timedelta:
    """How long a queued or running report may go without progress: past the task's hard
    time limit, so a report still being built is never touched."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + dt.timedelta(minutes=5)


def reclaim_stale_reports(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Queue lost queued reports again and fail abandoned running ones: (requeued, failed)."""
    from followup.tasks import build_report

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
    from followup.tasks import build_report

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
