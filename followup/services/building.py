"""Building a report: claimed, computed, stored in every format, and its team told.

The build task (`followup.tasks.build_report`) calls `build`; asking for reports and
queueing them is `followup.services.reports`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from areas.models import TeamMembership
from followup.models import Report
from followup.reports import compute_report

logger = logging.getLogger(__name__)


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
        subject=report,
    )


def stale_after() -> dt.timedelta:
    """How long a queued or running report may go without progress: past the task's hard
    time limit, so a report still being built is never touched."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + dt.timedelta(minutes=5)
