"""The notification centre, under /account/meldingen/ (included by accounts.urls)."""

from __future__ import annotations

from django.urls import path

from accounts import views_notifications as views

urlpatterns = [
    path("meldingen/", views.notification_list, name="notification-list"),
    path("meldingen/instellingen/", views.notification_settings, name="notification-settings"),
    path("meldingen/alles-gelezen/", views.notification_read_all, name="notification-read-all"),
    path("meldingen/<int:pk>/", views.notification_open, name="notification-open"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification-read"),
]
