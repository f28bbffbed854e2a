from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agendas.models import Action
from participation.models import Proposal
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    ThemeFactory,
    WijkagendaFactory,
    WijkFactory,
    build_agenda_world,
    draft_agenda,
)
from tests.helpers import count_queries, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


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
    assert [(p.title, [a.title for a in p.first_actions]) for p in plans] == [
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


@pytest.mark.parametrize("signed_in", [False, True])
def test_wijkagenda_detail_query_count_does_not_grow_with_the_data(
    client, gebiedsteam, team_member, signed_in
):
    if signed_in:
        client.force_login(team_member)
    build_agenda_world(gebiedsteam, scale=1, prefix="een")
    build_agenda_world(gebiedsteam, scale=10, prefix="tien")

    changelog = client.get("/wijkagendas/tien-agenda/").context["changelog"]
    at_1 = count_queries(client, "/wijkagendas/een-agenda/")
    at_10 = count_queries(client, "/wijkagendas/tien-agenda/")

    # Eleven versions, of which the page shows the newest five (and links to the rest).
    assert [entry.version.number for entry in changelog] == [11, 10, 9, 8, 7]
    assert at_10 == at_1
