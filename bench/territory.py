"""The nationwide territory: the 342 Dutch municipalities as wijken, in 12 gebiedsteams.

Each gemeente `GMdddd` becomes the wijk `WKdddd00`, so that the CBS code format holds. The
gebiedsteams group gemeenten by location (k-means on their label points, a fixed seed) and
take the name of their largest gemeente. The boundaries go through the portal's own import,
`areas.services.import_boundaries`: validation, simplification, bounding boxes, label
points and the gebiedsteam outlines, as for Tilburg's wijken.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

TEAMS = 12
COLOURS = [
    "#1f6f8b",
    "#99154e",
    "#2a7f3f",
    "#b5651d",
    "#5b3f8c",
    "#a23b2a",
    "#0f7b7b",
    "#7a6a00",
    "#3d5a80",
    "#8c2d6b",
    "#4f772d",
    "#6d4c41",
]


def kmeans(points: np.ndarray, k: int, *, seed: int, rounds: int = 50) -> np.ndarray:
    """The cluster of each point: plain Lloyd iterations from k points picked by the seed."""
    rng = np.random.default_rng(seed)
    centres = points[rng.choice(len(points), size=k, replace=False)]
    labels = np.zeros(len(points), dtype=int)
    for _ in range(rounds):
        distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        moved = np.array(
            [
                points[labels == i].mean(axis=0) if (labels == i).any() else centres[i]
                for i in range(k)
            ]
        )
        if np.allclose(moved, centres):
            break
        centres = moved
    return labels


def load_nationwide(path: Path, *, seed: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils.text import slugify

    from areas.models import Gebiedsteam, GeometrySource, Wijk
    from areas.services import import_boundaries

    collection = json.loads(path.read_text())
    features = [f for f in collection["features"] if f.get("geometry")]
    labels = [shape(f["geometry"]).representative_point() for f in features]
    # Longitude shrunk by cos(52°), so that distances are about even in both directions.
    points = np.array([(p.x * 0.62, p.y) for p in labels])
    cluster = kmeans(points, TEAMS, seed=seed)

    largest: dict[int, dict[str, Any]] = {}
    for feature, team in zip(features, cluster, strict=True):
        current = largest.get(int(team))
        if current is None or feature["properties"]["inwoners"] > current["properties"]["inwoners"]:
            largest[int(team)] = feature
    order = sorted(largest, key=lambda team: -largest[team]["properties"]["inwoners"])

    started = time.perf_counter()
    with transaction.atomic():
        teams = {}
        for position, team in enumerate(order, start=1):
            name = f"Regio {largest[team]['properties']['name']}"
            teams[team] = Gebiedsteam.objects.create(
                name=name, slug=slugify(name), colour=COLOURS[position - 1], position=position
            )
        slugs: set[str] = set()
        wijken = []
        renamed = []
        for feature, team, label in zip(features, cluster, labels, strict=True):
            props = feature["properties"]
            code = f"WK{props['code'][2:]}00"
            slug = slugify(props["name"])
            if slug in slugs:
                slug = f"{slug}-{code[2:6]}"
            slugs.add(slug)
            wijken.append(
                Wijk(
                    code=code,
                    name=props["name"],
                    slug=slug,
                    gebiedsteam=teams[int(team)],
                    label_lon=round(label.x, 6),
                    label_lat=round(label.y, 6),
                )
            )
            renamed.append({**feature, "properties": {**props, "code": code}})
        Wijk.objects.bulk_create(wijken, batch_size=500)
    created = time.perf_counter()
    result = import_boundaries(
        wijken={"type": "FeatureCollection", "features": renamed},
        source=GeometrySource.FILE,
        year=int(features[0]["properties"].get("year") or 2023),
    )
    imported = time.perf_counter()
    vertices = int(sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in features))
    return {
        "gemeenten": len(features),
        "gebiedsteams": len(teams),
        "vertices_in_file": vertices,
        "wijken_updated": result.wijken_updated,
        "outlines_refreshed": result.outlines_refreshed,
        "seconds_create": round(created - started, 2),
        "seconds_import_boundaries": round(imported - created, 2),
        "teams": {teams[team].name: int((cluster == team).sum()) for team in order},
    }
