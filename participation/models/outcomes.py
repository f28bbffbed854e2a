"""What was done with each comment and each advice when a proposal was decided."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from participation.models.advice import Advice
from participation.models.comments import Comment
from participation.models.proposals import Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


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
