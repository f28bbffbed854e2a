"""Admin for agendas, visions, plans, actions, proposals, comments, advice and meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from agendas.models import (
    Action,
    AgendaItem,
    ChangeRecord,
    Plan,
    ProgressUpdate,
    PublishedText,
    Theme,
    Vision,
    Wijkagenda,
    WijkagendaVersion,
)
from areas.admin import LocationAdminMixin


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "colour", "position")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ("theme", "kind", "title", "lead_organisation", "position")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related("theme")


class PlanInline(admin.TabularInline):
    model = Plan
    fields = ("title", "period_start", "period_end")
    extra = 0
    show_change_link = True


@admin.register(Wijkagenda)
class WijkagendaAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "gebiedsteam",
        "status",
        "period_start",
        "period_end",
        "version",
        "review_date",
    )
    list_filter = ("status", "kind", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("gebiedsteam", "wijken")
    readonly_fields = ("version",)
    fields = (
        "title",
        "slug",
        "kind",
        "gebiedsteam",
        "wijken",
        ("period_start", "period_end"),
        "summary",
        "status",
        "published_at",
        "review_date",
        "version",
    )
    inlines = (AgendaItemInline, PlanInline)


@admin.register(WijkagendaVersion)
class WijkagendaVersionAdmin(admin.ModelAdmin):
    """The changelog is written by `Wijkagenda.publish`; here it is only read."""

    list_display = ("wijkagenda", "number", "published_by", "created_at")
    list_select_related = ("wijkagenda", "published_by")
    search_fields = ("wijkagenda__title", "change_summary")
    fields = ("wijkagenda", "number", "published_by", "change_summary", "snapshot", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PublishedText)
class PublishedTextAdmin(admin.ModelAdmin):
    """What the search reads of each published agenda: written by `Wijkagenda.publish`, read
    here only."""

    list_display = ("title", "kind", "wijkagenda", "theme")
    list_filter = ("kind",)
    list_select_related = ("wijkagenda",)
    search_fields = ("title", "wijkagenda__title")
    fields = ("wijkagenda", "kind", "item_id", "theme", "title", "description")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """The edit history is written by agendas.history; here it is only read."""

    list_display = ("object_label", "kind", "revision", "wijkagenda", "author", "created_at")
    list_filter = ("kind", "gebiedsteam")
    list_select_related = ("wijkagenda", "author")
    search_fields = ("object_label",)
    fields = (
        "gebiedsteam",
        "wijkagenda",
        "content_type",
        "object_id",
        "object_label",
        "kind",
        "revision",
        "changes",
        "author",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ("title", "gebiedsteam", "horizon_year", "status")
    list_filter = ("status", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("title", "body")
    autocomplete_fields = ("gebiedsteam",)
    fields = ("gebiedsteam", "title", "body", "horizon_year", "status")


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "wijkagenda", "theme", "kind", "lead_organisation", "position")
    list_filter = ("kind", "theme", "wijkagenda__gebiedsteam")
    list_select_related = ("wijkagenda", "theme", "lead_organisation")
    search_fields = ("title", "description", "wijkagenda__title")
    autocomplete_fields = ("wijkagenda", "theme", "lead_organisation")
    fields = (
        "wijkagenda",
        "theme",
        "kind",
        "title",
        "description",
        "lead_organisation",
        "position",
    )


class ActionInline(admin.TabularInline):
    model = Action
    fields = ("title", "agenda_item", "owner_organisation", "status", "progress", "due_date")
    autocomplete_fields = ("agenda_item", "owner_organisation")
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "wijkagenda", "period_start", "period_end")
    list_filter = ("wijkagenda__gebiedsteam",)
    list_select_related = ("wijkagenda",)
    search_fields = ("title", "description", "wijkagenda__title")
    autocomplete_fields = ("wijkagenda",)
    fields = ("wijkagenda", "title", "description", ("period_start", "period_end"))
    inlines = (ActionInline,)


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    fields = ("text", "status", "progress", "is_result", "author")
    autocomplete_fields = ("author",)
    extra = 0


@admin.register(Action)
class ActionAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "plan",
        "owner_organisation",
        "status",
        "progress",
        "due_date",
        "last_progress_at",
    )
    list_filter = ("status", "owner_organisation", "plan__wijkagenda__gebiedsteam")
    list_select_related = ("plan", "owner_organisation")
    search_fields = ("title", "description", "contact_name")
    autocomplete_fields = ("plan", "agenda_item", "pact_commitment", "owner_organisation")
    readonly_fields = ("last_progress_at",)
    fields = (
        "plan",
        "agenda_item",
        "pact_commitment",
        "title",
        "description",
        "owner_organisation",
        ("contact_name", "contact_email"),
        ("status", "progress"),
        ("start_date", "due_date"),
        "budget",
        "result",
        "longitude",
        "latitude",
        "last_progress_at",
    )
    inlines = (ProgressUpdateInline,)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ("action", "status", "progress", "is_result", "author", "created_at")
    list_filter = ("status", "is_result")
    list_select_related = ("action", "author")
    search_fields = ("text", "action__title")
    autocomplete_fields = ("action", "author")
    fields = ("action", "text", "status", "progress", "is_result", "author")
