"""The task that builds the open-data downloads, nightly (CELERY_BEAT_SCHEDULE) or when an
administrator asks (`manage.py build_open_data`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from api import opendata
from api.models import OpenDataBuild

logger = logging.getLogger(__name__)

# A build still "running" after this long belonged to a worker that died: it counts as failed.
STALE_AFTER = timedelta(hours=1)


@shared_task(name="api.build_open_data")
def build_open_data() -> int | None:
    """Build every download anew; the id of the build, or None when one is already running."""
    stale = OpenDataBuild.objects.filter(
        status=OpenDataBuild.Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    )
    stale.update(status=OpenDataBuild.Status.FAILED, error="The worker stopped mid-build.")
    if OpenDataBuild.objects.running() is not None:
        logger.info("An open-data build is already running; this one is skipped.")
        return None
    try:
        return opendata.build().pk
    except Exception as error:
        OpenDataBuild.objects.filter(status=OpenDataBuild.Status.RUNNING).update(
            status=OpenDataBuild.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}",
        )
        logger.exception("The open-data build failed; the last whole build is still served.")
        raise
