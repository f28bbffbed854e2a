"""Proposals of a gebiedsteam: open for comment, considered, decided or withdrawn."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Revisioned
from agendas.models import Action, AgendaItem
from areas.models import (
    Gebiedsteam,
    LocationFields,
    Wijk,
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

    def for_wijken(self, wijken: Iterable[Wijk]) -> ProposalQuerySet:
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
        # Comments and advice are defined in modules that import this one.
        Comment = apps.get_model("participation", "Comment")
        Advice = apps.get_model("participation", "Advice")
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


class Proposal(Revisioned):
    """A proposal of the team, opened for comments and wijkraad advice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for comments")
        CONSIDERATION = "consideration", _("under consideration")
        DECIDED = "decided", _("decided")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Audience(models.TextChoices):
        """Who may react to the proposal besides its gebiedsteam and the wijkraden of its
        wijken, who always may (participation/rules.py)."""

        WIJKRADEN = "wijkraden", _("the wijkraden only")
        RESIDENTS = "residents", _("residents of its wijken")
        EVERYONE = "everyone", _("everyone with an account")

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
    audience = models.CharField(
        _("who may react"),
        max_length=10,
        choices=Audience,
        default=Audience.WIJKRADEN,
        help_text=_(
            "Besides the gebiedsteam and the wijkraden of its wijken, who always may. A "
            "council-only proposal is reacted to by the wijkraden only."
        ),
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
            models.CheckConstraint(
                condition=Q(audience__in=["wijkraden", "residents", "everyone"]),
                name="participation_proposal_audience_known",
                violation_error_message=_("Unknown audience."),
            ),
            models.CheckConstraint(
                condition=Q(council_only=False) | Q(audience="wijkraden"),
                name="participation_proposal_council_only_for_wijkraden",
                violation_error_message=_(
                    "A proposal for the wijkraden only can only be reacted to by the wijkraden."
                ),
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
