"""Reporting comments and the moderators' acts: hide, restore, dismiss.

Each act is logged (`ModerationLog`) by the model method that performs it; the services add
what touches other objects: closing the other reports on the comment, telling the author.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from participation.models import Comment, CommentReport, ModerationLog

if TYPE_CHECKING:
    from accounts.models import User


class AlreadyReported(Exception):
    """The user has reported this comment before: one report per person per comment."""


@transaction.atomic
def report_comment(*, comment: Comment, reporter: User, reason: str) -> CommentReport:
    """Report a comment to the moderators; raises AlreadyReported for a second report.

    The unique constraint decides, so two reports sent at once cannot both be stored; the
    savepoint keeps the surrounding transaction usable after the refused insert.
    """
    try:
        with transaction.atomic():
            return CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError as error:
        raise AlreadyReported from error


@transaction.atomic
def hide_comment(
    *, comment: Comment, by: User, reason: str, report: CommentReport | None = None
) -> ModerationLog:
    """Hide a comment, close every open report on it as handled, and tell the author why."""
    log = comment.hide(by=by, reason=reason, report=report)
    CommentReport.objects.open().filter(comment=comment).update(
        status=CommentReport.Status.HIDDEN,
        handled_by=by,
        handled_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if comment.author_id is not None:
        notify(
            recipients=[comment.author_id],
            kind=Notification.Kind.COMMENT_HIDDEN,
            title=_("Your comment on “%(proposal)s” was hidden")
            % {"proposal": comment.proposal.title},
            body=_("A moderator hid your comment. Reason: %(reason)s") % {"reason": reason},
            url=comment.proposal.get_absolute_url(),
            exclude=by,
        )
    return log


@transaction.atomic
def restore_comment(*, comment: Comment, by: User, reason: str = "") -> ModerationLog:
    """Show a hidden comment again."""
    return comment.restore(by=by, reason=reason)


@transaction.atomic
def dismiss_report(*, report: CommentReport, by: User, reason: str = "") -> ModerationLog:
    """Close a report without acting on the comment."""
    return report.dismiss(by=by, reason=reason)
