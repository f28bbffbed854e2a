"""The admin of reminders and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from followup.models import Reminder, Report


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Reminders are recorded and sent by the sweeps (followup.services.reminders); read only."""

    list_display = ("kind", "recipient_email", "due_moment", "queued_at", "sent_at", "attempts")
    list_filter = ("kind",)
    list_select_related = ("content_type",)
    search_fields = ("recipient_email",)
    fields = (
        "kind",
        "content_type",
        "object_id",
        "recipient",
        "recipient_email",
        "due_moment",
        "queued_at",
        "claimed_at",
        "sent_at",
        "attempts",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are requested on the site and built by a task (followup.services.reports)."""

    list_display = ("__str__", "gebiedsteam", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "period")
    list_select_related = ("gebiedsteam",)
    fields = (
        "gebiedsteam",
        "period",
        "start",
        "end",
        "status",
        "progress",
        "requested_by",
        "data",
        "finished_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
