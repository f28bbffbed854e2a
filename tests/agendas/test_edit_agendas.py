from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from agendas.models import AgendaItem, ChangeRecord, Vision, Wijkagenda
from tests.factories import (
    AgendaItemFactory,
    CouncilMembershipFactory,
    PartnerOrganisationFactory,
    ThemeFactory,
    VisionFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]


@pytest.fixture
def council_member(db):
    return CouncilMembershipFactory().user


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(gebiedsteam=gebiedsteam, name="Heikant", slug="heikant")


@pytest.fixture
def agenda(gebiedsteam, wijk):
    return WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="noord",
        title="Wijkagenda Noord",
        summary="Samen groener.",
        wijken=[wijk],
    )


@pytest.fixture
def draft(other_gebiedsteam):
    """A draft of another gebied: invisible to the team of `gebiedsteam`."""
    return WijkagendaFactory(
        gebiedsteam=other_gebiedsteam, slug="concept-elders", status="draft", published_at=None
    )


@pytest.fixture
def theme():
    return ThemeFactory(name="Wonen", slug="wonen", position=1)


def errors_of(response) -> list[str]:
    return re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', response.content.decode()
    )


def agenda_data(agenda: Wijkagenda, **changes) -> dict[str, object]:
    data = {
        "title": agenda.title,
        "summary": agenda.summary,
        "period_start": agenda.period_start.isoformat(),
        "period_end": agenda.period_end.isoformat(),
        "review_date": "",
        "status": agenda.status,
        "wijken": [wijk.pk for wijk in agenda.wijken.all()],
        "revision": agenda.revision,
    }
    data.update(changes)
    return data


def item_data(item: AgendaItem, **changes) -> dict[str, object]:
    data = {
        "theme": item.theme_id,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "lead_organisation": item.lead_organisation_id or "",
        "revision": item.revision,
    }
    data.update(changes)
    return data


# ---- create -----------------------------------------------------------------------------------


def test_create_saves_a_draft_agenda_for_wijken_of_the_own_gebied(client, team_member, wijk):
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/nieuw/",
        {
            "title": "Wijkagenda Heikant",
            "kind": "wijk",
            "wijken": [wijk.pk],
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "review_date": "2026-06-01",
            "summary": "We maken de wijk **groener**.",
        },
    )

    agenda = Wijkagenda.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/wijkagendas/wijkagenda-heikant/ambities/"
    assert (
        agenda.title,
        agenda.slug,
        agenda.gebiedsteam,
        agenda.status,
        agenda.period_start,
        agenda.period_end,
        agenda.review_date,
        list(agenda.wijken.all()),
    ) == (
        "Wijkagenda Heikant",
        "wijkagenda-heikant",
        wijk.gebiedsteam,
        "draft",
        dt.date(2025, 1, 1),
        dt.date(2028, 12, 31),
        dt.date(2026, 6, 1),
        [wijk],
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.wijkagenda, record.revision) == (
        "created",
        team_member,
        agenda,
        0,
    )
    assert record.changes["title"] == {"old": None, "new": "Wijkagenda Heikant"}
    assert record.changes["wijken"] == {"old": None, "new": ["Heikant"]}


def test_create_refuses_a_wijk_of_another_gebied(client, team_member, other_gebiedsteam):
    elsewhere = WijkFactory(gebiedsteam=other_gebiedsteam)
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/nieuw/",
        {
            "title": "Niet van ons",
            "kind": "wijk",
            "wijken": [elsewhere.pk],
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "summary": "Tekst.",
        },
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        f"Select a valid choice. {elsewhere.pk} is not one of the available choices."
    ]
    assert (Wijkagenda.objects.count(), ChangeRecord.objects.count()) == (0, 0)


