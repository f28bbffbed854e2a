"""The notification centre: a user's notifications, newest first, and marking them read;
and the settings page where a user chooses per kind how and when to get them by e-mail.

A notification is only ever loaded from the signed-in user's own ones, so another person's
notification is a 404; nor are those listed whose subject the user may no longer see (a
proposal made council-only, a meeting closed since). The unread count in the header is a
plain count of them all. Opening one marks it read and follows its link, but only to a page of
this site: a link to another host is not followed.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.digests import preferences_of, set_preferences
from accounts.forms import NotificationPreferencesForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Notification, User
from accounts.notifications import mark_all_read
from accounts.visibility import subject_condition
from web.http import is_local_path, render_page_or_fragment, safe_next

NOTIFICATIONS_PER_PAGE = 20
LIST_TEMPLATE = "accounts/notifications/list.html"
SETTINGS_TEMPLATE = "accounts/notifications/settings.html"


def _own(user: User) -> QuerySet[Notification]:
    """The user's notifications about what they may still see: one query for the kinds of
    subject they point at, each then checked by a subquery of the page's own query."""
    own = Notification.objects.for_recipient(user)
    types = (
        own.exclude(subject_type=None)
        .order_by()
        .values_list("subject_type_id", flat=True)
        .distinct()
    )
    return own.filter(subject_condition(user, types)).newest_first()


def _list_url(request: HttpRequest) -> str:
    """The list page to return to: the page the form was sent from, if it is ours."""
    default = reverse("accounts:notification-list")
    return safe_next(request, default, under=default)


def _list_context(request: AuthenticatedHttpRequest, page: str | None) -> dict[str, object]:
    page_obj = Paginator(_own(request.user), NOTIFICATIONS_PER_PAGE).get_page(page)
    return {"page_obj": page_obj, "breadcrumbs": [(_("Notifications"), None)]}


@require_safe
@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, LIST_TEMPLATE, _list_context(request, request.GET.get("page")))


@require_safe
@login_required
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(_own(request.user), pk=pk)
    notification.mark_read()
    if is_local_path(request, notification.url):
        return redirect(notification.url)
    return redirect("accounts:notification-list")


@require_POST
@login_required
@vary_on_headers("HX-Request")
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(_own(request.user), pk=pk)
    notification.mark_read()
    if request.htmx:
        return render(request, f"{LIST_TEMPLATE}#notification", {"notification": notification})
    return redirect(_list_url(request))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    mark_all_read(user=request.user)
    if request.htmx:
        return render(request, f"{LIST_TEMPLATE}#notifications", _list_context(request, None))
    return redirect(_list_url(request))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    preferences = preferences_of(request.user)
    if request.method in ("GET", "HEAD"):
        form = NotificationPreferencesForm(preferences=preferences)
        return render(request, SETTINGS_TEMPLATE, _settings_context(form))
    form = NotificationPreferencesForm(request.POST, preferences=preferences)
    if not form.is_valid():
        return render_page_or_fragment(
            request,
            SETTINGS_TEMPLATE,
            "preferences",
            _settings_context(form),
            HTTPStatus.BAD_REQUEST,
        )
    set_preferences(user=request.user, frequencies=form.cleaned_data)
    if request.htmx:
        form = NotificationPreferencesForm(preferences=preferences_of(request.user))
        context = _settings_context(form, saved=True)
        return render_page_or_fragment(request, SETTINGS_TEMPLATE, "preferences", context)
    messages.success(request, _("Your notification settings have been saved."))
    return redirect("accounts:notification-settings")


def _settings_context(form: NotificationPreferencesForm, *, saved: bool = False) -> dict:
    return {
        "form": form,
        "saved": saved,
        "breadcrumbs": [
            (_("Notifications"), reverse("accounts:notification-list")),
            (_("Notification settings"), None),
        ],
    }
