"""The maps in a real browser: located markers and clusters, the legend, full screen, my
location, the keyboard, the list beside the city map kept in step, the key figures, and the
basemap's tiles under the Content-Security-Policy."""

from __future__ import annotations

import base64
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from areas.models import Buurt, Gebiedsteam, Wijk
from tests.browser.conftest import (
    CSP_WATCH,
    Portal,
    new_page,
    nl,
    set_view,
    wait_for_maps,
    wait_for_points,
)
from wijkportaal.settings import tile_source

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

# Each test reads the demo that `portal` loaded once; its own transaction is rolled back.
pytestmark = pytest.mark.django_db

MAP = "[data-map]"
CENTRE_OF_MAP = """() => { const c = document.querySelector("[data-map]")._leafletMap.getCenter();
    return [c.lat, c.lng]; }"""
PRESSED = """(value) => document.querySelector(".map-control__button--fullscreen")
    .getAttribute("aria-pressed") === value"""
PATH_FILLS = """() => [...document.querySelectorAll(".leaflet-overlay-pane path")]
    .map((path) => path.getAttribute("fill"))"""
TABLE_FILLS = """() => [...document.querySelectorAll("#figures-table .figure-class .swatch")]
    .map((swatch) => swatch.querySelector("rect").getAttribute("fill"))"""
HEADING_STARTS = """(n) => document.querySelector("#located-list h2").textContent.trim()
    .startsWith(String(n) + " ")"""


def nl_count(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return ngettext(singular, plural, count) % {"counter": count}


@pytest.fixture
def page(browser: Browser, portal: Portal) -> Iterator[Page]:
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


def lonely_point(page: Page, portal: Portal) -> tuple[float, float, int]:
    """A view (lat, lon, zoom) on the located item furthest from any other: there the map
    shows a marker of its own, not a cluster."""
    features = page.request.get(portal("/kaart/locaties.geojson")).json()["features"]
    points = [tuple(f["geometry"]["coordinates"]) for f in features]
    # Items on the very same spot stay a cluster at every zoom: only a point of its own.
    alone = [point for point in points if points.count(point) == 1]

    def distance_to_nearest(point: tuple[float, float]) -> float:
        return min(
            (
                abs(point[0] - other[0]) + abs(point[1] - other[1])
                for other in points
                if other != point
            ),
            default=1.0,
        )

    lon, lat = max(alone, key=distance_to_nearest)
    return lat, lon, 16


def located_total(page: Page) -> int:
    return int(page.locator(MAP).get_attribute("data-located-total") or "-1")


def focused(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => { const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), label: el.getAttribute("aria-label") || "",
                    text: el.textContent.trim(), classes: el.className || "",
                    pressed: el.getAttribute("aria-pressed"), href: el.getAttribute("href")}; }"""
    )


def tab_until(page: Page, test: Any, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if test(state):
            return state
    raise AssertionError(f"Tab did not reach the element within {limit} presses")


def legend_labels(page: Page) -> list[str]:
    """The legend's entries, also while it is folded."""
    return page.locator(".map-legend__label").all_text_contents()


# the city map


def test_city_map_shows_clusters_markers_and_a_legend(page: Page, portal: Portal) -> None:
    gebieden = list(Gebiedsteam.objects.order_by("position", "name").values_list("name", flat=True))
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    wait_for_points(page)
    total = located_total(page)
    cluster_counts = [
        int(n) for n in page.locator(".leaflet-marker-pane .map-cluster").all_inner_texts()
    ]
    single_markers = page.locator(".leaflet-marker-pane .map-marker").count()

    set_view(page, *lonely_point(page, portal))
    page.locator(".leaflet-marker-pane .map-marker").first.wait_for()
    names = [
        page.locator(".leaflet-marker-pane .map-marker").nth(i).get_attribute("aria-label") or ""
        for i in range(page.locator(".leaflet-marker-pane .map-marker").count())
    ]

    kinds = [
        nl("Action"),
        nl("Proposal"),
        nl("Meeting"),
        nl("werkplek").capitalize(),
        nl("Initiative"),
    ]
    assert total > 0
    assert sum(cluster_counts) + single_markers == total
    assert len(cluster_counts) >= 1
    kind_names = "|".join(re.escape(kind.capitalize()) for kind in kinds)
    assert names and all(re.fullmatch(rf"({kind_names}): .+", name) for name in names)
    assert legend_labels(page) == [
        *gebieden,
        nl("Wijk, with the outline in the colour of its gebied"),
        *kinds,
        nl("Several places together: the number says how many"),
    ]


