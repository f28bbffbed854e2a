"""A local stand-in for the PDOK CBS WFS, serving Tilburg's wijken and buurten.

It answers WFS 2.0 GetFeature with GeoJSON the way PDOK does: PDOK's property names
(`wijkcode`, `buurtnaam`, `aantalInwoners`, …), RD New coordinates unless asked for WGS84,
at most `max_count` features per answer, paged with `count` and `startIndex`, and filtered
by an XML filter on `gemeentecode`. Features come from the shared data files, plus one
buurt of another municipality that only an ignored filter lets through.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pyproj import Transformer

from tests.fake_server import FakeServer

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PATH = re.compile(r"^/cbs/wijkenbuurten/(?P<year>[0-9]{4})/wfs/v1_0$")
FILTER_CODE = re.compile(
    r"<(?:\w+:)?(?:PropertyName|ValueReference)>gemeentecode</(?:\w+:)?(?:PropertyName|ValueReference)>"
    r"\s*<(?:\w+:)?Literal>(?P<code>[^<]*)</(?:\w+:)?Literal>"
)
OTHER_BUURT = {
    "type": "Feature",
    "properties": {
        "code": "BU07960101",
        "name": "Binnenstad-Noord",
        "wijk_code": "WK079601",
        "gemeente_code": "GM0796",
    },
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[5.30, 51.69], [5.31, 51.69], [5.31, 51.70], [5.30, 51.70], [5.30, 51.69]]
        ],
    },
}


def _exception_report(code: str, text: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
        f'<ows:Exception exceptionCode="{code}"><ows:ExceptionText>{text}</ows:ExceptionText>'
        "</ows:Exception></ows:ExceptionReport>"
    ).encode()


def _pdok_wijk(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "wijkcode": p["code"],
        "wijknaam": p["name"],
        "gemeentecode": p.get("gemeente_code", "GM0855"),
        "gemeentenaam": "Tilburg",
        "water": "NEE",
        "aantalInwoners": p["inwoners"],
        "mannen": p["mannen"],
        "vrouwen": p["vrouwen"],
        "woningvoorraad": p["woningvoorraad"],
        "oppervlakteTotaalInHa": p["oppervlakte_totaal_ha"],
        "oppervlakteLandInHa": p["oppervlakte_land_ha"],
        "oppervlakteWaterInHa": p["oppervlakte_water_ha"],
        "bevolkingsdichtheidInwonersPerKm2": p["bevolkingsdichtheid_per_km2"],
    }


def _pdok_buurt(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "buurtcode": p["code"],
        "buurtnaam": p["name"],
        "wijkcode": p["wijk_code"],
        "gemeentecode": p.get("gemeente_code", "GM0855"),
        "gemeentenaam": "Tilburg" if p.get("gemeente_code", "GM0855") == "GM0855" else "Anders",
        "water": "NEE",
        # The shared files have no buurt figures; PDOK writes -99997 for "secret".
        "aantalInwoners": -99997,
    }


class FakePdok(FakeServer):
    """A fake PDOK WFS on 127.0.0.1, on a free port, in a background thread.

    `requests` lists the query of every request (lower-case keys); `max_count`,
    `report_totals` (numberMatched/numberReturned in the answer), `ignore_filter`, `delay`
    (seconds before answering) and `fail` ((status, body) answered instead) shape its
    behaviour and may be changed while it runs.
    """

    def __init__(self, *, max_count: int = 1000, report_totals: bool = False) -> None:
        super().__init__()
        self.max_count = max_count
        self.report_totals = report_totals
        self.ignore_filter = False
        self.delay = 0.0
        self.fail: tuple[int, bytes] | None = None
        self.years = {2024}
        self.requests: list[dict[str, str]] = []
        self.layers = self._load_layers()

    @staticmethod
    def _load_layers() -> dict[str, list[dict[str, Any]]]:
        wijken = json.loads((DATA / "tilburg-wijken.geojson").read_text(encoding="utf-8"))
        buurten = json.loads((DATA / "tilburg-buurten.geojson").read_text(encoding="utf-8"))
        layers: dict[str, list[dict[str, Any]]] = {"wijken": [], "buurten": []}
        for i, feature in enumerate(wijken["features"], start=1):
            layers["wijken"].append(
                {
                    "id": f"wijken.{i}",
                    "properties": _pdok_wijk(feature),
                    "geometry": feature["geometry"],
                }
            )
        for i, feature in enumerate([*buurten["features"], OTHER_BUURT], start=1):
            layers["buurten"].append(
                {
                    "id": f"buurten.{i}",
                    "properties": _pdok_buurt(feature),
                    "geometry": feature["geometry"],
                }
            )
        return layers

    @property
    def url(self) -> str:
        """The service URL, with PDOK's `{year}` placeholder."""
        return f"{self.origin}/cbs/wijkenbuurten/{{year}}/wfs/v1_0"

    def answer(self, path: str) -> tuple[int, str, bytes]:
        """The status, content type and body PDOK would answer to a GET of `path`."""
        parts = urlsplit(path)
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        self.requests.append(query)
        if self.delay:
            time.sleep(self.delay)
        if self.fail is not None:
            return self.fail[0], "application/xml", self.fail[1]
        match = PATH.match(parts.path)
        if not match or int(match["year"]) not in self.years:
            return 404, "text/plain", b"404 page not found"
        xml = "text/xml; charset=utf-8"
        if query.get("service", "").upper() != "WFS" or query.get("request") != "GetFeature":
            return 400, xml, _exception_report("InvalidParameterValue", "Unknown request")
        type_name = query.get("typenames") or query.get("typename") or ""
        layer = type_name.removeprefix("wijkenbuurten:")
        if layer not in self.layers:
            return (
                400,
                xml,
                _exception_report(
                    "InvalidParameterValue", f"TYPENAME '{type_name}' doesn't exist in this server."
                ),
            )
        if query.get("outputformat") not in ("application/json", "json"):
            return 400, xml, _exception_report("InvalidParameterValue", "Unsupported outputFormat")
        features = self.layers[layer]
        code_filter = FILTER_CODE.search(query.get("filter", ""))
        if code_filter and not self.ignore_filter:
            features = [
                f for f in features if f["properties"]["gemeentecode"] == code_filter["code"]
            ]
        start = int(query.get("startindex", "0"))
        count = min(int(query.get("count", str(self.max_count))), self.max_count)
        page = features[start : start + count]
        srs = query.get("srsname", "EPSG:28992")
        rd = srs.endswith("28992")
        body: dict[str, Any] = {
            "type": "FeatureCollection",
            "name": layer,
            "crs": {
                "type": "name",
                "properties": {
                    "name": "urn:ogc:def:crs:EPSG::28992" if rd else "urn:ogc:def:crs:OGC:1.3:CRS84"
                },
            },
            "features": [
                {
                    "type": "Feature",
                    "id": f["id"],
                    "properties": f["properties"],
                    "geometry": _to_rd(f["geometry"]) if rd else f["geometry"],
                }
                for f in page
            ],
        }
        if self.report_totals:
            body["numberMatched"] = len(features)
            body["numberReturned"] = len(page)
        return 200, "application/json; subtype=geojson; charset=utf-8", json.dumps(body).encode()


_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def _to_rd(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    if geometry is None:
        return None

    def convert(coords: Any) -> Any:
        if coords and isinstance(coords[0], int | float):
            x, y = _TO_RD.transform(coords[0], coords[1])
            return [round(x, 3), round(y, 3)]
        return [convert(c) for c in coords]

    return {"type": geometry["type"], "coordinates": convert(geometry["coordinates"])}
