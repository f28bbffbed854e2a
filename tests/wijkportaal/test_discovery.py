"""What search engines and security researchers look for: robots.txt, the sitemap with every
public page and nothing else, and security.txt."""

from __future__ import annotations

import datetime as dt
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.utils import timezone

from participation.models import Initiative
from tests.factories import (
    InitiativeFactory,
    MeetingFactory,
    PartnerOrganisationFactory,
    ProposalFactory,
    WijkagendaFactory,
    WijkraadFactory,
)
from tests.helpers import count_queries, signed_in

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response) -> list[str]:
    return [loc.text or "" for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def paths(response) -> list[str]:
    return [url.removeprefix("http://testserver") for url in locations(response)]


def test_robots_txt_keeps_crawlers_out_of_the_signed_in_pages_and_names_the_sitemap() -> None:
    response = Client().get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.cookies == {}
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /account/",
        "Disallow: /werkplek/",
        "Disallow: /volgen/",
        "Disallow: /api/v1/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_security_txt_gives_the_contact_and_expires_within_a_year(settings) -> None:
    settings.WIJKPORTAAL_SECURITY_CONTACT = "mailto:cert@tilburg.example"

    response = Client().get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:cert@tilburg.example"
    assert fields["Preferred-Languages"] == "nl, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = dt.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    assert expires == today + dt.timedelta(days=180)


def test_the_sitemap_index_lists_one_sitemap_per_kind_of_page() -> None:
    response = Client().get("/sitemap.xml")

    assert response.status_code == 200
    assert response.cookies == {}
    assert paths(response) == [
        f"/sitemap-{name}.xml"
        for name in (
            "paginas",
            "gebieden",
            "wijken",
            "wijkagendas",
            "voorstellen",
            "bijeenkomsten",
            "initiatieven",
            "wijkraden",
            "organisaties",
            "pacten",
            "allianties",
        )
    ]


def test_the_sitemap_holds_the_public_pages_and_nothing_unpublished(wijk, team_member) -> None:
    team = wijk.gebiedsteam
    agenda = WijkagendaFactory(slug="agenda-open", gebiedsteam=team, wijken=[wijk])
    WijkagendaFactory(slug="agenda-concept", gebiedsteam=team, wijken=[wijk], status="draft")
    public = ProposalFactory(slug="open", gebiedsteam=team, wijken=[wijk])
    ProposalFactory(slug="concept", gebiedsteam=team, wijken=[wijk], status="draft")
    ProposalFactory(slug="raad", gebiedsteam=team, wijken=[wijk], council_only=True)
    meeting = MeetingFactory(gebiedsteam=team, public=True)
    closed = MeetingFactory(gebiedsteam=team, public=False)
    taken_up = InitiativeFactory(
        wijk=wijk, status=Initiative.Status.CONVERSATION, published_at=timezone.now()
    )
    waiting = InitiativeFactory(wijk=wijk)
    raad = WijkraadFactory(slug="wijkraad-quirijnstok")
    organisation = PartnerOrganisationFactory(slug="contourdetwern")

    def section(name: str) -> list[str]:
        return paths(Client().get(f"/sitemap-{name}.xml"))

    assert section("wijkagendas") == [agenda.get_absolute_url()]
    assert section("voorstellen") == [public.get_absolute_url()]
    assert section("bijeenkomsten") == [meeting.get_absolute_url()]
    assert section("initiatieven") == [taken_up.get_absolute_url()]
    assert section("wijken") == [wijk.get_absolute_url()]
    assert section("gebieden") == [team.get_absolute_url()]
    assert section("wijkraden") == [raad.get_absolute_url()]
    assert organisation.get_absolute_url() in section("organisaties")
    assert section("paginas")[:2] == ["/", "/kaart/"]
    for hidden in (closed.get_absolute_url(), waiting.get_absolute_url(), "/voorstellen/concept/"):
        for name in ("bijeenkomsten", "initiatieven", "voorstellen"):
            assert hidden not in section(name)
    # Signed in, the sitemap is the same: it is made for whoever does not sign in.
    assert paths(signed_in(team_member).get("/sitemap-voorstellen.xml")) == [
        public.get_absolute_url()
    ]


def test_a_sitemap_says_when_each_page_last_changed(wijk) -> None:
    proposal = ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk])

    response = Client().get("/sitemap-voorstellen.xml")

    [lastmod] = [m.text for m in ET.fromstring(response.content).iter(f"{SITEMAP}lastmod")]
    assert lastmod == timezone.localtime(proposal.updated_at).date().isoformat()


def test_a_sitemap_takes_as_many_queries_for_many_pages_as_for_one(wijk) -> None:
    ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk])
    one = count_queries(Client(), "/sitemap-voorstellen.xml")
    for _ in range(20):
        ProposalFactory(gebiedsteam=wijk.gebiedsteam, wijken=[wijk])

    assert count_queries(Client(), "/sitemap-voorstellen.xml") == one
    assert len(locations(Client().get("/sitemap-voorstellen.xml"))) == 21


@pytest.mark.parametrize("url", ["/sitemap-onbekend.xml", "/sitemap-voorstellen.xml?p=99"])
def test_an_unknown_sitemap_or_page_is_not_found(url) -> None:
    assert Client().get(url).status_code == 404


def test_publiccode_yml_describes_this_version_of_the_portal() -> None:
    """publiccode.yml (standard 0.4): the keys a catalogue requires, and the version and
    licence of pyproject.toml."""
    root = Path(__file__).resolve().parents[2]
    code = yaml.safe_load((root / "publiccode.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    required = {
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    }
    assert required <= set(code)
    assert code["publiccodeYmlVersion"] == "0.4"
    assert code["softwareVersion"] == project["version"]
    assert code["legal"]["license"] == project["license"]["text"]
    for language in ("nl", "en"):
        description = code["description"][language]
        assert len(description["shortDescription"]) <= 150
        assert len(description["longDescription"]) >= 150
    assert code["localisation"]["availableLanguages"] == ["nl", "en"]
