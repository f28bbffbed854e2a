from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from areas.geometry import footprint
from areas.models import Buurt, Gebiedsteam, Wijk
from tests.factories import SQUARE, BuurtFactory, GebiedsteamFactory, WijkFactory
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def square(lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + size, lat],
                [lon + size, lat + size],
                [lon, lat + size],
                [lon, lat],
            ]
        ],
    }


def with_boundary(area: Wijk | Buurt, geometry: dict[str, Any] = SQUARE) -> Wijk | Buurt:
    area.apply_footprint(footprint(geometry), source="file", year=2024)
    area.save()
    return area


def wijk_at(lon: float, lat: float, **kwargs: Any) -> Wijk:
    return with_boundary(WijkFactory(**kwargs), square(lon, lat))


# wijk_list


def test_wijk_list_groups_wijken_by_gebiedsteam_in_order(client):
    zuid = GebiedsteamFactory(name="Zuid", position=2)
    noord = GebiedsteamFactory(name="Noord", position=1)
    WijkFactory(name="Zorgvlied", gebiedsteam=zuid)
    WijkFactory(name="Heikant", gebiedsteam=noord, inhabitants=7500)
    WijkFactory(name="Armhoefse Akkers", gebiedsteam=zuid)

    response = client.get(reverse("areas:wijk-list"))

    assert [(w.gebiedsteam.name, w.name) for w in response.context["wijken"]] == [
        ("Noord", "Heikant"),
        ("Zuid", "Armhoefse Akkers"),
        ("Zuid", "Zorgvlied"),
    ]
    html = response.content.decode()
    assert html.count('class="wijk-group"') == 2
    assert response.context["map_layers"] == [
        {"url": "/kaart/wijken.geojson", "kind": "wijken", "fit": True}
    ]


def test_wijk_list_filters_by_name_ignoring_case(client):
    WijkFactory(name="Berkel-Enschot")
    WijkFactory(name="Heikant")
    WijkFactory(name="De Berg")

    response = client.get(reverse("areas:wijk-list"), {"q": "BERK"})

    assert [w.name for w in response.context["wijken"]] == ["Berkel-Enschot"]
    assert response.context["query"] == "BERK"


def test_wijk_list_without_match_says_so(client):
    WijkFactory(name="Heikant")

    response = client.get(reverse("areas:wijk-list"), {"q": "Amsterdam"})

    assert list(response.context["wijken"]) == []
    assert text_of(response, "p", "result-count") == (
        "No wijk matches “Amsterdam”. Check the spelling, or search for a part of the name."
    )


