"""What is planned and done: wijkagenda's, their items, plans, actions, progress and history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from areas.models import (
    Gebiedsteam,
    LocationFields,
    Wijk,
    gebied_visibility,
)
from pacts.models import PactCommitment, PartnerOrganisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


class Theme(TimeStampedModel):
    """A theme of the agendas: wonen, veiligheid, … (an editable list)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#476c9b")

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    """Publication status shared by agendas and visions."""

    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


PUBLIC_STATUSES = [Status.PUBLISHED, Status.ARCHIVED]


class WijkagendaQuerySet(models.QuerySet["Wijkagenda"]):
    def published(self) -> WijkagendaQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user: AnyUser) -> WijkagendaQuerySet:
        """Published and archived agendas for everyone; drafts for their team and admins."""
        return self.filter(gebied_visibility(user, public=Q(status__in=PUBLIC_STATUSES)))

    def for_wijk(self, wijk: Wijk) -> WijkagendaQuerySet:
        return self.filter(wijken=wijk)

    def current(self) -> WijkagendaQuerySet:
        """Not archived: the agenda a wijk works with now."""
        return self.exclude(status=Status.ARCHIVED)

    def for_list(self) -> WijkagendaQuerySet:
        return self.select_related("gebiedsteam").prefetch_related("wijken")

    def archived(self) -> WijkagendaQuerySet:
        return self.filter(status=Status.ARCHIVED)

    def with_contents(self) -> WijkagendaQuerySet:
        """With the items (by theme) and the plans with their actions, for a page that shows
        whole agendas in a fixed number of queries."""
        return self.select_related("gebiedsteam").prefetch_related(
            models.Prefetch("items", queryset=AgendaItem.objects.for_list()),
            models.Prefetch(
                "plans",
                queryset=Plan.objects.order_by("-period_start", "pk").prefetch_related(
                    models.Prefetch("actions", queryset=Action.objects.for_list())
                ),
            ),
        )

    def for_gebiedsteam_slug(self, slug: str) -> WijkagendaQuerySet:
        """The agendas of the gebiedsteam with this slug; an unknown slug gives none."""
        return self.filter(gebiedsteam__slug=slug)

    def of_kind(self, kind: str) -> WijkagendaQuerySet:
        """Wijkagendas or dorpsagendas; an unknown kind gives none."""
        return self.filter(kind=kind)

    def annotate_item_count(self) -> WijkagendaQuerySet:
        # item_count is declared on the model, for the pages that read it.
        return self.annotate(item_count=models.Count("items", distinct=True))  # type: ignore[no-redef]

    def drafts(self) -> WijkagendaQuerySet:
        return self.filter(status=Status.DRAFT)

    def for_gebiedsteams(self, ids: Iterable[int]) -> WijkagendaQuerySet:
        """The agendas of these gebiedsteams (by id)."""
        return self.filter(gebiedsteam_id__in=ids)

    def with_latest_version(self) -> WijkagendaQuerySet:
        """With the latest published version (or none) as `latest_versions`, in one query."""
        # latest_versions is declared on the model, for the pages that read it.
        return self.prefetch_related(  # type: ignore[no-redef]
            models.Prefetch(
                "versions",
                queryset=WijkagendaVersion.objects.order_by("-number")[:1],
                to_attr="latest_versions",
            )
        )

    def for_overview(self) -> WijkagendaQuerySet:
        """With the team and the wijken (without their boundaries), for lists and page headers."""
        return (
            self.select_related("gebiedsteam")
            .defer("gebiedsteam__outline")
            .prefetch_related(models.Prefetch("wijken", queryset=Wijk.objects.for_list()))
        )


