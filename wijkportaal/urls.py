"""Root URLs. Paths are part of the UI, so they are Dutch; URL names are code.

The apps share the root, each under its own namespace. A literal path such as /wijken/zoek/
(areas) must come before a pattern that would also match it (/wijken/<slug>/, portal): the
apps are listed bottom layer first, and tests/wijkportaal/test_urls.py checks that every
route resolves to itself.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from portal.sitemaps import sitemaps
from wijkportaal import views

SITEMAPS = sitemaps()

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
    path("i18n/setlang/", views.set_language, name="set-language"),
    # Discovery: robots.txt, security.txt (RFC 9116) and the sitemap (portal.sitemaps), an
    # index of one sitemap per kind of page.
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