def test_wijk_list_htmx_returns_only_the_results_fragment(client):
    WijkFactory(name="Reeshof-Noord")
    WijkFactory(name="Heikant")

    response = client.get(reverse("areas:wijk-list"), {"q": "rees"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.strip().startswith('<div id="wijk-results" class="wijk-results">')
    assert "<html" not in html
    assert [w.name for w in response.context["wijken"]] == ["Reeshof-Noord"]
    assert response["Vary"] == "HX-Request, Cookie, Accept-Encoding"


def test_wijk_list_page_has_search_form_that_works_without_js(client):
    response = client.get(reverse("areas:wijk-list"))

    html = response.content.decode()
    assert html.count('<form class="inline wijk-search" method="get" action="/wijken/"') == 1
    assert html.count('hx-trigger="keyup changed delay:300ms, search"') == 1
    assert html.count("data-locate-me hidden") == 1


def test_wijk_list_query_count_does_not_grow_with_wijken(client):
    gebieden = GebiedsteamFactory.create_batch(2)
    for gebied in gebieden:
        WijkFactory(gebiedsteam=gebied)
    url = reverse("areas:wijk-list")
    client.get(url)
    small = count_queries(client, url)
    for gebied in gebieden:
        WijkFactory.create_batch(9, gebiedsteam=gebied)

    assert count_queries(client, url) == small


# wijk_locate


def test_wijk_locate_redirects_to_the_wijk_at_the_point(client):
    wijk_at(5.0, 51.5, slug="oud-noord")
    wijk_at(5.1, 51.5, slug="heikant")

    response = client.get(reverse("areas:wijk-locate"), {"lon": "5.15", "lat": "51.55"})

    assert (response.status_code, response["Location"]) == (302, "/wijken/heikant/")


def test_wijk_locate_rebuilds_the_index_when_boundaries_change(client):
    wijk = wijk_at(5.0, 51.5, slug="oud-noord")
    url = reverse("areas:wijk-locate")
    assert client.get(url, {"lon": "5.05", "lat": "51.55"})["Location"] == "/wijken/oud-noord/"

    with_boundary(wijk, square(6.0, 52.0))
    wijk_at(5.0, 51.5, slug="heikant")

    response = client.get(url, {"lon": "5.05", "lat": "51.55"})
    assert (response.status_code, response["Location"]) == (302, "/wijken/heikant/")
    assert client.get(url, {"lon": "6.05", "lat": "52.05"})["Location"] == "/wijken/oud-noord/"


@pytest.mark.parametrize(
    ("params", "title", "message"),
    [
        (
            {},
            "No location given",
            "We need a longitude and a latitude to find a wijk. Choose a place on the map, "
            "or choose your wijk from the list.",
        ),
        (
            {"lon": "5.1"},
            "No location given",
            "We need a longitude and a latitude to find a wijk. Choose a place on the map, "
            "or choose your wijk from the list.",
        ),
        (
            {"lon": "vijf", "lat": "51.5"},
            "This location is not valid",
            "Longitude and latitude must be numbers. The longitude lies between -180 and 180, "
            "the latitude between -90 and 90.",
        ),
        (
            {"lon": "5.1", "lat": "95"},
            "This location is not valid",
            "Longitude and latitude must be numbers. The longitude lies between -180 and 180, "
            "the latitude between -90 and 90.",
        ),
        (
            {"lon": "nan", "lat": "51.5"},
            "This location is not valid",
            "Longitude and latitude must be numbers. The longitude lies between -180 and 180, "
            "the latitude between -90 and 90.",
        ),
    ],
)
def test_wijk_locate_bad_input_is_400_with_message(client, params, title, message):
    wijk_at(5.0, 51.5)

    response = client.get(reverse("areas:wijk-locate"), params)

    assert response.status_code == 400
    assert (response.context["title"], response.context["message"]) == (title, message)
    assert text_of(response, "p", "message message--error") == message
    assert [t.name for t in response.templates][:2] == [
        "areas/wijk_locate_error.html",
        "base.html",
    ]


def test_wijk_locate_outside_every_wijk_is_404_with_links(client, settings):
    settings.WIJKPORTAAL_MUNICIPALITY_NAME = "Tilburg"
    wijk_at(5.0, 51.5)

    response = client.get(reverse("areas:wijk-locate"), {"lon": "4.3", "lat": "52.1"})

    assert response.status_code == 404
    assert response.context["title"] == "This place is not in the municipality of Tilburg"
    assert response.context["outside"] is True
    html = response.content.decode()
    assert html.count('href="/wijken/"') >= 1
    assert html.count('href="/wijken/#kaart"') == 1


# GeoJSON


def test_gebieden_geojson_has_a_feature_per_gebied_with_outline(client):
    noord = GebiedsteamFactory(
        name="Noord", slug="noord", colour="#0b6e4f", position=1, outline=SQUARE, focus=True
    )
    WijkFactory.create_batch(2, gebiedsteam=noord)
    GebiedsteamFactory(name="Zonder vorm", position=2)

    response = client.get(reverse("areas:gebieden-geojson"))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response.json() == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "noord",
                "geometry": SQUARE,
                "properties": {
                    "name": "Noord",
                    "colour": "#0b6e4f",
                    "url": "/gebieden/noord/",
                    "wijk_count": 2,
                    "focus": True,
                },
            }
        ],
    }


