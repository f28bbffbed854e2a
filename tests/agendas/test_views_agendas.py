from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agendas.models import Action, Wijkagenda
from participation.models import Proposal
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    GebiedsteamFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    ThemeFactory,
    WijkagendaFactory,
    WijkFactory,
)
from tests.helpers import count_queries, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def draft_agenda(gebiedsteam, **kwargs) -> Wijkagenda:
    return WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None, **kwargs)


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


def test_wijkagenda_detail_groups_items_by_theme_in_order(client, gebiedsteam):
    wonen = ThemeFactory(name="Wonen", position=1)
    groen = ThemeFactory(name="Leefomgeving & groen", position=2)
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, slug="noord")
    housing = PartnerOrganisationFactory(name="WonenBreburg")
    AgendaItemFactory(wijkagenda=agenda, theme=groen, title="Meer bomen", position=1)
    AgendaItemFactory(wijkagenda=agenda, theme=wonen, title="Starterswoningen", position=2)
    AgendaItemFactory(
        wijkagenda=agenda,
        theme=wonen,
        title="Renovatie flats",
        position=1,
        kind="partner_task",
        lead_organisation=housing,
    )

    response = client.get("/wijkagendas/noord/")

    groups = [
        (group.theme.name, [item.title for item in group.items])
        for group in response.context["theme_groups"]
    ]
    assert groups == [
        ("Wonen", ["Renovatie flats", "Starterswoningen"]),
        ("Leefomgeving & groen", ["Meer bomen"]),
    ]
    assert texts_of(response, "item-list")[0] == (
        "Renovatie flats Partner task · Lead: WonenBreburg Starterswoningen Residents' ambition"
    )


def test_wijkagenda_detail_shows_header_facts_and_summary(client, gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Heikant", slug="heikant")
    WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="noord",
        title="Wijkagenda Noord",
        wijken=[wijk],
        summary="We maken de wijk **groener**.",
        review_date=dt.date(2026, 3, 1),
    )

    response = client.get("/wijkagendas/noord/")
    content = response.content.decode()

    assert [w.name for w in response.context["wijken"]] == ["Heikant"]
    assert texts_of(response, "facts")[0].startswith(
        "Wijken Heikant Period 1 January 2024 – 31 December 2027 Next review 1 March 2026"
    )
    assert '<li><a href="/wijken/heikant/">Heikant</a></li>' in content
    assert "<p>We maken de wijk <strong>groener</strong>.</p>" in content
    assert response.context["breadcrumbs"] == [
        ("Wijkagendas", "/wijkagendas/"),
        ("Wijkagenda Noord", None),
    ]


def test_wijkagenda_detail_shows_plans_actions_and_results(client, gebiedsteam):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, slug="noord")
    plan = PlanFactory(wijkagenda=agenda, title="Uitvoering 2025")
    police = PartnerOrganisationFactory(name="Politie")
    late = ActionFactory(
        plan=plan,
        title="Buurtpreventie",
        owner_organisation=police,
        due_date=timezone.localdate() - dt.timedelta(days=1),
        start_date=None,
    )
    done = ActionFactory(
        plan=plan,
        title="Speeltuin",
        status=Action.Status.DONE,
        progress=100,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        result="De speeltuin is open.",
    )
    ProgressUpdateFactory(action=late, is_result=False, text="Overleg gestart.")
    ProgressUpdateFactory(action=late, is_result=True, text="Eerste buurtapp actief.")

    response = client.get("/wijkagendas/noord/")

    plans = response.context["plans"]
    assert [(p.title, [a.title for a in p.actions.all()]) for p in plans] == [
        ("Uitvoering 2025", ["Buurtpreventie", "Speeltuin"])
    ]
    assert [a.title for a in response.context["done_actions"]] == [done.title]
    assert [u.text for u in response.context["result_updates"]] == ["Eerste buurtapp actief."]
    assert texts_of(response, "badge--overdue") == ["overdue"]


def test_wijkagenda_detail_lists_open_proposals_of_its_wijken_only(client, gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    other_wijk = WijkFactory(gebiedsteam=gebiedsteam)
    WijkagendaFactory(gebiedsteam=gebiedsteam, slug="noord", wijken=[wijk])
    ProposalFactory(gebiedsteam=gebiedsteam, title="Open hier", wijken=[wijk, other_wijk])
    ProposalFactory(gebiedsteam=gebiedsteam, title="Open elders", wijken=[other_wijk])
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        title="Besloten",
        wijken=[wijk],
        status=Proposal.Status.DECIDED,
        input_feedback="Meegenomen.",
    )
    ProposalFactory(gebiedsteam=gebiedsteam, title="Concept", wijken=[wijk], status="draft")
    ProposalFactory(gebiedsteam=gebiedsteam, title="Raad", wijken=[wijk], council_only=True)

    response = client.get("/wijkagendas/noord/")

    assert [p.title for p in response.context["proposals"]] == ["Open hier"]


