"""Every label point of a real Tilburg buurt lies in its own buurt and wijk."""

from __future__ import annotations

import pytest

from areas.locate import locate_buurt, locate_wijk
from areas.models import Buurt, Wijk
from tests.areas.conftest import load_shared

pytestmark = pytest.mark.django_db

WITHOUT_GEOMETRY = {"BU08553206", "BU08556707"}


def test_every_buurt_label_point_locates_its_own_wijk_and_buurt(tilburg_boundaries):
    features = load_shared("tilburg-buurten.geojson")["features"]
    with_label = [f["properties"] for f in features if f["properties"].get("label_lon") is not None]

    wrong = []
    for buurt in with_label:
        lon, lat = buurt["label_lon"], buurt["label_lat"]
        found = (locate_wijk(lon, lat), locate_buurt(lon, lat))
        expected = (buurt["wijk_code"].lower(), buurt["code"])
        if found != expected:
            wrong.append((buurt["code"], found, expected))

    assert (len(features), len(with_label), wrong) == (254, 252, [])
    assert {f["properties"]["code"] for f in features} - {
        b["code"] for b in with_label
    } == WITHOUT_GEOMETRY
    assert (Wijk.objects.count(), Buurt.objects.with_geometry().count()) == (59, 252)
