"""What an action carries out, and who gave the input for it: told by the apps above.

An action may carry out a decided proposal (and with it the advice and the reactions given
on it) or, later, a resident initiative the team supports. Those live in participation,
above agendas (docs/architecture.md, "Layers"): the link is declared on their side, and
agendas asks for it through this registry. An app registers a `Source` in its
AppConfig.ready; the action's page lists the origins the reader may see, and a report on the
action tells everyone who gave input there (`tell_input_givers`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from agendas.models import Action

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Origin:
    """Something an action carries out, as its page names it."""

    kind: str  # what it is, for the reader: "Decision on a proposal"
    title: str
    url: str


@dataclass(frozen=True)
class Source:
    # The origins of the action that `user` may see.
    origins: Callable[[Action, AnyUser], list[Origin]]
    # The accounts that gave input to what the action carries out.
    input_givers: Callable[[Action], set[int]]


_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def origins_of(action: Action, user: AnyUser) -> list[Origin]:
    return [origin for source in _sources for origin in source.origins(action, user)]


def input_givers_of(action: Action) -> set[int]:
    return set().union(*(source.input_givers(action) for source in _sources))


def tell_input_givers(action: Action, *, by: User, done: bool) -> set[int]:
    """Tell those who gave input to what `action` carries out that it moved (or is done).

    The notification is about the action: it is listed and e-mailed only to those who may see
    it (accounts.visibility). Returns who was told; not the person who reported.
    """
    people = input_givers_of(action) - {by.pk}
    if not people:
        return set()
    if done:
        title = _("Done: %(title)s, which carries out what you gave input for") % {
            "title": action.title
        }
    else:
        title = _("Progress on %(title)s, which carries out what you gave input for") % {
            "title": action.title
        }
    notify(
        recipients=people,
        kind=Notification.Kind.UPDATE,
        title=title,
        url=action.get_absolute_url(),
        subject=action,
    )
    return people
