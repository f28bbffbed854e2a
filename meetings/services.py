"""Planning and changing meetings, and signing up for them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from agendas.history import save_edit, save_new
from agendas.services.actions import _apply
from areas.models import Gebiedsteam, Wijk
from meetings.models import Meeting, Registration
from participation.models import Initiative
from web import pagecache

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def create_meeting(
    *,
    gebiedsteam: Gebiedsteam,
    values: Mapping[str, Any],
    wijken: Iterable[Wijk],
    by: User,
    initiatives: Iterable[Initiative] = (),
) -> Meeting:
    """Plan a meeting of a gebiedsteam for some of its wijken, with the residents'
    initiatives it discusses (the form offers only those the team may link)."""
    meeting = Meeting(gebiedsteam=gebiedsteam)
    _apply(meeting, values)
    save_new(meeting, fields=values.keys(), by=by)
    meeting.wijken.set(list(wijken))
    meeting.initiatives.set(list(initiatives))
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    values: Mapping[str, Any],
    wijken: Iterable[Wijk],
    expected_revision: int,
    by: User,
    initiatives: Iterable[Initiative] | None = None,
) -> Meeting:
    """Save a meeting unless someone else saved it since `expected_revision`.

    The wijken and initiatives (None: leave them) are set after the fields: when the save is
    refused, they stay as they were.
    """
    _apply(meeting, values)
    save_edit(meeting, fields=values.keys(), expected_revision=expected_revision, by=by)
    meeting.wijken.set(list(wijken))
    if initiatives is not None:
        meeting.initiatives.set(list(initiatives))
    if "capacity" in values:
        # More places (or none counted any more): the waiting list moves up.
        fill_places(_locked(meeting))
    return meeting


# ---- signing up ------------------------------------------------------------------------------


class SignUpRefused(Exception):
    """A sign-up that cannot be taken; `message` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MeetingFull(SignUpRefused):
    """Every place is taken and the person did not ask for the waiting list."""


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked until the end of the transaction: sign-ups and sign-offs of
    one meeting take their turn, so two people never get its last place."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def places_taken(meeting: Meeting) -> int:
    return meeting.registrations.with_place().count()


@transaction.atomic
def sign_up(*, meeting: Meeting, user: User, waiting_list: bool = False) -> Registration:
    """Sign `user` up for `meeting`: a place while there is one; when all are taken, the
    waiting list if they asked for it (`waiting_list`), else MeetingFull. Signing up twice
    returns the first sign-up unchanged."""
    locked = _locked(meeting)
    if not locked.takes_sign_ups():
        raise SignUpRefused(_("This meeting takes no sign-ups (any more)."))
    existing = Registration.objects.filter(meeting=locked, user=user).first()
    if existing is not None:
        return existing
    full = locked.capacity is not None and places_taken(locked) >= locked.capacity
    if full and not waiting_list:
        raise MeetingFull(
            _("All places are taken. You can put your name on the waiting list instead.")
        )
    return Registration.objects.create(meeting=locked, user=user, waiting=full)


@transaction.atomic
def sign_off(*, meeting: Meeting, user: User) -> bool:
    """Take `user`'s sign-up back; the place goes to the first on the waiting list. False
    when they had not signed up."""
    locked = _locked(meeting)
    deleted, _rows = Registration.objects.filter(meeting=locked, user=user).delete()
    if deleted:
        fill_places(locked)
    return bool(deleted)


def place_freed(*, meeting_id: int) -> None:
    """After a sign-up with a place was deleted some other way (the account was deleted):
    the waiting list moves up, once that deletion is committed."""

    def fill() -> None:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
            if meeting is not None:
                fill_places(meeting)

    transaction.on_commit(fill)


def fill_places(meeting: Meeting) -> list[Registration]:
    """Give free places to those first on the waiting list, and tell them. Call it with the
    meeting locked (a sign-off, an account deleted, more places); not once it has begun."""
    if not meeting.takes_sign_ups():
        return []
    if meeting.capacity is None:
        free = None
    else:
        free = max(meeting.capacity - places_taken(meeting), 0)
        if free == 0:
            return []
    waiting = list(meeting.registrations.waiting_list().select_related("user")[:free])
    if not waiting:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in waiting]).update(waiting=False)
    pagecache.bump()  # the places left, on the meeting's page
    notify(
        recipients=[r.user for r in waiting],
        kind=Notification.Kind.MEETING_PLACE,
        title=_("A place has come free for you: %(title)s") % {"title": meeting.title},
        body=_(
            "You were on the waiting list of %(title)s on %(date)s. A place has come free "
            "and it is yours; sign off on the meeting's page if you cannot come."
        )
        % {
            "title": meeting.title,
            "date": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
        },
        url=meeting.get_absolute_url(),
        subject=meeting,
    )
    for registration in waiting:
        registration.waiting = False
    return waiting
