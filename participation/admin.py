"""The admin of proposals, comments, advice, outcomes, moderation and residents' initiatives."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from areas.admin import LocationAdminMixin
from participation.models import (
    Advice,
    Comment,
    CommentReport,
    Initiative,
    InitiativeStep,
    InputOutcome,
    ModerationLog,
    Proposal,
)


class AdviceInline(admin.StackedInline):
    model = Advice
    fields = (
        "wijkraad",
        "deadline",
        "verdict",
        "text",
        "submitted_at",
        "submitted_by",
        "response",
        "responded_at",
        "responded_by",
    )
    autocomplete_fields = ("wijkraad", "submitted_by", "responded_by")
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "gebiedsteam", "status", "council_only", "opens_at", "closes_at")
    list_filter = ("status", "council_only", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("title", "slug", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("gebiedsteam", "wijken", "agenda_items", "author", "actions")
    date_hierarchy = "opens_at"
    fields = (
        "gebiedsteam",
        "wijken",
        "agenda_items",
        "title",
        "slug",
        "body",
        "longitude",
        "latitude",
        ("opens_at", "closes_at"),
        "status",
        "council_only",
        "decision",
        "input_feedback",
        "decided_at",
        "actions",
        "author",
    )
    inlines = (AdviceInline,)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "proposal", "author", "is_team_response", "moderation", "created_at")
    list_filter = ("moderation", "is_team_response")
    list_select_related = ("proposal", "author")
    search_fields = ("body", "author__email", "proposal__title")
    autocomplete_fields = ("proposal", "parent", "author")
    fields = (
        "proposal",
        "parent",
        "author",
        "body",
        "is_team_response",
        "moderation",
        "moderation_reason",
        "edited_at",
    )


@admin.register(Advice)
class AdviceAdmin(admin.ModelAdmin):
    list_display = ("proposal", "wijkraad", "deadline", "verdict", "submitted_at", "responded_at")
    list_filter = ("verdict", "wijkraad")
    list_select_related = ("proposal", "wijkraad")
    search_fields = ("proposal__title", "wijkraad__name", "text")
    autocomplete_fields = ("proposal", "wijkraad", "submitted_by", "responded_by")
    fields = ("proposal", *AdviceInline.fields)


@admin.register(InputOutcome)
class InputOutcomeAdmin(admin.ModelAdmin):
    list_display = ("proposal", "outcome", "comment", "advice")
    list_filter = ("outcome",)
    list_select_related = ("proposal", "comment", "advice")
    autocomplete_fields = ("proposal",)
    raw_id_fields = ("comment", "advice")
    fields = ("proposal", "comment", "advice", "outcome", "reason")


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ("comment", "reporter", "status", "created_at", "handled_by")
    list_filter = ("status",)
    list_select_related = ("comment", "reporter", "handled_by")
    raw_id_fields = ("comment",)
    fields = ("comment", "reporter", "reason", "status", "handled_by", "handled_at")
    readonly_fields = ("reporter", "handled_by", "handled_at")


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    """Moderation acts are logged by the moderation service; here they are only read."""

    list_display = ("comment", "act", "moderator", "created_at")
    list_filter = ("act",)
    list_select_related = ("comment", "moderator")
    fields = ("comment", "report", "moderator", "act", "reason", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InitiativeStepInline(admin.TabularInline):
    """The history of an initiative: written by the service, only read here."""

    model = InitiativeStep
    fields = ("status", "note", "by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "wijk", "gebiedsteam", "status", "published_at", "created_at")
    list_filter = ("status", "gebiedsteam")
    list_select_related = ("wijk", "gebiedsteam")
    search_fields = ("title", "body", "group_name")
    autocomplete_fields = ("wijk", "gebiedsteam", "submitted_by", "agenda_items", "actions")
    date_hierarchy = "created_at"
    fields = (
        "wijk",
        "gebiedsteam",
        "title",
        "body",
        "group_name",
        "longitude",
        "latitude",
        ("help_space", "help_money", "help_contacts", "help_permits", "help_other"),
        "help_other_text",
        "status",
        "reason",
        "published_at",
        "submitted_by",
        "agenda_items",
        "actions",
        "partner",
    )
    inlines = (InitiativeStepInline,)

    def get_queryset(self, request: HttpRequest) -> Any:
        # The wijk's boundaries are large and the changelist shows only its name.
        return super().get_queryset(request).defer("wijk__geometry", "wijk__geometry_simplified")


@admin.register(InitiativeStep)
class InitiativeStepAdmin(admin.ModelAdmin):
    """The steps are recorded by the initiatives service; here they are only read."""

    list_display = ("initiative", "status", "by", "created_at")
    list_filter = ("status",)
    list_select_related = ("initiative", "by")
    fields = ("initiative", "status", "note", "by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
