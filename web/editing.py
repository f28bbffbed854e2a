"""Edits that overwrite nothing silently: the refused save, what it shows, and the one flow
every edit view follows.

An edit form carries the revision of the object it was opened on. When someone else saved
the object in the meantime, the service raises `StaleEditError` with the object as it is now
and the record of that other change. The view then answers 409 with a notice
(`includes/_conflict_notice.html`) saying who changed what, and how the object looks now,
and with the form again: the person's input kept, now at the current revision, so that
saving once more is a choice made knowingly.

`lock_at_revision` is the check itself, for every model with a `revision` column
(`accounts.models.Revisioned`): `agendas.history` builds its recorded edits on it, and
`save_at_revision` serves the objects whose changes are not recorded (werkplekken,
proposals, advice, comments).

`edit_response` is that flow, written once:

- GET: the page with the form;
- an invalid POST: the form with its errors, 400 (the fragment, for htmx);
- a stale save: the notice and the form re-bound to the current object, 409;
- a save: whatever the view answers then (a redirect, or the fragment for htmx).

The view passes what is its own: how to build the page's context, how to save, how to load
and re-bind the current object, and what to answer after the save.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from web.http import render_page_or_fragment

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpResponse, QueryDict

    from web.http import HtmxHttpRequest

Saved = TypeVar("Saved")  # what `save` returns and `saved` answers with
M = TypeVar("M", bound=models.Model)


class RecordedChange(Protocol):
    """The record of a saved change (agendas.models.ChangeRecord): who, when and what."""

    @property
    def author(self) -> Any: ...

    @property
    def created_at(self) -> dt.datetime: ...

    @property
    def changes(self) -> dict[str, Any]: ...


class StaleEditError(Exception):
    """The object was saved by someone else after the form was opened."""

    def __init__(self, *, current: Any, other_change: RecordedChange | None) -> None:
        super().__init__(f"{current!r} changed since the form was opened")
        self.current = current
        self.other_change = other_change


# ---- The check -----------------------------------------------------------------------------


def lock_at_revision(
    obj: M,
    expected_revision: int,
    *,
    other_change: Callable[[M], RecordedChange | None] | None = None,
) -> M:
    """The row of `obj` as it is saved now, locked until the transaction ends, if it is still
    at `expected_revision`; else StaleEditError with that current object and (when the model
    records its changes) `other_change(current)`.

    The lock (SELECT … FOR UPDATE) makes two saves that both read revision 3 take turns: the
    second sees 4 and is refused. Call it inside a transaction.
    """
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.revision != expected_revision:  # type: ignore[attr-defined]
        record = other_change(current) if other_change is not None else None
        raise StaleEditError(current=current, other_change=record)
    return current


@transaction.atomic
def save_at_revision(obj: models.Model, *, fields: Iterable[str], expected_revision: int) -> None:
    """Save `fields` of `obj` if nobody saved it since `expected_revision` (else
    StaleEditError, nothing saved), raising its revision by one."""
    lock_at_revision(obj, expected_revision)
    obj.revision = expected_revision + 1  # type: ignore[attr-defined]
    obj.save(update_fields=[*fields, "revision", "updated_at"])


# ---- Values as people read them -------------------------------------------------------------


def field_label(model: type[models.Model] | None, name: str, *, capitalise: bool = True) -> str:
    """The verbose name of a field; its name when the model no longer has it."""
    if model is None:
        return name
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the change was recorded
        return name
    label = str(getattr(model_field, "verbose_name", name))
    return capfirst(label) if capitalise else label


def shown_value(obj: models.Model, name: str) -> Any:
    """A field's value as a person reads it, and as JSON can hold it."""
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(obj, name)
        return None if related is None else str(related)
    value = getattr(obj, name)
    if isinstance(model_field, models.Field) and model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def readable_value(value: Any) -> Any:
    """A recorded value as a person reads it: a list joined (nothing as None, a dash), and a
    drawn area (GeoJSON) named rather than printed as a list of coordinates."""
    if isinstance(value, list):
        return ", ".join(str(part) for part in value) or None
    if isinstance(value, dict) and value.get("type") in ("Polygon", "MultiPolygon"):
        return _("a drawn area")
    return value


@dataclass(frozen=True)
class FieldChange:
    """One field of a recorded change, as a person reads it."""

    label: str
    old: Any
    new: Any


def field_changes(
    changes: Mapping[str, Any], model: type[models.Model] | None, *, capitalise: bool = True
) -> list[FieldChange]:
    """The fields of a recorded change ({name: {"old": …, "new": …}}) with their labels.

    In the model's field order: PostgreSQL's jsonb does not keep the order of the keys.
    """
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    names = sorted(changes, key=lambda name: (order.get(name, len(order)), name))
    return [
        FieldChange(
            field_label(model, name, capitalise=capitalise),
            readable_value(changes[name].get("old")),
            readable_value(changes[name].get("new")),
        )
        for name in names
        if isinstance(changes[name], dict)
    ]


