from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from areas.geometry import footprint
from areas.models import Wijk
from areas.services import import_boundaries
from areas.views_figures import FigureClass, dutch_number, quantile_classes
from tests.factories import SQUARE, GebiedsteamFactory, WijkFactory
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.english]

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PAGE = "/kaart/kerncijfers/"
GEOJSON = "/kaart/kerncijfers.geojson"
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]


def with_boundary(wijk: Wijk) -> Wijk:
    wijk.apply_footprint(footprint(SQUARE), source="file", year=2024)
    wijk.save()
    return wijk


def table_rows(response: Any) -> list[list[str]]:
    """The cells of the figures table, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    body = re.search(r'<table id="figures-table".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "no figures table"
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


# the classes


def test_quantile_classes_put_ten_values_in_five_groups_of_two():
    classes = quantile_classes([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])

    assert classes == [
        FigureClass(number=1, lower=10, upper=20, colour=BLUES[0]),
        FigureClass(number=2, lower=30, upper=40, colour=BLUES[1]),
        FigureClass(number=3, lower=50, upper=60, colour=BLUES[2]),
        FigureClass(number=4, lower=70, upper=80, colour=BLUES[3]),
        FigureClass(number=5, lower=90, upper=100, colour=BLUES[4]),
    ]


def test_quantile_classes_keep_equal_values_together():
    classes = quantile_classes([5, 5, 5, 5, 7, 8, 9, 9, 9, 12])

    assert [(c.lower, c.upper) for c in classes] == [(5, 5), (7, 8), (9, 9), (12, 12)]
    # Four classes still run from the lightest to the darkest colour.
    assert [c.colour for c in classes] == [BLUES[0], BLUES[1], BLUES[3], BLUES[4]]


def test_quantile_classes_of_one_value_and_of_none():
    assert quantile_classes([300, 300]) == [
        FigureClass(number=1, lower=300, upper=300, colour=BLUES[2])
    ]
    assert quantile_classes([]) == []


def test_class_labels_use_dutch_number_format():
    assert FigureClass(number=1, lower=1250, upper=12500, colour="").label == "1.250 – 12.500"
    assert FigureClass(number=1, lower=900, upper=900, colour="").label == "900"
    assert dutch_number(1234567) == "1.234.567"


# the page


@pytest.fixture
def wijken() -> list[Wijk]:
    noord = GebiedsteamFactory(name="Noord", slug="noord")
    west = GebiedsteamFactory(name="West", slug="west")
    figures = [
        ("Heikant", noord, 7000, 5100, 3100),
        ("Het Zand", west, 12500, 6200, 5600),
        ("Stokhasselt", noord, 5000, 4800, 2300),
        ("Wandelbos", west, 1250, 900, 600),
        ("De Reit", west, 9000, 3000, 4000),
        ("Quirijnstok", noord, None, None, None),
    ]
    return [
        with_boundary(
            WijkFactory(
                name=name,
                slug=name.lower().replace(" ", "-"),
                gebiedsteam=gebied,
                inhabitants=inhabitants,
                population_density=density,
                dwellings=dwellings,
                figures_year=2023 if name == "Heikant" else None,
            )
        )
        for name, gebied, inhabitants, density, dwellings in figures
    ]


def test_key_figures_page_lists_wijken_by_inhabitants_with_their_class(client, wijken):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["figure"].key == "inwoners"
    assert table_rows(response) == [
        ["Het Zand", "West", "12.500", "12.500"],
        ["De Reit", "West", "9.000", "9.000"],
        ["Heikant", "Noord", "7.000", "7.000"],
        ["Stokhasselt", "Noord", "5.000", "5.000"],
        ["Wandelbos", "West", "1.250", "1.250"],
        ["Quirijnstok", "Noord", "unknown", "unknown"],
    ]
    assert [c.label for c in response.context["classes"]] == [
        "1.250",
        "5.000",
        "7.000",
        "9.000",
        "12.500",
    ]
    assert response.context["unknown_count"] == 1


def test_key_figures_page_shows_the_source_with_the_year_of_the_figures(client, wijken):
    response = client.get(PAGE, {"cijfer": "dichtheid"})

    html = response.content.decode()
    source = re.search(r'<p class="source" id="cbs-source">(.*?)</p>', html, re.S)
    assert source is not None
    assert source.group(1) == "Source: Kadaster / Centraal Bureau voor de Statistiek, 2023"
    assert (
        html.count('data-cbs-attribution="Kadaster / Centraal Bureau voor de Statistiek, 2023"')
        == 1
    )


def test_key_figures_page_for_density_and_dwellings(client, wijken):
    density = client.get(PAGE, {"cijfer": "dichtheid"})
    dwellings = client.get(PAGE, {"cijfer": "woningen"})

    assert [row[0] for row in table_rows(density)] == [
        "Het Zand",
        "Heikant",
        "Stokhasselt",
        "De Reit",
        "Wandelbos",
        "Quirijnstok",
    ]
    assert [row[2] for row in table_rows(dwellings)] == [
        "5.600",
        "4.000",
        "3.100",
        "2.300",
        "600",
        "unknown",
    ]
    assert dwellings.context["map_layers"] == [
        {
            "url": "/kaart/kerncijfers.geojson?cijfer=woningen",
            "kind": "figures",
            "fit": True,
            "legend": [
                {"label": "600", "colour": BLUES[0]},
                {"label": "2.300", "colour": BLUES[1]},
                {"label": "3.100", "colour": BLUES[2]},
                {"label": "4.000", "colour": BLUES[3]},
                {"label": "5.600", "colour": BLUES[4]},
                {"label": "unknown", "colour": "#ffffff", "unknown": True},
            ],
        }
    ]


def test_key_figures_classes_group_many_wijken(client):
    gebied = GebiedsteamFactory()
    for number in range(1, 11):
        WijkFactory(name=f"Wijk {number:02d}", gebiedsteam=gebied, inhabitants=number * 1000)

    response = client.get(PAGE)

    assert [c.label for c in response.context["classes"]] == [
        "1.000 – 2.000",
        "3.000 – 4.000",
        "5.000 – 6.000",
        "7.000 – 8.000",
        "9.000 – 10.000",
    ]
    assert [(row[0], row[3]) for row in table_rows(response)][:3] == [
        ("Wijk 10", "9.000 – 10.000"),
        ("Wijk 09", "9.000 – 10.000"),
        ("Wijk 08", "7.000 – 8.000"),
    ]
    assert response.context["unknown_count"] == 0


def test_key_figures_equal_values_keep_alphabetical_order(client):
    gebied = GebiedsteamFactory()
    for name in ["Zuid", "Abdij", "Midden"]:
        WijkFactory(name=name, gebiedsteam=gebied, inhabitants=4000)

    response = client.get(PAGE)

    assert [row[0] for row in table_rows(response)] == ["Abdij", "Midden", "Zuid"]


def test_key_figures_page_without_wijken_says_so(client):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["classes"] == []
    assert table_rows(response) == [["There are no wijken yet."]]


def test_key_figures_unknown_figure_is_400_with_a_message(client, wijken):
    response = client.get(PAGE, {"cijfer": "misdaad"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "cijfer": [
            "We do not know the key figure “misdaad”. Choose inhabitants, inhabitants per "
            "km² or dwellings."
        ]
    }
    html = response.content.decode()
    assert html.count('id="figures-table"') == 0
    assert html.count("data-map ") == 0


def test_key_figures_page_query_count_does_not_grow_with_wijken(client):
    gebied = GebiedsteamFactory()
    WijkFactory(gebiedsteam=gebied)
    small = count_queries(client, PAGE)

    for _ in range(10):
        WijkFactory(gebiedsteam=GebiedsteamFactory())

    assert count_queries(client, PAGE) == small == 1
    assert count_queries(client, GEOJSON) == 1


# the GeoJSON for the map


def test_key_figures_geojson_colours_each_wijk_by_its_class(client, wijken):
    response = client.get(GEOJSON, {"cijfer": "inwoners"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    data = response.json()
    assert [
        (
            f["properties"]["name"],
            f["properties"]["value_label"],
            f["properties"]["class"],
            f["properties"]["colour"],
        )
        for f in data["features"]
    ] == [
        ("Het Zand", "12.500", 5, BLUES[4]),
        ("De Reit", "9.000", 4, BLUES[3]),
        ("Heikant", "7.000", 3, BLUES[2]),
        ("Stokhasselt", "5.000", 2, BLUES[1]),
        ("Wandelbos", "1.250", 1, BLUES[0]),
        ("Quirijnstok", "unknown", None, "#ffffff"),
    ]
    assert data["features"][0]["properties"]["url"] == "/wijken/het-zand/"
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_key_figures_geojson_leaves_out_wijken_without_a_boundary(client, wijken):
    WijkFactory(name="Zonder grens", inhabitants=100_000)

    data = client.get(GEOJSON).json()

    assert len(data["features"]) == 6
    assert "Zonder grens" not in [f["properties"]["name"] for f in data["features"]]


def test_key_figures_geojson_unknown_figure_is_400(client):
    response = client.get(GEOJSON, {"cijfer": "misdaad"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "We do not know the key figure “misdaad”. Choose inhabitants, inhabitants "
        "per km² or dwellings."
    }


def test_key_figures_geojson_repeat_is_304_and_compressed(client, wijken):
    first = client.get(GEOJSON, HTTP_ACCEPT_ENCODING="gzip")
    repeat = client.get(GEOJSON, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(first.content))["features"]) == 6
    assert repeat.status_code == 304


def test_key_figures_page_is_named_in_the_urls():
    assert reverse("areas:key-figures") == PAGE
    assert reverse("areas:key-figures-geojson") == GEOJSON


# the real wijken of Tilburg


def test_key_figures_of_the_real_wijken_fit_the_map_budget(client):
    wijken = json.loads((DATA / "tilburg-wijken.geojson").read_text(encoding="utf-8"))
    gebied = GebiedsteamFactory()
    for feature in wijken["features"]:
        code = feature["properties"]["code"]
        WijkFactory(code=code, slug=code.lower(), gebiedsteam=gebied, inhabitants=None)
    import_boundaries(wijken=wijken)

    page = client.get(PAGE)
    packed = client.get(GEOJSON, HTTP_ACCEPT_ENCODING="gzip")

    data = json.loads(gzip.decompress(packed.content))
    assert len(data["features"]) == len(wijken["features"]) == 59
    # The choropleth's GeoJSON stays well under the 100 KB compressed that a map may load.
    assert len(packed.content) < 100_000
    classes = page.context["classes"]
    assert len(classes) == 5
    counts = [sum(1 for row in page.context["rows"] if row.figure_class == c) for c in classes]
    # Quantiles: about as many wijken in each class (59 / 5), none left out.
    assert sum(counts) + page.context["unknown_count"] == 59
    assert max(counts) - min(counts) <= 3
