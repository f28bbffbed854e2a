"""Every list of the API costs the same number of queries for 2 rows of each kind as for 30."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.datasets import SUMMARIES as LISTS
from participation.models import InputOutcome, Proposal
from tests.api.conftest import ApiWorld
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    AllianceFactory,
    BuurtFactory,
    GebiedsteamFactory,
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

pytestmark = pytest.mark.django_db

AREAS = ("wijken", "buurten")


def add_of_each(world: ApiWorld, count: int) -> None:
    """`count` more public objects of every dataset, each with its relations."""
    for _ in range(count):
        team = GebiedsteamFactory()
        wijk = WijkFactory(gebiedsteam=team)
        BuurtFactory(wijk=wijk)
        organisation = PartnerOrganisationFactory()
        agenda = WijkagendaFactory(
            gebiedsteam=team, status="draft", published_at=None, wijken=[wijk, world["wijk"]]
        )
        AgendaItemFactory(wijkagenda=agenda, lead_organisation=organisation)
        agenda.publish(by=None)
        action = ActionFactory(plan=PlanFactory(wijkagenda=agenda), owner_organisation=organisation)
        ProgressUpdateFactory(action=action)
        VisionFactory(gebiedsteam=team)
        proposal = ProposalFactory(
            gebiedsteam=team,
            wijken=[wijk],
            status=Proposal.Status.DECIDED,
            decision="Besloten.",
            input_feedback="Verwerkt.",
            opens_at=world["proposal"].opens_at,
            closes_at=world["proposal"].closes_at,
        )
        proposal.actions.set([action])
        wijkraad = WijkraadFactory()
        advice = AdviceFactory(proposal=proposal, wijkraad=wijkraad)
        InputOutcome.objects.create(proposal=proposal, advice=advice, outcome="partly", reason=".")
        meeting = MeetingFactory(gebiedsteam=team)
        meeting.wijken.set([wijk])
        meeting.proposals.set([proposal])
        InitiativeFactory(
            wijk=wijk, status="supported", published_at=world["initiative"].published_at
        )
        pact = PactFactory(gebiedsteam=team)
        pact.wijken.set([wijk])
        PactCommitmentFactory(pact=pact, organisation=organisation).actions.set([action])
        alliance = AllianceFactory(parent=world["alliance"])
        alliance.members.set([organisation])
        alliance.focus_gebiedsteams.set([team])
        alliance.focus_wijken.set([wijk])


def query_counts(client: Client, names: Any = LISTS, extra: str = "") -> dict[str, int]:
    counts = {}
    for name in names:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{name}/{extra}")
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_each_list_costs_the_same_queries_for_few_and_many_rows(
    client: Client, world: ApiWorld
) -> None:
    add_of_each(world, 1)
    few = query_counts(client)
    few_geometry = query_counts(client, AREAS, "?geometry=true")
    few_details = detail_counts(client)

    add_of_each(world, 29)
    many = query_counts(client)

    assert many == few, many
    assert query_counts(client, AREAS, "?geometry=true") == few_geometry
    assert detail_counts(client) == few_details
    assert max(many.values()) <= 8


def detail_counts(client: Client) -> dict[str, Any]:
    counts = {}
    for url in ("/api/v1/wijkagendas/noordhoek-agenda/", "/api/v1/proposals/speelveld/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts
