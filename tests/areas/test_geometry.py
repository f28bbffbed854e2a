from __future__ import annotations

import math

import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from areas.geometry import (
    MAX_AREA_VERTICES,
    RD_NEW,
    WGS84,
    GeometryError,
    PointIndex,
    area_overshoot,
    areas_within,
    check_point,
    covers,
    crs_of,
    detect_crs,
    footprint,
    names_in_words,
    outline,
    parse,
    polygonal,
    to_geojson,
    union,
    user_area,
    voronoi_cells,
)

GEOD = Geod(ellps="WGS84")


def square(lon: float, lat: float, size: float = 0.01) -> dict:
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


# A bow-tie: the ring crosses itself at (5.05, 51.55).
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 51.5], [5.1, 51.6], [5.1, 51.5], [5.0, 51.6], [5.0, 51.5]]],
}


def test_parse_reads_a_geojson_string():
    geom = parse('{"type": "Point", "coordinates": [5.08, 51.56]}')

    assert (geom.geom_type, geom.x, geom.y) == ("Point", 5.08, 51.56)


def test_parse_rejects_invalid_json():
    with pytest.raises(GeometryError) as info:
        parse('{"type": "Polygon",')

    assert str(info.value).startswith("Not valid JSON: ")


def test_parse_rejects_an_object_without_type():
    with pytest.raises(GeometryError) as info:
        parse({"coordinates": [5.0, 51.0]})

    assert str(info.value) == "Not a GeoJSON geometry: it has no 'type'."


def test_parse_rejects_broken_coordinates():
    with pytest.raises(GeometryError) as info:
        parse({"type": "Polygon", "coordinates": [[[5.0, 51.0], [5.1]]]})

    assert str(info.value).startswith("Not a valid GeoJSON Polygon: ")


def test_parse_rejects_an_empty_geometry():
    with pytest.raises(GeometryError) as info:
        parse({"type": "MultiPolygon", "coordinates": []})

    assert str(info.value) == "The geometry is empty."


def test_parse_rejects_coordinates_that_are_not_numbers():
    with pytest.raises(GeometryError) as info:
        parse({"type": "Point", "coordinates": [float("nan"), 51.0]})

    assert str(info.value) == "The geometry has coordinates that are not numbers."


def test_parse_rejects_rd_new_coordinates_read_as_degrees():
    with pytest.raises(GeometryError) as info:
        parse({"type": "Point", "coordinates": [133000.0, 397000.0]})

    assert str(info.value) == (
        "Coordinates lie outside longitude −180…180 and latitude −90…90; "
        "is the file in RD New (EPSG:28992) without saying so?"
    )


def test_parse_reprojects_rd_new_to_within_a_metre_of_a_known_point():
    # The origin of RD New, the Onze Lieve Vrouwetoren in Amersfoort: x 155000, y 463000,
    # in ETRS89/WGS84 52.15517440 N, 5.38720621 E.
    geom = parse({"type": "Point", "coordinates": [155000.0, 463000.0]}, crs=RD_NEW)

    _, _, metres = GEOD.inv(geom.x, geom.y, 5.38720621, 52.15517440)
    assert metres < 1.0


def test_crs_of_reads_the_old_style_member():
    rd = {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}

    assert (crs_of(rd), crs_of({})) == (RD_NEW, WGS84)


@pytest.mark.parametrize(
    ("collection", "expected"),
    [
        ({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}, RD_NEW),
        ({"crs": {"type": "name", "properties": {"name": "EPSG:28992"}}}, RD_NEW),
        ({"crs": {"type": "EPSG", "properties": {"code": 28992}}}, RD_NEW),
        ({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}, WGS84),
        ({"crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}, WGS84),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": None},
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": square(133000.0, 397000.0, 100.0),
                    },
                ],
            },
            RD_NEW,
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": square(5.0, 51.5)}],
            },
            WGS84,
        ),
        ({"type": "FeatureCollection", "features": []}, WGS84),
    ],
)
def test_detect_crs_from_member_or_magnitude(collection, expected):
    assert detect_crs(collection) == expected


