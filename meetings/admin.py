"""The admin of meetings."""

from __future__ import annotations

from django.contrib import admin

from areas.admin import LocationAdminMixin
from meetings.models import Meeting, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ("user", "waiting", "created_at")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "gebiedsteam", "starts_at", "ends_at", "public")
    list_filter = ("kind", "public", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("title", "description", "location_name", "address")
    autocomplete_fields = ("gebiedsteam", "wijken", "proposals", "initiatives")
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
        ("sign_up", "capacity"),
        "minutes",
        "proposals",
        "initiatives",
    )
    inlines = (RegistrationInline,)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Sign-ups, to look someone up; the portal's pages are where people sign up and off."""

    list_display = ("meeting", "user", "waiting", "created_at")
    list_filter = ("waiting",)
    list_select_related = ("meeting", "user")
    search_fields = ("meeting__title", "user__email", "user__full_name")
    autocomplete_fields = ("meeting", "user")
