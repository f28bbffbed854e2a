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
