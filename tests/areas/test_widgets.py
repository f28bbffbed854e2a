from __future__ import annotations

import re

import pytest

from areas.widgets import GeoJSONMapWidget

pytestmark = pytest.mark.english

POINT_HELP = "Place the point with the marker tool, or type GeoJSON in the field below."
AREA_HELP = (
    "Draw the boundary with the polygon or rectangle tool and adjust it with the edit tool, "
    "or paste GeoJSON (WGS84 or RD New) in the field below."
)


@pytest.mark.parametrize(("kind", "help_text"), [("point", POINT_HELP), ("area", AREA_HELP)])
def test_geojson_map_widget_tells_the_template_its_kind(kind: str, help_text: str) -> None:
    widget = GeoJSONMapWidget(geometry_kind=kind)

    context = widget.get_context("area", None, {"id": "id_area"})
    html = widget.render("area", None, {"id": "id_area"})

    assert (context["map"]["kind"], context["map"]["is_point"]) == (kind, kind == "point")
    shown = re.search(r'<p class="help geometry-widget__help" hidden>(.*?)</p>', html)
    assert shown is not None
    assert shown[1] == help_text
