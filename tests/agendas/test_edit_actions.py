from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from agendas.models import Action, ChangeRecord, Plan, ProgressUpdate
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    PlanFactory,
    WijkagendaFactory,
)
from tests.helpers import ELSEWHERE, INSIDE, errors_of, revision_in, signed_in, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]

NOWHERE = ("4.50", "52.30")  # in no wijk at all


@pytest.fixture
def agenda(gebiedsteam, wijk, other_wijk):
    return WijkagendaFactory(title="Wijkagenda Noord", gebiedsteam=gebiedsteam, wijken=[wijk])


@pytest.fixture
def draft_agenda(gebiedsteam, wijk):
    return WijkagendaFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], status="draft", published_at=None
    )


@pytest.fixture
def plan(agenda):
    return PlanFactory(wijkagenda=agenda, title="Uitvoeringsplan 2025")


@pytest.fixture
def action(plan, owner):
    return ActionFactory(
        plan=plan, owner_organisation=owner, title="Speeltuin opknappen", progress=40
    )


@pytest.fixture
def draft_action(draft_agenda, owner):
    return ActionFactory(plan=PlanFactory(wijkagenda=draft_agenda), owner_organisation=owner)


def action_data(action_or_none=None, **changes) -> dict:
    data = {
        "title": "Speeltuin opknappen met bewoners",
        "description": "Samen met de buurt.",
        "agenda_item": "",
        "owner_organisation": "",
        "contact_name": "Rina",
        "contact_email": "rina@example.org",
        "start_date": "2025-04-01",
        "due_date": "2025-10-31",
        "status": "in_progress",
        "progress": "55",
        "budget": "12500.50",
        "longitude": "",
        "latitude": "",
    }
    if action_or_none is not None:
        data["agenda_item"] = str(action_or_none.agenda_item_id)
        data["owner_organisation"] = str(action_or_none.owner_organisation_id)
        data["revision"] = str(action_or_none.revision)
    data.update(changes)
    return data


# ---- Plans ------------------------------------------------------------------------------


def test_plan_create_saves_the_plan_and_records_its_creation(team_member, agenda):
    response = signed_in(team_member).post(
        f"/wijkagendas/{agenda.slug}/plannen/nieuw/",
        {
            "title": "  Uitvoeringsplan   2026 ",
            "description": "Wat we in 2026 doen.",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )

    plan = Plan.objects.get(wijkagenda=agenda)
    assert response.status_code == 302
    assert response["Location"] == f"/plannen/{plan.pk}/bewerken/"
    assert (plan.title, plan.description, plan.period_start, plan.period_end, plan.revision) == (
        "Uitvoeringsplan 2026",
        "Wat we in 2026 doen.",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        0,
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.wijkagenda, record.object_id) == (
        "created",
        team_member,
        agenda,
        plan.pk,
    )
    assert record.changes["title"] == {"old": None, "new": "Uitvoeringsplan 2026"}


def test_plan_edit_saves_and_records_the_change(team_member, plan):
    client = signed_in(team_member)
    revision = revision_in(client.get(f"/plannen/{plan.pk}/bewerken/"))

    response = client.post(
        f"/plannen/{plan.pk}/bewerken/",
        {
            "title": "Uitvoeringsplan 2025-2026",
            "description": "",
            "period_start": "2025-01-01",
            "period_end": "2026-06-30",
            "revision": revision,
        },
    )

    plan.refresh_from_db()
    assert response.status_code == 302
    assert (plan.title, plan.period_end, plan.revision) == (
        "Uitvoeringsplan 2025-2026",
        dt.date(2026, 6, 30),
        1,
    )
    assert ChangeRecord.objects.get().changes == {
        "title": {"old": "Uitvoeringsplan 2025", "new": "Uitvoeringsplan 2025-2026"},
        "period_end": {"old": "2026-12-31", "new": "2026-06-30"},
    }


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-12-31", "2026-01-01", "The end of the period lies before its start."),
        ("1850-01-01", "2026-01-01", "Choose a date between 2000 and 2100."),
        ("2025-01-01", "2040-01-01", "A plan covers at most 10 years."),
        ("2025-01-01", "geen datum", "Enter a valid date."),
    ],
)
def test_plan_create_refuses_a_bad_period(team_member, agenda, start, end, message):
    response = signed_in(team_member).post(
        f"/wijkagendas/{agenda.slug}/plannen/nieuw/",
        {"title": "Plan", "period_start": start, "period_end": end},
    )

    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert (Plan.objects.count(), ChangeRecord.objects.count()) == (0, 0)


