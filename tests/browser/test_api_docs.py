"""The API's documentation in the browser: Swagger UI from the portal's own files runs under
the Content-Security-Policy (the autouse `no_csp_violations` fails on any refusal) and shows
every endpoint, read from /api/schema/."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from api.datasets import SUMMARIES as LISTS
from tests.browser.conftest import Portal

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.django_db


def test_swagger_ui_shows_every_endpoint_under_the_csp(desktop: Page, portal: Portal) -> None:
    desktop.goto(portal("/"))
    desktop.locator("footer").get_by_role("link", name="Open data: de API").click()
    desktop.wait_for_url(portal("/api/docs/"))
    summaries = desktop.locator("#swagger-ui .opblock-summary-path")
    summaries.first.wait_for()

    paths = sorted(summaries.all_inner_texts())

    assert [path.replace("\u200b", "") for path in paths] == sorted(
        [f"/api/v1/{name}/" for name in LISTS]
        + ["/api/v1/wijkagendas/{slug}/", "/api/v1/proposals/{slug}/"]
    )
