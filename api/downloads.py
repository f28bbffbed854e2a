"""The open-data page (/open-data/): the downloads of the last build with their licence, the
state of the build under way, and the DCAT catalogue that data.overheid.nl harvests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from api.datasets import SUMMARIES
from api.models import OpenDataBuild, OpenDataFile
from api.opendata import MEDIA_TYPES


def _files(build: OpenDataBuild | None) -> list[OpenDataFile]:
    if build is None:
        return []
    return list(build.files.defer("content").order_by("dataset", "kind"))


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    served = OpenDataBuild.objects.served()
    files = _files(served)
    datasets: dict[str, list[OpenDataFile]] = {}
    for file in files:
        if file.dataset:
            datasets.setdefault(file.dataset, []).append(file)
    context: dict[str, Any] = {
        "served": served,
        "running": OpenDataBuild.objects.running(),
        "datasets": list(datasets.items()),
        "archive": next((file for file in files if file.kind == "zip"), None),
        "licence_name": settings.WIJKPORTAAL_OPEN_DATA_LICENSE_NAME,
        "licence_url": settings.WIJKPORTAAL_OPEN_DATA_LICENSE_URL,
        "breadcrumbs": [(_("Open data"), None)],
    }
    return render(request, "api/open_data.html", context)


def _served_file(name: str) -> OpenDataFile:
    served = OpenDataBuild.objects.served()
    file = served.files.filter(name=name).first() if served is not None else None
    if file is None:
        raise Http404(_("There is no such download."))
    return file


def _file_etag(request: HttpRequest, name: str) -> str | None:
    served = OpenDataBuild.objects.served()
    found = (
        served.files.filter(name=name).values_list("sha256", flat=True).first() if served else None
    )
    return f'"{found}"' if found else None


@require_safe
@condition(etag_func=_file_etag)
def open_data_file(request: HttpRequest, name: str) -> HttpResponse:
    """One download of the last whole build, with its ETag (a repeat costs a 304)."""
    file = _served_file(name)
    response = HttpResponse(bytes(file.content), content_type=MEDIA_TYPES[file.kind])
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


@require_safe
def dcat_catalogue(request: HttpRequest) -> JsonResponse:
    """The datasets as a DCAT catalogue in JSON-LD (DCAT-AP-DONL's terms): what a harvester
    such as data.overheid.nl reads to list them."""
    served = OpenDataBuild.objects.served()
    base = settings.WIJKPORTAAL_BASE_URL
    municipality = settings.WIJKPORTAAL_MUNICIPALITY_NAME
    publisher = {"@type": "foaf:Organization", "foaf:name": f"Gemeente {municipality}"}
    modified = served.finished_at.isoformat() if served and served.finished_at else None
    by_dataset: dict[str, list[OpenDataFile]] = {}
    for file in _files(served):
        if file.dataset:
            by_dataset.setdefault(file.dataset, []).append(file)
    datasets = [
        {
            "@type": "dcat:Dataset",
            "@id": f"{base}/open-data/#{name}",
            "dct:identifier": f"{base}/open-data/#{name}",
            "dct:title": name,
            "dct:description": SUMMARIES.get(name, name),
            "dct:language": "http://publications.europa.eu/resource/authority/language/NLD",
            "dct:license": settings.WIJKPORTAAL_OPEN_DATA_LICENSE_URL,
            "dct:publisher": publisher,
            "dct:modified": modified,
            "dcat:landingPage": f"{base}{reverse('api:open-data')}",
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:title": file.name,
                    "dcat:accessURL": f"{base}{reverse('api:open-data')}",
                    "dcat:downloadURL": f"{base}{reverse('api:open-data-file', args=[file.name])}",
                    "dcat:mediaType": MEDIA_TYPES[file.kind].split(";")[0],
                    "dct:format": file.kind.upper(),
                    "dcat:byteSize": file.size,
                    "dct:license": settings.WIJKPORTAAL_OPEN_DATA_LICENSE_URL,
                }
                for file in files
            ],
        }
        for name, files in by_dataset.items()
    ]
    catalogue = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}{reverse('api:open-data-catalogue')}",
        "dct:title": f"Wijkportaal {municipality}",
        "dct:publisher": publisher,
        "dct:modified": modified,
        "dcat:dataset": datasets,
    }
    response = JsonResponse(catalogue, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json"
    return response
