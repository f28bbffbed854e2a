"""Point → wijk and point → buurt, over in-process indexes of the boundaries.

Building an index parses every boundary (a few tens of milliseconds for Tilburg), so each
process builds it once and keeps it. It is rebuilt when the boundaries change: the key is the
number of wijken (or buurten) and their latest `updated_at`, which one cheap aggregate query
reads on each lookup. A change made with `QuerySet.update()` does not touch `updated_at`;
boundary imports save each area, so they do. An index is a cache, not shared state: every
process has its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Model

from areas.geometry import PointIndex
from areas.models import Buurt, Wijk

BoundaryVersion = tuple[int, datetime | None]


class _CachedIndex:
    """One process-wide index over the boundaries of one model, rebuilt when they change."""

    def __init__(
        self,
        model: type[Model],
        rows: Callable[[], Iterable[tuple[str, Mapping[str, Any] | None]]],
    ) -> None:
        self._model = model
        self._rows = rows
        self._lock = threading.Lock()
        self._cached: tuple[BoundaryVersion, PointIndex[str]] | None = None

    def version(self) -> BoundaryVersion:
        """What the index is built from: the number of areas and the latest change to one."""
        figures = self._model._default_manager.aggregate(
            count=Count("pk"), latest=Max("updated_at")
        )
        return figures["count"], figures["latest"]

    def get(self) -> PointIndex[str]:
        version = self.version()
        # Held while building, so that concurrent requests after a change build it only once.
        with self._lock:
            if self._cached is None or self._cached[0] != version:
                self._cached = (version, PointIndex(self._rows()))
            return self._cached[1]

    def forget(self) -> None:
        with self._lock:
            self._cached = None


_wijken = _CachedIndex(Wijk, lambda: Wijk.objects.with_geometry().values_list("slug", "geometry"))
_buurten = _CachedIndex(
    Buurt, lambda: Buurt.objects.with_geometry().values_list("code", "geometry")
)


def boundary_version() -> BoundaryVersion:
    """What the wijk index was built from: the number of wijken and the latest change to one."""
    return _wijken.version()


def wijk_index() -> PointIndex[str]:
    """The index of the wijk boundaries, keyed by slug; rebuilt when the boundaries change."""
    return _wijken.get()


def buurt_index() -> PointIndex[str]:
    """The index of the buurt boundaries, keyed by CBS code; rebuilt when they change."""
    return _buurten.get()


def locate_wijk(lon: float, lat: float) -> str | None:
    """The slug of the wijk that contains the point, or None outside every wijk."""
    return wijk_index().locate(lon, lat)


def locate_buurt(lon: float, lat: float) -> str | None:
    """The CBS code of the buurt that contains the point, or None outside every buurt."""
    return buurt_index().locate(lon, lat)


def forget_buurt_index() -> None:
    """Drop the buurt index, so that the next lookup builds it anew (for tests)."""
    _buurten.forget()


def forget_wijk_index() -> None:
    """Drop the wijk and buurt indexes, so that the next lookups build them anew (for tests).

    Both go, because tests reset "the index" through this one function.
    """
    _wijken.forget()
    _buurten.forget()
