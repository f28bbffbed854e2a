"""What accepting an invitation means, as the domain apps register it.

This app knows no domain model. What accepting an invitation means (joining a gebiedsteam, a
wijkraad, an organisation) is up to the apps that register a purpose here: the invitation
stores the purpose as a small dict, `{"kind": "team", ...}`, and on acceptance every handler
registered for that kind is called with the user and the dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

AcceptHandler = Callable[..., None]


Describer = Callable[[Mapping[str, Any]], str]


@dataclass
class InvitationPurpose:
    """What the apps registered for one kind of invitation."""

    handlers: list[AcceptHandler] = field(default_factory=list)
    describe: Describer | None = None


registry: dict[str, InvitationPurpose] = {}


def register_invitation_purpose(
    kind: str, handler: AcceptHandler, *, describe: Describer | None = None
) -> None:
    """Have `handler(user=..., purpose=...)` called when an invitation of `kind` is accepted.

    Several apps may register for one kind; their handlers run in the order of registration
    (apps register in `ready()`, so in the order of INSTALLED_APPS), inside the transaction
    of the acceptance. `describe(purpose)` says in words what the invitee is invited to, for
    the e-mail and the acceptance page; the first one registered for a kind is used.
    Registering the same handler twice has no effect.
    """
    purpose = registry.setdefault(kind, InvitationPurpose())
    if handler not in purpose.handlers:
        purpose.handlers.append(handler)
    if purpose.describe is None:
        purpose.describe = describe


def describe_purpose(purpose: Mapping[str, Any]) -> str:
    """What an invitation is for, in words; empty when no app describes its kind."""
    registered = registry.get(str(purpose.get("kind", "")))
    if registered is None or registered.describe is None:
        return ""
    return registered.describe(purpose)