def test_detect_crs_refuses_other_systems():
    with pytest.raises(GeometryError) as info:
        detect_crs({"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}})

    assert str(info.value) == (
        "Unsupported coordinate reference system 'EPSG:3857': "
        "use WGS84 (EPSG:4326) or RD New (EPSG:28992)."
    )


def test_footprint_repairs_a_bow_tie_into_two_triangles():
    result = footprint(BOW_TIE)

    geom = shape(result.geometry)
    assert geom.geom_type == "MultiPolygon"
    assert len(geom.geoms) == 2
    assert geom.is_valid
    assert math.isclose(geom.area, 0.005, rel_tol=1e-9)
    assert result.bbox == (5.0, 51.5, 5.1, 51.6)
    assert geom.covers(Point(result.label))


def test_footprint_measures_a_square():
    result = footprint(square(5.0, 51.5, 0.1))

    assert shape(result.geometry).equals(shape(square(5.0, 51.5, 0.1)))
    assert result.bbox == (5.0, 51.5, 5.1, 51.6)
    assert result.label == (5.05, 51.55)


def test_footprint_rejects_an_area_without_surface():
    with pytest.raises(GeometryError) as info:
        footprint({"type": "LineString", "coordinates": [[5.0, 51.5], [5.1, 51.6]]})

    assert str(info.value) == "The geometry has no area (after repair it is only lines or points)."


def test_polygonal_drops_lines_from_a_collection():
    collection = shape(
        {
            "type": "GeometryCollection",
            "geometries": [square(5.0, 51.5), {"type": "Point", "coordinates": [6.0, 52.0]}],
        }
    )

    assert polygonal(collection).equals(shape(square(5.0, 51.5)))


def test_to_geojson_rounds_coordinates():
    result = to_geojson(Point(5.123456789, 51.987654321), decimals=3)

    assert result == {"type": "Point", "coordinates": [5.123, 51.988]}


def test_union_of_nothing_is_none():
    assert union([None, {}]) is None


def test_outline_is_the_union_of_the_areas():
    result = outline([square(5.0, 51.5), square(5.01, 51.5), None])

    assert result is not None
    assert shape(result).equals(box(5.0, 51.5, 5.02, 51.51))


def test_outline_of_no_areas_is_none():
    assert outline([None, None]) is None


def test_outline_repairs_an_invalid_part():
    result = outline([BOW_TIE])

    assert result is not None
    assert isinstance(shape(result), MultiPolygon)
    assert math.isclose(shape(result).area, 0.005, rel_tol=1e-6)


def test_covers_includes_the_boundary():
    area = square(5.0, 51.5)

    assert (covers(area, 5.005, 51.505), covers(area, 5.0, 51.505), covers(area, 5.02, 51.5)) == (
        True,
        True,
        False,
    )
    assert covers(None, 5.0, 51.5) is False


def test_point_index_locates_the_area():
    index = PointIndex([("west", square(5.0, 51.5)), ("east", square(5.01, 51.5)), ("none", None)])

    assert len(index) == 2
    assert index.locate(5.005, 51.505) == "west"
    assert index.locate(5.015, 51.505) == "east"
    assert index.locate(5.5, 51.505) is None


def test_point_index_on_a_shared_edge_answers_the_first_area():
    index = PointIndex([("west", square(5.0, 51.5)), ("east", square(5.01, 51.5))])

    assert index.locate(5.01, 51.505) == "west"


def test_voronoi_cells_each_hold_their_point_and_fill_the_box():
    points = {"a": (5.0, 51.5), "b": (5.1, 51.5), "c": (5.05, 51.6)}
    within = box(4.9, 51.4, 5.2, 51.7)

    cells = voronoi_cells(points, within=within)

    assert sorted(cells) == ["a", "b", "c"]
    assert all(cells[key].covers(Point(points[key])) for key in points)
    assert math.isclose(sum(cell.area for cell in cells.values()), within.area, rel_tol=1e-9)


def test_voronoi_cells_of_points_in_a_row_fill_a_box_with_a_margin():
    points = {"a": (5.0, 51.5), "b": (5.1, 51.5)}

    cells = voronoi_cells(points)

    assert sorted(cells) == ["a", "b"]
    assert all(isinstance(cell, Polygon) for cell in cells.values())
    assert all(cells[key].covers(Point(points[key])) for key in points)
    assert cells["a"].bounds == pytest.approx((4.99, 51.49, 5.05, 51.51))
    assert cells["b"].bounds == pytest.approx((5.05, 51.49, 5.11, 51.51))


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (5.08, 51.56, (5.08, 51.56)),
        ("5.08", "51.56", (5.08, 51.56)),
        (-180, -90, (-180.0, -90.0)),
        (180, 90, (180.0, 90.0)),
    ],
)
def test_check_point_accepts_points_in_range(lon, lat, expected):
    assert check_point(lon, lat) == expected


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (180.01, 51.0, "Longitude must lie in −180…180 and latitude in −90…90."),
        (5.0, -90.5, "Longitude must lie in −180…180 and latitude in −90…90."),
        (float("nan"), 51.0, "Longitude and latitude must be numbers."),
        (5.0, float("inf"), "Longitude and latitude must be numbers."),
        (None, 51.0, "Longitude and latitude must be numbers."),
        ("oost", 51.0, "Longitude and latitude must be numbers."),
    ],
)
def test_check_point_rejects_bad_points(lon, lat, message):
    with pytest.raises(GeometryError) as info:
        check_point(lon, lat)

    assert str(info.value) == message


