"""Wijkagendas and their published versions, themes, visions and agenda items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from agendas.models.revisions import Revisioned
from areas.models import (
    Gebiedsteam,
    Wijk,
    gebied_visibility,
)
from pacts.models import PartnerOrganisation

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

    def with_team(self) -> WijkagendaQuerySet:
        """With the team (without its outline), for a page that reads the wijken where it
        shows them."""
        return self.select_related("gebiedsteam").defer("gebiedsteam__outline")

    def for_overview(self) -> WijkagendaQuerySet:
        """With the team and the wijken (without their boundaries), for lists and page headers."""
        return (
            self.select_related("gebiedsteam")
            .defer("gebiedsteam__outline")
            .prefetch_related(models.Prefetch("wijken", queryset=Wijk.objects.for_list()))
        )


class Wijkagenda(Revisioned):
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
        version = WijkagendaVersion.objects.create(
            wijkagenda=self,
            number=self.version,
            published_by=by,
            change_summary=change_summary,
            snapshot=self.snapshot(),
        )
        # What the search reads of it (agendas.models.published, which imports this module).
        apps.get_model("agendas", "PublishedText").objects.replace(self.pk, version.snapshot)
        return version

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


class Vision(Revisioned):
    """The integral long-term vision (5–10 years) of a gebied."""

    gebiedsteam = models.ForeignKey(
        Gebiedsteam, verbose_name=_("gebiedsteam"), on_delete=models.CASCADE, related_name="visions"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    horizon_year = models.PositiveSmallIntegerField(_("looks ahead to"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)

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

    def by_agenda(self, agendas: Iterable[Wijkagenda]) -> dict[int, list[AgendaItem]]:
        """The items of these agendas (as `for_list` loads them), by agenda id: one query,
        none without agendas."""
        ids = [agenda.pk for agenda in agendas]
        found: dict[int, list[AgendaItem]] = {pk: [] for pk in ids}
        if ids:
            for item in self.filter(wijkagenda_id__in=ids).for_list():
                found[item.wijkagenda_id].append(item)
        return found


class AgendaItem(Revisioned):
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
