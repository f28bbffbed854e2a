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
from participation.models import Initiative, Proposal

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
    # Residents' initiatives of the gebied discussed at the meeting (MeetingForm says which
    # the team may link). Each page shows only the other side the reader may see.
    initiatives = models.ManyToManyField(
        Initiative,
        verbose_name=_("initiatives discussed"),
        related_name="meetings",
        blank=True,
    )
    sign_up = models.BooleanField(
        _("sign-up"),
        default=False,
        help_text=_("Visitors sign up on the meeting's page (public meetings only)."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. When all places are taken, people can join the waiting list; whoever "
            "signs off makes room for the first on it."
        ),
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
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meetings_meeting_capacity_positive",
                violation_error_message=_("A meeting with places has at least one."),
            ),
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

    def takes_sign_ups(self, now: dt.datetime | None = None) -> bool:
        """Open for signing up: asked for, public, and not yet begun."""
        return self.sign_up and self.public and self.starts_at > (now or timezone.now())


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def with_place(self) -> RegistrationQuerySet:
        return self.filter(waiting=False)

    def waiting_list(self) -> RegistrationQuerySet:
        """Those waiting for a place, first come first."""
        return self.filter(waiting=True).order_by("created_at", "pk")


class Registration(models.Model):
    """Someone's sign-up for a meeting: with a place, or on its waiting list.

    Deleted with the account (nothing of it is kept), and with the meeting.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    waiting = models.BooleanField(_("on the waiting list"), default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="meetings_registration_once",
                violation_error_message=_("You have already signed up for this meeting."),
            )
        ]
        indexes = [
            models.Index(
                fields=["meeting", "waiting", "created_at"], name="meetings_registration_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}"
