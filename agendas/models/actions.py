"""Plans, the actions that carry them out, and the progress reported on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from agendas.models.revisions import Revisioned
from agendas.models.wijkagendas import AgendaItem, Wijkagenda
from areas.models import (
    LocationFields,
    Wijk,
    team_ids_of,
)
from pacts.models import OrganisationMembership, PactCommitment, PartnerOrganisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: AnyUser) -> PlanQuerySet:
        """Plans of the agendas the user may see."""
        return self.filter(wijkagenda__in=Wijkagenda.objects.visible_to(user))

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> PlanQuerySet:
        return self.filter(wijkagenda=wijkagenda)

    def with_actions(self) -> PlanQuerySet:
        """Each plan's actions by due date, with owner, theme and the updates that are results."""
        return self.prefetch_related(
            models.Prefetch("actions", queryset=Action.objects.for_list().with_result_updates())
        )


class Plan(Revisioned):
    """An implementation plan (uitvoeringsplan) for a period, under an agenda."""

    wijkagenda = models.ForeignKey(
        Wijkagenda, verbose_name=_("wijkagenda"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["wijkagenda", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="agendas_plan_period_in_order",
                violation_error_message=_("The end of the period lies before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionQuerySet(models.QuerySet["Action"]):
    # The rules for open, overdue and stalled actions, each written once as a condition:
    # the filters below apply them, and a report counts with them in one aggregate
    # (`Count("pk", filter=...)`). `today` and `now` default to this moment; a caller that
    # takes several figures passes one moment to all of them.

    @staticmethod
    def open_condition() -> Q:
        """Neither done nor stopped (the same rule as Action.is_open)."""
        return ~Q(status__in=Action.CLOSED_STATUSES)

    @staticmethod
    def overdue_condition(today: dt.date | None = None) -> Q:
        """Open, and the due date has passed (the same rule as Action.is_overdue)."""
        if today is None:
            today = timezone.localdate()
        return ActionQuerySet.open_condition() & Q(due_date__lt=today)

    @staticmethod
    def stalled_condition(weeks: int, now: dt.datetime | None = None) -> Q:
        """Open, without a progress update for `weeks` weeks.

        An action that never had an update counts from its creation, so a new action is not
        stalled on its first day.
        """
        if now is None:
            now = timezone.now()
        cutoff = now - dt.timedelta(weeks=weeks)
        return ActionQuerySet.open_condition() & (
            Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True, created_at__lt=cutoff)
        )

    def visible_to(self, user: AnyUser) -> ActionQuerySet:
        return self.filter(plan__wijkagenda__in=Wijkagenda.objects.visible_to(user))

    def for_wijk(self, wijk: Wijk) -> ActionQuerySet:
        return self.filter(plan__wijkagenda__wijken=wijk)

    def for_list(self) -> ActionQuerySet:
        return self.select_related("plan", "agenda_item__theme", "owner_organisation").order_by(
            "due_date", "pk"
        )

    def done(self) -> ActionQuerySet:
        return self.filter(status=Action.Status.DONE)

    def with_result(self) -> ActionQuerySet:
        """Actions whose result achieved has been written down."""
        return self.exclude(result="")

    def open(self) -> ActionQuerySet:
        return self.filter(self.open_condition())

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> ActionQuerySet:
        return self.filter(plan__wijkagenda=wijkagenda)

    def with_result_updates(self) -> ActionQuerySet:
        """Prefetch the progress updates marked as a result, newest first, as `result_updates`."""
        # result_updates is declared on the model, for the pages that read it.
        return self.prefetch_related(  # type: ignore[no-redef]
            models.Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.results().order_by("-created_at", "-pk"),
                to_attr="result_updates",
            )
        )

    def with_wijkagenda(self) -> ActionQuerySet:
        return self.select_related("plan__wijkagenda")

    def for_gebiedsteams(self, ids: Iterable[int]) -> ActionQuerySet:
        """The actions under the agendas of these gebiedsteams (by id)."""
        return self.filter(plan__wijkagenda__gebiedsteam_id__in=ids)

    def for_organisations(self, ids: Iterable[int]) -> ActionQuerySet:
        """The actions owned by these partner organisations (by id)."""
        return self.filter(owner_organisation_id__in=ids)

    def reported_on_by_staff(self, user: AnyUser) -> ActionQuerySet:
        """The actions the user reports on as staff of their organisations: all of a partner
        organisation's, but of the municipality's only those in the gebieden of the user's
        teams (docs/roles.md). The same answer as the rule `is_partner_staff_of_owner`."""
        if not user.is_authenticated:
            return self.none()
        memberships = OrganisationMembership.objects.filter(user_id=user.pk)
        municipal = Q(organisation__kind=PartnerOrganisation.Kind.MUNICIPALITY)
        return self.filter(
            Q(owner_organisation_id__in=memberships.exclude(municipal).values("organisation_id"))
            | Q(
                owner_organisation_id__in=memberships.filter(municipal).values("organisation_id"),
                plan__wijkagenda__gebiedsteam_id__in=team_ids_of(user),
            )
        )

    def due_within(self, days: int) -> ActionQuerySet:
        """Open actions due from today up to and including `days` days from now."""
        today = timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days))

    def overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        """Open actions whose due date has passed (see overdue_condition)."""
        return self.filter(self.overdue_condition(today))

    def stalled(self, weeks: int, now: dt.datetime | None = None) -> ActionQuerySet:
        """Open actions without a progress update for `weeks` weeks (see stalled_condition)."""
        return self.filter(self.stalled_condition(weeks, now))

    def active_between(self, start: dt.date, end: dt.date) -> ActionQuerySet:
        """Actions that ran in the period from `start` to `end` inclusive.

        Started by its end (or, without a start date, created by then) and not finished
        before its start: due on or after the start, without a due date, or still open.
        """
        until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        return self.filter(
            Q(start_date__lte=end) | Q(start_date=None, created_at__lt=until),
            Q(due_date__gte=start) | Q(due_date=None) | self.open_condition(),
        )

    def for_workspace(self) -> ActionQuerySet:
        """With agenda, plan and owner, by due date: what a workspace list shows and checks."""
        return (
            self.select_related("plan__wijkagenda__gebiedsteam", "owner_organisation")
            .defer("plan__wijkagenda__gebiedsteam__outline")
            .order_by(F("due_date").asc(nulls_last=True), "pk")
        )

    def for_detail(self) -> ActionQuerySet:
        """Everything the action page shows about the action itself."""
        return self.select_related(
            "plan__wijkagenda__gebiedsteam",
            "agenda_item__theme",
            "owner_organisation",
            "pact_commitment__pact",
            "pact_commitment__organisation",
        )