def test_create_refuses_a_period_that_ends_before_it_starts_in_an_htmx_fragment(
    client, team_member, wijk
):
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/nieuw/",
        {
            "title": "",
            "kind": "wijk",
            "wijken": [wijk.pk],
            "period_start": "2028-01-01",
            "period_end": "2025-12-31",
            "summary": "Tekst.",
        },
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode().strip()
    assert response.status_code == 400
    assert content.startswith('<form id="agenda-form"')
    assert "<html" not in content
    assert errors_of(response) == [
        "This field is required.",
        "The end of the period lies before its start.",
    ]
    assert Wijkagenda.objects.count() == 0


@pytest.mark.parametrize("role", ["resident", "council_member"])
def test_create_is_403_for_users_without_a_team(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get("/wijkagendas/nieuw/").status_code == 403


def test_create_sends_anonymous_users_to_sign_in(client):
    response = client.get("/wijkagendas/nieuw/")

    assert response.status_code == 302
    assert "next=/wijkagendas/nieuw/" in response["Location"]


# ---- edit -------------------------------------------------------------------------------------


def test_edit_saves_the_agenda_and_records_the_change(client, team_member, agenda, gebiedsteam):
    other_wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Fatima")
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/bewerken/",
        agenda_data(
            agenda,
            title="Wijkagenda Noord 2025",
            period_end="2029-12-31",
            wijken=[w.pk for w in agenda.wijken.all()] + [other_wijk.pk],
        ),
    )

    agenda.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/wijkagendas/noord/"
    assert (agenda.title, agenda.period_end, agenda.revision, agenda.status) == (
        "Wijkagenda Noord 2025",
        dt.date(2029, 12, 31),
        1,
        "published",
    )
    assert sorted(w.name for w in agenda.wijken.all()) == ["Fatima", "Heikant"]
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.revision) == ("changed", team_member, 1)
    assert record.changes == {
        "title": {"old": "Wijkagenda Noord", "new": "Wijkagenda Noord 2025"},
        "period_end": {"old": "2027-12-31", "new": "2029-12-31"},
        "wijken": {"old": ["Heikant"], "new": ["Fatima", "Heikant"]},
    }


def test_edit_of_only_the_wijken_raises_the_revision(client, team_member, agenda, gebiedsteam):
    other_wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Fatima")
    client.force_login(team_member)

    client.post("/wijkagendas/noord/bewerken/", agenda_data(agenda, wijken=[other_wijk.pk]))

    agenda.refresh_from_db()
    assert agenda.revision == 1
    assert [(r.revision, r.changes) for r in ChangeRecord.objects.all()] == [
        (1, {"wijken": {"old": ["Heikant"], "new": ["Fatima"]}})
    ]


def test_edit_of_a_draft_of_another_gebied_is_404(client, team_member, draft):
    client.force_login(team_member)

    assert client.get("/wijkagendas/concept-elders/bewerken/").status_code == 404
    assert client.post("/wijkagendas/concept-elders/bewerken/", {}).status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member"])
def test_edit_of_a_visible_agenda_is_403_for_others(client, request, agenda, role):
    client.force_login(request.getfixturevalue(role))

    get = client.get("/wijkagendas/noord/bewerken/")
    post = client.post("/wijkagendas/noord/bewerken/", agenda_data(agenda, title="Gekaapt"))

    agenda.refresh_from_db()
    assert (get.status_code, post.status_code, agenda.title) == (403, 403, "Wijkagenda Noord")


def test_edit_refuses_bad_input_and_saves_nothing(client, team_member, agenda, other_gebiedsteam):
    elsewhere = WijkFactory(gebiedsteam=other_gebiedsteam)
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/bewerken/",
        agenda_data(agenda, title="Nieuw", summary="", wijken=[elsewhere.pk], status="deleted"),
    )

    agenda.refresh_from_db()
    assert response.status_code == 400
    assert errors_of(response) == [
        "This field is required.",
        "Select a valid choice. deleted is not one of the available choices.",
        f"Select a valid choice. {elsewhere.pk} is not one of the available choices.",
    ]
    assert (agenda.title, agenda.revision, ChangeRecord.objects.count()) == (
        "Wijkagenda Noord",
        0,
        0,
    )


