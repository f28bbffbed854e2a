from __future__ import annotations

import pytest

from agendas.changelog import Change, diff_snapshots
from tests.factories import AgendaItemFactory, ThemeFactory, WijkagendaFactory


def item(item_id: int | None, title: str, **fields: str) -> dict[str, object]:
    return {
        "id": item_id,
        "theme": fields.get("theme", "Wonen"),
        "kind": fields.get("kind", "ambition"),
        "title": title,
        "description": fields.get("description", ""),
    }


def snapshot(*items: dict[str, object]) -> dict[str, object]:
    return {"title": "Wijkagenda", "summary": "", "period": [], "items": list(items)}


def test_diff_snapshots_of_equal_snapshots_is_empty():
    same = snapshot(item(1, "Starterswoningen"), item(2, "Meer bomen", theme="Groen"))

    assert diff_snapshots(same, same) == []


def test_diff_snapshots_lists_added_changed_then_removed_items():
    old = snapshot(
        item(1, "Starterswoningen"),
        item(2, "Oud plan"),
        item(3, "Meer bomen", theme="Groen", description="Tien bomen."),
    )
    new = snapshot(
        item(4, "Hofjeswoningen"),
        item(1, "Woningen voor starters"),
        item(3, "Meer bomen", theme="Groen", description="Twintig bomen."),
    )

    assert diff_snapshots(old, new) == [
        Change(kind="added", title="Hofjeswoningen", theme="Wonen"),
        Change(
            kind="changed",
            title="Woningen voor starters",
            theme="Wonen",
            old_title="Starterswoningen",
            fields=("title",),
        ),
        Change(kind="changed", title="Meer bomen", theme="Groen", fields=("description",)),
        Change(kind="removed", title="Oud plan", theme="Wonen"),
    ]


def test_diff_snapshots_reports_a_move_to_another_theme_and_kind():
    old = snapshot(item(1, "Buurtpreventie", theme="Samenleven", kind="ambition"))
    new = snapshot(item(1, "Buurtpreventie", theme="Veiligheid", kind="municipal_task"))

    assert diff_snapshots(old, new) == [
        Change(kind="changed", title="Buurtpreventie", theme="Veiligheid", fields=("theme", "kind"))
    ]


def test_diff_snapshots_matches_items_without_id_by_title():
    old = snapshot(item(None, "Speeltuin", description="Oud."), item(None, "Weg"))
    new = snapshot(item(None, "Speeltuin", description="Nieuw."), item(None, "Erbij"))

    assert diff_snapshots(old, new) == [
        Change(kind="changed", title="Speeltuin", theme="Wonen", fields=("description",)),
        Change(kind="added", title="Erbij", theme="Wonen"),
        Change(kind="removed", title="Weg", theme="Wonen"),
    ]


def test_diff_snapshots_of_an_empty_first_snapshot_adds_everything():
    new = snapshot(item(1, "Starterswoningen"), item(2, "Meer bomen"))

    assert diff_snapshots({}, new) == [
        Change(kind="added", title="Starterswoningen", theme="Wonen"),
        Change(kind="added", title="Meer bomen", theme="Wonen"),
    ]


@pytest.mark.django_db
def test_diff_snapshots_of_two_published_versions(gebiedsteam, team_member):
    wonen = ThemeFactory(name="Wonen", position=1)
    groen = ThemeFactory(name="Groen", position=2)
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)
    trees = AgendaItemFactory(wijkagenda=agenda, theme=groen, title="Meer bomen")
    AgendaItemFactory(wijkagenda=agenda, theme=wonen, title="Starterswoningen")
    first = agenda.publish(by=team_member, change_summary="Eerste versie.")
    trees.description = "Twintig bomen in de Heikant."
    trees.save()
    AgendaItemFactory(wijkagenda=agenda, theme=wonen, title="Hofjeswoningen")
    second = agenda.publish(by=team_member, change_summary="Na de wijkdialoog.")

    assert diff_snapshots(first.snapshot, second.snapshot) == [
        Change(kind="added", title="Hofjeswoningen", theme="Wonen"),
        Change(kind="changed", title="Meer bomen", theme="Groen", fields=("description",)),
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("added", (True, False)), ("removed", (False, True)), ("changed", (False, False))],
)
def test_change_says_whether_it_adds_or_removes_an_item(kind, expected):
    change = Change(kind=kind, title="Meer groen op het plein")

    assert (change.is_added, change.is_removed) == expected
