"""Fixtures for the areas tests: a fake Locatieserver and the real Tilburg boundaries."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model

from areas.models import Buurt, Gebiedsteam, Wijk
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


@dataclass(frozen=True)
class TilburgRows:
    """What importing Tilburg's boundaries wrote: field values by model, ids left out."""

    outlines: dict[str, Any]  # gebiedsteam name → outline
    wijken: list[dict[str, Any]]  # "gebiedsteam_id" holds the team's name
    buurten: list[dict[str, Any]]  # "wijk_id" holds the wijk's CBS code


# Left out of the noted rows: new ids in each test, and timestamps of the test's own time (the
# point → wijk index tells boundary versions apart by `updated_at`).
PER_TEST_FIELDS = {"id", "created_at", "updated_at"}


def _field_values(obj: Model, *, leave_out: set[str]) -> dict[str, Any]:
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in leave_out
    }


@pytest.fixture(scope="session")
def tilburg_rows(django_db_setup: None, django_db_blocker: Any) -> TilburgRows:
    """Import Tilburg's boundaries once per test process, note the rows, and roll back.

    The import (shapely repairs every shape, then a bulk update of 313 areas) takes about a
    second; tests that only need the result copy these rows instead (`tilburg_boundaries`).
    The tests of the import itself are in test_boundaries.py.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        teams = _import_tilburg_boundaries()
        names = {team.pk: name for name, team in teams.items()}
        wijken = list(Wijk.objects.order_by("pk"))
        codes = {wijk.pk: wijk.code for wijk in wijken}
        rows = TilburgRows(
            outlines={
                team.name: team.outline
                for team in Gebiedsteam.objects.filter(pk__in=names).order_by("pk")
            },
            wijken=[
                {
                    **_field_values(wijk, leave_out=PER_TEST_FIELDS),
                    "gebiedsteam_id": names[wijk.gebiedsteam_id],
                }
                for wijk in wijken
            ],
            buurten=[
                {**_field_values(buurt, leave_out=PER_TEST_FIELDS), "wijk_id": codes[buurt.wijk_id]}
                for buurt in Buurt.objects.order_by("pk")
            ],
        )
        # Nothing of the import stays behind for the tests (each has its own transaction).
        transaction.set_rollback(True)
    return rows


def _import_tilburg_boundaries() -> dict[str, Gebiedsteam]:
    """Tilburg's gebiedsteams and wijken, then its boundaries, as an administrator imports."""
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


@pytest.fixture
def tilburg_boundaries(db: None, tilburg_rows: TilburgRows) -> dict[str, Gebiedsteam]:
    """Tilburg's 59 wijken (slug: the CBS code in lower case) and 254 buurten, real boundaries.

    Imported with the boundary service from ../shared/data, as an administrator would: once
    per test process (`tilburg_rows`); each test gets the same rows, written anew.
    """
    # A copy of the outline: the test may change its gebiedsteam's, the next test gets the
    # original. The wijken and buurten made here are not handed out, so they share the rows.
    teams = {
        name: GebiedsteamFactory(name=name, outline=copy.deepcopy(outline))
        for name, outline in tilburg_rows.outlines.items()
    }
    Wijk.objects.bulk_create(
        Wijk(**{**row, "gebiedsteam_id": teams[row["gebiedsteam_id"]].pk})
        for row in tilburg_rows.wijken
    )
    ids = dict(Wijk.objects.values_list("code", "pk"))
    Buurt.objects.bulk_create(
        Buurt(**{**row, "wijk_id": ids[row["wijk_id"]]}) for row in tilburg_rows.buurten
    )
    return teams
