"""Finding a wijk by address: postcode and house number, or a typed address.

The address goes to the PDOK Locatieserver (areas.addresses); its point goes to the
in-process indexes of the wijk and buurt boundaries (areas.locate). The page works without
JavaScript: a typed address gives a list of suggestions as links. Two JSON endpoints serve
the suggestions while typing and the point of an address, for this page's script and for
the forms that place something by address.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from areas.addresses import (
    SUGGEST_ROWS,
    Address,
    AddressError,
    LocatieserverUnavailable,
    check_address_id,
    find_address,
    lookup,
    municipality_filter,
    suggest,
)
from areas.forms_address import AddressSearchForm, PostcodeForm
from areas.locate import locate_buurt, locate_wijk
from areas.models import Buurt, Wijk

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

POSTCODE_FIELDS = ("postcode", "huisnummer", "toevoeging")
# Suggestions and points change rarely; the browser may keep them for an hour.
JSON_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class Place:
    """Where an address lies: its wijk and buurt, each None when there is none."""

    wijk: Wijk | None
    buurt: Buurt | None


@dataclass(frozen=True)
class Problem:
    """Why no wijk page could be shown, for the page to say and offer a way around."""

    title: str
    message: str
    status: int


def place_of(address: Address, user: User | AnonymousUser) -> Place:
    """The wijk and buurt that hold the address's point (a fixed number of queries).

    The buurt counts only when it lies in that wijk (generalised boundaries overlap a
    little); a point inside a buurt but outside every wijk boundary takes the buurt's wijk.
    """
    slug = locate_wijk(address.lon, address.lat)
    code = locate_buurt(address.lon, address.lat)
    wijk = Wijk.objects.visible_to(user).for_detail().filter(slug=slug).first() if slug else None
    buurt = (
        Buurt.objects.for_list().select_related("wijk").filter(code=code).first() if code else None
    )
    if wijk is None and buurt is not None:
        wijk = buurt.wijk
    if buurt is not None and wijk is not None and buurt.wijk_id != wijk.pk:
        buurt = None
    return Place(wijk=wijk, buurt=buurt)


def in_municipality(address: Address) -> bool:
    """Whether the Locatieserver places the address in our municipality (True if unsaid)."""
    ours = municipality_filter()
    return not (ours and address.municipality_code and address.municipality_code != ours)


@require_safe
def address_find(request: HttpRequest) -> HttpResponse:
    if "id" in request.GET:
        return _find_by_id(request)
    if any(name in request.GET for name in POSTCODE_FIELDS):
        return _find_by_postcode(request)
    if "q" in request.GET:
        return _search(request)
    return _page(request)


def _find_by_postcode(request: HttpRequest) -> HttpResponse:
    form = PostcodeForm(request.GET)
    if not form.is_valid():
        return _page(request, postcode_form=form, status=HTTPStatus.BAD_REQUEST)
    house = form.cleaned_data["house_number"]
    try:
        address = find_address(form.cleaned_data["postcode"], house.number, _extra(house))
    except LocatieserverUnavailable:
        return _page(request, postcode_form=form, problem=_unavailable())
    if address is None:
        return _page(
            request,
            postcode_form=form,
            problem=Problem(
                title=_("We could not find this address"),
                message=_(
                    "There is no address with postcode %(postcode)s and house number "
                    "%(number)s. Check them, or choose your wijk in another way."
                )
                % {"postcode": form.cleaned_data["postcode"], "number": house},
                status=HTTPStatus.NOT_FOUND,
            ),
        )
    return _go_to_wijk(request, address, postcode_form=form)


def _extra(house: Any) -> str:
    """The letter and addition as find_address reads them again ("A", "2", "A 2")."""
    return " ".join(part for part in (house.letter, house.addition) if part)


def _find_by_id(request: HttpRequest) -> HttpResponse:
    try:
        address_id = check_address_id(request.GET.get("id", ""))
        address = lookup(address_id)
    except AddressError as exc:
        return _page(
            request,
            problem=Problem(
                title=_("This link is not valid"),
                message=exc.message,
                status=HTTPStatus.BAD_REQUEST,
            ),
        )
    except LocatieserverUnavailable:
        return _page(request, problem=_unavailable())
    if address is None:
        return _page(
            request,
            problem=Problem(
                title=_("We could not find this address"),
                message=_(
                    "The address you chose does not exist (any more). Search for it again, "
                    "or choose your wijk in another way."
                ),
                status=HTTPStatus.NOT_FOUND,
            ),
        )
    return _go_to_wijk(request, address)


def _search(request: HttpRequest) -> HttpResponse:
    form = AddressSearchForm(request.GET)
    if not form.is_valid():
        return _page(request, search_form=form, status=HTTPStatus.BAD_REQUEST)
    query = form.cleaned_data["q"]
    try:
        suggestions = suggest(query)
    except LocatieserverUnavailable:
        return _page(request, search_form=form, problem=_unavailable())
    if not suggestions:
        return _page(
            request,
            search_form=form,
            problem=Problem(
                title=_("We could not find this address"),
                message=_(
                    "No address in %(municipality)s matches “%(query)s”. Check the spelling, "
                    "search with your postcode and house number, or choose your wijk in "
                    "another way."
                )
                % {"municipality": settings.WIJKPORTAAL_MUNICIPALITY_NAME, "query": query},
                status=HTTPStatus.NOT_FOUND,
            ),
        )
    return _page(request, search_form=form, suggestions=suggestions)


def _go_to_wijk(
    request: HttpRequest, address: Address, *, postcode_form: PostcodeForm | None = None
) -> HttpResponse:
    """Redirect to the wijk of the address, naming its buurt; or say why there is none."""
    municipality = settings.WIJKPORTAAL_MUNICIPALITY_NAME
    place = place_of(address, request.user) if in_municipality(address) else Place(None, None)
    if place.wijk is not None:
        url = place.wijk.get_absolute_url()
        if place.buurt is not None:
            url += "?" + urlencode({"buurt": place.buurt.code})
        return HttpResponseRedirect(url)
    if in_municipality(address) and address.municipality_code:
        problem = Problem(
            title=_("We could not find the wijk of this address"),
            message=_(
                "%(address)s lies in %(municipality)s, but not inside one of the wijken we "
                "know. Choose your wijk in another way."
            )
            % {"address": address.label, "municipality": municipality},
            status=HTTPStatus.NOT_FOUND,
        )
    else:
        problem = Problem(
            title=_("This address is not in the municipality of %(municipality)s")
            % {"municipality": municipality},
            message=_(
                "%(address)s lies outside the wijken and dorpen of %(municipality)s. This "
                "portal only shows the wijken of %(municipality)s."
            )
            % {"address": address.label, "municipality": municipality},
            status=HTTPStatus.NOT_FOUND,
        )
    return _page(request, postcode_form=postcode_form, problem=problem, address=address)


def _unavailable() -> Problem:
    return Problem(
        title=_("The address search is not available right now"),
        message=_(
            "We cannot look up addresses at the moment. Try again later, or choose your "
            "wijk in another way."
        ),
        status=HTTPStatus.SERVICE_UNAVAILABLE,
    )


def _page(
    request: HttpRequest,
    *,
    postcode_form: PostcodeForm | None = None,
    search_form: AddressSearchForm | None = None,
    problem: Problem | None = None,
    suggestions: list[Any] | None = None,
    address: Address | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    postcode_form = postcode_form or PostcodeForm()
    search_form = search_form or AddressSearchForm()
    title = problem.title if problem else _("Find my wijk by address")
    context = {
        "title": title,
        "postcode_form": postcode_form,
        "search_form": search_form,
        "problem": problem,
        "suggestions": suggestions or [],
        "address": address,
        "error_fields": [
            (field, error)
            for form in (postcode_form, search_form)
            if form.is_bound
            for field in form
            for error in field.errors
        ],
        "breadcrumbs": [(_("Find my wijk"), reverse("areas:wijk-list")), (title, None)],
    }
    return render(
        request,
        "areas/address_find.html",
        context,
        status=problem.status if problem else status,
    )


def _json(data: dict[str, Any], *, status: int = HTTPStatus.OK) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if status == HTTPStatus.OK:
        patch_cache_control(response, private=True, max_age=JSON_MAX_AGE)
    else:
        # A failure must not stick in the browser: the next keystroke asks again.
        patch_cache_control(response, no_store=True)
    return response


def _unavailable_json() -> JsonResponse:
    return _json(
        {"error": _("The address search is not available right now. Try again later.")},
        status=HTTPStatus.SERVICE_UNAVAILABLE,
    )


@require_safe
def address_suggest(request: HttpRequest) -> JsonResponse:
    try:
        suggestions = suggest(request.GET.get("q", ""))
    except AddressError as exc:
        return _json({"error": exc.message}, status=HTTPStatus.BAD_REQUEST)
    except LocatieserverUnavailable:
        return _unavailable_json()
    return _json(
        {"suggestions": [{"id": s.id, "label": s.label} for s in suggestions[:SUGGEST_ROWS]]}
    )


@require_safe
def address_point(request: HttpRequest) -> JsonResponse:
    try:
        if "id" in request.GET:
            address = lookup(request.GET["id"])
        elif any(name in request.GET for name in POSTCODE_FIELDS):
            address = find_address(
                request.GET.get("postcode", ""),
                request.GET.get("huisnummer", ""),
                request.GET.get("toevoeging", ""),
            )
        else:
            return _json(
                {"error": _("Give an address id, or a postcode and house number.")},
                status=HTTPStatus.BAD_REQUEST,
            )
    except AddressError as exc:
        return _json({"error": exc.message}, status=HTTPStatus.BAD_REQUEST)
    except LocatieserverUnavailable:
        return _unavailable_json()
    if address is None:
        return _json({"error": _("We could not find this address.")}, status=HTTPStatus.NOT_FOUND)
    place = place_of(address, request.user) if in_municipality(address) else Place(None, None)
    return _json(
        {
            "label": address.label,
            "lon": address.lon,
            "lat": address.lat,
            "wijk": (
                {
                    "slug": place.wijk.slug,
                    "name": place.wijk.name,
                    "url": place.wijk.get_absolute_url(),
                }
                if place.wijk
                else None
            ),
            "buurt": (
                {"code": place.buurt.code, "name": place.buurt.name} if place.buurt else None
            ),
        }
    )
