"""Located items on the city map: the filters, the queries and the clustering.

Actions, proposals, meetings, werkplekken and residents' initiatives each have an optional
point. The map asks for
the ones inside its bounding box, with the same filters as the list beside it. With 100,000
located actions a map cannot draw every point, so above `CAP` items the answer is a grid of
clusters, counted by the database (GROUP BY on the grid cell): the rows never travel to
Python. The five kinds are read in one UNION ALL query, so the number of queries does not
depend on the data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Max, Min, Q, Sum, Value
from django.db.models.functions import Cast, Floor
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, Plan, Wijkagenda
from areas.models import Gebiedsteam, Werkplek, Wijk
from meetings.models import Meeting
from participation.models import Initiative, Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

# More features than this and a map gets slow and unreadable: cluster instead.
CAP = 300
# The largest bounding box answered, in degrees either way. The whole municipality spans
# about 0.3°; a larger box is a map zoomed out past the portal's territory.
MAX_BBOX_DEGREES = 1.0
MAX_ZOOM = 20
# A cluster cell is a quarter of a 256-pixel map tile: about 64 pixels on screen.
CELLS_PER_TILE = 4
# Without a zoom, a bounding box is cut into about this many cells across.
CELLS_ACROSS = 16
# At most this many grid cells are grouped by the database; Python merges them down to CAP.
MAX_GRID_CELLS = 4 * CAP
# The latitude of the Netherlands: makes cells look square on a map without a bbox.
DEFAULT_LATITUDE = 51.56

ACTIE, VOORSTEL, BIJEENKOMST, WERKPLEK = "actie", "voorstel", "bijeenkomst", "werkplek"
INITIATIEF = "initiatief"
KINDS = (ACTIE, VOORSTEL, BIJEENKOMST, WERKPLEK, INITIATIEF)
KIND_LABELS = {
    ACTIE: _("Action"),
    VOORSTEL: _("Proposal"),
    BIJEENKOMST: _("Meeting"),
    WERKPLEK: _("werkplek"),
    INITIATIEF: _("Initiative"),
}
MEETING_STATUS = "upcoming"

BBOX_FORMAT = _("The bbox must be four numbers: minLon,minLat,maxLon,maxLat.")
BBOX_RANGE = _(
    "The bbox is out of range: the longitude lies between -180 and 180, "
    "the latitude between -90 and 90."
)
BBOX_ORDER = _("In the bbox, a minimum is larger than its maximum.")
BBOX_SIZE = _("The bbox is too large: at most %(degrees)s° by %(degrees)s°. Zoom in.")
ZOOM_INVALID = _("The zoom must be a whole number from 0 to 20.")
SOORT_UNKNOWN = _(
    "Unknown soort “%(value)s”: choose actie, voorstel, bijeenkomst, werkplek or initiatief."
)
STATUS_UNKNOWN = _("Unknown status “%(value)s”.")
GEBIED_UNKNOWN = _("Unknown gebied “%(value)s”.")
WIJK_UNKNOWN = _("Unknown wijk “%(value)s”.")


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @property
    def width(self) -> float:
        return self.max_lon - self.min_lon

    @property
    def height(self) -> float:
        return self.max_lat - self.min_lat


@dataclass(frozen=True)
class LocatedFilters:
    """What the map and the list ask for; every field already checked."""

    kinds: tuple[str, ...] = KINDS
    gebiedsteam: Gebiedsteam | None = None
    wijk: Wijk | None = None
    status: str = ""
    bbox: BBox | None = None
    zoom: int | None = None


def parse_bbox(text: str) -> BBox:
    """`minLon,minLat,maxLon,maxLat` as a BBox, or ValidationError with the reason."""
    parts = text.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise forms.ValidationError(BBOX_FORMAT, code="format")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not all(-180 <= lon <= 180 for lon in (min_lon, max_lon)) or not all(
        -90 <= lat <= 90 for lat in (min_lat, max_lat)
    ):
        raise forms.ValidationError(BBOX_RANGE, code="range")
    if min_lon > max_lon or min_lat > max_lat:
        raise forms.ValidationError(BBOX_ORDER, code="order")
    bbox = BBox(min_lon, min_lat, max_lon, max_lat)
    if bbox.width > MAX_BBOX_DEGREES or bbox.height > MAX_BBOX_DEGREES:
        raise forms.ValidationError(
            BBOX_SIZE, code="size", params={"degrees": f"{MAX_BBOX_DEGREES:g}"}
        )
    return bbox


class LocatedFilterForm(forms.Form):
    """The filters of the city map, shown beside it; they also go with every map request."""

    soort = forms.MultipleChoiceField(
        label=_("Show"),
        choices=[(kind, KIND_LABELS[kind]) for kind in KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": SOORT_UNKNOWN},
    )
    gebied = forms.ModelChoiceField(
        label=_("Gebied"),
        queryset=Gebiedsteam.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All gebieden"),
        error_messages={"invalid_choice": GEBIED_UNKNOWN},
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All wijken"),
        error_messages={"invalid_choice": WIJK_UNKNOWN},
    )
    status = forms.ChoiceField(
        label=_("Status of actions"),
        choices=[("", _("All statuses")), *Action.Status.choices],
        required=False,
        error_messages={"invalid_choice": STATUS_UNKNOWN},
    )

    def __init__(self, data: QueryDict, *, user: AnyUser) -> None:
        # No soort chosen means all four: the boxes then show as ticked, as the results are.
        if not data.getlist("soort"):
            data = data.copy()
            data.setlist("soort", list(KINDS))
        super().__init__(data)
        gebied = self.fields["gebied"]
        wijk = self.fields["wijk"]
        assert isinstance(gebied, forms.ModelChoiceField)
        assert isinstance(wijk, forms.ModelChoiceField)
        gebied.queryset = (
            Gebiedsteam.objects.visible_to(user).only("name", "slug").order_by("position", "name")
        )
        wijk.queryset = Wijk.objects.visible_to(user).only("name", "slug").order_by("name")


class LocatedQueryForm(LocatedFilterForm):
    """The filters plus the map's view: bbox and zoom (never shown as fields)."""

    bbox = forms.CharField(required=False, strip=True)
    zoom = forms.CharField(required=False, strip=True)

    # The first error is the one reported: the map's own parameters come first.
    field_order = ["bbox", "zoom", "soort", "gebied", "wijk", "status"]

    def clean_bbox(self) -> BBox | None:
        text = self.cleaned_data["bbox"]
        return parse_bbox(text) if text else None

    def clean_zoom(self) -> int | None:
        text = self.cleaned_data["zoom"]
        if not text:
            return None
        # ASCII digits only, and at most two: str.isdigit() also takes "²" (which int() refuses)
        # and "١" (which it reads), and int() refuses more than 4300 digits.
        if re.fullmatch(r"[0-9]{1,2}", text) is None or int(text) > MAX_ZOOM:
            raise forms.ValidationError(ZOOM_INVALID, code="zoom")
        return int(text)

    def first_error(self) -> str:
        """The first reason the query was refused, in field order."""
        for name in self.fields:
            if name in self.errors:
                return str(self.errors[name][0])
        return str(self.non_field_errors()[0])

    def filters(self) -> LocatedFilters:
        data = self.cleaned_data
        return LocatedFilters(
            kinds=tuple(kind for kind in KINDS if kind in data["soort"]),
            gebiedsteam=data["gebied"],
            wijk=data["wijk"],
            status=data["status"],
            bbox=data["bbox"],
            zoom=data["zoom"],
        )


