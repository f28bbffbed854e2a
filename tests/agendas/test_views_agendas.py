from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agendas.models import Wijkagenda
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    GebiedsteamFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    WijkagendaFactory,
    WijkFactory,
    build_agenda_world,
    draft_agenda,
)
from tests.helpers import count_queries, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


# --- wijkagenda list -------------------------------------------------------------------------


def test_wijkagenda_list_shows_visible_agendas_with_wijken_and_item_counts(client, gebiedsteam):
    noord = WijkFactory(gebiedsteam=gebiedsteam, name="Noord-Oost")
    heikant = WijkFactory(gebiedsteam=gebiedsteam, name="Heikant")
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam, title="Agenda Noord", wijken=[noord, heikant]
    )
    AgendaItemFactory.create_batch(3, wijkagenda=agenda)
    draft_agenda(gebiedsteam, title="Concept Noord")

    response = client.get("/wijkagendas/")

    assert response.status_code == 200
    rows = [
        (a.title, a.item_count, [w.name for w in a.wijken.all()], a.gebiedsteam.name)
        for a in response.context["page_obj"]
    ]
    assert rows == [("Agenda Noord", 3, ["Heikant", "Noord-Oost"], "Noord")]


def test_wijkagenda_list_shows_own_drafts_to_the_team(client, gebiedsteam, team_member):
    WijkagendaFactory(gebiedsteam=gebiedsteam, title="Agenda Noord")
    draft_agenda(gebiedsteam, title="Concept Noord")
    draft_agenda(GebiedsteamFactory(), title="Concept elders")
    client.force_login(team_member)

    response = client.get("/wijkagendas/")

    assert [a.title for a in response.context["page_obj"]] == ["Agenda Noord", "Concept Noord"]


def test_wijkagenda_list_filters_by_gebied_and_kind(client, gebiedsteam, other_gebiedsteam):
    WijkagendaFactory(gebiedsteam=gebiedsteam, title="Noord wijk", kind="wijk")
    WijkagendaFactory(gebiedsteam=gebiedsteam, title="Noord dorp", kind="dorp")
    WijkagendaFactory(gebiedsteam=other_gebiedsteam, title="Reeshof wijk", kind="wijk")

    by_gebied = client.get("/wijkagendas/", {"gebied": "noord"})
    by_both = client.get("/wijkagendas/", {"gebied": "noord", "soort": "dorp"})
    by_kind = client.get("/wijkagendas/", {"soort": "wijk"})

    assert [a.title for a in by_gebied.context["page_obj"]] == ["Noord dorp", "Noord wijk"]
    assert [a.title for a in by_both.context["page_obj"]] == ["Noord dorp"]
    assert [a.title for a in by_kind.context["page_obj"]] == ["Noord wijk", "Reeshof wijk"]


@pytest.mark.parametrize("params", [{"gebied": "atlantis"}, {"soort": "stad"}])
def test_wijkagenda_list_unknown_filter_value_gives_empty_result_with_message(
    client, gebiedsteam, params
):
    WijkagendaFactory(gebiedsteam=gebiedsteam)

    response = client.get("/wijkagendas/", params)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []
    assert texts_of(response, "empty-state") == ["No agendas match these filters. Show all agendas"]


def test_wijkagenda_list_htmx_request_returns_only_the_results_fragment(client, gebiedsteam):
    WijkagendaFactory(gebiedsteam=gebiedsteam, title="Agenda Noord")
    WijkagendaFactory(gebiedsteam=GebiedsteamFactory(slug="west"), title="Agenda West")

    response = client.get("/wijkagendas/", {"gebied": "west"}, HTTP_HX_REQUEST="true")

    content = response.content.decode().strip()
    assert response.status_code == 200
    assert content.splitlines()[0] == (
        '<section id="agenda-results" aria-labelledby="agenda-results-heading">'
    )
    assert content.endswith("</section>")
    assert "<html" not in content
    assert texts_of(response, "result-count") == ["1 agenda found"]
    assert "HX-Request" in [value.strip() for value in response["Vary"].split(",")]


def test_wijkagenda_list_without_htmx_renders_the_whole_page(client, gebiedsteam):
    WijkagendaFactory(gebiedsteam=gebiedsteam)

    response = client.get("/wijkagendas/", {"gebied": "noord"})

    assert response.content.decode().startswith("<!doctype html>")
    assert texts_of(response, "result-count") == ["1 agenda found"]


@pytest.mark.parametrize(("page", "expected_number"), [("abc", 1), ("0", 2), ("999", 2), ("", 1)])
def test_wijkagenda_list_bad_page_numbers_fall_back_to_a_real_page(
    client, settings, gebiedsteam, page, expected_number
):
    settings.WIJKPORTAAL_PAGE_SIZE = 2
    for title in ["A", "B", "C"]:
        WijkagendaFactory(gebiedsteam=gebiedsteam, title=title)

    response = client.get("/wijkagendas/", {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_number


def test_wijkagenda_list_second_page_shows_the_rest(client, settings, gebiedsteam):
    settings.WIJKPORTAAL_PAGE_SIZE = 2
    for title in ["A", "B", "C"]:
        WijkagendaFactory(gebiedsteam=gebiedsteam, title=title)

    response = client.get("/wijkagendas/", {"page": "2"})

    assert [a.title for a in response.context["page_obj"]] == ["C"]


# --- wijkagenda detail -----------------------------------------------------------------------


# --- action detail ---------------------------------------------------------------------------


def test_action_detail_shows_the_action_and_its_timeline_newest_first(client, gebiedsteam):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, title="Agenda Noord")
    item = AgendaItemFactory(wijkagenda=agenda, title="Veilige straten")
    pact = PactFactory(gebiedsteam=gebiedsteam, name="Pact Noord")
    police = PartnerOrganisationFactory(name="Politie")
    commitment = PactCommitmentFactory(pact=pact, organisation=police)
    action = ActionFactory(
        plan=PlanFactory(wijkagenda=agenda),
        agenda_item=item,
        pact_commitment=commitment,
        owner_organisation=police,
        title="Buurtpreventie",
        contact_name="Wijkagent Wim",
        contact_email="wim@example.org",
        latitude=51.58,
        longitude=5.07,
    )
    now = timezone.now()
    ProgressUpdateFactory(action=action, text="Start.", created_at=now - dt.timedelta(days=9))
    ProgressUpdateFactory(
        action=action, text="App actief.", is_result=True, created_at=now - dt.timedelta(days=2)
    )
    ProgressUpdateFactory(action=action, text="Overleg.", created_at=now - dt.timedelta(days=5))

    response = client.get(f"/acties/{action.pk}/")

    assert response.status_code == 200
    assert response.context["action"] == action
    assert [(u.text, u.is_result) for u in response.context["updates"]] == [
        ("App actief.", True),
        ("Overleg.", False),
        ("Start.", False),
    ]
    assert response.context["commitment"] == commitment
    facts = texts_of(response, "facts")[0]
    assert "Contact person Wijkagent Wim Wijkagenda" in facts
    assert "Pact commitment Politie in Pact Noord" in facts
    assert facts.endswith("Location latitude 51.58000, longitude 5.07000")
    assert "wim@example.org" not in response.content.decode()


def test_action_detail_shows_the_contact_email_to_signed_in_users(client, gebiedsteam, resident):
    action = ActionFactory(
        plan=PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=gebiedsteam)),
        contact_name="Wijkagent Wim",
        contact_email="wim@example.org",
    )
    client.force_login(resident)

    response = client.get(f"/acties/{action.pk}/")

    assert response.context["show_contact_email"] is True
    assert '<a href="mailto:wim@example.org">wim@example.org</a>' in response.content.decode()


def test_action_detail_hides_a_commitment_of_a_draft_pact(client, gebiedsteam):
    pact = PactFactory(gebiedsteam=gebiedsteam, name="Geheim pact", status="draft")
    action = ActionFactory(
        plan=PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=gebiedsteam)),
        pact_commitment=PactCommitmentFactory(pact=pact),
    )

    response = client.get(f"/acties/{action.pk}/")

    assert response.context["commitment"] is None
    assert "Geheim pact" not in response.content.decode()


def test_action_detail_unknown_pk_is_404(client):
    response = client.get("/acties/987654/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [("anonymous", 404), ("other_team_member", 404), ("team_member", 200), ("staff", 200)],
)
def test_action_detail_of_a_draft_agenda_is_visible_to_its_team_and_staff_only(
    client, request, gebiedsteam, role, expected_status
):
    action = ActionFactory(plan=PlanFactory(wijkagenda=draft_agenda(gebiedsteam)), title="Stil")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(f"/acties/{action.pk}/")

    assert response.status_code == expected_status
    assert (response.context["action"].title if expected_status == 200 else None) == (
        "Stil" if expected_status == 200 else None
    )


# --- a plan's actions -------------------------------------------------------------------------


