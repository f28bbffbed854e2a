"""A change the team makes, for the cold measurements of bench.run.

`make_change` edits a published action of the measured wijkagenda through
`agendas.services.actions.update_action`, as a team member does from the portal: the same
transaction, history record and checks, and so whatever invalidation the portal runs on such
an edit (a page cache's generation key, a fragment cache keyed on `updated_at`). The action's
title changes, so the change shows on the wijk and wijkagenda pages. The title toggles
between its own text and that text with " (bijgewerkt)" after it, so the pages keep their
size however many changes a run makes. An edit rather than a publish: every publish adds a
version to the agenda's changelog, which the wijkagenda page lists, so the page would grow
with every change.

Then `after_change()` runs: the one place to call what the portal offers to invalidate
after a change that did not go through its services. Today that is nothing (the change
above goes through them); point it at the page cache's own bump if a future change is
written to the database directly.

Runs in the runner's process, configured by `bench.common.configure` on the same database
and cache as the server. A cache in the local memory of each gunicorn worker is out of this
process's reach: only invalidation stored in the database or in Redis reaches the server.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SUFFIX = " (bijgewerkt)"


@cache
def _subject(wijkagenda_slug: str) -> tuple[int, int]:
    """(action id, editor id): the first action of the agenda's plans, and who may edit it."""
    from accounts.models import User
    from agendas.models import Action, Status

    action = (
        Action.objects.filter(
            plan__wijkagenda__slug=wijkagenda_slug, plan__wijkagenda__status=Status.PUBLISHED
        )
        .order_by("plan__pk", "pk")
        .first()
    )
    if action is None:
        raise SystemExit(f"{wijkagenda_slug} is not published or has no action to change.")
    for user in User.objects.filter(is_active=True).order_by("pk").iterator():
        if user.has_perm("agendas.change_action", action):
            return action.pk, user.pk
    raise SystemExit(f"Nobody may change the actions of {wijkagenda_slug}.")


def after_change() -> None:
    """What the portal offers to invalidate after a change; nothing yet (see above)."""


def make_change(wijkagenda_slug: str) -> str:
    """Edit the title of a published action of `wijkagenda_slug`; returns what was done."""
    from accounts.models import User
    from agendas.models import Action
    from agendas.services.actions import update_action

    action_id, editor_id = _subject(wijkagenda_slug)
    action: Any = Action.objects.get(pk=action_id)
    title = action.title
    new = title.removesuffix(SUFFIX) if title.endswith(SUFFIX) else title + SUFFIX
    update_action(
        action=action,
        values={"title": new},
        expected_revision=action.revision,
        by=User.objects.get(pk=editor_id),
    )
    after_change()
    return f"action {action_id}: {new!r}"