# ---- The queries -----------------------------------------------------------------------


def _located(queryset: models.QuerySet[Any], bbox: BBox | None) -> models.QuerySet[Any]:
    """Items with a point (both columns are set or neither), inside the box when given.

    The edges belong to the box. Uses the (longitude, latitude) index where there is one.
    """
    queryset = queryset.filter(longitude__isnull=False, latitude__isnull=False)
    if bbox is None:
        return queryset
    return queryset.filter(
        longitude__gte=bbox.min_lon,
        longitude__lte=bbox.max_lon,
        latitude__gte=bbox.min_lat,
        latitude__lte=bbox.max_lat,
    )


def _actions(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """Every visible located action, of any status unless the filter names one.

    Visible as in ActionQuerySet.visible_to, written as "plan among the visible plans": one
    semi-join against a few hundred plans instead of two joins per action, which halves
    the time of the grid over 100,000 actions on PostgreSQL.
    """
    actions = Action.objects.filter(plan_id__in=Plan.objects.visible_to(user).values("pk"))
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.gebiedsteam is not None:
        actions = actions.for_gebiedsteams([filters.gebiedsteam.pk])
    if filters.wijk is not None:
        # Through a subquery: an agenda may cover several wijken, an action shows once.
        actions = actions.filter(plan__wijkagenda__in=Wijkagenda.objects.for_wijk(filters.wijk))
    return actions


def _proposals(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """Visible proposals past their draft (a draft is not for the map, even for its team)."""
    proposals = Proposal.objects.visible_to(user).exclude(status=Proposal.Status.DRAFT)
    if filters.gebiedsteam is not None:
        proposals = proposals.for_gebiedsteams([filters.gebiedsteam.pk])
    if filters.wijk is not None:
        proposals = proposals.for_wijk_ids([filters.wijk.pk])
    return proposals


def _meetings(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """Public meetings still to come, as on the home page."""
    meetings = Meeting.objects.visible_to(user).public().upcoming()
    if filters.gebiedsteam is not None:
        meetings = meetings.for_gebiedsteam(filters.gebiedsteam)
    if filters.wijk is not None:
        meetings = meetings.filter(pk__in=Meeting.objects.for_wijk(filters.wijk).values("pk"))
    return meetings


def _werkplekken(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """Every werkplek: they are public addresses (Werkplek has no visible_to of its own)."""
    werkplekken = Werkplek.objects.all()
    if filters.gebiedsteam is not None:
        werkplekken = werkplekken.filter(gebiedsteam=filters.gebiedsteam)
    if filters.wijk is not None:
        werkplekken = werkplekken.filter(wijk=filters.wijk)
    return werkplekken


def _initiatives(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """Published initiatives (an unpublished one is not for the map, even for its team)."""
    initiatives = Initiative.objects.visible_to(user).published()
    if filters.gebiedsteam is not None:
        initiatives = initiatives.for_gebiedsteams([filters.gebiedsteam.pk])
    if filters.wijk is not None:
        initiatives = initiatives.for_wijk(filters.wijk)
    return initiatives


_SOURCES = {
    ACTIE: _actions,
    VOORSTEL: _proposals,
    BIJEENKOMST: _meetings,
    WERKPLEK: _werkplekken,
    INITIATIEF: _initiatives,
}


def located_querysets(filters: LocatedFilters, user: AnyUser) -> dict[str, models.QuerySet[Any]]:
    """Per kind asked for: the visible, located items that match the filters."""
    return {
        kind: _located(_SOURCES[kind](filters, user), filters.bbox).order_by()
        for kind in filters.kinds
    }


def _null(field: models.Field[Any, Any]) -> Cast:
    """A typed NULL: PostgreSQL cannot match an untyped one with a column in a UNION."""
    return Cast(Value(None), output_field=field)


def _columns(kind: str) -> dict[str, Any]:
    """The same columns, in the same order, for each kind: the parts of one UNION ALL.

    All are annotations (none a plain field), so every part selects them in this order.
    An item that covers a drawn area (an action, a proposal, an initiative) is on the map at
    its label point, the point its form set; `covers_area` says it stands for an area (the
    area itself is on the item's page, and too large to send for hundreds of items).
    """
    empty = Value("", output_field=models.CharField())
    no_area = Value(False, output_field=models.BooleanField())
    has_area = ExpressionWrapper(Q(area__isnull=False), output_field=models.BooleanField())
    common = {
        "item_kind": Value(kind, output_field=models.CharField()),
        "item_pk": F("pk"),
    }
    per_kind: dict[str, dict[str, Any]] = {
        ACTIE: {
            "item_title": F("title"),
            "item_status": F("status"),
            "item_slug": empty,
            "team_slug": empty,
            "agenda_pk": F("plan__wijkagenda_id"),
            "wijk_name": empty,
            "starts": _null(models.DateTimeField()),
            "covers_area": has_area,
        },
        VOORSTEL: {
            "item_title": F("title"),
            "item_status": F("status"),
            "item_slug": F("slug"),
            "team_slug": empty,
            "agenda_pk": _null(models.IntegerField()),
            "wijk_name": empty,
            "starts": _null(models.DateTimeField()),
            "covers_area": has_area,
        },
        BIJEENKOMST: {
            "item_title": F("title"),
            "item_status": Value(MEETING_STATUS, output_field=models.CharField()),
            "item_slug": empty,
            "team_slug": F("gebiedsteam__slug"),
            "agenda_pk": _null(models.IntegerField()),
            "wijk_name": empty,
            "starts": F("starts_at"),
            "covers_area": no_area,
        },
        WERKPLEK: {
            "item_title": F("name"),
            "item_status": empty,
            "item_slug": empty,
            "team_slug": F("gebiedsteam__slug"),
            "agenda_pk": _null(models.IntegerField()),
            "wijk_name": models.functions.Coalesce(F("wijk__name"), empty),
            "starts": _null(models.DateTimeField()),
            "covers_area": no_area,
        },
        INITIATIEF: {
            "item_title": F("title"),
            "item_status": F("status"),
            "item_slug": empty,
            "team_slug": empty,
            "agenda_pk": _null(models.IntegerField()),
            "wijk_name": F("wijk__name"),
            "starts": _null(models.DateTimeField()),
            "covers_area": has_area,
        },
    }
    return {**common, **per_kind[kind], "lon": F("longitude"), "lat": F("latitude")}


def _union(parts: list[models.QuerySet[Any]]) -> models.QuerySet[Any]:
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def located_rows(querysets: Mapping[str, models.QuerySet[Any]]) -> models.QuerySet[Any]:
    """One UNION ALL query over the kinds asked for, as dicts; unordered."""
    parts = [queryset.values(**_columns(kind)) for kind, queryset in querysets.items()]
    if not parts:
        return Action.objects.none().values(**_columns(ACTIE))
    return _union(parts)


def located_list(filters: LocatedFilters, user: AnyUser) -> models.QuerySet[Any]:
    """The rows of the list beside the map, by title: paginate it, then `describe` a page."""
    rows = located_rows(located_querysets(filters, user))
    return rows.order_by("item_title", "item_kind", "item_pk")


@dataclass(frozen=True)
class LocatedItem:
    """One item on the map and in the list."""

    kind: str
    pk: int
    title: str
    status: str
    status_label: str
    url: str
    wijk: str
    lon: float
    lat: float
    starts: datetime | None = None
    covers_area: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def feature_id(self) -> str:
        return f"{self.kind}-{self.pk}"

    def feature(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.feature_id,
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": {
                "kind": self.kind,
                "kind_label": self.kind_label,
                "title": self.title,
                "url": self.url,
                "status": self.status,
                "status_label": self.status_label,
                "wijk": self.wijk,
                "area": self.covers_area,
            },
        }


def _status_label(kind: str, status: str) -> str:
    if kind == ACTIE:
        return str(Action.Status(status).label)
    if kind == VOORSTEL:
        return str(Proposal.Status(status).label)
    if kind == BIJEENKOMST:
        return str(_("upcoming"))
    if kind == INITIATIEF:
        return str(Initiative.Status(status).label)
    return ""


def _url(row: Mapping[str, Any]) -> str:
    kind = row["item_kind"]
    if kind == ACTIE:
        return reverse("agendas:action-detail", kwargs={"pk": row["item_pk"]})
    if kind == VOORSTEL:
        return reverse("participation:proposal-detail", kwargs={"slug": row["item_slug"]})
    if kind == BIJEENKOMST:
        return reverse("meetings:meeting-detail", kwargs={"pk": row["item_pk"]})
    if kind == INITIATIEF:
        return reverse("participation:initiative-detail", kwargs={"pk": row["item_pk"]})
    # Werkplekken have no page of their own: their gebiedsteam's page lists them.
    team = reverse("portal:gebiedsteam-detail", kwargs={"slug": row["team_slug"]})
    return f"{team}#werkplekken-heading"


def _wijk_names(rows: list[Mapping[str, Any]]) -> dict[tuple[str, int], str]:
    """The wijken of each action's agenda, proposal and meeting, in one query.

    Keyed by ("agenda", id), (VOORSTEL, id) and (BIJEENKOMST, id); names joined by commas,
    as an agenda or a proposal can cover several wijken.
    """
    ids: dict[str, set[int]] = {"agenda": set(), VOORSTEL: set(), BIJEENKOMST: set()}
    for row in rows:
        if row["item_kind"] == ACTIE:
            ids["agenda"].add(row["agenda_pk"])
        elif row["item_kind"] in ids:
            ids[row["item_kind"]].add(row["item_pk"])
    links = [
        ("agenda", Wijkagenda.wijken.through, "wijkagenda_id"),
        (VOORSTEL, Proposal.wijken.through, "proposal_id"),
        (BIJEENKOMST, Meeting.wijken.through, "meeting_id"),
    ]
    parts = [
        through._default_manager.filter(**{f"{column}__in": ids[key]})
        .order_by()
        .values(
            owner_kind=Value(key, output_field=models.CharField()),
            owner=F(column),
            name=F("wijk__name"),
        )
        for key, through, column in links
        if ids[key]
    ]
    if not parts:
        return {}
    names: dict[tuple[str, int], list[str]] = {}
    for link in _union(parts):
        names.setdefault((link["owner_kind"], link["owner"]), []).append(link["name"])
    return {key: ", ".join(sorted(values)) for key, values in names.items()}


def describe(rows: Iterable[Mapping[str, Any]]) -> list[LocatedItem]:
    """The rows of `located_rows` as items, with their wijk names (one query), in order."""
    rows = list(rows)
    names = _wijk_names(rows)
    items = []
    for row in rows:
        kind = row["item_kind"]
        if kind in (WERKPLEK, INITIATIEF):
            wijk = row["wijk_name"]
        else:
            key = ("agenda", row["agenda_pk"]) if kind == ACTIE else (kind, row["item_pk"])
            wijk = names.get(key, "")
        items.append(
            LocatedItem(
                kind=kind,
                pk=row["item_pk"],
                title=row["item_title"],
                status=row["item_status"],
                status_label=_status_label(kind, row["item_status"]),
                url=_url(row),
                wijk=wijk,
                lon=row["lon"],
                lat=row["lat"],
                starts=row["starts"],
                covers_area=row["covers_area"],
            )
        )
    return items


# ---- Clusters --------------------------------------------------------------------------


@dataclass
class Cell:
    """The items of one grid cell: counts, sums for the mean point, and their box."""

    count: int = 0
    sum_lon: float = 0.0
    sum_lat: float = 0.0
    min_lon: float = math.inf
    min_lat: float = math.inf
    max_lon: float = -math.inf
    max_lat: float = -math.inf
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: Cell) -> None:
        self.count += other.count
        self.sum_lon += other.sum_lon
        self.sum_lat += other.sum_lat
        self.min_lon = min(self.min_lon, other.min_lon)
        self.min_lat = min(self.min_lat, other.min_lat)
        self.max_lon = max(self.max_lon, other.max_lon)
        self.max_lat = max(self.max_lat, other.max_lat)
        self.kinds.update(other.kinds)

    def feature(self, feature_id: str) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": feature_id,
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(self.sum_lon / self.count, 6),
                    round(self.sum_lat / self.count, 6),
                ],
            },
            "properties": {
                "cluster": True,
                "count": self.count,
                "kinds": {kind: self.kinds[kind] for kind in KINDS if self.kinds[kind]},
                "bbox": [
                    round(self.min_lon, 6),
                    round(self.min_lat, 6),
                    round(self.max_lon, 6),
                    round(self.max_lat, 6),
                ],
            },
        }