class Action(Revisioned):
    """What someone will do, serving an agenda item; owned by a partner organisation."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DELAYED = "delayed", _("delayed")
        STOPPED = "stopped", _("stopped")

    # Nothing more happens to a done or stopped action; every other status is open.
    CLOSED_STATUSES = (Status.DONE, Status.STOPPED)

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    pact_commitment = models.ForeignKey(
        PactCommitment,
        verbose_name=_("pact commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    owner_organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_("Optional. The area the action covers: a GeoJSON Polygon in WGS84."),
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    result = models.TextField(_("result achieved"), blank=True)
    last_progress_at = models.DateTimeField(
        _("last progress update"), null=True, blank=True, editable=False
    )

    objects = ActionQuerySet.as_manager()
    # Set by ActionQuerySet.with_result_updates().
    result_updates: list[ProgressUpdate]

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="agendas_action_progress_percentage",
                violation_error_message=_("Progress lies between 0 and 100%."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="agendas_action_dates_in_order",
                violation_error_message=_("The due date lies before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "delayed", "stopped"]),
                name="agendas_action_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="agendas_action_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            *LocationFields.constraints("agendas_action"),
        ]
        indexes = [
            # Used by the bounding-box endpoint for located actions on maps.
            models.Index(fields=["longitude", "latitude"], name="agendas_action_location_idx"),
            # Used by the reminders sweep for actions due soon or overdue.
            models.Index(fields=["status", "due_date"], name="agendas_action_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agendas:action-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        """Neither done nor stopped (the same rule as ActionQuerySet.open)."""
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open, and the due date has passed (the same rule as ActionQuerySet.overdue)."""
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def visible_to(self, user: AnyUser) -> ProgressUpdateQuerySet:
        """Updates on the actions of the agendas the user may see."""
        return self.filter(action__in=Action.objects.visible_to(user))

    def for_wijk(self, wijk: Wijk) -> ProgressUpdateQuerySet:
        return self.filter(action__plan__wijkagenda__wijken=wijk)

    def reported_by(self, user: User) -> ProgressUpdateQuerySet:
        """The user's reports: among them a submit token is unique."""
        return self.filter(author_id=user.pk)

    def results(self) -> ProgressUpdateQuerySet:
        """Updates flagged as a result to celebrate."""
        return self.filter(is_result=True)

    def for_list(self) -> ProgressUpdateQuerySet:
        return self.select_related("action").order_by("-created_at", "-pk")


class ProgressUpdate(TimeStampedModel):
    """A dated report on an action: text, and the status and progress it moved to."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=Action.Status)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    is_result = models.BooleanField(_("a result to celebrate"), default=False)
    submit_token = models.UUIDField(
        _("submit token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The one-time token of the form it was sent with: sent twice, stored once."),
    )

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="agendas_progressupdate_progress_percentage",
                violation_error_message=_("Progress lies between 0 and 100%."),
            ),
            # A report sent twice is stored once (web.submits.create_once); the index also
            # finds the report stored first.
            models.UniqueConstraint(
                fields=["author", "submit_token"], name="agendas_progressupdate_submitted_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.progress}%"