# ---- Areas drawn on the edit forms --------------------------------------------------------

# Two squares of about 700 × 1100 m that share the edge at longitude 5.01.
WEST_SQUARE = box(5.0, 51.5, 5.01, 51.51)
EAST_SQUARE = box(5.01, 51.5, 5.02, 51.51)
# One metre at latitude 51.5, in degrees of longitude.
METRE_LON = 1 / (111_320 * math.cos(math.radians(51.505)))


def test_user_area_keeps_a_valid_polygon_rounded_to_six_decimals():
    drawn = {
        "type": "Polygon",
        "coordinates": [[[5.0000004, 51.5], [5.0099996, 51.5], [5.01, 51.51], [5.0000004, 51.5]]],
    }

    area = user_area(drawn)

    assert to_geojson(area, decimals=0) == {
        "type": "Polygon",
        "coordinates": [[[5.0, 51.5], [5.01, 51.5], [5.01, 51.51], [5.0, 51.5]]],
    }


def test_user_area_takes_the_geometry_of_a_feature():
    feature = {"type": "Feature", "properties": {}, "geometry": square(5.0, 51.5)}

    assert user_area(feature).equals(shape(square(5.0, 51.5)))


@pytest.mark.english
def test_user_area_refuses_a_self_intersecting_ring_instead_of_repairing_it():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[5.0, 51.5], [5.01, 51.51], [5.01, 51.5], [5.0, 51.51], [5.0, 51.5]]],
    }

    with pytest.raises(GeometryError) as info:
        user_area(bowtie)

    assert str(info.value) == (
        "The area crosses itself near latitude 51.50500, longitude 5.00500. "
        "Move the points so that its edges do not cross."
    )


