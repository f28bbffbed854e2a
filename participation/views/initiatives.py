"""Residents' initiatives: submitting one, its page with its history, the team's answer, and
the list of a wijk's initiatives.

Every view loads its object through `visible_to` (404), checks the action with `has_perm`
(403), validates a form and hands the cleaned values to participation.services.initiatives.
Invalid input answers 400 with the errors next to the fields, and nothing is saved; a step
the initiative's status does not allow answers 400 with a message saying why. Submitting is
limited per client address (accounts.throttle): past the limit a 429.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import throttle
from accounts.follows import follow_button
from accounts.http import AuthenticatedHttpRequest
from agendas.models import Action, Wijkagenda
from areas.forms_location import wijken_geojson
from areas.models import Residence, Wijk
from participation.forms.initiatives import InitiativeAnswerForm, InitiativeForm
from participation.models import Initiative, TransitionRefused
from participation.services import initiatives as services
from web.http import posted, query_text

FORM_TEMPLATE = "participation/initiatives/initiative_form.html"
DETAIL_TEMPLATE = "participation/initiatives/initiative_detail.html"
ANSWER_TEMPLATE = "participation/initiatives/initiative_answer.html"
LIST_TEMPLATE = "participation/initiatives/initiative_list.html"
# Throttle: submissions per client address per hour (each tells the gebied's team).
THROTTLE_KIND = "initiatives"


def _breadcrumbs(wijk: Wijk, *rest: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    team = wijk.gebiedsteam
    return [
        (team.name, team.get_absolute_url()),
        (wijk.name, wijk.get_absolute_url()),
        (_("Initiatives"), reverse("participation:wijk-initiatives", kwargs={"slug": wijk.slug})),
        *rest,
    ]


def _load(request: HttpRequest, pk: int) -> Initiative:
    return get_object_or_404(
        Initiative.objects.visible_to(request.user)
        .select_related("wijk__gebiedsteam", "submitted_by", "partner")
        .defer(
            "wijk__geometry",
            "wijk__geometry_simplified",
            "wijk__gebiedsteam__outline",
        ),
        pk=pk,
    )


def _default_wijk(request: AuthenticatedHttpRequest) -> Wijk | None:
    """The wijk asked for (`?wijk=<slug>`), else the wijk the person lives in."""
    slug = query_text(request, "wijk")
    if slug:
        return Wijk.objects.filter(slug=slug).only("pk").first()
    residence = Residence.objects.filter(user_id=request.user.pk).only("wijk_id").first()
    return Wijk(pk=residence.wijk_id) if residence is not None else None


def _picker_wijken(form: InitiativeForm, wijk: Wijk | None) -> QuerySet[Wijk]:
    """The boundary the location picker draws: the wijk chosen (posted, or by default).

    Only that one: the simplified boundaries of every wijk would make the page heavy, and the
    server checks the point against the wijk chosen anyway.
    """
    chosen = form.data.get("wijk", "") if form.is_bound else ""
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 10:
        return Wijk.objects.filter(pk=int(chosen)).for_map()
    if wijk is not None:
        return Wijk.objects.filter(pk=wijk.pk).for_map()
    return Wijk.objects.none()


def _throttled(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    window = throttle.INITIATIVE_WINDOW_SECONDS
    context["throttled_message"] = _(
        "Too many initiatives came from your connection. Try again in %(minutes)s minutes."
    ) % {"minutes": window // 60}
    response = render(request, FORM_TEMPLATE, context, status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(window)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def initiative_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new initiative for a wijk (by default the one the person lives in)."""
    if not request.user.has_perm("participation.add_initiative"):
        raise PermissionDenied
    wijk = _default_wijk(request)
    form = InitiativeForm(
        posted(request),
        instance=Initiative(),
        initial={"wijk": wijk.pk} if wijk is not None else {},
    )
    context: dict[str, Any] = {
        "form": form,
        "picker_wijken": wijken_geojson(_picker_wijken(form, wijk)),
        "response_days": settings.WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS,
        "breadcrumbs": [(_("Submit an initiative"), None)],
    }
    status = HTTPStatus.OK
    if request.method == "POST":
        address = throttle.client_address(request)
        if throttle.initiative_address_blocked(address=address):
            context["form"] = InitiativeForm(instance=Initiative())
            return _throttled(request, context)
        if form.is_valid():
            throttle.record_initiative(address=address)
            initiative = services.submit_initiative(
                wijk=form.cleaned_data["wijk"], by=request.user, values=form.cleaned_data
            )
            messages.success(
                request,
                _(
                    "Thank you. Your initiative has been sent to gebiedsteam %(team)s. "
                    "You follow it: you hear of every step."
                )
                % {"team": initiative.wijk.gebiedsteam.name},
            )
            return redirect(initiative)
        status = HTTPStatus.BAD_REQUEST
    return render(request, FORM_TEMPLATE, context, status=status)


