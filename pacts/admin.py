"""Admin for partner organisations and their staff, pacts, alliances and collaborations."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from pacts.models import (
    Alliance,
    Collaboration,
    OrganisationMembership,
    Pact,
    PactCommitment,
    PartnerOrganisation,
)


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    fields = ("user", "job_title", "is_staff_administrator")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("name", "slug", "kind", "website", "description")
    inlines = (OrganisationMembershipInline,)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "job_title", "is_staff_administrator")
    list_filter = ("is_staff_administrator", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    fields = ("user", "organisation", "job_title", "is_staff_administrator")


class PactCommitmentInline(admin.StackedInline):
    model = PactCommitment
    fields = ("organisation", "text", "signed_by", "signed_on")
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(Pact)
class PactAdmin(admin.ModelAdmin):
    list_display = ("name", "gebiedsteam", "status", "period_start", "period_end")
    list_filter = ("status", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("name", "slug", "approach")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("gebiedsteam", "wijken")
    fields = (
        "name",
        "slug",
        "gebiedsteam",
        "wijken",
        "approach",
        ("period_start", "period_end"),
        "status",
        "summary",
        "text",
    )
    inlines = (PactCommitmentInline,)


@admin.register(PactCommitment)
class PactCommitmentAdmin(admin.ModelAdmin):
    list_display = ("organisation", "pact", "signed_by", "signed_on")
    list_filter = ("pact", "organisation")
    list_select_related = ("pact", "organisation")
    search_fields = ("pact__name", "organisation__name", "text")
    autocomplete_fields = ("pact", "organisation")
    fields = ("pact", "organisation", "text", "signed_by", "signed_on")


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "parent")
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "members", "focus_gebiedsteams", "focus_wijken")
    fields = (
        "name",
        "slug",
        "parent",
        "description",
        "members",
        "focus_gebiedsteams",
        "focus_wijken",
    )


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "gebiedsteam", "rhythm")
    list_filter = ("kind", "gebiedsteam")
    list_select_related = ("gebiedsteam",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("gebiedsteam", "wijken", "organisations")
    fields = (
        "name",
        "slug",
        "kind",
        "gebiedsteam",
        "wijken",
        "organisations",
        "description",
        "rhythm",
    )