def test_city_map_list_follows_the_map(page: Page, portal: Portal) -> None:
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    wait_for_points(page)
    heading = page.locator("#located-list h2")
    before = heading.inner_text()

    set_view(page, *lonely_point(page, portal))
    total = located_total(page)
    expected = nl_count(
        "%(counter)s item in this part of the map",
        "%(counter)s items in this part of the map",
        total,
    )
    page.wait_for_function(
        "(text) => document.querySelector('#located-list h2').textContent.trim() === text",
        arg=expected,
    )
    status = page.locator("[data-map-status]").inner_text()
    query = page.evaluate("() => location.search")
    items = page.locator("#located-list .located-item").count()

    assert before != expected
    assert status == expected
    assert re.search(r"[?&]bbox=[-\d.]+%2C[-\d.]+%2C[-\d.]+%2C[-\d.]+", query)
    assert items == min(total, 20)

    # A reload keeps the view and the list.
    page.reload()
    wait_for_maps(page)
    wait_for_points(page)
    assert heading.inner_text() == expected
    assert located_total(page) == total


def test_city_map_filter_form_reloads_points_and_list_without_leaving_the_page(
    page: Page, portal: Portal
) -> None:
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    wait_for_points(page)
    everything = located_total(page)
    url_before = page.url

    for kind in ["voorstel", "bijeenkomst", "werkplek", "initiatief"]:
        page.locator(f"#located-filters input[name='soort'][value='{kind}']").uncheck()
    page.locator("#located-filters button[type='submit']").click()
    page.wait_for_function(
        "(total) => document.querySelector('[data-map]').dataset.locatedTotal !== String(total)",
        arg=everything,
    )
    wait_for_points(page)
    actions = located_total(page)
    page.wait_for_function(HEADING_STARTS, arg=actions)
    kinds_in_list = set(page.locator("#located-list .located-item__kind").all_inner_texts())

    assert 0 < actions < everything
    assert kinds_in_list == {nl("Action")}
    assert page.url.startswith(url_before.split("?")[0] + "?soort=actie&")


def test_keyboard_reaches_the_map_controls_and_a_marker_and_opens_its_popup(
    page: Page, portal: Portal
) -> None:
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    set_view(page, *lonely_point(page, portal))
    page.locator(".leaflet-marker-pane .map-marker").first.wait_for()
    page.locator(MAP).focus()

    fullscreen = tab_until(page, lambda s: s["text"] == nl("Full screen"))
    locate = tab_until(page, lambda s: s["text"] == nl("Show my location"))
    legend = tab_until(page, lambda s: s["tag"] == "summary")
    marker = tab_until(page, lambda s: "map-marker" in s["classes"])
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    in_popup = focused(page)
    link = (popup_link.inner_text(), popup_link.get_attribute("href"))
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    back = focused(page)

    assert (fullscreen["tag"], fullscreen["pressed"]) == ("button", "false")
    assert locate["tag"] == "button"
    assert legend["text"] == nl("Legend")
    assert marker["label"].split(": ", 1)[1] == link[0]
    assert (in_popup["tag"], in_popup["href"]) == ("a", link[1])
    assert back["label"] == marker["label"]


def test_fullscreen_button_toggles_aria_pressed(page: Page, portal: Portal) -> None:
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    button = page.locator(".map-control__button--fullscreen")

    button.click()
    page.wait_for_function(PRESSED, arg="true")
    big = page.locator(MAP).bounding_box()
    button.click()
    page.wait_for_function(PRESSED, arg="false")
    small = page.locator(MAP).bounding_box()

    assert big is not None and small is not None
    assert (big["width"], big["height"]) == (1280, 800)
    assert small["height"] < 800


def test_expanded_map_without_fullscreen_api_leaves_with_escape(page: Page, portal: Portal) -> None:
    page.add_init_script("Object.defineProperty(document, 'fullscreenEnabled', {get: () => false})")
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    button = page.locator(".map-control__button--fullscreen")

    button.click()
    expanded = (button.get_attribute("aria-pressed"), page.locator(MAP).get_attribute("class"))
    page.keyboard.press("Escape")

    assert expanded[0] == "true"
    assert "map--expanded" in (expanded[1] or "")
    assert button.get_attribute("aria-pressed") == "false"
    assert "map--expanded" not in (page.locator(MAP).get_attribute("class") or "")


def test_my_location_shows_the_place_on_the_city_map(browser: Browser, portal: Portal) -> None:
    page = new_page(browser, "desktop")
    try:
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": 51.5606, "longitude": 5.0913})
        page.goto(portal("/kaart/"))
        wait_for_maps(page)
        page.locator("[data-map][data-map-fitted]").wait_for()
        page.locator(".map-control__button--locate").click()
        # The button is off while the browser looks for the place ("We zoeken je locatie…"),
        # and on again, in the same step as the status says what came of it.
        page.locator(".map-control__button--locate:enabled").wait_for()
        status = page.locator(".map-locate__status")
        centre = page.evaluate(CENTRE_OF_MAP)
        text = status.inner_text()
        here = page.locator(".leaflet-tooltip").all_inner_texts()
    finally:
        page.context.close()

    assert text == nl("The map now shows where you are.")
    assert [round(value, 4) for value in centre] == [51.5606, 5.0913]
    assert here == [nl("You are here")]


