"""The pages that gather from every app: home, gebied, wijk, city map, workspace, follows."""

from __future__ import annotations

from django.urls import path
from django.views.decorators.http import require_safe

from portal.feeds import FEEDS, gebied_place, wijk_place
from portal.views import (
    agendas,
    councils,
    follows,
    maps,
    organisations,
    places,
    residents,
    search,
    workspace,
)

app_name = "portal"

urlpatterns = [
    path("", places.home, name="home"),
    path("gebieden/<slug:slug>/", places.gebiedsteam_detail, name="gebiedsteam-detail"),
    path("wijken/<slug:slug>/", places.wijk_detail, name="wijk-detail"),
    # The wijkraden and dorpsraden (areas has the page to invite a member)
    path("wijkraden/", councils.wijkraad_list, name="wijkraad-list"),
    path("wijkraden/<slug:slug>/", councils.wijkraad_detail, name="wijkraad-detail"),
    path("wijkagendas/<slug:slug>/", agendas.wijkagenda_detail, name="wijkagenda-detail"),
    path(
        "wijkagendas/<slug:slug>/versies/",
        agendas.wijkagenda_changelog,
        name="wijkagenda-changelog",
    ),
    # The city map of located items, and its GeoJSON (areas has the boundary layers)
    # One search box over agendas, plans, actions, proposals, meetings, organisations, pacts
    path("zoeken/", search.search, name="search"),
    path("kaart/", maps.city_map, name="city-map"),
    path("kaart/locaties.geojson", maps.located_geojson, name="located-geojson"),
    # Following a wijk, a wijkagenda or a proposal (the subject is posted as type and id)
    path("volgen/", follows.follow_subject, name="follow"),
    path("volgen/stoppen/", follows.unfollow_subject, name="unfollow"),
    path("werkplek/", workspace.workspace, name="workspace"),
    # Resident accounts: signing up and the account's own page (name, wijk)
    path("account/aanmelden/", residents.sign_up, name="sign-up"),
    path("account/mijn-account/", residents.my_account, name="my-account"),
    # The Atom feeds of a wijk and a gebied (portal.feeds): open proposals, decisions and the
    # published versions of their wijkagendas.
    *(
        path(
            f"{prefix}/<slug:slug>/feeds/{segment}.xml",
            require_safe(feed(place)),
            name=f"{name}-{kind}",
        )
        for name, segment, feed in FEEDS
        for prefix, kind, place in (
            ("wijken", "wijk", wijk_place),
            ("gebieden", "gebied", gebied_place),
        )
    ),
    path(
        "organisaties/<slug:slug>/",
        organisations.organisation_detail,
        name="organisation-detail",
    ),
]
