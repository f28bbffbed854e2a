from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agendas.models import ChangeRecord
from agendas.publication import content_for
from tests.factories import (
    AgendaItemFactory,
    PartnerOrganisationFactory,
    ThemeFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(gebiedsteam=gebiedsteam, name="Heikant", slug="heikant")


@pytest.fixture
def published(client, gebiedsteam, wijk, team_member):
    """An agenda with one item, published once by the team through the portal."""
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="noord",
        title="Wijkagenda Noord",
        summary="Samen groener.",
        status="draft",
        published_at=None,
        wijken=[wijk],
    )
    AgendaItemFactory(
        wijkagenda=agenda,
        theme=ThemeFactory(name="Wonen", position=1),
        title="Starterswoningen",
        lead_organisation=PartnerOrganisationFactory(name="WonenBreburg"),
    )
    client.force_login(team_member)
    client.post("/wijkagendas/noord/publiceren/", {"change_summary": "Eerste versie."})
    client.logout()
    return agenda


def edit_after_publishing(client, team_member, agenda) -> None:
    """Rename the agenda, change its item and add one, all through the edit pages."""
    client.force_login(team_member)
    agenda.refresh_from_db()
    item = agenda.items.get()
    client.post(
        "/wijkagendas/noord/bewerken/",
        {
            "title": "Wijkagenda Noord 2026",
            "summary": "Samen nog groener.",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "review_date": "",
            "status": "published",
            "wijken": [w.pk for w in agenda.wijken.all()],
            "revision": agenda.revision,
        },
    )
    client.post(
        f"/wijkagendas/noord/ambities/{item.pk}/bewerken/",
        {
            "theme": item.theme_id,
            "kind": item.kind,
            "title": "Woningen voor starters",
            "description": "",
            "lead_organisation": item.lead_organisation_id,
            "revision": item.revision,
        },
    )
    client.post(
        "/wijkagendas/noord/ambities/",
        {"theme": item.theme_id, "kind": "ambition", "title": "Hofjeswoningen"},
    )
    client.logout()


def titles(response) -> list[str]:
    return [item.title for group in response.context["theme_groups"] for item in group.items]


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("role", ["anonymous", "resident", "other_team_member"])
def test_changes_after_publishing_stay_drafts_for_everyone_else(
    client, request, published, team_member, role
):
    edit_after_publishing(client, team_member, published)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/wijkagendas/noord/")

    assert response.context["content"].title == "Wijkagenda Noord"
    assert response.context["content"].summary == "Samen groener."
    assert titles(response) == ["Starterswoningen"]
    assert re.findall(r'<h1 class="utrecht-heading-1">([^<]*)</h1>', response.content.decode()) == [
        "Wijkagenda Noord"
    ]
    assert "Lead: WonenBreburg" in text(response)
    assert "Hofjeswoningen" not in text(response)
    assert "Unpublished changes" not in text(response)
    assert "Changes since the last version" not in text(response)
    assert "recent_changes" not in response.context


def test_the_team_sees_its_changes_with_a_notice_and_the_changes_since_the_version(
    client, published, team_member
):
    first_position = published.items.get().position
    edit_after_publishing(client, team_member, published)
    client.force_login(team_member)

    response = client.get("/wijkagendas/noord/")

    page = text(response)
    assert response.context["content"].title == "Wijkagenda Noord 2026"
    assert titles(response) == ["Woningen voor starters", "Hofjeswoningen"]
    assert response.context["content"].has_unpublished_changes is True
    assert (
        "Unpublished changes You see the agenda as it is now. "
        "Residents see version 1 until you publish again." in page
    )
    assert 'href="/wijkagendas/noord/publiceren/"' in response.content.decode()
    entries = [
        (
            entry.record.object_label,
            entry.record.kind,
            [(f.label, f.old, f.new) for f in entry.fields],
        )
        for entry in response.context["recent_entries"]
    ]
    assert entries == [
        (
            "Hofjeswoningen",
            "created",
            [
                ("Theme", None, "Wonen"),
                ("Kind", None, "residents' ambition"),
                ("Title", None, "Hofjeswoningen"),
                ("Description", None, ""),
                ("Lead organisation", None, None),
                ("Position", None, first_position + 1),
            ],
        ),
        (
            "Woningen voor starters",
            "changed",
            [("Title", "Starterswoningen", "Woningen voor starters")],
        ),
        (
            "Wijkagenda Noord 2026",
            "changed",
            [
                ("Title", "Wijkagenda Noord", "Wijkagenda Noord 2026"),
                ("Summary", "Samen groener.", "Samen nog groener."),
            ],
        ),
    ]
    assert "Title: “Starterswoningen” → “Woningen voor starters”" in page


