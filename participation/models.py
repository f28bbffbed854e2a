"""Proposals and what is said about them: comments, wijkraad advice, outcomes, moderation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from agendas.models import Action, AgendaItem
from areas.models import (
    Gebiedsteam,
    LocationFields,
    Wijk,
    Wijkraad,
    is_admin,
    team_ids_of,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from areas.models import WijkQuerySet

    AnyUser = User | AnonymousUser


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def published(self) -> ProposalQuerySet:
        return self.exclude(status=Proposal.Status.DRAFT).filter(council_only=False)

    def visible_to(self, user: AnyUser) -> ProposalQuerySet:
        """Public proposals for all; council-only ones for their councils; drafts for the team."""
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.published()
        from areas.models import CouncilMembership

        own_team = Q(gebiedsteam_id__in=team_ids_of(user))
        council_wijken = Wijk.objects.filter(
            wijkraden__in=CouncilMembership.objects.filter(user_id=user.pk).values("wijkraad_id")
        ).values("pk")
        for_council = Q(council_only=True, wijken__in=council_wijken) & ~Q(
            status=Proposal.Status.DRAFT
        )
        return self.filter(
            Q(pk__in=self.model.objects.filter(for_council).values("pk"))
            | (Q(council_only=False) & ~Q(status=Proposal.Status.DRAFT))
            | own_team
        )

    def for_wijk(self, wijk: Wijk) -> ProposalQuerySet:
        return self.filter(wijken=wijk)

    def open_now(self) -> ProposalQuerySet:
        now = timezone.now()
        return self.filter(status=Proposal.Status.OPEN, opens_at__lte=now, closes_at__gt=now)

    def for_list(self) -> ProposalQuerySet:
        return self.select_related("gebiedsteam").prefetch_related("wijken").order_by("closes_at")

    def for_cards(self) -> ProposalQuerySet:
        """Like for_list, with the wijken loaded without their (large) boundaries."""
        return (
            self.select_related("gebiedsteam")
            .defer("gebiedsteam__outline")
            .prefetch_related(models.Prefetch("wijken", queryset=Wijk.objects.for_list()))
            .order_by("closes_at", "pk")
        )

    def for_wijken(self, wijken: models.QuerySet[Wijk]) -> ProposalQuerySet:
        """Proposals for any of these wijken, each once."""
        return self.filter(pk__in=self.model.objects.filter(wijken__in=wijken).values("pk"))

    def for_gebiedsteams(self, ids: Iterable[int]) -> ProposalQuerySet:
        """The proposals of these gebiedsteams (by id)."""
        return self.filter(gebiedsteam_id__in=ids)

    def for_wijk_slug(self, slug: str) -> ProposalQuerySet:
        """Proposals for the wijk with this slug; none when there is no such wijk."""
        return self.for_wijken(Wijk.objects.filter(slug=slug))

    def covered_wijken(self) -> WijkQuerySet:
        """The wijken these proposals are for."""
        return Wijk.objects.filter(pk__in=self.values("wijken"))

    def for_wijk_ids(self, ids: Iterable[int]) -> ProposalQuerySet:
        """Proposals for any of the wijken with these ids, each once."""
        return self.filter(pk__in=self.model.objects.filter(wijken__in=ids).values("pk"))

    def awaiting_team_answer(self) -> ProposalQuerySet:
        """Proposals that wait for the team: submitted advice without the municipality's
        response, or (while open or under consideration) a visible comment that no team
        response answers yet."""
        unanswered = (
            Comment.objects.filter(
                parent=None, is_team_response=False, moderation=Comment.Moderation.VISIBLE
            )
            # A comment with any reply that is a team response has been answered.
            .exclude(replies__is_team_response=True)
            .values("proposal_id")
        )
        unanswered_advice = Advice.objects.awaiting_response().values("proposal_id")
        in_discussion = [Proposal.Status.OPEN, Proposal.Status.CONSIDERATION]
        return self.filter(
            Q(status__in=in_discussion, pk__in=unanswered) | Q(pk__in=unanswered_advice)
        )

    def in_phase_order(self) -> ProposalQuerySet:
        """Open first, then under consideration, then decided; withdrawn and drafts last."""
        phase = models.Case(
            models.When(status=Proposal.Status.OPEN, then=0),
            models.When(status=Proposal.Status.CONSIDERATION, then=1),
            models.When(status=Proposal.Status.DECIDED, then=2),
            default=3,
            output_field=models.IntegerField(),
        )
        return self.alias(phase=phase).order_by("phase", "closes_at", "pk")


class Proposal(TimeStampedModel):
    """A proposal of the team, opened for comments and wijkraad advice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for comments")
        CONSIDERATION = "consideration", _("under consideration")
        DECIDED = "decided", _("decided")
        WITHDRAWN = "withdrawn", _("withdrawn")

    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    wijken = models.ManyToManyField(Wijk, verbose_name=_("wijken"), related_name="proposals")
    agenda_items = models.ManyToManyField(
        AgendaItem, verbose_name=_("agenda items"), related_name="proposals", blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_("Optional. The area the proposal covers: a GeoJSON Polygon in WGS84."),
    )
    opens_at = models.DateTimeField(_("comments open"))
    closes_at = models.DateTimeField(_("comments close"))
    status = models.CharField(_("status"), max_length=14, choices=Status, default=Status.DRAFT)
    council_only = models.BooleanField(
        _("council only"), default=False, help_text=_("Only the wijkraden concerned can read it.")
    )
    decision = models.TextField(_("decision"), blank=True)
    input_feedback = models.TextField(_("what we did with the input"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actions = models.ManyToManyField(
        Action,
        verbose_name=_("actions carrying out the decision"),
        related_name="proposals",
        blank=True,
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="agendas_proposal_period_in_order",
                violation_error_message=_("The comment period must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "consideration", "decided", "withdrawn"]),
                name="agendas_proposal_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(input_feedback=""),
                name="agendas_proposal_decided_has_feedback",
                violation_error_message=_("A decision says what was done with the input."),
            ),
            *LocationFields.constraints("agendas_proposal"),
        ]
        indexes = [
            # Used by the public lists: open proposals first, by closing date.
            models.Index(fields=["status", "closes_at"], name="agendas_proposal_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal-detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_comment_phase(self) -> bool:
        """Opened for comments (status open), before, during or after its comment period;
        `is_open` says whether comments can be made now."""
        return self.status == self.Status.OPEN

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.is_in_comment_phase and self.opens_at <= now < self.closes_at

    @property
    def period_has_closed(self) -> bool:
        return self.closes_at <= timezone.now()

    @property
    def is_ready_for_decision(self) -> bool:
        """Under consideration, or open with its comment period over: what decide() takes."""
        return self.status == self.Status.CONSIDERATION or (
            self.is_in_comment_phase and self.period_has_closed
        )

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def is_final(self) -> bool:
        """Decided or withdrawn: no change of state leads out of it."""
        return self.status in (self.Status.DECIDED, self.Status.WITHDRAWN)

    def open_for_comments(self, *, by: User | None) -> None:
        """Draft → open. The period must not be over already: nobody could comment."""
        if not self.is_draft:
            raise TransitionRefused(gettext("Only a draft proposal can be opened for comments."))
        if self.period_has_closed:
            raise TransitionRefused(
                gettext("The comment period has already ended. Change the period first.")
            )
        self.status = self.Status.OPEN
        self.save(update_fields=["status", "updated_at"])

    def start_consideration(self, *, by: User | None, early: bool = False) -> None:
        """Open → under consideration, once the period has closed or, by choice, earlier.

        Closing early ends the comment period now, so that the page tells the truth.
        """
        if not self.is_in_comment_phase:
            raise TransitionRefused(gettext("Only a proposal open for comments can be considered."))
        fields = ["status", "updated_at"]
        if not self.period_has_closed:
            if not early:
                raise TransitionRefused(
                    gettext("The comment period has not closed yet. Choose to close it early.")
                )
            now = timezone.now()
            if self.opens_at < now:
                self.closes_at = now
                fields.append("closes_at")
        self.status = self.Status.CONSIDERATION
        self.save(update_fields=fields)

    def decide(self, *, by: User | None, decision: str, input_feedback: str) -> None:
        """Under consideration (or open with its period over) → decided."""
        if not self.is_ready_for_decision:
            raise TransitionRefused(
                gettext("A proposal can be decided once its comment period is over.")
            )
        if not decision.strip() or not input_feedback.strip():
            raise TransitionRefused(
                gettext("A decision needs its text and what was done with the input.")
            )
        self.status = self.Status.DECIDED
        self.decision = decision
        self.input_feedback = input_feedback
        self.decided_at = timezone.now()
        self.save(
            update_fields=["status", "decision", "input_feedback", "decided_at", "updated_at"]
        )

    def withdraw(self, *, by: User | None) -> None:
        """Any state before the decision → withdrawn."""
        if self.is_final:
            raise TransitionRefused(gettext("A decided or withdrawn proposal cannot be withdrawn."))
        self.status = self.Status.WITHDRAWN
        self.save(update_fields=["status", "updated_at"])


class TransitionRefused(Exception):
    """A change of state that the object's current state does not allow; the message says
    why, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


COMMENT_EDIT_WINDOW = dt.timedelta(minutes=15)


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

    def posted_by_since(self, user: User, since: dt.datetime) -> CommentQuerySet:
        """The user's comments (in any state) posted at or after `since`: for throttling."""
        return self.filter(author_id=user.pk, created_at__gte=since)

    def visible_to(self, user: AnyUser) -> CommentQuerySet:
        """Comments on the proposals the user can see; moderators see every comment."""
        if user.is_authenticated and getattr(user, "is_moderator", False):
            return self.all()
        return self.filter(proposal__in=Proposal.objects.visible_to(user))

    def threads(self) -> CommentQuerySet:
        """Top-level comments, oldest first, each with its replies (one level) and authors."""
        replies = Comment.objects.select_related("author").order_by("created_at", "pk")
        return (
            self.filter(parent=None)
            .select_related("author")
            .prefetch_related(models.Prefetch("replies", queryset=replies))
            .order_by("created_at", "pk")
        )


class Comment(TimeStampedModel):
    """A comment on a proposal by a council or team member; one level of replies."""

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

    objects = CommentQuerySet.as_manager()

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
        """Replace the text (by its author), noting when."""
        self.body = body
        self.edited_at = timezone.now()
        self.save(update_fields=["body", "edited_at", "updated_at"])

    def remove_by_author(self) -> None:
        """Withdraw the comment: the row stays (replies hang on it, the decision may refer
        to it) but its text is shown nowhere; the thread shows a placeholder."""
        self.moderation = self.Moderation.REMOVED
        self.save(update_fields=["moderation", "updated_at"])


class AdviceQuerySet(models.QuerySet["Advice"]):
    def visible_to(self, user: AnyUser) -> AdviceQuerySet:
        """The advice on the proposals the user can see: advice is shown with its proposal,
        so it is as visible as the proposal (`participation.view_proposal`)."""
        return self.filter(proposal__in=Proposal.objects.visible_to(user))

    def for_gebiedsteams(self, ids: Iterable[int]) -> AdviceQuerySet:
        """The advice on the proposals of these gebiedsteams (by id)."""
        return self.filter(proposal__gebiedsteam_id__in=ids)

    def submitted_between(self, since: dt.datetime, until: dt.datetime) -> AdviceQuerySet:
        """Advice submitted from `since` up to, not including, `until`."""
        return self.filter(submitted_at__gte=since, submitted_at__lt=until)

    def awaiting_response(self) -> AdviceQuerySet:
        """Submitted advice that the municipality has not responded to yet."""
        return self.filter(submitted_at__isnull=False, responded_at__isnull=True)

    def on_proposals(self, proposals: models.QuerySet[Proposal]) -> AdviceQuerySet:
        return self.filter(proposal__in=proposals)


class Advice(TimeStampedModel):
    """The formal advice of a wijkraad on a proposal, and the municipality's response."""

    class Verdict(models.TextChoices):
        POSITIVE = "positive", _("positive")
        CONDITIONAL = "conditional", _("positive with conditions")
        NEGATIVE = "negative", _("negative")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="advices"
    )
    wijkraad = models.ForeignKey(
        Wijkraad, verbose_name=_("wijkraad"), on_delete=models.PROTECT, related_name="advices"
    )
    deadline = models.DateTimeField(_("deadline"))
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict, blank=True)
    text = models.TextField(_("advice"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    response = models.TextField(_("response of the municipality"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AdviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("advice")
        verbose_name_plural = _("advices")
        ordering = ["proposal", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "wijkraad"], name="agendas_advice_once_per_council"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(verdict=""),
                name="agendas_advice_submitted_has_verdict",
                violation_error_message=_("Submitted advice needs a verdict."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wijkraad_id} on {self.proposal_id}"

    def respond(self, *, by: User | None, response: str) -> None:
        """Record (or rewrite) the municipality's response to submitted advice."""
        if self.submitted_at is None:
            raise TransitionRefused(gettext("This advice has not been submitted yet."))
        if not response.strip():
            raise TransitionRefused(gettext("Write the response of the municipality."))
        self.response = response
        self.responded_at = timezone.now()
        self.responded_by = by
        self.save(update_fields=["response", "responded_at", "responded_by", "updated_at"])

    @property
    def deadline_has_passed(self) -> bool:
        return self.deadline <= timezone.now()

    def submit(self, *, by: User, verdict: str, text: str) -> None:
        """Record the council's advice, once and before the deadline.

        The conditional UPDATE claims the advice: of two officers submitting at the same
        moment one wins, and the other is told the advice was already given.
        """
        now = timezone.now()
        if self.submitted_at is not None:
            raise TransitionRefused(gettext("This advice has already been submitted."))
        if self.deadline <= now:
            raise TransitionRefused(gettext("The deadline for this advice has passed."))
        claimed = Advice.objects.filter(pk=self.pk, submitted_at=None, deadline__gt=now).update(
            verdict=verdict, text=text, submitted_at=now, submitted_by=by, updated_at=now
        )
        if not claimed:
            raise TransitionRefused(gettext("This advice has already been submitted."))
        self.verdict, self.text, self.submitted_at, self.submitted_by = verdict, text, now, by
        self.updated_at = now


class InputOutcomeQuerySet(models.QuerySet["InputOutcome"]):
    def for_proposal(self, proposal: Proposal) -> InputOutcomeQuerySet:
        return self.filter(proposal=proposal)

    def on_visible_comments(self) -> InputOutcomeQuerySet:
        """The outcomes of comments that are shown (not hidden or removed)."""
        return self.filter(comment__isnull=False, comment__moderation=Comment.Moderation.VISIBLE)

    def on_advice(self) -> InputOutcomeQuerySet:
        return self.filter(advice__isnull=False)


class InputOutcome(TimeStampedModel):
    """What the team did with one comment or one advice when it decided a proposal."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        PARTLY = "partly", _("partly adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="input_outcomes",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    advice = models.ForeignKey(
        Advice,
        verbose_name=_("advice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome)
    reason = models.TextField(_("why"))

    objects = InputOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("what was done with the input")
        verbose_name_plural = _("what was done with the input")
        ordering = ["proposal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False, advice__isnull=True)
                | Q(comment__isnull=True, advice__isnull=False),
                name="agendas_inputoutcome_one_input",
                violation_error_message=_("An outcome is about one comment or one advice."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["adopted", "partly", "not_adopted"]),
                name="agendas_inputoutcome_outcome_known",
                violation_error_message=_("Unknown outcome."),
            ),
            models.UniqueConstraint(
                fields=["proposal", "comment"],
                condition=Q(comment__isnull=False),
                name="agendas_inputoutcome_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["proposal", "advice"],
                condition=Q(advice__isnull=False),
                name="agendas_inputoutcome_once_per_advice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.outcome}"


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
        """The reports a user moderates: all for moderators and admins, those on the
        proposals of their own gebieden for team members, none for anyone else."""
        if is_admin(user) or (user.is_authenticated and getattr(user, "is_moderator", False)):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(comment__proposal__gebiedsteam_id__in=team_ids_of(user))

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
