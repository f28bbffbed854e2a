"""Whether a person may still see what a notification or a reminder is about.

accounts knows no domain model, so it asks the subject's own model: every model whose
default manager has `visible_to(user)` (proposals, meetings, actions, …) says there which of
its objects a user may see. A model without `visible_to` has nothing to hide and counts as
visible. The checks go per model, never per object, so checking a digest or a page of
notifications costs a fixed number of queries however many notifications it has.

Anything visible to an anonymous visitor is also visible to every signed-in person: the
`visible_to` of each model only ever adds to what the public sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from accounts.models import User

    AnyUser = User | AnonymousUser


def visible_objects(model: type[Model] | None, user: AnyUser | None) -> QuerySet[Any] | None:
    """The objects of `model` that `user` (None: someone without an account) may see; None
    when the model hides nothing (it has no `visible_to`, or is gone from the code)."""
    if model is None:
        return None
    visible_to = getattr(model._default_manager, "visible_to", None)
    if visible_to is None:
        return None
    return visible_to(AnonymousUser() if user is None else user)


def can_see(user: AnyUser | None, subject: Model) -> bool:
    """Whether `user` (None: someone without an account) may see `subject`; one query."""
    visible = visible_objects(type(subject), user)
    return visible is None or visible.filter(pk=subject.pk).exists()


def visible_ids(user: AnyUser | None, model: type[Model] | None, ids: Iterable[Any]) -> set[Any]:
    """Of these ids of `model`, those `user` may see; one query (none for a model that hides
    nothing)."""
    wanted = set(ids)
    visible = visible_objects(model, user)
    if visible is None or not wanted:
        return wanted
    return set(visible.filter(pk__in=wanted).values_list("pk", flat=True))


def visible_keys(user: AnyUser | None, keys: Iterable[tuple[int, Any]]) -> set[tuple[int, Any]]:
    """Of these (content type id, object id) pairs, those `user` may see; one query per
    content type."""
    by_type: dict[int, set[Any]] = defaultdict(set)
    for type_id, object_id in keys:
        by_type[type_id].add(object_id)
    seen: set[tuple[int, Any]] = set()
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        seen |= {(type_id, pk) for pk in visible_ids(user, model, ids)}
    return seen


def subject_condition(user: AnyUser, type_ids: Iterable[int]) -> Q:
    """The condition on a generic `subject` (`subject_type`, `subject_id`) that lets through
    what `user` may see: no subject, a subject of a model that hides nothing, or one its
    model's `visible_to(user)` contains. `type_ids` are the content types to check (those
    the rows filtered may point at); others are let through. No query of its own: each
    checked type adds a subquery."""
    checked: list[int] = []
    condition = Q()
    for type_id in sorted(set(type_ids)):
        visible = visible_objects(ContentType.objects.get_for_id(type_id).model_class(), user)
        if visible is None:
            continue
        checked.append(type_id)
        condition |= Q(subject_type_id=type_id, subject_id__in=visible.values("pk"))
    if not checked:
        return Q()
    return ~Q(subject_type_id__in=checked) | condition
