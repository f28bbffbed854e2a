"""Planning and changing meetings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from agendas.history import save_edit, save_new
from agendas.services.actions import _apply
from areas.models import Gebiedsteam, Wijk
from meetings.models import Meeting

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def create_meeting(
    *, gebiedsteam: Gebiedsteam, values: Mapping[str, Any], wijken: Iterable[Wijk], by: User
) -> Meeting:
    """Plan a meeting of a gebiedsteam for some of its wijken."""
    meeting = Meeting(gebiedsteam=gebiedsteam)
    _apply(meeting, values)
    save_new(meeting, fields=values.keys(), by=by)
    meeting.wijken.set(list(wijken))
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    values: Mapping[str, Any],
    wijken: Iterable[Wijk],
    expected_revision: int,
    by: User,
) -> Meeting:
    """Save a meeting unless someone else saved it since `expected_revision`.

    The wijken are set after the fields: when the save is refused, they stay as they were.
    """
    _apply(meeting, values)
    save_edit(meeting, fields=values.keys(), expected_revision=expected_revision, by=by)
    meeting.wijken.set(list(wijken))
    return meeting
