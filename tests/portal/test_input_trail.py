"""The trail back from an action to the input it carries out: the action's page names the
decision, those who gave input are told when it moves, and the wijk page shows what happened
with the input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from agendas.models import Action
from agendas.services.actions import add_progress_update, update_action
from participation.models import Comment, Initiative, Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CommentFactory,
    FollowFactory,
    InitiativeFactory,
    PlanFactory,
    ProposalFactory,
    UserFactory,
    WijkagendaFactory,
    action_in,
)
from tests.helpers import count_queries, signed_in, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


@pytest.fixture
def decided(gebiedsteam, wijk) -> Proposal:
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        title="Meer bankjes in het park",
        status=Proposal.Status.DECIDED,
        decision="We plaatsen tien bankjes.",
        input_feedback="De plekken die bewoners noemden, krijgen een bankje.",
        decided_at=timezone.now() - dt.timedelta(days=2),
        opens_at=timezone.now() - dt.timedelta(days=40),
        closes_at=timezone.now() - dt.timedelta(days=10),
        wijken=[wijk],
    )


@pytest.fixture
def action(gebiedsteam, decided) -> Action:
    action = action_in(gebiedsteam, title="Bankjes plaatsen", progress=20)
    decided.actions.add(action)
    return action


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True)
    )


def test_the_action_page_names_the_decision_it_carries_out(action, decided) -> None:
    response = Client().get(action.get_absolute_url())

    assert texts_of(response, "inline-list") == ["Decision on a proposal: Meer bankjes in het park"]
    assert f'href="{decided.get_absolute_url()}"' in response.content.decode()


def test_a_council_only_decision_is_named_only_to_who_may_read_it(action, decided) -> None:
    Proposal.objects.filter(pk=decided.pk).update(council_only=True)

    response = Client().get(action.get_absolute_url())

    assert response.status_code == 200
    assert "Meer bankjes in het park" not in response.content.decode()


def test_a_report_on_the_action_tells_who_commented_and_advised_but_not_the_reporter(
    action, decided, team_member
) -> None:
    commenter, adviser, hidden = UserFactory(), UserFactory(), UserFactory()
    CommentFactory(proposal=decided, author=commenter)
    CommentFactory(
        proposal=decided,
        author=hidden,
        moderation=Comment.Moderation.HIDDEN,
        moderation_reason="Scheldwoorden.",
    )
    CommentFactory(proposal=decided, author=team_member)
    AdviceFactory(
        proposal=decided,
        submitted_at=timezone.now(),
        submitted_by=adviser,
        verdict="positive",
        text="Positief.",
    )

    add_progress_update(
        action=action,
        author=team_member,
        text="De eerste vijf bankjes staan.",
        status=Action.Status.IN_PROGRESS,
        progress=50,
        is_result=False,
        expected_revision=action.revision,
    )

    told = "Progress on Bankjes plaatsen, which carries out what you gave input for"
    assert titles(commenter) == [told]
    assert titles(adviser) == [told]
    assert titles(hidden) == []
    assert titles(team_member) == []
    note = Notification.objects.get(recipient=commenter)
    assert note.url == action.get_absolute_url()


def test_an_action_that_is_done_says_so(action, decided, team_member) -> None:
    commenter = UserFactory()
    CommentFactory(proposal=decided, author=commenter)

    update_action(
        action=action,
        values={"status": Action.Status.DONE, "progress": 100},
        expected_revision=action.revision,
        by=team_member,
    )
    update_action(
        action=action,
        values={"progress": 100},
        expected_revision=action.revision,
        by=team_member,
    )

    assert titles(commenter) == [
        "Done: Bankjes plaatsen, which carries out what you gave input for"
    ]


def test_an_action_no_decision_names_tells_nobody(gebiedsteam, team_member) -> None:
    action = action_in(gebiedsteam)
    CommentFactory(author=UserFactory())

    add_progress_update(
        action=action,
        author=team_member,
        text="Verder.",
        status=Action.Status.IN_PROGRESS,
        progress=60,
        is_result=False,
        expected_revision=action.revision,
    )

    assert Notification.objects.count() == 0


def test_the_wijk_page_shows_what_happened_with_the_input(action, decided, wijk) -> None:
    response = Client().get(wijk.get_absolute_url())

    content = response.content.decode()
    assert "What happened with your input" in content
    assert "Meer bankjes in het park" in content
    assert f'href="{action.get_absolute_url()}">Bankjes plaatsen</a>' in content
    assert "20% done" in content


def test_the_wijk_page_keeps_its_queries_with_many_decisions_and_actions(
    gebiedsteam, wijk, decided, action, team_member
) -> None:
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status="published", wijken=[wijk])
    plan = PlanFactory(wijkagenda=agenda)
    decided.actions.add(ActionFactory(plan=plan))
    team = signed_in(team_member)
    team.get(wijk.get_absolute_url())  # fills the fragment cache of the agenda's content
    few_anonymous = count_queries(Client(), wijk.get_absolute_url())
    few_team = count_queries(team, wijk.get_absolute_url())
    for n in range(8):
        proposal = ProposalFactory(
            gebiedsteam=gebiedsteam,
            status=Proposal.Status.DECIDED,
            decision="Besloten.",
            input_feedback="Meegenomen.",
            decided_at=timezone.now() - dt.timedelta(days=n + 3),
            wijken=[wijk],
        )
        proposal.actions.add(*[ActionFactory(plan=plan) for _ in range(7)])

    many = count_queries(Client(), wijk.get_absolute_url())
    page = Client().get(wijk.get_absolute_url()).content.decode()

    assert many == few_anonymous
    assert count_queries(team, wijk.get_absolute_url()) == few_team
    assert page.count('class="stack decisions"') == 1
    assert "All 7 actions carrying this out" in page


@pytest.fixture
def supported(wijk, action) -> Initiative:
    initiative = InitiativeFactory(
        wijk=wijk,
        title="Moestuin op het grasveld",
        status=Initiative.Status.SUPPORTED,
        published_at=timezone.now(),
    )
    initiative.actions.add(action)
    return initiative


def test_the_action_page_names_the_initiative_it_carries_out(action, supported) -> None:
    response = Client().get(action.get_absolute_url())

    assert texts_of(response, "inline-list") == [
        "Decision on a proposal: Meer bankjes in het park"
        "Residents' initiative: Moestuin op het grasveld"
    ]


def test_a_report_tells_the_submitter_and_followers_of_the_initiative(
    action, supported, team_member
) -> None:
    follower = UserFactory()
    FollowFactory(user=follower, subject=supported)

    add_progress_update(
        action=action,
        author=team_member,
        text="De grond is omgespit.",
        status=Action.Status.IN_PROGRESS,
        progress=30,
        is_result=False,
        expected_revision=action.revision,
    )

    told = ["Progress on Bankjes plaatsen, which carries out what you gave input for"]
    assert titles(supported.submitted_by) == told
    assert titles(follower) == told


def test_the_wijk_page_shows_the_supported_initiative_with_its_action(
    action, supported, wijk
) -> None:
    content = Client().get(wijk.get_absolute_url()).content.decode()

    assert "Supported initiatives of residents" in content
    assert f'href="{supported.get_absolute_url()}">Moestuin op het grasveld</a>' in content
