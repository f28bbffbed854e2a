"""Workflows for plans, actions, progress updates and meetings.

Every change goes through agendas.history: creations are recorded with `save_new`, edits
with `save_edit`, which refuses a save when the object changed since the form was opened
(StaleEditError) and rolls back everything the service did before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from agendas.history import save_edit, save_new
from agendas.models import Action, Plan, ProgressUpdate, Wijkagenda

if TYPE_CHECKING:
    from accounts.models import User

# What a progress update changes on its action.
PROGRESS_FIELDS = ["status", "progress", "last_progress_at"]


def _apply(obj: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


@transaction.atomic
def create_plan(*, wijkagenda: Wijkagenda, values: Mapping[str, Any], by: User) -> Plan:
    """Add a plan to an agenda and record its creation."""
    plan = Plan(wijkagenda=wijkagenda)
    _apply(plan, values)
    save_new(plan, fields=values.keys(), by=by)
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, values: Mapping[str, Any], expected_revision: int, by: User) -> Plan:
    """Save the changed fields of a plan unless someone else saved it since
    `expected_revision` (then StaleEditError)."""
    _apply(plan, values)
    save_edit(plan, fields=values.keys(), expected_revision=expected_revision, by=by)
    return plan


@transaction.atomic
def create_action(*, plan: Plan, values: Mapping[str, Any], by: User) -> Action:
    """Add an action to a plan and record its creation."""
    action = Action(plan=plan)
    _apply(action, values)
    save_new(action, fields=values.keys(), by=by)
    return action


@transaction.atomic
def update_action(
    *, action: Action, values: Mapping[str, Any], expected_revision: int, by: User
) -> Action:
    """Save the changed fields of an action unless someone else saved it since
    `expected_revision` (then StaleEditError). Also serves the inline status edit."""
    _apply(action, values)
    save_edit(action, fields=values.keys(), expected_revision=expected_revision, by=by)
    return action


@transaction.atomic
def add_progress_update(
    *,
    action: Action,
    author: User,
    text: str,
    status: str,
    progress: int,
    is_result: bool,
    expected_revision: int,
) -> ProgressUpdate:
    """Report on an action and move it to the reported status and progress.

    The action is saved first, through save_edit: when someone changed the action after the
    reporter opened the form, StaleEditError is raised before the update exists, and the
    transaction leaves nothing behind.
    """
    now = timezone.now()
    _apply(action, {"status": status, "progress": progress, "last_progress_at": now})
    save_edit(action, fields=PROGRESS_FIELDS, expected_revision=expected_revision, by=author)
    update = ProgressUpdate(
        action=action,
        author=author,
        text=text,
        status=status,
        progress=progress,
        is_result=is_result,
    )
    update.full_clean()
    update.save()
    return update
