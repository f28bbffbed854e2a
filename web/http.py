"""Requests and responses: the htmx-aware request type, safe `next` redirects, and rendering a
whole page or, for htmx, the fragment of it that is swapped."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, for views that read
    `request.htmx` (django-htmx docs, "Type checking")."""

    htmx: HtmxDetails


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data of a POST, for a bound form; None, for an unbound form, on a GET.

    Not `request.POST or None`: that takes a POST without fields for a GET and answers it
    with the empty form (200) instead of the form's errors (400).
    """
    return request.POST if request.method == "POST" else None


def query_text(request: HttpRequest, name: str) -> str:
    """The query parameter `name` of a GET filter, or "" when it is absent or holds a NUL.

    The one home for raw `request.GET` reads that reach the database: PostgreSQL refuses NUL
    in text (a 500 from a filter anyone can type). No slug, code or search contains one, so a
    value with a NUL is a filter nobody chose, and it is ignored like an absent one: the page
    shows unfiltered, as for any other filter it cannot use. Forms need no such help: Django's
    CharField already refuses NUL (ProhibitNullCharactersValidator).
    """
    value = request.GET.get(name, "")
    return "" if "\x00" in value else value


def is_local_path(request: HttpRequest, url: str) -> bool:
    """Whether `url` is a path on this site, safe to redirect to.

    Only a path starting with a single slash: `//host/…` names another host, and a bare
    word such as `abc` would be taken by `redirect()` for the name of a URL pattern.
    """
    return (
        url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next(request: HttpRequest, default: str, *, under: str = "/") -> str:
    """The `next` page a form asks to return to (POST, else GET), if it is a local path
    starting with `under`; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(under) and is_local_path(request, target):
        return target
    return default


def render_page_or_fragment(
    request: HtmxHttpRequest,
    template: str,
    partial: str,
    context: dict[str, Any],
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """The whole page, or for an htmx request only its `{% partialdef partial %}`."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)
