"""Comments, replies and a wijkraad's formal advice on proposals.

Every view loads its proposal (or comment, or advice) through `Proposal.objects.visible_to`
(404 otherwise, so a council-only proposal shows outsiders nothing, not even that it
exists), checks the action with `has_perm` (403 with the reason), validates a form (400
with the errors next to the field) and calls participation.services.comments. A plain POST ends in
a redirect; an htmx POST gets its fragment back.

The thread of a proposal is paged in batches of COMMENTS_PER_PAGE top-level comments, each
with its replies, oldest first. The proposal page renders the first batch itself (so it
works without JavaScript and costs no second request); "Load more" fetches the next batch
as a fragment from the thread URL and puts it in its own place, or without JavaScript opens
the proposal page at that batch (`?pagina=N`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from accounts.http import AuthenticatedHttpRequest
from participation.forms.comments import AdviceForm, CommentEditForm, CommentForm
from participation.models import Advice, Comment, Proposal, TransitionRefused
from participation.services import comments as services
from participation.views.proposal_page import (
    COMMENTS_PER_PAGE,
    PAGE_PARAMETER,
    proposal_context,
    thread_context,
    with_reply_form,
)
from participation.views.reactions import refusal_reason
from web.editing import EditPage, edit_response
from web.http import HtmxHttpRequest, posted, render_page_or_fragment

if TYPE_CHECKING:
    from accounts.models import User

DETAIL_TEMPLATE = "participation/proposal_detail.html"
EDIT_TEMPLATE = "participation/comment_edit.html"
ADVICE_TEMPLATE = "participation/advice_form.html"
REFUSED_TEMPLATE = "participation/comment_refused.html"
# A bigint primary key has at most 19 digits.
MAX_PK_DIGITS = 19


def _refused(
    request: HtmxHttpRequest, message: str, *, status: int = HTTPStatus.FORBIDDEN
) -> HttpResponse:
    """The reason an action is refused, as a page or (htmx) as a message fragment."""
    return render_page_or_fragment(
        request, REFUSED_TEMPLATE, "message", {"message": message}, status
    )


def _comment_refusal(user: User, proposal: Proposal) -> str:
    """Why this user may not comment on this (visible) proposal."""
    return refusal_reason(user, proposal)


def _proposal_for(request: HttpRequest, slug: str) -> Proposal:
    return get_object_or_404(Proposal.objects.visible_to(request.user).for_cards(), slug=slug)


def _comment_for(request: HttpRequest, pk: int) -> Comment:
    """A comment on a proposal the user can see, with what the rules and pages read."""
    visible = Proposal.objects.visible_to(request.user)
    return get_object_or_404(
        Comment.objects.on_proposals(visible).select_related("proposal", "author"), pk=pk
    )


def _position_url(comment: Comment) -> str:
    """The proposal page at the batch that holds the comment's thread."""
    top = comment.parent or comment
    earlier = (
        Comment.objects.for_proposal(comment.proposal)
        .top_level()
        .posted_before(top.created_at)
        .count()
    )
    page = earlier // COMMENTS_PER_PAGE + 1
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{comment.proposal.get_absolute_url()}{query}#comment-{comment.pk}"


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def comment_thread(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """GET: a batch of the thread (htmx), POST: a new comment or reply."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = _proposal_for(request, slug)
    if request.method == "POST":
        # Signed in, as checked above.
        return _post_comment(cast(AuthenticatedHttpRequest, request), proposal)
    if not request.htmx:
        number = request.GET.get(PAGE_PARAMETER, "")
        query = f"?{PAGE_PARAMETER}={number}" if _is_pk(number) else ""
        return redirect(f"{proposal.get_absolute_url()}{query}#reacties")
    return render(request, f"{DETAIL_TEMPLATE}#thread", thread_context(request, proposal))


def _is_pk(text: str) -> bool:
    """Whether a posted `parent` (or a page number) is a number the database takes: ASCII
    digits only, and not too many. str.isdigit() alone also takes "²", which the query then
    refuses with a ValueError (a 500)."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_PK_DIGITS


def _post_comment(request: AuthenticatedHttpRequest, proposal: Proposal) -> HttpResponse:
    user = request.user
    if not user.has_perm("participation.add_comment", proposal):
        return _refused(request, _comment_refusal(user, proposal))
    parent_pk = request.POST.get("parent", "")
    auto_id = f"reply-{parent_pk}-%s" if _is_pk(parent_pk) else "id_%s"
    form = CommentForm(request.POST, proposal=proposal, auto_id=auto_id)
    if not form.is_valid():
        return _invalid_comment(request, proposal, form, parent_pk)
    try:
        comment, created = services.post_comment(
            proposal=proposal,
            author=user,
            body=form.cleaned_data["body"],
            parent=form.cleaned_data["parent"],
            submit_token=form.cleaned_data["submit_token"],
        )
    except services.CommentThrottled:
        return _refused(
            request,
            _(
                "You have posted %(count)d comments in the last minute. "
                "Wait a minute before you post the next one."
            )
            % {"count": services.MAX_COMMENTS_PER_WINDOW},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    # The same form sent again gets the same answer, with the comment it stored first.
    if not request.htmx:
        messages.success(request, _("Your comment has been posted."))
        return redirect(_position_url(comment))
    context = {
        "proposal": proposal,
        "thread_url": reverse("participation:comment-thread", kwargs={"slug": proposal.slug}),
        "comment_form": CommentForm(proposal=proposal),
    }
    # A reply: the whole thread of its top-level comment, the new reply in its place. A new
    # comment: its thread, added below the others, and an empty form (out of band).
    top = Comment.objects.threads().get(pk=comment.parent_id or comment.pk)
    context["comment"] = with_reply_form(top, proposal)
    partial = "thread-item" if comment.parent_id else "new-thread"
    response = render(request, f"{DETAIL_TEMPLATE}#{partial}", context)
    if not created and not comment.parent_id:
        # Sent again: the thread is on the page already; it is replaced, not added twice.
        response = reswap(retarget(response, f"#thread-{comment.pk}"), "outerHTML")
    return response


def _invalid_comment(
    request: HtmxHttpRequest, proposal: Proposal, form: CommentForm, parent_pk: str
) -> HttpResponse:
    """The form again, with its errors next to the field (400)."""
    thread_url = reverse("participation:comment-thread", kwargs={"slug": proposal.slug})
    parent = (
        Comment.objects.for_proposal(proposal).filter(pk=parent_pk).first()
        if _is_pk(parent_pk) and request.htmx
        else None
    )
    if parent is not None:
        context = {"comment": with_reply_form(parent, proposal, form), "thread_url": thread_url}
        response = render(
            request, f"{DETAIL_TEMPLATE}#reply-form", context, status=HTTPStatus.BAD_REQUEST
        )
        return reswap(retarget(response, f"#reply-form-{parent.pk}"), "outerHTML")
    if request.htmx:
        context = {"proposal": proposal, "comment_form": form, "thread_url": thread_url}
        response = render(
            request, f"{DETAIL_TEMPLATE}#comment-form", context, status=HTTPStatus.BAD_REQUEST
        )
        return reswap(retarget(response, "#comment-form"), "outerHTML")
    # Without JavaScript: the proposal page with the form and its errors (a reply's too,
    # its hidden parent kept).
    context = proposal_context(request, proposal, comment_form=form)
    return render(request, DETAIL_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def comment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    if not request.user.has_perm("participation.change_comment", comment):
        return _refused(request, _edit_refusal(request.user, comment))
    form = CommentEditForm(
        posted(request), initial={"body": comment.body, "revision": comment.revision}
    )
    proposal = comment.proposal

    def context(shown: Comment, form: CommentEditForm, **extra: Any) -> dict[str, Any]:
        return {
            "comment": shown,
            "form": form,
            "proposal": proposal,
            "breadcrumbs": [
                (_("Proposals"), reverse("participation:proposal-list")),
                (proposal.title, proposal.get_absolute_url()),
                (_("Edit comment"), None),
            ],
            **extra,
        }

    def save() -> Comment:
        return services.edit_comment(
            comment=comment,
            body=form.cleaned_data["body"],
            expected_revision=form.cleaned_data["revision"],
        )

    def saved(comment: Comment) -> HttpResponse:
        if request.htmx:
            return render(request, "participation/_comment.html", {"comment": comment})
        messages.success(request, _("Your comment has been changed."))
        return redirect(_position_url(comment))

    # A second tab's save after the first one's is refused (409), the text saved shown.
    return edit_response(
        request,
        page=EditPage(EDIT_TEMPLATE, "form"),
        obj=comment,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=["body", "edited_at"],
        current=lambda error: _comment_for(request, pk),
        rebind=lambda current, data: CommentEditForm(data),
    )


def _edit_refusal(user: User, comment: Comment) -> str:
    if comment.author_id != user.pk:
        return _("Only the author of a comment can change it.")
    if comment.moderation != Comment.Moderation.VISIBLE:
        return _("This comment was removed or hidden and cannot be changed.")
    return _(
        "You can change a comment for 15 minutes after posting it. That time has passed; "
        "you can still remove the comment, or post a new one."
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def comment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    if not request.user.has_perm("participation.delete_comment", comment):
        if comment.author_id != request.user.pk:
            message = _("Only the author of a comment can remove it.")
        else:
            message = _("This comment was already removed or hidden.")
        return _refused(request, message)
    services.remove_comment(comment=comment)
    if request.htmx:
        return render(request, "participation/_comment.html", {"comment": comment})
    messages.success(request, _("Your comment has been removed."))
    return redirect(_position_url(comment))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def advice_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visible = Proposal.objects.visible_to(request.user)
    advice = get_object_or_404(
        Advice.objects.on_proposals(visible).select_related("proposal", "wijkraad"),
        pk=pk,
    )
    proposal = advice.proposal
    if not request.user.has_perm("participation.submit_advice", advice):
        return _refused(
            request,
            _("Only the chair or the secretary of %(wijkraad)s can submit its advice.")
            % {"wijkraad": advice.wijkraad.name},
        )
    refusal = _advice_refusal(advice)
    if refusal:
        return _refused(request, refusal)
    form = AdviceForm(posted(request))
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_advice(
                    advice=advice,
                    by=request.user,
                    verdict=form.cleaned_data["verdict"],
                    text=form.cleaned_data["text"],
                )
            except TransitionRefused as refused:
                return _refused(request, refused.message)
            messages.success(request, _("The advice of the wijkraad has been submitted."))
            url = f"{proposal.get_absolute_url()}#advice-heading"
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
        status = HTTPStatus.BAD_REQUEST
    context = {
        "advice": advice,
        "proposal": proposal,
        "form": form,
        "breadcrumbs": [
            (_("Proposals"), reverse("participation:proposal-list")),
            (proposal.title, proposal.get_absolute_url()),
            (_("Submit advice"), None),
        ],
    }
    return render_page_or_fragment(request, ADVICE_TEMPLATE, "form", context, status)


def _advice_refusal(advice: Advice) -> str | None:
    """Why the advice cannot be submitted now, or None."""
    if advice.submitted_at is not None:
        return _("The advice of %(wijkraad)s has already been submitted.") % {
            "wijkraad": advice.wijkraad.name
        }
    if advice.deadline_has_passed:
        return _("The deadline for this advice passed on %(deadline)s.") % {
            "deadline": formats.date_format(timezone.localtime(advice.deadline), "j F Y H:i")
        }
    if advice.proposal.status not in (Proposal.Status.OPEN, Proposal.Status.CONSIDERATION):
        return _("This proposal no longer takes advice.")
    return None
