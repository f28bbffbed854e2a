"""CBS key figures of the wijken: a choropleth map, its legend and the same figures as a table.

The classes are computed here, on the server, so that the map, the legend and the table say
the same thing, and the table (the text alternative) works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from areas.models import Wijk, WijkQuerySet
from areas.views import GEOJSON_CONTENT_TYPE, conditional_get, geojson_cache

CLASS_COUNT = 5
# A sequential palette (ColorBrewer "Blues", 5 classes): light is little, dark is much. The
# map draws dark boundaries between the wijken, so neighbouring classes stay apart.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
# Wijken without a figure: white with a dashed outline on the map, never a palette colour.
UNKNOWN_COLOUR = "#ffffff"


@dataclass(frozen=True)
class Figure:
    """A CBS key figure the page can show: the query value, the Wijk field and its name."""

    key: str
    field: str
    label: str | Promise


FIGURES = {
    figure.key: figure
    for figure in (
        Figure("inwoners", "inhabitants", gettext_lazy("Inhabitants")),
        Figure("dichtheid", "population_density", gettext_lazy("Inhabitants per km²")),
        Figure("woningen", "dwellings", gettext_lazy("Dwellings")),
    )
}
DEFAULT_FIGURE = "inwoners"


class KeyFigureForm(forms.Form):
    cijfer = forms.ChoiceField(
        label=gettext_lazy("Key figure"),
        choices=[(figure.key, figure.label) for figure in FIGURES.values()],
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "We do not know the key figure “%(value)s”. Choose inhabitants, inhabitants "
                "per km² or dwellings."
            )
        },
    )


@dataclass(frozen=True)
class FigureClass:
    """One class of the legend: the lowest and highest value in it, and its colour."""

    number: int
    lower: int
    upper: int
    colour: str

    @property
    def label(self) -> str:
        if self.lower == self.upper:
            return dutch_number(self.lower)
        return f"{dutch_number(self.lower)} – {dutch_number(self.upper)}"


@dataclass(frozen=True)
class WijkFigure:
    """A row of the table, and a feature of the map: one wijk, its value and its class."""

    wijk: Wijk
    value: int | None
    figure_class: FigureClass | None

    @property
    def value_label(self) -> str:
        return _("unknown") if self.value is None else dutch_number(self.value)

    @property
    def class_label(self) -> str:
        return _("unknown") if self.figure_class is None else self.figure_class.label

    @property
    def colour(self) -> str:
        return UNKNOWN_COLOUR if self.figure_class is None else self.figure_class.colour


def dutch_number(value: int) -> str:
    """12345 → "12.345": the figures are Dutch statistics, shown the way CBS writes them."""
    return f"{value:,}".replace(",", ".")


def quantile_classes(values: Iterable[int], count: int = CLASS_COUNT) -> list[FigureClass]:
    """Up to `count` classes with about as many wijken in each (quantiles).

    Equal values always share a class, so there can be fewer classes than `count`; the
    colours then stay spread over the whole palette, so that the darkest is always "most".
    """
    ordered = sorted(values)
    groups: list[list[int]] = []
    start = 0
    for number in range(1, count + 1):
        end = round(number * len(ordered) / count)
        while 0 < end < len(ordered) and ordered[end] == ordered[end - 1]:
            end += 1
        if end > start:
            groups.append(ordered[start:end])
            start = end
    # One class alone takes the middle colour; more spread from lightest to darkest.
    last = len(groups) - 1
    if last == 0:
        return [FigureClass(number=1, lower=groups[0][0], upper=groups[0][-1], colour=PALETTE[2])]
    return [
        FigureClass(
            number=index + 1,
            lower=group[0],
            upper=group[-1],
            colour=PALETTE[round(index * (len(PALETTE) - 1) / last)],
        )
        for index, group in enumerate(groups)
    ]


def class_of(value: int | None, classes: Sequence[FigureClass]) -> FigureClass | None:
    if value is None:
        return None
    return next(c for c in classes if c.lower <= value <= c.upper)


def _wijken_with_figures(
    request: HttpRequest, figure: Figure, *, geometry: bool = False
) -> WijkQuerySet:
    """Every visible wijk with its gebiedsteam, loading only what the page or map shows."""
    fields = ["code", "name", "slug", "figures_year", figure.field]
    fields += ["gebiedsteam__name", "gebiedsteam__slug", "gebiedsteam__colour"]
    if geometry:
        fields.append("geometry_simplified")
    return (
        Wijk.objects.visible_to(request.user)
        .select_related("gebiedsteam")
        .only(*fields)
        .order_by("name", "pk")
    )


def classify(wijken: Iterable[Wijk], figure: Figure) -> tuple[list[WijkFigure], list[FigureClass]]:
    """The wijken with their value and class, highest value first and unknowns last."""
    wijken = list(wijken)
    values = [getattr(wijk, figure.field) for wijk in wijken]
    classes = quantile_classes(value for value in values if value is not None)
    rows = [
        WijkFigure(wijk=wijk, value=value, figure_class=class_of(value, classes))
        for wijk, value in zip(wijken, values, strict=True)
    ]
    # Stable sort: equal values keep the alphabetical order of the query.
    rows.sort(key=lambda row: (row.value is None, -(row.value or 0)))
    return rows, classes


def _figure_from(request: HttpRequest) -> tuple[KeyFigureForm, Figure | None]:
    form = KeyFigureForm({"cijfer": request.GET.get("cijfer", DEFAULT_FIGURE)})
    if not form.is_valid():
        return form, None
    return form, FIGURES[form.cleaned_data["cijfer"]]


def figures_year(wijken: Iterable[Wijk]) -> int:
    """The year of the newest figures shown, for the source line; the CBS year when none."""
    years = [wijk.figures_year for wijk in wijken if wijk.figures_year]
    return max(years, default=settings.WIJKPORTAAL_CBS_YEAR)


@require_safe
def key_figures(request: HttpRequest) -> HttpResponse:
    form, figure = _figure_from(request)
    context: dict[str, Any] = {
        "form": form,
        "breadcrumbs": [(_("Key figures of the wijken"), None)],
    }
    if figure is None:
        return render(request, "areas/key_figures.html", context, status=HTTPStatus.BAD_REQUEST)
    rows, classes = classify(_wijken_with_figures(request, figure), figure)
    year = figures_year(row.wijk for row in rows)
    geojson_url = reverse("areas:key-figures-geojson")
    unknown_count = sum(1 for row in rows if row.figure_class is None)
    legend: list[dict[str, Any]] = [{"label": c.label, "colour": c.colour} for c in classes]
    if unknown_count:
        legend.append({"label": _("unknown"), "colour": UNKNOWN_COLOUR, "unknown": True})
    context |= {
        "figure": figure,
        "rows": rows,
        "classes": classes,
        "unknown_count": unknown_count,
        "unknown_colour": UNKNOWN_COLOUR,
        "year": year,
        "map_layers": [
            {
                "url": f"{geojson_url}?cijfer={figure.key}",
                "kind": "figures",
                "fit": True,
                "legend": legend,
            }
        ],
    }
    return render(request, "areas/key_figures.html", context)


@require_safe
@gzip_page
@conditional_get
@geojson_cache
def key_figures_geojson(request: HttpRequest) -> HttpResponse:
    form, figure = _figure_from(request)
    if figure is None:
        message = " ".join(str(error) for error in form.errors["cijfer"])
        return JsonResponse({"error": message}, status=HTTPStatus.BAD_REQUEST)
    rows, _classes = classify(_wijken_with_figures(request, figure, geometry=True), figure)
    features = [
        {
            "type": "Feature",
            "id": row.wijk.code,
            "geometry": row.wijk.geometry_simplified,
            "properties": {
                "name": row.wijk.name,
                "url": row.wijk.get_absolute_url(),
                "value": row.value,
                "value_label": row.value_label,
                "class": row.figure_class.number if row.figure_class else None,
                "colour": row.colour,
            },
        }
        for row in rows
        if row.wijk.geometry_simplified
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type=GEOJSON_CONTENT_TYPE,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