# the gebied and wijk pages


def test_gebied_page_map_shows_the_located_items_of_the_gebied(page: Page, portal: Portal) -> None:
    page.goto(portal("/gebieden/west/"))
    wait_for_maps(page)
    wait_for_points(page)
    own = page.request.get(portal("/kaart/locaties.geojson?gebied=west")).json()["total"]
    shown = sum(int(n) for n in page.locator(".leaflet-marker-pane .map-cluster").all_inner_texts())
    shown += page.locator(".leaflet-marker-pane .map-marker").count()

    assert own > 0
    assert located_total(page) == shown == own
    assert legend_labels(page)[:2] == [
        nl("Boundary of gebied %(name)s") % {"name": "West"},
        nl("Wijk, with the outline in the colour of its gebied"),
    ]
    assert page.locator(".map-alternative a").get_attribute("href") == "/kaart/?gebied=west"


def test_gebied_page_my_location_goes_to_the_wijk_there(browser: Browser, portal: Portal) -> None:
    wijk = Wijk.objects.get(slug="het-zand")
    page = new_page(browser, "desktop")
    try:
        page.context.grant_permissions(["geolocation"])
        page.context.set_geolocation({"latitude": wijk.label_lat, "longitude": wijk.label_lon})
        page.goto(portal("/gebieden/west/"))
        wait_for_maps(page)
        label = page.locator(".map-control__button--locate").inner_text()
        page.locator(".map-control__button--locate").click()
        page.wait_for_url(portal("/wijken/het-zand/"))
        title = page.locator("h1").inner_text()
    finally:
        page.context.close()

    assert label == nl("Go to the wijk where I am")
    assert title == "Het Zand"


@pytest.mark.parametrize("path", ["/wijken/het-zand/", "/gebieden/west/"])
def test_page_with_a_map_asks_for_its_located_items_once_on_load(
    page: Page, portal: Portal, path: str
) -> None:
    located: list[str] = []
    page.on(
        "request",
        lambda request: located.append(request.url) if "/locaties.geojson" in request.url else None,
    )
    page.goto(portal(path))
    wait_for_maps(page)
    wait_for_points(page)
    page.wait_for_function("() => document.querySelector('[data-map]').dataset.mapSettled")
    page.wait_for_timeout(600)  # longer than the map's debounce of a move
    on_load = list(located)
    total = located_total(page)
    shown = sum(int(n) for n in page.locator(".leaflet-marker-pane .map-cluster").all_inner_texts())
    shown += page.locator(".leaflet-marker-pane .map-marker").count()
    # The layer still follows the view: a move asks for the items of the new one.
    set_view(page, 51.5606, 5.0913, 17)

    assert len(on_load) == 1, on_load
    assert "bbox=" not in on_load[0]  # the extent, to fit the map around the items
    assert shown == total > 0
    assert len(located) == 2 and "bbox=" in located[1], located


def test_wijk_page_highlights_the_buurt_of_the_address(page: Page, portal: Portal) -> None:
    buurt = (
        Buurt.objects.filter(wijk__slug="het-zand", geometry__isnull=False).order_by("code").first()
    )
    assert buurt is not None
    page.goto(portal(f"/wijken/het-zand/?buurt={buurt.code}"))
    wait_for_maps(page)
    wait_for_points(page)
    thick = page.locator(".leaflet-overlay-pane path[stroke-width='5']").count()

    assert page.locator("#your-buurt").inner_text() == nl(
        "Your address is in buurt %(buurt)s of %(name)s."
    ) % {"buurt": buurt.name, "name": "Het Zand"}
    assert page.locator(".buurt-highlight").all_inner_texts() == [buurt.name]
    assert thick == 1
    assert nl("Your buurt") in legend_labels(page)
    assert located_total(page) >= 0


# the key figures


@pytest.mark.parametrize("figure", ["inwoners", "dichtheid", "woningen"])
def test_key_figures_map_colours_the_wijken_as_the_table_says(
    page: Page, portal: Portal, figure: str
) -> None:
    page.goto(portal(f"/kaart/kerncijfers/?cijfer={figure}"))
    wait_for_maps(page)
    fills = page.evaluate(PATH_FILLS)
    table_fills = page.evaluate(TABLE_FILLS)
    legend = legend_labels(page)
    groups = page.locator(".figure-legend li").all_inner_texts()

    assert len(fills) == Wijk.objects.exclude(geometry_simplified=None).count()
    assert sorted(fills) == sorted(table_fills)
    assert legend == groups
    assert len(legend) >= 5


