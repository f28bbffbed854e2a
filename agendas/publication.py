"""What a reader sees of a wijkagenda: the live state for its team, the published one for others.

Publishing keeps a snapshot of the agenda and its items (`Wijkagenda.snapshot()`). Changes
made after that stay drafts until the agenda is published again: everyone who may not edit
the agenda reads the latest snapshot, the team reads the live agenda and is told when it
differs from what residents see. The objects built from a snapshot answer the same attribute
names as the models (`item.theme.name`, `item.get_kind_display`, …), so one template shows
either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from agendas.models import (
    AgendaItem,
    ChangeRecord,
    Wijkagenda,
    WijkagendaVersion,
)
from web.editing import FieldChange, field_changes


@dataclass(frozen=True)
class PublishedTheme:
    name: str
    slug: str
    position: int
    colour: str


@dataclass(frozen=True)
class PublishedOrganisation:
    name: str
    slug: str


@dataclass(frozen=True)
class PublishedItem:
    """An agenda item as it was published."""

    pk: int | None
    theme: PublishedTheme
    kind: str
    title: str
    description: str
    lead_organisation: PublishedOrganisation | None
    position: int

    def get_kind_display(self) -> str:
        try:
            return str(AgendaItem.Kind(self.kind).label)
        except ValueError:
            return self.kind


@dataclass(frozen=True)
class AgendaContent:
    """The title, summary, period and items a reader is shown of one agenda.

    `is_live` says whether this is the agenda as it is now (for its team, or an agenda that
    has no published version to show) or the latest published version; `has_unpublished_changes`
    is only ever true for the live state.
    """

    title: str
    summary: str
    period_start: dt.date
    period_end: dt.date
    review_date: dt.date | None
    items: Sequence[AgendaItem | PublishedItem]
    is_live: bool
    has_unpublished_changes: bool
    version: WijkagendaVersion | None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _theme(data: Any) -> PublishedTheme:
    # Snapshots from before themes were kept whole hold the theme's name only.
    if isinstance(data, dict):
        return PublishedTheme(
            name=data.get("name", ""),
            slug=data.get("slug", ""),
            position=data.get("position", 0),
            colour=data.get("colour", ""),
        )
    return PublishedTheme(name=str(data or ""), slug="", position=0, colour="")


def _item(data: dict[str, Any]) -> PublishedItem:
    lead = data.get("lead_organisation")
    return PublishedItem(
        pk=data.get("id"),
        theme=_theme(data.get("theme")),
        kind=data.get("kind", ""),
        title=data.get("title", ""),
        description=data.get("description", ""),
        lead_organisation=(
            PublishedOrganisation(name=lead.get("name", ""), slug=lead.get("slug", ""))
            if isinstance(lead, dict)
            else None
        ),
        position=data.get("position", 0),
    )


def content_for(
    agenda: Wijkagenda,
    items: Sequence[AgendaItem],
    latest: WijkagendaVersion | None,
    *,
    live: bool,
) -> AgendaContent:
    """What to show of `agenda`: live for its editors, else its latest published version.

    `items` are the agenda's items as loaded by `AgendaItem.objects.for_list()`; `latest`
    is its latest version, or None when it has none (then the live state is all there is,
    as for agendas made public before versions were kept). Runs no queries.
    """
    if live or latest is None:
        changed = (
            live
            and latest is not None
            and agenda.is_public
            and agenda.snapshot(items=items) != latest.snapshot
        )
        return AgendaContent(
            title=agenda.title,
            summary=agenda.summary,
            period_start=agenda.period_start,
            period_end=agenda.period_end,
            review_date=agenda.review_date,
            items=list(items),
            is_live=True,
            has_unpublished_changes=changed,
            version=latest,
        )
    snapshot = latest.snapshot
    start, end = (snapshot.get("period") or [None, None])[:2]
    return AgendaContent(
        title=snapshot.get("title", agenda.title),
        summary=snapshot.get("summary", ""),
        period_start=_date(start) or agenda.period_start,
        period_end=_date(end) or agenda.period_end,
        review_date=(
            _date(snapshot["review_date"]) if "review_date" in snapshot else agenda.review_date
        ),
        items=[_item(item) for item in snapshot.get("items", [])],
        is_live=False,
        has_unpublished_changes=False,
        version=latest,
    )


def content_key(content: AgendaContent) -> list[Any]:
    """All a rendering of `content` can show, as the key of its cached fragment
    (`web.fragments`): the published snapshot it was read from, or the live agenda's content,
    and the dates as shown (old snapshots fall back on the agenda's own). Any edit that
    changes what is shown changes the key. The content itself, not an id or a time: a
    database restored or built again under the same cache cannot meet an old entry. Runs no
    queries."""
    if not content.is_live and content.version is not None:
        shown: Any = content.version.snapshot
    else:
        shown = [
            content.title,
            content.summary,
            [
                item.snapshot() if isinstance(item, AgendaItem) else dataclasses.asdict(item)
                for item in content.items
            ],
        ]
    return [shown, content.period_start, content.period_end, content.review_date]


@dataclass(frozen=True)
class AgendaListing:
    """What a list of agendas shows of one agenda: live for its editors, else as published."""

    title: str
    period_start: dt.date
    period_end: dt.date
    item_count: int


def listing_for(agenda: Wijkagenda, *, live: bool) -> AgendaListing:
    """The list entry of an agenda loaded with `with_latest_version()` and `annotate_item_count()`.

    Runs no queries.
    """
    # Both attributes are set by the QuerySet methods above (declared on Wijkagenda).
    versions: list[WijkagendaVersion] = agenda.latest_versions
    item_count: int = agenda.item_count
    latest = versions[0] if versions else None
    if live or latest is None:
        return AgendaListing(agenda.title, agenda.period_start, agenda.period_end, item_count)
    snapshot = latest.snapshot
    start, end = (snapshot.get("period") or [None, None])[:2]
    return AgendaListing(
        title=snapshot.get("title", agenda.title),
        period_start=_date(start) or agenda.period_start,
        period_end=_date(end) or agenda.period_end,
        item_count=len(snapshot.get("items", [])),
    )


def changes_of(record: ChangeRecord, model: type[models.Model] | None) -> list[FieldChange]:
    """The fields of a recorded change with their labels, old and new values."""
    return field_changes(record.changes, model)


@dataclass(frozen=True)
class ChangeEntry:
    """A recorded change for the team's list of changes since the last version."""

    record: ChangeRecord
    fields: list[FieldChange]


def change_entries(records: Iterable[ChangeRecord]) -> list[ChangeEntry]:
    """Needs `content_type` and `author` loaded with the records."""
    return [
        ChangeEntry(record=record, fields=changes_of(record, record.content_type.model_class()))
        for record in records
    ]


@dataclass
class ThemeGroup:
    """The items of one theme on an agenda, in their order."""

    theme: Any  # a Theme, or the theme as it was published
    items: list[AgendaItem | PublishedItem] = field(default_factory=list)


def group_by_theme(items: Iterable[AgendaItem | PublishedItem]) -> list[ThemeGroup]:
    groups: dict[Any, ThemeGroup] = {}
    for item in items:
        group = groups.setdefault(item.theme, ThemeGroup(theme=item.theme))
        group.items.append(item)
    return list(groups.values())
