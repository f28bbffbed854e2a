from __future__ import annotations

import gzip
import json

import pytest

from areas.geometry import footprint
from tests.factories import SQUARE, GebiedsteamFactory, WijkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wijken():
    team = GebiedsteamFactory(name="West", slug="west")
    for n in range(3):
        wijk = WijkFactory(gebiedsteam=team, name=f"Wijk {n}", slug=f"wijk-{n}")
        wijk.apply_footprint(footprint(SQUARE), source="file", year=2024)
        wijk.save()


def test_wijken_geojson_is_sent_compressed_to_a_client_that_accepts_gzip(client, wijken):
    plain = client.get("/kaart/wijken.geojson")
    packed = client.get("/kaart/wijken.geojson", HTTP_ACCEPT_ENCODING="gzip")

    assert (packed["Content-Encoding"], packed["Content-Type"]) == ("gzip", "application/geo+json")
    assert json.loads(gzip.decompress(packed.content)) == json.loads(plain.content)
    assert len(packed.content) < len(plain.content)


def test_a_repeat_of_the_compressed_geojson_costs_a_304(client, wijken):
    first = client.get("/kaart/wijken.geojson", HTTP_ACCEPT_ENCODING="gzip")
    repeat = client.get(
        "/kaart/wijken.geojson", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert first["ETag"].startswith('W/"')
    assert (repeat.status_code, repeat.content) == (304, b"")
