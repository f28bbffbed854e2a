"""Fixtures for the areas tests: a fake Locatieserver and the real Tilburg boundaries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from areas.models import Gebiedsteam
from areas.services import import_boundaries
from tests.areas.fake_locatieserver import FakeLocatieserver
from tests.factories import GebiedsteamFactory, WijkFactory

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
# Short, so that the test of a server that hangs does not wait long.
LOCATIESERVER_TIMEOUT = 0.5


def start_fake_locatieserver(settings: Any, monkeypatch: pytest.MonkeyPatch) -> FakeLocatieserver:
    """Start a fake Locatieserver and point the portal at it, with an empty cache.

    The caller stops it. Shared with the browser tests, whose live server runs in this
    process and so reads the same settings and cache.
    """
    # A proxy from the environment must not catch requests for the local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = FakeLocatieserver().start()
    settings.WIJKPORTAAL_LOCATIESERVER_URL = server.url
    settings.WIJKPORTAAL_LOCATIESERVER_TIMEOUT = LOCATIESERVER_TIMEOUT
    settings.WIJKPORTAAL_MUNICIPALITY_CODE = "GM0855"
    settings.WIJKPORTAAL_MUNICIPALITY_NAME = "Tilburg"
    cache.clear()
    return server


@pytest.fixture
def fake_locatieserver(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeLocatieserver]:
    server = start_fake_locatieserver(settings, monkeypatch)
    yield server
    server.stop()
    cache.clear()


def load_shared(name: str) -> dict[str, Any]:
    return json.loads((SHARED_DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def tilburg_boundaries(db: None) -> dict[str, Gebiedsteam]:
    """Tilburg's 59 wijken (slug: the CBS code in lower case) and 254 buurten, real boundaries.

    Imported with the boundary service from ../shared/data, as an administrator would.
    """
    wijken = load_shared("tilburg-wijken.geojson")
    teams: dict[str, Gebiedsteam] = {}
    for feature in wijken["features"]:
        name = feature["properties"]["gebiedsteam"]
        if name not in teams:
            teams[name] = GebiedsteamFactory(name=name)
        WijkFactory(
            code=feature["properties"]["code"],
            name=feature["properties"]["name"],
            slug=feature["properties"]["code"].lower(),
            gebiedsteam=teams[name],
        )
    import_boundaries(wijken=wijken, buurten=load_shared("tilburg-buurten.geojson"))
    return teams
