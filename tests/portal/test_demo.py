from __future__ import annotations

import datetime as dt
import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone
from shapely.geometry import Point, shape

from agendas.models import Action, Status, Theme, Wijkagenda
from areas.models import Buurt, Gebiedsteam, GeometrySource, Wijk, Wijkraad
from meetings.models import Meeting
from pacts.models import Alliance, Collaboration, Pact, PartnerOrganisation
from participation.models import Proposal
from tests.areas.fake_pdok import FakePdok
from tests.helpers import shared_rows

pytestmark = pytest.mark.django_db

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
DEMO_APPS = ("accounts", "areas", "pacts", "agendas")


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_tilburg", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
    }


def contents() -> dict[str, list[dict[str, Any]]]:
    """Every row of the demo's apps without `updated_at`, in primary-key order."""
    result = {}
    for app in DEMO_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.name != "updated_at"]
            result[model._meta.label] = list(model._default_manager.order_by("pk").values(*fields))
    return result


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def a_second_load_changes_nothing(*args: str) -> None:
    """Loading again with the same arguments changes no row of the demo's apps."""
    counts, before = row_counts(), contents()

    output = load(*args)

    assert row_counts() == counts
    assert contents() == before
    assert list(Wijkagenda.objects.values_list("version", flat=True)) == [1, 1, 1, 1, 1]
    assert "Wijken: 59" in output.splitlines()


def _loaded_once(django_db_blocker: Any, *args: str) -> Iterator[str]:
    with shared_rows(django_db_blocker):
        yield load(*args)


# The tests that only read what one load wrote share it: one load per class instead of one
# per test (each test runs in a savepoint, so what it changes is gone for the next).
@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`load_tilburg` with its content and schematic boundaries; what it printed."""
    yield from _loaded_once(django_db_blocker)


@pytest.fixture(scope="class")
def demo_facts(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`load_tilburg --no-content`: the facts only; what it printed."""
    yield from _loaded_once(django_db_blocker, "--no-content")


