"""Map widgets of the admin and the edit forms: Leaflet (from django-leaflet), no GeoDjango.

django-leaflet's own form widgets build on GeoDjango, which needs GDAL; these widgets only
use its static Leaflet and Leaflet.draw files. The map is an enhancement: the GeoJSON
textarea and the number inputs work on their own when JavaScript is off.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEAFLET_CSS = ("leaflet/leaflet.css", "leaflet/draw/leaflet.draw.css")
LEAFLET_JS = ("leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "js/geometry-widget.js")
# Leaflet.draw's texts in the page's language, for the maps that draw; after leaflet.draw.js.
DRAW_TEXTS_JS = "js/draw-texts.js"
PICKER_SEARCH_JS = "js/picker-search.js"
# The size and border of the widgets' maps (no style attribute under the CSP).
MAP_WIDGETS_CSS = "css/map-widgets.css"
AREA_PICKER_JS = "js/area-picker.js"


def address_search_urls() -> dict[str, str] | None:
    """The address search endpoints of the picker, or None when the portal has none.

    The search box is only shown when both endpoints exist, so that a picker never offers a
    search that cannot answer.
    """
    try:
        return {
            "suggest_url": reverse("areas:address-suggest"),
            "point_url": reverse("areas:address-point"),
        }
    except NoReverseMatch:
        return None


# The texts of Leaflet.draw are translated in their own context, "map drawing", so that its
# short words (Cancel, Save) keep their own translation; each is a literal call, so that
# makemessages finds it.
# Every text of Leaflet.draw 1.0.4 (its `L.drawLocal`), with the library's English as the
# msgid. The maps set them before they build the toolbar, which reads them (area-picker.js,
# geometry-widget.js); tests/areas/test_widgets.py checks that none of the library's is missing.
DRAW_TEXTS: dict[str, Any] = {
    "draw": {
        "toolbar": {
            "actions": {
                "title": pgettext_lazy("map drawing", "Cancel drawing"),
                "text": pgettext_lazy("map drawing", "Cancel"),
            },
            "finish": {
                "title": pgettext_lazy("map drawing", "Finish drawing"),
                "text": pgettext_lazy("map drawing", "Finish"),
            },
            "undo": {
                "title": pgettext_lazy("map drawing", "Delete last point drawn"),
                "text": pgettext_lazy("map drawing", "Delete last point"),
            },
            "buttons": {
                "polyline": pgettext_lazy("map drawing", "Draw a polyline"),
                "polygon": pgettext_lazy("map drawing", "Draw a polygon"),
                "rectangle": pgettext_lazy("map drawing", "Draw a rectangle"),
                "circle": pgettext_lazy("map drawing", "Draw a circle"),
                "marker": pgettext_lazy("map drawing", "Draw a marker"),
                "circlemarker": pgettext_lazy("map drawing", "Draw a circlemarker"),
            },
        },
        "handlers": {
            "circle": {
                "tooltip": {
                    "start": pgettext_lazy("map drawing", "Click and drag to draw circle.")
                },
                "radius": pgettext_lazy("map drawing", "Radius"),
            },
            "circlemarker": {
                "tooltip": {
                    "start": pgettext_lazy("map drawing", "Click map to place circle marker.")
                }
            },
            "marker": {
                "tooltip": {"start": pgettext_lazy("map drawing", "Click map to place marker.")}
            },
            "polygon": {
                "tooltip": {
                    "start": pgettext_lazy("map drawing", "Click to start drawing shape."),
                    "cont": pgettext_lazy("map drawing", "Click to continue drawing shape."),
                    "end": pgettext_lazy("map drawing", "Click first point to close this shape."),
                }
            },
            "polyline": {
                "error": pgettext_lazy(
                    "map drawing", "<strong>Error:</strong> shape edges cannot cross!"
                ),
                "tooltip": {
                    "start": pgettext_lazy("map drawing", "Click to start drawing line."),
                    "cont": pgettext_lazy("map drawing", "Click to continue drawing line."),
                    "end": pgettext_lazy("map drawing", "Click last point to finish line."),
                },
            },
            "rectangle": {
                "tooltip": {
                    "start": pgettext_lazy("map drawing", "Click and drag to draw rectangle.")
                }
            },
            "simpleshape": {
                "tooltip": {"end": pgettext_lazy("map drawing", "Release mouse to finish drawing.")}
            },
        },
    },
    "edit": {
        "toolbar": {
            "actions": {
                "save": {
                    "title": pgettext_lazy("map drawing", "Save changes"),
                    "text": pgettext_lazy("map drawing", "Save"),
                },
                "cancel": {
                    "title": pgettext_lazy("map drawing", "Cancel editing, discards all changes"),
                    "text": pgettext_lazy("map drawing", "Cancel"),
                },
                "clearAll": {
                    "title": pgettext_lazy("map drawing", "Clear all layers"),
                    "text": pgettext_lazy("map drawing", "Clear All"),
                },
            },
            "buttons": {
                "edit": pgettext_lazy("map drawing", "Edit layers"),
                "editDisabled": pgettext_lazy("map drawing", "No layers to edit"),
                "remove": pgettext_lazy("map drawing", "Delete layers"),
                "removeDisabled": pgettext_lazy("map drawing", "No layers to delete"),
            },
        },
        "handlers": {
            "edit": {
                "tooltip": {
                    "text": pgettext_lazy(
                        "map drawing", "Drag handles or markers to edit features."
                    ),
                    "subtext": pgettext_lazy("map drawing", "Click cancel to undo changes."),
                }
            },
            "remove": {
                "tooltip": {"text": pgettext_lazy("map drawing", "Click on a feature to remove.")}
            },
        },
    },
}


def _as_text(texts: Any) -> Any:
    if isinstance(texts, dict):
        return {key: _as_text(value) for key, value in texts.items()}
    return str(texts)


def draw_texts() -> dict[str, Any]:
    """Leaflet.draw's texts in the active language, with its numbers written the same way."""
    numeric = {
        "delimiters": {
            "thousands": get_format("THOUSAND_SEPARATOR"),
            "decimal": get_format("DECIMAL_SEPARATOR"),
        }
    }
    return {**_as_text(DRAW_TEXTS), "format": {"numeric": numeric}}