def test_gebieden_geojson_filters_one_gebied(client):
    GebiedsteamFactory(slug="noord", outline=SQUARE)
    GebiedsteamFactory(slug="west", outline=SQUARE)

    response = client.get(reverse("areas:gebieden-geojson"), {"gebied": "west"})

    assert [f["id"] for f in response.json()["features"]] == ["west"]


def test_gebieden_geojson_unknown_gebied_is_404(client):
    GebiedsteamFactory(slug="noord", outline=SQUARE)

    response = client.get(reverse("areas:gebieden-geojson"), {"gebied": "atlantis"})

    assert (response.status_code, response.templates[0].name) == (404, "404.html")


def test_wijken_geojson_has_simplified_boundaries_and_properties(client):
    noord = GebiedsteamFactory(name="Noord", slug="noord", colour="#0b6e4f")
    heikant = wijk_at(5.0, 51.5, name="Heikant", slug="heikant", code="WK085510", gebiedsteam=noord)
    WijkFactory(name="Zonder grens", gebiedsteam=noord)

    response = client.get(reverse("areas:wijken-geojson"))

    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["features"] == [
        {
            "type": "Feature",
            "id": "WK085510",
            "geometry": heikant.geometry_simplified,
            "properties": {
                "name": "Heikant",
                "code": "WK085510",
                "kind": "wijk",
                "gebiedsteam": "Noord",
                "colour": "#0b6e4f",
                "url": "/wijken/heikant/",
                "inhabitants": 1000,
            },
        }
    ]


def test_wijken_geojson_filters_by_gebied_and_by_wijk(client):
    noord = GebiedsteamFactory(slug="noord")
    west = GebiedsteamFactory(slug="west")
    wijk_at(5.0, 51.5, gebiedsteam=noord, code="WK085501", slug="a")
    wijk_at(5.1, 51.5, gebiedsteam=noord, code="WK085502", slug="b")
    wijk_at(5.2, 51.5, gebiedsteam=west, code="WK085503", slug="c")
    url = reverse("areas:wijken-geojson")

    by_gebied = client.get(url, {"gebied": "noord"}).json()
    by_wijk = client.get(url, {"wijk": "c"}).json()

    assert [f["id"] for f in by_gebied["features"]] == ["WK085501", "WK085502"]
    assert [f["id"] for f in by_wijk["features"]] == ["WK085503"]


@pytest.mark.parametrize("params", [{"gebied": "atlantis"}, {"wijk": "atlantis"}])
def test_wijken_geojson_unknown_slug_is_404(client, params):
    wijk_at(5.0, 51.5)

    response = client.get(reverse("areas:wijken-geojson"), params)

    assert (response.status_code, response.templates[0].name) == (404, "404.html")


def test_buurten_geojson_leaves_out_buurten_without_geometry(client):
    wijk = wijk_at(5.0, 51.5, slug="heikant")
    buurt = with_boundary(BuurtFactory(wijk=wijk, name="Heikant-Oost", code="BU08551001"))
    BuurtFactory(wijk=wijk, name="Zonder grens")
    with_boundary(BuurtFactory(name="Elders"))

    response = client.get(reverse("areas:buurten-geojson", kwargs={"slug": "heikant"}))

    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "BU08551001",
                "geometry": buurt.geometry_simplified,
                "properties": {"name": "Heikant-Oost", "code": "BU08551001"},
            }
        ],
    }


def test_buurten_geojson_unknown_wijk_is_404(client):
    response = client.get(reverse("areas:buurten-geojson", kwargs={"slug": "atlantis"}))

    assert (response.status_code, response.templates[0].name) == (404, "404.html")


