from __future__ import annotations

from django.urls import path

from pacts import views

app_name = "pacts"

urlpatterns = [
    path("pacten/", views.pact_list, name="pact-list"),
    path("pacten/<slug:slug>/", views.pact_detail, name="pact-detail"),
    path("allianties/<slug:slug>/", views.alliance_detail, name="alliance-detail"),
    path("organisaties/", views.organisation_list, name="organisation-list"),
]
