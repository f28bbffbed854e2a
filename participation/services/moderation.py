"""Reporting comments and the moderators' acts: hide, restore, dismiss.

Each act is logged (`ModerationLog`) by the model method that performs it; the services add
what touches other objects: closing the other reports on the comment, telling the author,
the moderators and the reporters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify
from areas.models import CORE_ROLES, TeamMembership
from participation.models import Comment, CommentReport, ModerationLog, Proposal
from web import pagecache

if TYPE_CHECKING:
    from collections.abc import Iterable


class AlreadyReported(Exception):
    """The user has reported this comment before: one report per person per comment."""


def moderator_ids(comment: Comment) -> set[int]:
    """Who handles reports on the comment, as `CommentReport.objects.visible_to` decides:
    the core team of the proposal's gebied, and the moderators when they can read the
    proposal (neither a draft nor council-only). Active people only; two queries at most."""
    proposal = comment.proposal
    ids = set(
        TeamMembership.objects.filter(
            gebiedsteam_id=proposal.gebiedsteam_id, role__in=CORE_ROLES, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if Proposal.objects.published().filter(pk=proposal.pk).exists():
        ids |= set(
            User.objects.filter(is_active=True, is_moderator=True).values_list("pk", flat=True)
        )
    return ids


@transaction.atomic
def report_comment(*, comment: Comment, reporter: User, reason: str) -> CommentReport:
    """Report a comment to the moderators; raises AlreadyReported for a second report.

    The unique constraint decides, so two reports sent at once cannot both be stored; the
    savepoint keeps the surrounding transaction usable after the refused insert. Those who
    handle the report are told (at once or in their digest, as each chose), the reporter not.
    """
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError as error:
        raise AlreadyReported from error
    notify(
        recipients=moderator_ids(comment),
        kind=Notification.Kind.COMMENT_REPORTED,
        title=_("A comment on “%(proposal)s” was reported") % {"proposal": comment.proposal.title},
        body=_("Reason given: %(reason)s") % {"reason": reason},
        url=reverse("participation:report-detail", kwargs={"pk": report.pk}),
        exclude=reporter,
        subject=comment.proposal,
    )
    return report


def _tell_reporters(
    reporter_ids: Iterable[int | None], *, comment: Comment, hidden: bool, by: User
) -> None:
    """Tell the reporters that their report was handled, and how, without judging them."""
    proposal = comment.proposal
    if hidden:
        body = _("Thank you for your report. A moderator has looked at the comment and hidden it.")
    else:
        body = _(
            "Thank you for your report. A moderator has looked at the comment and left it in place."
        )
    notify(
        recipients=[pk for pk in reporter_ids if pk is not None],
        kind=Notification.Kind.REPORT_HANDLED,
        title=_("Your report of a comment on “%(proposal)s” has been handled")
        % {"proposal": proposal.title},
        body=body,
        url=proposal.get_absolute_url(),
        exclude=by,
        subject=proposal,
    )


@transaction.atomic
def hide_comment(
    *, comment: Comment, by: User, reason: str, report: CommentReport | None = None
) -> ModerationLog:
    """Hide a comment, close every open report on it as handled, and tell the author why and
    the reporters that it was hidden."""
    log = comment.hide(by=by, reason=reason, report=report)
    open_reports = CommentReport.objects.open().filter(comment=comment)
    reporter_ids = list(open_reports.values_list("reporter_id", flat=True))
    open_reports.update(
        status=CommentReport.Status.HIDDEN,
        handled_by=by,
        handled_at=timezone.now(),
        updated_at=timezone.now(),
    )
    pagecache.bump()  # an update() sends no signal
    if comment.author_id is not None:
        notify(
            recipients=[comment.author_id],
            kind=Notification.Kind.COMMENT_HIDDEN,
            title=_("Your comment on “%(proposal)s” was hidden")
            % {"proposal": comment.proposal.title},
            body=_("A moderator hid your comment. Reason: %(reason)s") % {"reason": reason},
            url=comment.proposal.get_absolute_url(),
            exclude=by,
            subject=comment.proposal,
        )
    _tell_reporters(reporter_ids, comment=comment, hidden=True, by=by)
    return log


@transaction.atomic
def restore_comment(*, comment: Comment, by: User, reason: str = "") -> ModerationLog:
    """Show a hidden comment again."""
    return comment.restore(by=by, reason=reason)


@transaction.atomic
def dismiss_report(*, report: CommentReport, by: User, reason: str = "") -> ModerationLog:
    """Close a report without acting on the comment, and tell the reporter so."""
    log = report.dismiss(by=by, reason=reason)
    _tell_reporters([report.reporter_id], comment=report.comment, hidden=False, by=by)
    return log