@pytest.mark.english
@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        (None, "The area is not a GeoJSON geometry: it has no 'type'."),
        ({"coordinates": []}, "The area is not a GeoJSON geometry: it has no 'type'."),
        (
            {"type": "LineString", "coordinates": [[5, 51], [5.1, 51]]},
            "The area must be a Polygon or MultiPolygon, not a LineString.",
        ),
        ({"type": "Polygon", "coordinates": 5}, "The area has no coordinates."),
        (
            {"type": "Polygon", "coordinates": [[[5, 51], [5.1, 51], [5.2, 51], [5, 51]]]},
            "An area needs at least three points that are not on one line.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[5, 51], [5.1, 51], [5, 51], [5, 51]]]},
            "An area needs at least three different points.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[5, 51], [5.1, "x"], [5.1, 51.1], [5, 51]]]},
            "The coordinates of the area are not pairs of numbers.",
        ),
        (
            {"type": "Polygon", "coordinates": [[[5, 51], [5.1, 91], [5.1, 51.1], [5, 51]]]},
            "Coordinates of the area lie outside longitude −180…180 and latitude −90…90. "
            "Give them in WGS84 degrees.",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[5, 51], [5.1, 51], [5.1, 51.1], [5, 51.1], [5, 51]],
                    [[6, 52], [6.1, 52], [6.1, 52.1], [6, 52]],
                ],
            },
            "The area is not a valid shape (Hole lies outside shell). Draw it again.",
        ),
    ],
)
def test_user_area_refuses_what_is_no_area_with_the_reason(geojson, message):
    with pytest.raises(GeometryError) as info:
        user_area(geojson)

    assert str(info.value) == message


@pytest.mark.english
def test_user_area_refuses_more_points_than_a_drawing_has():
    count = MAX_AREA_VERTICES
    ring = [
        [
            5 + 0.01 * math.cos(2 * math.pi * i / count),
            51.5 + 0.01 * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]

    with pytest.raises(GeometryError) as info:
        user_area({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})

    assert str(info.value) == "The area has 2001 points; at most 2000 are allowed. Simplify it."
    assert user_area({"type": "Polygon", "coordinates": [[*ring[:-1], ring[0]]]}).is_valid


@pytest.mark.english
def test_area_overshoot_allows_the_tolerance_and_names_where_the_area_goes_outside():
    allowed = [to_geojson(WEST_SQUARE)]
    others = [("Oost", to_geojson(EAST_SQUARE))]
    five_metres_out = box(5.005, 51.502, 5.01 + 5 * METRE_LON, 51.508)
    fifty_metres_out = box(5.005, 51.502, 5.01 + 50 * METRE_LON, 51.508)

    assert area_overshoot(five_metres_out, allowed, others=others) is None
    overshoot = area_overshoot(fifty_metres_out, allowed, others=others)
    assert overshoot is not None
    assert overshoot.areas == ["Oost"]
    assert overshoot.where == "near latitude 51.50500, longitude 5.01043"
    nowhere = area_overshoot(box(6.0, 52.0, 6.01, 52.01), allowed, others=others)
    assert nowhere is not None and nowhere.areas == []


def test_areas_within_ignores_a_neighbour_touched_within_the_tolerance():
    candidates = [("West", to_geojson(WEST_SQUARE)), ("Oost", to_geojson(EAST_SQUARE))]

    assert areas_within(box(5.005, 51.502, 5.01 + 5 * METRE_LON, 51.508), candidates) == ["West"]
    assert areas_within(box(5.005, 51.502, 5.015, 51.508), candidates) == ["West", "Oost"]


@pytest.mark.english
@pytest.mark.parametrize(
    ("names", "words"),
    [
        ([], ""),
        (["Het Zand"], "Het Zand"),
        (["De Reit", "Het Zand"], "De Reit and Het Zand"),
        (["De Blaak", "De Reit", "Het Zand"], "De Blaak, De Reit and Het Zand"),
    ],
)
def test_names_in_words_lists_names_as_a_sentence_does(names, words):
    assert names_in_words(names) == words


@pytest.mark.parametrize(
    "geojson",
    [
        {
            "type": "Polygon",
            "coordinates": [[[math.nan, 51.5], [5.1, 51.5], [5.1, 51.6], [math.nan, 51.5]]],
        },
        {"type": "Feature", "geometry": {"type": "Vlak", "coordinates": []}},
    ],
    ids=["nan", "unknown-type"],
)
@pytest.mark.parametrize("read", [parse, user_area])
def test_geometry_geos_cannot_take_is_a_geometry_error(read, geojson):
    with pytest.raises(GeometryError):
        read(geojson)
