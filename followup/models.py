"""The follow-up work: reminders that are due, and progress reports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from areas.models import (
    Gebiedsteam,
    is_admin,
    team_ids_of,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


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
    followup.services.reminders.
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
        INITIATIVE_WAITING = "initiative_waiting", _("initiative waiting for an answer")

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
                        "initiative_waiting",
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

    def city_wide(self) -> ReportQuerySet:
        """Reports of the whole city, not of one gebied."""
        return self.filter(gebiedsteam=None)


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
        return reverse("followup:report-detail", kwargs={"pk": self.pk})

    @property
    def is_done(self) -> bool:
        """Built: the figures are there to download."""
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_finished(self) -> bool:
        return self.is_done or self.is_failed
