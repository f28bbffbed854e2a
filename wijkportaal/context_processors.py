"""Values every page template uses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "MUNICIPALITY_NAME": settings.WIJKPORTAAL_MUNICIPALITY_NAME,
        "CBS_YEAR": settings.WIJKPORTAAL_CBS_YEAR,
        "BASEMAP_URL": settings.WIJKPORTAAL_BASEMAP_URL,
        "BASEMAP_ATTRIBUTION": settings.WIJKPORTAAL_BASEMAP_ATTRIBUTION,
    }
