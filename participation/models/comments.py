"""Comments on proposals, and their moderation: reports by readers and the moderators' log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Revisioned, TimeStampedModel
from areas.models import (
    CORE_ROLES,
    is_admin,
    team_ids_of,
)
from participation.models.proposals import Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from participation.models.outcomes import InputOutcome

    AnyUser = User | AnonymousUser


COMMENT_EDIT_WINDOW = dt.timedelta(minutes=15)
# The replies shown under a comment in the thread: the latest ones. A longer conversation
# is on the comment's own page, so that a batch of the thread stays the same size.
REPLIES_SHOWN = 10


class CommentQuerySet(models.QuerySet["Comment"]):
    def for_proposal(self, proposal: Proposal) -> CommentQuerySet:
        return self.filter(proposal=proposal)

    def on_proposals(self, proposals: models.QuerySet[Proposal]) -> CommentQuerySet:
        return self.filter(proposal__in=proposals)

    def top_level(self) -> CommentQuerySet:
        """Comments that start a thread, not replies."""
        return self.filter(parent=None)

    def posted_before(self, moment: dt.datetime) -> CommentQuerySet:
        return self.filter(created_at__lt=moment)

    def written_by(self, user: User) -> CommentQuerySet:
        """The user's comments, in any state: among them a submit token is unique."""
        return self.filter(author_id=user.pk)

    def posted_by_since(self, user: User, since: dt.datetime) -> CommentQuerySet:
        """The user's comments (in any state) posted at or after `since`: for throttling."""
        return self.filter(author_id=user.pk, created_at__gte=since)

    def visible_to(self, user: AnyUser) -> CommentQuerySet:
        """Comments on the proposals the user can see (moderators too: the comments on a
        council-only proposal are moderated by its gebied's core team)."""
        return self.filter(proposal__in=Proposal.objects.visible_to(user))

    def threads(self, *, replies: int = REPLIES_SHOWN) -> CommentQuerySet:
        """Top-level comments, oldest first, with their authors, their number of replies
        (`reply_count`) and the latest `replies` of those (`latest_replies`, newest first;
        `Comment.shown_replies` turns them around). Two queries for a batch, however long
        its threads: the rest of a long thread is on its own page."""
        latest = Comment.objects.select_related("author").order_by("-created_at", "-pk")
        # reply_count and latest_replies are declared on the model, for the pages that read them.
        return (
            self.filter(parent=None)  # type: ignore[no-redef]
            .select_related("author")
            .annotate(reply_count=Count("replies"))
            .prefetch_related(
                models.Prefetch("replies", queryset=latest[:replies], to_attr="latest_replies")
            )
            .order_by("created_at", "pk")
        )


