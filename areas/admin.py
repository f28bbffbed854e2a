"""Admin for the territory and the teams: boundaries are drawn on a map, without GDAL."""

from __future__ import annotations

import importlib
import logging
from typing import Any, cast

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from areas.forms import BuurtAdminForm, WijkAdminForm
from areas.models import (
    Buurt,
    CouncilMembership,
    Gebiedsteam,
    GebiedsteamQuerySet,
    Residence,
    Stadsdeel,
    TeamMembership,
    Werkplek,
    Wijk,
    Wijkraad,
)
from areas.widgets import LocationWidget

logger = logging.getLogger(__name__)

# The derived boundary columns: shown, never edited (the form keeps them in step).
DERIVED_GEOMETRY_FIELDS = ("geometry_source", "boundary_year", "bounding_box")


class LocationAdminMixin:
    """Admin for a located model: a map on the latitude input fills in both coordinates."""

    def formfield_for_dbfield(self, db_field: models.Field[Any, Any], request: Any, **kwargs: Any):
        if db_field.name == "latitude":
            kwargs["widget"] = LocationWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class AreaAdminMixin:
    """Shared by the wijk and buurt admins: big geometry columns stay out of the changelist."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        match = request.resolver_match
        if match is not None and match.url_name and match.url_name.endswith("_changelist"):
            return queryset.defer("geometry", "geometry_simplified")
        return queryset.defer("geometry_simplified")

    @admin.display(description=_("bounding box"))
    def bounding_box(self, area: Wijk | Buurt) -> str:
        if area.min_lon is None:
            return "—"
        return f"{area.min_lon:.5f}, {area.min_lat:.5f} – {area.max_lon:.5f}, {area.max_lat:.5f}"


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Gebiedsteam)
class GebiedsteamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "focus", "wijk_count", "position")
    list_editable = ("position",)
    list_filter = ("focus",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        "name",
        "slug",
        "colour",
        "description",
        "contact_email",
        "contact_phone",
        "focus",
        "position",
    )
    inlines = (TeamMembershipInline,)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        # ModelAdmin types its queryset as a plain QuerySet; the default manager's is ours.
        queryset = cast(GebiedsteamQuerySet, super().get_queryset(request))
        return queryset.defer("outline").with_wijk_counts()

    @admin.display(description=_("wijken"), ordering="wijk_count")
    def wijk_count(self, team: Gebiedsteam) -> int:
        return team.wijk_count


@admin.register(Stadsdeel)
class StadsdeelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug")


class BuurtInline(admin.TabularInline):
    """The buurten of a wijk, as a read-only list; a buurt is edited on its own page."""

    model = Buurt
    fields = ("code", "name", "geometry_source", "boundary_year")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).defer("geometry", "geometry_simplified")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Wijk)
class WijkAdmin(AreaAdminMixin, admin.ModelAdmin):
    form = WijkAdminForm
    list_display = (
        "code",
        "name",
        "kind",
        "gebiedsteam",
        "stadsdeel",
        "inhabitants",
        "geometry_source",
        "boundary_year",
    )
    list_filter = ("kind", "gebiedsteam", "stadsdeel", "geometry_source")
    list_select_related = ("gebiedsteam", "stadsdeel")
    search_fields = ("code", "name")
    autocomplete_fields = ("gebiedsteam", "stadsdeel")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = DERIVED_GEOMETRY_FIELDS
    fieldsets = (
        (None, {"fields": ("code", "name", "slug", "kind", "gebiedsteam", "stadsdeel")}),
        (
            _("Key figures"),
            {
                "fields": (
                    "inhabitants",
                    "dwellings",
                    "area_land_ha",
                    "population_density",
                    "figures_year",
                )
            },
        ),
        (
            _("Boundary"),
            {"fields": ("geometry", ("label_lon", "label_lat"), *DERIVED_GEOMETRY_FIELDS)},
        ),
    )
    inlines = (BuurtInline,)

    def save_model(self, request: HttpRequest, obj: Wijk, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if {"geometry", "gebiedsteam"} & set(form.changed_data):
            refresh_outlines()

    def delete_model(self, request: HttpRequest, obj: Wijk) -> None:
        super().delete_model(request, obj)
        refresh_outlines()


def refresh_outlines() -> None:
    """Recompute the gebied outlines after a wijk's boundary or team changed.

    `areas.services.refresh_outlines` is written alongside this admin; until it exists the
    outlines are left as they are (the import command refreshes them too).
    """
    try:
        services = importlib.import_module("areas.services")
    except ModuleNotFoundError as exc:
        if exc.name != "areas.services":
            raise
        logger.info("areas.services is missing: gebied outlines not refreshed.")
        return
    refresh = getattr(services, "refresh_outlines", None)
    if refresh is None:
        logger.info("areas.services.refresh_outlines is missing: gebied outlines not refreshed.")
        return
    refresh()


@admin.register(Buurt)
class BuurtAdmin(AreaAdminMixin, admin.ModelAdmin):
    form = BuurtAdminForm
    list_display = ("code", "name", "wijk", "geometry_source", "boundary_year")
    list_filter = ("geometry_source", "wijk__gebiedsteam")
    list_select_related = ("wijk",)
    search_fields = ("code", "name", "wijk__name")
    autocomplete_fields = ("wijk",)
    readonly_fields = DERIVED_GEOMETRY_FIELDS
    fieldsets = (
        (None, {"fields": ("code", "name", "wijk")}),
        (
            _("Boundary"),
            {"fields": ("geometry", ("label_lon", "label_lat"), *DERIVED_GEOMETRY_FIELDS)},
        ),
    )


@admin.register(Werkplek)
class WerkplekAdmin(LocationAdminMixin, admin.ModelAdmin):
    list_display = ("name", "gebiedsteam", "wijk", "address")
    list_filter = ("gebiedsteam",)
    list_select_related = ("gebiedsteam", "wijk")
    search_fields = ("name", "address")
    autocomplete_fields = ("gebiedsteam", "wijk")
    fields = ("gebiedsteam", "wijk", "name", "address", "opening_hours", "longitude", "latitude")


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "gebiedsteam", "role", "created_at")
    list_filter = ("gebiedsteam", "role")
    list_select_related = ("user", "gebiedsteam")
    search_fields = ("user__email", "user__full_name", "gebiedsteam__name")
    autocomplete_fields = ("user", "gebiedsteam")
    fields = ("user", "gebiedsteam", "role")


class CouncilMembershipInline(admin.TabularInline):
    model = CouncilMembership
    fields = ("user", "role", "shown_publicly")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Wijkraad)
class WijkraadAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email", "website")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("wijken",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("name", "slug", "kind", "wijken", "website", "email")
    inlines = (CouncilMembershipInline,)


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "wijkraad", "role", "shown_publicly", "created_at")
    list_filter = ("role", "shown_publicly", "wijkraad")
    list_select_related = ("user", "wijkraad")
    search_fields = ("user__email", "user__full_name", "wijkraad__name")
    autocomplete_fields = ("user", "wijkraad")
    fields = ("user", "wijkraad", "role", "shown_publicly")


@admin.register(Residence)
class ResidenceAdmin(admin.ModelAdmin):
    """The wijk each resident said they live in (only the wijk: never an address)."""

    list_display = ("user", "wijk", "updated_at")
    list_filter = ("wijk__gebiedsteam",)
    list_select_related = ("user", "wijk")
    search_fields = ("user__email", "user__full_name", "wijk__name")
    autocomplete_fields = ("user", "wijk")
    fields = ("user", "wijk")
