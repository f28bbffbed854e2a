from __future__ import annotations

from django.urls import path

from areas import views, views_address, views_figures, views_team

app_name = "areas"

urlpatterns = [
    path("wijken/", views.wijk_list, name="wijk-list"),
    path("wijken/zoek/", views.wijk_locate, name="wijk-locate"),
    path("wijken/adres/", views_address.address_find, name="address-find"),
    path("wijken/adres/suggesties/", views_address.address_suggest, name="address-suggest"),
    path("wijken/adres/punt/", views_address.address_point, name="address-point"),
    path("kaart/gebieden.geojson", views.gebieden_geojson, name="gebieden-geojson"),
    path("kaart/wijken.geojson", views.wijken_geojson, name="wijken-geojson"),
    path("kaart/wijken/<slug:slug>/buurten.geojson", views.buurten_geojson, name="buurten-geojson"),
    path("kaart/kerncijfers/", views_figures.key_figures, name="key-figures"),
    path(
        "kaart/kerncijfers.geojson",
        views_figures.key_figures_geojson,
        name="key-figures-geojson",
    ),
    path("gebieden/<slug:slug>/team/", views_team.team_detail, name="team-detail"),
    path("gebieden/<slug:slug>/team/uitnodigen/", views_team.team_invite, name="team-invite"),
    path(
        "gebieden/<slug:slug>/werkplekken/nieuw/",
        views_team.werkplek_create,
        name="werkplek-create",
    ),
    path(
        "gebieden/<slug:slug>/werkplekken/<int:pk>/bewerken/",
        views_team.werkplek_edit,
        name="werkplek-edit",
    ),
    path("wijkraden/<slug:slug>/uitnodigen/", views_team.wijkraad_invite, name="wijkraad-invite"),
]