def test_server_clusters_show_their_count_and_enter_zooms_to_them(
    page: Page, portal: Portal
) -> None:
    box = [5.06, 51.55, 5.08, 51.56]
    clustered = {
        "type": "FeatureCollection",
        "total": 1500,
        "clustered": True,
        "cap": 300,
        "features": [
            {
                "type": "Feature",
                "id": "cluster-1",
                "geometry": {"type": "Point", "coordinates": [5.07, 51.555]},
                "properties": {
                    "cluster": True,
                    "count": 1500,
                    "kinds": {"actie": 1400, "voorstel": 100},
                    "bbox": box,
                },
            }
        ],
    }
    # The endpoint answers with clusters above 300 items; the demo has fewer, so the
    # browser gets a recorded clustered answer for this test.
    page.route("**/kaart/locaties.geojson?*", lambda route: route.fulfill(json=clustered))
    page.goto(portal("/kaart/"))
    wait_for_maps(page)
    wait_for_points(page)
    cluster = page.locator(".leaflet-marker-pane .map-cluster")
    cluster.wait_for()
    label = cluster.get_attribute("aria-label")
    text = cluster.inner_text()
    zoom_before = page.evaluate("() => document.querySelector('[data-map]')._leafletMap.getZoom()")

    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(z) => document.querySelector('[data-map]')._leafletMap.getZoom() > z", arg=zoom_before
    )
    bounds = page.evaluate(
        """() => { const b = document.querySelector("[data-map]")._leafletMap.getBounds();
            return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"""
    )

    assert (text, label) == (
        "1500",
        nl("%%(count)s places here. Zoom in to see them.").replace("%%(count)s", "1500"),
    )
    assert bounds[0] <= box[0] and bounds[1] <= box[1]
    assert bounds[2] >= box[2] and bounds[3] >= box[3]
    assert bounds[2] - bounds[0] < 0.1


def test_points_that_cannot_load_are_announced(page: Page, portal: Portal) -> None:
    page.route(
        "**/kaart/locaties.geojson?*",
        lambda route: route.fulfill(status=400, json={"error": "The box is too large."}),
    )
    page.goto(portal("/gebieden/west/"))
    wait_for_maps(page)
    page.locator("[data-map][data-located-error]").wait_for(state="attached")

    assert page.locator("[data-map-status]").inner_text() == nl(
        "The places could not be loaded. Try again later, or use the list."
    )
    assert page.locator(".leaflet-overlay-pane path").count() > 0


class TileServer:
    """A basemap on another origin than the portal: a 1×1 PNG for every tile."""

    PNG = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )

    def __init__(self) -> None:
        png = self.PNG

        class Tiles(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the handler's name)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
        self.url = f"http://127.0.0.1:{self.server.server_port}/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_basemap_tiles_load_from_the_host_the_policy_names_and_no_other(
    page: Page, portal: Portal, settings: Any
) -> None:
    """The policy is built from WIJKPORTAAL_BASEMAP_URL as wijkportaal/settings.py does."""
    tiles = TileServer()
    try:
        settings.WIJKPORTAAL_BASEMAP_URL = tiles.url
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        settings.CONTENT_SECURITY_POLICY = {
            "DIRECTIVES": {**directives, "img-src": ["'self'", "data:", *tile_source(tiles.url)]}
        }
        page.goto(portal("/kaart/"))
        page.locator(f"{MAP} .leaflet-tile-loaded").first.wait_for()
        assert CSP_WATCH.take() == []

        # The same basemap, but a policy without its host: the browser refuses every tile.
        settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
        page.goto(portal("/kaart/"))
        wait_for_maps(page)
        page.wait_for_function("() => document.querySelector('.leaflet-tile-container img')")
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 200))")
        refused = CSP_WATCH.take()
        events = [text for text in refused if "Content Security Policy violation:" in text]
        tile_images = page.locator(f"{MAP} .leaflet-tile-container img").count()
        assert page.locator(f"{MAP} .leaflet-tile-loaded").count() == 0
        # Every tile the map asked for, at each zoom it passed through, was refused.
        assert len(events) >= tile_images > 0
        assert {
            re.sub(r"\d+/\d+/\d+\.png at .*", "{z}/{x}/{y}.png", text.split(" refused ")[1])
            for text in events
        } == {tiles.url}
        assert {text.split("violation: ")[1].split(" refused")[0] for text in events} == {"img-src"}
    finally:
        tiles.stop()
