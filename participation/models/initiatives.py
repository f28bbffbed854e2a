"""Residents' initiatives (bewonersinitiatieven) for a wijk, and the team's answer to them.

A resident (or anyone with an account) submits an initiative for a wijk; the core team of
the wijk's gebiedsteam answers it: received → in conversation → supported (linked to agenda
items and actions of the gebied, and to a partner organisation that helps) or not supported
(with a reason). Every step is kept, with who took it and when (`InitiativeStep`).

What is public: an initiative is public from the moment the team takes it up, that is when
it moves to "in conversation" or straight to "supported" (`published_at`). Until then, and
for good when it is turned down straight away (spam, personal data, a wrong address), only
the submitter, the gebied's core team and the functional administrator see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Follow, TimeStampedModel
from agendas.models import Action, AgendaItem
from areas.models import CORE_ROLES, Gebiedsteam, LocationFields, Wijk, is_admin, team_ids_of
from pacts.models import PartnerOrganisation
from participation.models.proposals import TransitionRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models.deletion import Collector

    from accounts.models import User

    AnyUser = User | AnonymousUser


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def published(self) -> InitiativeQuerySet:
        return self.filter(published_at__isnull=False)

    def visible_to(self, user: AnyUser) -> InitiativeQuerySet:
        """Published initiatives for all; unpublished ones for their submitter and the core
        team of their gebied (and the functional administrator)."""
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.published()
        return self.filter(
            Q(published_at__isnull=False)
            | Q(submitted_by_id=user.pk)
            | Q(gebiedsteam_id__in=team_ids_of(user, roles=CORE_ROLES))
        )

    def for_wijk(self, wijk: Wijk) -> InitiativeQuerySet:
        return self.filter(wijk=wijk)

    def for_gebiedsteams(self, ids: Iterable[int]) -> InitiativeQuerySet:
        return self.filter(gebiedsteam_id__in=ids)

    def awaiting_answer(self) -> InitiativeQuerySet:
        """Received and not yet taken up or turned down by the team."""
        return self.filter(status=Initiative.Status.RECEIVED)

    def for_list(self) -> InitiativeQuerySet:
        """With the wijk's name and slug (not its boundaries), newest first."""
        return (
            self.select_related("wijk")
            .only(
                "pk",
                "title",
                "status",
                "group_name",
                "created_at",
                "published_at",
                "longitude",
                "latitude",
                "wijk__name",
                "wijk__slug",
            )
            .order_by("-created_at", "-pk")
        )


def forget_unpublished(
    collector: Collector, field: models.Field[Any, Any], sub_objs: Any, using: str
) -> None:
    """What happens to the initiatives of a deleted account (`submitted_by`'s on_delete).

    One that never became public (still waiting, or turned down before the team took it up)
    is deleted, with the follows of it: only the submitter and the team ever saw it, nobody
    can hear back about it any more, and it holds what the resident wrote. A published one
    stays without a name (the submitter is set to null). Notifications about a deleted one
    stay too: their subject is gone, so they are listed and mailed to nobody
    (accounts.visibility).
    """
    unpublished = list(sub_objs.filter(published_at__isnull=True).values_list("pk", flat=True))
    models.SET_NULL(collector, field, sub_objs.exclude(pk__in=unpublished), using)
    if not unpublished:
        return
    models.CASCADE(collector, field, sub_objs.filter(pk__in=unpublished), using)
    follows = Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_id__in=unpublished
    )
    collector.collect(list(follows))


class Initiative(TimeStampedModel):
    """An initiative of residents for a wijk, and where the team's answer stands."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        CONVERSATION = "conversation", _("in conversation")
        SUPPORTED = "supported", _("supported")
        NOT_SUPPORTED = "not_supported", _("not supported")

    # The steps the team may take from each status; supported and not supported are final.
    NEXT = {
        Status.RECEIVED: (Status.CONVERSATION, Status.SUPPORTED, Status.NOT_SUPPORTED),
        Status.CONVERSATION: (Status.SUPPORTED, Status.NOT_SUPPORTED),
        Status.SUPPORTED: (),
        Status.NOT_SUPPORTED: (),
    }
    # The help an initiative may ask for: the field of each kind, with its label.
    HELP_KINDS = (
        ("help_space", _("a space")),
        ("help_money", _("money")),
        ("help_contacts", _("contacts")),
        ("help_permits", _("permits")),
        ("help_other", _("something else")),
    )

    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="initiatives"
    )
    # The wijk's gebiedsteam when it was submitted: the team that answers it.
    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what"), help_text=_("Markdown."))
    group_name = models.CharField(_("on behalf of"), max_length=150, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    # A point or an area, not both: with an area the point is the area's label point, set by
    # the form, so that the initiative shows as a marker on the maps of points.
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_("Optional. The area the initiative is about: a GeoJSON Polygon in WGS84."),
    )
    help_space = models.BooleanField(_("asks for a space"), default=False)
    help_money = models.BooleanField(_("asks for money"), default=False)
    help_contacts = models.BooleanField(_("asks for contacts"), default=False)
    help_permits = models.BooleanField(_("asks for permits"), default=False)
    help_other = models.BooleanField(_("asks for something else"), default=False)
    help_other_text = models.CharField(_("other help"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("public since"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=forget_unpublished,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    agenda_items = models.ManyToManyField(
        AgendaItem, verbose_name=_("agenda items"), related_name="initiatives", blank=True
    )
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions"), related_name="initiatives", blank=True
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner that helps"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "conversation", "supported", "not_supported"]),
                name="participation_initiative_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_supported") | ~Q(reason=""),
                name="participation_initiative_refusal_has_reason",
                violation_error_message=_("An initiative that is not supported needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="supported") | Q(published_at__isnull=False),
                name="participation_initiative_supported_is_public",
                violation_error_message=_("A supported initiative is public."),
            ),
            *LocationFields.constraints("participation_initiative"),
        ]
        indexes = [
            # Used by the wijk's list of initiatives and the wijk page: the newest of a wijk.
            models.Index(fields=["wijk", "created_at"], name="participation_init_wijk_idx"),
            # Used by the reminder sweep and the werkplek: the initiatives waiting for an
            # answer, oldest first.
            models.Index(fields=["status", "created_at"], name="participation_init_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:initiative-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_final(self) -> bool:
        return not self.NEXT[self.Status(self.status)]

    @property
    def next_statuses(self) -> tuple[Initiative.Status, ...]:
        return self.NEXT[self.Status(self.status)]

    @property
    def help_asked(self) -> list[str]:
        """The help asked for, as words (the other help in its own words)."""
        asked = []
        for field, label in self.HELP_KINDS:
            if getattr(self, field):
                if field == "help_other" and self.help_other_text:
                    asked.append(self.help_other_text)
                else:
                    asked.append(str(label))
        return asked

    def move_to(self, status: str, *, reason: str = "") -> list[str]:
        """Take the next step; returns the fields changed (for `save(update_fields=...)`).

        Taking the initiative up (in conversation, or supported) makes it public; turning it
        down needs a reason and leaves an unpublished initiative unpublished.
        """
        if status not in self.next_statuses:
            raise TransitionRefused(
                gettext("An initiative that is %(current)s cannot become %(next)s.")
                % {
                    "current": self.Status(self.status).label,
                    "next": self.Status(status).label if status in self.Status else status,
                }
            )
        if status == self.Status.NOT_SUPPORTED and not reason.strip():
            raise TransitionRefused(gettext("Say why the initiative is not supported."))
        self.status = status
        fields = ["status", "updated_at"]
        if status == self.Status.NOT_SUPPORTED:
            self.reason = reason.strip()
            fields.append("reason")
        elif self.published_at is None:
            self.published_at = timezone.now()
            fields.append("published_at")
        self.save(update_fields=fields)
        return fields


class InitiativeStep(models.Model):
    """One step of an initiative's history: submitted, or moved to a status by the team."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(_("status"), max_length=16, choices=Initiative.Status)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("step of an initiative")
        verbose_name_plural = _("steps of initiatives")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.status}"