# ---- The conflict ---------------------------------------------------------------------------


@dataclass
class Conflict:
    """What the other person changed, and how the object looks now (for the notice)."""

    author: str | None
    when: dt.datetime | None
    changes: list[FieldChange] = field(default_factory=list)
    current: list[tuple[str, Any]] = field(default_factory=list)


def conflict_of(
    error: StaleEditError, fields: Iterable[str], *, capitalise: bool = True
) -> Conflict:
    """The other change and the current values of `fields`, read before anything else
    touches `error.current`.

    A many-to-many field shows its objects by name. `capitalise=False` keeps the labels of
    the changes as the verbose names are written (the plan, action and meeting pages).
    """
    current = error.current
    model = type(current)
    record = error.other_change
    conflict = Conflict(
        author=str(record.author) if record and record.author else None,
        when=record.created_at if record else None,
        changes=field_changes(record.changes, model, capitalise=capitalise) if record else [],
    )
    for name in fields:
        if model._meta.get_field(name).many_to_many:
            value = ", ".join(sorted(str(obj) for obj in getattr(current, name).all()))
        else:
            value = readable_value(shown_value(current, name))
        conflict.current.append(
            (field_label(model, name, capitalise=capitalise), None if value == "" else value)
        )
    return conflict


def with_revision(data: QueryDict, revision: int, prefix: str | None = None) -> QueryDict:
    """The submitted data with the current revision: sent again, it saves over the other
    change knowingly, after the person has seen it."""
    data = data.copy()
    data[f"{prefix}-revision" if prefix else "revision"] = str(revision)
    return data


# ---- The flow -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditPage:
    """Where an edit view renders: a page template and, for htmx, its partial.

    Without `partial` every answer is the whole page. With `whole_page_on_get`, a GET gets
    the whole page even from htmx (pages that are only ever opened by a link).
    """

    template: str
    partial: str | None = None
    whole_page_on_get: bool = False

    def render(
        self,
        request: HtmxHttpRequest,
        context: dict[str, Any],
        status: int = HTTPStatus.OK,
    ) -> HttpResponse:
        if self.partial is None or (self.whole_page_on_get and request.method in ("GET", "HEAD")):
            return render(request, self.template, context, status=status)
        return render_page_or_fragment(request, self.template, self.partial, context, status)


def edit_response(
    request: HtmxHttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[], Saved],
    saved: Callable[[Saved], HttpResponse],
    conflict_fields: Sequence[str],
    page: EditPage | None = None,
    obj: Any = None,
    context: Callable[..., dict[str, Any]] | None = None,
    current: Callable[[StaleEditError], Any] | None = None,
    rebind: Callable[[Any, QueryDict], forms.BaseForm] | None = None,
    invalid: Callable[[], HttpResponse] | None = None,
    refused: Callable[[StaleEditError, Conflict], HttpResponse] | None = None,
    capitalise_labels: bool = True,
) -> HttpResponse:
    """Answer a GET or POST of an edit view: the form, its errors, a refused stale save, or
    (through `saved`) the saved object.

    - `form` is bound to the POST, and `obj` is the object as loaded (None for a new one);
    - `context(obj, form, **extra)` is the context of `page`; after a stale save it is called
      with the current object, the re-bound form and `conflict=`;
    - `save()` calls the service, which raises StaleEditError when the revision is stale,
      and returns the saved object; `saved(obj)` answers with it;
    - `current(error)` is the object as it is now (by default `error.current`) and
      `rebind(current, data)` the form for it with the person's input;
    - `invalid()` and `refused(error, conflict)` replace the usual answers (400 and 409 with
      the form) for views that answer those differently; a view that gives both and takes
      no GET (an action on a page of another view) needs no `page` or `context`.
    """

    def page_with(obj: Any, form: forms.BaseForm, status: int, **extra: Any) -> HttpResponse:
        if page is None or context is None:
            raise TypeError("edit_response needs `page` and `context` to show the form")
        return page.render(request, context(obj, form, **extra), status)

    if request.method in ("GET", "HEAD"):
        return page_with(obj, form, HTTPStatus.OK)
    if not form.is_valid():
        if invalid is not None:
            return invalid()
        return page_with(obj, form, HTTPStatus.BAD_REQUEST)
    try:
        obj = save()
    except StaleEditError as error:
        conflict = conflict_of(error, conflict_fields, capitalise=capitalise_labels)
        if refused is not None:
            return refused(error, conflict)
        if rebind is None:
            raise TypeError("edit_response needs `rebind` or `refused`") from error
        now = current(error) if current is not None else error.current
        fresh = rebind(now, with_revision(request.POST, now.revision, form.prefix))
        return page_with(now, fresh, HTTPStatus.CONFLICT, conflict=conflict)
    return saved(obj)
