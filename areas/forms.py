"""Forms of the areas app: boundaries as GeoJSON, validated and normalised with shapely."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.geometry import Footprint, GeometryError, covers, detect_crs, footprint
from areas.models import Buurt, GeometrySource, Wijk
from areas.widgets import GeoJSONMapWidget


class GeoJSONAreaField(forms.JSONField):
    """A boundary as GeoJSON (WGS84 or RD New), repaired and normalised to WGS84.

    A self-intersecting ring is repaired; a geometry without area, or text that is not
    GeoJSON, is refused with the reason. The footprint of the last cleaned value (box,
    simplified copy, label point) stays on the field as `footprint`: normalising is not
    idempotent (rings may start elsewhere), so the form stores this one rather than
    measuring the normalised geometry again. Each form has its own copy of its fields.
    """

    widget = GeoJSONMapWidget
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
            self._save_m2m()
        return area

    def apply_geometry(self, area: Wijk | Buurt) -> None:
        shape = self.fields["geometry"].footprint
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
