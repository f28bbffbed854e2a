"""Every edit kept, and no lost updates.

An edit form carries the `revision` of the object it was opened on. `save_edit` saves only
if the object is still at that revision, raises it by one and records who changed what.
When someone else saved in between, it raises StaleEditError (web.editing) with the object
as it is now and that other change, so the view can show both and nothing is overwritten
silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agendas.models import Action, AgendaItem, ChangeRecord, Plan, Revisioned, Wijkagenda
from web.editing import StaleEditError, lock_at_revision, shown_value

if TYPE_CHECKING:
    from accounts.models import User

__all__ = ["StaleEditError", "delete_tracked", "save_edit", "save_new", "shown_value"]

# The agenda content of this app, and the models of apps above it that keep their history
# here (meetings.Meeting).
Tracked = Revisioned


def _scope(obj: Tracked) -> tuple[int, int | None]:
    """The gebiedsteam and wijkagenda a change belongs to, for the changelog."""
    if isinstance(obj, Wijkagenda):
        return obj.gebiedsteam_id, obj.pk
    if isinstance(obj, AgendaItem | Plan):
        return obj.wijkagenda.gebiedsteam_id, obj.wijkagenda_id
    if isinstance(obj, Action):
        return obj.plan.wijkagenda.gebiedsteam_id, obj.plan.wijkagenda_id
    return obj.gebiedsteam_id, None  # type: ignore[attr-defined]


def _label(obj: Tracked) -> str:
    return str(obj)[:200]


def _differences(before: Tracked, after: Tracked, fields: Iterable[str]) -> dict[str, Any]:
    changes = {}
    for name in fields:
        old, new = shown_value(before, name), shown_value(after, name)
        if old != new:
            changes[name] = {"old": old, "new": new}
    return changes


def _record(
    obj: Tracked, *, kind: str, changes: dict[str, Any], by: User | None, revision: int
) -> ChangeRecord:
    gebiedsteam_id, wijkagenda_id = _scope(obj)
    if kind == ChangeRecord.Kind.DELETED and isinstance(obj, Wijkagenda):
        # The record of a deleted agenda must outlive it: link it to the gebied only.
        wijkagenda_id = None
    return ChangeRecord.objects.create(
        gebiedsteam_id=gebiedsteam_id,
        wijkagenda_id=wijkagenda_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_label=_label(obj),
        kind=kind,
        revision=revision,
        changes=changes,
        author=by,
    )


def _last_change(obj: Tracked) -> ChangeRecord | None:
    """The change that made `obj` what it is now, for the notice of a refused save."""
    return ChangeRecord.objects.for_object(obj).first()


@transaction.atomic
def save_new(obj: Tracked, *, fields: Iterable[str], by: User | None) -> ChangeRecord:
    """Save a new object and record its creation with the values it was given."""
    obj.revision = 0
    obj.save()
    changes = {name: {"old": None, "new": shown_value(obj, name)} for name in fields}
    return _record(obj, kind=ChangeRecord.Kind.CREATED, changes=changes, by=by, revision=0)


@transaction.atomic
def save_edit(
    obj: Tracked, *, fields: Iterable[str], expected_revision: int, by: User | None
) -> ChangeRecord | None:
    """Save `fields` of `obj` if nobody saved it since `expected_revision`; record the change.

    The row is locked and checked first (`web.editing.lock_at_revision`), so two saves that
    both read revision 3 cannot both win: the second sees 4 and is refused. Returns None
    when nothing changed; nothing is saved then.
    """
    fields = list(fields)
    current = lock_at_revision(obj, expected_revision, other_change=_last_change)
    changes = _differences(current, obj, fields)
    if not changes:
        obj.revision = current.revision
        return None
    obj.revision = current.revision + 1
    obj.save(update_fields=[*fields, "revision", "updated_at"])
    return _record(
        obj, kind=ChangeRecord.Kind.CHANGED, changes=changes, by=by, revision=obj.revision
    )


@transaction.atomic
def delete_tracked(obj: Tracked, *, expected_revision: int, by: User | None) -> ChangeRecord:
    """Delete `obj` if nobody saved it since `expected_revision`, keeping a record."""
    current = lock_at_revision(obj, expected_revision, other_change=_last_change)
    record = _record(
        current, kind=ChangeRecord.Kind.DELETED, changes={}, by=by, revision=current.revision
    )
    current.delete()
    return record
