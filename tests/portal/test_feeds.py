"""The Atom feeds of a wijk and a gebied: open proposals, decisions and agenda versions, with
only what a visitor who is not signed in may read, whoever asks."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from agendas.models import WijkagendaVersion
from participation.models import Proposal
from tests.factories import ProposalFactory, WijkagendaFactory, WijkFactory
from tests.helpers import count_queries, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict[str, str]]:
    """Each entry's title, link, published date and content, in the feed's order."""
    feed = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title", ""),
            "link": entry.find(f"{ATOM}link").get("href", ""),
            "published": entry.findtext(f"{ATOM}published", ""),
            "content": entry.findtext(f"{ATOM}summary", ""),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def titles(response) -> list[str]:
    return [entry["title"] for entry in entries(response)]


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def decided(title: str, wijk, *, days_ago: int, **kwargs) -> Proposal:
    return ProposalFactory(
        title=title,
        gebiedsteam=wijk.gebiedsteam,
        wijken=[wijk],
        status=Proposal.Status.DECIDED,
        opens_at=ago(60),
        closes_at=ago(30),
        decided_at=ago(days_ago),
        decision="We leggen het speelveld aan.",
        input_feedback="Jullie wensen voor een trapveld zijn overgenomen.",
        **kwargs,
    )


def test_the_proposals_feed_of_a_wijk_holds_its_open_public_proposals_newest_first(
    wijk, other_wijk
) -> None:
    team = wijk.gebiedsteam
    ProposalFactory(title="Speelveld", gebiedsteam=team, wijken=[wijk], opens_at=ago(5))
    ProposalFactory(title="Bankjes", gebiedsteam=team, wijken=[wijk], opens_at=ago(1))
    ProposalFactory(title="Concept", gebiedsteam=team, wijken=[wijk], status="draft")
    ProposalFactory(title="Voor de raad", gebiedsteam=team, wijken=[wijk], council_only=True)
    ProposalFactory(title="Gesloten", gebiedsteam=team, wijken=[wijk], closes_at=ago(1))
    ProposalFactory(title="Elders", gebiedsteam=other_wijk.gebiedsteam, wijken=[other_wijk])

    response = Client().get(f"/wijken/{wijk.slug}/feeds/voorstellen.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.cookies == {}
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Proposals open for reactions in Quirijnstok"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        f"http://testserver/wijken/{wijk.slug}/feeds/voorstellen.xml"
    )
    assert titles(response) == ["Bankjes", "Speelveld"]
    first = entries(response)[0]
    bankjes = Proposal.objects.get(title="Bankjes")
    assert first["link"] == f"http://testserver{bankjes.get_absolute_url()}"
    assert "<p>We stellen voor het speelveld opnieuw in te richten.</p>" in first["content"]
    assert "You can react until" in first["content"]


def test_the_decisions_feed_shows_each_decision_with_what_was_done_with_the_input(wijk) -> None:
    decided("Speelveld", wijk, days_ago=10)
    decided("Bomen", wijk, days_ago=2)
    decided("Raadszaak", wijk, days_ago=1, council_only=True)
    ProposalFactory(title="Open", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
    ProposalFactory(
        title="Ingetrokken", gebiedsteam=wijk.gebiedsteam, wijken=[wijk], status="withdrawn"
    )

    response = Client().get(f"/wijken/{wijk.slug}/feeds/besluiten.xml")

    assert titles(response) == ["Decision: Bomen", "Decision: Speelveld"]
    content = entries(response)[0]["content"]
    assert "<p>We leggen het speelveld aan.</p>" in content
    assert "What we did with your input" in content
    assert "<p>Jullie wensen voor een trapveld zijn overgenomen.</p>" in content


def test_the_agenda_feed_holds_the_published_versions_of_the_wijks_agendas(
    wijk, other_wijk, team_member
) -> None:
    agenda = WijkagendaFactory(
        title="Wijkagenda Quirijnstok", gebiedsteam=wijk.gebiedsteam, wijken=[wijk]
    )
    agenda.publish(by=team_member, change_summary="Eerste versie met de buurtambities.")
    agenda.publish(by=team_member, change_summary="")
    draft = WijkagendaFactory(
        title="Concept", gebiedsteam=wijk.gebiedsteam, wijken=[wijk], status="draft"
    )
    WijkagendaVersion.objects.create(wijkagenda=draft, number=1, change_summary="Geheim")
    elsewhere = WijkagendaFactory(gebiedsteam=other_wijk.gebiedsteam, wijken=[other_wijk])
    WijkagendaVersion.objects.create(wijkagenda=elsewhere, number=1)

    response = Client().get(f"/wijken/{wijk.slug}/feeds/wijkagendas.xml")

    assert titles(response) == [
        "Wijkagenda Quirijnstok, version 2",
        "Wijkagenda Quirijnstok, version 1",
    ]
    second, first = entries(response)
    assert second["link"] == (f"http://testserver/wijkagendas/{agenda.slug}/versies/#versie-2")
    assert "A new version of the wijkagenda was published." in second["content"]
    assert "<p>Eerste versie met de buurtambities.</p>" in first["content"]
    changelog = Client().get(f"/wijkagendas/{agenda.slug}/versies/")
    assert 'id="versie-2"' in changelog.content.decode()


def test_the_feeds_of_a_gebied_hold_every_wijk_of_its_team(wijk, other_wijk) -> None:
    second_wijk = WijkFactory(name="Stokhasselt", slug="stokhasselt", gebiedsteam=wijk.gebiedsteam)
    team = wijk.gebiedsteam
    ProposalFactory(title="Hier", gebiedsteam=team, wijken=[wijk], opens_at=ago(2))
    ProposalFactory(title="Daar", gebiedsteam=team, wijken=[second_wijk], opens_at=ago(1))
    ProposalFactory(title="Elders", gebiedsteam=other_wijk.gebiedsteam, wijken=[other_wijk])
    decided("Besloten", second_wijk, days_ago=3)

    proposals = Client().get(f"/gebieden/{team.slug}/feeds/voorstellen.xml")
    decisions = Client().get(f"/gebieden/{team.slug}/feeds/besluiten.xml")

    assert titles(proposals) == ["Daar", "Hier"]
    assert ET.fromstring(proposals.content).findtext(f"{ATOM}title") == (
        f"Proposals open for reactions in gebied {team.name}"
    )
    assert titles(decisions) == ["Decision: Besloten"]


def test_a_team_member_gets_the_same_feed_as_anyone(wijk, team_member) -> None:
    ProposalFactory(title="Open", gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
    ProposalFactory(title="Concept", gebiedsteam=wijk.gebiedsteam, wijken=[wijk], status="draft")
    url = f"/wijken/{wijk.slug}/feeds/voorstellen.xml"

    assert titles(signed_in(team_member).get(url)) == titles(Client().get(url)) == ["Open"]


@pytest.mark.parametrize("place", ["wijken", "gebieden"])
@pytest.mark.parametrize("feed", ["voorstellen", "besluiten", "wijkagendas"])
def test_the_feed_of_an_unknown_place_is_not_found(wijk, place, feed) -> None:
    assert Client().get(f"/{place}/onbekend/feeds/{feed}.xml").status_code == 404


@pytest.mark.parametrize("feed", ["voorstellen", "besluiten", "wijkagendas"])
def test_a_feed_takes_as_many_queries_for_thirty_entries_as_for_one(
    wijk, team_member, feed
) -> None:
    team = wijk.gebiedsteam
    url = f"/wijken/{wijk.slug}/feeds/{feed}.xml"

    def add(count: int) -> None:
        for _ in range(count):
            ProposalFactory(gebiedsteam=team, wijken=[wijk])
            decided("Besloten", wijk, days_ago=1)
            agenda = WijkagendaFactory(gebiedsteam=team, wijken=[wijk])
            agenda.publish(by=team_member)

    add(1)
    one = count_queries(Client(), url)
    add(29)
    thirty = count_queries(Client(), url)

    assert len(entries(Client().get(url))) == 30
    assert thirty == one


def test_the_wijk_and_gebied_pages_link_to_their_feeds(wijk) -> None:
    team = wijk.gebiedsteam
    for page, prefix in (
        (f"/wijken/{wijk.slug}/", f"/wijken/{wijk.slug}"),
        (f"/gebieden/{team.slug}/", f"/gebieden/{team.slug}"),
    ):
        html = Client().get(page).content.decode()
        for feed in ("voorstellen", "besluiten", "wijkagendas"):
            url = f"{prefix}/feeds/{feed}.xml"
            assert '<link rel="alternate" type="application/atom+xml"' in html
            assert html.count(f'href="{url}"') == 2, (page, feed)
