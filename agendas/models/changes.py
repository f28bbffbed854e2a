"""The record of every change to the agenda content, for the history and the stale-edit check."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from agendas.models.wijkagendas import Wijkagenda
from areas.models import (
    Gebiedsteam,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


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
