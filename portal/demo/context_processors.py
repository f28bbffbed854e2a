"""The demo accounts for the sign-in page, on a developer's machine (DEBUG) only.

Registered in settings (TEMPLATES), so that accounts, which knows no portal module, shows
them without importing the demo: its sign-in template lists `demo_accounts` when it is
there. Without DEBUG this adds nothing, so no page of a real portal names them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portal.demo.content import DEMO_ACCOUNTS

CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


def demo_accounts(request: HttpRequest) -> dict[str, Any]:
    password = getattr(settings, "DEMO_PASSWORD", "")
    if not settings.DEBUG or not password:
        return {}
    return {
        "demo_accounts": DEMO_ACCOUNTS,
        "demo_password": password,
        # Where a password-reset link goes: the terminal of `make run`, with the default mail.
        "demo_mail_in_console": settings.EMAIL_BACKEND == CONSOLE_EMAIL_BACKEND,
    }
