from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from agendas.models import (
    Action,
    AgendaItem,
    ChangeRecord,
    Plan,
    ProgressUpdate,
    PublishedText,
    Theme,
    Vision,
    Wijkagenda,
    WijkagendaVersion,
)
from followup.models import Reminder, Report
from meetings.models import Meeting, Registration
from pacts.models import (
    Alliance,
    Collaboration,
    OrganisationMembership,
    Pact,
    PactCommitment,
    PartnerOrganisation,
)
from participation.models import (
    Advice,
    Comment,
    CommentReport,
    Initiative,
    InitiativeStep,
    InputOutcome,
    ModerationLog,
    Proposal,
)
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    AllianceFactory,
    ChangeRecordFactory,
    CollaborationFactory,
    CommentFactory,
    CommentReportFactory,
    InitiativeFactory,
    InputOutcomeFactory,
    MeetingFactory,
    ModerationLogFactory,
    OrganisationMembershipFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    ReminderFactory,
    ReportFactory,
    ThemeFactory,
    UserFactory,
    VisionFactory,
    WijkagendaFactory,
    WijkFactory,
)


def make_agenda() -> Wijkagenda:
    agenda = WijkagendaFactory(wijken=[WijkFactory()])
    AgendaItemFactory(wijkagenda=agenda)
    PlanFactory(wijkagenda=agenda)
    return agenda


def make_version() -> WijkagendaVersion:
    return WijkagendaFactory(status="draft", published_at=None).publish(
        by=None, change_summary="Eerste versie."
    )


def make_published_text() -> PublishedText:
    make_version()
    return PublishedText.objects.order_by("pk").first()


def make_plan() -> Plan:
    return ActionFactory().plan


def make_action() -> Action:
    return ProgressUpdateFactory(action=ActionFactory(longitude=5.08, latitude=51.56)).action


def make_proposal() -> Proposal:
    proposal = ProposalFactory(wijken=[WijkFactory()], longitude=5.08, latitude=51.56)
    AdviceFactory(proposal=proposal)
    return proposal


def make_pact() -> Pact:
    pact = PactFactory()
    pact.wijken.set([WijkFactory()])
    PactCommitmentFactory(pact=pact)
    return pact


def make_alliance() -> Alliance:
    alliance = AllianceFactory(parent=AllianceFactory())
    alliance.members.set([PartnerOrganisationFactory()])
    return alliance


def make_organisation() -> PartnerOrganisation:
    return OrganisationMembershipFactory().organisation


MAKERS: dict[type[Model], Callable[[], Model]] = {
    Theme: ThemeFactory,
    Wijkagenda: make_agenda,
    WijkagendaVersion: make_version,
    PublishedText: make_published_text,
    Vision: VisionFactory,
    AgendaItem: lambda: AgendaItemFactory(lead_organisation=PartnerOrganisationFactory()),
    Plan: make_plan,
    Action: make_action,
    ProgressUpdate: ProgressUpdateFactory,
    Proposal: make_proposal,
    Comment: lambda: CommentFactory(parent=CommentFactory()),
    Advice: AdviceFactory,
    Meeting: lambda: MeetingFactory(longitude=5.08, latitude=51.56),
    Registration: lambda: Registration.objects.create(
        meeting=MeetingFactory(sign_up=True), user=UserFactory()
    ),
    PartnerOrganisation: make_organisation,
    OrganisationMembership: OrganisationMembershipFactory,
    Pact: make_pact,
    PactCommitment: PactCommitmentFactory,
    Alliance: make_alliance,
    Collaboration: CollaborationFactory,
    ChangeRecord: ChangeRecordFactory,
    InputOutcome: InputOutcomeFactory,
    CommentReport: CommentReportFactory,
    ModerationLog: ModerationLogFactory,
    Reminder: ReminderFactory,
    Report: ReportFactory,
    Initiative: lambda: InitiativeFactory(longitude=5.05, latitude=51.55),
    InitiativeStep: lambda: InitiativeStep.objects.create(
        initiative=InitiativeFactory(), status="received"
    ),
}
DOMAIN_APPS = ("pacts", "agendas", "participation", "meetings", "followup")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: (model._meta.app_label, model._meta.model_name),
)
# The changelog is written by Wijkagenda.publish and the edit history by agendas.history,
# never in the admin.
READ_ONLY = {
    WijkagendaVersion,
    PublishedText,
    ChangeRecord,
    ModerationLog,
    Reminder,
    Report,
    InitiativeStep,
}


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(staff: User) -> User:
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def test_every_domain_model_is_registered() -> None:
    models = {model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()}

    assert set(REGISTERED) == models == set(MAKERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_admin_pages_answer_200(model: type[Model], admin_client: Client) -> None:
    obj = MAKERS[model]()

    changelist = admin_client.get(admin_url(model, "changelist"))
    add = admin_client.get(admin_url(model, "add"))
    change = admin_client.get(admin_url(model, "change", obj.pk))

    expected_add = 403 if model in READ_ONLY else 200
    assert (changelist.status_code, add.status_code, change.status_code) == (
        200,
        expected_add,
        200,
    )
    assert changelist.context["cl"].result_count == model._default_manager.count()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_changelist_query_count_does_not_grow_with_rows(
    model: type[Model], admin_client: Client
) -> None:
    url = admin_url(model, "changelist")
    MAKERS[model]()
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for __ in range(3):
        MAKERS[model]()
    with CaptureQueriesContext(connection) as four:
        response = admin_client.get(url)

    assert response.context["cl"].result_count == model._default_manager.count()
    assert len(four) == len(one)


def test_plan_page_lists_its_actions_inline(admin_client: Client) -> None:
    plan = PlanFactory()
    actions = [ActionFactory(plan=plan), ActionFactory(plan=plan)]

    response = admin_client.get(admin_url(Plan, "change", plan.pk))

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance for form in formset.initial_forms] == sorted(
        actions, key=lambda action: (action.due_date, action.pk)
    )


def test_action_page_shows_the_location_widget(admin_client: Client) -> None:
    action = ActionFactory(longitude=5.08, latitude=51.56)

    response = admin_client.get(admin_url(Action, "change", action.pk))

    html = response.content.decode()
    assert html.count("data-location-widget") == 1
    assert html.count('data-latitude-id="id_latitude" data-longitude-id="id_longitude"') == 1
    assert html.count('name="longitude" value="5.08"') == 1