def map_options() -> dict[str, Any]:
    """Centre, zoom and basemap of the admin maps, read at render time (tests override them)."""
    config = getattr(settings, "LEAFLET_CONFIG", {})
    latitude, longitude = config.get("DEFAULT_CENTER", (51.56, 5.07))
    return {
        "center": json.dumps([latitude, longitude]),
        "zoom": config.get("DEFAULT_ZOOM", 12),
        "max_zoom": config.get("MAX_ZOOM", 18),
        "tiles_url": settings.WIJKPORTAAL_BASEMAP_URL,
        "tiles_attribution": settings.WIJKPORTAAL_BASEMAP_ATTRIBUTION,
    }


class ProjectTemplateMixin:
    """Render the widget with the project's template engine.

    The form renderer (FORM_RENDERER) only searches Django's and the apps' template
    directories, while the widget templates live in the project's `templates/` directory.
    """

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        return mark_safe(render_to_string(template_name, context))


class GeoJSONMapWidget(ProjectTemplateMixin, forms.Textarea):
    """A GeoJSON textarea with a Leaflet map to draw and edit the geometry on.

    `geometry_kind` is "area" (polygons and rectangles) or "point" (one marker).
    """

    template_name = "areas/widgets/geojson_map.html"

    class Media:
        css = {"all": (*LEAFLET_CSS, MAP_WIDGETS_CSS)}
        js = (LEAFLET_JS[0], LEAFLET_JS[1], DRAW_TEXTS_JS, LEAFLET_JS[2])

    def __init__(self, attrs: dict[str, Any] | None = None, *, geometry_kind: str = "area"):
        if geometry_kind not in ("area", "point"):
            raise ValueError(f"Unknown geometry kind {geometry_kind!r}.")
        self.geometry_kind = geometry_kind
        super().__init__(attrs={"cols": 80, "rows": 6, "spellcheck": "false", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["map"] = {
            **map_options(),
            "kind": self.geometry_kind,
            "is_point": self.geometry_kind == "point",
            "draw_texts": json.dumps(draw_texts()),
            "label": _("Map to draw the boundary on")
            if self.geometry_kind == "area"
            else _("Map to place the point on"),
        }
        return context


class LocationWidget(ProjectTemplateMixin, forms.NumberInput):
    """The latitude input of a located model, with a map that fills in both coordinates.

    A click on the map (or dragging the marker) writes the point's longitude into the input
    named by `longitude_field` and its latitude into this one.
    """

    template_name = "areas/widgets/location_map.html"

    class Media:
        css = {"all": (LEAFLET_CSS[0], MAP_WIDGETS_CSS)}
        js = (LEAFLET_JS[0], LEAFLET_JS[2], PICKER_SEARCH_JS)

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, longitude_field: str = "longitude"
    ) -> None:
        self.longitude_field = longitude_field
        super().__init__(attrs={"step": "any", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # The two inputs share a prefix: "id_latitude" goes with "id_longitude", and in an
        # inline "id_actions-0-latitude" with "id_actions-0-longitude".
        own_id = context["widget"]["attrs"].get("id", "")
        prefix, dash, __ = name.rpartition("-")
        longitude_name = f"{prefix}{dash}{self.longitude_field}"
        longitude_id = own_id.removesuffix(name) + longitude_name if own_id.endswith(name) else ""
        context["map"] = {
            **map_options(),
            "longitude_id": longitude_id,
            "label": _("Map to place the location on"),
        }
        context["search"] = address_search_urls()
        return context


class AreaDrawWidget(ProjectTemplateMixin, forms.Textarea):
    """The area of an action or proposal: a GeoJSON textarea with a map to draw it on.

    For the portal's own edit forms, not the admin: area-picker.js draws, edits and deletes
    one area with Leaflet.draw and writes it into the textarea, which stays visible, labelled
    and usable without JavaScript. `wijken_id` names a json_script element with the wijken
    the area must lie in, shown as an outline.
    """

    template_name = "areas/widgets/area_draw.html"

    class Media:
        css = {"all": LEAFLET_CSS}
        js = (LEAFLET_JS[0], LEAFLET_JS[1], DRAW_TEXTS_JS, AREA_PICKER_JS)

    def __init__(self, attrs: dict[str, Any] | None = None, *, wijken_id: str = "") -> None:
        self.wijken_id = wijken_id
        super().__init__(attrs={"cols": 60, "rows": 4, "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dict | list):
            return json.dumps(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["map"] = {
            **map_options(),
            "wijken_id": self.wijken_id,
            "label": _("Map to draw the area on"),
            "draw_texts": json.dumps(draw_texts()),
        }
        return context
