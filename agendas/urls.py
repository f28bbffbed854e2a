from __future__ import annotations

from django.urls import path

from agendas.views import agendas, places

app_name = "agendas"

urlpatterns = [
    path("", places.home, name="home"),
    path("gebieden/<slug:slug>/", places.gebiedsteam_detail, name="gebiedsteam-detail"),
    path("wijken/<slug:slug>/", places.wijk_detail, name="wijk-detail"),
    path("wijkagendas/", agendas.wijkagenda_list, name="wijkagenda-list"),
    path("wijkagendas/<slug:slug>/", agendas.wijkagenda_detail, name="wijkagenda-detail"),
    path("acties/<int:pk>/", agendas.action_detail, name="action-detail"),
    path("voorstellen/", agendas.proposal_list, name="proposal-list"),
    path("voorstellen/<slug:slug>/", agendas.proposal_detail, name="proposal-detail"),
]
