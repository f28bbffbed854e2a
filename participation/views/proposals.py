"""The public proposal pages: the list, and a proposal with its thread, advice and decision."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.follows import follow_button
from areas.models import Wijk
from participation.models import Proposal
from participation.views import comments
from participation.views.edit_proposals import decision_context


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    visible = Proposal.objects.visible_to(request.user)
    proposals = visible
    # An unknown wijk is not an error: it matches no proposal, and the page says so.
    selected_wijk = request.GET.get("wijk", "")
    if selected_wijk:
        proposals = proposals.for_wijken(Wijk.objects.filter(slug=selected_wijk))
    proposals = proposals.for_cards().in_phase_order()
    page_obj = Paginator(proposals, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        # Only wijken with a proposal the user may see: the filter shows no empty choices.
        "wijken": Wijk.objects.filter(pk__in=visible.values("wijken"))
        .only("name", "slug")
        .order_by("name"),
        "selected_wijk": selected_wijk,
        "breadcrumbs": [(_("Proposals"), None)],
    }
    return render(request, "participation/proposal_list.html", context)


def proposal_context(request: HttpRequest, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    """What the proposal page shows; `extra` (e.g. a refused comment form) goes to the
    comments section."""
    return {
        "wijken": list(proposal.wijken.all()),
        "follow": follow_button(request, proposal),
        "advices": list(proposal.advices.select_related("wijkraad").prefetch_related("outcomes")),
        # The team's controls, the outcome of each comment and the linked actions.
        **decision_context(request, proposal),
        "now": timezone.now(),
        "breadcrumbs": [
            (_("Proposals"), reverse("participation:proposal-list")),
            (proposal.title, None),
        ],
        # The first batch of comments (or the one asked for with ?pagina=N), so that the
        # page works without JavaScript; "Load more" fetches the next batch.
        **comments.thread_context(request, proposal, form=extra.pop("comment_form", None)),
        **extra,
    }


@require_GET
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).for_cards(), slug=slug)
    context = proposal_context(request, proposal)
    return render(request, "participation/proposal_detail.html", context)
