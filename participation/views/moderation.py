"""Reporting comments, and the moderation queue, acts and log.

Anyone signed in reports a comment they can read; moderators, admins and the team of the
proposal's gebied handle the reports in a queue: hide the comment with a reason (its author
is told), or dismiss the report. A hidden comment can be shown again. Each report in the
queue is the fragment `participation/moderation/_report.html`, which an htmx act swaps in place.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from participation.forms.moderation import HideCommentForm, ModerationForm, ReportCommentForm
from participation.models import Comment, CommentReport
from participation.services import moderation as services
from web.http import HtmxHttpRequest, posted, render_page_or_fragment, safe_next

REPORTS_PER_PAGE = 20

REPORT_TEMPLATE = "participation/moderation/report_form.html"
REPORT_FRAGMENT = "participation/moderation/_report.html"
REPORT_DETAIL_TEMPLATE = "participation/moderation/report_detail.html"
LOG_TEMPLATE = "participation/moderation/comment_log.html"


# ---- Reporting --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def comment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related("proposal", "author"), pk=pk
    )
    if not request.user.has_perm("participation.report_comment", comment):
        raise PermissionDenied
    proposal_url = comment.proposal.get_absolute_url()
    context: dict[str, Any] = {
        "comment": comment,
        "breadcrumbs": [
            (_("Proposals"), reverse("participation:proposal-list")),
            (comment.proposal.title, proposal_url),
            (_("Report a comment"), None),
        ],
    }
    already = CommentReport.objects.for_comment(comment).reported_by(request.user).exists()
    form = ReportCommentForm(posted(request))
    status = HTTPStatus.OK
    if not already and request.method == "POST":
        if form.is_valid():
            try:
                services.report_comment(
                    comment=comment, reporter=request.user, reason=form.cleaned_data["reason"]
                )
            except services.AlreadyReported:
                already = True
            else:
                if not request.htmx:
                    messages.success(
                        request, _("Thank you. A moderator will look at this comment.")
                    )
                    return redirect(proposal_url)
                return render_page_or_fragment(
                    request, REPORT_TEMPLATE, "form", {**context, "reported": True}
                )
        else:
            status = HTTPStatus.BAD_REQUEST
    if already:
        if not request.htmx:
            messages.info(request, _("You have already reported this comment."))
            return redirect(proposal_url)
        return render_page_or_fragment(
            request, REPORT_TEMPLATE, "form", {**context, "already_reported": True}
        )
    return render_page_or_fragment(
        request, REPORT_TEMPLATE, "form", {**context, "form": form}, status
    )


# ---- The queue --------------------------------------------------------------------------


def _report_item(
    report: CommentReport,
    *,
    hide_form: HideCommentForm | None = None,
    dismiss_form: ModerationForm | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """What `_report.html` shows of one report: the report and the forms to handle it."""
    return {
        "report": report,
        "hide_form": hide_form or HideCommentForm(prefix="hide", pk=report.pk),
        "dismiss_form": dismiss_form or ModerationForm(prefix="dismiss", pk=report.pk),
        "notice": notice,
    }


@require_safe
@login_required
def moderation_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("participation.view_moderation_queue"):
        raise PermissionDenied
    reports = CommentReport.objects.visible_to(request.user).open().for_queue()
    page_obj = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "items": [_report_item(report) for report in page_obj],
        "breadcrumbs": [(_("Moderation"), None)],
    }
    return render(request, "participation/moderation/queue.html", context)


def _moderated_report(request: HttpRequest, pk: int) -> CommentReport:
    """The report on a comment the user can see (404), if they may moderate it (403)."""
    report = get_object_or_404(
        CommentReport.objects.on_comments(Comment.objects.visible_to(request.user)).for_queue(),
        pk=pk,
    )
    if not request.user.has_perm("participation.moderate_comment", report.comment):
        raise PermissionDenied
    return report


def _report_response(
    request: HtmxHttpRequest, item: dict[str, Any], *, status: int = HTTPStatus.OK
) -> HttpResponse:
    """The report's fragment for htmx, else its page (for a refused plain submit)."""
    if request.htmx:
        return render(request, REPORT_FRAGMENT, {"item": item}, status=status)
    report = item["report"]
    context = {
        "item": item,
        "breadcrumbs": [
            (_("Moderation"), reverse("participation:moderation-queue")),
            (_("Report %(number)s") % {"number": report.pk}, None),
        ],
    }
    return render(request, REPORT_DETAIL_TEMPLATE, context, status=status)


