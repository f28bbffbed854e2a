"""Workflows for plans, actions, progress updates and meetings.

Every change goes through agendas.history: creations are recorded with `save_new`, edits
with `save_edit`, which refuses a save when the object changed since the form was opened
(StaleEditError) and rolls back everything the service did before.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from agendas import origins
from agendas.history import save_edit, save_new
from agendas.models import Action, Plan, ProgressUpdate, Wijkagenda
from web.submits import create_once

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
    `expected_revision` (then StaleEditError). Also serves the inline status edit. An action
    that is now done tells those who gave input to what it carries out (agendas.origins)."""
    was_done = action.status == Action.Status.DONE
    _apply(action, values)
    save_edit(action, fields=values.keys(), expected_revision=expected_revision, by=by)
    if action.status == Action.Status.DONE and not was_done:
        origins.tell_input_givers(action, by=by, done=True)
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
    submit_token: uuid.UUID | None = None,
) -> ProgressUpdate:
    """Report on an action and move it to the reported status and progress.

    When someone changed the action after the reporter opened the form, save_edit raises
    StaleEditError and the transaction leaves nothing behind. A form sent again with the
    same `submit_token` stores nothing and returns the report it stored the first time,
    also when that report moved the action on since: the token is checked first.
    """

    def create() -> ProgressUpdate:
        # The report is inserted before the action is locked: a second POST with the same
        # token waits on the token's unique index, not on the action, and then finds this
        # report once it is committed.
        update = ProgressUpdate(
            action=action,
            author=author,
            text=text,
            status=status,
            progress=progress,
            is_result=is_result,
            submit_token=submit_token,
        )
        update.full_clean()
        update.save()
        now = timezone.now()
        was_done = action.status == Action.Status.DONE
        _apply(action, {"status": status, "progress": progress, "last_progress_at": now})
        save_edit(action, fields=PROGRESS_FIELDS, expected_revision=expected_revision, by=author)
        done = status == Action.Status.DONE and not was_done
        origins.tell_input_givers(action, by=author, done=done)
        return update

    update, _created = create_once(ProgressUpdate.objects.reported_by(author), submit_token, create)
    return update
