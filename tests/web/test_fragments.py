from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from web.fragments import cached_fragment, digest, fragment_key


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def counting(html: str) -> tuple[list[str], object]:
    calls: list[str] = []

    def render() -> str:
        calls.append(html)
        return html

    return calls, render


def test_a_fragment_is_rendered_once_per_key_and_language():
    calls, render = counting("<p>Groen</p>")

    with translation.override("nl"):
        first = cached_fragment("agenda", ["versie", 1], render)
        again = cached_fragment("agenda", ["versie", 1], render)
    with translation.override("en"):
        english = cached_fragment("agenda", ["versie", 1], render)

    assert (first, again, english) == ("<p>Groen</p>",) * 3
    assert calls == ["<p>Groen</p>", "<p>Groen</p>"]  # once in Dutch, once in English


def test_another_key_renders_again_and_keeps_the_first():
    calls, render = counting("<p>Een</p>")
    cached_fragment("agenda", ["versie", 1], render)
    other_calls, other = counting("<p>Twee</p>")

    assert cached_fragment("agenda", ["versie", 2], other) == "<p>Twee</p>"
    assert cached_fragment("agenda", ["versie", 1], other) == "<p>Een</p>"
    assert (calls, other_calls) == (["<p>Een</p>"], ["<p>Twee</p>"])


def test_the_key_holds_name_language_and_a_digest_of_the_data():
    with translation.override("nl"):
        key = fragment_key("agenda", {"b": 2, "a": dt.date(2026, 1, 1)})

    assert key == f"fragment:agenda:nl:{digest({'a': '2026-01-01', 'b': 2})}"
    assert len(digest([1])) == 32
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest(["a", "b"]) != digest(["b", "a"])


def test_a_failing_cache_renders_the_fragment_all_the_same(settings, caplog):
    # Nothing listens on port 1: every cache call fails to connect.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    calls, render = counting("<p>Zonder cache</p>")

    assert cached_fragment("agenda", ["versie", 1], render) == "<p>Zonder cache</p>"
    assert cached_fragment("agenda", ["versie", 1], render) == "<p>Zonder cache</p>"
    assert len(calls) == 2
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == [
        "Fragment agenda rendered without the cache",
        "Fragment agenda rendered without the cache",
    ]
