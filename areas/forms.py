"""Forms of the areas app: boundaries as GeoJSON, validated and normalised with shapely."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _

from areas.geometry import (
    Footprint,
    GeometryError,
    covers,
    detect_crs,
    footprint,
    to_geojson,
    user_area,
)
from areas.models import Buurt, GeometrySource, Wijk
from areas.widgets import AreaDrawWidget, GeoJSONMapWidget

# A drawn area of MAX_AREA_VERTICES points is about 60 kB of GeoJSON; far more is no drawing.
MAX_AREA_TEXT = 200_000
# GeoJSON nests at most a few levels (a Feature's MultiPolygon: 6); far deeper is no
# geometry, and near Python's recursion limit json.loads and json.dumps raise RecursionError.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth(text: str) -> int:
    """How deep the arrays and objects of JSON `text` nest (brackets in strings not counted)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is no JSON number")


class GeoJSONDecoder(json.JSONDecoder):
    """JSON as its standard has it: Python's json also reads NaN and Infinity, which are no
    coordinates (GEOS fails on them with an exception of its own)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "parse_constant": _refuse_constant})


# The GeoJSON types shapely reads (it ignores their case); a Feature's geometry is read.
GEOMETRY_TYPES = frozenset(
    kind.lower()
    for kind in (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    )
)


def _check_geometry_type(geojson: dict[str, Any]) -> None:
    """Refuse, with the reason, a GeoJSON object that is no geometry (a FeatureCollection, a
    type no one knows): shapely would raise an exception of its own. The type is not echoed,
    for it can hold anything, a NUL too."""
    kind = geojson.get("type")
    if isinstance(kind, str) and kind.lower() == "feature":
        inner = geojson.get("geometry")
        kind = inner.get("type") if isinstance(inner, dict) else None
    if not isinstance(kind, str):
        return  # no type at all: footprint() says so
    if kind.lower() == "featurecollection":
        raise ValidationError(
            _(
                "The boundary is a FeatureCollection: paste the geometry of one of its "
                "features, a Polygon or MultiPolygon."
            ),
            code="invalid_geometry",
        )
    if kind.lower() not in GEOMETRY_TYPES:
        raise ValidationError(
            _("The boundary must be one GeoJSON geometry, a Polygon or MultiPolygon."),
            code="invalid_geometry",
        )


class GeoJSONAreaField(forms.JSONField):
    """A boundary as GeoJSON (WGS84 or RD New), repaired and normalised to WGS84.

    A self-intersecting ring is repaired; a geometry without area, or text that is not
    GeoJSON, is refused with the reason. The footprint of the last cleaned value (box,
    simplified copy, label point) stays on the field as `footprint`: normalising is not
    idempotent (rings may start elsewhere), so the form stores this one rather than
    measuring the normalised geometry again. Each form has its own copy of its fields.
    """

    widget: type[forms.Textarea] = GeoJSONMapWidget
    footprint: Footprint | None = None

    def __init__(self, **kwargs: Any) -> None:
        # Always: a model form passes the model field's decoder (None) along.
        kwargs["decoder"] = GeoJSONDecoder
        super().__init__(**kwargs)

    def _readable(self, value: Any) -> bool:
        """Whether json can read `value` without a RecursionError or a NaN."""
        return not isinstance(value, str) or _json_depth(value) <= MAX_JSON_DEPTH

    def to_python(self, value: Any) -> Any:
        # Django's JSONField turns only a JSONDecodeError into "invalid"; too deep a text
        # (RecursionError) and NaN (the decoder's ValueError) are refused the same way.
        if not self._readable(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def bound_data(self, data: Any, initial: Any) -> Any:
        # The form shown again with its errors: a text json cannot read is shown as typed.
        if not self._readable(data):
            return InvalidJSONInput(data)
        try:
            return super().bound_data(data, initial)
        except ValueError:
            return InvalidJSONInput(data)

    def clean(self, value: Any) -> dict[str, Any] | None:
        self.footprint = None
        geojson = super().clean(value)
        if geojson is None:
            return None
        if not isinstance(geojson, dict):
            geojson = {}  # a list, number or string: refused as having no 'type'
        _check_geometry_type(geojson)
        try:
            self.footprint = footprint(geojson, crs=detect_crs(geojson))
        except GeometryError as exc:
            raise ValidationError(str(exc), code="invalid_geometry") from exc
        return self.footprint.geometry


class DrawnAreaField(GeoJSONAreaField):
    """An area a team member drew or pasted on an edit form: checked strictly, never repaired.

    The boundaries of wijken come from files and are repaired quietly; an area a person drew
    is refused with the reason (it crosses itself, has too many points…), because a repaired
    drawing is not what its author meant. The cleaned value is the GeoJSON geometry rounded
    to six decimals; `shape` keeps the shapely geometry for the form's own checks.
    """

    widget = AreaDrawWidget
    default_error_messages = {
        "invalid": _("The area is not valid GeoJSON. Draw it on the map, or paste a Polygon."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.shape: Any = None

    def prepare_value(self, value: Any) -> Any:
        # No area is an empty field, not the JSON text "null".
        return "" if value is None else super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > MAX_AREA_TEXT:
            raise ValidationError(
                _("The area is too detailed to store. Draw it with fewer points."),
                code="too_large",
            )
        return super().to_python(value)

    def clean(self, value: Any) -> dict[str, Any] | None:
        self.footprint = None
        self.shape = None
        geojson = forms.JSONField.clean(self, value)
        if geojson is None or geojson == "":
            return None
        try:
            self.shape = user_area(geojson)
        except GeometryError as exc:
            raise ValidationError(str(exc), code="invalid_geometry") from exc
        return to_geojson(self.shape, decimals=0)


class AreaAdminForm(forms.ModelForm):
    """Shared by the wijk and buurt admin forms: a drawn boundary updates the derived fields.

    Bounding box, simplified copy and label point follow the boundary, so they are set here
    rather than edited. The label point is moved only when the admin leaves it alone and the
    new boundary no longer covers it.
    """

    geometry = GeoJSONAreaField(
        label=_("boundary"),
        required=False,
        help_text=_("GeoJSON Polygon or MultiPolygon; stored in WGS84."),
    )

    def save(self, commit: bool = True) -> Any:
        area = super().save(commit=False)
        if "geometry" in self.changed_data:
            self.apply_geometry(area)
        if commit:
            area.save()
            self.save_m2m()  # set by save(commit=False)
        return area

    def apply_geometry(self, area: Wijk | Buurt) -> None:
        field = self.fields["geometry"]
        assert isinstance(field, GeoJSONAreaField)
        shape = field.footprint
        if shape is None:
            area.geometry = area.geometry_simplified = None
            area.geometry_source = ""
            area.boundary_year = None
            area.min_lon = area.min_lat = area.max_lon = area.max_lat = None
            return
        label_edited = bool({"label_lon", "label_lat"} & set(self.changed_data))
        if (
            not label_edited
            and area.label_lon is not None
            and area.label_lat is not None
            and not covers(shape.geometry, area.label_lon, area.label_lat)
        ):
            area.label_lon = area.label_lat = None
        area.apply_footprint(shape, source=GeometrySource.DRAWN, year=None)


class WijkAdminForm(AreaAdminForm):
    class Meta:
        model = Wijk
        fields = [
            "code",
            "name",
            "slug",
            "kind",
            "gebiedsteam",
            "stadsdeel",
            "inhabitants",
            "dwellings",
            "area_land_ha",
            "population_density",
            "figures_year",
            "geometry",
            "label_lon",
            "label_lat",
        ]


class BuurtAdminForm(AreaAdminForm):
    class Meta:
        model = Buurt
        fields = ["code", "name", "wijk", "geometry", "label_lon", "label_lat"]
