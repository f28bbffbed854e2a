from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from agendas.models import Action
from tests.api.conftest import ApiWorld
from tests.factories import GebiedsteamFactory, WijkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return sorted(row.get("title") or row.get("name") for row in response.json()["results"])


def test_lists_filter_by_gebied_wijk_status_and_period(client: Client, world: ApiWorld) -> None:
    other = GebiedsteamFactory(slug="west")
    WijkFactory(gebiedsteam=other, code="WK085599", slug="reeshof")

    assert titles(client, "/api/v1/actions/") == ["Bankjes plaatsen", "Bomen planten"]
    assert titles(client, "/api/v1/actions/?status=delayed") == ["Bomen planten"]
    assert titles(client, "/api/v1/actions/?wijk=WK085501&status=done") == ["Bankjes plaatsen"]
    assert titles(client, "/api/v1/actions/?wijk=noordhoek") == [
        "Bankjes plaatsen",
        "Bomen planten",
    ]
    assert titles(client, "/api/v1/actions/?wijk=reeshof") == []
    assert titles(client, "/api/v1/actions/?gebied=west") == []
    # The actions run from 2025-03-01 to 2026-06-30 (tests/factories.py).
    assert titles(client, "/api/v1/actions/?since=2026-06-30") == [
        "Bankjes plaatsen",
        "Bomen planten",
    ]
    assert titles(client, "/api/v1/actions/?until=2025-02-28") == []
    assert [row["code"] for row in client.get("/api/v1/wijken/?gebied=west").json()["results"]] == [
        "WK085599"
    ]
    assert titles(client, "/api/v1/proposals/?status=decided") == ["Speelveld"]
    assert titles(client, "/api/v1/proposals/?status=open") == []


def test_the_boundary_only_when_asked_for(client: Client, world: ApiWorld) -> None:
    wijk = world["wijk"]
    wijk.geometry_simplified = {"type": "Point", "coordinates": [5.08, 51.57]}
    wijk.save(update_fields=["geometry_simplified"])

    plain = client.get("/api/v1/wijken/").json()["results"][0]
    with_geometry = client.get("/api/v1/wijken/?geometry=true").json()["results"][0]

    assert "geometry" not in plain
    assert with_geometry["geometry"] == {"type": "Point", "coordinates": [5.08, 51.57]}


@pytest.mark.parametrize(
    ("query", "problems"),
    [
        (
            "colour=red",
            {
                "colour": [
                    "This list has no filter colour. It takes: gebied, wijk, status, since, "
                    "until, page."
                ]
            },
        ),
        ("since=1-3-2026", {"since": ["Give a date as YYYY-MM-DD, such as 2026-03-01."]}),
        ("until=2026-02-30", {"until": ["Give a date as YYYY-MM-DD, such as 2026-03-01."]}),
        ("since=0999-01-01", {"since": ["Give a date between the years 1900 and 2999."]}),
        (
            "since=2026-03-01&until=2026-01-01",
            {"until": ["The end of the period lies before its start."]},
        ),
        ("gebied=nergens", {"gebied": ["There is no gebiedsteam with this slug."]}),
        ("wijk=WK000000", {"wijk": ["There is no wijk with this CBS code or slug."]}),
        (
            "status=lost",
            {"status": ["Select a valid choice. lost is not one of the available choices."]},
        ),
        ("page=abc", {"page": ["A page is a whole number from 1."]}),
        ("page=0", {"page": ["A page is a whole number from 1."]}),
        ("page=%C2%B2", {"page": ["A page is a whole number from 1."]}),
        ("page=2", {"page": ["There is no page 2: the last page is 1."]}),
    ],
)
def test_bad_input_is_answered_with_400_and_the_problem(
    client: Client, world: ApiWorld, query: str, problems: dict[str, list[str]]
) -> None:
    response = client.get(f"/api/v1/actions/?{query}")

    assert response.status_code == 400
    assert response.json() == problems


def test_pages_of_fifty_in_a_stable_order(client: Client, world: ApiWorld) -> None:
    plan = world["plan"]
    Action.objects.bulk_create(
        Action(plan=plan, owner_organisation=world["organisation"], title=f"Actie {n:03}")
        for n in range(60)
    )

    first = client.get("/api/v1/actions/").json()
    second = client.get(first["next"]).json()

    assert (first["count"], len(first["results"]), len(second["results"])) == (62, 50, 12)
    assert second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    public = Action.objects.visible_to(AnonymousUser()).values_list("pk", flat=True)
    assert ids == sorted(public)
    assert Action.objects.count() == 63  # and the draft agenda's action
    assert first["next"] == "http://testserver/api/v1/actions/?page=2"
