"""Root URLs. Paths are part of the UI, so they are Dutch."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("beheer/", admin.site.urls),
]
