"""Reading CBS wijk and buurt boundaries: from a GeoJSON file or from the PDOK WFS.

Both sources end up as the same shape of FeatureCollection: properties `code`, `name`, and for
wijken the CBS key figures under the file's names (`inwoners`, `woningvoorraad`,
`oppervlakte_land_ha`, `bevolkingsdichtheid_per_km2`). `parse_features` turns such a
collection into validated `BoundaryFeature`s; storing them is `areas.services`' work.
"""

from __future__ import annotations

import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings

from areas.geometry import (
    Footprint,
    GeometryError,
    check_point,
    detect_crs,
    footprint,
)

Layer = Literal["wijken", "buurten"]
LAYERS: tuple[Layer, ...] = ("wijken", "buurten")

CODE_PATTERNS = {
    "wijken": re.compile(r"^WK[0-9]{6}$"),
    "buurten": re.compile(r"^BU[0-9]{8}$"),
}
CODE_FORMATS = {"wijken": "WK followed by six digits", "buurten": "BU followed by eight digits"}

# File property → Wijk field. CBS figures are whole numbers; a value that is missing or
# negative (CBS writes -99997 for "secret" and -99995 for "not applicable") is left alone.
FIGURES = {
    "inwoners": "inhabitants",
    "woningvoorraad": "dwellings",
    "oppervlakte_land_ha": "area_land_ha",
    "bevolkingsdichtheid_per_km2": "population_density",
}

# PDOK property → file property, per layer. PDOK's wijken/buurten layers use camelCase
# names since 2022 (`aantalInwoners`); their codes are the same CBS codes as in the files.
PDOK_PROPERTIES: dict[str, dict[str, str]] = {
    "wijken": {
        "wijkcode": "code",
        "wijknaam": "name",
        "gemeentecode": "gemeente_code",
        "gemeentenaam": "gemeente_name",
        "aantalInwoners": "inwoners",
        "mannen": "mannen",
        "vrouwen": "vrouwen",
        "aantalHuishoudens": "huishoudens",
        "woningvoorraad": "woningvoorraad",
        "oppervlakteTotaalInHa": "oppervlakte_totaal_ha",
        "oppervlakteLandInHa": "oppervlakte_land_ha",
        "oppervlakteWaterInHa": "oppervlakte_water_ha",
        "bevolkingsdichtheidInwonersPerKm2": "bevolkingsdichtheid_per_km2",
        "water": "water",
    },
    "buurten": {
        "buurtcode": "code",
        "buurtnaam": "name",
        "wijkcode": "wijk_code",
        "wijknaam": "wijk_name",
        "gemeentecode": "gemeente_code",
        "gemeentenaam": "gemeente_name",
        "aantalInwoners": "inwoners",
        "mannen": "mannen",
        "vrouwen": "vrouwen",
        "aantalHuishoudens": "huishoudens",
        "woningvoorraad": "woningvoorraad",
        "oppervlakteTotaalInHa": "oppervlakte_totaal_ha",
        "oppervlakteLandInHa": "oppervlakte_land_ha",
        "oppervlakteWaterInHa": "oppervlakte_water_ha",
        "bevolkingsdichtheidInwonersPerKm2": "bevolkingsdichtheid_per_km2",
        "water": "water",
    },
}
# PDOK answers at most 1,000 features per request.
PDOK_PAGE_SIZE = 1000
# A municipality has at most a few hundred buurten; more pages than this means the
# municipality filter was ignored and the whole country is coming in.
PDOK_MAX_PAGES = 20
# RD New is PDOK's native CRS: its x/y order is not in doubt, unlike EPSG:4326 in WFS 2.0,
# whose axis order (lat/lon or lon/lat) differs between servers and output formats.
PDOK_SRS_NAME = "urn:ogc:def:crs:EPSG::28992"


class BoundaryError(Exception):
    """A boundary source that cannot be imported, with a message that names the culprit."""

    @classmethod
    def for_feature(
        cls, number: int, *, code: str | None, name: str | None, reason: str
    ) -> BoundaryError:
        """An error in one feature: `Feature 12 (WK085599 "Foo"): no wijk with this CBS code`.

        Features are numbered from 1, in the order of the collection.
        """
        label = (
            " ".join(part for part in (code or "", f'"{name}"' if name else "") if part)
            or "no code"
        )
        return cls(f"Feature {number} ({label}): {reason}")


@dataclass(frozen=True)
class BoundaryFeature:
    """One validated wijk or buurt from a boundary source."""

    number: int
    code: str
    name: str
    footprint: Footprint | None
    label: tuple[float, float] | None = None
    figures: dict[str, int] = field(default_factory=dict)
    year: int | None = None

    @property
    def wijk_code(self) -> str:
        """The CBS code of the wijk: a buurt's code without its last two digits."""
        return "WK" + self.code[2:8]

    def error(self, reason: str) -> BoundaryError:
        return BoundaryError.for_feature(self.number, code=self.code, name=self.name, reason=reason)


