"""Settings for the Celery worker processes that tests/followup/test_tasks_worker.py starts.

The portal's settings, with e-mail written to files the test reads and short retry
intervals for reminders and the outbox's claims, all from the environment the test passes.
"""

from __future__ import annotations

import os

from wijkportaal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.followup.mail_backend.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["WIJKPORTAAL_TEST_MAIL_DIR"]
if _smtp_port := int(os.environ.get("WIJKPORTAAL_TEST_SMTP_PORT") or 0):
    # A local SMTP sink of the test's (tests/accounts/test_outbox_worker.py).
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = "127.0.0.1", _smtp_port
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    EMAIL_TIMEOUT = 5
WIJKPORTAAL_REMINDER_RETRY_MINUTES = float(os.environ["WIJKPORTAAL_TEST_RETRY_MINUTES"])
WIJKPORTAAL_MAIL_CLAIM_SECONDS = WIJKPORTAAL_REMINDER_RETRY_MINUTES * 60