@require_safe
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _load(request, pk)
    steps = initiative.steps.select_related("by").only(
        "status", "note", "created_at", "by__full_name"
    )
    context = {
        "initiative": initiative,
        "steps": list(steps),
        # Only the links the reader may follow: an action of a draft agenda stays the team's.
        "agenda_items": list(
            initiative.agenda_items.filter(
                wijkagenda__in=Wijkagenda.objects.visible_to(request.user)
            ).select_related("wijkagenda")
        ),
        "actions": list(
            Action.objects.visible_to(request.user)
            .filter(pk__in=initiative.actions.values("pk"))
            .order_by("title", "pk")
        ),
        # The meetings where it is discussed, in one query: a closed one only for its team.
        "meetings": list(
            initiative.meetings.visible_to(request.user)
            .only("pk", "title", "kind", "starts_at", "ends_at", "public")
            .order_by("starts_at", "pk")
        ),
        "follow": follow_button(request, initiative),
        "can_answer": (
            not initiative.is_final
            and request.user.has_perm("participation.answer_initiative", initiative)
        ),
        "is_submitter": (
            request.user.is_authenticated and initiative.submitted_by_id == request.user.pk
        ),
        "breadcrumbs": _breadcrumbs(initiative.wijk, (initiative.title, None)),
    }
    return render(request, DETAIL_TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def initiative_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The team's next step on an initiative; a supported or refused one takes no more."""
    initiative = _load(request, pk)
    if not request.user.has_perm("participation.answer_initiative", initiative):
        raise PermissionDenied
    context: dict[str, Any] = {
        "initiative": initiative,
        "breadcrumbs": _breadcrumbs(
            initiative.wijk,
            (initiative.title, initiative.get_absolute_url()),
            (_("Answer"), None),
        ),
    }
    if initiative.is_final:
        context["refused"] = _("This initiative has been answered: its status is final.")
        return render(request, ANSWER_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)
    form = InitiativeAnswerForm(posted(request), initiative=initiative)
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_initiative(
                    initiative=initiative,
                    by=request.user,
                    status=data["status"],
                    note=data["note"],
                    reason=data["reason"],
                    agenda_items=data["agenda_items"],
                    actions=data["actions"],
                    partner=data["partner"],
                )
            except TransitionRefused as refused:
                context["refused"] = refused.message
                return render(request, ANSWER_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)
            messages.success(
                request,
                _("The initiative is now “%(status)s”; its followers are told.")
                % {"status": initiative.get_status_display()},
            )
            return redirect(initiative)
        return render(request, ANSWER_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)
    return render(request, ANSWER_TEMPLATE, context)


@require_safe
def wijk_initiatives(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiatives of a wijk the reader may see, newest first, page by page."""
    wijk = get_object_or_404(Wijk.objects.visible_to(request.user).for_detail(), slug=slug)
    initiatives = Initiative.objects.visible_to(request.user).for_wijk(wijk).for_list()
    page_obj = Paginator(initiatives, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "wijk": wijk,
        "page_obj": page_obj,
        "breadcrumbs": _breadcrumbs(wijk)[:-1] + [(_("Initiatives"), None)],
    }
    return render(request, LIST_TEMPLATE, context)
