from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agendas.models import Action
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CommentFactory,
    CouncilMembershipFactory,
    OrganisationMembershipFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

OBJECT_LINK = re.compile(
    r'<a [^>]*href="/(?:acties/\d+|wijkagendas/[\w-]+|voorstellen/[\w-]+)/"[^>]*>([^<]+)</a>'
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section_html(response, key: str) -> str | None:
    match = re.search(
        rf'<section class="workspace-section" id="section-{key}".*?</section>',
        response.content.decode(),
        re.S,
    )
    return match.group(0) if match else None


def titles_in(response, key: str) -> list[str] | None:
    """The titles of the actions, agendas or proposals listed in one section."""
    html = section_html(response, key)
    return None if html is None else [title.strip() for title in OBJECT_LINK.findall(html)]


def today() -> dt.date:
    return timezone.localdate()


def weeks_ago(weeks: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(weeks=weeks)


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(name="Quirijnstok", gebiedsteam=gebiedsteam)


@pytest.fixture
def other_wijk(other_gebiedsteam):
    return WijkFactory(name="Reeshof-Oost", gebiedsteam=other_gebiedsteam)


@pytest.fixture
def owner():
    return PartnerOrganisationFactory(name="ContourdeTwern")


def fresh(**kwargs):
    """An action with a recent progress update, so that it is not stalled."""
    return ActionFactory(last_progress_at=timezone.now(), **kwargs)


@pytest.fixture
def world(gebiedsteam, other_gebiedsteam, wijk, other_wijk, owner):
    """Data for every section, with look-alikes that must stay out."""
    agenda = WijkagendaFactory(title="Agenda Noord", gebiedsteam=gebiedsteam, wijken=[wijk])
    other_agenda = WijkagendaFactory(
        title="Agenda Reeshof", gebiedsteam=other_gebiedsteam, wijken=[other_wijk]
    )
    plan, other_plan = PlanFactory(wijkagenda=agenda), PlanFactory(wijkagenda=other_agenda)
    fresh(plan=plan, title="Due next week", due_date=today() + dt.timedelta(days=7))
    fresh(plan=plan, title="Overdue", due_date=today() - dt.timedelta(days=3))
    fresh(plan=plan, title="Due in two months", due_date=today() + dt.timedelta(days=60))
    fresh(plan=plan, title="Done late", status="done", due_date=today() - dt.timedelta(days=3))
    fresh(plan=other_plan, title="Reeshof due", due_date=today() + dt.timedelta(days=2))
    ActionFactory(
        plan=plan,
        title="Stalled",
        due_date=today() + dt.timedelta(days=90),
        last_progress_at=weeks_ago(7),
    )
    ActionFactory(
        plan=plan,
        title="Never reported",
        due_date=today() + dt.timedelta(days=91),
        created_at=weeks_ago(8),
    )
    ActionFactory(
        plan=plan,
        title="Recently reported",
        due_date=today() + dt.timedelta(days=80),
        last_progress_at=weeks_ago(5),
    )
    ActionFactory(
        plan=other_plan,
        title="Reeshof stalled",
        due_date=today() + dt.timedelta(days=80),
        last_progress_at=weeks_ago(9),
    )
    # Partner staff: the owner's open actions in both gebieden, not done or drafts.
    fresh(plan=plan, title="Twern in Noord", owner_organisation=owner, due_date=None)
    fresh(plan=other_plan, title="Twern in Reeshof", owner_organisation=owner, due_date=None)
    fresh(plan=plan, title="Twern done", owner_organisation=owner, status="done", due_date=None)
    draft = WijkagendaFactory(
        title="Draft Noord", gebiedsteam=gebiedsteam, status="draft", published_at=None
    )
    fresh(
        plan=PlanFactory(wijkagenda=draft),
        title="Twern draft",
        owner_organisation=owner,
        due_date=None,
    )
    WijkagendaFactory(
        title="Draft Reeshof", gebiedsteam=other_gebiedsteam, status="draft", published_at=None
    )
    # Proposals awaiting an answer of the team of Noord.
    asked = ProposalFactory(title="Unanswered comment", gebiedsteam=gebiedsteam, wijken=[wijk])
    CommentFactory(proposal=asked)
    answered = ProposalFactory(title="Answered comment", gebiedsteam=gebiedsteam, wijken=[wijk])
    question = CommentFactory(proposal=answered)
    CommentFactory(proposal=answered, parent=question, is_team_response=True)
    advised = ProposalFactory(
        title="Advice without response",
        gebiedsteam=gebiedsteam,
        status="decided",
        decision="Doen",
        input_feedback="Overgenomen",
        wijken=[wijk],
    )
    AdviceFactory(proposal=advised, verdict="positive", submitted_at=timezone.now(), response="")
    responded = ProposalFactory(
        title="Advice answered", gebiedsteam=gebiedsteam, status="consideration", wijken=[wijk]
    )
    AdviceFactory(
        proposal=responded,
        verdict="positive",
        submitted_at=timezone.now(),
        response="Dank",
        responded_at=timezone.now(),
    )
    elsewhere = ProposalFactory(
        title="Reeshof question", gebiedsteam=other_gebiedsteam, wijken=[other_wijk]
    )
    CommentFactory(proposal=elsewhere)
    ProposalFactory(
        title="Closed for Noord",
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status="consideration",
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def owner_staff(owner):
    user = UserFactory(email="twern@example.org")
    OrganisationMembershipFactory(user=user, organisation=owner)
    return user


@pytest.fixture
def council_member(wijk):
    council = WijkraadFactory()
    council.wijken.set([wijk])
    user = UserFactory(email="raad@example.org")
    CouncilMembershipFactory(user=user, wijkraad=council)
    return user


def test_workspace_of_a_team_member_lists_what_waits_in_their_gebieden(team_member, world):
    response = signed_in(team_member).get("/werkplek/")

    assert response.status_code == 200
    assert titles_in(response, "due") == ["Overdue", "Due next week"]
    assert titles_in(response, "stalled") == ["Stalled", "Never reported"]
    assert titles_in(response, "drafts") == ["Draft Noord"]
    assert titles_in(response, "proposals") == ["Unanswered comment", "Advice without response"]
    assert (titles_in(response, "partner"), titles_in(response, "council")) == (None, None)
    # The team's actions come with the inline status form.
    assert section_html(response, "due").count('hx-post="/acties/') == 2


def test_workspace_of_partner_staff_lists_the_organisations_open_actions(owner_staff, world):
    response = signed_in(owner_staff).get("/werkplek/")

    assert response.status_code == 200
    assert titles_in(response, "partner") == ["Twern in Noord", "Twern in Reeshof"]
    assert section_html(response, "partner").count("/voortgang/") == 2
    assert [titles_in(response, key) for key in ("due", "stalled", "drafts", "proposals")] == [
        None,
        None,
        None,
        None,
    ]


def test_municipal_staff_see_the_municipalitys_actions_of_their_own_gebied_only(
    gebiedsteam, other_gebiedsteam
):
    municipality = PartnerOrganisationFactory(name="Gemeente Tilburg", kind="municipality")
    user = UserFactory()
    OrganisationMembershipFactory(user=user, organisation=municipality)
    TeamMembershipFactory(user=user, gebiedsteam=other_gebiedsteam, role="ondersteuner")
    for team, title in [(gebiedsteam, "Gemeente in Noord"), (other_gebiedsteam, "In Reeshof")]:
        agenda = WijkagendaFactory(gebiedsteam=team, status="published")
        ActionFactory(
            plan=PlanFactory(wijkagenda=agenda), owner_organisation=municipality, title=title
        )

    response = signed_in(user).get("/werkplek/")

    assert titles_in(response, "partner") == ["In Reeshof"]


def test_workspace_of_a_council_member_lists_open_proposals_of_their_wijken(council_member, world):
    response = signed_in(council_member).get("/werkplek/")

    assert response.status_code == 200
    assert titles_in(response, "council") == ["Unanswered comment", "Answered comment"]
    assert titles_in(response, "due") is None


def test_workspace_of_a_resident_says_there_is_nothing(resident, world):
    response = signed_in(resident).get("/werkplek/")

    assert response.status_code == 200
    assert "workspace-section" not in response.content.decode()
    assert "there is nothing here for you" in response.content.decode()


def test_workspace_sends_anonymous_users_to_sign_in(client):
    response = client.get("/werkplek/")

    assert response.status_code == 302
    assert response["Location"].endswith("?next=/werkplek/")


def test_workspace_section_pages_with_htmx(team_member, world, settings):
    settings.WIJKPORTAAL_PAGE_SIZE = 1

    full = signed_in(team_member).get("/werkplek/")
    page_2 = signed_in(team_member).get(
        "/werkplek/", {"section": "due", "due_page": "2"}, HTTP_HX_REQUEST="true"
    )

    body = page_2.content.decode()
    assert titles_in(full, "due") == ["Overdue"]
    assert 'hx-get="/werkplek/?due_page=2&amp;section=due"' in section_html(full, "due")
    assert page_2.status_code == 200
    assert body.lstrip().startswith('<section class="workspace-section" id="section-due"')
    assert "<html" not in body
    assert titles_in(page_2, "due") == ["Due next week"]


def test_workspace_stalled_weeks_follow_the_setting(team_member, world, settings):
    settings.WIJKPORTAAL_STALLED_WEEKS = 4

    response = signed_in(team_member).get("/werkplek/")

    assert titles_in(response, "stalled") == ["Recently reported", "Stalled", "Never reported"]


def populate(count: int, *, gebiedsteam, wijk, organisation) -> None:
    """`count` objects for every section of the workspace."""
    for n in range(count):
        agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
        draft = WijkagendaFactory(
            gebiedsteam=gebiedsteam, wijken=[wijk], status="draft", published_at=None
        )
        plan = PlanFactory(wijkagenda=agenda)
        PlanFactory(wijkagenda=draft)
        fresh(plan=plan, due_date=today() + dt.timedelta(days=n % 14))
        ActionFactory(
            plan=plan,
            owner_organisation=organisation,
            due_date=today() + dt.timedelta(days=100),
            last_progress_at=weeks_ago(10),
        )
        proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
        CommentFactory(proposal=proposal)


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/werkplek/")
    assert response.status_code == 200
    return len(queries)


def test_workspace_runs_the_same_number_of_queries_for_1_and_10_of_everything(gebiedsteam, owner):
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    user = UserFactory()
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam)
    OrganisationMembershipFactory(user=user, organisation=owner)
    council = WijkraadFactory()
    council.wijken.set([wijk])
    CouncilMembershipFactory(user=user, wijkraad=council)
    client = signed_in(user)

    populate(1, gebiedsteam=gebiedsteam, wijk=wijk, organisation=owner)
    at_1 = count_queries(client)
    populate(9, gebiedsteam=gebiedsteam, wijk=wijk, organisation=owner)
    at_10 = count_queries(client)

    response = client.get("/werkplek/")
    assert [
        len(titles_in(response, key))
        for key in ("due", "stalled", "drafts", "proposals", "partner", "council")
    ] == [10, 10, 10, 10, 10, 10]
    assert at_1 == at_10


def count_of(response, key: str) -> str:
    match = re.search(
        rf'<span class="muted" id="section-{key}-count"[^>]*>([^<]*)</span>',
        response.content.decode(),
    )
    assert match, f"no count in section {key}"
    return match.group(1)


def test_workspace_counts_of_actions_load_again_when_an_action_was_saved(team_member, world):
    client = signed_in(team_member)
    page = client.get("/werkplek/").content.decode()
    overdue = Action.objects.get(title="Overdue")
    prefix = f"action-{overdue.pk}"

    client.post(
        f"/acties/{overdue.pk}/status/",
        {f"{prefix}-status": "done", f"{prefix}-progress": "100", f"{prefix}-revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    again = client.get("/werkplek/?section=due&due_page=1", HTTP_HX_REQUEST="true")

    assert re.findall(r'<span class="muted" id="section-(\w+)-count"([^>]*)>', page) == [
        (
            key,
            f' hx-get="/werkplek/?section={key}&amp;{key}_page=1" '
            'hx-trigger="action-saved from:body" '
            f'hx-select="#section-{key}-count" hx-swap="outerHTML"',
        )
        for key in ("due", "stalled")
    ] + [("drafts", ""), ("proposals", ""), ("initiatives", "")]
    assert count_of(again, "due") == "(1)"
    assert titles_in(again, "due") == ["Due next week"]


def test_a_kept_list_of_status_forms_carries_the_visitors_own_token(team_member, world):
    """The second werkplek comes from the kept sections (web.sections): its forms still work,
    with a token of this visitor's own."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    client.get("/werkplek/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/werkplek/").content.decode()
    overdue = Action.objects.get(title="Overdue")
    prefix = f"action-{overdue.pk}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)

    saved = client.post(
        f"/acties/{overdue.pk}/status/",
        {
            f"{prefix}-status": "done",
            f"{prefix}-progress": "100",
            f"{prefix}-revision": "0",
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
    )

    assert not any('"agendas_action"' in query["sql"] for query in queries.captured_queries)
    assert saved.status_code == 302
    assert Action.objects.get(pk=overdue.pk).status == "done"
