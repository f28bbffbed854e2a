"""The API tells what the public pages show, for the same objects."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from agendas.models import AgendaItem
from tests.api.conftest import ApiWorld

pytestmark = [pytest.mark.django_db, pytest.mark.english]

# A row of an action table (templates/agendas/_action_table.html): link, title (marked as
# Dutch on this English page) and status.
ACTION_ROW = re.compile(
    r'<th scope="row"><a [^>]*href="(?P<url>[^"]+)">(?:<span lang="nl">)?(?P<title>[^<]+)'
    r"(?:</span>)?</a></th>\s*"
    r"<td>[^<]*</td>\s*"
    r'<td><span class="utrecht-status-badge status status--(?P<status>\w+)">'
)


def test_a_wijkagendas_actions_and_statuses_are_those_of_its_page(
    client: Client, world: ApiWorld
) -> None:
    page = client.get("/wijkagendas/noordhoek-agenda/").content.decode()
    api = client.get("/api/v1/actions/?wijk=noordhoek").json()["results"]

    on_page = sorted(
        (f"http://testserver{row['url']}", row["title"], row["status"])
        for row in ACTION_ROW.finditer(page)
    )
    in_api = sorted(
        (row["url"], row["title"], row["status"])
        for row in api
        if row["wijkagenda"] == "noordhoek-agenda"
    )
    assert in_api == on_page
    assert sorted((title, status) for _url, title, status in on_page) == [
        ("Bankjes plaatsen", "done"),
        ("Bomen planten", "delayed"),
    ]


def test_a_wijkagenda_is_shown_as_last_published_in_the_api_as_on_its_page(
    client: Client, world: ApiWorld
) -> None:
    # A change after publishing stays a draft: residents see the published version.
    item = world["item"]
    AgendaItem.objects.filter(pk=item.pk).update(title="Nog niet gepubliceerd")

    page = client.get("/wijkagendas/noordhoek-agenda/").content.decode()
    api = client.get("/api/v1/wijkagendas/noordhoek-agenda/").json()

    assert [row["title"] for row in api["items"]] == ["Meer groen"]
    assert "Meer groen" in page
    assert "Nog niet gepubliceerd" not in page
    assert api["items"][0]["lead_organisation"] == "tiwos"
    assert [plan["title"] for plan in api["plans"]] == ["Plan 2025"]
    assert api["plans"][0]["action_count"] == 2


def test_a_proposals_decision_and_outcomes_are_those_of_its_page(
    client: Client, world: ApiWorld
) -> None:
    page = client.get("/voorstellen/speelveld/").content.decode()
    api = client.get("/api/v1/proposals/speelveld/").json()

    assert api["status"] == "decided"
    assert api["decision"] == "Het speelveld komt er."
    assert api["input_feedback"] == "We leggen een pad aan, zoals de wijkraad vroeg."
    assert api["outcomes"] == [
        {
            "input": "advice",
            "wijkraad": "Wijkraad Noordhoek",
            "outcome": "adopted",
            "reason": "Het pad komt er.",
        }
    ]
    # Only the action on the published agenda, not the draft agenda's.
    assert api["actions"] == [world["action"].pk]
    for text in (api["decision"], api["input_feedback"], "Het pad komt er.", "Bomen planten"):
        assert text in page
    assert "Geheime actie" not in page