def test_edit_cannot_archive_an_agenda_that_was_never_published(
    client, team_member, gebiedsteam, wijk
):
    WijkagendaFactory(
        gebiedsteam=gebiedsteam, slug="concept", status="draft", published_at=None, wijken=[wijk]
    )
    agenda = Wijkagenda.objects.get(slug="concept")
    client.force_login(team_member)

    response = client.post("/wijkagendas/concept/bewerken/", agenda_data(agenda, status="archived"))

    assert response.status_code == 400
    assert errors_of(response) == [
        "Select a valid choice. archived is not one of the available choices."
    ]
    assert Wijkagenda.objects.get(slug="concept").status == "draft"


def test_edit_htmx_save_returns_the_form_fragment(client, team_member, agenda):
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/bewerken/",
        agenda_data(agenda, summary="Samen nog groener."),
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith('<form id="agenda-form"')
    assert "<html" not in content
    assert re.findall(r'role="status">([^<]*)<', content) == ["Your changes have been saved."]
    assert 'name="revision" value="1"' in content
    assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]


def test_edit_stale_form_is_refused_with_the_other_change(client, team_member, staff, agenda):
    opened = agenda_data(agenda)
    first = Client()
    first.force_login(staff)
    first.post("/wijkagendas/noord/bewerken/", {**opened, "title": "Agenda van Bea"})
    client.force_login(team_member)

    response = client.post("/wijkagendas/noord/bewerken/", {**opened, "title": "Agenda van Rina"})

    agenda.refresh_from_db()
    content = response.content.decode()
    assert response.status_code == 409
    assert agenda.title == "Agenda van Bea"
    assert ChangeRecord.objects.count() == 1
    assert "Someone else saved this in the meantime" in content
    changes = re.findall(r'<ul class="conflict__changes">(.*?)</ul>', content, re.S)
    assert [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in changes] == [
        "Title: from “Wijkagenda Noord” to “Agenda van Bea”"
    ]
    assert "Beheer Bea saved it on" in " ".join(content.split())
    # The form keeps what Rina typed, now at the current revision.
    assert 'value="Agenda van Rina"' in content
    assert 'name="revision" value="1"' in content


# ---- publish ----------------------------------------------------------------------------------


def test_publish_makes_a_draft_public_with_a_version_and_records_it(
    client, team_member, gebiedsteam, wijk, theme
):
    draft = WijkagendaFactory(
        gebiedsteam=gebiedsteam, slug="concept", status="draft", published_at=None, wijken=[wijk]
    )
    AgendaItemFactory(wijkagenda=draft, theme=theme, title="Starterswoningen")
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/concept/publiceren/", {"change_summary": "  Eerste versie.  "}
    )

    draft.refresh_from_db()
    version = draft.versions.get()
    assert response.status_code == 302
    assert response["Location"] == "/wijkagendas/concept/"
    assert (draft.status, draft.version, version.number, version.change_summary) == (
        "published",
        1,
        1,
        "Eerste versie.",
    )
    assert (version.published_by, [i["title"] for i in version.snapshot["items"]]) == (
        team_member,
        ["Starterswoningen"],
    )
    record = ChangeRecord.objects.get()
    assert record.changes["status"] == {"old": "draft", "new": "published"}


def test_publish_htmx_returns_the_publish_fragment(client, team_member, agenda):
    client.force_login(team_member)

    response = client.post("/wijkagendas/noord/publiceren/", {}, HTTP_HX_REQUEST="true")

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith('<section id="publish"')
    assert "<html" not in content
    assert re.findall(r'role="status">([^<]*)<', content) == [
        "Version 1 is published. Everyone can read it now."
    ]


def test_publish_refuses_a_too_long_summary(client, team_member, agenda):
    client.force_login(team_member)

    response = client.post("/wijkagendas/noord/publiceren/", {"change_summary": "x" * 2001})

    assert response.status_code == 400
    assert errors_of(response) == ["Ensure this value has at most 2000 characters (it has 2001)."]
    assert agenda.versions.count() == 0


