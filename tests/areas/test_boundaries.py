from __future__ import annotations

import errno
import json
import os
import socket
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from pyproj import Transformer
from shapely.geometry import shape

from areas.boundaries import BoundaryError, fetch_pdok, parse_features, read_collection
from areas.geometry import covers, footprint
from areas.models import Buurt, Gebiedsteam, GeometrySource, Wijk
from areas.services import BoundaryReport, import_boundaries, refresh_outlines
from tests.areas.fake_pdok import FakePdok
from tests.factories import BuurtFactory, GebiedsteamFactory, WijkFactory

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
WIJKEN_FILE = DATA / "tilburg-wijken.geojson"
BUURTEN_FILE = DATA / "tilburg-buurten.geojson"
WITHOUT_GEOMETRY = ["BU08553206", "BU08556707"]
TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def to_rd(geometry: dict[str, Any]) -> dict[str, Any]:
    def convert(coords: Any) -> Any:
        if isinstance(coords[0], int | float):
            return list(TO_RD.transform(coords[0], coords[1]))
        return [convert(c) for c in coords]

    return {"type": geometry["type"], "coordinates": convert(geometry["coordinates"])}


def snapshot() -> dict[str, Any]:
    """What an import may change, to compare before and after a failed one."""
    return {
        "wijken": list(
            Wijk.objects.order_by("code").values_list(
                "code", "geometry", "label_lon", "label_lat", "inhabitants", "boundary_year"
            )
        ),
        "buurten": list(Buurt.objects.order_by("code").values_list("code", "name", "geometry")),
        "outlines": list(Gebiedsteam.objects.order_by("slug").values_list("slug", "outline")),
    }


@pytest.fixture
def wijken_data() -> dict[str, Any]:
    return load(WIJKEN_FILE)


@pytest.fixture
def buurten_data() -> dict[str, Any]:
    return load(BUURTEN_FILE)


@pytest.fixture
def tilburg(db: None, wijken_data: dict[str, Any]) -> dict[str, Gebiedsteam]:
    """The 59 wijken of Tilburg without geometry: Binnenstad's team and one for the rest."""
    teams = {
        "binnenstad": GebiedsteamFactory(name="Binnenstad", slug="binnenstad"),
        "overig": GebiedsteamFactory(name="Overig", slug="overig"),
    }
    for feature in wijken_data["features"]:
        p = feature["properties"]
        WijkFactory(
            code=p["code"],
            name=p["name"],
            slug=p["code"].lower(),
            gebiedsteam=teams["binnenstad" if p["gebiedsteam"] == "Binnenstad" else "overig"],
        )
    return teams


@pytest.fixture
def fake_pdok(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePdok]:
    # A proxy from the environment must not catch requests for the local server.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakePdok() as server:
        settings.WIJKPORTAAL_PDOK_WFS_URL = server.url
        yield server


