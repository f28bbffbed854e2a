"""Settings for the Celery worker processes that tests/followup/test_tasks_worker.py starts.

The portal's settings, with e-mail written to files the test reads and short retry
intervals for reminders and the outbox's claims, all from the environment the test passes.
"""

from __future__ import annotations

import os

from wijkportaal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.followup.mail_backend.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["WIJKPORTAAL_TEST_MAIL_DIR"]
WIJKPORTAAL_REMINDER_RETRY_MINUTES = float(os.environ["WIJKPORTAAL_TEST_RETRY_MINUTES"])
WIJKPORTAAL_MAIL_CLAIM_SECONDS = WIJKPORTAAL_REMINDER_RETRY_MINUTES * 60
