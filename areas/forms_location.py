"""Items placed on the map: the edit form of something with a location, and what the edit
pages show about that location.

A `LocatedForm` has optional longitude and latitude, and may have a drawn `area`; both must
lie in the wijken the form allows (the wijken of an agenda, the gebied of a team, the wijken
a proposal is for). The form keeps the wijk it found for the point in `located_wijk` and the
wijken the area lies in in `area_wijken`; the helpers below turn those, or the saved
location of the object, into what the page says ("This area lies in …"), and give the map
of the location picker the boundaries to draw.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from areas.geometry import (
    GeometryError,
    area_overshoot,
    areas_within,
    check_point,
    covers,
    names_in_words,
)
from areas.locate import locate_wijk
from areas.models import Wijk, WijkQuerySet
from web.forms import EditForm


class Located(Protocol):
    """An object with a point (an action, a meeting, a proposal)."""

    longitude: float | None
    latitude: float | None


class WithArea(Protocol):
    """An object that may cover a drawn area (an action, a proposal)."""

    area: dict[str, Any] | None


class LocatedForm(EditForm):
    """A form with optional longitude and latitude that must lie in one of `allowed_wijken`.

    With an `area` field, the drawn area must lie in those wijken too (within a few metres);
    when it does and no point was given, the point becomes the area's label point, so that
    the item still shows as a marker on the maps of points.
    """

    located_wijk: Wijk | None = None
    area_wijken: list[Wijk] | None = None

    def allowed_wijken(self) -> QuerySet[Wijk]:
        raise NotImplementedError

    def outside_message(self) -> str:
        raise NotImplementedError

    @property
    def area_wijken_names(self) -> str:
        """The wijken the checked area lies in, as words ("Het Zand and Koningshoeven")."""
        return names_in_words([wijk.name for wijk in self.area_wijken or []])

    def area_outside_message(self) -> str:
        """How the allowed wijken are called in the message for an area outside them."""
        return str(_("The area goes outside the wijken of this agenda"))

    def check_area(self, cleaned: dict[str, Any]) -> None:
        """Check the drawn area against the allowed wijken; fill the point if it is empty."""
        field = self.fields.get("area")
        shape = getattr(field, "shape", None)
        # Without valid wijken (a proposal's choice refused) there is nothing to check against.
        if shape is None or "area" in self.errors or "wijken" in self.errors:
            return
        allowed = list(self.allowed_wijken().only("pk", "name", "slug", "geometry"))
        overshoot = area_overshoot(
            shape,
            [wijk.geometry for wijk in allowed],
            others=self.other_wijken(shape, exclude=[wijk.pk for wijk in allowed]),
        )
        if overshoot is not None:
            if overshoot.areas:
                message = _("%(start)s: part of it lies in %(names)s, %(where)s.") % {
                    "start": self.area_outside_message(),
                    "names": names_in_words(overshoot.areas),
                    "where": overshoot.where,
                }
            else:
                message = _("%(start)s: part of it lies outside every wijk, %(where)s.") % {
                    "start": self.area_outside_message(),
                    "where": overshoot.where,
                }
            self.add_error("area", message)
            return
        self.area_wijken = areas_within(shape, [(wijk, wijk.geometry) for wijk in allowed])
        point_empty = cleaned.get("longitude") is None and cleaned.get("latitude") is None
        if point_empty and not ({"longitude", "latitude"} & set(self.errors)):
            label = shape.representative_point()
            cleaned["longitude"] = round(label.x, 6)
            cleaned["latitude"] = round(label.y, 6)

    def other_wijken(self, shape: Any, *, exclude: list[int]) -> list[tuple[str, Any]]:
        """The other wijken near the area (by bounding box), to name where it sticks out."""
        min_lon, min_lat, max_lon, max_lat = shape.bounds
        return [
            (wijk.name, wijk.geometry)
            for wijk in Wijk.objects.with_geometry()
            .in_bbox(min_lon, min_lat, max_lon, max_lat)
            .exclude(pk__in=exclude)
            .only("pk", "name", "geometry")
            .order_by("name")
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "area" in self.fields:
            self.check_area(cleaned)
        lon, lat = cleaned.get("longitude"), cleaned.get("latitude")
        if "longitude" in self.errors or "latitude" in self.errors:
            return cleaned
        if (lon is None) != (lat is None):
            missing = "latitude" if lat is None else "longitude"
            self.add_error(missing, _("Give both longitude and latitude, or neither."))
            return cleaned
        if lon is None or lat is None:
            return cleaned
        try:
            lon, lat = check_point(lon, lat)
        except GeometryError:
            self.add_error("longitude", _("Longitude lies in −180…180 and latitude in −90…90."))
            return cleaned
        self.located_wijk = self.find_wijk(lon, lat)
        if self.located_wijk is None:
            self.add_error("longitude", self.outside_message())
        return cleaned

    def find_wijk(self, lon: float, lat: float) -> Wijk | None:
        """The allowed wijk that holds the point, or None when it lies outside all of them."""
        wijken = {wijk.slug: wijk for wijk in self.allowed_wijken().defer("geometry_simplified")}
        slug = locate_wijk(lon, lat)
        if slug in wijken:
            return wijken[slug]
        # On the shared edge of two wijken the index answers with one of them; the point
        # still lies in the other one too.
        return next(
            (wijk for wijk in wijken.values() if covers(wijk.geometry, lon, lat)),
            None,
        )


def location_wijk(form: LocatedForm, obj: Located) -> Wijk | None:
    """The wijk a (submitted or saved) location lies in, to say so on the page."""
    if form.located_wijk is not None:
        return form.located_wijk
    if form.is_bound or obj.longitude is None or obj.latitude is None:
        return None
    return form.find_wijk(obj.longitude, obj.latitude)


def area_wijken_names(form: LocatedForm, obj: WithArea, wijken: WijkQuerySet) -> str:
    """The wijken a (submitted or saved) area lies in, as words, to say so on the page."""
    if form.area_wijken is not None:
        return form.area_wijken_names
    if form.is_bound or not obj.area:
        return ""
    rows = wijken.with_geometry().only("pk", "name", "geometry").order_by("name")
    return names_in_words(
        [wijk.name for wijk in areas_within(shape(obj.area), [(w, w.geometry) for w in rows])]
    )


def area_saved_message(form: LocatedForm) -> str | None:
    """The notice after a save with an area: which wijken it lies in."""
    if not form.area_wijken:
        return None
    return _("This area lies in %(names)s.") % {"names": form.area_wijken_names}


def wijken_geojson(wijken: QuerySet[Wijk]) -> dict[str, Any]:
    """The (simplified) boundaries a location must lie in, for the map of the picker."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": wijk.geometry_simplified,
                "properties": {"name": wijk.name},
            }
            for wijk in wijken
            if wijk.geometry_simplified
        ],
    }
