from __future__ import annotations

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("gebieden/<slug:slug>/bijeenkomsten/nieuw/", views.meeting_create, name="meeting-create"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.meeting_edit, name="meeting-edit"),
]
