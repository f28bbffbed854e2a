"""The admin of meetings."""

from __future__ import annotations

from django.contrib import admin

from areas.admin import LocationAdminMixin
from meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "gebiedsteam", "starts_at", "ends_at", "public")
    list_filter = ("kind", "public", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("title", "description", "location_name", "address")
    autocomplete_fields = ("gebiedsteam", "wijken", "proposals")
    date_hierarchy = "starts_at"
    fields = (
        "gebiedsteam",
        "wijken",
        "kind",
        "title",
        "description",
        ("starts_at", "ends_at"),
        "location_name",
        "address",
        "longitude",
        "latitude",
        "public",
        "minutes",
        "proposals",
    )
