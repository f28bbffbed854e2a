from __future__ import annotations

import threading

import pytest
from django.db import connection

from agendas.history import StaleEditError, delete_tracked, save_edit, save_new
from agendas.models import Action, AgendaItem, ChangeRecord
from tests.factories import ActionFactory, AgendaItemFactory, PartnerOrganisationFactory

pytestmark = pytest.mark.django_db


def test_save_edit_records_who_changed_what_and_raises_the_revision(team_member):
    action = ActionFactory(title="Buurtbudget verdelen", progress=40)
    other_org = PartnerOrganisationFactory(name="Tiwos")
    action.title = "Buurtbudget samen verdelen"
    action.progress = 60
    action.owner_organisation = other_org

    record = save_edit(
        action,
        fields=["title", "progress", "owner_organisation"],
        expected_revision=0,
        by=team_member,
    )

    action.refresh_from_db()
    assert (action.title, action.progress, action.revision) == ("Buurtbudget samen verdelen", 60, 1)
    assert (record.kind, record.revision, record.author, record.object_label) == (
        "changed",
        1,
        team_member,
        "Buurtbudget samen verdelen",
    )
    assert record.changes["title"] == {
        "old": "Buurtbudget verdelen",
        "new": "Buurtbudget samen verdelen",
    }
    assert record.changes["progress"] == {"old": 40, "new": 60}
    assert record.changes["owner_organisation"]["new"] == "Tiwos"
    assert (record.wijkagenda_id, record.gebiedsteam_id) == (
        action.plan.wijkagenda_id,
        action.plan.wijkagenda.gebiedsteam_id,
    )


def test_save_edit_refuses_a_stale_form_and_keeps_the_first_save(team_member, staff):
    action = ActionFactory(title="Speeltuin opknappen")
    first = Action.objects.get(pk=action.pk)
    second = Action.objects.get(pk=action.pk)
    first.title = "Speeltuin opknappen met bewoners"
    second.title = "Speeltuin verplaatsen"

    save_edit(first, fields=["title"], expected_revision=0, by=team_member)
    with pytest.raises(StaleEditError) as refused:
        save_edit(second, fields=["title"], expected_revision=0, by=staff)

    assert refused.value.current.title == "Speeltuin opknappen met bewoners"
    assert refused.value.other_change.author == team_member
    assert refused.value.other_change.changes == {
        "title": {"old": "Speeltuin opknappen", "new": "Speeltuin opknappen met bewoners"}
    }
    assert Action.objects.values_list("title", "revision").get(pk=action.pk) == (
        "Speeltuin opknappen met bewoners",
        1,
    )
    assert ChangeRecord.objects.count() == 1


def test_save_edit_without_changes_saves_and_records_nothing(team_member):
    item = AgendaItemFactory(title="Meer groen")

    assert save_edit(item, fields=["title"], expected_revision=0, by=team_member) is None
    item.refresh_from_db()
    assert (item.revision, ChangeRecord.objects.count()) == (0, 0)


def test_save_new_records_the_creation(team_member):
    agenda_item = AgendaItemFactory.build(
        wijkagenda=AgendaItemFactory().wijkagenda,
        theme=AgendaItemFactory().theme,
        title="Veilig fietsen",
    )

    record = save_new(agenda_item, fields=["title", "kind"], by=team_member)

    assert (record.kind, record.revision, record.object_id) == ("created", 0, agenda_item.pk)
    assert record.changes == {
        "title": {"old": None, "new": "Veilig fietsen"},
        "kind": {"old": None, "new": "ambitie van bewoners"},
    }


def test_delete_tracked_keeps_a_record_and_refuses_when_stale(team_member):
    item = AgendaItemFactory(title="Oude ambitie")
    AgendaItem.objects.filter(pk=item.pk).update(revision=2)

    with pytest.raises(StaleEditError):
        delete_tracked(item, expected_revision=1, by=team_member)
    record = delete_tracked(item, expected_revision=2, by=team_member)

    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert (record.kind, record.object_label, record.wijkagenda_id) == (
        "deleted",
        "Oude ambitie",
        item.wijkagenda_id,
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_action_let_exactly_one_win(team_member, staff):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections: runs on PostgreSQL (as in CI)")
    action = ActionFactory(title="Start")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(title: str, user) -> None:
        mine = Action.objects.get(pk=action.pk)
        mine.title = title
        barrier.wait()
        try:
            save_edit(mine, fields=["title"], expected_revision=0, by=user)
            outcomes.append("saved")
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=("Versie A", team_member)),
        threading.Thread(target=edit, args=("Versie B", staff)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = Action.objects.get(pk=action.pk)
    record = ChangeRecord.objects.get()
    assert sorted(outcomes) == ["refused", "saved"]
    assert (saved.revision, saved.title) == (1, record.changes["title"]["new"])
