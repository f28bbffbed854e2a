"""What is planned, done and discussed: wijkagenda's, plans, actions, proposals and meetings."""

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
    Wijkraad,
    gebied_visibility,
    is_admin,
    team_ids_of,
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
        return self.annotate(item_count=models.Count("items", distinct=True))

    def drafts(self) -> WijkagendaQuerySet:
        return self.filter(status=Status.DRAFT)

    def for_gebiedsteams(self, ids: Iterable[int]) -> WijkagendaQuerySet:
        """The agendas of these gebiedsteams (by id)."""
        return self.filter(gebiedsteam_id__in=ids)

    def with_latest_version(self) -> WijkagendaQuerySet:
        """With the latest published version (or none) as `latest_versions`, in one query."""
        return self.prefetch_related(
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
        return reverse("agendas:wijkagenda-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

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


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def for_list(self) -> AgendaItemQuerySet:
        return self.select_related("theme", "lead_organisation").order_by(
            "theme__position", "position", "pk"
        )

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> AgendaItemQuerySet:
        return self.filter(wijkagenda=wijkagenda)


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
        return self.exclude(status__in=[Action.Status.DONE, Action.Status.STOPPED])

    def for_wijkagenda(self, wijkagenda: Wijkagenda) -> ActionQuerySet:
        return self.filter(plan__wijkagenda=wijkagenda)

    def with_result_updates(self) -> ActionQuerySet:
        """Prefetch the progress updates marked as a result, newest first, as `result_updates`."""
        return self.prefetch_related(
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

    def overdue(self) -> ActionQuerySet:
        """Open actions whose due date has passed (the same rule as Action.is_overdue)."""
        return self.open().filter(due_date__lt=timezone.localdate())

    def stalled(self, weeks: int) -> ActionQuerySet:
        """Open actions without a progress update for `weeks` weeks.

        An action that never had an update counts from its creation, so a new action is not
        stalled on its first day.
        """
        cutoff = timezone.now() - dt.timedelta(weeks=weeks)
        return self.open().filter(
            Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True, created_at__lt=cutoff)
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
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.status not in (self.Status.DONE, self.Status.STOPPED)
            and self.due_date < timezone.localdate()
        )


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
        unanswered_advice = Advice.objects.filter(
            submitted_at__isnull=False, responded_at__isnull=True
        ).values("proposal_id")
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
        return reverse("agendas:proposal-detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def period_has_closed(self) -> bool:
        return self.closes_at <= timezone.now()

    def open_for_comments(self, *, by: User | None) -> None:
        """Draft → open. The period must not be over already: nobody could comment."""
        if self.status != self.Status.DRAFT:
            raise TransitionRefused(_("Only a draft proposal can be opened for comments."))
        if self.period_has_closed:
            raise TransitionRefused(
                _("The comment period has already ended. Change the period first.")
            )
        self.status = self.Status.OPEN
        self.save(update_fields=["status", "updated_at"])

    def start_consideration(self, *, by: User | None, early: bool = False) -> None:
        """Open → under consideration, once the period has closed or, by choice, earlier.

        Closing early ends the comment period now, so that the page tells the truth.
        """
        if self.status != self.Status.OPEN:
            raise TransitionRefused(_("Only a proposal open for comments can be considered."))
        fields = ["status", "updated_at"]
        if not self.period_has_closed:
            if not early:
                raise TransitionRefused(
                    _("The comment period has not closed yet. Choose to close it early.")
                )
            now = timezone.now()
            if self.opens_at < now:
                self.closes_at = now
                fields.append("closes_at")
        self.status = self.Status.CONSIDERATION
        self.save(update_fields=fields)

    def decide(self, *, by: User | None, decision: str, input_feedback: str) -> None:
        """Under consideration (or open with its period over) → decided."""
        may_decide = self.status == self.Status.CONSIDERATION or (
            self.status == self.Status.OPEN and self.period_has_closed
        )
        if not may_decide:
            raise TransitionRefused(_("A proposal can be decided once its comment period is over."))
        if not decision.strip() or not input_feedback.strip():
            raise TransitionRefused(
                _("A decision needs its text and what was done with the input.")
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
        if self.status in (self.Status.DECIDED, self.Status.WITHDRAWN):
            raise TransitionRefused(_("A decided or withdrawn proposal cannot be withdrawn."))
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
            raise TransitionRefused(_("This advice has not been submitted yet."))
        if not response.strip():
            raise TransitionRefused(_("Write the response of the municipality."))
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
            raise TransitionRefused(_("This advice has already been submitted."))
        if self.deadline <= now:
            raise TransitionRefused(_("The deadline for this advice has passed."))
        claimed = Advice.objects.filter(pk=self.pk, submitted_at=None, deadline__gt=now).update(
            verdict=verdict, text=text, submitted_at=now, submitted_by=by, updated_at=now
        )
        if not claimed:
            raise TransitionRefused(_("This advice has already been submitted."))
        self.verdict, self.text, self.submitted_at, self.submitted_by = verdict, text, now, by
        self.updated_at = now


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: AnyUser) -> MeetingQuerySet:
        """Public meetings for all; closed ones for the team and admins."""
        return self.filter(gebied_visibility(user, public=Q(public=True)))

    def for_wijk(self, wijk: Wijk) -> MeetingQuerySet:
        return self.filter(wijken=wijk)

    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> MeetingQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def public(self) -> MeetingQuerySet:
        """Open to everyone (a closed meeting is for the team only)."""
        return self.filter(public=True)

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def for_list(self) -> MeetingQuerySet:
        return self.select_related("gebiedsteam").order_by("starts_at")


class Meeting(TimeStampedModel):
    """A bijeenkomst: innovatielab, wijkdialoog, academie, wijkraad meeting, inloop."""

    class Kind(models.TextChoices):
        INNOVATIELAB = "innovatielab", _("innovatielab")
        WIJKDIALOOG = "wijkdialoog", _("wijkdialoog")
        ACADEMIE = "academie", _("academie")
        WIJKRAAD = "wijkraad", _("wijkraad meeting")
        INLOOP = "inloop", _("drop-in")

    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    wijken = models.ManyToManyField(
        Wijk, verbose_name=_("wijken"), related_name="meetings", blank=True
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location_name = models.CharField(_("place"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals discussed"), related_name="meetings", blank=True
    )

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="agendas_meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            ),
            *LocationFields.constraints("agendas_meeting"),
        ]
        indexes = [
            # Used by the upcoming-meetings lists and the reminder sweep.
            models.Index(fields=["starts_at"], name="agendas_meeting_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title


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


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def unsent(self) -> ReminderQuerySet:
        return self.filter(sent_at=None)

    def to_queue(self, *, now: dt.datetime, retry_after: dt.timedelta) -> ReminderQuerySet:
        """Unsent reminders that nobody is working on: never queued, or queued or claimed so
        long ago (`retry_after`) that the message or the worker must have been lost."""
        stale = now - retry_after
        return self.unsent().filter(
            Q(queued_at=None) | Q(queued_at__lt=stale),
            Q(claimed_at=None) | Q(claimed_at__lt=stale),
        )

    def claimable(self, *, now: dt.datetime, retry_after: dt.timedelta) -> ReminderQuerySet:
        """Unsent and not claimed, or claimed by a worker that died (`retry_after` ago)."""
        return self.unsent().filter(Q(claimed_at=None) | Q(claimed_at__lt=now - retry_after))


class Reminder(TimeStampedModel):
    """One reminder e-mail: of one kind, about one subject, to one address, for one moment.

    The subject is generic (content type and id): the reminders are about five models, and
    one unique constraint over (kind, subject, address, due moment) then covers them all.
    Explicit nullable foreign keys would need a constraint per kind, because NULLs are
    distinct in a unique constraint. For the same reason the recipient in the constraint
    is the address (always set): an action's contact person may have no account, so the
    user is optional and only used for the in-app notification. Moving a due date gives a
    new due moment and so one new reminder. The claim and retry rules are in
    agendas.services.reminders.
    """

    class Kind(models.TextChoices):
        ACTION_DUE_SOON = "action_due_soon", _("action due within 7 days")
        ACTION_OVERDUE = "action_overdue", _("action overdue")
        ACTION_STALLED = "action_stalled", _("action without a progress update")
        PROPOSAL_CLOSING = "proposal_closing", _("comment period closes within 48 hours")
        ADVICE_DEADLINE = "advice_deadline", _("advice deadline within 5 days")
        PROPOSAL_UNDECIDED = "proposal_undecided", _("proposal without a decision")
        ADVICE_UNANSWERED = "advice_unanswered", _("advice without a response")
        AGENDA_REVIEW = "agenda_review", _("wijkagenda review date within 30 days")
        MEETING_SOON = "meeting_soon", _("meeting within 48 hours")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("subject id"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_email = models.EmailField(_("recipient e-mail"))
    due_moment = models.DateTimeField(_("due moment"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient_email", "due_moment"],
                name="agendas_reminder_once",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "action_due_soon",
                        "action_overdue",
                        "action_stalled",
                        "proposal_closing",
                        "advice_deadline",
                        "proposal_undecided",
                        "advice_unanswered",
                        "agenda_review",
                        "meeting_soon",
                    ]
                ),
                name="agendas_reminder_kind_known",
                violation_error_message=_("Unknown kind of reminder."),
            ),
        ]
        indexes = [
            # Used by the sweeps (ReminderQuerySet.to_queue): the unsent reminders of a kind.
            models.Index(
                fields=["kind", "queued_at"],
                condition=Q(sent_at__isnull=True),
                name="agendas_reminder_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id} → {self.recipient_email}"


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: AnyUser) -> ReportQuerySet:
        """Admins see every report; team members the reports of their own gebied.

        City-wide reports (no gebiedsteam) are for admins only: they speak for the whole
        Stedelijke Alliantie.
        """
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(gebiedsteam_id__in=team_ids_of(user))


class Report(TimeStampedModel):
    """A progress report over one period, for one gebied or the whole city; built by a task."""

    class Period(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        YEAR = "year", _("year")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Empty for a city-wide report."),
    )
    period = models.CharField(_("period"), max_length=8, choices=Period)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the monthly reports that are made automatically."),
    )
    data = models.JSONField(_("figures"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="agendas_report_progress_percentage",
                violation_error_message=_("Progress lies between 0 and 100%."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="agendas_report_period_in_order",
                violation_error_message=_("The last day lies before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(period__in=["month", "quarter", "year"]),
                name="agendas_report_period_known",
                violation_error_message=_("Unknown period."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="agendas_report_status_known",
                violation_error_message=_("Unknown status."),
            ),
            # The monthly beat job may run twice (a restarted beat, a retry): one automatic
            # report per gebied and period.
            models.UniqueConstraint(
                fields=["gebiedsteam", "period", "start"],
                condition=Q(requested_by__isnull=True, gebiedsteam__isnull=False),
                name="agendas_report_automatic_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start:%Y-%m-%d} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("agendas:report-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
