"""What the proposal page shows: the proposal, its thread of comments, its advice and the
decision, and for the team the controls of its status.

The page is rendered whole by `proposals.proposal_detail`, in parts (a batch of the thread,
a reply form, the status panel) by `comments` and `edit_proposals`, and again whole when a
comment posted without JavaScript is refused. The context is assembled here, so that those
view modules import this one and never each other.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.follows import follow_button
from agendas.models import Action
from areas.models import CouncilMembership
from participation.forms.comments import CommentForm
from participation.forms.proposals import StartConsiderationForm
from participation.models import Comment, InputOutcome, Proposal
from participation.views.reactions import reaction_for

COMMENTS_PER_PAGE = 20
PAGE_PARAMETER = "pagina"


def proposal_breadcrumbs(proposal: Proposal | None, label: str) -> list[tuple[str, str | None]]:
    """Proposals › the proposal › `label`, for the pages about one proposal."""
    crumbs: list[tuple[str, str | None]] = [
        (_("Proposals"), reverse("participation:proposal-list"))
    ]
    if proposal is not None:
        crumbs.append((proposal.title, proposal.get_absolute_url()))
    crumbs.append((label, None))
    return crumbs


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
        **thread_context(request, proposal, form=extra.pop("comment_form", None)),
        **extra,
    }


# ---- The thread ---------------------------------------------------------------------------


def thread_page(proposal: Proposal, number: Any) -> Page:
    """One batch of top-level comments with their latest replies and authors: three
    queries (count, batch, replies) whatever the size of the thread, two more for what was
    done with each comment once the proposal is decided. A bad number gives the first
    batch, a number past the end the last."""
    threads = Comment.objects.for_proposal(proposal).threads()
    if proposal.status == Proposal.Status.DECIDED:
        # shown_outcomes is declared on the model, for the template that reads it.
        threads = threads.prefetch_related(  # type: ignore[no-redef]
            Prefetch("outcomes", to_attr="shown_outcomes"),
            Prefetch("latest_replies__outcomes", to_attr="shown_outcomes"),
        )
    return Paginator(threads, COMMENTS_PER_PAGE).get_page(number)


def thread_context(
    request: HttpRequest, proposal: Proposal, *, form: CommentForm | None = None
) -> dict[str, Any]:
    """What the comments section of the proposal page and the thread fragment show."""
    can_comment = request.user.has_perm("participation.add_comment", proposal)
    page_obj = thread_page(proposal, request.GET.get(PAGE_PARAMETER))
    if can_comment:
        for comment in page_obj:
            with_reply_form(comment, proposal)
    return {
        "proposal": proposal,
        "page_obj": page_obj,
        "can_comment": can_comment,
        # Who can react, and what this reader can do about it (sign in, say where they live).
        "reaction": reaction_for(request.user, proposal, can_comment=can_comment),
        "council_authors": council_author_ids(proposal),
        "comment_form": form or (CommentForm(proposal=proposal) if can_comment else None),
        "thread_url": reverse("participation:comment-thread", kwargs={"slug": proposal.slug}),
    }


def council_author_ids(proposal: Proposal) -> frozenset[int]:
    """The users on a wijkraad of the proposal's wijken, so that their comments are marked as
    the wijkraad's: one query, however long the thread (a council has tens of members)."""
    return frozenset(
        CouncilMembership.objects.filter(wijkraad__wijken__in=proposal.wijken.all())
        .values_list("user_id", flat=True)
        .distinct()
    )


def with_reply_form(
    comment: Comment, proposal: Proposal, form: CommentForm | None = None
) -> Comment:
    """The comment with the form to answer it as `reply_form` (none under a hidden or
    removed comment), its ids unique on the page."""
    if comment.moderation == Comment.Moderation.VISIBLE:
        comment.reply_form = form or CommentForm(  # type: ignore[attr-defined]
            proposal=proposal, initial={"parent": comment.pk}, auto_id=f"reply-{comment.pk}-%s"
        )
    return comment


# ---- Status and decision ------------------------------------------------------------------


def status_context(
    request: HttpRequest, proposal: Proposal, *, error: str = "", done: str = ""
) -> dict[str, Any]:
    """The team's panel to open, consider, decide or withdraw the proposal."""
    return {
        "proposal": proposal,
        "can_change": request.user.has_perm("participation.change_proposal", proposal),
        "can_open": request.user.has_perm("participation.open_proposal", proposal),
        "can_decide": request.user.has_perm("participation.decide_proposal", proposal),
        "consider_form": StartConsiderationForm(),
        "error": error,
        "done": done,
        "breadcrumbs": proposal_breadcrumbs(proposal, _("Status")),
    }


def decision_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """For the public proposal page: the team's status controls (team only), and once
    decided what was done with each visible comment and the actions carrying it out."""
    context: dict[str, Any] = {
        "status_panel": None,
        "can_respond": request.user.has_perm("participation.respond_to_advice", proposal),
        "outcome_counts": [],
        "decision_actions": [],
        "has_advice_outcomes": False,
    }
    if request.user.has_perm("participation.change_proposal", proposal):
        context["status_panel"] = status_context(request, proposal)
    if proposal.status == Proposal.Status.DECIDED:
        outcomes = InputOutcome.objects.for_proposal(proposal)
        # How many comments got each outcome; each outcome itself is shown with its
        # comment in the thread, so that the page stays the same size for any number.
        counts = dict(
            outcomes.on_visible_comments()
            .order_by()
            .values("outcome")
            .annotate(count=Count("pk"))
            .values_list("outcome", "count")
        )
        context["outcome_counts"] = [
            (outcome, label, counts[outcome])
            for outcome, label in InputOutcome.Outcome.choices
            if counts.get(outcome)
        ]
        context["has_advice_outcomes"] = outcomes.on_advice().exists()
        # Only the actions the viewer may see (an agenda may have gone back to draft).
        context["decision_actions"] = list(
            proposal.actions.filter(pk__in=Action.objects.visible_to(request.user).values("pk"))
            .select_related("plan")
            .order_by("title", "pk")
        )
    return context
