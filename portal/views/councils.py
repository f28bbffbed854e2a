"""The public pages of the wijkraden and dorpsraden: the list, and each council with its
wijken, the members who agreed to be named, the advice it gave and the meetings of its wijken.

A council's page gathers from `participation` (advice) and `meetings`, so it lives here, like
the wijk page; the council itself and its members are `areas`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from areas.models import CouncilMembership, Wijk, Wijkraad
from meetings.models import Meeting
from participation.models import Advice

# The meetings a council page shows: those to come and the most recent that have ended; the
# rest are on the pages of its wijken.
PAGE_UPCOMING_MEETINGS = 5
PAGE_ENDED_MEETINGS = 5


@require_safe
def wijkraad_list(request: HttpRequest) -> HttpResponse:
    wijkraden = Wijkraad.objects.visible_to(request.user).with_wijken().order_by("name", "pk")
    return render(
        request,
        "portal/wijkraad_list.html",
        {"wijkraden": list(wijkraden), "breadcrumbs": [(_("Wijkraden and dorpsraden"), None)]},
    )


@require_safe
def wijkraad_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    wijkraad = get_object_or_404(Wijkraad.objects.visible_to(user), slug=slug)
    wijken = list(
        Wijk.objects.visible_to(user).filter(wijkraden=wijkraad).only("pk", "name", "slug")
    )
    members = CouncilMembership.objects.for_wijkraad(wijkraad).shown_publicly().for_list()
    advices = Advice.objects.visible_to(user).given_by(wijkraad)
    page_obj = Paginator(advices, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get("page"))
    meetings = Meeting.objects.visible_to(user).for_any_wijk(wijken).for_list()
    return render(
        request,
        "portal/wijkraad_detail.html",
        {
            "wijkraad": wijkraad,
            "wijken": wijken,
            "members": list(members),
            "page_obj": page_obj,
            "upcoming_meetings": list(meetings.upcoming()[:PAGE_UPCOMING_MEETINGS]),
            "ended_meetings": list(meetings.ended()[:PAGE_ENDED_MEETINGS]),
            "breadcrumbs": [
                (_("Wijkraden and dorpsraden"), reverse("portal:wijkraad-list")),
                (wijkraad.name, None),
            ],
        },
    )
