"""The city map: located actions, proposals, meetings and werkplekken, with a list beside it."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie, vary_on_headers

from areas.views import GEOJSON_CONTENT_TYPE, conditional_get
from portal.maps import LocatedQueryForm, describe, located_collection, located_list
from web import pagecache
from web.http import HtmxHttpRequest, render_page_or_fragment

LOCATED_PAGE_SIZE = 20


@require_safe
@gzip_page
@conditional_get
@vary_on_cookie
def located_geojson(request: HttpRequest) -> HttpResponse:
    """The located items in the map's box as GeoJSON, clustered above maps.CAP items.

    The answer depends on the user (a team sees its drafts), so a signed-in user's copy is
    `private`; Vary: Cookie keeps a shared cache from handing one user's copy to another.
    Either copy is asked again before each use (a 304 while unchanged): a published change
    shows on the next request (web/pagecache.py).
    """
    form = LocatedQueryForm(request.GET, user=request.user)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=HTTPStatus.BAD_REQUEST)
    response = JsonResponse(
        located_collection(form.filters(), request.user),
        content_type=GEOJSON_CONTENT_TYPE,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
    if request.user.is_authenticated:
        patch_cache_control(response, **pagecache.PRIVATE_CACHE_CONTROL)
    else:
        patch_cache_control(response, **pagecache.PUBLIC_CACHE_CONTROL)
    return response


@require_safe
@vary_on_headers("HX-Request")
def city_map(request: HtmxHttpRequest) -> HttpResponse:
    """The map page. Without JavaScript the filters and the paginated list do all the work;
    with it, the map sends its box along and htmx swaps in the list for that box."""
    form = LocatedQueryForm(request.GET, user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "bbox": None,
        "page_obj": None,
        "items": [],
        "error": "",
        "map_layers": [
            {"url": reverse("areas:gebieden-geojson"), "kind": "gebieden", "fit": True},
            {"url": reverse("areas:wijken-geojson"), "kind": "wijken", "fit": False},
            {
                "url": reverse("portal:located-geojson"),
                "kind": "located",
                "bbox": True,
                "fit": False,
            },
        ],
        "breadcrumbs": [(_("Map"), None)],
    }
    status = HTTPStatus.OK
    if form.is_valid():
        filters = form.filters()
        page_obj = Paginator(located_list(filters, request.user), LOCATED_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(bbox=filters.bbox, page_obj=page_obj, items=describe(page_obj.object_list))
    else:
        status = HTTPStatus.BAD_REQUEST
        context["error"] = form.first_error()
    return render_page_or_fragment(request, "portal/city_map.html", "located-list", context, status)
