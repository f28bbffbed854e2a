"""The agenda's summary and items are rendered once per content and kept in the cache; an edit
shows on the next request, and the team's live agenda never reaches residents."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from agendas.models import Action, AgendaItem
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ThemeFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

AGENDA_PAGE = "/wijkagendas/heikant-agenda/"
WIJK_PAGE = "/wijken/heikant/"
FRAGMENTS = {
    AGENDA_PAGE: "portal/_wijkagenda_content.html",
    WIJK_PAGE: "portal/_wijk_agenda_content.html",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def agenda(gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam, slug="heikant", name="Heikant")
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug="heikant-agenda",
        summary="Samen maken we **Heikant** groener.",
        wijken=[wijk],
    )
    theme = ThemeFactory(name="Groen")
    AgendaItemFactory(wijkagenda=agenda, theme=theme, title="Meer bomen", description="*Veel*")
    agenda.publish(by=None)
    plan = PlanFactory(wijkagenda=agenda)
    ActionFactory(
        plan=plan,
        agenda_item=None,
        title="Bomen planten",
        owner_organisation=PartnerOrganisationFactory(),
    )
    return agenda


def items_shown(response) -> list[str]:
    """The titles of the agenda's items as the HTML shows them, on either page."""
    html = response.content.decode()
    return re.findall(r'<h4 class="utrecht-heading-4">([^<]*)</h4>', html) + re.findall(
        r"<li><strong>([^<]*)</strong>", html
    )


def summary_shown(response) -> str:
    match = re.search(
        r'<div class="(?:prose )?utrecht-html"><p>(.*?)</p>', response.content.decode()
    )
    assert match
    return match.group(1)


def rendered(response, page: str) -> bool:
    return FRAGMENTS[page] in [template.name for template in response.templates]


@pytest.mark.parametrize("page", [AGENDA_PAGE, WIJK_PAGE])
def test_the_content_is_rendered_once_and_then_read_from_the_cache(client, agenda, page):
    first = client.get(page)
    second = client.get(page)

    assert (rendered(first, page), rendered(second, page)) == (True, False)
    assert second.content == first.content
    assert summary_shown(second) == "Samen maken we <strong>Heikant</strong> groener."
    assert items_shown(second) == ["Meer bomen"]


@pytest.mark.parametrize("page", [AGENDA_PAGE, WIJK_PAGE])
def test_an_edit_shows_the_team_at_once_and_residents_once_published(
    client, agenda, team_member, page
):
    client.get(page)  # the published content, now in the cache
    item = AgendaItem.objects.get(wijkagenda=agenda)
    item.title = "Meer bomen en struiken"
    item.save()
    agenda.summary = "Heikant wordt *groen*."
    agenda.save()

    resident_before = client.get(page)
    client.force_login(team_member)
    team = client.get(page)
    team_again = client.get(page)
    agenda.publish(by=team_member)
    client.logout()
    resident_after = client.get(page)

    assert items_shown(resident_before) == ["Meer bomen"]
    assert summary_shown(resident_before) == "Samen maken we <strong>Heikant</strong> groener."
    assert items_shown(team) == ["Meer bomen en struiken"]
    assert summary_shown(team) == "Heikant wordt <em>groen</em>."
    assert (rendered(team, page), rendered(team_again, page)) == (True, False)
    assert items_shown(resident_after) == ["Meer bomen en struiken"]
    assert summary_shown(resident_after) == "Heikant wordt <em>groen</em>."


@pytest.mark.parametrize("page", [AGENDA_PAGE, WIJK_PAGE])
def test_the_team_sees_a_renamed_theme_or_lead_at_once(client, agenda, team_member, page):
    client.force_login(team_member)
    client.get(page)
    item = AgendaItem.objects.get(wijkagenda=agenda)
    item.theme.name = "Groen en water"
    item.theme.save()
    item.lead_organisation = PartnerOrganisationFactory(name="Waterschap")
    item.save()

    html = client.get(page).content.decode()

    assert "Groen en water" in html
    assert "Waterschap" in html


@pytest.mark.parametrize("page", [AGENDA_PAGE, WIJK_PAGE])
def test_an_edited_action_shows_on_the_next_request(client, agenda, page):
    client.get(page)
    action = Action.objects.get(title="Bomen planten")
    action.title = "Dertig bomen planten"
    action.progress = 70
    action.save()

    html = client.get(page).content.decode()

    assert f'href="/acties/{action.pk}/">Dertig bomen planten</a>' in html
    assert "Bomen planten<" not in html
    assert 'value="70"' in html


def test_a_team_that_shares_nothing_unpublished_reads_the_same_content(client, agenda, team_member):
    # Without unpublished changes the team's live agenda shows what residents see; the
    # fragment's key is what it shows, so the two may share it: the same HTML.
    resident = client.get(AGENDA_PAGE)
    client.force_login(team_member)
    team = client.get(AGENDA_PAGE)

    assert items_shown(team) == items_shown(resident) == ["Meer bomen"]
    assert summary_shown(team) == summary_shown(resident)
