"""Finding a wijk, and the boundaries as GeoJSON for the maps."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import conditional_page, require_safe
from django.views.decorators.vary import vary_on_headers

from areas.geometry import GeometryError, check_point
from areas.locate import locate_wijk
from areas.models import Buurt, Gebiedsteam, Wijk
from web import pagecache
from web.http import HtmxHttpRequest, query_text, render_page_or_fragment

GEOJSON_CONTENT_TYPE = "application/geo+json"
# Tilburg has 59 wijken: one page holds them all, so the list and the map show the same.
WIJK_LIST_PAGE_SIZE = 100
MAX_QUERY_LENGTH = 100

# ConditionalGetMiddleware as a decorator (Django's conditional_page): an ETag from the
# content, 304 on a repeat. Inside gzip_page, which compresses the body and weakens the ETag;
# a repeat still matches (weak comparison), so a revisit costs a 304 either way.
conditional_get = conditional_page
# Anyone may keep the boundaries, but asks again before each use (a 304 while they are
# unchanged): an imported or edited boundary shows on the next request, as every change does
# (web/pagecache.py). The page cache stores the answer for the next visitor.
geojson_cache = cache_control(**pagecache.PUBLIC_CACHE_CONTROL)


@require_safe
@vary_on_headers("HX-Request")
def wijk_list(request: HtmxHttpRequest) -> HttpResponse:
    # A search with a NUL is ignored, as if not given (query_text): the page lists all wijken.
    query = query_text(request, "q").strip()[:MAX_QUERY_LENGTH]
    wijken = Wijk.objects.visible_to(request.user).for_list().by_gebiedsteam()
    if query:
        wijken = wijken.search(query)
    page_obj = Paginator(wijken, WIJK_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "page_obj": page_obj,
        "wijken": page_obj.object_list,
        "map_layers": [{"url": reverse("areas:wijken-geojson"), "kind": "wijken", "fit": True}],
        "breadcrumbs": [(_("Find my wijk"), None)],
    }
    return render_page_or_fragment(request, "areas/wijk_list.html", "results", context)


@require_safe
def wijk_locate(request: HttpRequest) -> HttpResponse:
    lon_text = request.GET.get("lon", "").strip()
    lat_text = request.GET.get("lat", "").strip()
    if not lon_text or not lat_text:
        return _locate_error(
            request,
            status=HTTPStatus.BAD_REQUEST,
            title=_("No location given"),
            message=_(
                "We need a longitude and a latitude to find a wijk. "
                "Choose a place on the map, or choose your wijk from the list."
            ),
        )
    try:
        lon, lat = check_point(lon_text, lat_text)
    except GeometryError:
        return _locate_error(
            request,
            status=HTTPStatus.BAD_REQUEST,
            title=_("This location is not valid"),
            message=_(
                "Longitude and latitude must be numbers. The longitude lies between -180 "
                "and 180, the latitude between -90 and 90."
            ),
        )
    slug = locate_wijk(lon, lat)
    if slug is None:
        return _locate_error(
            request,
            status=HTTPStatus.NOT_FOUND,
            title=_("This place is not in the municipality of %(municipality)s")
            % {"municipality": settings.WIJKPORTAAL_MUNICIPALITY_NAME},
            message=_("The place you chose lies outside all wijken and dorpen."),
            outside=True,
        )
    return redirect("portal:wijk-detail", slug=slug)


def _locate_error(
    request: HttpRequest, *, status: int, title: str, message: str, outside: bool = False
) -> HttpResponse:
    context = {
        "title": title,
        "message": message,
        "outside": outside,
        "breadcrumbs": [(_("Find my wijk"), reverse("areas:wijk-list")), (title, None)],
    }
    return render(request, "areas/wijk_locate_error.html", context, status=status)


@require_safe
@gzip_page
@conditional_get
@geojson_cache
def gebieden_geojson(request: HttpRequest) -> HttpResponse:
    queryset = Gebiedsteam.objects.visible_to(request.user).for_map()
    # A slug that names no gebied is 404, but one with a NUL is ignored, as if not given
    # (query_text), like the filters of the lists: the layer shows every gebied.
    slug = query_text(request, "gebied")
    gebieden: Iterable[Gebiedsteam] = [get_object_or_404(queryset, slug=slug)] if slug else queryset
    return _feature_collection(
        _feature(
            gebied.slug,
            gebied.outline,
            name=gebied.name,
            colour=gebied.colour,
            url=gebied.get_absolute_url(),
            wijk_count=gebied.wijk_count,
            focus=gebied.focus,
        )
        for gebied in gebieden
        if gebied.outline
    )


@require_safe
@gzip_page
@conditional_get
@geojson_cache
def wijken_geojson(request: HttpRequest) -> HttpResponse:
    queryset = Wijk.objects.visible_to(request.user).for_map().by_gebiedsteam()
    # As in gebieden_geojson: an unknown slug is 404, a slug with a NUL is ignored.
    gebied_slug = query_text(request, "gebied")
    if gebied_slug:
        gebied = get_object_or_404(Gebiedsteam.objects.visible_to(request.user), slug=gebied_slug)
        queryset = queryset.for_gebiedsteam(gebied)
    wijk_slug = query_text(request, "wijk")
    wijken: Iterable[Wijk] = (
        [get_object_or_404(queryset, slug=wijk_slug)] if wijk_slug else queryset
    )
    return _feature_collection(
        _feature(
            wijk.code,
            wijk.geometry_simplified,
            name=wijk.name,
            code=wijk.code,
            kind=wijk.kind,
            gebiedsteam=wijk.gebiedsteam.name,
            colour=wijk.gebiedsteam.colour,
            url=wijk.get_absolute_url(),
            inhabitants=wijk.inhabitants,
        )
        for wijk in wijken
        if wijk.geometry_simplified
    )


@require_safe
@gzip_page
@conditional_get
@geojson_cache
def buurten_geojson(request: HttpRequest, slug: str) -> HttpResponse:
    wijk = get_object_or_404(Wijk.objects.visible_to(request.user).only("pk"), slug=slug)
    buurten = Buurt.objects.for_wijk(wijk).with_geometry().for_map()
    return _feature_collection(
        _feature(buurt.code, buurt.geometry_simplified, name=buurt.name, code=buurt.code)
        for buurt in buurten
        if buurt.geometry_simplified
    )


def _feature(feature_id: str, geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": properties}


def _feature_collection(features: Iterable[dict[str, Any]]) -> JsonResponse:
    return JsonResponse(
        {"type": "FeatureCollection", "features": list(features)},
        content_type=GEOJSON_CONTENT_TYPE,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
