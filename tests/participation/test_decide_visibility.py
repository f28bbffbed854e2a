"""The decision links only actions everyone may see, and its outcomes are a plain choice.

The public proposal page lists the actions that carry out a decision, so an action of a
draft agenda (or of another gebied) can never be linked, and the page lists only the linked
actions its viewer may see. Each outcome (adopted, partly, not adopted) is a radio group the
team must answer itself: no empty "---------" button, nothing checked beforehand.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from agendas.models import Wijkagenda
from participation.models import InputOutcome, Proposal
from tests.factories import (
    ActionFactory,
    CommentFactory,
    PlanFactory,
    ProposalFactory,
    UserFactory,
    WijkagendaFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposal(gebiedsteam, wijk):
    now = timezone.now()
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        title="Gesloten voorstel",
        slug="gesloten-voorstel",
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=1),
        status=Proposal.Status.CONSIDERATION,
    )


@pytest.fixture
def actions(gebiedsteam, wijk, other_gebiedsteam, other_wijk):
    """One action each of a published, an archived and a draft agenda of the gebied, and
    of a published agenda of another gebied."""

    def action_of(title: str, **agenda) -> object:
        return ActionFactory(plan=PlanFactory(wijkagenda=WijkagendaFactory(**agenda)), title=title)

    return {
        "published": action_of("Gepubliceerd", gebiedsteam=gebiedsteam, wijken=[wijk]),
        "archived": action_of(
            "Gearchiveerd", gebiedsteam=gebiedsteam, wijken=[wijk], status="archived"
        ),
        "draft": action_of(
            "Concept", gebiedsteam=gebiedsteam, wijken=[wijk], status="draft", published_at=None
        ),
        "elsewhere": action_of("Elders", gebiedsteam=other_gebiedsteam, wijken=[other_wijk]),
    }


def decision(actions: list[int]) -> dict:
    return {
        "decision": "We leggen het speelveld aan.",
        "input_feedback": "Er kwamen geen reacties.",
        "actions": actions,
        "outcome-TOTAL_FORMS": 0,
        "outcome-INITIAL_FORMS": 0,
        "outcome-MIN_NUM_FORMS": 0,
        "outcome-MAX_NUM_FORMS": 0,
    }


def test_the_decide_form_offers_only_public_actions_of_the_gebied(team_member, proposal, actions):
    response = signed_in(team_member).get(f"/voorstellen/{proposal.slug}/besluiten/")

    offered = response.context["form"].fields["actions"].queryset
    assert sorted(action.title for action in offered) == ["Gearchiveerd", "Gepubliceerd"]
    assert "Concept" not in response.content.decode()


@pytest.mark.parametrize("which", ["draft", "elsewhere"])
def test_deciding_with_another_action_is_refused_and_saves_nothing(
    team_member, proposal, actions, which
):
    chosen = actions[which]

    response = signed_in(team_member).post(
        f"/voorstellen/{proposal.slug}/besluiten/",
        decision([actions["published"].pk, chosen.pk]),
    )

    proposal.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["actions"] == [
        "Alleen acties van een gepubliceerde wijkagenda van dit gebied kunnen het besluit "
        f"uitvoeren; {chosen.pk} hoort daar niet bij."
    ]
    assert (proposal.status, proposal.decision, proposal.decided_at) == (
        Proposal.Status.CONSIDERATION,
        "",
        None,
    )
    assert list(proposal.actions.all()) == []
    assert (InputOutcome.objects.count(), Notification.objects.count()) == (0, 0)


def test_deciding_with_public_actions_links_them(team_member, proposal, actions):
    response = signed_in(team_member).post(
        f"/voorstellen/{proposal.slug}/besluiten/",
        decision([actions["published"].pk, actions["archived"].pk]),
    )

    assert response.status_code == 302
    assert sorted(a.title for a in proposal.actions.all()) == ["Gearchiveerd", "Gepubliceerd"]


def test_the_public_page_lists_only_the_actions_its_viewer_may_see(
    client, team_member, proposal, actions
):
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.DECIDED,
        decision="Besloten.",
        input_feedback="Gewogen.",
        decided_at=timezone.now(),
    )
    proposal.actions.set([actions["published"], actions["archived"]])
    # The published agenda went back to draft after the decision.
    Wijkagenda.objects.filter(pk=actions["published"].plan.wijkagenda_id).update(status="draft")

    anonymous = client.get(f"/voorstellen/{proposal.slug}/")
    resident = signed_in(UserFactory(email="bewoner@example.org")).get(
        f"/voorstellen/{proposal.slug}/"
    )
    team = signed_in(team_member).get(f"/voorstellen/{proposal.slug}/")

    assert [a.title for a in anonymous.context["decision_actions"]] == ["Gearchiveerd"]
    assert [a.title for a in resident.context["decision_actions"]] == ["Gearchiveerd"]
    assert "Gepubliceerd" not in anonymous.content.decode()
    assert [a.title for a in team.context["decision_actions"]] == ["Gearchiveerd", "Gepubliceerd"]


def test_each_outcome_is_a_radio_group_with_nothing_chosen(team_member, proposal):
    for body in ("Eerste", "Tweede"):
        CommentFactory(proposal=proposal, author=UserFactory(), body=body)

    html = signed_in(team_member).get(f"/voorstellen/{proposal.slug}/besluiten/").content.decode()

    radios = re.findall(r"<input [^>]*name=\"outcome-\d-outcome\"[^>]*>", html)
    assert "---------" not in html
    assert sorted(re.search(r'value="([^"]*)"', radio)[1] for radio in radios) == sorted(
        ["adopted", "partly", "not_adopted"] * 2
    )
    assert all('type="radio"' in radio and "checked" not in radio for radio in radios)
    assert not re.search(r"<select[^>]*outcome", html)