def test_wijkagenda_detail_changelog_lists_versions_newest_first_with_diffs(
    client, gebiedsteam, team_member
):
    theme = ThemeFactory(name="Wonen")
    agenda = draft_agenda(gebiedsteam, slug="noord")
    item = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Starterswoningen")
    gone = AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Oud plan")
    agenda.publish(by=team_member, change_summary="Eerste versie.")
    item.title = "Woningen voor starters"
    item.save()
    gone.delete()
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Hofjeswoningen")
    agenda.publish(by=team_member, change_summary="Na de wijkdialoog.")

    response = client.get("/wijkagendas/noord/")

    entries = [
        (entry.version.number, entry.version.change_summary, entry.changes)
        for entry in response.context["changelog"]
    ]
    assert [(number, summary) for number, summary, _ in entries] == [
        (2, "Na de wijkdialoog."),
        (1, "Eerste versie."),
    ]
    assert entries[1][2] is None
    assert [(c.kind, c.title, c.old_title) for c in entries[0][2]] == [
        ("changed", "Woningen voor starters", "Starterswoningen"),
        ("added", "Hofjeswoningen", ""),
        ("removed", "Oud plan", ""),
    ]
    assert texts_of(response, "changes") == [
        "Changed: Woningen voor starters (was: Starterswoningen) "
        "Added: Hofjeswoningen Removed: Oud plan"
    ]


def test_wijkagenda_detail_unknown_slug_is_404_in_the_site_layout(client):
    response = client.get("/wijkagendas/bestaat-niet/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [("anonymous", 404), ("other_team_member", 404), ("team_member", 200), ("staff", 200)],
)
def test_wijkagenda_detail_draft_is_visible_to_its_team_and_staff_only(
    client, request, gebiedsteam, role, expected_status
):
    draft_agenda(gebiedsteam, slug="concept", title="Concept Noord")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/wijkagendas/concept/")

    assert response.status_code == expected_status
    title = response.context["agenda"].title if expected_status == 200 else None
    assert title == ("Concept Noord" if expected_status == 200 else None)


def test_wijkagenda_detail_draft_says_it_is_a_draft(client, gebiedsteam, team_member):
    draft_agenda(gebiedsteam, slug="concept")
    client.force_login(team_member)

    response = client.get("/wijkagendas/concept/")

    assert texts_of(response, "empty-state")[0] == (
        "This agenda is a draft. Only the gebiedsteam can see it."
    )


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


# --- proposals -------------------------------------------------------------------------------


# --- query budgets ---------------------------------------------------------------------------


def build_agenda_world(gebiedsteam, *, scale: int, prefix: str) -> Wijkagenda:
    """An agenda with `scale` of everything its page shows, and published `scale + 1` times."""
    wijken = [WijkFactory(gebiedsteam=gebiedsteam) for _ in range(scale)]
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug=f"{prefix}-agenda",
        title=f"{prefix} agenda",
        status="draft",
        published_at=None,
        wijken=wijken,
    )
    agenda.publish(by=None, change_summary="Eerste versie.")
    for number in range(scale):
        organisation = PartnerOrganisationFactory()
        item = AgendaItemFactory(
            wijkagenda=agenda, theme=ThemeFactory(), lead_organisation=organisation
        )
        plan = PlanFactory(wijkagenda=agenda)
        done = ActionFactory(
            plan=plan, agenda_item=item, owner_organisation=organisation, status="done"
        )
        ActionFactory(plan=plan, agenda_item=item)
        ProgressUpdateFactory(action=done, is_result=True)
        ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijken[number]])
        agenda.publish(by=None, change_summary=f"Versie {number + 2}.")
    return agenda


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


@pytest.mark.parametrize("signed_in", [False, True])
def test_wijkagenda_detail_query_count_does_not_grow_with_the_data(
    client, gebiedsteam, team_member, signed_in
):
    if signed_in:
        client.force_login(team_member)
    build_agenda_world(gebiedsteam, scale=1, prefix="een")
    build_agenda_world(gebiedsteam, scale=10, prefix="tien")

    at_1 = count_queries(client, "/wijkagendas/een-agenda/")
    at_10 = count_queries(client, "/wijkagendas/tien-agenda/")

    assert len(client.get("/wijkagendas/tien-agenda/").context["changelog"]) == 11
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
