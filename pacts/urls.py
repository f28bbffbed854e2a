from __future__ import annotations

from django.urls import path

from pacts import views, views_staff

app_name = "pacts"

urlpatterns = [
    path("pacten/", views.pact_list, name="pact-list"),
    path("pacten/<slug:slug>/", views.pact_detail, name="pact-detail"),
    path("allianties/<slug:slug>/", views.alliance_detail, name="alliance-detail"),
    path("organisaties/", views.organisation_list, name="organisation-list"),
    # An organisation's staff; its public page is the portal's (portal:organisation-detail).
    path(
        "organisaties/<slug:slug>/medewerkers/",
        views_staff.organisation_staff,
        name="organisation-staff",
    ),
    path(
        "organisaties/<slug:slug>/medewerkers/uitnodigen/",
        views_staff.organisation_staff_invite,
        name="organisation-staff-invite",
    ),
    path(
        "organisaties/<slug:slug>/medewerkers/<int:pk>/intrekken/",
        views_staff.organisation_staff_revoke,
        name="organisation-staff-revoke",
    ),
]
