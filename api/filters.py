"""The query parameters of the API's lists: which ones each list takes, and their checks.

Every list takes `page` and the filters its `Filters` names: `gebied` (a gebiedsteam's slug),
`wijk` (a CBS code or a slug), `status` (one of the list's statuses) and the period `since`
and `until` (dates, YYYY-MM-DD, both inclusive). A parameter the list does not take, or a
value it cannot read, is answered with 400 and the problem per parameter, so that a typing
error never looks like "nothing found". The filters narrow what `visible_to` already allows;
how each one applies to a list is said where the list is defined (api/datasets.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from areas.models import Gebiedsteam, Wijk

# Dates outside these years are refused: a period filter reaches no further, and the day
# after the last day must still be a date.
FIRST_YEAR, LAST_YEAR = 1900, 2999
PAGE = "page"

# The list comes as its own QuerySet class (WijkagendaQuerySet, …), with its named filters.
Filter = Callable[[Any, Any], QuerySet[Any]]
PeriodFilter = Callable[[Any, dt.date, dt.date], QuerySet[Any]]


@dataclass(frozen=True)
class Filters:
    """The filters one list takes, each as the function that applies it to the list."""

    gebied: Filter | None = None
    wijk: Filter | None = None
    status: Filter | None = None
    statuses: Iterable[tuple[str, Any]] = ()
    period: PeriodFilter | None = None
    period_help: str = ""
    # Not a filter: for a list of areas, the rows with each area's simplified boundary
    # loaded (`?geometry=true`).
    geometry: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None

    def names(self) -> list[str]:
        names = [name for name in ("gebied", "wijk", "status") if getattr(self, name)]
        if self.period:
            names += ["since", "until"]
        if self.geometry:
            names.append("geometry")
        return names

    def form(self, data: Any) -> FilterForm:
        return FilterForm(data, filters=self)

    def parameters(self) -> list[OpenApiParameter]:
        """The filters as OpenAPI query parameters (for /api/schema/)."""
        # In English, as the rest of the description (for programmers, like the code).
        described = {
            "gebied": (str, "The slug of a gebiedsteam: only what is in its gebied."),
            "wijk": (str, "A wijk's CBS code (WK…) or slug: only what concerns that wijk."),
            "status": (str, "Only what has this status."),
            "since": (OpenApiTypes.DATE, self.period_help),
            "until": (OpenApiTypes.DATE, self.period_help),
            "geometry": (
                OpenApiTypes.BOOL,
                "true: each area with its simplified boundary (GeoJSON, WGS84).",
            ),
        }
        parameters = []
        for name in self.names():
            kind, description = described[name]
            enum = [value for value, _label in self.statuses] if name == "status" else None
            parameters.append(
                OpenApiParameter(
                    name,
                    kind,
                    OpenApiParameter.QUERY,
                    required=False,
                    description=description,
                    enum=enum,
                )
            )
        return parameters

    def apply(self, queryset: QuerySet[Any], cleaned: dict[str, Any]) -> QuerySet[Any]:
        """The list narrowed by the filters that were given (`cleaned` from the form)."""
        if self.gebied and cleaned.get("gebied"):
            queryset = self.gebied(queryset, cleaned["gebied"])
        if self.wijk and cleaned.get("wijk"):
            queryset = self.wijk(queryset, cleaned["wijk"])
        if self.status and cleaned.get("status"):
            queryset = self.status(queryset, cleaned["status"])
        if self.period and (cleaned.get("since") or cleaned.get("until")):
            since = cleaned.get("since") or dt.date(FIRST_YEAR, 1, 1)
            until = cleaned.get("until") or dt.date(LAST_YEAR, 12, 31)
            queryset = self.period(queryset, since, until)
        return queryset


def _date_field() -> forms.DateField:
    return forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD, such as 2026-03-01.")},
    )


class FilterForm(forms.Form):
    """The query parameters of one list (see `Filters`); `page` is the paginator's."""

    def __init__(self, data: Any, *, filters: Filters) -> None:
        super().__init__(data)
        self.filters = filters
        names = filters.names()
        if "gebied" in names:
            self.fields["gebied"] = forms.ModelChoiceField(
                Gebiedsteam.objects.all(),
                to_field_name="slug",
                required=False,
                error_messages={"invalid_choice": _("There is no gebiedsteam with this slug.")},
            )
        if "wijk" in names:
            self.fields["wijk"] = forms.CharField(required=False, max_length=100)
        if "status" in names:
            self.fields["status"] = forms.ChoiceField(
                choices=[("", ""), *filters.statuses], required=False
            )
        if "since" in names:
            self.fields["since"] = _date_field()
            self.fields["until"] = _date_field()
        if "geometry" in names:
            self.fields["geometry"] = forms.TypedChoiceField(
                choices=[("true", "true"), ("false", "false")],
                coerce=lambda value: value == "true",
                empty_value=False,  # type: ignore[arg-type]
                required=False,
            )

    def unknown(self) -> dict[str, list[str]]:
        """A problem for each parameter the list does not take."""
        known = [*self.fields, PAGE]
        return {
            name: [
                gettext("This list has no filter %(name)s. It takes: %(known)s.")
                % {"name": name, "known": ", ".join(known)}
            ]
            for name in self.data
            if name not in known
        }

    def clean_wijk(self) -> Wijk | None:
        value = self.cleaned_data.get("wijk") or ""
        if not value:
            return None
        wijk = (
            Wijk.objects.for_list().filter(code=value.upper()).first()
            or Wijk.objects.for_list().filter(slug=value).first()
        )
        if wijk is None:
            raise forms.ValidationError(_("There is no wijk with this CBS code or slug."))
        return wijk

    def _clean_year(self, name: str) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get(name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def clean_since(self) -> dt.date | None:
        return self._clean_year("since")

    def clean_until(self) -> dt.date | None:
        return self._clean_year("until")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period lies before its start."))
        return cleaned


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_after(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the portal's time zone: `until` includes its day."""
    return day_start(day + dt.timedelta(days=1))
