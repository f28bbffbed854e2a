"""All spatial work of the portal, in one small module.

Geometry is stored as GeoJSON (WGS84) in JSON fields, with a bounding box in indexed columns
and a simplified copy for maps. Shapely (GEOS inside the wheel) validates and repairs it and
pyproj reprojects RD New (EPSG:28992). Nothing here needs GDAL or SpatiaLite, and moving to
PostGIS later means changing this module, not its callers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import make_valid

WGS84 = "EPSG:4326"
RD_NEW = "EPSG:28992"

# About 35 m in latitude at Tilburg: enough detail for a wijk or buurt on a city map.
MAP_TOLERANCE = 0.0003
STORE_DECIMALS = 6
MAP_DECIMALS = 5

K = TypeVar("K")


class GeometryError(ValueError):
    """A geometry that cannot be used, with a reason fit to show a person."""


@dataclass(frozen=True)
class Footprint:
    """A validated area, ready to be stored: the geometry, its map copy, box and label point."""

    geometry: dict[str, Any]
    simplified: dict[str, Any]
    bbox: tuple[float, float, float, float]
    label: tuple[float, float]


@cache
def _transformer(source: str) -> Transformer:
    return Transformer.from_crs(source, WGS84, always_xy=True)


def crs_of(collection: Mapping[str, Any]) -> str:
    """The CRS a GeoJSON object declares (old-style `crs` member), WGS84 when it declares none."""
    name = str(((collection.get("crs") or {}).get("properties") or {}).get("name", ""))
    if name.endswith(("28992", "28992/")):
        return RD_NEW
    return WGS84


# Where RD New coordinates can lie (metres): the Netherlands with a margin, per EPSG:28992's
# area of use. WGS84 degrees never reach these values, so magnitude tells the two apart.
RD_NEW_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)


def _first_position(geojson: Any) -> tuple[float, float] | None:
    """The first coordinate pair of a GeoJSON object (collection, feature or geometry)."""
    if not isinstance(geojson, Mapping):
        return None
    if isinstance(geojson.get("features"), list):
        children: list[Any] = geojson["features"]
    elif "geometry" in geojson:
        children = [geojson.get("geometry")]
    elif isinstance(geojson.get("geometries"), list):
        children = geojson["geometries"]
    else:
        coords = geojson.get("coordinates")
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]
        if (
            isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in coords[:2])
        ):
            return float(coords[0]), float(coords[1])
        return None
    for child in children:
        position = _first_position(child)
        if position is not None:
            return position
    return None


def detect_crs(geojson: Mapping[str, Any]) -> str:
    """The CRS of a GeoJSON object: the one its old-style `crs` member names, else a guess.

    RFC 7946 dropped the `crs` member, so files and services often leave it out. Without it,
    coordinates in RD New ranges (metres) mean RD New, anything else WGS84. A declared CRS
    other than those two is refused rather than read as degrees.
    """
    crs = geojson.get("crs")
    if isinstance(crs, Mapping) and crs:
        properties = crs.get("properties") or {}
        declared = str(properties.get("name") or properties.get("code") or "").strip()
        normalised = declared.upper().rstrip("/")
        if normalised.endswith("28992"):
            return RD_NEW
        if normalised.endswith(("4326", "CRS84")):
            return WGS84
        if declared:
            raise GeometryError(
                f"Unsupported coordinate reference system {declared!r}: "
                "use WGS84 (EPSG:4326) or RD New (EPSG:28992)."
            )
    position = _first_position(geojson)
    if position is not None and not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
        min_x, min_y, max_x, max_y = RD_NEW_BOUNDS
        if min_x <= position[0] <= max_x and min_y <= position[1] <= max_y:
            return RD_NEW
    return WGS84


def to_wgs84(geom: BaseGeometry, crs: str) -> BaseGeometry:
    if crs == WGS84:
        return geom
    transformer = _transformer(crs)

    def reproject(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    # shapely.transform rather than shapely.ops.transform, which shapely 2.2 deprecates;
    # it also hands pyproj all coordinates at once instead of one ring at a time.
    return shapely.transform(geom, reproject)


def _in_degree_range(geom: BaseGeometry) -> bool:
    """Whether every coordinate is a WGS84 longitude and latitude."""
    min_x, min_y, max_x, max_y = geom.bounds
    return -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90


def _check_range(geom: BaseGeometry) -> None:
    if not _in_degree_range(geom):
        raise GeometryError(
            "Coordinates lie outside longitude −180…180 and latitude −90…90; "
            "is the file in RD New (EPSG:28992) without saying so?"
        )


def parse(geojson: Mapping[str, Any] | str, *, crs: str = WGS84) -> BaseGeometry:
    """Read a GeoJSON geometry into shapely, in WGS84, or raise GeometryError."""
    if isinstance(geojson, str):
        try:
            geojson = json.loads(geojson)
        except json.JSONDecodeError as exc:
            raise GeometryError(f"Not valid JSON: {exc.msg}.") from exc
    if not isinstance(geojson, Mapping) or "type" not in geojson:
        raise GeometryError("Not a GeoJSON geometry: it has no 'type'.")
    try:
        geom = shape(geojson)
    # ShapelyError: GEOS's own, for a NaN coordinate or a type it does not know.
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, ShapelyError) as exc:
        raise GeometryError(f"Not a valid GeoJSON {geojson.get('type')}: {exc}.") from exc
    if geom.is_empty:
        raise GeometryError("The geometry is empty.")
    if any(not math.isfinite(v) for v in geom.bounds):
        raise GeometryError("The geometry has coordinates that are not numbers.")
    geom = to_wgs84(geom, crs)
    _check_range(geom)
    return geom


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Repair a geometry and keep only its area: make_valid can return lines and points too."""
    if not geom.is_valid:
        geom = make_valid(geom)
    parts: list[Polygon] = []
    stack = [geom]
    while stack:
        part = stack.pop()
        if isinstance(part, Polygon):
            if not part.is_empty and part.area > 0:
                parts.append(part)
        elif hasattr(part, "geoms"):
            stack.extend(part.geoms)
    if not parts:
        raise GeometryError("The geometry has no area (after repair it is only lines or points).")
    if len(parts) == 1:
        return parts[0]
    merged = unary_union(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else MultiPolygon(parts)


def to_geojson(geom: BaseGeometry, decimals: int = STORE_DECIMALS) -> dict[str, Any]:
    rounded = shapely.set_precision(geom, 10**-decimals) if decimals else geom
    if rounded.is_empty:
        rounded = geom
    return json.loads(json.dumps(mapping(rounded)))


def footprint(geojson: Mapping[str, Any] | str | BaseGeometry, *, crs: str = WGS84) -> Footprint:
    """Validate, repair and measure an area for storage."""
    geom = geojson if isinstance(geojson, BaseGeometry) else parse(geojson, crs=crs)
    area = polygonal(geom)
    simplified = area.simplify(MAP_TOLERANCE, preserve_topology=True)
    if simplified.is_empty or not simplified.is_valid:
        simplified = area
    label = area.representative_point()
    min_x, min_y, max_x, max_y = area.bounds
    return Footprint(
        geometry=to_geojson(area, STORE_DECIMALS),
        simplified=to_geojson(simplified, MAP_DECIMALS),
        bbox=(min_x, min_y, max_x, max_y),
        label=(round(label.x, STORE_DECIMALS), round(label.y, STORE_DECIMALS)),
    )


def union(geojsons: Iterable[Mapping[str, Any]]) -> BaseGeometry | None:
    shapes = [shape(g) for g in geojsons if g]
    return unary_union(shapes) if shapes else None


def outline(geojsons: Iterable[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """The simplified union of areas, for maps; None when none of them has a geometry.

    Each part is repaired first, because a hand-drawn boundary may be invalid and a union
    with an invalid part raises in GEOS.
    """
    parts = [polygonal(shape(g)) for g in geojsons if g]
    if not parts:
        return None
    area = polygonal(unary_union(parts))
    simplified = area.simplify(MAP_TOLERANCE, preserve_topology=True)
    if simplified.is_empty or not simplified.is_valid:
        simplified = area
    return to_geojson(simplified, MAP_DECIMALS)


def covers(geojson: Mapping[str, Any] | None, lon: float, lat: float) -> bool:
    """Whether an area contains the point or has it on its boundary."""
    if not geojson:
        return False
    return bool(shape(geojson).covers(Point(lon, lat)))


def check_point(lon: float | str | None, lat: float | str | None) -> tuple[float, float]:
    """A point as (lon, lat) floats in range, or GeometryError.

    Takes numbers or text, as typed in a form or sent by a file or a service; a missing
    coordinate (None) is refused like any other value that is not a number.
    """
    if lon is None or lat is None:
        raise GeometryError("Longitude and latitude must be numbers.")
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise GeometryError("Longitude and latitude must be numbers.") from exc
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise GeometryError("Longitude and latitude must be numbers.")
    if not (-180 <= lon_f <= 180 and -90 <= lat_f <= 90):
        raise GeometryError("Longitude must lie in −180…180 and latitude in −90…90.")
    return lon_f, lat_f


class PointIndex(Generic[K]):
    """Point → area lookup over an STR-tree, in process.

    254 buurten for Tilburg, about 14,500 for all of the Netherlands: either way a lookup is
    microseconds, so no spatial database is needed for it. Areas without a boundary (None)
    are left out.
    """

    def __init__(self, areas: Iterable[tuple[K, Mapping[str, Any] | None]]) -> None:
        self._keys: list[K] = []
        shapes: list[BaseGeometry] = []
        for key, geojson in areas:
            if geojson:
                self._keys.append(key)
                shapes.append(shape(geojson))
        shapely.prepare(shapes)
        self._shapes = shapes
        self._tree = shapely.STRtree(shapes)

    def __len__(self) -> int:
        return len(self._keys)

    def locate(self, lon: float, lat: float) -> K | None:
        """The key of the area that contains the point, or None outside all areas."""
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        # Boundaries of neighbouring areas touch: the lowest index wins, so the answer for
        # a point on a shared edge is stable.
        return self._keys[int(min(hits))]


def voronoi_cells(
    points: Mapping[K, tuple[float, float]], *, within: BaseGeometry | None = None
) -> dict[K, BaseGeometry]:
    """Schematic areas: the Voronoi cell of each label point, clipped to `within` or a box.

    Used for the demo when no real boundaries are at hand, so that a map still shows areas.
    """
    keys: Sequence[K] = list(points)
    multipoint = shapely.MultiPoint([points[k] for k in keys])
    if within is None:
        # A box around the points with a margin. Not envelope().buffer(): for points in a
        # row the envelope has no area, and its buffer then loses the margin at the ends.
        min_x, min_y, max_x, max_y = multipoint.bounds
        within = shapely.box(min_x - 0.01, min_y - 0.01, max_x + 0.01, max_y + 0.01)
    cells = shapely.voronoi_polygons(multipoint, extend_to=within)
    result: dict[K, BaseGeometry] = {}
    for key in keys:
        point = Point(points[key])
        for cell in cells.geoms:
            if cell.covers(point):
                result[key] = cell.intersection(within)
                break
    return result


# ---- Areas drawn by people on the edit forms ----------------------------------------------

# A hand-drawn area has tens of points; thousands mean a pasted boundary at full detail.
MAX_AREA_VERTICES = 2000
# A drawn area may stick out this far past the wijken it must lie in: nobody clicks a
# boundary to the metre, and the boundaries themselves are generalised.
AREA_TOLERANCE_M = 10.0
# Metres per degree of latitude, and of longitude at the equator (WGS84, rounded).
METRES_PER_DEGREE = 111_320.0


def names_in_words(names: Sequence[str]) -> str:
    """ "Het Zand", "Het Zand and Koningshoeven", "A, B and C": names as a sentence lists
    them, for the messages that say where an area lies."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {
        "names": ", ".join(names[:-1]),
        "last": names[-1],
    }


def _where(x: float, y: float) -> str:
    return _("near latitude %(lat)s, longitude %(lon)s") % {
        "lat": f"{y:.5f}",
        "lon": f"{x:.5f}",
    }


def _vertex_count(geom: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geom))


def _round(geom: BaseGeometry, decimals: int = STORE_DECIMALS) -> BaseGeometry:
    return shapely.transform(geom, lambda coords: np.round(coords, decimals))


def _invalid_reason(geom: BaseGeometry) -> str:
    """Why a polygon is invalid, in words a person can act on; never a silent repair."""
    reason = shapely.is_valid_reason(geom)
    location = ""
    if "[" in reason and reason.endswith("]"):
        try:
            x_text, y_text = reason[reason.index("[") + 1 : -1].split()
            location = _where(float(x_text), float(y_text))
        except ValueError:
            location = ""
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        if not location:
            return _("The area crosses itself. Move the points so that its edges do not cross.")
        return _(
            "The area crosses itself %(where)s. Move the points so that its edges do not cross."
        ) % {"where": location}
    if reason.startswith("Too few points"):
        return _("An area needs at least three different points.")
    return _("The area is not a valid shape (%(reason)s). Draw it again.") % {
        "reason": reason.split("[")[0]
    }


def user_area(geojson: Any) -> Polygon | MultiPolygon:
    """An area a person drew or pasted, checked strictly; GeometryError says what is wrong.

    Unlike `polygonal`, nothing is repaired: a boundary from a file may be fixed quietly, but
    a repaired drawing is not what its author meant, so they are asked to fix it. The result
    is rounded to the stored precision and checked again, because rounding can make two
    edges touch.
    """
    if isinstance(geojson, Mapping) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, Mapping) or not isinstance(geojson.get("type"), str):
        raise GeometryError(_("The area is not a GeoJSON geometry: it has no 'type'."))
    kind = geojson["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryError(
            _("The area must be a Polygon or MultiPolygon, not a %(type)s.") % {"type": kind[:40]}
        )
    coordinates = geojson.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError(_("The area has no coordinates."))
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, ShapelyError) as exc:
        if "at least 4" in str(exc):
            raise GeometryError(_("An area needs at least three different points.")) from exc
        raise GeometryError(_("The coordinates of the area are not pairs of numbers.")) from exc
    if geom.is_empty:
        raise GeometryError(_("The area has no coordinates."))
    if any(not math.isfinite(v) for v in geom.bounds):
        raise GeometryError(_("The coordinates of the area are not pairs of numbers."))
    if not _in_degree_range(geom):
        raise GeometryError(
            _(
                "Coordinates of the area lie outside longitude −180…180 and latitude −90…90. "
                "Give them in WGS84 degrees."
            )
        )
    count = _vertex_count(geom)
    if count > MAX_AREA_VERTICES:
        raise GeometryError(
            _("The area has %(count)s points; at most %(max)s are allowed. Simplify it.")
            % {"count": count, "max": MAX_AREA_VERTICES}
        )
    if len(np.unique(shapely.get_coordinates(geom), axis=0)) < 3:
        raise GeometryError(_("An area needs at least three different points."))
    if geom.convex_hull.area <= 0:
        raise GeometryError(_("An area needs at least three points that are not on one line."))
    if not geom.is_valid:
        raise GeometryError(_invalid_reason(geom))
    rounded = _round(geom)
    if not rounded.is_valid:
        raise GeometryError(_invalid_reason(rounded))
    if rounded.area <= 0:
        raise GeometryError(_("An area needs at least three points that are not on one line."))
    return rounded


def _metric(geom: BaseGeometry, latitude: float) -> BaseGeometry:
    """The geometry in metres on a local flat projection, for tolerances of a few metres."""
    scale_x = METRES_PER_DEGREE * math.cos(math.radians(latitude))

    def project(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([coords[:, 0] * scale_x, coords[:, 1] * METRES_PER_DEGREE])

    return shapely.transform(geom, project)


@dataclass(frozen=True)
class Overshoot:
    """The part of an area outside where it must lie: where, and in which other areas."""

    where: str
    areas: list[Any]


def area_overshoot(
    area: BaseGeometry,
    allowed: Iterable[Mapping[str, Any] | None],
    *,
    others: Iterable[tuple[K, Mapping[str, Any] | None]] = (),
    tolerance_m: float = AREA_TOLERANCE_M,
) -> Overshoot | None:
    """None when `area` lies inside the union of `allowed` widened by `tolerance_m`;
    otherwise where it sticks out, and which of `others` (e.g. other wijken) that part
    reaches into, so that the message can name a place."""
    shapes = [shape(g) for g in allowed if g]
    latitude = area.centroid.y
    area_m = _metric(area, latitude)
    if shapes:
        allowed_m = _metric(unary_union([polygonal(s) for s in shapes]), latitude)
        outside_m = area_m.difference(allowed_m.buffer(tolerance_m))
    else:
        outside_m = area_m
    if outside_m.is_empty or outside_m.area <= 0:
        return None
    scale_x = METRES_PER_DEGREE * math.cos(math.radians(latitude))
    point_m = outside_m.representative_point()
    lon, lat = point_m.x / scale_x, point_m.y / METRES_PER_DEGREE
    # The outside part back in degrees, to see which other areas it reaches into.
    outside = shapely.transform(
        outside_m,
        lambda coords: np.column_stack([coords[:, 0] / scale_x, coords[:, 1] / METRES_PER_DEGREE]),
    )
    reached = [key for key, geojson in others if geojson and shape(geojson).intersects(outside)]
    return Overshoot(where=_where(lon, lat), areas=reached)


def areas_within(
    area: BaseGeometry,
    candidates: Iterable[tuple[K, Mapping[str, Any] | None]],
    *,
    tolerance_m: float = AREA_TOLERANCE_M,
) -> list[K]:
    """The keys of the candidates the area really lies in, in the given order.

    The area is shrunk by the tolerance first: an area drawn up to a wijk's edge may
    overlap its neighbour by a few metres, and that neighbour is not where it lies.
    """
    latitude = area.centroid.y
    area_m = _metric(area, latitude)
    core = area_m.buffer(-tolerance_m)
    probe = core if not core.is_empty else area_m
    keys = []
    for key, geojson in candidates:
        if not geojson:
            continue
        candidate = _metric(shape(geojson), latitude)
        if probe.intersection(candidate).area > 0:
            keys.append(key)
    return keys