def test_publish_of_a_draft_of_another_gebied_is_404(client, team_member, draft):
    client.force_login(team_member)

    assert client.post("/wijkagendas/concept-elders/publiceren/", {}).status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member"])
def test_publish_is_403_for_others(client, request, agenda, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post("/wijkagendas/noord/publiceren/", {})

    assert (response.status_code, agenda.versions.count()) == (403, 0)


def test_every_post_needs_the_csrf_token(team_member, agenda):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)

    responses = [
        client.post("/wijkagendas/noord/bewerken/", agenda_data(agenda, title="Zonder token")),
        client.post("/wijkagendas/noord/publiceren/", {}),
        client.post("/wijkagendas/noord/ambities/", {}),
        client.post("/gebieden/noord/visie/bewerken/", {}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    agenda.refresh_from_db()
    assert (agenda.title, agenda.versions.count()) == ("Wijkagenda Noord", 0)


# ---- items ------------------------------------------------------------------------------------


def test_item_add_puts_it_last_in_its_theme_and_records_it(client, team_member, agenda, theme):
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Eerste", position=4)
    lead = PartnerOrganisationFactory(name="WonenBreburg")
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/ambities/",
        {
            "theme": theme.pk,
            "kind": "partner_task",
            "title": "  Renovatie   flats ",
            "description": "Vijftig woningen.",
            "lead_organisation": lead.pk,
        },
    )

    item = AgendaItem.objects.get(title="Renovatie flats")
    assert response.status_code == 302
    assert response["Location"] == f"/wijkagendas/noord/ambities/#item-{item.pk}"
    assert (item.wijkagenda, item.theme, item.kind, item.lead_organisation, item.position) == (
        agenda,
        theme,
        "partner_task",
        lead,
        5,
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.wijkagenda, record.object_label) == (
        "created",
        agenda,
        "Renovatie flats",
    )
    assert record.changes["lead_organisation"] == {"old": None, "new": "WonenBreburg"}


def test_item_add_refuses_an_unknown_theme_and_organisation(client, team_member, agenda):
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/ambities/",
        {"theme": 999999, "kind": "ambition", "title": "Iets", "lead_organisation": 888888},
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "Select a valid choice. That choice is not one of the available choices.",
        "Select a valid choice. That choice is not one of the available choices.",
    ]
    assert (AgendaItem.objects.count(), ChangeRecord.objects.count()) == (0, 0)