@pytest.fixture
def closed_port_url() -> str:
    """A service URL on a local port that nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/cbs/wijkenbuurten/{{year}}/wfs/v1_0"


# Reading files


def test_read_collection_reads_the_real_file():
    collection = read_collection(WIJKEN_FILE)

    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 59


def test_read_collection_missing_file(tmp_path):
    path = tmp_path / "wijken.geojson"

    with pytest.raises(BoundaryError) as info:
        read_collection(path)

    assert str(info.value) == f"{path}: no such file."


def test_read_collection_invalid_json(tmp_path):
    path = tmp_path / "wijken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")

    with pytest.raises(BoundaryError) as info:
        read_collection(path)

    assert str(info.value) == f"{path}: not valid JSON (line 2, column 15: Expecting value)."


def test_read_collection_not_a_feature_collection(tmp_path):
    path = tmp_path / "wijk.geojson"
    path.write_text('{"type": "Feature", "properties": {}, "geometry": null}', encoding="utf-8")

    with pytest.raises(BoundaryError) as info:
        read_collection(path)

    assert str(info.value) == f"{path}: not a GeoJSON FeatureCollection (its type is 'Feature')."


def test_parse_features_reads_a_buurt_without_geometry(buurten_data):
    features = parse_features(buurten_data, layer="buurten")

    empty = [f for f in features if f.footprint is None]
    assert [(f.number, f.code, f.name, f.wijk_code, f.label) for f in empty] == [
        (87, "BU08553206", "Groenewoud Oost", "WK085532", None),
        (248, "BU08556707", "Bedrijventerrein Kreitenmolen", "WK085567", None),
    ]


def test_parse_features_refuses_a_buurten_file_given_as_wijken(buurten_data):
    with pytest.raises(BoundaryError) as info:
        parse_features(buurten_data, layer="wijken")

    assert str(info.value) == (
        'Feature 1 (BU08551001 "Binnenstad West"): '
        "not a CBS code of the wijken (WK followed by six digits)"
    )


def test_parse_features_refuses_a_code_twice(wijken_data):
    wijken_data["features"].append(wijken_data["features"][0])

    with pytest.raises(BoundaryError) as info:
        parse_features(wijken_data, layer="wijken")

    assert (
        str(info.value) == 'Feature 60 (WK085510 "Binnenstad"): the code also appears in feature 1'
    )


def test_parse_features_refuses_a_feature_without_code(wijken_data):
    del wijken_data["features"][3]["properties"]["code"]
    name = wijken_data["features"][3]["properties"]["name"]

    with pytest.raises(BoundaryError) as info:
        parse_features(wijken_data, layer="wijken")

    assert str(info.value) == f"Feature 4 (\"{name}\"): it has no CBS code (property 'code')"


def test_parse_features_refuses_a_figure_that_is_not_a_number(wijken_data):
    wijken_data["features"][0]["properties"]["inwoners"] = "8065"

    with pytest.raises(BoundaryError) as info:
        parse_features(wijken_data, layer="wijken")

    assert (
        str(info.value)
        == 'Feature 1 (WK085510 "Binnenstad"): the key figure inwoners is not a number'
    )


# Importing the real files


def test_import_real_files_updates_the_wijken_and_creates_the_buurten(
    tilburg, wijken_data, buurten_data
):
    report = import_boundaries(wijken=wijken_data, buurten=buurten_data)

    assert report == BoundaryReport(
        wijken_updated=59,
        buurten_created=254,
        buurten_updated=0,
        without_geometry=WITHOUT_GEOMETRY,
        outlines_refreshed=2,
    )
    assert Wijk.objects.filter(geometry__isnull=False).count() == 59
    assert Buurt.objects.count() == 254
    assert (
        list(
            Buurt.objects.filter(geometry__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        == WITHOUT_GEOMETRY
    )
    assert set(Buurt.objects.values_list("geometry_source", "boundary_year")) == {
        ("file", 2024),
        ("", 2024),
    }
    assert set(Wijk.objects.values_list("geometry_source", "boundary_year")) == {("file", 2024)}


def test_import_stores_the_boundary_box_and_map_copy(tilburg, wijken_data):
    import_boundaries(wijken=wijken_data)

    binnenstad = Wijk.objects.get(code="WK085510")
    expected = footprint(wijken_data["features"][0]["geometry"])
    assert binnenstad.geometry == expected.geometry
    assert binnenstad.geometry_simplified == expected.simplified
    assert (binnenstad.min_lon, binnenstad.min_lat, binnenstad.max_lon, binnenstad.max_lat) == (
        expected.bbox
    )
    assert (binnenstad.label_lon, binnenstad.label_lat) == (5.08425, 51.556)


def test_import_puts_every_buurt_label_inside_its_wijk(tilburg, wijken_data, buurten_data):
    import_boundaries(wijken=wijken_data, buurten=buurten_data)

    buurten = list(Buurt.objects.select_related("wijk"))
    with_geometry = [b for b in buurten if b.geometry is not None]
    assert len(with_geometry) == 252
    outside = [
        b.code for b in with_geometry if not covers(b.wijk.geometry, b.label_lon, b.label_lat)
    ]
    assert outside == []
    assert all(covers(b.geometry, b.label_lon, b.label_lat) for b in with_geometry)
    assert sorted((b.code, b.wijk.code, b.label_lon) for b in buurten if b.geometry is None) == [
        ("BU08553206", "WK085532", None),
        ("BU08556707", "WK085567", None),
    ]


def test_import_takes_over_the_key_figures(tilburg, wijken_data):
    import_boundaries(wijken=wijken_data)

    binnenstad = Wijk.objects.get(code="WK085510")
    assert (
        binnenstad.inhabitants,
        binnenstad.dwellings,
        binnenstad.area_land_ha,
        binnenstad.population_density,
        binnenstad.figures_year,
    ) == (8065, 5029, 80, 10141, 2024)
    assert sum(Wijk.objects.values_list("inhabitants", flat=True)) == 229845


def test_import_without_figures_keeps_them(tilburg, wijken_data):
    import_boundaries(wijken=wijken_data, update_figures=False)

    binnenstad = Wijk.objects.get(code="WK085510")
    assert (binnenstad.inhabitants, binnenstad.dwellings, binnenstad.figures_year) == (
        1000,
        450,
        None,
    )
    assert binnenstad.geometry is not None


def test_import_year_overrides_the_files(tilburg, wijken_data):
    import_boundaries(wijken=wijken_data, year=2025)

    assert set(Wijk.objects.values_list("boundary_year", "figures_year")) == {(2025, 2025)}


def test_import_keeps_a_chosen_label_inside_the_boundary_and_replaces_one_outside(
    tilburg, wijken_data
):
    Wijk.objects.filter(code="WK085510").update(label_lon=5.0850, label_lat=51.5565)
    Wijk.objects.filter(code="WK085511").update(label_lon=5.0, label_lat=52.0)

    import_boundaries(wijken=wijken_data)

    assert list(
        Wijk.objects.filter(code__in=["WK085510", "WK085511"])
        .order_by("code")
        .values_list("label_lon", "label_lat")
    ) == [(5.0850, 51.5565), (5.09788, 51.5565)]


def test_import_again_updates_the_buurten(tilburg, wijken_data, buurten_data):
    import_boundaries(wijken=wijken_data, buurten=buurten_data)
    buurten_data["features"][0]["properties"]["name"] = "Binnenstad-West"

    report = import_boundaries(buurten=buurten_data, source=GeometrySource.PDOK)

    assert (report.wijken_updated, report.buurten_created, report.buurten_updated) == (0, 0, 254)
    assert Buurt.objects.count() == 254
    first = Buurt.objects.get(code="BU08551001")
    assert (first.name, first.geometry_source) == ("Binnenstad-West", "pdok")


def test_import_moves_an_existing_buurt_to_the_wijk_of_its_code(tilburg, buurten_data):
    other = Wijk.objects.get(code="WK085511")
    BuurtFactory(code="BU08551001", name="Oud", wijk=other)

    report = import_boundaries(buurten=buurten_data)

    buurt = Buurt.objects.select_related("wijk").get(code="BU08551001")
    assert (report.buurten_created, report.buurten_updated) == (253, 1)
    assert (buurt.name, buurt.wijk.code) == ("Binnenstad West", "WK085510")


def test_import_is_a_bounded_number_of_queries(
    tilburg, wijken_data, buurten_data, django_assert_max_num_queries
):
    # 2 reads, the bulk writes in batches of 100, then 2 reads and 1 save per gebiedsteam.
    with django_assert_max_num_queries(20):
        import_boundaries(wijken=wijken_data, buurten=buurten_data)

    assert Buurt.objects.count() == 254


def test_import_of_a_malformed_feature_changes_nothing(tilburg, wijken_data, buurten_data):
    buurten_data["features"][100]["geometry"] = {"type": "Polygon", "coordinates": []}
    name = buurten_data["features"][100]["properties"]["name"]
    code = buurten_data["features"][100]["properties"]["code"]
    before = snapshot()

    with pytest.raises(BoundaryError) as info:
        import_boundaries(wijken=wijken_data, buurten=buurten_data)

    assert str(info.value) == (
        f'Feature 101 ({code} "{name}"): invalid geometry: The geometry is empty.'
    )
    assert snapshot() == before
    assert Buurt.objects.count() == 0
    assert Wijk.objects.filter(geometry__isnull=False).count() == 0


def test_import_of_an_unknown_wijk_changes_nothing(tilburg, wijken_data, buurten_data):
    import_boundaries(wijken=wijken_data, buurten=buurten_data)
    before = snapshot()
    wijken_data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": "WK085599", "name": "Foo", "inwoners": 1},
            "geometry": wijken_data["features"][0]["geometry"],
        }
    )
    wijken_data["features"][0]["properties"]["inwoners"] = 1

    with pytest.raises(BoundaryError) as info:
        import_boundaries(wijken=wijken_data, buurten=buurten_data)

    assert str(info.value) == 'Feature 60 (WK085599 "Foo"): no wijk with this CBS code'
    assert snapshot() == before
    assert Wijk.objects.get(code="WK085510").inhabitants == 8065


def test_import_of_a_buurt_in_an_unknown_wijk_changes_nothing(tilburg, buurten_data):
    buurten_data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": "BU08559901", "name": "Nergens"},
            "geometry": None,
        }
    )
    before = snapshot()

    with pytest.raises(BoundaryError) as info:
        import_boundaries(buurten=buurten_data)

    assert str(info.value) == 'Feature 255 (BU08559901 "Nergens"): its wijk WK085599 does not exist'
    assert snapshot() == before


def test_import_needs_something_to_import(db):
    with pytest.raises(BoundaryError) as info:
        import_boundaries()

    assert str(info.value) == "Nothing to import: give wijken, buurten or both."


@pytest.mark.parametrize("declared", [True, False], ids=["crs-member", "by-magnitude"])
def test_import_reprojects_an_rd_new_file(tilburg, wijken_data, tmp_path, declared):
    rd = {
        "type": "FeatureCollection",
        "features": [
            {**feature, "geometry": to_rd(feature["geometry"])}
            for feature in wijken_data["features"]
        ],
    }
    if declared:
        rd["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path = tmp_path / "wijken-rd.geojson"
    path.write_text(json.dumps(rd), encoding="utf-8")
    assert rd["features"][0]["geometry"]["coordinates"][0][0][0] > 100000

    report = import_boundaries(wijken=read_collection(path))

    assert report.wijken_updated == 59
    stored = shape(Wijk.objects.get(code="WK085510").geometry)
    expected = shape(footprint(wijken_data["features"][0]["geometry"]).geometry)
    assert stored.hausdorff_distance(expected) < 2e-6


def test_refresh_outlines_draws_each_team_around_its_wijken(tilburg, wijken_data):
    import_boundaries(wijken=wijken_data)
    Gebiedsteam.objects.update(outline=None)

    assert refresh_outlines() == 2

    teams = {t.slug: t for t in Gebiedsteam.objects.all()}
    wijken = list(Wijk.objects.select_related("gebiedsteam").order_by("code"))
    assert [
        w.code
        for w in wijken
        if not covers(teams[w.gebiedsteam.slug].outline, w.label_lon, w.label_lat)
    ] == []
    assert [
        w.code for w in wijken if covers(teams["binnenstad"].outline, w.label_lon, w.label_lat)
    ] == [w.code for w in wijken if w.gebiedsteam.slug == "binnenstad"]
    assert teams["binnenstad"].outline["type"] == "Polygon"


def test_refresh_outlines_of_a_team_without_geometry_is_empty(tilburg):
    Gebiedsteam.objects.update(outline={"type": "Point", "coordinates": [5.0, 51.5]})

    assert refresh_outlines() == 2

    assert list(Gebiedsteam.objects.values_list("outline", flat=True)) == [None, None]


# The management command


def test_command_imports_the_files(tilburg):
    out = StringIO()

    call_command(
        "import_boundaries",
        "--wijken",
        str(WIJKEN_FILE),
        "--buurten",
        str(BUURTEN_FILE),
        stdout=out,
    )

    assert out.getvalue().splitlines() == [
        f"Reading the wijken from {WIJKEN_FILE} …",
        "  59 features",
        f"Reading the buurten from {BUURTEN_FILE} …",
        "  254 features",
        "Importing …",
        "Wijken updated: 59; buurten created: 254, updated: 0; gebiedsteam outlines refreshed: 2.",
        "Without geometry (2): BU08553206, BU08556707",
    ]
    assert Buurt.objects.count() == 254
    assert Wijk.objects.get(code="WK085510").inhabitants == 8065


def test_command_error_names_the_feature_and_exits_with_1(
    tilburg, wijken_data, tmp_path, capsys, monkeypatch
):
    # run_from_argv closes all connections when it ends, the test's transaction with them.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    wijken_data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": "WK085599", "name": "Foo"},
            "geometry": wijken_data["features"][0]["geometry"],
        }
    )
    path = tmp_path / "wijken.geojson"
    path.write_text(json.dumps(wijken_data), encoding="utf-8")
    before = snapshot()

    with pytest.raises(SystemExit) as info:
        execute_from_command_line(
            [
                "manage.py",
                "import_boundaries",
                "--wijken",
                str(path),
                "--buurten",
                str(BUURTEN_FILE),
            ]
        )

    assert info.value.code == 1
    assert capsys.readouterr().err == (
        'CommandError: Feature 60 (WK085599 "Foo"): no wijk with this CBS code. '
        "Nothing was imported.\n"
    )
    assert snapshot() == before


def test_command_error_for_a_malformed_file(tilburg, tmp_path):
    path = tmp_path / "buurten.geojson"
    path.write_text("[1, 2", encoding="utf-8")

    with pytest.raises(CommandError) as info:
        call_command("import_boundaries", "--buurten", str(path), stdout=StringIO())

    assert str(info.value) == (
        f"{path}: not valid JSON (line 1, column 6: Expecting ',' delimiter). Nothing was imported."
    )
    assert Buurt.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Give --wijken FILE and/or --buurten FILE, or --pdok."),
        (
            ["--pdok", "--wijken", "w.geojson"],
            "Give either --pdok or files (--wijken, --buurten), not both.",
        ),
    ],
)
def test_command_needs_a_source(db, args, message):
    with pytest.raises(CommandError) as info:
        call_command("import_boundaries", *args, stdout=StringIO())

    assert str(info.value) == message


# PDOK


def test_fetch_pdok_normalises_pdok_properties(fake_pdok):
    collection = fetch_pdok(layer="wijken", municipality_code="GM0855", year=2024)

    assert collection["crs"] == {
        "type": "name",
        "properties": {"name": "urn:ogc:def:crs:EPSG::28992"},
    }
    assert len(collection["features"]) == 59
    first = collection["features"][0]
    assert first["properties"] == {
        "code": "WK085510",
        "name": "Binnenstad",
        "gemeente_code": "GM0855",
        "gemeente_name": "Tilburg",
        "inwoners": 8065,
        "mannen": 4055,
        "vrouwen": 4010,
        "woningvoorraad": 5029,
        "oppervlakte_totaal_ha": 80,
        "oppervlakte_land_ha": 80,
        "oppervlakte_water_ha": 0,
        "bevolkingsdichtheid_per_km2": 10141,
        "water": "NEE",
        "boundary_year": 2024,
    }
    assert first["geometry"]["coordinates"][0][0][0] > 100000
    assert fake_pdok.requests == [
        {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typenames": "wijkenbuurten:wijken",
            "outputformat": "application/json",
            "srsname": "urn:ogc:def:crs:EPSG::28992",
            "filter": (
                "<Filter><PropertyIsEqualTo><PropertyName>gemeentecode</PropertyName>"
                "<Literal>GM0855</Literal></PropertyIsEqualTo></Filter>"
            ),
            "count": "1000",
            "startindex": "0",
        }
    ]


def test_fetch_pdok_pages_until_a_short_page(fake_pdok):
    collection = fetch_pdok(layer="buurten", municipality_code="GM0855", year=2024, page_size=100)

    assert len(collection["features"]) == 254
    assert len({f["properties"]["code"] for f in collection["features"]}) == 254
    assert [(r["count"], r["startindex"]) for r in fake_pdok.requests] == [
        ("100", "0"),
        ("100", "100"),
        ("100", "200"),
    ]
    first = collection["features"][0]["properties"]
    assert first == {
        "code": "BU08551001",
        "name": "Binnenstad West",
        "wijk_code": "WK085510",
        "gemeente_code": "GM0855",
        "gemeente_name": "Tilburg",
        "inwoners": None,
        "water": "NEE",
        "boundary_year": 2024,
    }


def test_fetch_pdok_asks_once_more_after_a_full_last_page(fake_pdok):
    collection = fetch_pdok(layer="wijken", municipality_code="GM0855", year=2024, page_size=59)

    assert len(collection["features"]) == 59
    assert [r["startindex"] for r in fake_pdok.requests] == ["0", "59"]


def test_fetch_pdok_follows_number_matched_past_the_server_limit(fake_pdok):
    fake_pdok.max_count = 100
    fake_pdok.report_totals = True

    collection = fetch_pdok(layer="buurten", municipality_code="GM0855", year=2024)

    assert len(collection["features"]) == 254
    assert [r["startindex"] for r in fake_pdok.requests] == ["0", "100", "200"]


def test_fetch_pdok_drops_other_municipalities_when_the_filter_is_ignored(fake_pdok):
    fake_pdok.ignore_filter = True

    collection = fetch_pdok(layer="buurten", municipality_code="GM0855", year=2024)

    codes = [f["properties"]["code"] for f in collection["features"]]
    assert (len(codes), all(code.startswith("BU0855") for code in codes)) == (254, True)


def test_fetch_pdok_unreachable_server(closed_port_url):
    with pytest.raises(BoundaryError) as info:
        fetch_pdok(
            layer="wijken",
            municipality_code="GM0855",
            year=2024,
            base_url=closed_port_url,
            timeout=2,
        )

    url = closed_port_url.format(year=2024)
    refused = f"[Errno {errno.ECONNREFUSED}] {os.strerror(errno.ECONNREFUSED)}"
    assert str(info.value) == f"Could not reach PDOK at {url}: {refused}."


def test_fetch_pdok_slow_server(fake_pdok, settings):
    fake_pdok.delay = 0.5
    settings.WIJKPORTAAL_PDOK_TIMEOUT = 0.1

    with pytest.raises(BoundaryError) as info:
        fetch_pdok(layer="wijken", municipality_code="GM0855", year=2024)

    url = fake_pdok.url.format(year=2024)
    assert str(info.value) == f"PDOK did not answer within 0.1 seconds ({url})."


def test_fetch_pdok_reports_the_service_exception(fake_pdok):
    fake_pdok.fail = (
        400,
        b'<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1">'
        b"<ows:Exception><ows:ExceptionText>msWFSGetFeature(): WFS server error.\n"
        b"  Invalid filter.</ows:ExceptionText></ows:Exception></ows:ExceptionReport>",
    )

    with pytest.raises(BoundaryError) as info:
        fetch_pdok(layer="buurten", municipality_code="GM0855", year=2024)

    assert str(info.value) == (
        "PDOK answered 400 Bad Request when asked for the buurten: "
        "msWFSGetFeature(): WFS server error. Invalid filter."
    )


def test_fetch_pdok_year_without_dataset(fake_pdok):
    with pytest.raises(BoundaryError) as info:
        fetch_pdok(layer="wijken", municipality_code="GM0855", year=2031)

    assert str(info.value) == "PDOK answered 404 Not Found when asked for the wijken."


def test_fetch_pdok_refuses_a_bad_municipality_code():
    with pytest.raises(BoundaryError) as info:
        fetch_pdok(layer="wijken", municipality_code="0855", year=2024, base_url="http://x")

    assert str(info.value) == (
        "'0855' is not a CBS municipality code (GM followed by four digits)."
    )


def test_command_imports_from_pdok(tilburg, fake_pdok, wijken_data):
    out = StringIO()

    call_command("import_boundaries", "--pdok", stdout=out)

    assert out.getvalue().splitlines() == [
        "Downloading the wijken of GM0855 (2024) from PDOK …",
        "  59 features",
        "Downloading the buurten of GM0855 (2024) from PDOK …",
        "  254 features",
        "Importing …",
        "Wijken updated: 59; buurten created: 254, updated: 0; gebiedsteam outlines refreshed: 2.",
        "Without geometry (2): BU08553206, BU08556707",
    ]
    binnenstad = Wijk.objects.get(code="WK085510")
    assert (binnenstad.geometry_source, binnenstad.boundary_year, binnenstad.inhabitants) == (
        "pdok",
        2024,
        8065,
    )
    expected = shape(footprint(wijken_data["features"][0]["geometry"]).geometry)
    assert shape(binnenstad.geometry).hausdorff_distance(expected) < 2e-6
    assert Buurt.objects.filter(geometry_source="pdok").count() == 252
    assert {r["typenames"] for r in fake_pdok.requests} == {
        "wijkenbuurten:wijken",
        "wijkenbuurten:buurten",
    }


def test_command_pdok_unreachable_imports_nothing(tilburg, settings, closed_port_url):
    settings.WIJKPORTAAL_PDOK_WFS_URL = closed_port_url
    settings.WIJKPORTAAL_PDOK_TIMEOUT = 2

    with pytest.raises(CommandError) as info:
        call_command("import_boundaries", "--pdok", "--year", "2024", stdout=StringIO())

    url = closed_port_url.format(year=2024)
    refused = f"[Errno {errno.ECONNREFUSED}] {os.strerror(errno.ECONNREFUSED)}"
    assert str(info.value) == (f"Could not reach PDOK at {url}: {refused}. Nothing was imported.")
    assert Wijk.objects.filter(geometry__isnull=False).count() == 0
