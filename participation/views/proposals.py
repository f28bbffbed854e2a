"""The public proposal pages: the list, a proposal with its thread, advice and decision, and
a comment with all its replies."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from participation.models import Comment, Proposal
from participation.views.proposal_page import proposal_breadcrumbs, proposal_context
from web.http import query_text

REPLIES_PER_PAGE = 50


@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    visible = Proposal.objects.visible_to(request.user)
    proposals = visible
    # An unknown wijk is not an error: it matches no proposal, and the page says so. A value
    # with a NUL is ignored, as if not given (query_text): the page shows unfiltered.
    selected_wijk = query_text(request, "wijk")
    if selected_wijk:
        proposals = proposals.for_wijk_slug(selected_wijk)
    proposals = proposals.for_cards().in_phase_order()
    page_obj = Paginator(proposals, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        # Only wijken with a proposal the user may see: the filter shows no empty choices.
        "wijken": visible.covered_wijken().only("name", "slug").order_by("name"),
        "selected_wijk": selected_wijk,
        "breadcrumbs": [(_("Proposals"), None)],
    }
    return render(request, "participation/proposal_list.html", context)


@require_safe
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).for_cards(), slug=slug)
    context = proposal_context(request, proposal)
    return render(request, "participation/proposal_detail.html", context)


@require_safe
def comment_replies(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment with all its replies, oldest first, a page at a time: the proposal page
    shows only the latest replies under each comment."""
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).top_level().select_related("author", "proposal"),
        pk=pk,
    )
    proposal = comment.proposal
    replies = comment.replies.select_related("author").order_by("created_at", "pk")
    # Once decided, what was done with each comment is shown with it, as in the thread.
    comment.shown_outcomes = []
    if proposal.status == Proposal.Status.DECIDED:
        comment.shown_outcomes = list(comment.outcomes.all())
        replies = replies.prefetch_related(Prefetch("outcomes", to_attr="shown_outcomes"))  # type: ignore[no-redef]
    page_obj = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "proposal": proposal,
        "comment": comment,
        "page_obj": page_obj,
        "breadcrumbs": proposal_breadcrumbs(proposal, _("Replies")),
    }
    return render(request, "participation/comment_replies.html", context)
