"""Point → area lookup timing with `areas.geometry.PointIndex`, over areas from the database.

Random points, uniform over the bounding box of all the areas, are looked up one by one,
as `/wijken/zoek/` does for one point. Some fall outside every area (the box of the
Netherlands holds sea, Germany and Belgium too), so the timing is given for all points and
for the points that lie inside an area.

`nationwide_buurten` cuts each of the 342 gemeenten into about 40 Voronoi cells, to time
the lookup at the size of all Dutch buurten (about 14,000) without a nationwide file:

    python -m bench.lookup --gemeenten ../shared/data/nl-gemeenten.geojson
"""

from __future__ import annotations

import json
import random
import time
import timeit
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, mapping, shape


def measure(
    name: str,
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    points: int = 20_000,
    repeat: int = 5,
    seed: int = 1,
) -> dict[str, Any]:
    from areas.geometry import PointIndex

    rows = [(key, geometry) for key, geometry in rows if geometry]
    started = time.perf_counter()
    index = PointIndex(rows)
    build_ms = (time.perf_counter() - started) * 1000
    min_x, min_y, max_x, max_y = shapely.total_bounds([shape(g) for _, g in rows])
    rng = random.Random(seed)
    sample = [(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)) for _ in range(points)]
    inside = [(x, y) for x, y in sample if index.locate(x, y) is not None]
    locate = index.locate

    def per_lookup_us(pts: list[tuple[float, float]]) -> float | None:
        if not pts:
            return None
        timer = timeit.Timer(lambda: [locate(x, y) for x, y in pts])
        best = min(timer.repeat(repeat=repeat, number=1))
        return round(best / len(pts) * 1e6, 2)

    vertices = int(sum(shapely.get_num_coordinates(shape(g)) for _, g in rows))
    return {
        "name": name,
        "areas": len(index),
        "vertices": vertices,
        "bbox": [round(v, 4) for v in (min_x, min_y, max_x, max_y)],
        "build_ms": round(build_ms, 1),
        "points": len(sample),
        "inside": len(inside),
        "us_per_lookup_all": per_lookup_us(sample),
        "us_per_lookup_inside": per_lookup_us(inside),
        "repeat": repeat,
    }


def synthetic_buurten(
    gemeenten: Path, *, per_gemeente: int = 40, seed: int = 1
) -> list[tuple[str, dict[str, Any]]]:
    """Buurt-like areas for the whole country: each gemeente cut into Voronoi cells.

    There is no nationwide buurten file beside the project, so the 342 gemeenten stand in:
    `per_gemeente` random points inside each one, their Voronoi cells clipped to it (about
    14,000 areas). Keys are buurt-like codes, `BU` + the gemeente's digits + a serial.
    """
    rng = np.random.default_rng(seed)
    collection = json.loads(gemeenten.read_text())
    rows: list[tuple[str, dict[str, Any]]] = []
    for feature in collection["features"]:
        area = shapely.make_valid(shape(feature["geometry"]))
        if area.is_empty:
            continue
        shapely.prepare(area)
        points = _points_in(area, per_gemeente, rng)
        cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=area)
        digits = str(feature["properties"]["code"]).removeprefix("GM")
        for serial, cell in enumerate(cells.geoms):
            clipped = cell.intersection(area)
            if clipped.is_empty or clipped.area == 0:
                continue
            polygons = [g for g in getattr(clipped, "geoms", [clipped]) if g.geom_type == "Polygon"]
            if not polygons:
                continue
            geometry = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
            rows.append((f"BU{digits}{serial:04d}", mapping(geometry)))
    return rows


def _points_in(area: Any, count: int, rng: np.random.Generator) -> np.ndarray:
    min_x, min_y, max_x, max_y = area.bounds
    found: list[np.ndarray] = []
    have = 0
    while have < count:
        xs = rng.uniform(min_x, max_x, 4 * count)
        ys = rng.uniform(min_y, max_y, 4 * count)
        inside = shapely.contains_xy(area, xs, ys)
        found.append(np.column_stack([xs[inside], ys[inside]]))
        have += int(inside.sum())
    return np.vstack(found)[:count]


def nationwide_buurten(gemeenten: Path, *, per_gemeente: int = 40) -> dict[str, Any]:
    """The point lookup over ~14,000 synthetic buurten of the whole country (no database)."""
    started = time.perf_counter()
    rows = synthetic_buurten(gemeenten, per_gemeente=per_gemeente)
    generated_s = round(time.perf_counter() - started, 1)
    result = measure(f"Netherlands: synthetic buurten ({per_gemeente} per gemeente)", rows)
    result["generated_s"] = generated_s
    return result


if __name__ == "__main__":
    import argparse

    from bench.common import SHARED_DATA

    parser = argparse.ArgumentParser(prog="python -m bench.lookup", description=__doc__)
    parser.add_argument("--gemeenten", type=Path, default=SHARED_DATA / "nl-gemeenten.geojson")
    parser.add_argument("--per-gemeente", type=int, default=40)
    arguments = parser.parse_args()
    print(json.dumps(nationwide_buurten(arguments.gemeenten, per_gemeente=arguments.per_gemeente)))
