from __future__ import annotations

from django.urls import path

from areas import views

app_name = "areas"

urlpatterns = [
    path("wijken/", views.wijk_list, name="wijk-list"),
    path("wijken/zoek/", views.wijk_locate, name="wijk-locate"),
    path("kaart/gebieden.geojson", views.gebieden_geojson, name="gebieden-geojson"),
    path("kaart/wijken.geojson", views.wijken_geojson, name="wijken-geojson"),
    path("kaart/wijken/<slug:slug>/buurten.geojson", views.buurten_geojson, name="buurten-geojson"),
]