def cell_size(filters: LocatedFilters) -> tuple[float, float]:
    """The grid cell in degrees (longitude, latitude) for the zoom or the box.

    A quarter of a map tile at the zoom, or a sixteenth of the box without one; widened
    until the box holds at most MAX_GRID_CELLS cells, so the database returns a bounded
    number of groups. Cells are square on a web map: the latitude side shrinks with
    cos(latitude), as the map's scale does.
    """
    bbox = filters.bbox
    if filters.zoom is not None:
        width = 360 / 2**filters.zoom / CELLS_PER_TILE
    elif bbox is not None:
        width = max(bbox.width, bbox.height, 1e-6) / CELLS_ACROSS
    else:
        width = MAX_BBOX_DEGREES / CELLS_ACROSS
    latitude = (bbox.min_lat + bbox.max_lat) / 2 if bbox else DEFAULT_LATITUDE
    squash = max(math.cos(math.radians(latitude)), 0.01)
    if bbox is not None:
        while (bbox.width / width + 2) * (bbox.height / (width * squash) + 2) > MAX_GRID_CELLS:
            width *= 2
    return width, width * squash


def _grid_counts(
    querysets: Mapping[str, models.QuerySet[Any]], width: float, height: float
) -> models.QuerySet[Any]:
    """Per kind and grid cell: count, coordinate sums and box, grouped by the database."""
    parts = [
        queryset.annotate(
            cell_x=Floor(F("longitude") / Value(width)),
            cell_y=Floor(F("latitude") / Value(height)),
        )
        .values("cell_x", "cell_y")
        .annotate(
            cell_kind=Value(kind, output_field=models.CharField()),
            n=Count("pk"),
            sum_lon=Sum("longitude"),
            sum_lat=Sum("latitude"),
            min_lon=Min("longitude"),
            min_lat=Min("latitude"),
            max_lon=Max("longitude"),
            max_lat=Max("latitude"),
        )
        for kind, queryset in querysets.items()
    ]
    return _union(parts)


