"""The changelog of a wijkagenda: what changed in its items between two published versions.

A version keeps a snapshot of the agenda (`Wijkagenda.snapshot()`): plain data with a list of
items, each with its id, theme, kind, title and description. The theme is a dict with its
name (older snapshots hold the name alone); it is compared and shown by name. Two snapshots
are compared item by item, matched on the id, so that a renamed item shows as changed, not as
removed and added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from agendas.models import (
    WijkagendaVersion,
)

ChangeKind = Literal["added", "removed", "changed"]

# The item fields a reader cares about, in the order the changes list them.
COMPARED_FIELDS = ("title", "description", "theme", "kind")


@dataclass(frozen=True)
class Change:
    """One item added, removed or changed between two versions.

    `title` is the item's title in the newer version (in the older one for a removed item);
    `old_title` is set only when the title itself changed. `fields` names what changed.
    """

    kind: ChangeKind
    title: str
    theme: str = ""
    old_title: str = ""
    fields: tuple[str, ...] = ()

    @property
    def is_added(self) -> bool:
        return self.kind == "added"

    @property
    def is_removed(self) -> bool:
        return self.kind == "removed"


def _key(item: dict[str, Any]) -> Any:
    # Snapshots carry the item id; fall back to the title for hand-made or older snapshots.
    item_id = item.get("id")
    return ("id", item_id) if item_id is not None else ("title", item.get("title", ""))


def _theme(item: dict[str, Any]) -> str:
    theme = item.get("theme", "")
    return theme.get("name", "") if isinstance(theme, dict) else theme


def _value(item: dict[str, Any], field: str) -> Any:
    return _theme(item) if field == "theme" else item.get(field, "")


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes to the items from snapshot `old` to snapshot `new`.

    Added and changed items come first, in the order of the new version; removed items follow,
    in the order of the old version. Items that did not change are left out.
    """
    old_items = {_key(item): item for item in old.get("items", [])}
    new_keys = set()
    changes: list[Change] = []
    for item in new.get("items", []):
        key = _key(item)
        new_keys.add(key)
        before = old_items.get(key)
        title = item.get("title", "")
        if before is None:
            changes.append(Change(kind="added", title=title, theme=_theme(item)))
            continue
        fields = tuple(
            field for field in COMPARED_FIELDS if _value(before, field) != _value(item, field)
        )
        if fields:
            changes.append(
                Change(
                    kind="changed",
                    title=title,
                    theme=_theme(item),
                    old_title=before.get("title", "") if "title" in fields else "",
                    fields=fields,
                )
            )
    for key, item in old_items.items():
        if key not in new_keys:
            changes.append(Change(kind="removed", title=item.get("title", ""), theme=_theme(item)))
    return changes


@dataclass
class VersionEntry:
    """A published version with the changes to its items since the version before it."""

    version: WijkagendaVersion
    changes: list[Change] | None  # None for the first version: nothing to compare with


def changelog_of(versions: list[WijkagendaVersion]) -> list[VersionEntry]:
    """Versions newest first, each compared with the one published before it."""
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes = diff_snapshots(previous.snapshot, version.snapshot) if previous else None
        entries.append(VersionEntry(version=version, changes=changes))
    return entries