class Wijkagenda(TimeStampedModel):
    """The agenda of one or more wijken (or a dorp), drawn up with residents."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("wijkagenda")
        DORP = "dorp", _("dorpsagenda")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind, default=Kind.WIJK)
    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.PROTECT,
        related_name="wijkagendas",
    )
    wijken = models.ManyToManyField(Wijk, verbose_name=_("wijken"), related_name="wijkagendas")
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))
    summary = models.TextField(_("summary"), help_text=_("In plain language (B1), Markdown."))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    objects = WijkagendaQuerySet.as_manager()
    # Set by WijkagendaQuerySet.with_latest_version() and annotate_item_count().
    latest_versions: list[WijkagendaVersion]
    item_count: int

    class Meta:
        verbose_name = _("wijkagenda")
        verbose_name_plural = _("wijkagendas")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="agendas_wijkagenda_period_in_order",
                violation_error_message=_("The end of the period lies before its start."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]),
                name="agendas_wijkagenda_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="agendas_wijkagenda_published_has_date",
                violation_error_message=_("A published agenda needs a publication date."),
            ),
        ]
        indexes = [
            # Used by WijkagendaQuerySet.visible_to: status filter with the team's drafts.
            models.Index(fields=["status", "gebiedsteam"], name="agendas_wijkagenda_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:wijkagenda-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED

    def publish(self, *, by: User | None, change_summary: str = "") -> WijkagendaVersion:
        """Make the agenda public and keep this state as a new version in its changelog."""
        now = timezone.now()
        self.status = Status.PUBLISHED
        self.published_at = now
        self.version = F("version") + 1
        self.save(update_fields=["status", "published_at", "version", "updated_at"])
        self.refresh_from_db(fields=["version"])
        return WijkagendaVersion.objects.create(
            wijkagenda=self,
            number=self.version,
            published_by=by,
            change_summary=change_summary,
            snapshot=self.snapshot(),
        )

    def snapshot(self, items: Iterable[AgendaItem] | None = None) -> dict[str, Any]:
        """The agenda and its items as plain JSON data: what the public pages show of it.

        A published version keeps this, so residents see the agenda as it was published
        while the team edits on. `items` may be passed already loaded (with theme and lead
        organisation, in `AgendaItem.objects.for_list()` order) to avoid a query.
        """
        if items is None:
            items = AgendaItem.objects.for_wijkagenda(self).for_list()
        return {
            "title": self.title,
            "summary": self.summary,
            "period": [self.period_start.isoformat(), self.period_end.isoformat()],
            "review_date": self.review_date.isoformat() if self.review_date else None,
            "items": [item.snapshot() for item in items],
        }


class WijkagendaVersion(TimeStampedModel):
    """A published state of an agenda: the changelog shows what changed between versions."""

    wijkagenda = models.ForeignKey(
        Wijkagenda, verbose_name=_("wijkagenda"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_summary = models.TextField(_("what changed"), blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("wijkagenda version")
        verbose_name_plural = _("wijkagenda versions")
        ordering = ["wijkagenda", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijkagenda", "number"], name="agendas_wijkagendaversion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wijkagenda_id} v{self.number}"


class VisionQuerySet(models.QuerySet["Vision"]):
    def published(self) -> VisionQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, user: AnyUser) -> VisionQuerySet:
        """Published and archived visions for everyone; drafts for their team and admins."""
        return self.filter(gebied_visibility(user, public=Q(status__in=PUBLIC_STATUSES)))

    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> VisionQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def current(self) -> VisionQuerySet:
        """The vision in force: published, neither a draft nor archived."""
        return self.filter(status=Status.PUBLISHED)

    def not_archived(self) -> VisionQuerySet:
        """Drafts and the published vision: what the team still works on."""
        return self.exclude(status=Status.ARCHIVED)


class Vision(TimeStampedModel):
    """The integral long-term vision (5–10 years) of a gebied."""

    gebiedsteam = models.ForeignKey(
        Gebiedsteam, verbose_name=_("gebiedsteam"), on_delete=models.CASCADE, related_name="visions"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    horizon_year = models.PositiveSmallIntegerField(_("looks ahead to"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    objects = VisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        ordering = ["gebiedsteam", "-horizon_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]),
                name="agendas_vision_status_known",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        """In force (the same rule as VisionQuerySet.current): neither a draft nor archived."""
        return self.status == Status.PUBLISHED


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def for_list(self) -> AgendaItemQuerySet:
        return self.select_related("theme", "lead_organisation").order_by(
            "theme__position", "position", "pk"
        )

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> AgendaItemQuerySet:
        return self.filter(wijkagenda=wijkagenda)

    def for_theme(self, theme: Theme) -> AgendaItemQuerySet:
        return self.filter(theme=theme)


class AgendaItem(TimeStampedModel):
    """An opgave or ambitie on an agenda."""

    class Kind(models.TextChoices):
        AMBITION = "ambition", _("residents' ambition")
        MUNICIPAL_TASK = "municipal_task", _("municipal task")
        PARTNER_TASK = "partner_task", _("partner task")

    wijkagenda = models.ForeignKey(
        Wijkagenda, verbose_name=_("wijkagenda"), on_delete=models.CASCADE, related_name="items"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    lead_organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["wijkagenda", "theme__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["ambition", "municipal_task", "partner_task"]),
                name="agendas_agendaitem_kind_known",
                violation_error_message=_("Unknown kind of agenda item."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def snapshot(self) -> dict[str, Any]:
        """The item as plain JSON data, for `Wijkagenda.snapshot()` (theme and lead loaded)."""
        organisation = self.lead_organisation
        return {
            "id": self.pk,
            "theme": {
                "name": self.theme.name,
                "slug": self.theme.slug,
                "position": self.theme.position,
                "colour": self.theme.colour,
            },
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "lead_organisation": (
                None
                if organisation is None
                else {"name": organisation.name, "slug": organisation.slug}
            ),
            "position": self.position,
        }


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


class Plan(TimeStampedModel):
    """An implementation plan (uitvoeringsplan) for a period, under an agenda."""

    wijkagenda = models.ForeignKey(
        Wijkagenda, verbose_name=_("wijkagenda"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

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


class Action(TimeStampedModel):
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

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
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
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.progress}%"


class ChangeRecordQuerySet(models.QuerySet["ChangeRecord"]):
    def for_object(self, obj: models.Model) -> ChangeRecordQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("-created_at", "-pk")

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> ChangeRecordQuerySet:
        return (
            self.filter(wijkagenda=wijkagenda)
            .select_related("author")
            .order_by("-created_at", "-pk")
        )

    def since(self, moment: dt.datetime) -> ChangeRecordQuerySet:
        """The changes saved after `moment` (such as the publication of the last version)."""
        return self.filter(created_at__gt=moment)


class ChangeRecord(TimeStampedModel):
    """One saved change to an agenda or something on it: who, when and what.

    `changes` maps each changed field to its old and new value, as shown to people
    ({"title": {"old": "…", "new": "…"}}). The label keeps the object's name, so the
    history still reads well after the object is deleted.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        related_name="change_records",
    )
    wijkagenda = models.ForeignKey(
        Wijkagenda,
        verbose_name=_("wijkagenda"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_records",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    revision = models.PositiveIntegerField(_("revision"))
    changes = models.JSONField(_("changes"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["created", "changed", "deleted"]),
                name="agendas_changerecord_kind_known",
                violation_error_message=_("Unknown kind of change."),
            ),
        ]
        indexes = [
            # Used to show the other person's change when a stale save is refused.
            models.Index(
                fields=["content_type", "object_id", "-created_at"],
                name="agendas_change_object_idx",
            ),
            # Used by the changelog of a wijkagenda.
            models.Index(fields=["wijkagenda", "-created_at"], name="agendas_change_agenda_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_label} ({self.kind}, r{self.revision})"
