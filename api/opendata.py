"""The open-data downloads: every dataset of the API as CSV, XLSX and (where it has a place)
GeoJSON, and one ZIP of everything, rebuilt by a task (`api.tasks.build_open_data`).

The rows are the API's own (`api.datasets.DATASETS`, from each model's `visible_to` for an
anonymous visitor, through the same serializers), so a download holds exactly what the API
and the public pages show. A build is kept in the database, files and all: the web processes
serve them without a shared disk, and a new build replaces the last one only once it is whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from api.datasets import DATASETS, Dataset
from api.models import OpenDataBuild, OpenDataFile
from web import pagecache

# Rows serialized at a time: each chunk is one query per relation the serializer reads.
CHUNK = 500
ZIP_NAME = "wijkportaal-open-data.zip"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "zip": "application/zip",
}


class _PortalAddress:
    """What the serializers ask of a request: the absolute address of a page."""

    def build_absolute_uri(self, path: str) -> str:
        return f"{settings.WIJKPORTAAL_BASE_URL}{path}"


def _context() -> dict[str, Any]:
    return {"request": _PortalAddress(), "geometry": True}


def rows_of(dataset: Dataset) -> Iterator[dict[str, Any]]:
    """Every row of the dataset as the API gives it, with the areas' boundaries."""
    queryset = dataset.rows()
    if dataset.filters.geometry is not None:
        queryset = dataset.filters.geometry(queryset)
    objects = list(queryset)
    for start in range(0, len(objects), CHUNK):
        chunk = objects[start : start + CHUNK]
        if dataset.prepare is not None:
            dataset.prepare(chunk)
        yield from dataset.serializer(chunk, many=True, context=_context()).data


def fields_of(dataset: Dataset) -> list[str]:
    """The names of a row's fields, as the serializer declares them: an empty dataset has
    its columns too."""
    return list(dataset.serializer(context=_context()).fields)


def _cell(value: Any) -> Any:
    """A value as one cell: lists and objects as JSON, the rest as they are."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _columns(fields: list[str]) -> list[str]:
    return [name for name in fields if name != "geometry"]


def as_csv(fields: list[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    columns = _columns(fields)
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else _cell(row[c]) for c in columns])
    # With a byte-order mark: spreadsheet programs then read the UTF-8 as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(name: str, fields: list[str], rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    columns = _columns(fields)
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(row[c]) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _geometry(row: dict[str, Any]) -> dict[str, Any] | None:
    if row.get("geometry"):
        return row["geometry"]
    if row.get("longitude") is not None and row.get("latitude") is not None:
        return {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
    return None


def as_geojson(fields: list[str], rows: list[dict[str, Any]]) -> bytes | None:
    """The rows as a FeatureCollection (an empty one when there are none); None for a
    dataset whose rows have no place."""
    if not {"geometry", "longitude"} & set(fields):
        return None
    columns = _columns(fields)
    features = [
        {
            "type": "Feature",
            "geometry": _geometry(row),
            "properties": {c: row[c] for c in columns},
        }
        for row in rows
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode("utf-8")


def _file(
    build: OpenDataBuild, name: str, dataset: str, kind: str, rows: int, content: bytes
) -> OpenDataFile:
    return OpenDataFile(
        build=build,
        name=name,
        dataset=dataset,
        kind=kind,
        rows=rows,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def build(progress: Callable[[int, int], None] | None = None) -> OpenDataBuild:
    """Make every file anew as a new build; the last whole build stays served until this one
    is whole, and is then deleted. `progress(done, total)` after each dataset."""
    total = len(DATASETS)
    current = OpenDataBuild.objects.create(total=total)
    files: list[OpenDataFile] = []
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for done, (name, dataset) in enumerate(DATASETS.items(), start=1):
            rows, fields = list(rows_of(dataset)), fields_of(dataset)
            made = [("csv", as_csv(fields, rows)), ("xlsx", as_xlsx(name, fields, rows))]
            geojson = as_geojson(fields, rows)
            if geojson is not None:
                made.append(("geojson", geojson))
            for kind, content in made:
                file_name = f"{name}.{kind}"
                files.append(_file(current, file_name, name, kind, len(rows), content))
                bundle.writestr(file_name, content)
            OpenDataBuild.objects.filter(pk=current.pk).update(done=done)
            pagecache.bump()  # the page shows the progress
            if progress is not None:
                progress(done, total)
        bundle.writestr("LICENSE.txt", licence_text())
    content = archive.getvalue()
    rows_total = sum(f.rows for f in files if f.kind == "csv")
    files.append(_file(current, ZIP_NAME, "", "zip", rows_total, content))
    with transaction.atomic():
        OpenDataFile.objects.bulk_create(files)
        current.status = OpenDataBuild.Status.DONE
        current.finished_at = timezone.now()
        current.save(update_fields=["status", "finished_at"])
        OpenDataBuild.objects.exclude(pk=current.pk).filter(
            status=OpenDataBuild.Status.DONE
        ).delete()
    return current


def licence_text() -> str:
    return (
        f"{settings.WIJKPORTAAL_OPEN_DATA_LICENSE_NAME} "
        f"<{settings.WIJKPORTAAL_OPEN_DATA_LICENSE_URL}>\n"
        f"Gemeente {settings.WIJKPORTAAL_MUNICIPALITY_NAME}, Wijkportaal: "
        f"{settings.WIJKPORTAAL_BASE_URL}/open-data/\n"
        "Grenzen en kerncijfers van wijken en buurten: Kadaster / Centraal Bureau voor de "
        "Statistiek (CC BY 4.0).\n"
    )
