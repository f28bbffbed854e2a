"""Forms of the areas app: boundaries as GeoJSON, validated and normalised with shapely."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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

    def clean(self, value: Any) -> dict[str, Any] | None:
        self.footprint = None
        geojson = super().clean(value)
        if geojson is None:
            return None
        try:
            if not isinstance(geojson, dict):
                geojson = {}  # a list, number or string: refused as having no 'type'
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
