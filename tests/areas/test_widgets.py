from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import leaflet
import pytest
from django.utils import translation

from areas.widgets import AreaDrawWidget, GeoJSONMapWidget, draw_texts

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


# ---- Leaflet.draw in Dutch ----------------------------------------------------------------

LEAFLET_DRAW = Path(leaflet.__file__).parent / "static" / "leaflet" / "draw" / "leaflet.draw-src.js"


def library_texts() -> dict[str, str]:
    """Every text of Leaflet.draw's own `L.drawLocal`, by its dotted path: read from the
    library, one `key: 'text'` or `key: {` a line."""
    source = LEAFLET_DRAW.read_text(encoding="utf-8")
    block = source[
        source.index("L.drawLocal = {") : source.index("\n};", source.index("L.drawLocal = {"))
    ]
    texts: dict[str, str] = {}
    path: list[str] = []
    for line in block.splitlines()[1:]:
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        if opened := re.fullmatch(r"(\w+): \{", line):
            path.append(opened[1])
        elif text := re.fullmatch(r"(\w+): '(.*)',?", line):
            texts[".".join([*path, text[1]])] = text[2]
        elif line.startswith("}"):
            path.pop()
    return texts


def flattened(texts: dict, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in texts.items():
        if isinstance(value, dict):
            found.update(flattened(value, f"{prefix}{key}."))
        else:
            found[f"{prefix}{key}"] = value
    return found


def test_the_draw_texts_are_every_text_of_leaflet_draw_with_its_english() -> None:
    library = library_texts()

    ours = flattened(draw_texts())

    assert len(library) == 38
    assert {path: text for path, text in ours.items() if not path.startswith("format.")} == library


def test_the_draw_texts_are_dutch(settings) -> None:
    settings.LANGUAGE_CODE = "nl"
    library = library_texts()

    with translation.override("nl"):
        ours = flattened(draw_texts())

    assert [path for path, text in library.items() if ours[path] == text] == []
    assert ours["draw.toolbar.buttons.polygon"] == "Een gebied tekenen"
    assert ours["draw.toolbar.finish.text"] == "Afronden"
    assert ours["draw.toolbar.undo.text"] == "Laatste punt verwijderen"
    assert (
        ours["format.numeric.delimiters.decimal"],
        ours["format.numeric.delimiters.thousands"],
    ) == (",", ".")


@pytest.mark.parametrize(
    "widget", [GeoJSONMapWidget(geometry_kind="area"), AreaDrawWidget()], ids=["admin", "portal"]
)
def test_the_drawing_maps_carry_the_draw_texts(widget) -> None:
    with translation.override("nl"):
        html = widget.render("area", None, {"id": "id_area"})

    found = re.search(r'data-draw-texts="([^"]*)"', html)
    assert found is not None
    sent = json.loads(unescape(found[1]))
    assert sent["draw"]["toolbar"]["buttons"]["polygon"] == "Een gebied tekenen"