def test_publishing_again_shows_the_changes_to_everyone_with_a_new_version(
    client, published, team_member
):
    edit_after_publishing(client, team_member, published)
    client.force_login(team_member)
    client.post("/wijkagendas/noord/publiceren/", {"change_summary": "Na de wijkdialoog."})
    team_view = client.get("/wijkagendas/noord/")
    client.logout()

    response = client.get("/wijkagendas/noord/")

    assert response.context["content"].title == "Wijkagenda Noord 2026"
    assert titles(response) == ["Woningen voor starters", "Hofjeswoningen"]
    entries = [
        (entry.version.number, entry.version.change_summary, entry.changes)
        for entry in response.context["changelog"]
    ]
    assert [(number, summary) for number, summary, _ in entries] == [
        (2, "Na de wijkdialoog."),
        (1, "Eerste versie."),
    ]
    assert [(c.kind, c.title, c.old_title, c.theme) for c in entries[0][2]] == [
        ("changed", "Woningen voor starters", "Starterswoningen", "Wonen"),
        ("added", "Hofjeswoningen", "", "Wonen"),
    ]
    assert team_view.context["content"].has_unpublished_changes is False
    assert list(team_view.context["recent_entries"]) == []
    assert "No changes since the last version." in text(team_view)


def test_the_wijk_page_shows_residents_the_published_agenda_and_the_team_its_changes(
    client, published, team_member
):
    edit_after_publishing(client, team_member, published)

    public = client.get("/wijken/heikant/")
    client.force_login(team_member)
    team = client.get("/wijken/heikant/")

    def shown(response):
        [(_agenda, content)] = response.context["agendas"]
        return content.title, [item.title for item in content.items]

    assert shown(public) == ("Wijkagenda Noord", ["Starterswoningen"])
    assert shown(team) == ("Wijkagenda Noord 2026", ["Woningen voor starters", "Hofjeswoningen"])
    assert "Hofjeswoningen" not in text(public)
    assert "Unpublished changes" not in text(public)
    assert text(team).count("Unpublished changes") == 1


def test_a_draft_agenda_stays_invisible_to_the_public(client, gebiedsteam, wijk):
    WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="concept",
        title="Geheim concept",
        status="draft",
        published_at=None,
        wijken=[wijk],
    )

    assert client.get("/wijkagendas/concept/").status_code == 404
    assert "Geheim" not in text(client.get("/wijken/heikant/"))


def test_withdrawing_a_published_agenda_to_draft_hides_it_again(client, published, team_member):
    client.force_login(team_member)
    published.refresh_from_db()
    client.post(
        "/wijkagendas/noord/bewerken/",
        {
            "title": published.title,
            "summary": published.summary,
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
            "review_date": "",
            "status": "draft",
            "wijken": [w.pk for w in published.wijken.all()],
            "revision": published.revision,
        },
    )
    client.logout()

    assert client.get("/wijkagendas/noord/").status_code == 404
    assert ChangeRecord.objects.filter(kind="changed").count() == 2


def test_snapshot_carries_what_the_public_pages_show(published):
    snapshot = published.versions.get().snapshot
    item = published.items.select_related("theme", "lead_organisation").get()

    assert snapshot == {
        "title": "Wijkagenda Noord",
        "summary": "Samen groener.",
        "period": ["2024-01-01", "2027-12-31"],
        "review_date": None,
        "items": [
            {
                "id": item.pk,
                "theme": {
                    "name": "Wonen",
                    "slug": item.theme.slug,
                    "position": 1,
                    "colour": item.theme.colour,
                },
                "kind": "ambition",
                "title": "Starterswoningen",
                "description": "",
                "lead_organisation": {
                    "name": "WonenBreburg",
                    "slug": item.lead_organisation.slug,
                },
                "position": item.position,
            }
        ],
    }


def test_content_for_runs_no_queries(published):
    published.refresh_from_db()
    items = list(published.items.select_related("theme", "lead_organisation"))
    latest = published.versions.get()

    with CaptureQueriesContext(connection) as queries:
        public = content_for(published, items, latest, live=False)
        live = content_for(published, items, latest, live=True)

    assert len(queries) == 0
    assert (public.is_live, live.is_live, live.has_unpublished_changes) == (False, True, False)
    assert [i.get_kind_display() for i in public.items] == ["residents' ambition"]


def test_the_agenda_list_shows_residents_the_published_title_and_the_team_the_live_one(
    client, published, team_member, resident
):
    edit_after_publishing(client, team_member, published)

    def listed(user) -> list[tuple[str, int]]:
        client.force_login(user)
        page = client.get("/wijkagendas/").context["page_obj"]
        client.logout()
        return [(agenda.listing.title, agenda.listing.item_count) for agenda in page]

    published.refresh_from_db()
    live_items = published.items.count()
    assert listed(resident) == [("Wijkagenda Noord", 1)]
    assert listed(team_member) == [(published.title, live_items)]
    assert (published.title, live_items) != ("Wijkagenda Noord", 1)
