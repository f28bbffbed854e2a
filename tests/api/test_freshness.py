"""Conditional GET, and that a change is in the very next answer (the page cache stores no
API answer: docs/api.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from agendas.models import Action
from tests.api.conftest import ApiWorld

pytestmark = pytest.mark.django_db

URL = "/api/v1/actions/?status=delayed"


def test_an_unchanged_list_is_answered_304_and_a_change_at_once(
    client: Client, world: ApiWorld, settings: pytest.FixtureRequest
) -> None:
    settings.WIJKPORTAAL_PAGE_CACHE = True
    first = client.get(URL)
    etag = first["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)

    action = world["action"]
    action.status = Action.Status.IN_PROGRESS
    action.title = "Bomen geplant"
    action.save(update_fields=["status", "title", "updated_at"])
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)

    assert [row["title"] for row in first.json()["results"]] == ["Bomen planten"]
    assert first["Cache-Control"] == "public, no-cache"
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"] == []
    assert client.get("/api/v1/actions/?status=in_progress").json()["results"][0]["title"] == (
        "Bomen geplant"
    )


def test_a_newly_published_agenda_is_in_the_next_answer(client: Client, world: ApiWorld) -> None:
    before = client.get("/api/v1/wijkagendas/").json()
    draft = world["agenda"].__class__.objects.get(slug="geheim-concept")
    draft.title = "Agenda Noordhoek-Zuid"
    draft.save(update_fields=["title", "updated_at"])
    draft.publish(by=None, change_summary="Eerste versie.")
    after = client.get("/api/v1/wijkagendas/").json()

    assert [row["title"] for row in before["results"]] == ["Agenda Noordhoek"]
    assert [row["title"] for row in after["results"]] == [
        "Agenda Noordhoek-Zuid",
        "Agenda Noordhoek",
    ]


def test_a_compressed_answer_is_revalidated_with_its_weak_etag(
    client: Client, world: ApiWorld
) -> None:
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    first = client.get("/api/v1/actions/", **gzip)
    again = client.get("/api/v1/actions/", HTTP_IF_NONE_MATCH=first["ETag"], **gzip)

    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    assert (again.status_code, again.content) == (304, b"")
