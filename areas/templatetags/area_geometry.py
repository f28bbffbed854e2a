"""Template tags that say in words where a point or an area lies.

The pages of actions and proposals show a map, and beside it the same in text ("In wijk
Het Zand", "This action covers an area in Het Zand and Koningshoeven"), so that nothing is
only on the map. One small query per tag, on detail pages only.
"""

from __future__ import annotations

from typing import Any

from django import template
from shapely.geometry import shape

from areas.geometry import areas_within, names_in_words
from areas.locate import locate_wijk
from areas.models import Wijk

register = template.Library()


@register.simple_tag
def wijk_at(longitude: float | None, latitude: float | None) -> Wijk | None:
    """The wijk a point lies in, or None (no point, or outside every wijk)."""
    if longitude is None or latitude is None:
        return None
    slug = locate_wijk(longitude, latitude)
    if slug is None:
        return None
    return Wijk.objects.filter(slug=slug).only("pk", "name", "slug").first()


@register.simple_tag
def area_wijken(area: dict[str, Any] | None) -> str:
    """The wijken a stored area lies in, as words; empty without an area."""
    if not area:
        return ""
    geom = shape(area)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    candidates = (
        Wijk.objects.with_geometry()
        .in_bbox(min_lon, min_lat, max_lon, max_lat)
        .only("pk", "name", "geometry")
        .order_by("name")
    )
    return names_in_words(
        [name for name in areas_within(geom, [(w.name, w.geometry) for w in candidates])]
    )
