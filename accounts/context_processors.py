"""Values the page header needs for a signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header: counted only when a template shows it (an htmx
    fragment runs no query), and never for anonymous visitors (base.html asks only for a
    signed-in user)."""

    def count() -> int:
        user = request.user
        return unread_count(user) if user.is_authenticated else 0

    # Lazy twice over: reading `request.user` touches the session (and adds "Vary: Cookie"),
    # which a page that never shows the header must not do.
    return {"unread_notification_count": SimpleLazyObject(count)}
