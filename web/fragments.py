"""Rendered parts of a page kept in the cache, keyed on exactly what they show.

A fragment's key is made from everything it shows (a published version's id, a digest of
live content) and the language. An edit therefore gives a new key, and the old entry is
simply never asked for again: nothing is deleted, and no entry can be stale. What differs
between visitors (the live agenda its team sees, the published one everyone else sees) must be
in the key too; the fragment itself holds nothing personal (no token, no name).

The cache is Django's `default` cache (Redis in production, local memory on the embedded
set-up). When it fails, the fragment is rendered as if it were not cached: the page answers
all the same, only slower.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# An entry is never stale (see above), so it may stay as long as it is used; a day bounds what
# the entries of replaced versions take up where the cache does not evict by itself.
FRAGMENT_SECONDS = 24 * 60 * 60

CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)


def digest(data: Any) -> str:
    """A short, stable digest of JSON-like data (dates and other values as their text)."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def fragment_key(name: str, key: Any) -> str:
    return f"fragment:{name}:{get_language()}:{digest(key)}"


def cached_fragment(name: str, key: Any, render: Callable[[], str]) -> SafeString:
    """The fragment `name` for `key` in the current language: from the cache, or `render()`ed
    now and kept. `key` must change with everything the fragment shows; `render` returns
    HTML that is safe as it is (a rendered template)."""
    cache_key = fragment_key(name, key)
    try:
        html = cache.get(cache_key)
    except CACHE_ERRORS as error:
        logger.warning(
            "Fragment %s rendered without the cache (%s: %s)", name, type(error).__name__, error
        )
        return mark_safe(render())  # noqa: S308 — a rendered template
    if html is None:
        html = str(render())
        try:
            cache.set(cache_key, html, FRAGMENT_SECONDS)
        except CACHE_ERRORS as error:
            logger.warning(
                "Fragment %s not kept in the cache (%s: %s)", name, type(error).__name__, error
            )
    return mark_safe(html)  # noqa: S308 — rendered by a template, here or before
