"""Root URLs. Paths are part of the UI, so they are Dutch; URL names are code.

The apps share the root, each under its own namespace. A literal path such as /wijken/zoek/
(areas) must come before a pattern that would also match it (/wijken/<slug>/, portal): the
apps are listed bottom layer first, and tests/wijkportaal/test_urls.py checks that every
route resolves to itself.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from wijkportaal import views

urlpatterns = [
    path("", include("areas.urls")),
    path("", include("pacts.urls")),
    path("", include("agendas.urls")),
    path("", include("participation.urls")),
    path("", include("meetings.urls")),
    path("", include("followup.urls")),
    path("", include("portal.urls")),
    path("", include("api.urls")),
    path("account/", include("accounts.urls")),
    path("beheer/", admin.site.urls),
    path("status/", views.health, name="health"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
]