def plan_with_actions(gebiedsteam, count: int, **agenda):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, title="Agenda Noord", **agenda)
    plan = PlanFactory(
        wijkagenda=agenda,
        title="Uitvoering 2026",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    owner = PartnerOrganisationFactory()
    for number in range(count):
        ActionFactory(
            plan=plan,
            agenda_item=None,
            owner_organisation=owner,
            title=f"Actie {number:03}",
            due_date=dt.date(2026, 1, 1) + dt.timedelta(days=number),
        )
    return plan


def test_plan_actions_lists_the_first_page_of_actions_by_due_date(client, gebiedsteam):
    plan = plan_with_actions(gebiedsteam, 55)
    ActionFactory(title="Van een ander plan")

    response = client.get(f"/plannen/{plan.pk}/acties/")

    assert response.status_code == 200
    assert [action.title for action in response.context["page_obj"]] == [
        f"Actie {number:03}" for number in range(50)
    ]
    assert texts_of(response, "utrecht-heading-1") == ["Actions of Uitvoering 2026"]
    assert texts_of(response, "meta") == [
        "A plan of Agenda Noord · 1 January 2026 – 31 December 2026"
    ]
    assert texts_of(response, "result-count") == ["55 actions"]
    assert response.context["page_obj"].paginator.num_pages == 2


@pytest.mark.parametrize(("page", "first"), [("2", 50), ("x", 0), ("99", 50), ("-1", 50)])
def test_plan_actions_pages_fall_back_to_a_real_page(client, gebiedsteam, page, first):
    plan = plan_with_actions(gebiedsteam, 55)

    response = client.get(f"/plannen/{plan.pk}/acties/", {"page": page})

    assert response.status_code == 200
    assert [action.title for action in response.context["page_obj"]][0] == f"Actie {first:03}"


def test_plan_actions_without_actions_says_so(client, gebiedsteam):
    plan = plan_with_actions(gebiedsteam, 0)

    response = client.get(f"/plannen/{plan.pk}/acties/")

    assert texts_of(response, "empty-state") == ["No actions in this plan yet."]
    assert texts_of(response, "result-count") == ["0 actions"]


def test_plan_actions_unknown_pk_is_404(client):
    assert client.get("/plannen/999999/acties/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [("anonymous", 404), ("resident", 404), ("team_member", 200), ("staff", 200)],
)
def test_plan_actions_of_a_draft_agenda_are_visible_to_its_team_and_staff_only(
    client, request, gebiedsteam, role, expected_status
):
    plan = plan_with_actions(gebiedsteam, 2, status="draft", published_at=None)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(f"/plannen/{plan.pk}/acties/")

    assert response.status_code == expected_status
    assert (
        [action.title for action in response.context["page_obj"]]
        if expected_status == 200
        else None
    ) == (["Actie 000", "Actie 001"] if expected_status == 200 else None)


def test_plan_actions_query_count_does_not_grow_with_the_actions(client, gebiedsteam):
    small = plan_with_actions(gebiedsteam, 3)
    large = plan_with_actions(gebiedsteam, 120)

    # The plan with its agenda, the count, the page of actions.
    assert count_queries(client, f"/plannen/{small.pk}/acties/") == 3
    assert count_queries(client, f"/plannen/{large.pk}/acties/?page=2") == 3


# --- proposals -------------------------------------------------------------------------------


# --- query budgets ---------------------------------------------------------------------------


def test_wijkagenda_list_query_count_does_not_grow_with_the_data(
    client, gebiedsteam, signed_in_team_member
):
    build_agenda_world(gebiedsteam, scale=1, prefix="een")
    at_1 = count_queries(client, "/wijkagendas/")
    for number in range(9):
        build_agenda_world(GebiedsteamFactory(), scale=2, prefix=f"meer{number}")

    at_10 = count_queries(client, "/wijkagendas/")

    assert Wijkagenda.objects.count() == 10
    assert at_10 == at_1


def test_wijkagenda_list_fragment_query_count_does_not_grow_with_the_data(client, gebiedsteam):
    build_agenda_world(gebiedsteam, scale=1, prefix="een")
    at_1 = count_queries(client, "/wijkagendas/?gebied=noord", HTTP_HX_REQUEST="true")
    for number in range(9):
        build_agenda_world(gebiedsteam, scale=1, prefix=f"meer{number}")

    at_10 = count_queries(client, "/wijkagendas/?gebied=noord", HTTP_HX_REQUEST="true")

    assert at_10 == at_1


def test_action_detail_query_count_does_not_grow_with_the_data(client, gebiedsteam):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam)
    pact = PactFactory(gebiedsteam=gebiedsteam)
    actions = []
    for scale in [1, 10]:
        action = ActionFactory(
            plan=PlanFactory(wijkagenda=agenda),
            pact_commitment=PactCommitmentFactory(pact=pact),
        )
        ProgressUpdateFactory.create_batch(scale, action=action, is_result=True)
        actions.append(action)

    at_1 = count_queries(client, f"/acties/{actions[0].pk}/")
    at_10 = count_queries(client, f"/acties/{actions[1].pk}/")

    assert at_10 == at_1


@pytest.mark.parametrize("params", [{"gebied": "\x00"}, {"soort": "wijk\x00"}])
def test_wijkagenda_list_ignores_a_filter_with_a_nul(client, gebiedsteam, params):
    WijkagendaFactory(gebiedsteam=gebiedsteam, title="Agenda Noord")

    response = client.get("/wijkagendas/", params)

    assert response.status_code == 200
    assert [a.title for a in response.context["page_obj"]] == ["Agenda Noord"]
