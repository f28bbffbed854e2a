from __future__ import annotations

import re

import pytest
from django.test import Client
from openapi_spec_validator import validate

from api.datasets import SUMMARIES as LISTS
from api.views import Schema
from tests.api.conftest import ApiWorld

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_describes_every_endpoint(client: Client) -> None:
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises on any error
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == sorted(
        [f"/api/v1/{name}/" for name in LISTS]
        + ["/api/v1/wijkagendas/{slug}/", "/api/v1/proposals/{slug}/"]
    )
    actions = schema["paths"]["/api/v1/actions/"]["get"]
    assert [parameter["name"] for parameter in actions["parameters"]] == [
        "gebied",
        "page",
        "since",
        "status",
        "until",
        "wijk",
    ]
    status = next(p for p in actions["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["delayed", "done", "in_progress", "planned", "stopped"]
    assert list(schema["paths"]["/api/v1/actions/"]) == ["get"]


def test_the_documentation_is_served_from_the_portal_itself(
    client: Client, world: ApiWorld
) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response.cookies == {}
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert [src for src in scripts if not src.startswith("/static/")] == []
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in scripts
    assert "/static/api/swagger-init.js" in scripts
    assert "<script>" not in html  # no inline script: the CSP allows none
    assert 'data-schema-url="/api/schema/"' in html
    policy = sorted(part.strip() for part in response["Content-Security-Policy"].split(";"))
    assert [part for part in policy if part.startswith(("script-src", "style-src"))] == [
        "script-src 'self'",
        "style-src 'self'",
    ]


def test_api_leads_to_the_documentation(client: Client) -> None:
    response = client.get("/api/")

    assert (response.status_code, response["Location"]) == (302, "/api/docs/")


def test_every_page_links_to_the_api_documentation(client: Client, world: ApiWorld) -> None:
    html = client.get("/").content.decode()

    assert html.count('href="/api/docs/"') == 1


def test_the_schema_is_generated_once_and_takes_no_language_parameter(client: Client) -> None:
    Schema.generated.clear()
    first = client.get("/api/schema/")
    kept = Schema.generated["nl"]
    again = client.get("/api/schema/?lang=%00")

    assert again.status_code == 200
    assert again["ETag"] == first["ETag"]
    assert Schema.generated == {"nl": kept}
    assert again.json() == kept
