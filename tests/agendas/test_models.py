from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from agendas.models import Action, AgendaItem, ChangeRecord, Vision, Wijkagenda
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    ChangeRecordFactory,
    VisionFactory,
    WijkagendaFactory,
)

pytestmark = pytest.mark.django_db


def test_wijkagenda_visible_to_anonymous_is_published_only(gebiedsteam):
    published = WijkagendaFactory(gebiedsteam=gebiedsteam)
    WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)

    assert list(Wijkagenda.objects.visible_to(AnonymousUser())) == [published]


def test_wijkagenda_visible_to_team_includes_own_drafts_only(
    gebiedsteam, other_gebiedsteam, team_member
):
    published = WijkagendaFactory(gebiedsteam=other_gebiedsteam, title="A")
    own_draft = WijkagendaFactory(
        gebiedsteam=gebiedsteam, status="draft", published_at=None, title="B"
    )
    WijkagendaFactory(gebiedsteam=other_gebiedsteam, status="draft", published_at=None, title="C")

    assert list(Wijkagenda.objects.visible_to(team_member)) == [published, own_draft]


def test_wijkagenda_visible_to_staff_is_everything(gebiedsteam, staff):
    WijkagendaFactory(gebiedsteam=gebiedsteam)
    WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)

    assert Wijkagenda.objects.visible_to(staff).count() == 2


def test_wijkagenda_publish_keeps_a_version_with_the_items(gebiedsteam, team_member):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)
    item = AgendaItemFactory(wijkagenda=agenda, title="Meer groen op het plein")

    version = agenda.publish(by=team_member, change_summary="Eerste versie")
    second = agenda.publish(by=team_member)

    agenda.refresh_from_db()
    assert (agenda.status, agenda.version, version.number, second.number) == ("published", 2, 1, 2)
    assert version.snapshot["items"] == [
        {
            "id": item.pk,
            "theme": {
                "name": item.theme.name,
                "slug": item.theme.slug,
                "position": item.theme.position,
                "colour": item.theme.colour,
            },
            "kind": "ambition",
            "title": "Meer groen op het plein",
            "description": "",
            "lead_organisation": None,
            "position": item.position,
        }
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("progress", 101), ("due_date", dt.date(2020, 1, 1)), ("latitude", 95.0)],
)
def test_action_constraints_refuse_bad_values(field, value):
    action = ActionFactory(longitude=5.08, latitude=51.56)
    setattr(action, field, value)

    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()

    assert Action.objects.get(pk=action.pk).progress == 40


def test_vision_not_archived_keeps_drafts_and_the_published_vision():
    draft, published = VisionFactory(status="draft"), VisionFactory(status="published")
    VisionFactory(status="archived")

    assert set(Vision.objects.not_archived()) == {draft, published}


def test_change_records_since_a_moment_leave_out_what_came_before():
    old, new = ChangeRecordFactory(), ChangeRecordFactory()
    ChangeRecord.objects.filter(pk=old.pk).update(created_at=new.created_at - dt.timedelta(1))

    assert list(ChangeRecord.objects.since(new.created_at - dt.timedelta(seconds=1))) == [new]


def test_agenda_items_for_a_theme():
    item = AgendaItemFactory()
    AgendaItemFactory(wijkagenda=item.wijkagenda)

    assert list(AgendaItem.objects.for_theme(item.theme)) == [item]
