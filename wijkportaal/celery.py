"""The Celery app: configured from Django settings (namespace CELERY), tasks found per app.

Settings (wijkportaal/settings.py): JSON only, time limits, acks_late with prefetch 1, the
beat schedule, and eager in-process execution when there is no broker (the embedded
default).

Tasks are queued from services with `task.delay_on_commit(...)`. With the broker down that
must not turn a web request into a 500: the queueing is logged and dropped, and the periodic
sweeps queue the work again once the broker is back (the state lives in the database, e.g.
agendas.Reminder). A direct `task.delay()` still raises, for callers that want to know.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkportaal.settings")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """DjangoTask whose on-commit queueing logs a broker failure instead of raising it."""

    def _queue_or_log(self, *args: Any, **kwargs: Any) -> None:
        try:
            self.apply_async(args, kwargs)
        except (OperationalError, ConnectionError):
            logger.exception("Could not queue task %s: the broker is unreachable.", self.name)

    # DjangoTask.delay_on_commit returns None: nothing is queued before the commit.
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        from django.db import transaction

        transaction.on_commit(lambda: self._queue_or_log(*args, **kwargs))


app = Celery("wijkportaal", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
