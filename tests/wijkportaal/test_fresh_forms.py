"""A form that was just opened shows no errors: nobody typed anything yet.

Every edit form of the portal, as a page and as the fragment htmx asks for. What the browser
draws before anything was typed (no red border on an empty required field) is checked in
tests/browser/test_forms.py.
"""

from __future__ import annotations

import pytest

from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    PlanFactory,
    ProposalFactory,
    WijkagendaFactory,
)
from tests.helpers import errors_of, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]


@pytest.fixture
def urls(gebiedsteam, wijk, owner) -> list[str]:
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    item = AgendaItemFactory(wijkagenda=agenda)
    plan = PlanFactory(wijkagenda=agenda)
    action = ActionFactory(plan=plan, owner_organisation=owner)
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, status="draft")
    meeting = MeetingFactory(gebiedsteam=gebiedsteam)
    return [
        "/wijkagendas/nieuw/",
        f"/wijkagendas/{agenda.slug}/bewerken/",
        f"/wijkagendas/{agenda.slug}/publiceren/",
        f"/wijkagendas/{agenda.slug}/ambities/",
        f"/wijkagendas/{agenda.slug}/ambities/{item.pk}/bewerken/",
        f"/wijkagendas/{agenda.slug}/plannen/nieuw/",
        f"/plannen/{plan.pk}/bewerken/",
        f"/plannen/{plan.pk}/acties/nieuw/",
        f"/acties/{action.pk}/bewerken/",
        f"/acties/{action.pk}/status/",
        f"/acties/{action.pk}/voortgang/",
        f"/voorstellen/nieuw/?gebied={gebiedsteam.slug}",
        f"/voorstellen/{proposal.slug}/bewerken/",
        f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/nieuw/",
        f"/bijeenkomsten/{meeting.pk}/bewerken/",
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_form_just_opened_shows_no_errors(team_member, urls, htmx):
    client = signed_in(team_member)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    shown = {}
    for url in urls:
        response = client.get(url, **headers)
        body = response.content.decode()
        shown[url] = (
            response.status_code,
            errors_of(response),
            'aria-invalid="true"' in body,
            "utrecht-form-field--invalid" in body,
        )

    assert shown == {url: (200, [], False, False) for url in urls}
