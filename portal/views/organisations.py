"""The page of a partner organisation: its pacts, alliances and the actions it owns."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pacts.models import Pact, PartnerOrganisation


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        PartnerOrganisation.objects.visible_to(request.user), slug=slug
    )
    pacts = (
        Pact.objects.visible_to(request.user)
        .with_organisation(organisation)
        .for_overview()
        .order_by("name", "pk")
    )
    # The actions come through the reverse relation: Action lives in `agendas`, above this app.
    actions = organisation.actions.visible_to(request.user).with_wijkagenda().for_list()
    page_obj = Paginator(actions, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "pacts": list(pacts),
        "alliances": list(organisation.alliances.all()),
        "page_obj": page_obj,
        "can_manage_staff": request.user.has_perm("pacts.manage_organisation_staff", organisation),
        "breadcrumbs": [
            (_("Partner organisations"), reverse("pacts:organisation-list")),
            (organisation.name, None),
        ],
    }
    return render(request, "pacts/organisation_detail.html", context)
