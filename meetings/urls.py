from __future__ import annotations

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("gebieden/<slug:slug>/bijeenkomsten/nieuw/", views.meeting_create, name="meeting-create"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.meeting_edit, name="meeting-edit"),
    path("bijeenkomsten/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("bijeenkomsten/<int:pk>/aanmelden/", views.meeting_sign_up, name="meeting-sign-up"),
    path("bijeenkomsten/<int:pk>/afmelden/", views.meeting_sign_off, name="meeting-sign-off"),
    path("bijeenkomsten/<int:pk>/agenda.ics", views.meeting_ics, name="meeting-ics"),
    path("wijken/<slug:slug>/bijeenkomsten/", views.wijk_meetings, name="wijk-meetings"),
    path("wijken/<slug:slug>/bijeenkomsten.ics", views.wijk_calendar, name="wijk-calendar"),
    path("gebieden/<slug:slug>/bijeenkomsten/", views.gebied_meetings, name="gebied-meetings"),
    path("gebieden/<slug:slug>/bijeenkomsten.ics", views.gebied_calendar, name="gebied-calendar"),
]
