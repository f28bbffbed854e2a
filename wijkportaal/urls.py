"""Root URLs. Paths are part of the UI, so they are Dutch; URL names are code."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from wijkportaal import views

urlpatterns = [
    # areas before agendas: its /wijken/zoek/ would otherwise be taken for the page of a
    # wijk with the slug "zoek" (agendas' /wijken/<slug>/).
    path("", include("areas.urls")),
    path("", include("agendas.urls")),
    path("", include("pacts.urls")),
    path("account/", include("accounts.urls")),
    path("beheer/", admin.site.urls),
    path("status/", views.health, name="health"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
]
