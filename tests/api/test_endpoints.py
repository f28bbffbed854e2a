from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from api.datasets import SUMMARIES as LISTS
from tests.api.conftest import SECRET, ApiWorld

pytestmark = pytest.mark.django_db


def get_all(client: Client, url: str) -> list[dict[str, Any]]:
    """Every row of a list, following `next` to the last page."""
    rows: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, (next_url, response.content)
        body = response.json()
        rows += body["results"]
        next_url = body["next"]
    return rows


def test_every_list_answers_anonymous_visitors_with_only_what_is_public(
    client: Client, world: ApiWorld
) -> None:
    seen = {}
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/json"
        assert response.cookies == {}
        seen[name] = response.json()

    assert {name: body["count"] for name, body in seen.items()} == {
        "gebieden": 1,
        "wijken": 1,
        "buurten": 1,
        "wijkagendas": 1,
        "plans": 1,
        "actions": 2,
        "progress-updates": 1,
        "visions": 1,
        "proposals": 1,
        "advice": 1,
        "meetings": 1,
        "initiatives": 1,
        "organisations": 1,
        "pacts": 1,
        "alliances": 1,
    }
    assert SECRET not in json.dumps(seen)


def test_detail_endpoints_answer_public_objects_and_hide_the_others(
    client: Client, world: ApiWorld
) -> None:
    agenda = client.get("/api/v1/wijkagendas/noordhoek-agenda/")
    proposal = client.get("/api/v1/proposals/speelveld/")

    assert (agenda.status_code, proposal.status_code) == (200, 200)
    assert agenda.json()["items"][0]["title"] == "Meer groen"
    assert proposal.json()["decision"] == "Het speelveld komt er."
    hidden = [
        client.get(url).status_code
        for url in (
            "/api/v1/wijkagendas/geheim-concept/",
            "/api/v1/proposals/geheim-raad/",
            "/api/v1/proposals/geheim-concept-voorstel/",
        )
    ]
    assert hidden == [404, 404, 404]


def test_a_meeting_names_the_public_proposals_and_initiatives_it_discusses(
    client: Client, world: ApiWorld
) -> None:
    (meeting,) = client.get("/api/v1/meetings/").json()["results"]

    # The council-only proposal and the unpublished initiative are discussed too, unnamed.
    assert (meeting["proposals"], meeting["initiatives"]) == (
        ["speelveld"],
        [world["initiative"].pk],
    )
