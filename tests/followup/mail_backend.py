"""A file-based e-mail backend that takes its time: one file per message, written after a
pause, so that a test can kill a worker in the middle of a sweep."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        delay = float(os.environ.get("WIJKPORTAAL_TEST_MAIL_DELAY", "0"))
        folder = Path(os.environ["WIJKPORTAAL_TEST_MAIL_DIR"])
        for message in email_messages:
            time.sleep(delay)
            name = folder / f"{uuid.uuid4().hex}.eml"
            partial = name.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(name)  # a reader never sees half a message
        return len(email_messages)
