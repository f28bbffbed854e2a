"""Point → wijk, over an in-process index of the wijk boundaries.

Building the index parses every boundary (a few tens of milliseconds for Tilburg), so each
process builds it once and keeps it. It is rebuilt when the boundaries change: the key is the
number of wijken and their latest `updated_at`, which one cheap aggregate query reads on each
lookup. A change made with `QuerySet.update()` does not touch `updated_at`; boundary imports
save each wijk, so they do. The index is a cache, not shared state: every process has its own.
"""

from __future__ import annotations

import threading
from datetime import datetime

from django.db.models import Count, Max

from areas.geometry import PointIndex
from areas.models import Wijk

BoundaryVersion = tuple[int, datetime | None]

_lock = threading.Lock()
_cached: tuple[BoundaryVersion, PointIndex[str]] | None = None


def boundary_version() -> BoundaryVersion:
    """What the index was built from: the number of wijken and the latest change to one."""
    figures = Wijk.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return figures["count"], figures["latest"]


def wijk_index() -> PointIndex[str]:
    """The index of the wijk boundaries, keyed by slug; rebuilt when the boundaries change."""
    global _cached
    version = boundary_version()
    # Held while building, so that concurrent requests after a change build it only once.
    with _lock:
        if _cached is None or _cached[0] != version:
            rows = Wijk.objects.with_geometry().values_list("slug", "geometry")
            _cached = (version, PointIndex(rows))
        return _cached[1]


def locate_wijk(lon: float, lat: float) -> str | None:
    """The slug of the wijk that contains the point, or None outside every wijk."""
    return wijk_index().locate(lon, lat)


def forget_wijk_index() -> None:
    """Drop the index, so that the next lookup builds it anew (for tests)."""
    global _cached
    with _lock:
        _cached = None
