"""Who may see and plan meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from areas import rules as area_rules
from areas.rules import is_admin
from meetings.models import Meeting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


@rules.predicate
def is_public_meeting(user: AnyUser, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.public


# The whole team reads its closed meetings; the core team plans them.
can_edit = is_admin | area_rules.is_core_team_of_gebied

rules.add_perm(
    "meetings.view_meeting", is_admin | is_public_meeting | area_rules.is_team_member_of_gebied
)
# "Add" is checked on the gebiedsteam.
rules.add_perm("meetings.add_meeting", can_edit)
rules.add_perm("meetings.change_meeting", can_edit)
# Anyone signed in signs up for a meeting they can read; whether it takes sign-ups (only a
# public one does, until it begins) is the meeting's state, not a permission
# (meetings.services.sign_up).
rules.add_perm("meetings.sign_up", rules.is_authenticated)
