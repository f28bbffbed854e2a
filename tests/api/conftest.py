"""A world for the API's tests: for each dataset a public object and, where there is one, an
object that is not public, whose texts all contain "Geheim"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from agendas.models import Action
from participation.models import Initiative, InputOutcome, Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    AllianceFactory,
    BuurtFactory,
    InitiativeFactory,
    MeetingFactory,
    PactCommitmentFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    VisionFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)

SECRET = "Geheim"


@dataclass
class ApiWorld:
    objects: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


@pytest.fixture
def world(gebiedsteam: Any) -> ApiWorld:
    now = timezone.now()
    wijk = WijkFactory(gebiedsteam=gebiedsteam, code="WK085501", slug="noordhoek", name="Noordhoek")
    buurt = BuurtFactory(wijk=wijk, code="BU08550101", name="Noordhoek-Oost")
    organisation = PartnerOrganisationFactory(slug="tiwos", name="Tiwos")
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="noordhoek-agenda",
        title="Agenda Noordhoek",
        status="draft",
        published_at=None,
        wijken=[wijk],
    )
    item = AgendaItemFactory(wijkagenda=agenda, title="Meer groen", lead_organisation=organisation)
    agenda.publish(by=None, change_summary="Eerste versie.")
    plan = PlanFactory(wijkagenda=agenda, title="Plan 2025")
    action = ActionFactory(
        plan=plan,
        agenda_item=item,
        owner_organisation=organisation,
        title="Bomen planten",
        status=Action.Status.DELAYED,
        progress=30,
    )
    done = ActionFactory(
        plan=plan,
        agenda_item=item,
        owner_organisation=organisation,
        title="Bankjes plaatsen",
        status=Action.Status.DONE,
        progress=100,
    )
    update = ProgressUpdateFactory(action=action, text="De bomen zijn besteld.", progress=30)
    draft = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="geheim-concept",
        title=f"{SECRET} concept",
        status="draft",
        published_at=None,
        wijken=[wijk],
    )
    draft_plan = PlanFactory(wijkagenda=draft, title=f"{SECRET} plan")
    draft_action = ActionFactory(
        plan=draft_plan, owner_organisation=organisation, title=f"{SECRET}e actie"
    )
    ProgressUpdateFactory(action=draft_action, text=f"{SECRET} verslag")
    vision = VisionFactory(gebiedsteam=gebiedsteam, title="Visie 2035")
    VisionFactory(gebiedsteam=gebiedsteam, title=f"{SECRET}e visie", status="draft")
    wijkraad = WijkraadFactory(name="Wijkraad Noordhoek", slug="wijkraad-noordhoek")
    wijkraad.wijken.set([wijk])
    decided = ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="speelveld",
        title="Speelveld",
        wijken=[wijk],
        status=Proposal.Status.DECIDED,
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=20),
        decision="Het speelveld komt er.",
        input_feedback="We leggen een pad aan, zoals de wijkraad vroeg.",
        decided_at=now - dt.timedelta(days=5),
    )
    decided.actions.set([action, draft_action])
    advice = AdviceFactory(
        proposal=decided,
        wijkraad=wijkraad,
        deadline=now - dt.timedelta(days=25),
        verdict="conditional",
        text="Positief, met een pad.",
        submitted_at=now - dt.timedelta(days=26),
    )
    InputOutcome.objects.create(
        proposal=decided, advice=advice, outcome="adopted", reason="Het pad komt er."
    )
    council = ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="geheim-raad",
        title=f"{SECRET} raadsvoorstel",
        wijken=[wijk],
        council_only=True,
    )
    AdviceFactory(proposal=council, wijkraad=wijkraad, text=f"{SECRET} advies")
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="geheim-concept-voorstel",
        title=f"{SECRET} conceptvoorstel",
        wijken=[wijk],
        status=Proposal.Status.DRAFT,
    )
    meeting = MeetingFactory(gebiedsteam=gebiedsteam, title="Wijkdialoog Noordhoek")
    meeting.wijken.set([wijk])
    meeting.proposals.set([decided, council])
    closed = MeetingFactory(gebiedsteam=gebiedsteam, title=f"{SECRET}e bijeenkomst", public=False)
    closed.wijken.set([wijk])
    initiative = InitiativeFactory(
        wijk=wijk,
        title="Moestuin",
        status=Initiative.Status.CONVERSATION,
        published_at=now - dt.timedelta(days=2),
    )
    hidden_initiative = InitiativeFactory(wijk=wijk, title=f"{SECRET} initiatief")
    meeting.initiatives.set([initiative, hidden_initiative])
    pact = PactFactory(gebiedsteam=gebiedsteam, slug="pact-noordhoek", name="Pact Noordhoek")
    pact.wijken.set([wijk])
    PactCommitmentFactory(pact=pact, organisation=organisation, text="Wij bouwen mee.")
    PactFactory(gebiedsteam=gebiedsteam, slug="geheim-pact", name=f"{SECRET} pact", status="draft")
    alliance = AllianceFactory(name="Stedelijke Alliantie", slug="stedelijke-alliantie")
    alliance.members.set([organisation])
    return ApiWorld(
        {
            "gebiedsteam": gebiedsteam,
            "wijk": wijk,
            "buurt": buurt,
            "organisation": organisation,
            "agenda": agenda,
            "item": item,
            "plan": plan,
            "action": action,
            "done": done,
            "update": update,
            "vision": vision,
            "proposal": decided,
            "advice": advice,
            "meeting": meeting,
            "initiative": initiative,
            "pact": pact,
            "alliance": alliance,
        }
    )