def test_plan_create_without_title_says_so_next_to_the_field(team_member, agenda):
    response = signed_in(team_member).post(
        f"/wijkagendas/{agenda.slug}/plannen/nieuw/",
        {"title": "", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )

    assert response.status_code == 400
    assert errors_of(response) == ["This field is required."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert Plan.objects.count() == 0


def test_plan_views_answer_404_outside_the_users_scope(other_team_member, draft_agenda):
    draft_plan = PlanFactory(wijkagenda=draft_agenda)
    client = signed_in(other_team_member)

    assert client.get(f"/wijkagendas/{draft_agenda.slug}/plannen/nieuw/").status_code == 404
    assert client.get(f"/plannen/{draft_plan.pk}/bewerken/").status_code == 404
    assert client.post(f"/plannen/{draft_plan.pk}/bewerken/", {"title": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member", "owner_staff"])
def test_plan_views_answer_403_to_who_may_not_change_them(request, role, plan):
    client = signed_in(request.getfixturevalue(role))

    create = client.post(
        f"/wijkagendas/{plan.wijkagenda.slug}/plannen/nieuw/",
        {"title": "Plan", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    edit = client.post(f"/plannen/{plan.pk}/bewerken/", {"title": "Overgenomen", "revision": 0})

    assert (create.status_code, edit.status_code) == (403, 403)
    assert (Plan.objects.count(), Plan.objects.get().title) == (1, "Uitvoeringsplan 2025")


def test_plan_edit_with_htmx_returns_the_form_fragment(team_member, plan):
    response = signed_in(team_member).post(
        f"/plannen/{plan.pk}/bewerken/",
        {
            "title": "Plan met htmx",
            "period_start": "2025-01-01",
            "period_end": "2026-12-31",
            "revision": 0,
        },
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="plan-form"')
    assert "<html" not in body
    assert "The plan has been saved." in body
    assert revision_in(response) == 1


def test_plan_edit_refuses_the_later_of_two_concurrent_saves(team_member, staff, plan):
    first, second = signed_in(team_member), signed_in(staff)
    rev_first = revision_in(first.get(f"/plannen/{plan.pk}/bewerken/"))
    rev_second = revision_in(second.get(f"/plannen/{plan.pk}/bewerken/"))
    data = {"period_start": "2025-01-01", "period_end": "2026-12-31"}

    first.post(f"/plannen/{plan.pk}/bewerken/", {**data, "title": "Eerste", "revision": rev_first})
    refused = second.post(
        f"/plannen/{plan.pk}/bewerken/", {**data, "title": "Tweede", "revision": rev_second}
    )

    plan.refresh_from_db()
    assert refused.status_code == 409
    assert (plan.title, plan.revision) == ("Eerste", 1)
    assert "Regisseur Rina saved it on" in refused.content.decode()
    assert revision_in(refused) == 1
    assert ChangeRecord.objects.count() == 1


# ---- Actions ----------------------------------------------------------------------------


def test_action_create_saves_exact_values_and_records_them(team_member, plan, owner, wijk):
    item = AgendaItemFactory(wijkagenda=plan.wijkagenda, title="Meer groen")
    data = action_data(
        agenda_item=str(item.pk),
        owner_organisation=str(owner.pk),
        longitude=INSIDE[0],
        latitude=INSIDE[1],
    )

    response = signed_in(team_member).post(f"/plannen/{plan.pk}/acties/nieuw/", data)

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/acties/{action.pk}/bewerken/"
    assert (
        action.plan,
        action.title,
        action.agenda_item,
        action.owner_organisation,
        action.contact_email,
        action.start_date,
        action.due_date,
        action.status,
        action.progress,
        action.budget,
        action.longitude,
        action.latitude,
    ) == (
        plan,
        "Speeltuin opknappen met bewoners",
        item,
        owner,
        "rina@example.org",
        dt.date(2025, 4, 1),
        dt.date(2025, 10, 31),
        "in_progress",
        55,
        Decimal("12500.50"),
        5.05,
        51.55,
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.object_id) == ("created", team_member, action.pk)
    assert record.changes["owner_organisation"] == {"old": None, "new": "ContourdeTwern"}


def test_action_edit_saves_exact_values_records_the_change_and_names_the_wijk(team_member, action):
    client = signed_in(team_member)
    revision = revision_in(client.get(f"/acties/{action.pk}/bewerken/"))
    data = action_data(action, longitude=INSIDE[0], latitude=INSIDE[1], revision=str(revision))

    response = client.post(f"/acties/{action.pk}/bewerken/", data)

    action.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/acties/{action.pk}/"
    assert (action.title, action.progress, action.budget, action.longitude, action.revision) == (
        "Speeltuin opknappen met bewoners",
        55,
        Decimal("12500.50"),
        5.05,
        1,
    )
    record = ChangeRecord.objects.get()
    assert (record.kind, record.author, record.revision) == ("changed", team_member, 1)
    assert record.changes["progress"] == {"old": 40, "new": 55}
    assert record.changes["title"] == {
        "old": "Speeltuin opknappen",
        "new": "Speeltuin opknappen met bewoners",
    }
    page = client.get(f"/acties/{action.pk}/bewerken/").content.decode()
    assert "This location lies in the wijk Quirijnstok." in page


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"due_date": "2025-01-01"}, "The due date lies before the start date."),
        ({"progress": "101"}, "Progress lies between 0 and 100%."),
        ({"progress": "-5"}, "Progress lies between 0 and 100%."),
        ({"budget": "-1"}, "A budget cannot be negative."),
        (
            {"longitude": ELSEWHERE[0], "latitude": ELSEWHERE[1]},
            "This location lies outside the wijken of this agenda.",
        ),
        (
            {"longitude": NOWHERE[0], "latitude": NOWHERE[1]},
            "This location lies outside the wijken of this agenda.",
        ),
        ({"longitude": "5.05", "latitude": ""}, "Give both longitude and latitude, or neither."),
        (
            {"owner_organisation": "999999"},
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ({"title": ""}, "This field is required."),
        ({"contact_email": "geen-adres"}, "Enter a valid email address."),
    ],
)
def test_action_edit_refuses_bad_input_and_saves_nothing(
    team_member, action, changes, field_message
):
    before = Action.objects.values().get(pk=action.pk)

    response = signed_in(team_member).post(
        f"/acties/{action.pk}/bewerken/", action_data(action, **changes)
    )

    assert response.status_code == 400
    assert errors_of(response) == [field_message]
    assert Action.objects.values().get(pk=action.pk) == before
    assert ChangeRecord.objects.count() == 0


def test_action_create_refuses_an_agenda_item_of_another_agenda(team_member, plan, owner):
    foreign_item = AgendaItemFactory(
        wijkagenda=WijkagendaFactory(gebiedsteam=plan.wijkagenda.gebiedsteam)
    )
    data = action_data(agenda_item=str(foreign_item.pk), owner_organisation=str(owner.pk))

    response = signed_in(team_member).post(f"/plannen/{plan.pk}/acties/nieuw/", data)

    assert response.status_code == 400
    assert errors_of(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert (Action.objects.count(), ChangeRecord.objects.count()) == (0, 0)


def test_action_views_answer_404_outside_the_users_scope(other_team_member, draft_action):
    client = signed_in(other_team_member)
    urls = [
        f"/acties/{draft_action.pk}/bewerken/",
        f"/acties/{draft_action.pk}/status/",
        f"/acties/{draft_action.pk}/voortgang/",
        f"/plannen/{draft_action.plan_id}/acties/nieuw/",
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert [client.post(url, {"title": "x"}).status_code for url in urls] == [404, 404, 404, 404]
    assert (ProgressUpdate.objects.count(), ChangeRecord.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "role", ["resident", "council_member", "other_team_member", "other_staff", "owner_staff"]
)
def test_action_edits_answer_403_to_who_may_not_change_the_action(request, role, action):
    client = signed_in(request.getfixturevalue(role))
    before = Action.objects.values().get(pk=action.pk)

    responses = [
        client.get(f"/acties/{action.pk}/bewerken/"),
        client.post(f"/acties/{action.pk}/bewerken/", action_data(action)),
        client.post(
            f"/acties/{action.pk}/status/",
            {
                f"action-{action.pk}-status": "done",
                f"action-{action.pk}-progress": "100",
                f"action-{action.pk}-revision": "0",
            },
        ),
        client.post(f"/plannen/{action.plan_id}/acties/nieuw/", action_data(action)),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert Action.objects.values().get(pk=action.pk) == before
    assert (Action.objects.count(), ChangeRecord.objects.count()) == (1, 0)


def test_action_edit_with_htmx_returns_the_form_fragment(team_member, action):
    response = signed_in(team_member).post(
        f"/acties/{action.pk}/bewerken/", action_data(action), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="action-form"')
    assert "<html" not in body
    assert "The action has been saved." in body
    assert revision_in(response) == 1


def test_action_edit_with_htmx_and_bad_input_returns_the_fragment_with_errors(team_member, action):
    response = signed_in(team_member).post(
        f"/acties/{action.pk}/bewerken/",
        action_data(action, progress="250"),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<div id="action-form"')
    assert "<html" not in body
    assert errors_of(response) == ["Progress lies between 0 and 100%."]


def test_concurrent_edits_of_one_action_refuse_the_later_save_and_lose_nothing(
    team_member, staff, action
):
    first, second = signed_in(team_member), signed_in(staff)
    # Both open the form at the same revision.
    rev_first = revision_in(first.get(f"/acties/{action.pk}/bewerken/"))
    rev_second = revision_in(second.get(f"/acties/{action.pk}/bewerken/"))
    assert rev_first == rev_second == 0

    saved = first.post(
        f"/acties/{action.pk}/bewerken/", action_data(action, progress="70", status="delayed")
    )
    refused = second.post(
        f"/acties/{action.pk}/bewerken/", action_data(action, progress="90", title="Anders")
    )

    action.refresh_from_db()
    body = refused.content.decode()
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert (action.progress, action.status, action.title, action.revision) == (
        70,
        "delayed",
        "Speeltuin opknappen met bewoners",
        1,
    )
    assert "Someone else saved this in the meantime" in body
    assert "Regisseur Rina saved it on" in body
    assert "progress (%): from “40” to “70”" in body
    assert "status: from “in progress” to “delayed”" in body
    # The second person's input is kept in the form, now at the current revision.
    assert 'value="Anders"' in body
    assert revision_in(refused) == 1
    assert list(ChangeRecord.objects.values_list("author__email", "revision")) == [
        ("regisseur@example.org", 1)
    ]


def test_action_status_inline_with_htmx_swaps_only_the_action(team_member, action):
    prefix = f"action-{action.pk}"
    response = signed_in(team_member).post(
        f"/acties/{action.pk}/status/",
        {f"{prefix}-status": "done", f"{prefix}-progress": "100", f"{prefix}-revision": "0"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    action.refresh_from_db()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="action-inline" id="action-{action.pk}"')
    assert "<html" not in body
    assert (action.status, action.progress, action.revision) == ("done", 100, 1)
    assert ChangeRecord.objects.get().changes == {
        "status": {"old": "in progress", "new": "done"},
        "progress": {"old": 40, "new": 100},
    }


def test_action_status_saved_with_htmx_replaces_every_row_of_the_action_out_of_band(
    team_member, action
):
    prefix = f"action-{action.pk}"
    response = signed_in(team_member).post(
        f"/acties/{action.pk}/status/",
        {f"{prefix}-status": "delayed", f"{prefix}-progress": "45", f"{prefix}-revision": "0"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    root = re.match(r"\s*(<div [^>]*>)", body)
    assert root is not None
    assert root.group(1) == (
        f'<div class="action-inline" id="action-{action.pk}" data-action-row="{action.pk}" '
        f"hx-swap-oob=\"outerHTML:[data-action-row='{action.pk}']\">"
    )
    # The row's summary shows the new status and progress; its form the new revision.
    assert texts_of(response, "status") == ["delayed"]
    assert texts_of(response, "action__progress-value") == ["45%"]
    assert revision_in(response) == 1
    assert (response["HX-Reswap"], json.loads(response["HX-Trigger"])) == (
        "none",
        {"action-saved": {"action": action.pk}},
    )


def test_action_status_refused_with_htmx_answers_into_its_own_row_only(team_member, action):
    prefix = f"action-{action.pk}"
    response = signed_in(team_member).post(
        f"/acties/{action.pk}/status/",
        {f"{prefix}-status": "done", f"{prefix}-progress": "250", f"{prefix}-revision": "0"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert errors_of(response) == ["Progress lies between 0 and 100%."]
    assert "hx-swap-oob" not in body
    assert ("HX-Reswap" in response, "HX-Trigger" in response) == (False, False)


def test_action_status_form_answers_into_the_row_it_is_in(team_member, action, plan):
    body = signed_in(team_member).get(f"/plannen/{plan.pk}/bewerken/").content.decode()

    forms = re.findall(r'<form class="inline" [^>]*hx-post="/acties/[^>]*>', body)
    assert forms == [
        f'<form class="inline" method="post" action="/acties/{action.pk}/status/" '
        f'hx-post="/acties/{action.pk}/status/" hx-target="closest .action-inline" '
        'hx-swap="outerHTML">'
    ]


def test_action_status_plain_post_redirects_to_a_safe_next_page(team_member, action):
    prefix = f"action-{action.pk}"
    client = signed_in(team_member)
    data = {f"{prefix}-status": "delayed", f"{prefix}-progress": "45", f"{prefix}-revision": "0"}

    to_workspace = client.post(f"/acties/{action.pk}/status/", {**data, "next": "/werkplek/"})
    data[f"{prefix}-revision"] = "1"
    data[f"{prefix}-progress"] = "46"
    offsite = client.post(f"/acties/{action.pk}/status/", {**data, "next": "https://evil.example/"})

    assert (to_workspace.status_code, to_workspace["Location"]) == (302, "/werkplek/")
    assert (offsite.status_code, offsite["Location"]) == (302, f"/acties/{action.pk}/")


def test_action_status_stale_inline_edit_is_refused_with_409(team_member, staff, action):
    prefix = f"action-{action.pk}"
    data = {f"{prefix}-status": "done", f"{prefix}-progress": "100", f"{prefix}-revision": "0"}
    signed_in(staff).post(f"/acties/{action.pk}/status/", {**data, f"{prefix}-progress": "80"})

    refused = signed_in(team_member).post(
        f"/acties/{action.pk}/status/", data, HTTP_HX_REQUEST="true"
    )

    action.refresh_from_db()
    assert refused.status_code == 409
    assert "Beheer Bea saved it on" in refused.content.decode()
    assert (action.progress, action.revision) == (80, 1)


def test_edit_views_send_anonymous_users_to_sign_in(action):
    response = Client().get(f"/acties/{action.pk}/bewerken/")

    assert response.status_code == 302
    assert "next=/acties/" in response["Location"]


def test_edit_views_refuse_a_post_without_csrf_token(team_member, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)

    response = client.post(f"/acties/{action.pk}/bewerken/", action_data(action))

    action.refresh_from_db()
    assert response.status_code == 403
    assert (action.title, ChangeRecord.objects.count()) == ("Speeltuin opknappen", 0)


# ---- Progress updates -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["team_member", "owner_staff"])
def test_progress_update_is_saved_moves_the_action_and_shows_on_the_public_pages(
    request, role, action, wijk
):
    user = request.getfixturevalue(role)
    client = signed_in(user)
    revision = revision_in(client.get(f"/acties/{action.pk}/voortgang/"))

    response = client.post(
        f"/acties/{action.pk}/voortgang/",
        {
            "text": "  De speeltuin is open!  ",
            "status": "done",
            "progress": "100",
            "is_result": "on",
            "revision": revision,
        },
    )

    update = ProgressUpdate.objects.get()
    action.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/acties/{action.pk}/"
    assert (
        update.action,
        update.author,
        update.text,
        update.status,
        update.progress,
        update.is_result,
    ) == (
        action,
        user,
        "De speeltuin is open!",
        "done",
        100,
        True,
    )
    assert (action.status, action.progress, action.revision) == ("done", 100, 1)
    assert action.last_progress_at == update.created_at or abs(
        action.last_progress_at - update.created_at
    ) < dt.timedelta(seconds=5)
    record = ChangeRecord.objects.get()
    assert (record.author, sorted(record.changes)) == (
        user,
        ["last_progress_at", "progress", "status"],
    )
    public = Client().get(f"/acties/{action.pk}/").content.decode()
    assert "De speeltuin is open!" in public
    wijk_page = Client().get(f"/wijken/{wijk.slug}/").content.decode()
    assert "De speeltuin is open!" in wijk_page


@pytest.mark.parametrize("role", ["resident", "council_member", "other_team_member", "other_staff"])
def test_progress_update_answers_403_to_who_may_not_report(request, role, action):
    client = signed_in(request.getfixturevalue(role))

    responses = [
        client.get(f"/acties/{action.pk}/voortgang/"),
        client.post(
            f"/acties/{action.pk}/voortgang/",
            {"text": "Klaar", "status": "done", "progress": "100", "revision": "0"},
        ),
    ]

    assert [response.status_code for response in responses] == [403, 403]
    assert (ProgressUpdate.objects.count(), Action.objects.get().progress) == (0, 40)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": "120"}, "Progress lies between 0 and 100%."),
        ({"text": "   "}, "This field is required."),
        (
            {"status": "vergeten"},
            "Select a valid choice. vergeten is not one of the available choices.",
        ),
    ],
)
def test_progress_update_refuses_bad_input(team_member, action, changes, message):
    data = {
        "text": "Bijna klaar",
        "status": "in_progress",
        "progress": "90",
        "revision": "0",
        **changes,
    }

    response = signed_in(team_member).post(f"/acties/{action.pk}/voortgang/", data)

    action.refresh_from_db()
    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert (ProgressUpdate.objects.count(), action.progress, action.revision) == (0, 40, 0)


def test_progress_update_on_an_action_changed_meanwhile_is_refused(
    team_member, owner_staff, action
):
    reporter = signed_in(owner_staff)
    revision = revision_in(reporter.get(f"/acties/{action.pk}/voortgang/"))
    signed_in(team_member).post(
        f"/acties/{action.pk}/bewerken/", action_data(action, progress="60")
    )

    refused = reporter.post(
        f"/acties/{action.pk}/voortgang/",
        {"text": "Half af", "status": "in_progress", "progress": "50", "revision": revision},
    )

    action.refresh_from_db()
    body = refused.content.decode()
    assert refused.status_code == 409
    assert "progress (%): from “40” to “60”" in body
    assert "Half af" in body
    assert (ProgressUpdate.objects.count(), action.progress, action.revision) == (0, 60, 1)


def submit_token_in(response) -> str:
    match = re.search(r'name="submit_token" value="([0-9a-f-]{36})"', response.content.decode())
    assert match, "the form carries no submit token"
    return match.group(1)


def test_progress_update_sent_twice_is_stored_once_and_answered_as_saved(owner_staff, action):
    client = signed_in(owner_staff)
    form = client.get(f"/acties/{action.pk}/voortgang/")
    data = {
        "text": "Eerste schop in de grond",
        "status": "in_progress",
        "progress": "50",
        "revision": revision_in(form),
        "submit_token": submit_token_in(form),
    }

    first = client.post(f"/acties/{action.pk}/voortgang/", data)
    again = client.post(f"/acties/{action.pk}/voortgang/", data)

    action.refresh_from_db()
    # The second answer is the first one's: no error, although the action moved on.
    assert [(r.status_code, r["Location"]) for r in (first, again)] == [
        (302, f"/acties/{action.pk}/"),
        (302, f"/acties/{action.pk}/"),
    ]
    assert list(ProgressUpdate.objects.values_list("text", "author")) == [
        ("Eerste schop in de grond", owner_staff.pk)
    ]
    assert (action.progress, action.revision, ChangeRecord.objects.count()) == (50, 1, 1)


def test_progress_update_sent_twice_with_htmx_answers_the_saved_fragment(owner_staff, action):
    client = signed_in(owner_staff)
    form = client.get(f"/acties/{action.pk}/voortgang/")
    data = {
        "text": "Halverwege",
        "status": "in_progress",
        "progress": "55",
        "revision": revision_in(form),
        "submit_token": submit_token_in(form),
    }

    first = client.post(f"/acties/{action.pk}/voortgang/", data, HTTP_HX_REQUEST="true")
    again = client.post(f"/acties/{action.pk}/voortgang/", data, HTTP_HX_REQUEST="true")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content.decode().lstrip().startswith('<div id="progress-form"')
    assert again.context["saved"] is True
    # The fresh form of each answer carries a token of its own.
    assert submit_token_in(again) not in (data["submit_token"], submit_token_in(first))
    assert ProgressUpdate.objects.count() == 1


def test_progress_update_tokens_are_per_author(owner_staff, team_member, action):
    token = "7f1c8a52-3c7e-4a55-9e59-1c0c2b1f0a11"
    data = {"text": "Gezien", "status": "in_progress", "progress": "50", "submit_token": token}
    staff = signed_in(owner_staff)

    # The same token sent twice by one author, and once by another (who cannot know it,
    # but a token is no secret): one report each.
    responses = [
        staff.post(f"/acties/{action.pk}/voortgang/", {**data, "revision": 0}),
        staff.post(f"/acties/{action.pk}/voortgang/", {**data, "revision": 0}),
        signed_in(team_member).post(f"/acties/{action.pk}/voortgang/", {**data, "revision": 1}),
    ]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert sorted(ProgressUpdate.objects.values_list("author", flat=True)) == sorted(
        [owner_staff.pk, team_member.pk]
    )


def selected_status(body: str) -> list[str]:
    select = re.search(r'<select name="status".*?</select>', body, re.S)
    assert select, "the form has no status"
    return re.findall(r'<option value="(\w+)" selected>', select.group(0))


def progress_value(body: str) -> str | None:
    field = re.search(r'<input type="number" name="progress"[^>]*>', body)
    assert field, "the form has no progress"
    value = re.search(r'value="(\d+)"', field.group(0))
    return value.group(1) if value else None


def test_progress_form_starts_from_the_actions_status_and_progress(owner_staff, action):
    action.status = "delayed"
    action.save(update_fields=["status"])

    body = signed_in(owner_staff).get(f"/acties/{action.pk}/voortgang/").content.decode()

    assert (selected_status(body), progress_value(body)) == (["delayed"], "40")


def test_progress_form_after_a_report_starts_from_the_new_status_and_progress(owner_staff, action):
    response = signed_in(owner_staff).post(
        f"/acties/{action.pk}/voortgang/",
        {"text": "Halverwege", "status": "in_progress", "progress": "55", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert (selected_status(body), progress_value(body)) == (["in_progress"], "55")
    assert errors_of(response) == []


def test_progress_update_with_htmx_returns_the_fragment(owner_staff, action):
    response = signed_in(owner_staff).post(
        f"/acties/{action.pk}/voortgang/",
        {
            "text": "Eerste schop in de grond",
            "status": "in_progress",
            "progress": "50",
            "revision": "0",
        },
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="progress-form"')
    assert "<html" not in body
    assert "Thank you: the progress has been reported." in body
    assert "Eerste schop in de grond" in body
    assert revision_in(response) == 1


# ---- Meetings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("team_member", ["Report progress", "Edit the action"]),
        ("owner_staff", ["Report progress"]),
        ("other_staff", []),
        ("resident", []),
    ],
)
def test_action_page_links_to_the_edits_the_user_may_make(request, role, links, action):
    response = signed_in(request.getfixturevalue(role)).get(f"/acties/{action.pk}/")

    found = re.findall(
        r'<a [^>]*href="/acties/\d+/(?:voortgang|bewerken)/"[^>]*>([^<]+)</a>',
        response.content.decode(),
    )
    assert response.status_code == 200
    assert found == links


def test_create_pages_show_their_forms_with_the_map_picker(team_member, plan, gebiedsteam, wijk):
    client = signed_in(team_member)

    plan_page = client.get(f"/wijkagendas/{plan.wijkagenda.slug}/plannen/nieuw/")
    action_page = client.get(f"/plannen/{plan.pk}/acties/nieuw/")
    meeting_page = client.get(f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/")

    assert [page.status_code for page in (plan_page, action_page, meeting_page)] == [200] * 3
    assert 'action="/plannen/' in action_page.content.decode()
    for page in (action_page, meeting_page):
        body = page.content.decode()
        assert 'data-location-picker data-wijken-id="picker-wijken"' in body
        assert '"name": "Quirijnstok"' in body
        assert 'name="revision"' not in body


def test_action_status_plain_post_with_a_bare_word_as_next_redirects_to_the_action(
    team_member, action
):
    prefix = f"action-{action.pk}"
    data = {f"{prefix}-status": "delayed", f"{prefix}-progress": "45", f"{prefix}-revision": "0"}

    response = signed_in(team_member).post(f"/acties/{action.pk}/status/", {**data, "next": "abc"})

    action.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/acties/{action.pk}/")
    assert (action.status, action.progress) == ("delayed", 45)
