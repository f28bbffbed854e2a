"""The pages of the agendas: wijkagendas, actions and proposals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from agendas.models import (
    Action,
    Plan,
    Wijkagenda,
)
from agendas.origins import origins_of
from agendas.publication import listing_for
from areas.models import Gebiedsteam
from pacts.models import Pact
from web.http import HtmxHttpRequest, query_text

# A plan's list of actions: a page is a table of this many rows.
PLAN_ACTIONS_PER_PAGE = 50


@require_safe
@vary_on_headers("HX-Request")
def wijkagenda_list(request: HtmxHttpRequest) -> HttpResponse:
    agendas = Wijkagenda.objects.visible_to(request.user)
    gebied = query_text(request, "gebied")
    kind = query_text(request, "soort")
    # Unknown values are not an error: they match no agenda, and the page says so. A value
    # with a NUL is ignored, as if not given (query_text): the page shows unfiltered.
    if gebied:
        agendas = agendas.for_gebiedsteam_slug(gebied)
    if kind:
        agendas = agendas.of_kind(kind)
    agendas = (
        agendas.for_overview().annotate_item_count().with_latest_version().order_by("title", "pk")
    )
    page_obj = Paginator(agendas, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get("page"))
    # Residents read an agenda as it was last published; its team reads it as it is now.
    for agenda in page_obj:
        live = request.user.has_perm("agendas.change_wijkagenda", agenda)
        agenda.listing = listing_for(agenda, live=live)  # type: ignore[attr-defined]
    context = {
        "page_obj": page_obj,
        "gebiedsteams": Gebiedsteam.objects.defer("outline"),
        "kinds": Wijkagenda.Kind.choices,
        "selected_gebied": gebied,
        "selected_kind": kind,
        "is_filtered": bool(gebied or kind),
        "breadcrumbs": [(_("Wijkagendas"), None)],
    }
    template = "agendas/wijkagenda_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.visible_to(request.user).for_detail(), pk=pk)
    agenda = action.plan.wijkagenda
    commitment = action.pact_commitment
    # The commitment's pact may be a draft the user may not see; then it is left out.
    if commitment is not None and not Pact.objects.visible_to(request.user).contains(
        commitment.pact
    ):
        commitment = None
    context: dict[str, Any] = {
        "action": action,
        "agenda": agenda,
        "commitment": commitment,
        "updates": list(action.updates.all()),
        "origins": origins_of(action, request.user),
        "show_contact_email": request.user.is_authenticated and bool(action.contact_email),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (action.title, None),
        ],
    }
    return render(request, "agendas/action_detail.html", context)


@require_safe
def plan_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """All actions of a plan, page by page: the wijk and wijkagenda pages show the first few."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).for_detail(), pk=pk)
    agenda = plan.wijkagenda
    actions = Action.objects.for_plan(plan).for_list()
    page_obj = Paginator(actions, PLAN_ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "plan": plan,
        "agenda": agenda,
        "page_obj": page_obj,
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (plan.title, None),
        ],
    }
    return render(request, "agendas/plan_actions.html", context)
