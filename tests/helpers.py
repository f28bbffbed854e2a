"""Helpers the test modules share: signed-in clients, form errors, texts, query counts and
rows shared by a class of tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from web import pagecache

INSIDE = ("5.05", "51.55")  # in the square of the agenda's wijk


ELSEWHERE = ("5.25", "51.55")  # in the wijk of the other gebied


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def revision_in(response) -> int:
    match = re.search(r'name="(?:[\w-]+-)?revision" value="(\d+)"', response.content.decode())
    assert match, "the form carries no revision"
    return int(match.group(1))


def errors_of(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
    ]


class _TextOf(HTMLParser):
    """Collects the text of every element that has the given class."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


def texts_of(response, css_class: str) -> list[str]:
    """The whitespace-normalised text of each element with this class, in page order."""
    parser = _TextOf(css_class)
    parser.feed(response.content.decode())
    return [re.sub(r"\s+", " ", text).strip() for text in parser.texts]


def count_queries(client, url: str, **extra) -> int:
    """The queries of rendering the page: in a new generation of the page cache, so that
    an anonymous request is not answered with the copy stored by the last one."""
    pagecache.bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


def square(lon: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, 51.5], [lon + 0.1, 51.5], [lon + 0.1, 51.6], [lon, 51.6], [lon, 51.5]]
        ],
    }


@contextmanager
def shared_rows(django_db_blocker: Any) -> Iterator[None]:
    """Rows made once for a class or module of tests, in a transaction rolled back at its end.

    For a fixture of a wider scope (with `django_db_setup`), around what it writes: each test
    (marked `django_db`) then runs in a savepoint inside this transaction, so that what a test
    changes is rolled back before the next test sees the shared rows again. Nothing here is
    ever committed. Function-scoped settings (tests/conftest.py) are not on yet when such a
    fixture runs: it sets what it needs itself.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
