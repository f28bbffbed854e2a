"""docs/roles.md read as data: per action and role, where the role may take it.

The table's cells are `✓` (everywhere), `own` (in the role's own scope), `author` (only on
what they wrote) and `—` (nowhere). Whether an object is in a role's own scope is
`in_own_scope`: the world marks every object with its gebied, the wijkraad whose wijken it
covers, the organisation owning it and its author, and each kind of role reads its own
mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"

EVERYWHERE, OWN, AUTHOR, NOWHERE = "✓", "own", "author", "—"
CELLS = frozenset({EVERYWHERE, OWN, AUTHOR, NOWHERE})

TEAM_ROLES = frozenset(
    {"wijkregisseur", "omgevingsmanager", "ondersteuner", "partner_representative"}
)
COUNCIL_ROLES = frozenset({"council_member", "council_secretary", "council_chair"})
ORGANISATION_ROLES = frozenset({"partner_staff", "staff_administrator"})

# Reporting someone else's comment: a role holding it everywhere still does not report their own.
NOT_ON_OWN_WORK = frozenset({"report_comment"})


class RolesTableError(AssertionError):
    """docs/roles.md has no table the matrix can read."""


@dataclass(frozen=True)
class Table:
    roles: tuple[str, ...]
    cells: dict[str, dict[str, str]]  # action → role → cell

    def cell(self, action: str, role: str) -> str:
        if action not in self.cells:
            raise RolesTableError(f"docs/roles.md has no row for the action `{action}`")
        return self.cells[action][role]


def parse_roles_table(text: str) -> Table:
    """The role × action table: the Markdown table whose header starts with `| Action |`."""
    lines = text.splitlines()
    header_at = next(
        (i for i, line in enumerate(lines) if re.match(r"^\|\s*Action\s*\|", line)), None
    )
    if header_at is None:
        raise RolesTableError("docs/roles.md: no table with a header `| Action | <roles…> |`")
    roles = tuple(_cells(lines[header_at])[1:])
    if len(roles) < 14 or len(set(roles)) != len(roles):
        raise RolesTableError(f"docs/roles.md: expected at least 14 distinct roles, got {roles}")
    if not re.match(r"^\|(\s*:?-+:?\s*\|)+$", lines[header_at + 1]):
        raise RolesTableError("docs/roles.md: the role table's header is not followed by |---|")
    cells: dict[str, dict[str, str]] = {}
    for number, line in enumerate(lines[header_at + 2 :], start=header_at + 3):
        if not line.startswith("|"):
            break
        row = _cells(line)
        match = re.match(r"^`([a-z_]+)`", row[0])
        if match is None:
            raise RolesTableError(f"docs/roles.md line {number}: no `action` in {row[0]!r}")
        if len(row) != len(roles) + 1:
            raise RolesTableError(
                f"docs/roles.md line {number}: {len(row) - 1} cells for {len(roles)} roles"
            )
        unknown = set(row[1:]) - CELLS
        if unknown:
            raise RolesTableError(f"docs/roles.md line {number}: unknown cells {unknown}")
        action = match[1]
        if action in cells:
            raise RolesTableError(f"docs/roles.md line {number}: `{action}` twice")
        cells[action] = dict(zip(roles, row[1:], strict=True))
    if not cells:
        raise RolesTableError("docs/roles.md: the role table has no rows")
    return Table(roles, cells)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_roles_table() -> Table:
    try:
        text = ROLES_DOC.read_text(encoding="utf-8")
    except OSError as error:
        raise RolesTableError(f"cannot read {ROLES_DOC}: {error}") from error
    return parse_roles_table(text)


@dataclass(frozen=True)
class Scope:
    """Where an object stands, as far as the roles' scopes are concerned.

    `gebied` is "A" (the scoped roles' own) or "B"; `wijkraad` the wijkraad whose wijken the
    object covers (or which is asked for advice); `owner` the organisation owning an action
    ("partner" or "municipality"); `organisation` the organisation a page is of; `author`
    the role that wrote it. `impossible` lists actions that nobody can take on the object in
    its state (comment on a decided proposal), whatever the table says.
    """

    gebied: str | None = None
    wijkraad: str | None = None
    owner: str | None = None
    organisation: str | None = None
    author: str | None = None
    impossible: frozenset[str] = field(default_factory=frozenset)


def in_own_scope(role: str, action: str, scope: Scope) -> bool:
    """Whether the object is in the role's own scope (docs/roles.md, The roles)."""
    if role in COUNCIL_ROLES:
        return scope.wijkraad == "A"
    if role == "resident":  # the wijk they live in: the wijk of A, which wijkraad A covers
        return scope.wijkraad == "A"
    if role in ORGANISATION_ROLES:
        if action == "manage_staff":
            return scope.organisation == "partner"
        return scope.owner == "partner"
    # Team roles and municipal staff (an ondersteuner of team A): the gebied of their team.
    return scope.gebied == "A"


def allows(table: Table, role: str, action: str, scope: Scope) -> bool:
    """Whether docs/roles.md lets `role` take `action` on an object with this scope."""
    if action in scope.impossible:
        return False
    cell = table.cell(action, role)
    if action in NOT_ON_OWN_WORK and scope.author == role:
        return False
    if cell == EVERYWHERE:
        return True
    if cell == OWN:
        return in_own_scope(role, action, scope)
    if cell == AUTHOR:
        return scope.author == role
    return False