@pytest.fixture(scope="class")
def demo_with_boundaries(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`load_tilburg --boundaries <the CBS files>`; what it printed."""
    yield from _loaded_once(django_db_blocker, "--boundaries", str(SHARED_DATA))


def test_load_tilburg_without_source_keeps_imported_boundaries():
    load("--no-content", "--boundaries", str(SHARED_DATA))
    geometry = Wijk.objects.get(code="WK085532").geometry

    load("--no-content")

    wijk = Wijk.objects.get(code="WK085532")
    assert (wijk.geometry_source, wijk.geometry) == (GeometrySource.FILE, geometry)
    assert Buurt.objects.count() == 254


def test_load_tilburg_with_a_directory_without_files_fails_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        load("--boundaries", str(tmp_path))

    assert str(excinfo.value) == (
        f"{tmp_path}: verwacht precies één bestand *wijken*.geojson, gevonden: geen."
    )
    assert Gebiedsteam.objects.count() == 0


def test_load_tilburg_pdok_unreachable_falls_back_to_schematic(settings):
    settings.WIJKPORTAAL_PDOK_WFS_URL = f"http://127.0.0.1:{closed_port()}/wfs/{{year}}"
    settings.WIJKPORTAAL_PDOK_TIMEOUT = 2.0

    output = load("--pdok", "--no-content")

    lines = output.splitlines()
    assert lines[0].startswith("PDOK niet bereikbaar: Could not reach PDOK at http://127.0.0.1:")
    assert "Grenzen: schematisch" in lines
    assert set(Wijk.objects.values_list("geometry_source", flat=True)) == {GeometrySource.SCHEMATIC}


def test_load_tilburg_from_pdok_imports_wijken_and_buurten(settings):
    with FakePdok() as fake:
        settings.WIJKPORTAAL_PDOK_WFS_URL = fake.url
        output = load("--pdok", "--no-content")

    assert Buurt.objects.count() == 254
    assert set(Wijk.objects.values_list("geometry_source", flat=True)) == {GeometrySource.PDOK}
    assert "Grenzen: PDOK" in output.splitlines()


class TestOneLoad:
    """What one `load_tilburg` writes, and that a second one changes nothing."""

    def test_load_tilburg_creates_the_eight_gebiedsteams_and_59_wijken(self, demo):
        output = demo

        assert Gebiedsteam.objects.count() == 8
        assert Wijk.objects.count() == 59
        assert set(Gebiedsteam.objects.filter(focus=True).values_list("name", flat=True)) == {
            "Noord",
            "West",
            "Oud-Zuid West & Zuid",
        }
        assert len(set(Gebiedsteam.objects.values_list("colour", flat=True))) == 8
        assert "Gebiedsteams: 8" in output.splitlines()
        assert "Wijken: 59" in output.splitlines()
        assert "Grenzen: schematisch" in output.splitlines()

    def test_load_tilburg_partners_pacts_and_alliances(self, demo):
        assert set(PartnerOrganisation.objects.values_list("name", flat=True)) >= {
            "WonenBreburg",
            "TBV Wonen",
            "Tiwos",
            "ContourdeTwern",
            "De Toegang",
            "Politie",
            "Gemeente Tilburg",
            "Bewoners Belang Jeruzalem",
        }
        kern = Alliance.objects.get(slug="kernalliantie")
        assert kern.parent.name == "Stedelijke Alliantie"
        assert sorted(kern.focus_gebiedsteams.values_list("name", flat=True)) == ["Noord", "West"]
        assert list(kern.focus_wijken.values_list("name", flat=True)) == ["Groenewoud"]
        groenewoud = Pact.objects.get(slug="pact-groenewoud")
        assert groenewoud.approach == "Systemisch Samenwerken"
        assert groenewoud.commitments.count() == 5
        assert set(Pact.objects.values_list("slug", flat=True)) == {
            "pact-groenewoud",
            "pact-aanpak-west",
            "pact-aanpak-noord",
        }
        assert set(Collaboration.objects.values_list("kind", flat=True)) == set(
            Collaboration.Kind.values
        )

    def test_load_tilburg_agendas_are_published_and_alive(self, demo):
        today = timezone.localdate()

        agendas = Wijkagenda.objects.order_by("slug")
        assert [(a.slug, a.status, a.version) for a in agendas] == [
            ("dorpsagenda-udenhout", Status.PUBLISHED, 1),
            ("wijkagenda-binnenstad", Status.PUBLISHED, 1),
            ("wijkagenda-groenewoud", Status.PUBLISHED, 1),
            ("wijkagenda-noord-heikant-quirijnstok-stokhasselt", Status.PUBLISHED, 1),
            ("wijkagenda-west-het-zand-wandelbos-de-reit", Status.PUBLISHED, 1),
        ]
        west = Wijkagenda.objects.get(slug="wijkagenda-west-het-zand-wandelbos-de-reit")
        assert sorted(west.wijken.values_list("name", flat=True)) == [
            "De Reit",
            "Het Zand",
            "Wandelbos Noord",
            "Wandelbos Zuid",
        ]
        assert Wijkagenda.objects.get(slug="dorpsagenda-udenhout").kind == Wijkagenda.Kind.DORP
        assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
        assert any(a.is_overdue for a in Action.objects.all())
        assert (
            Action.objects.open()
            .filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=14))
            .exists()
        )
        assert Proposal.objects.open_now().count() == 5
        assert (
            Proposal.objects.filter(status=Proposal.Status.DECIDED)
            .exclude(input_feedback="")
            .count()
            == 5
        )
        assert set(Meeting.objects.values_list("kind", flat=True)) == set(Meeting.Kind.values)
        assert Meeting.objects.upcoming().exists()
        assert Meeting.objects.filter(ends_at__lt=timezone.now()).exists()
        for agenda in agendas:
            councils = Wijkraad.objects.filter(wijken__in=agenda.wijken.all()).distinct()
            assert councils.exists(), agenda.slug

    def test_load_tilburg_twice_changes_nothing(self, demo):
        a_second_load_changes_nothing()

    def test_load_tilburg_initiatives_in_every_state(self, demo):
        from participation.models import Initiative

        rows = [
            (i.title, i.status, i.published_at is None)
            for i in Initiative.objects.order_by("title")
        ]
        assert rows == [
            ("Buurtbarbecue op het Heikantplein", "conversation", False),
            ("Jeu-de-boulesbaan bij de Kruidenbuurt", "received", True),
            ("Moestuinbakken in het Quirijnstokpark", "supported", False),
            ("Opruimochtend langs de Piushaven-route", "received", True),
            ("Tweede parkeerplaats voor mijn busje", "not_supported", True),
        ]
        supported = Initiative.objects.get(status="supported")
        assert list(supported.actions.values_list("title", flat=True)) == [
            "Moestuin in het Quirijnstokpark"
        ]
        assert supported.partner.name == "ContourdeTwern"
        assert list(supported.steps.values_list("status", flat=True)) == [
            "received",
            "conversation",
            "supported",
        ]
        discussed = Meeting.objects.filter(initiatives__isnull=False).values_list(
            "title", "initiatives__title"
        )
        assert list(discussed) == [
            ("Inloop in het VerHalenHuis", "Buurtbarbecue op het Heikantplein")
        ]


class TestFactsOnly:
    """What `load_tilburg --no-content` writes: the facts of every wijk, no content."""

    @pytest.mark.parametrize(
        ("name", "kind", "gebiedsteam"),
        [
            ("Berkel-Enschot", Wijk.Kind.DORP, "Dorpen"),
            ("Udenhout", Wijk.Kind.DORP, "Dorpen"),
            ("Biezenmortel", Wijk.Kind.DORP, "Dorpen"),
            ("Groenewoud", Wijk.Kind.WIJK, "Oud-Zuid West & Zuid"),
            ("Het Zand", Wijk.Kind.WIJK, "West"),
            ("Bedrijventerrein Vossenberg", Wijk.Kind.BEDRIJVENTERREIN, "Noord"),
            ("Ind.terrein Loven", Wijk.Kind.BEDRIJVENTERREIN, "Noord"),
            ("De Oude Warande", Wijk.Kind.BUITENGEBIED, "West"),
            ("Buitengebied Tilburg Zuid-West", Wijk.Kind.BUITENGEBIED, "Oud-Zuid West & Zuid"),
        ],
    )
    def test_load_tilburg_gives_wijken_their_kind_and_gebiedsteam(
        self, demo_facts, name, kind, gebiedsteam
    ):
        wijk = Wijk.objects.select_related("gebiedsteam").get(name=name)
        assert (wijk.kind, wijk.gebiedsteam.name) == (kind, gebiedsteam)

    def test_load_tilburg_states_the_cbs_facts_of_a_wijk(self, demo_facts):
        wijk = Wijk.objects.select_related("stadsdeel").get(code="WK085532")
        assert (
            wijk.name,
            wijk.slug,
            wijk.stadsdeel.name,
            wijk.inhabitants,
            wijk.dwellings,
            wijk.area_land_ha,
            wijk.population_density,
            wijk.figures_year,
            wijk.label_lon,
            wijk.label_lat,
        ) == ("Groenewoud", "groenewoud", "Zuid", 7385, 3261, 134, 5525, 2024, 5.092, 51.5415)

    def test_load_tilburg_schematic_shapes_hold_each_wijks_label_point(self, demo_facts):
        wijken = list(Wijk.objects.all())
        assert {w.geometry_source for w in wijken} == {GeometrySource.SCHEMATIC}
        outside = [
            w.name for w in wijken if not shape(w.geometry).covers(Point(w.label_lon, w.label_lat))
        ]
        assert outside == []
        assert Buurt.objects.count() == 0
        assert Gebiedsteam.objects.filter(outline=None).count() == 0

    def test_load_tilburg_no_content_loads_facts_only(self, demo_facts):
        output = demo_facts

        assert Theme.objects.count() == 8
        assert PartnerOrganisation.objects.count() == 9
        assert Wijkagenda.objects.count() == 0
        assert Pact.objects.count() == 0
        assert "Organisaties: 9" in output.splitlines()


class TestWithBoundaryFiles:
    """`load_tilburg` with the CBS boundary files: the wijken's and buurten's shapes."""

    def test_load_tilburg_with_boundary_files_imports_buurten(self, demo_with_boundaries):
        output = demo_with_boundaries

        assert Buurt.objects.count() == 254
        assert set(Wijk.objects.values_list("geometry_source", flat=True)) == {GeometrySource.FILE}
        assert set(Wijk.objects.values_list("boundary_year", flat=True)) == {2024}
        assert "Grenzen: bestand" in output.splitlines()
        assert "Buurten: 254" in output.splitlines()

    def test_load_tilburg_twice_changes_nothing(self, demo_with_boundaries):
        a_second_load_changes_nothing("--boundaries", str(SHARED_DATA))