def read_collection(path: str | Path) -> dict[str, Any]:
    """Read a GeoJSON FeatureCollection from a file, or raise BoundaryError saying why not."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise BoundaryError(f"{path}: no such file.") from exc
    except IsADirectoryError as exc:
        raise BoundaryError(f"{path}: is a directory, not a file.") from exc
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"{path}: not a UTF-8 text file.") from exc
    except OSError as exc:
        raise BoundaryError(f"{path}: cannot be read ({exc.strerror}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    _check_collection(data, source=str(path))
    return data


def _check_collection(data: Any, *, source: str) -> None:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise BoundaryError(f"{source}: not a GeoJSON FeatureCollection (its type is {kind!r}).")
    if not isinstance(data.get("features"), list):
        raise BoundaryError(f"{source}: the FeatureCollection has no list of features.")


def parse_features(collection: Mapping[str, Any], *, layer: Layer) -> list[BoundaryFeature]:
    """Validate the features of a wijken or buurten collection, reprojected and repaired.

    Raises BoundaryError for the first feature that cannot be used. A feature with
    `"geometry": null` is valid and comes back without a footprint.
    """
    _check_collection(collection, source=layer.capitalize())
    try:
        crs = detect_crs(collection)
    except GeometryError as exc:
        raise BoundaryError(f"{layer.capitalize()}: {exc}") from exc
    seen: dict[str, int] = {}
    result: list[BoundaryFeature] = []
    for number, raw in enumerate(collection["features"], start=1):
        feature = _parse_feature(number, raw, layer=layer, crs=crs)
        if feature.code in seen:
            raise feature.error(f"the code also appears in feature {seen[feature.code]}")
        seen[feature.code] = number
        result.append(feature)
    return result


def _parse_feature(number: int, feature: Any, *, layer: Layer, crs: str) -> BoundaryFeature:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise BoundaryError.for_feature(
            number, code=None, name=None, reason="not a GeoJSON Feature"
        )
    properties = feature.get("properties")
    if not isinstance(properties, Mapping):
        raise BoundaryError.for_feature(
            number, code=None, name=None, reason="the feature has no properties"
        )
    code = _text(properties.get("code"))
    name = _text(properties.get("name"))

    def error(reason: str) -> BoundaryError:
        return BoundaryError.for_feature(number, code=code, name=name, reason=reason)

    if not code:
        raise error("it has no CBS code (property 'code')")
    if not CODE_PATTERNS[layer].match(code):
        raise error(f"not a CBS code of the {layer} ({CODE_FORMATS[layer]})")
    if not name:
        raise error("it has no name (property 'name')")
    wijk_code = properties.get("wijk_code")
    if layer == "buurten" and wijk_code not in (None, "", "WK" + code[2:8]):
        raise error(
            f"its wijk_code {wijk_code} does not match the wijk of its buurt code (WK{code[2:8]})"
        )

    area: Footprint | None = None
    if feature.get("geometry") is not None:
        try:
            area = footprint(feature["geometry"], crs=crs)
        except GeometryError as exc:
            raise error(f"invalid geometry: {exc}") from exc

    label: tuple[float, float] | None = None
    if properties.get("label_lon") is not None or properties.get("label_lat") is not None:
        try:
            label = check_point(properties.get("label_lon"), properties.get("label_lat"))
        except GeometryError as exc:
            raise error(f"invalid label point: {exc}") from exc

    figures: dict[str, int] = {}
    for key, field_name in FIGURES.items():
        value = properties.get(key)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise error(f"the key figure {key} is not a number")
        if value >= 0:
            figures[field_name] = round(value)

    year = properties.get("boundary_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise error("boundary_year is not a year")

    return BoundaryFeature(
        number=number,
        code=code,
        name=name,
        footprint=area,
        label=label,
        figures=figures,
        year=year,
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def fetch_pdok(
    *,
    layer: Layer,
    municipality_code: str,
    year: int,
    base_url: str | None = None,
    timeout: float | None = None,
    page_size: int = PDOK_PAGE_SIZE,
) -> dict[str, Any]:
    """Download one municipality's wijken or buurten from the PDOK CBS WFS.

    Pages through WFS 2.0 GetFeature (`count`/`startIndex`) in RD New and returns a
    FeatureCollection in the same shape as a boundary file, with an RD New `crs` member
    so that the import reprojects it. `base_url` may hold a `{year}` placeholder; it
    defaults to `settings.WIJKPORTAAL_PDOK_WFS_URL`, the timeout to
    `settings.WIJKPORTAAL_PDOK_TIMEOUT`. Any network or service failure is a BoundaryError.
    """
    if layer not in LAYERS:
        raise BoundaryError(f"Unknown layer {layer!r}: use 'wijken' or 'buurten'.")
    if not re.match(r"^GM[0-9]{4}$", municipality_code):
        raise BoundaryError(
            f"{municipality_code!r} is not a CBS municipality code (GM followed by four digits)."
        )
    if page_size < 1:
        raise BoundaryError("The page size must be at least 1.")
    url = (base_url or settings.WIJKPORTAAL_PDOK_WFS_URL).format(year=year)
    if timeout is None:
        timeout = float(settings.WIJKPORTAAL_PDOK_TIMEOUT)
    # PDOK's MapServer ignores CQL_FILTER; an XML filter is what restricts it to one
    # municipality. The features are checked again below, in case a server ignores it too.
    xml_filter = (
        "<Filter><PropertyIsEqualTo><PropertyName>gemeentecode</PropertyName>"
        f"<Literal>{municipality_code}</Literal></PropertyIsEqualTo></Filter>"
    )
    params = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": f"wijkenbuurten:{layer}",
        "outputFormat": "application/json",
        "srsName": PDOK_SRS_NAME,
        "filter": xml_filter,
        "count": str(page_size),
    }
    renames = PDOK_PROPERTIES[layer]
    collected: list[Any] = []
    position: dict[str, int] = {}
    start = 0
    for _page in range(PDOK_MAX_PAGES):
        page = _get_json(url, {**params, "startIndex": str(start)}, timeout=timeout, layer=layer)
        features = page["features"]
        for feature in features:
            normalised = _normalise_pdok(feature, renames, year=year)
            properties = normalised["properties"] if isinstance(normalised, dict) else {}
            if properties.get("gemeente_code") not in (None, municipality_code):
                continue
            code = properties.get("code")
            if not isinstance(code, str) or code not in position:
                if isinstance(code, str):
                    position[code] = len(collected)
                collected.append(normalised)
            elif collected[position[code]]["properties"].get("water") == "JA":
                # A code that comes twice: the land version wins over the one with water.
                collected[position[code]] = normalised
        start += len(features)
        matched = page.get("numberMatched")
        if not features or (
            isinstance(matched, int) and not isinstance(matched, bool) and start >= matched
        ):
            break
        if len(features) < page_size and not isinstance(matched, int):
            break
    else:
        raise BoundaryError(
            f"PDOK returned more than {PDOK_MAX_PAGES} pages of {layer} for "
            f"{municipality_code}; was the municipality filter ignored?"
        )
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": PDOK_SRS_NAME}},
        "metadata": {
            "source": url,
            "attribution": f"Kadaster / Centraal Bureau voor de Statistiek, {year}",
        },
        "features": collected,
    }


def _normalise_pdok(feature: Any, renames: Mapping[str, str], *, year: int) -> Any:
    if not isinstance(feature, Mapping):
        # Passed on as it is, for the import to report it with its number.
        return feature
    source = feature.get("properties") or {}
    properties: dict[str, Any] = {}
    for pdok_name, name in renames.items():
        if pdok_name not in source:
            continue
        value = source[pdok_name]
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, int | float) and not isinstance(value, bool) and value <= -99990:
            # CBS's codes for "secret" and "not applicable".
            value = None
        properties[name] = value
    properties["boundary_year"] = year
    return {
        "type": "Feature",
        "id": feature.get("id"),
        "properties": properties,
        "geometry": feature.get("geometry"),
    }


def _get_json(url: str, params: Mapping[str, str], *, timeout: float, layer: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}?{urllib.parse.urlencode(params)}",
        headers={"Accept": "application/json", "User-Agent": "Wijkportaal boundary import"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = _exception_text(exc.read())
        raise BoundaryError(
            f"PDOK answered {exc.code} {exc.reason} when asked for the {layer}"
            + (f": {detail}" if detail else ".")
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise BoundaryError(f"PDOK did not answer within {timeout:g} seconds ({url}).") from exc
        raise BoundaryError(f"Could not reach PDOK at {url}: {exc.reason}.") from exc
    except TimeoutError as exc:
        raise BoundaryError(f"PDOK did not answer within {timeout:g} seconds ({url}).") from exc
    except OSError as exc:
        raise BoundaryError(f"Could not reach PDOK at {url}: {exc}.") from exc
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        detail = _exception_text(body)
        raise BoundaryError(
            f"PDOK did not answer with GeoJSON for the {layer}" + (f": {detail}" if detail else ".")
        ) from exc
    _check_collection(data, source=f"PDOK {layer}")
    return data


def _exception_text(body: bytes) -> str:
    """The message of an OGC ExceptionReport, which WFS servers send as XML."""
    text = body.decode("utf-8", errors="replace")
    match = re.search(r"<(?:\w+:)?ExceptionText>(.*?)</(?:\w+:)?ExceptionText>", text, re.S)
    message = match.group(1) if match else ""
    return " ".join(message.split())[:300]
