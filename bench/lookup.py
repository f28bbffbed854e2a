"""Point → area lookup timing with `areas.geometry.PointIndex`, over areas from the database.

Random points, uniform over the bounding box of all the areas, are looked up one by one,
as `/wijken/zoek/` does for one point. Some fall outside every area (the box of the
Netherlands holds sea, Germany and Belgium too), so the timing is given for all points and
for the points that lie inside an area.
"""

from __future__ import annotations

import random
import time
import timeit
from collections.abc import Iterable, Mapping
from typing import Any

import shapely
from shapely.geometry import shape


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