def _already_handled(request: HtmxHttpRequest, report: CommentReport, notice: str) -> HttpResponse:
    if not request.htmx:
        messages.info(request, notice)
        return redirect(safe_next(request, reverse("participation:moderation-queue")))
    return _report_response(
        request, _report_item(report, notice=notice), status=HTTPStatus.CONFLICT
    )


@require_safe
@login_required
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _report_response(request, _report_item(_moderated_report(request, pk)))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def report_hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _moderated_report(request, pk)
    if not report.is_open:
        return _already_handled(request, report, _("This report has already been handled."))
    if report.comment.moderation == Comment.Moderation.REMOVED:
        return _already_handled(
            request, report, _("The author has removed this comment. Dismiss the report.")
        )
    form = HideCommentForm(request.POST, prefix="hide", pk=report.pk)
    if not form.is_valid():
        return _report_response(
            request, _report_item(report, hide_form=form), status=HTTPStatus.BAD_REQUEST
        )
    services.hide_comment(
        comment=report.comment, by=request.user, reason=form.cleaned_data["reason"], report=report
    )
    report.refresh_from_db(fields=["status", "handled_by", "handled_at"])
    notice = _("The comment has been hidden and its author told why.")
    if not request.htmx:
        messages.success(request, notice)
        return redirect(safe_next(request, reverse("participation:moderation-queue")))
    return _report_response(request, _report_item(report, notice=notice))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def report_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _moderated_report(request, pk)
    if not report.is_open:
        return _already_handled(request, report, _("This report has already been handled."))
    form = ModerationForm(request.POST, prefix="dismiss", pk=report.pk)
    if not form.is_valid():
        return _report_response(
            request, _report_item(report, dismiss_form=form), status=HTTPStatus.BAD_REQUEST
        )
    services.dismiss_report(report=report, by=request.user, reason=form.cleaned_data["reason"])
    notice = _("The report has been dismissed.")
    if not request.htmx:
        messages.success(request, notice)
        return redirect(safe_next(request, reverse("participation:moderation-queue")))
    return _report_response(request, _report_item(report, notice=notice))


# ---- One comment's moderation -----------------------------------------------------------


def _moderated_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related("proposal", "author"), pk=pk
    )
    if not request.user.has_perm("participation.moderate_comment", comment):
        raise PermissionDenied
    return comment


def _log_response(
    request: HtmxHttpRequest,
    comment: Comment,
    *,
    form: ModerationForm | None = None,
    notice: str = "",
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    context = {
        "comment": comment,
        "log": comment.moderation_log.select_related("moderator", "report"),
        "restore_form": form or ModerationForm(prefix="restore"),
        "notice": notice,
        "breadcrumbs": [
            (_("Moderation"), reverse("participation:moderation-queue")),
            (comment.proposal.title, comment.proposal.get_absolute_url()),
            (_("Moderation of a comment"), None),
        ],
    }
    return render_page_or_fragment(request, LOG_TEMPLATE, "moderation", context, status)


@require_safe
@login_required
def comment_moderation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _log_response(request, _moderated_comment(request, pk))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def comment_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    log_url = reverse("participation:comment-moderation", kwargs={"pk": comment.pk})
    if comment.moderation != Comment.Moderation.HIDDEN:
        notice = _("This comment is not hidden.")
        if not request.htmx:
            messages.info(request, notice)
            return redirect(log_url)
        return _log_response(request, comment, notice=notice, status=HTTPStatus.CONFLICT)
    form = ModerationForm(request.POST, prefix="restore")
    if not form.is_valid():
        return _log_response(request, comment, form=form, status=HTTPStatus.BAD_REQUEST)
    services.restore_comment(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
    notice = _("The comment is shown again.")
    if not request.htmx:
        messages.success(request, notice)
        return redirect(log_url)
    return _log_response(request, comment, notice=notice)
