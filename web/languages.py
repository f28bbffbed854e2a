"""The language of a request: the one its visitor chose with the switch, else Dutch.

The portal does not follow the browser's Accept-Language: Dutch is its language, and English is
offered to whoever asks for it with the switch on every page (Django's `set_language`, which
keeps the choice in the language cookie). So a page depends on the cookie only: every answer
says so (`Vary: Cookie`), and the page cache keys each page by this same choice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language the visitor chose (a known one), else the portal's own."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Speak the chosen language for the request (instead of Django's LocaleMiddleware, which
    would follow Accept-Language), say which in `Content-Language`, and vary on the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The language comes from the cookie: a cache must keep the languages apart.
        patch_vary_headers(response, ("Cookie",))
        return response
