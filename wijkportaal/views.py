"""Views of the portal as a whole, not of one app."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts import outbox
from accounts.models import is_functional_admin

# The date of the last check that the accessibility statement reports. The automated checks
# run with every test run; update this date when the statement is reviewed again.
ACCESSIBILITY_CHECKED_ON = dt.date(2026, 11, 21)


@require_safe
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """A fixed answer with no database query: for load balancers and container checks.

    The benchmark suite also uses it as the bare-Django baseline of each run. To the
    functional administrator (signed in) it also tells how many e-mails wait in the outbox
    and how many failed for good; nobody else's request reads a session or the database.
    """
    body = "ok\n"
    if is_functional_admin(request.user) or request.user.is_superuser:
        counts = outbox.counts()
        body += f"mail-waiting {counts['waiting']}\nmail-failed {counts['failed']}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The toegankelijkheidsverklaring (accessibility statement) the law asks of public sites."""
    context = {
        "checked_on": ACCESSIBILITY_CHECKED_ON,
        "contact_email": settings.WIJKPORTAAL_ACCESSIBILITY_CONTACT,
        "breadcrumbs": [(_("Accessibility"), None)],
    }
    return render(request, "accessibility_statement.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): the reason in the portal's own
    page, in Dutch. Django's built-in page has an inline <style> the CSP would refuse."""
    return render(request, "403_csrf.html", status=403)
