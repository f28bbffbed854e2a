"""The formal advice of a wijkraad on a proposal, and the municipality's response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Revisioned
from areas.models import (
    Wijkraad,
)
from participation.models.proposals import Proposal, TransitionRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


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

    def given_by(self, wijkraad: Wijkraad) -> AdviceQuerySet:
        """The advice this council has submitted (a draft is the council's own), newest
        first, with the proposal's title and slug for the link."""
        return (
            self.filter(wijkraad=wijkraad, submitted_at__isnull=False)
            .select_related("proposal")
            .only(
                "pk",
                "verdict",
                "text",
                "submitted_at",
                "response",
                "responded_at",
                "proposal_id",
                "wijkraad_id",
                "proposal__id",
                "proposal__title",
                "proposal__slug",
            )
            .order_by("-submitted_at", "-pk")
        )


class Advice(Revisioned):
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
        """Record (or rewrite) the municipality's response to submitted advice, raising the
        revision its response form checks."""
        if self.submitted_at is None:
            raise TransitionRefused(gettext("This advice has not been submitted yet."))
        if not response.strip():
            raise TransitionRefused(gettext("Write the response of the municipality."))
        self.response = response
        self.responded_at = timezone.now()
        self.responded_by = by
        self.revision += 1
        self.save(
            update_fields=["response", "responded_at", "responded_by", "revision", "updated_at"]
        )

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
