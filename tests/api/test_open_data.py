"""The open-data downloads: built by the task, the same rows as the API, nothing that is not
public, the licence and the DCAT catalogue, and the progress of a build under way."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from api.datasets import DATASETS
from api.models import OpenDataBuild, OpenDataFile
from api.opendata import ZIP_NAME, as_csv, as_geojson, as_xlsx, fields_of
from api.tasks import build_open_data
from areas.models import Wijk
from tests.api.conftest import SECRET, ApiWorld
from tests.factories import SQUARE

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def api_count(client: Client, name: str) -> int:
    return client.get(f"/api/v1/{name}/").json()["count"]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def built(world: ApiWorld) -> OpenDataBuild:
    Wijk.objects.filter(code="WK085501").update(geometry=SQUARE, geometry_simplified=SQUARE)
    build_id = build_open_data.delay().get()
    return OpenDataBuild.objects.get(pk=build_id)


def test_the_task_builds_every_dataset_in_every_format(built: OpenDataBuild) -> None:
    names = set(built.files.values_list("name", flat=True))

    assert (built.status, built.done, built.total) == ("done", len(DATASETS), len(DATASETS))
    assert {f"{name}.{kind}" for name in DATASETS for kind in ("csv", "xlsx")} <= names
    assert {"wijken.geojson", "buurten.geojson", "actions.geojson", ZIP_NAME} <= names
    assert "organisations.geojson" not in names


def test_the_zip_opens_with_the_same_row_counts_as_the_api(built: OpenDataBuild) -> None:
    client = Client()
    archive = zipfile.ZipFile(io.BytesIO(bytes(built.files.get(name=ZIP_NAME).content)))

    in_zip = {name: len(csv_rows(archive.read(f"{name}.csv"))) for name in DATASETS}
    in_api = {name: api_count(client, name) for name in DATASETS}

    assert in_zip == in_api
    assert sum(in_api.values()) > len(DATASETS)
    sheet = load_workbook(io.BytesIO(archive.read("actions.xlsx")), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == in_api["actions"] + 1
    assert "CC BY 4.0" in archive.read("LICENSE.txt").decode()


def test_a_download_holds_what_the_api_says_and_nothing_that_is_not_public(
    built: OpenDataBuild,
) -> None:
    api = Client().get("/api/v1/actions/").json()["results"]
    rows = csv_rows(bytes(built.files.get(name="actions.csv").content))

    # The same rows; the download's addresses are on WIJKPORTAAL_BASE_URL, the API's on the
    # address it was asked at.
    assert [(row["url"], row["title"]) for row in rows] == [
        (row["url"].replace("http://testserver", "http://127.0.0.1:8000"), row["title"])
        for row in api
    ]
    for file in built.files.all():
        assert SECRET.encode() not in bytes(file.content), file.name


def test_the_geojson_of_a_dataset_with_places_is_a_feature_collection(
    built: OpenDataBuild,
) -> None:
    geojson = json.loads(bytes(built.files.get(name="wijken.geojson").content))

    assert geojson["type"] == "FeatureCollection"
    assert [feature["properties"]["code"] for feature in geojson["features"]] == ["WK085501"]
    assert geojson["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_a_dataset_without_rows_still_has_its_columns_and_an_empty_collection() -> None:
    meetings = fields_of(DATASETS["meetings"])

    assert csv_rows(as_csv(meetings, [])) == []
    assert as_csv(meetings, []).decode("utf-8-sig").splitlines() == [",".join(meetings)]
    sheet = load_workbook(io.BytesIO(as_xlsx("meetings", meetings, [])), read_only=True).active
    assert list(sheet.iter_rows(values_only=True)) == [tuple(meetings)]
    assert json.loads(as_geojson(meetings, []) or b"null") == {
        "type": "FeatureCollection",
        "features": [],
    }
    assert as_geojson(fields_of(DATASETS["organisations"]), []) is None


def test_the_page_offers_the_files_with_their_licence_and_time(built: OpenDataBuild) -> None:
    response = Client().get("/open-data/")
    html = response.content.decode()

    assert response.status_code == 200
    assert response.cookies == {}
    assert f'href="/open-data/{ZIP_NAME}"' in html
    assert 'href="/open-data/actions.csv"' in html
    assert 'rel="license">Creative Commons Naamsvermelding 4.0 (CC BY 4.0)</a>' in html
    assert built.finished_at is not None
    assert timezone.localtime(built.finished_at).strftime("%H:%M") in html


def test_a_file_is_served_with_its_etag_and_an_unknown_one_is_not_found(
    built: OpenDataBuild,
) -> None:
    client = Client()
    response = client.get("/open-data/actions.csv")
    file = built.files.get(name="actions.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    assert response.content == bytes(file.content)
    assert response["ETag"] == f'"{file.sha256}"'
    again = client.get("/open-data/actions.csv", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert client.get("/open-data/geheim.csv").status_code == 404


def test_the_dcat_catalogue_lists_each_dataset_with_its_downloads(built: OpenDataBuild) -> None:
    response = Client().get("/open-data/catalogus.jsonld")
    catalogue = response.json()

    assert response["Content-Type"] == "application/ld+json"
    assert catalogue["@type"] == "dcat:Catalog"
    datasets = {dataset["dct:title"]: dataset for dataset in catalogue["dcat:dataset"]}
    assert set(datasets) == set(DATASETS)
    downloads = [d["dcat:downloadURL"] for d in datasets["actions"]["dcat:distribution"]]
    assert downloads == [
        "http://127.0.0.1:8000/open-data/actions.csv",
        "http://127.0.0.1:8000/open-data/actions.geojson",
        "http://127.0.0.1:8000/open-data/actions.xlsx",
    ]
    assert datasets["actions"]["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_build_under_way_shows_its_progress_and_the_last_whole_one_stays(
    built: OpenDataBuild,
) -> None:
    OpenDataBuild.objects.create(done=3, total=15)

    html = Client().get("/open-data/").content.decode()

    assert "New files are being made: 3 of 15 datasets done." in html
    assert '<progress value="3" max="15">' in html
    assert f'href="/open-data/{ZIP_NAME}"' in html
    assert build_open_data.delay().get() is None


def test_a_new_build_replaces_the_last_and_a_stale_one_counts_as_failed(
    built: OpenDataBuild,
) -> None:
    stale = OpenDataBuild.objects.create(started_at=timezone.now() - dt.timedelta(hours=2))

    newer = build_open_data.delay().get()

    stale.refresh_from_db()
    assert stale.status == "failed"
    assert list(OpenDataBuild.objects.filter(status="done").values_list("pk", flat=True)) == [newer]
    assert OpenDataFile.objects.filter(build=built).count() == 0


def test_before_the_first_build_the_page_says_so(db) -> None:
    html = Client().get("/open-data/").content.decode()

    assert "The downloads have not been made yet; they are made every night." in html
    assert Client().get(f"/open-data/{ZIP_NAME}").status_code == 404