def clusters(querysets: Mapping[str, models.QuerySet[Any]], filters: LocatedFilters) -> list[Cell]:
    """At most CAP cells: the database's grid, merged 2 × 2 in Python until few enough."""
    width, height = cell_size(filters)
    cells: dict[tuple[int, int], Cell] = {}
    for row in _grid_counts(querysets, width, height):
        key = (int(row["cell_x"]), int(row["cell_y"]))
        cell = Cell(
            count=row["n"],
            sum_lon=row["sum_lon"],
            sum_lat=row["sum_lat"],
            min_lon=row["min_lon"],
            min_lat=row["min_lat"],
            max_lon=row["max_lon"],
            max_lat=row["max_lat"],
            kinds=Counter({row["cell_kind"]: row["n"]}),
        )
        cells.setdefault(key, Cell()).add(cell)
    while len(cells) > CAP:
        merged: dict[tuple[int, int], Cell] = {}
        for (x, y), cell in cells.items():
            merged.setdefault((x // 2, y // 2), Cell()).add(cell)
        cells = merged
    return [cells[key] for key in sorted(cells, key=lambda key: (key[1], key[0]))]


def located_collection(filters: LocatedFilters, user: AnyUser) -> dict[str, Any]:
    """The GeoJSON answer: the items themselves, or at most CAP clusters above CAP items.

    First up to CAP + 1 rows, unordered (the database may stop early); more than CAP means
    clusters, grouped by the database. Features are sorted, so the same data gives the same
    bytes and the ETag holds.
    """
    querysets = located_querysets(filters, user)
    rows = list(located_rows(querysets)[: CAP + 1]) if querysets else []
    if len(rows) <= CAP:
        order = {kind: index for index, kind in enumerate(KINDS)}
        items = sorted(describe(rows), key=lambda item: (order[item.kind], item.pk))
        features = [item.feature() for item in items]
        total, clustered = len(features), False
    else:
        cells = clusters(querysets, filters)
        features = [cell.feature(f"cluster-{index}") for index, cell in enumerate(cells)]
        total, clustered = sum(cell.count for cell in cells), True
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": total,
        "clustered": clustered,
        "cap": CAP,
    }