def test_item_add_htmx_returns_the_items_fragment(client, team_member, agenda, theme):
    client.force_login(team_member)

    response = client.post(
        "/wijkagendas/noord/ambities/",
        {"theme": theme.pk, "kind": "ambition", "title": "Meer bomen"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith('<section id="agenda-items"')
    assert "<html" not in content
    assert re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', content) == ["Meer bomen"]


def test_item_list_of_a_draft_of_another_gebied_is_404(client, team_member, draft):
    client.force_login(team_member)

    assert client.get("/wijkagendas/concept-elders/ambities/").status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member"])
def test_item_views_are_403_for_others(client, request, agenda, theme, role):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen")
    client.force_login(request.getfixturevalue(role))
    base = f"/wijkagendas/noord/ambities/{item.pk}"

    statuses = [
        client.get("/wijkagendas/noord/ambities/").status_code,
        client.post(f"{base}/bewerken/", item_data(item, title="Gekaapt")).status_code,
        client.post(f"{base}/verplaatsen/", {"direction": "up", "revision": 0}).status_code,
        client.post(f"{base}/verwijderen/", {"revision": 0}).status_code,
    ]

    item.refresh_from_db()
    assert (statuses, item.title) == ([403, 403, 403, 403], "Meer bomen")


def test_item_of_another_agenda_is_404(client, team_member, agenda, theme, gebiedsteam):
    elsewhere = AgendaItemFactory(wijkagenda=WijkagendaFactory(gebiedsteam=gebiedsteam))
    client.force_login(team_member)

    response = client.get(f"/wijkagendas/noord/ambities/{elsewhere.pk}/bewerken/")

    assert response.status_code == 404


def test_item_edit_saves_and_records_the_change(client, team_member, agenda, theme):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen", position=1)
    AgendaItemFactory(wijkagenda=agenda, theme=ThemeFactory(name="Groen"), position=7)
    groen = item.wijkagenda.items.exclude(pk=item.pk).get().theme
    client.force_login(team_member)

    response = client.post(
        f"/wijkagendas/noord/ambities/{item.pk}/bewerken/",
        item_data(item, title="Meer bomen en struiken", theme=groen.pk),
    )

    item.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/wijkagendas/noord/ambities/#item-{item.pk}"
    assert (item.title, item.theme, item.position, item.revision) == (
        "Meer bomen en struiken",
        groen,
        8,
        1,
    )
    assert ChangeRecord.objects.get().changes == {
        "theme": {"old": "Wonen", "new": "Groen"},
        "title": {"old": "Meer bomen", "new": "Meer bomen en struiken"},
        "position": {"old": 1, "new": 8},
    }


def test_item_edit_htmx_gets_the_inline_form_and_saves_to_the_item_fragment(
    client, team_member, agenda, theme
):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen")
    client.force_login(team_member)
    url = f"/wijkagendas/noord/ambities/{item.pk}/bewerken/"

    form = client.get(url, HTTP_HX_REQUEST="true")
    saved = client.post(url, item_data(item, title="Meer bomen!"), HTTP_HX_REQUEST="true")
    invalid = client.post(url, item_data(item, title="", revision=1), HTTP_HX_REQUEST="true")

    form_html = form.content.decode().strip()
    saved_html = saved.content.decode().strip()
    invalid_html = invalid.content.decode().strip()
    assert form_html.startswith(f'<li id="item-{item.pk}" class="edit-item">')
    assert f'hx-post="{url}"' in form_html
    assert "<html" not in form_html
    assert saved.status_code == 200
    assert saved_html.startswith(f'<li id="item-{item.pk}" class="edit-item">')
    assert re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', saved_html) == ["Meer bomen!"]
    assert "<html" not in saved_html
    assert invalid.status_code == 400
    assert invalid_html.startswith(f'<li id="item-{item.pk}" class="edit-item">')
    assert errors_of(invalid) == ["This field is required."]
    assert AgendaItem.objects.get().title == "Meer bomen!"


def test_item_moved_to_another_theme_with_htmx_moves_on_the_page(
    client, team_member, agenda, theme
):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen")
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Betaalbaar wonen")
    groen = ThemeFactory(name="Groen", slug="groen", position=2)
    client.force_login(team_member)

    saved = client.post(
        f"/wijkagendas/noord/ambities/{item.pk}/bewerken/",
        item_data(item, theme=groen.pk),
        HTTP_HX_REQUEST="true",
    )

    html = saved.content.decode()
    themes = {
        name: re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', section)
        for name, section in re.findall(
            r'<section id="theme-\d+".*?<h3[^>]*>([^<]*)</h3>(.*?)</section>', html, re.S
        )
    }
    assert saved.status_code == 200
    assert (saved["HX-Retarget"], saved["HX-Reswap"]) == ("#agenda-items", "outerHTML")
    assert html.strip().startswith('<section id="agenda-items"')
    assert themes == {"Wonen": ["Betaalbaar wonen"], "Groen": ["Meer bomen"]}
    assert re.findall(r'<li id="item-(\d+)"[^>]*>(?:(?!</li>).)*role="status"', html, re.S) == [
        str(item.pk)
    ]


def test_item_edit_stale_form_is_refused_with_the_other_change(
    client, team_member, staff, agenda, theme
):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen")
    url = f"/wijkagendas/noord/ambities/{item.pk}/bewerken/"
    first = Client()
    first.force_login(staff)
    first.post(url, item_data(item, description="Twintig bomen."))
    client.force_login(team_member)

    response = client.post(url, item_data(item, description="Dertig bomen."))

    item.refresh_from_db()
    content = response.content.decode()
    assert response.status_code == 409
    assert item.description == "Twintig bomen."
    changes = re.findall(r'<ul class="conflict__changes">(.*?)</ul>', content, re.S)
    assert [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in changes] == [
        "Description: from “” to “Twintig bomen.”"
    ]
    assert ">\nDertig bomen.</textarea>" in content


def test_item_move_swaps_with_its_neighbour_in_the_theme(client, team_member, agenda, theme):
    first = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Eerste", position=1)
    second = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Tweede", position=5)
    client.force_login(team_member)

    response = client.post(
        f"/wijkagendas/noord/ambities/{second.pk}/verplaatsen/",
        {"direction": "up", "revision": 0},
    )

    assert response.status_code == 302
    assert list(AgendaItem.objects.for_list().values_list("title", "position")) == [
        ("Tweede", 1),
        ("Eerste", 5),
    ]
    assert sorted(
        (r.object_id, r.changes["position"]["new"]) for r in ChangeRecord.objects.all()
    ) == sorted([(first.pk, 5), (second.pk, 1)])


def test_item_move_htmx_returns_the_theme_fragment(client, team_member, agenda, theme):
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Eerste", position=1)
    second = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Tweede", position=1)
    client.force_login(team_member)

    response = client.post(
        f"/wijkagendas/noord/ambities/{second.pk}/verplaatsen/",
        {"direction": "up", "revision": 0},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith(f'<section id="theme-{theme.pk}"')
    assert "<html" not in content
    assert re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', content) == [
        "Tweede",
        "Eerste",
    ]


def test_item_move_refuses_a_bad_direction_and_a_stale_revision(client, team_member, agenda, theme):
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Eerste", position=1)
    second = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Tweede", position=2)
    client.force_login(team_member)
    url = f"/wijkagendas/noord/ambities/{second.pk}/verplaatsen/"

    sideways = client.post(url, {"direction": "sideways", "revision": 0}, HTTP_HX_REQUEST="true")
    stale = client.post(url, {"direction": "up", "revision": 3}, HTTP_HX_REQUEST="true")

    assert (sideways.status_code, stale.status_code) == (400, 409)
    assert "Someone else saved this in the meantime" in stale.content.decode()
    assert list(AgendaItem.objects.for_list().values_list("title", flat=True)) == [
        "Eerste",
        "Tweede",
    ]
    assert ChangeRecord.objects.count() == 0


def test_item_delete_removes_it_and_keeps_a_record(client, team_member, agenda, theme):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Oud plan")
    client.force_login(team_member)
    url = f"/wijkagendas/noord/ambities/{item.pk}/verwijderen/"

    confirm = client.get(url)
    response = client.post(url, {"revision": 0})

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/wijkagendas/noord/ambities/"
    assert AgendaItem.objects.count() == 0
    record = ChangeRecord.objects.get()
    assert (record.kind, record.object_label, record.wijkagenda) == ("deleted", "Oud plan", agenda)


def test_item_delete_htmx_returns_the_theme_without_it(client, team_member, agenda, theme):
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Blijft")
    gone = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Weg")
    client.force_login(team_member)

    response = client.post(
        f"/wijkagendas/noord/ambities/{gone.pk}/verwijderen/",
        {"revision": 0},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.startswith(f'<section id="theme-{theme.pk}"')
    assert re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', content) == ["Blijft"]


def test_item_delete_of_a_changed_item_is_refused(client, team_member, agenda, theme):
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Veranderd")
    AgendaItem.objects.filter(pk=item.pk).update(revision=2)
    client.force_login(team_member)

    response = client.post(f"/wijkagendas/noord/ambities/{item.pk}/verwijderen/", {"revision": 0})

    assert response.status_code == 409
    assert AgendaItem.objects.count() == 1
    assert ChangeRecord.objects.count() == 0


# ---- vision -----------------------------------------------------------------------------------


def test_vision_edit_creates_a_draft_vision(client, team_member, gebiedsteam):
    client.force_login(team_member)

    response = client.post(
        "/gebieden/noord/visie/bewerken/",
        {"title": "Noord in 2035", "body": "Een wijk waar iedereen meedoet.", "horizon_year": 2035},
    )

    vision = Vision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/gebieden/noord/visie/bewerken/"
    assert (vision.gebiedsteam, vision.title, vision.horizon_year, vision.status) == (
        gebiedsteam,
        "Noord in 2035",
        2035,
        "draft",
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.wijkagenda, record.gebiedsteam) == ("created", None, gebiedsteam)


def test_vision_edit_and_publish_archive_the_earlier_one(client, team_member, gebiedsteam):
    old = VisionFactory(gebiedsteam=gebiedsteam, title="Oud", status="published")
    Vision.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=9))
    new = VisionFactory(gebiedsteam=gebiedsteam, title="Nieuw", status="draft")
    client.force_login(team_member)

    edited = client.post(
        "/gebieden/noord/visie/bewerken/",
        {"title": "Noord in 2040", "body": new.body, "horizon_year": 2040, "revision": 0},
    )
    published = client.post("/gebieden/noord/visie/publiceren/", {"revision": 1})

    new.refresh_from_db()
    old.refresh_from_db()
    assert (edited.status_code, published.status_code) == (302, 302)
    assert published["Location"] == "/gebieden/noord/"
    assert (new.title, new.horizon_year, new.status, new.revision) == (
        "Noord in 2040",
        2040,
        "published",
        2,
    )
    assert old.status == "archived"


def test_vision_edit_refuses_a_horizon_in_the_past(client, team_member, gebiedsteam):
    client.force_login(team_member)

    response = client.post(
        "/gebieden/noord/visie/bewerken/",
        {"title": "Terug", "body": "Tekst.", "horizon_year": 1999},
        HTTP_HX_REQUEST="true",
    )

    this_year = dt.date.today().year  # noqa: DTZ011 — only the year is compared
    content = response.content.decode().strip()
    assert response.status_code == 400
    assert content.startswith('<div id="vision">')
    assert errors_of(response) == [f"Choose a year from {this_year} to {this_year + 30}."]
    assert Vision.objects.count() == 0


def test_vision_edit_stale_form_is_refused(client, team_member, staff, gebiedsteam):
    vision = VisionFactory(gebiedsteam=gebiedsteam, title="Visie", status="draft")
    opened = {"title": "Visie", "body": vision.body, "horizon_year": 2034, "revision": 0}
    first = Client()
    first.force_login(staff)
    first.post("/gebieden/noord/visie/bewerken/", {**opened, "title": "Visie van Bea"})
    client.force_login(team_member)

    response = client.post("/gebieden/noord/visie/bewerken/", {**opened, "title": "Van Rina"})

    vision.refresh_from_db()
    assert response.status_code == 409
    assert vision.title == "Visie van Bea"
    assert "Title: from “Visie” to “Visie van Bea”" in " ".join(
        re.sub(r"<[^>]+>", " ", response.content.decode()).split()
    )


def test_vision_of_an_unknown_gebied_is_404(client, team_member):
    client.force_login(team_member)

    assert client.get("/gebieden/atlantis/visie/bewerken/").status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member"])
def test_vision_edit_is_403_for_others(client, request, gebiedsteam, role):
    vision = VisionFactory(gebiedsteam=gebiedsteam, title="Visie", status="published")
    client.force_login(request.getfixturevalue(role))

    get = client.get("/gebieden/noord/visie/bewerken/")
    post = client.post(
        "/gebieden/noord/visie/bewerken/",
        {"title": "Gekaapt", "body": "x", "horizon_year": 2035, "revision": 0},
    )
    publish = client.post("/gebieden/noord/visie/publiceren/", {"revision": 0})

    vision.refresh_from_db()
    assert (get.status_code, post.status_code, publish.status_code) == (403, 403, 403)
    assert vision.title == "Visie"
