"""Views of the portal as a whole, not of one app."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from accounts import outbox, retention
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


@require_safe
def privacy_statement(request: HttpRequest) -> HttpResponse:
    """The privacy statement: what the portal keeps of a resident, why, how long, and how to
    change or delete it. The periods are the settings the retention jobs use."""
    context = {
        "confirm_hours": settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS,
        "unconfirmed_days": retention.UNCONFIRMED_DAYS,
        "keep_read_notifications_days": settings.WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS,
        "keep_sent_mails_days": settings.WIJKPORTAAL_KEEP_SENT_MAILS_DAYS,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        "breadcrumbs": [(_("Privacy"), None)],
    }
    return render(request, "privacy_statement.html", context)


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """`/favicon.ico`, which browsers and feed readers ask for whatever the page links: the
    portal's icon (static/favicon.svg, under its hashed name), and no 404 in the logs.

    Cached for a day only, because the hashed name changes with the icon. Reads no session.
    """
    return HttpResponseRedirect(static("favicon.svg"))


# security.txt (RFC 9116) must say until when it holds, at most a year ahead; the portal makes
# it on each request, valid for this many days from the start of the day.
SECURITY_TXT_DAYS = 180


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """`/robots.txt`: every public page may be indexed; the sign-in, account, werkplek and admin
    pages not, for they only ask to sign in, nor the API's answers, which are for programs (its
    documentation is a page). Names the sitemap by its full address."""
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /account/",
        "Disallow: /werkplek/",
        "Disallow: /volgen/",
        "Disallow: /api/v1/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """`/.well-known/security.txt` (RFC 9116): where to report a vulnerability."""
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    expires = today + dt.timedelta(days=SECURITY_TXT_DAYS)
    lines = [
        f"Contact: {settings.WIJKPORTAAL_SECURITY_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(reverse('security-txt'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page: Django's `set_language` (the choice in the language
    cookie, then back to the page, `next`, if it is one of ours). Without a CSRF token: the
    switch is on pages cached for anonymous visitors, which carry none, and a forged switch
    changes nothing but the language someone reads."""
    return i18n.set_language(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): the reason in the portal's own
    page, in Dutch. Django's built-in page has an inline <style> the CSP would refuse."""
    return render(request, "403_csrf.html", status=403)