class Comment(Revisioned):
    """A comment on a proposal by a council or team member, or by a resident where the
    proposal's audience lets them (`Proposal.audience`); one level of replies."""

    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("hidden by a moderator")
        REMOVED = "removed", _("removed by its author")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("text"), max_length=5000)
    is_team_response = models.BooleanField(_("team response"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation, default=Moderation.VISIBLE
    )
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    submit_token = models.UUIDField(
        _("submit token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The one-time token of the form it was sent with: sent twice, stored once."),
    )

    objects = CommentQuerySet.as_manager()
    # Set by CommentQuerySet.threads(), and on a decided proposal's page by the view.
    reply_count: int
    latest_replies: list[Comment]
    shown_outcomes: list[InputOutcome]

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moderation__in=["visible", "hidden", "removed"]),
                name="agendas_comment_moderation_known",
                violation_error_message=_("Unknown moderation state."),
            ),
            models.CheckConstraint(
                condition=~Q(moderation="hidden") | ~Q(moderation_reason=""),
                name="agendas_comment_hidden_has_reason",
                violation_error_message=_("Hiding a comment needs a reason."),
            ),
            # A form sent twice stores one comment (web.submits.create_once); the index
            # also finds the comment stored first.
            models.UniqueConstraint(
                fields=["author", "submit_token"], name="participation_comment_submitted_once"
            ),
        ]
        indexes = [
            # Used by the paginated thread of a proposal.
            models.Index(
                fields=["proposal", "parent", "created_at"], name="agendas_comment_thread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}#{self.pk}"

    @property
    def is_visible(self) -> bool:
        """Neither hidden by a moderator nor removed by its author: its text is shown."""
        return self.moderation == self.Moderation.VISIBLE

    @property
    def is_hidden(self) -> bool:
        """Hidden by a moderator (a removal by its author is not)."""
        return self.moderation == self.Moderation.HIDDEN

    @property
    def shown_replies(self) -> list[Comment]:
        """The latest replies `CommentQuerySet.threads()` loaded, oldest first."""
        return list(reversed(getattr(self, "latest_replies", [])))

    @property
    def earlier_replies(self) -> int:
        """How many replies of a comment from `threads()` are not among `shown_replies`."""
        return max(getattr(self, "reply_count", 0) - len(getattr(self, "latest_replies", [])), 0)

    def hide(self, *, by: User, reason: str, report: CommentReport | None = None) -> ModerationLog:
        """Hide the comment behind a placeholder, keeping the reason its author is told,
        and log the act."""
        self.moderation = self.Moderation.HIDDEN
        self.moderation_reason = reason
        self.save(update_fields=["moderation", "moderation_reason", "updated_at"])
        return ModerationLog.objects.create(
            comment=self, report=report, moderator=by, act=ModerationLog.Act.HIDE, reason=reason
        )

    def restore(self, *, by: User, reason: str = "") -> ModerationLog:
        """Show a hidden comment again, and log the act."""
        self.moderation = self.Moderation.VISIBLE
        self.moderation_reason = ""
        self.save(update_fields=["moderation", "moderation_reason", "updated_at"])
        return ModerationLog.objects.create(
            comment=self, moderator=by, act=ModerationLog.Act.RESTORE, reason=reason
        )

    @property
    def edit_window_closes_at(self) -> dt.datetime:
        return self.created_at + COMMENT_EDIT_WINDOW

    @property
    def is_in_edit_window(self) -> bool:
        """Its author may still change it: within COMMENT_EDIT_WINDOW of posting."""
        return timezone.now() < self.edit_window_closes_at

    def edit(self, *, body: str) -> None:
        """Replace the text (by its author), noting when and raising the revision its edit
        form checks."""
        self.body = body
        self.edited_at = timezone.now()
        self.revision += 1
        self.save(update_fields=["body", "edited_at", "revision", "updated_at"])

    def remove_by_author(self) -> None:
        """Withdraw the comment: the row stays (replies hang on it, the decision may refer
        to it) but its text is shown nowhere; the thread shows a placeholder."""
        self.moderation = self.Moderation.REMOVED
        self.save(update_fields=["moderation", "updated_at"])


class CommentReportQuerySet(models.QuerySet["CommentReport"]):
    def open(self) -> CommentReportQuerySet:
        return self.filter(status=CommentReport.Status.OPEN)

    def for_comment(self, comment: Comment) -> CommentReportQuerySet:
        return self.filter(comment=comment)

    def on_comments(self, comments: models.QuerySet[Comment]) -> CommentReportQuerySet:
        return self.filter(comment__in=comments)

    def reported_by(self, user: User) -> CommentReportQuerySet:
        return self.filter(reporter_id=user.pk)

    def visible_to(self, user: AnyUser) -> CommentReportQuerySet:
        """The reports a user moderates: all for the functional administrator; for
        moderators, those on the proposals they can read (never a draft or council-only
        one); for the core team, those on the proposals of their own gebieden; none for
        anyone else."""
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        own_gebied = Q(comment__proposal__gebiedsteam_id__in=team_ids_of(user, roles=CORE_ROLES))
        if getattr(user, "is_moderator", False):
            return self.filter(own_gebied | Q(comment__proposal__in=Proposal.objects.published()))
        return self.filter(own_gebied)

    def for_queue(self) -> CommentReportQuerySet:
        """Oldest first, with the comment, its proposal and the people involved loaded."""
        return self.select_related(
            "comment__proposal", "comment__author", "reporter", "handled_by"
        ).order_by("created_at", "pk")


class CommentReport(TimeStampedModel):
    """A signed-in user's report that a comment breaks the rules, with the reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("comment hidden")
        DISMISSED = "dismissed", _("dismissed")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="agendas_commentreport_once_per_reporter"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "hidden", "dismissed"]),
                name="agendas_commentreport_status_known",
                violation_error_message=_("Unknown status."),
            ),
        ]
        indexes = [
            # Used by the moderation queue: open reports, oldest first.
            models.Index(fields=["status", "created_at"], name="agendas_report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def dismiss(self, *, by: User, reason: str = "") -> ModerationLog:
        """Close the report without acting on the comment, and log the act."""
        self.status = self.Status.DISMISSED
        self.handled_by = by
        self.handled_at = timezone.now()
        self.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
        return ModerationLog.objects.create(
            comment_id=self.comment_id,
            report=self,
            moderator=by,
            act=ModerationLog.Act.DISMISS,
            reason=reason,
        )


class ModerationLog(TimeStampedModel):
    """Every moderation act: who did what to which comment, and why."""

    class Act(models.TextChoices):
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("shown again")
        DISMISS = "dismiss", _("report dismissed")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="moderation_log"
    )
    report = models.ForeignKey(
        CommentReport,
        verbose_name=_("report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    act = models.CharField(_("act"), max_length=8, choices=Act)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("moderation act")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(act__in=["hide", "restore", "dismiss"]),
                name="agendas_moderationlog_act_known",
                violation_error_message=_("Unknown moderation act."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act} comment {self.comment_id}"