@pytest.mark.parametrize(
    "url",
    ["/kaart/gebieden.geojson", "/kaart/wijken.geojson", "/kaart/wijken/heikant/buurten.geojson"],
)
def test_geojson_repeat_with_etag_is_304(client, url):
    gebied = GebiedsteamFactory(outline=SQUARE)
    wijk = wijk_at(5.0, 51.5, slug="heikant", gebiedsteam=gebied)
    with_boundary(BuurtFactory(wijk=wijk))

    first = client.get(url)
    repeat = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert len(first.json()["features"]) == 1
    assert (repeat.status_code, repeat.content, repeat["ETag"]) == (304, b"", first["ETag"])
    assert repeat["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_geojson_etag_changes_with_the_data(client):
    gebied = GebiedsteamFactory(outline=SQUARE, name="Noord")
    url = reverse("areas:gebieden-geojson")
    first = client.get(url)

    gebied.name = "Noord-Oost"
    gebied.save(update_fields=["name"])
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert changed.json()["features"][0]["properties"]["name"] == "Noord-Oost"
    assert changed["ETag"] != first["ETag"]


def _map_data(scale: int, gebieden: list[Gebiedsteam], heikant: Wijk) -> None:
    for gebied in gebieden:
        for _ in range(scale):
            wijk_at(5.0, 51.5, gebiedsteam=gebied)
    for _ in range(scale):
        with_boundary(BuurtFactory(wijk=heikant))


@pytest.mark.parametrize(
    ("url", "feature_counts"),
    [
        ("/kaart/gebieden.geojson", (2, 2)),
        ("/kaart/wijken.geojson", (3, 21)),
        ("/kaart/wijken.geojson?gebied=noord", (2, 11)),
        ("/kaart/wijken.geojson?wijk=heikant", (1, 1)),
        ("/kaart/wijken/heikant/buurten.geojson", (1, 10)),
    ],
)
def test_geojson_query_count_does_not_grow_with_data(client, url, feature_counts):
    gebieden = [
        GebiedsteamFactory(slug="noord", outline=SQUARE),
        GebiedsteamFactory(outline=SQUARE),
    ]
    heikant = wijk_at(5.0, 51.5, slug="heikant", gebiedsteam=gebieden[0])
    _map_data(1, gebieden, heikant)
    small = count_queries(client, url)
    small_features = len(client.get(url).json()["features"])

    _map_data(9, gebieden, heikant)

    assert count_queries(client, url) == small
    assert (small_features, len(client.get(url).json()["features"])) == feature_counts


def text_of(response: Any, tag: str, css_class: str) -> str:
    """The text of the first element with exactly this tag and class, whitespace collapsed."""
    html = response.content.decode()
    match = re.search(rf'<{tag} class="{css_class}"[^>]*>(.*?)</{tag}>', html, re.S)
    assert match, f"no <{tag} class={css_class!r}>"
    text = re.sub(r"<[^>]+>", "", match.group(1))
    return " ".join(text.split())


def test_wijk_list_ignores_a_search_with_a_nul(client):
    WijkFactory(name="Heikant")

    response = client.get(reverse("areas:wijk-list"), {"q": "Hei\x00"})

    assert response.status_code == 200
    assert [w.name for w in response.context["wijken"]] == ["Heikant"]


def test_gebieden_geojson_ignores_a_gebied_with_a_nul(client):
    GebiedsteamFactory(slug="noord", outline=SQUARE)

    response = client.get(reverse("areas:gebieden-geojson"), {"gebied": "\x00"})

    assert response.status_code == 200
    assert [f["id"] for f in response.json()["features"]] == ["noord"]


@pytest.mark.parametrize("params", [{"gebied": "\x00"}, {"wijk": "\x00"}])
def test_wijken_geojson_ignores_a_slug_with_a_nul(client, params):
    wijk_at(5.0, 51.5, code="WK085501")

    response = client.get(reverse("areas:wijken-geojson"), params)

    assert response.status_code == 200
    assert [f["id"] for f in response.json()["features"]] == ["WK085501"]
