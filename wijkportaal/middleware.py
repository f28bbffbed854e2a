"""Compression of the portal's own answers (static files are whitenoise's: compressed ahead)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class AnonymousGZipMiddleware(GZipMiddleware):
    """Gzip the answers to anonymous visitors that carry no CSRF token; leave the rest as is.

    Compressing a page that holds a secret next to text an attacker can put in it (a search
    term, a link's query) lets the attacker guess the secret from the compressed sizes
    (BREACH). An anonymous page holds no secret: no session of a person and, unless it has a
    form, no CSRF token. A page that renders a token (`{% csrf_token %}`, `get_token()`)
    also sets the CSRF cookie, so a form page such as the sign-in page, and every answer to
    a signed-in person, goes out uncompressed (docs/operations.md, "Compression and caching").
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return response
        if settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        return super().process_response(request, response)
