"""Creating, editing and publishing wijkagendas, their items and the vision of a gebied.

Every save goes through `agendas.history`, so each change is kept (who, when, what) and a
save from a form opened at an older revision is refused with StaleEditError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from agendas.followers import followers_of
from agendas.history import delete_tracked, save_edit, save_new
from agendas.models import (
    AgendaItem,
    ChangeRecord,
    Status,
    Vision,
    Wijkagenda,
    WijkagendaVersion,
)
from areas.models import Gebiedsteam, Wijk
from web import pagecache
from web.editing import StaleEditError
from web.slugs import unique_slug

if TYPE_CHECKING:
    from accounts.models import User

AGENDA_FIELDS = ("title", "summary", "period_start", "period_end", "review_date", "status")
NEW_AGENDA_FIELDS = ("title", "kind", "period_start", "period_end", "review_date", "summary")
ITEM_FIELDS = ("theme", "kind", "title", "description", "lead_organisation")
VISION_FIELDS = ("title", "body", "horizon_year")
# Slugs that are paths of their own under /wijkagendas/.
RESERVED_SLUGS = frozenset({"nieuw"})


def _wijk_names(wijken: Iterable[Wijk]) -> list[str]:
    return sorted(wijk.name for wijk in wijken)


@transaction.atomic
def create_wijkagenda(
    *, gebiedsteam: Gebiedsteam, data: dict[str, Any], wijken: Iterable[Wijk], by: User
) -> Wijkagenda:
    """Create a draft agenda for wijken of `gebiedsteam`; the creation is recorded."""
    wijken = list(wijken)
    agenda = Wijkagenda(
        gebiedsteam=gebiedsteam,
        slug=unique_slug(Wijkagenda, data["title"], fallback="wijkagenda", reserved=RESERVED_SLUGS),
        status=Status.DRAFT,
        **{name: data[name] for name in NEW_AGENDA_FIELDS},
    )
    record = save_new(agenda, fields=NEW_AGENDA_FIELDS, by=by)
    agenda.wijken.set(wijken)
    # The wijken are a many-to-many relation, saved after the row: add them to the record.
    record.changes["wijken"] = {"old": None, "new": _wijk_names(wijken)}
    record.save(update_fields=["changes", "updated_at"])
    return agenda


@transaction.atomic
def update_wijkagenda(
    *,
    agenda: Wijkagenda,
    data: dict[str, Any],
    wijken: Iterable[Wijk],
    expected_revision: int,
    by: User,
) -> ChangeRecord | None:
    """Save the agenda's fields and wijken if nobody saved it since `expected_revision`.

    Returns the record of the change, or None when nothing changed.
    """
    for name in AGENDA_FIELDS:
        setattr(agenda, name, data[name])
    # save_edit locks the row until this transaction ends, so the wijken below are changed
    # under the same lock as the fields.
    record = save_edit(agenda, fields=AGENDA_FIELDS, expected_revision=expected_revision, by=by)
    wijken = list(wijken)
    old_names = _wijk_names(Wijk.objects.filter(wijkagendas=agenda))
    new_names = _wijk_names(wijken)
    if old_names == new_names:
        return record
    agenda.wijken.set(wijken)
    wijken_change = {"old": old_names, "new": new_names}
    if record is not None:
        record.changes["wijken"] = wijken_change
        record.save(update_fields=["changes", "updated_at"])
        return record
    # Only the wijken changed: raise the revision like any other edit, so forms opened
    # before this one are refused too, and keep the change.
    agenda.revision = expected_revision + 1
    Wijkagenda.objects.filter(pk=agenda.pk).update(revision=agenda.revision)
    pagecache.bump()  # an update() sends no signal
    return ChangeRecord.objects.create(
        gebiedsteam_id=agenda.gebiedsteam_id,
        wijkagenda=agenda,
        content_type=ContentType.objects.get_for_model(agenda),
        object_id=agenda.pk,
        object_label=str(agenda)[:200],
        kind=ChangeRecord.Kind.CHANGED,
        revision=agenda.revision,
        changes={"wijken": wijken_change},
        author=by,
    )


@transaction.atomic
def publish_wijkagenda(*, agenda: Wijkagenda, change_summary: str, by: User) -> WijkagendaVersion:
    """Publish the agenda as it is now: it and its current items become public.

    A change of status is saved through history first, so that forms opened on the draft
    are refused rather than turning the agenda back into a draft unseen.
    """
    current = Wijkagenda.objects.select_for_update().get(pk=agenda.pk)
    if current.status != Status.PUBLISHED:
        current.status = Status.PUBLISHED
        current.published_at = timezone.now()
        save_edit(
            current, fields=["status", "published_at"], expected_revision=current.revision, by=by
        )
    version = current.publish(by=by, change_summary=change_summary)
    agenda.refresh_from_db()
    notify(
        recipients=followers_of(agenda, *agenda.wijken.all()),
        kind=Notification.Kind.UPDATE,
        title=_("Published: %(title)s") % {"title": agenda.title},
        url=agenda.get_absolute_url(),
        exclude=by,
        subject=agenda,
    )
    return version


def _end_of_theme(agenda: Wijkagenda, theme_id: int, *, exclude: int | None = None) -> int:
    items = AgendaItem.objects.for_wijkagenda(agenda).filter(theme_id=theme_id)
    if exclude is not None:
        items = items.exclude(pk=exclude)
    last = items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_item(*, agenda: Wijkagenda, data: dict[str, Any], by: User) -> AgendaItem:
    """Add an item at the end of its theme; it stays a draft until the agenda is published."""
    # Lock the agenda so that two items added at once do not get the same position.
    Wijkagenda.objects.select_for_update().filter(pk=agenda.pk).first()
    item = AgendaItem(wijkagenda=agenda, **{name: data[name] for name in ITEM_FIELDS})
    item.position = _end_of_theme(agenda, item.theme_id)
    save_new(item, fields=[*ITEM_FIELDS, "position"], by=by)
    return item


@transaction.atomic
def update_item(
    *, item: AgendaItem, data: dict[str, Any], expected_revision: int, by: User
) -> ChangeRecord | None:
    """Save the item if nobody saved it since `expected_revision`; a new theme puts it last."""
    previous_theme_id = AgendaItem.objects.values_list("theme_id", flat=True).get(pk=item.pk)
    for name in ITEM_FIELDS:
        setattr(item, name, data[name])
    fields = list(ITEM_FIELDS)
    if item.theme_id != previous_theme_id:
        item.position = _end_of_theme(item.wijkagenda, item.theme_id, exclude=item.pk)
        fields.append("position")
    return save_edit(item, fields=fields, expected_revision=expected_revision, by=by)


@transaction.atomic
def move_item(
    *, item: AgendaItem, direction: Literal["up", "down"], expected_revision: int, by: User
) -> list[ChangeRecord]:
    """Swap the item with its neighbour in its theme; at the edge nothing changes.

    The item is checked against `expected_revision`; its neighbour is saved at the revision
    it has now, so a move never overwrites an edit of the neighbour's other fields.
    """
    Wijkagenda.objects.select_for_update().filter(pk=item.wijkagenda_id).first()
    siblings = list(
        AgendaItem.objects.for_wijkagenda(item.wijkagenda)
        .filter(theme_id=item.theme_id)
        .order_by("position", "pk")
    )
    index = next((i for i, sibling in enumerate(siblings) if sibling.pk == item.pk), None)
    current = AgendaItem.objects.get(pk=item.pk) if index is None else siblings[index]
    # Moved to another theme, or otherwise saved, since the page was opened.
    if index is None or current.revision != expected_revision:
        raise StaleEditError(
            current=current, other_change=ChangeRecord.objects.for_object(current).first()
        )
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return []
    # The two items trade places; the others keep theirs. Positions that are not all
    # different cannot express the new order, so then the theme is numbered afresh.
    positions = [sibling.position for sibling in siblings]
    if len(set(positions)) != len(positions):
        positions = list(range(len(siblings)))
    siblings[index], siblings[target] = siblings[target], siblings[index]
    records = []
    for sibling, position in zip(siblings, positions, strict=True):
        if sibling.position == position:
            continue
        sibling.position = position
        record = save_edit(sibling, fields=["position"], expected_revision=sibling.revision, by=by)
        if record is not None:
            records.append(record)
    return records


@transaction.atomic
def remove_item(*, item: AgendaItem, expected_revision: int, by: User) -> ChangeRecord:
    """Remove the item if nobody saved it since `expected_revision`; the removal is kept."""
    return delete_tracked(item, expected_revision=expected_revision, by=by)


@transaction.atomic
def create_vision(*, gebiedsteam: Gebiedsteam, data: dict[str, Any], by: User) -> Vision:
    """A new draft vision for the gebied."""
    vision = Vision(
        gebiedsteam=gebiedsteam,
        status=Status.DRAFT,
        **{name: data[name] for name in VISION_FIELDS},
    )
    save_new(vision, fields=VISION_FIELDS, by=by)
    return vision


@transaction.atomic
def update_vision(
    *, vision: Vision, data: dict[str, Any], expected_revision: int, by: User
) -> ChangeRecord | None:
    for name in VISION_FIELDS:
        setattr(vision, name, data[name])
    return save_edit(vision, fields=VISION_FIELDS, expected_revision=expected_revision, by=by)


@transaction.atomic
def publish_vision(*, vision: Vision, expected_revision: int, by: User) -> ChangeRecord | None:
    """Publish the vision; a vision of the gebied published before it is archived."""
    vision.status = Status.PUBLISHED
    record = save_edit(vision, fields=["status"], expected_revision=expected_revision, by=by)
    earlier = Vision.objects.filter(gebiedsteam_id=vision.gebiedsteam_id, status=Status.PUBLISHED)
    for other in earlier.exclude(pk=vision.pk).select_for_update():
        other.status = Status.ARCHIVED
        save_edit(other, fields=["status"], expected_revision=other.revision, by=by)
    return record
