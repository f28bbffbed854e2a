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


# The actions of a plan that a page of whole agendas (the wijk and wijkagenda pages) shows;
# the rest are on the plan's own list of actions, one page at a time. A plan can have
# thousands of actions: without a bound those pages grow with every one.
ACTIONS_SHOWN_PER_PLAN = 10


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: AnyUser) -> PlanQuerySet:
        """Plans of the agendas the user may see."""
        return self.filter(wijkagenda__in=Wijkagenda.objects.visible_to(user))

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> PlanQuerySet:
        return self.filter(wijkagenda=wijkagenda)

    def for_wijkagendas(self, ids: Iterable[int]) -> PlanQuerySet:
        """The plans of the agendas with these ids, newest period first."""
        return self.filter(wijkagenda_id__in=ids).order_by("-period_start", "pk")

    def for_detail(self) -> PlanQuerySet:
        """With its agenda and the agenda's team (without its outline), for a page header."""
        return self.select_related("wijkagenda__gebiedsteam").defer(
            "wijkagenda__gebiedsteam__outline"
        )

    def with_first_actions(self, count: int = ACTIONS_SHOWN_PER_PLAN) -> PlanQuerySet:
        """Each plan's first `count` actions by due date (see `for_plan_preview`) as
        `first_actions`, and the number of all its actions as `action_count`: in three queries
        however many actions the plans have, and a bounded number of rows."""
        # first_actions and action_count are declared on the model, for the pages that read them.
        return self.annotate(
            action_count=models.Count("actions")
        ).prefetch_related(  # type: ignore[no-redef]
            models.Prefetch(
                "actions",
                # Sliced, the prefetch numbers the rows of each plan (a window function) and
                # keeps the first.
                queryset=Action.objects.for_plan_preview()[:count],
                to_attr="first_actions",
            )
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
    # Set by PlanQuerySet.with_first_actions().
    first_actions: list[Action]
    action_count: int

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

    def get_absolute_url(self) -> str:
        """The plan's list of all its actions, page by page."""
        return reverse("agendas:plan-actions", kwargs={"pk": self.pk})

    @property
    def has_more_actions(self) -> bool:
        """More actions than `first_actions` holds (loaded with `with_first_actions()`)."""
        return self.action_count > len(self.first_actions)


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

    def for_plan(self, plan: Plan) -> ActionQuerySet:
        return self.filter(plan=plan)

    def for_list(self) -> ActionQuerySet:
        return self.select_related("plan", "agenda_item__theme", "owner_organisation").order_by(
            "due_date", "pk"
        )

    def for_plan_preview(self) -> ActionQuerySet:
        """Only what a short list of a plan's actions shows (title, status, progress, due date
        and owner), by due date. Narrow on purpose: a sliced prefetch numbers every action of
        the plan before it keeps the first few, and with all columns and joins that took 80 ms
        for a plan of 5,000 actions, 3 ms like this; the owners come in one more query."""
        return (
            self.only("plan", "title", "status", "progress", "due_date", "owner_organisation")
            .prefetch_related("owner_organisation")
            .order_by("due_date", "pk")
        )

    def for_results(self) -> ActionQuerySet:
        """Only what a list of results shows of a done action: no related rows, so that with
        the visibility sub-query the planner weighs a few joins instead of eight."""
        return self.only("title", "result", "last_progress_at", "updated_at")

    def done(self) -> ActionQuerySet:
        return self.filter(status=Action.Status.DONE)

    def with_result(self) -> ActionQuerySet:
        """Actions whose result achieved has been written down."""
        return self.exclude(result="")

    def open(self) -> ActionQuerySet:
        return self.filter(self.open_condition())

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> ActionQuerySet:
        return self.filter(plan__wijkagenda=wijkagenda)

    def for_wijkagendas(self, ids: Iterable[int]) -> ActionQuerySet:
        """The actions under these agendas (by id)."""
        return self.filter(plan__wijkagenda_id__in=ids)

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
        """Updates on the actions of the agendas the user may see (Action.visible_to's rule,
        applied to the update's plan: a sub-query of all visible actions made the planner
        gather thousands of action ids before it joined the updates)."""
        return self.filter(action__plan__wijkagenda__in=Wijkagenda.objects.visible_to(user))

    def for_wijk(self, wijk: Wijk) -> ProgressUpdateQuerySet:
        return self.filter(action__plan__wijkagenda__wijken=wijk)

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> ProgressUpdateQuerySet:
        return self.filter(action__plan__wijkagenda=wijkagenda)

    def for_wijkagendas(self, ids: Iterable[int]) -> ProgressUpdateQuerySet:
        """The updates on the actions under these agendas (by id)."""
        return self.filter(action__plan__wijkagenda_id__in=ids)

    def reported_by(self, user: User) -> ProgressUpdateQuerySet:
        """The user's reports: among them a submit token is unique."""
        return self.filter(author_id=user.pk)

    def results(self) -> ProgressUpdateQuerySet:
        """Updates flagged as a result to celebrate."""
        return self.filter(is_result=True)

    def for_list(self) -> ProgressUpdateQuerySet:
        return self.select_related("action").order_by("-created_at", "-pk")

    def for_results(self) -> ProgressUpdateQuerySet:
        """Only what a list of results shows of an update: its text and date, and the title
        of its action (newest first)."""
        return (
            self.select_related("action")
            .only("text", "created_at", "action__title")
            .order_by("-created_at", "-pk")
        )


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
