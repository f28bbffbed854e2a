"""Pacts, alliances and partner organisations."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pacts.models import Alliance, Pact, PartnerOrganisation


@require_safe
def pact_list(request: HttpRequest) -> HttpResponse:
    pacts = (
        Pact.objects.visible_to(request.user)
        .for_overview()
        .annotate_commitment_count()
        .order_by("name", "pk")
    )
    page_obj = Paginator(pacts, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "alliances": list(Alliance.objects.roots().for_overview()),
        "breadcrumbs": [(_("Pacts and alliances"), None)],
    }
    return render(request, "pacts/pact_list.html", context)


@require_safe
def pact_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pact = get_object_or_404(
        Pact.objects.visible_to(request.user).for_overview().with_commitments(request.user),
        slug=slug,
    )
    context = {
        "pact": pact,
        "wijken": list(pact.wijken.all()),
        "commitments": list(pact.commitments.all()),
        "breadcrumbs": [
            (_("Pacts and alliances"), reverse("pacts:pact-list")),
            (pact.name, None),
        ],
    }
    return render(request, "pacts/pact_detail.html", context)


@require_safe
def alliance_detail(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = get_object_or_404(Alliance.objects.for_detail(), slug=slug)
    context = {
        "alliance": alliance,
        "members": list(alliance.members.all()),
        "focus_gebiedsteams": list(alliance.focus_gebiedsteams.all()),
        "focus_wijken": list(alliance.focus_wijken.all()),
        "children": list(alliance.children.all()),
        "breadcrumbs": [
            (_("Pacts and alliances"), reverse("pacts:pact-list")),
            (alliance.name, None),
        ],
    }
    return render(request, "pacts/alliance_detail.html", context)


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    # Ordered by kind so that the page can show them grouped by kind.
    organisations = PartnerOrganisation.objects.order_by("kind", "name", "pk")
    page_obj = Paginator(organisations, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        "breadcrumbs": [(_("Partner organisations"), None)],
    }
    return render(request, "pacts/organisation_list.html", context)
