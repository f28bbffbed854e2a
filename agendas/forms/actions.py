"""Forms for plans, actions, progress updates and meetings.

The edit forms carry the revision of the object they were opened on, as a hidden field; the
service hands it to `agendas.history.save_edit`, which refuses the save when someone else
saved in between. Locations are checked against the boundaries of the agenda's wijken (an
action) or of the gebied (a meeting); the form keeps the wijk it found in `located_wijk`.
Actions (and proposals) may also cover an area, drawn on a map: it must lie in the same
wijken, and the form keeps the wijken it lies in in `area_wijken`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Wijkagenda
from areas.forms import DrawnAreaField
from areas.geometry import (
    GeometryError,
    area_overshoot,
    areas_within,
    check_point,
    covers,
    names_in_words,
)
from areas.locate import locate_wijk
from areas.models import Wijk
from areas.widgets import AreaDrawWidget
from pacts.models import PartnerOrganisation
from web.forms import DateInput, EditForm, RevisionField, StyledModelForm

# A plan or period outside these years is a typing error, not a plan.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
LONGEST_PLAN_YEARS = 10


def as_percentage(field: forms.Field) -> None:
    """One message for any progress outside 0–100 (from `clean_progress`), not the generic
    minimum message of a positive integer field."""
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, MinValueValidator | MaxValueValidator)
    ]
    field.widget.attrs.update(min=0, max=100)


def _in_sensible_years(value: dt.date | dt.datetime | None) -> None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )


class PlanForm(EditForm):
    revision = RevisionField()

    class Meta:
        model = Plan
        fields = ["title", "description", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_period_start(self) -> dt.date:
        value = self.cleaned_data["period_start"]
        _in_sensible_years(value)
        return value

    def clean_period_end(self) -> dt.date:
        value = self.cleaned_data["period_end"]
        _in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The end of the period lies before its start."))
            elif end.year - start.year > LONGEST_PLAN_YEARS:
                self.add_error(
                    "period_end",
                    _("A plan covers at most %(years)s years.") % {"years": LONGEST_PLAN_YEARS},
                )
        return cleaned


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


class ActionForm(LocatedForm):
    revision = RevisionField()

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "agenda_item",
            "owner_organisation",
            "contact_name",
            "contact_email",
            "start_date",
            "due_date",
            "status",
            "progress",
            "budget",
            "longitude",
            "latitude",
            "area",
        ]
        field_classes = {"area": DrawnAreaField}
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "area": AreaDrawWidget(wijken_id="picker-wijken"),
        }
        help_texts = {
            "longitude": _("For example 5.0913. Pick the point on the map, or type it."),
            "latitude": _("For example 51.5606."),
            "area": _(
                "Optional, for an action that covers an area: draw it on the map. Without "
                "a location, the point is set in the middle of the area."
            ),
        }

    def __init__(self, *args: Any, wijkagenda: Wijkagenda, **kwargs: Any) -> None:
        self.wijkagenda = wijkagenda
        super().__init__(*args, **kwargs)
        # Only the items of this agenda: an id of another agenda's item is not a valid choice.
        self.fields["agenda_item"].queryset = AgendaItem.objects.for_wijkagenda(
            wijkagenda
        ).for_list()
        self.fields["owner_organisation"].queryset = PartnerOrganisation.objects.order_by("name")
        as_percentage(self.fields["progress"])
        self.fields["budget"].widget.attrs["min"] = 0
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def allowed_wijken(self) -> QuerySet[Wijk]:
        return self.wijkagenda.wijken.all()

    def outside_message(self) -> str:
        return str(_("This location lies outside the wijken of this agenda."))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress

    def clean_budget(self) -> Any:
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("A budget cannot be negative."), code="negative")
        return budget

    def clean_start_date(self) -> dt.date | None:
        value = self.cleaned_data["start_date"]
        _in_sensible_years(value)
        return value

    def clean_due_date(self) -> dt.date | None:
        value = self.cleaned_data["due_date"]
        _in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date lies before the start date."))
        return cleaned


class ActionStatusForm(EditForm):
    """The status and progress of an action, edited in place."""

    revision = RevisionField()

    class Meta:
        model = Action
        fields = ["status", "progress"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        as_percentage(self.fields["progress"])

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress


class ProgressUpdateForm(StyledModelForm):
    """A report on an action; it also moves the action to the new status and progress.

    `revision` is the action's revision: a report made on an action that someone changed in
    the meantime is refused like any other stale edit.
    """

    revision = RevisionField()

    class Meta:
        model = ProgressUpdate
        fields = ["text", "status", "progress", "is_result"]
        help_texts = {
            "is_result": _("Shown on the wijk page and the agenda as a result to celebrate."),
        }

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = action.revision
        self.fields["status"].initial = action.status
        self.fields["progress"].initial = action.progress
        as_percentage(self.fields["progress"])

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write what happened."), code="required")
        return text

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress
