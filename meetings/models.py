"""Meetings: wijkdialogen, innovatielabs, wijkraad meetings and inloop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agendas.models.revisions import Revisioned
from areas.models import (
    Gebiedsteam,
    LocationFields,
    Wijk,
    gebied_visibility,
)
from participation.models import Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: AnyUser) -> MeetingQuerySet:
        """Public meetings for all; closed ones for the team and admins."""
        return self.filter(gebied_visibility(user, public=Q(public=True)))

    def for_wijk(self, wijk: Wijk) -> MeetingQuerySet:
        return self.filter(wijken=wijk)

    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> MeetingQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def for_any_wijk(self, wijken: Iterable[Wijk]) -> MeetingQuerySet:
        """The meetings of any of these wijken (a wijkraad's), each once."""
        return self.filter(
            pk__in=Meeting.wijken.through.objects.filter(wijk__in=list(wijken)).values("meeting")
        )

    def ended(self) -> MeetingQuerySet:
        """Meetings that are over, the most recent first."""
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def public(self) -> MeetingQuerySet:
        """Open to everyone (a closed meeting is for the team only)."""
        return self.filter(public=True)

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def for_list(self) -> MeetingQuerySet:
        return self.select_related("gebiedsteam").order_by("starts_at")

    def for_detail(self) -> MeetingQuerySet:
        """With the gebiedsteam (without its large outline)."""
        return self.select_related("gebiedsteam").defer("gebiedsteam__outline")

    def for_archive(self) -> MeetingQuerySet:
        """The list of all meetings of a wijk or gebied: those still to come first, soonest
        first; then those that have ended, newest first. One query per page, whatever the
        number of meetings (the gebiedsteam is joined, without its outline)."""
        now = timezone.now()
        return (
            self.select_related("gebiedsteam")
            .defer("gebiedsteam__outline", "description", "minutes")
            .order_by(
                Case(When(ends_at__gte=now, then=0), default=1),
                Case(When(ends_at__gte=now, then=F("starts_at"))).asc(nulls_last=True),
                F("starts_at").desc(),
                "-pk",
            )
        )

    def for_feed(self, *, recent_days: int, limit: int) -> MeetingQuerySet:
        """The public meetings of a calendar feed: every one still to come and those of the
        last `recent_days` days, at most `limit`, soonest first. Never a closed meeting, whoever
        asks: a feed is a public address that calendars fetch without signing in."""
        since = timezone.now() - dt.timedelta(days=recent_days)
        return (
            self.public()
            .filter(ends_at__gte=since)
            .select_related("gebiedsteam")
            .defer("gebiedsteam__outline")
            .order_by("starts_at", "pk")[:limit]
        )


class Meeting(Revisioned):
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

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()
