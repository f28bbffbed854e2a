"""The API's addresses: /api/v1/<dataset>/, the OpenAPI description and its documentation.

The datasets keep the names of the code (English, but for the glossary words), as an API's
names are read by programs rather than people; /api/v1/ is the first version, and a change
that breaks a client gets /api/v2/ beside it.
"""

from __future__ import annotations

from django.urls import path

from api import downloads, views
from api.datasets import SUMMARIES

app_name = "api"


urlpatterns = [
    *(
        path(f"api/v1/{name}/", views.dataset_list(name, summary), name=f"{name}-list")
        for name, summary in SUMMARIES.items()
    ),
    path(
        "api/v1/wijkagendas/<slug:slug>/",
        views.WijkagendaDetail.as_view(),
        name="wijkagendas-detail",
    ),
    path("api/v1/proposals/<slug:slug>/", views.ProposalDetail.as_view(), name="proposals-detail"),
    path("api/schema/", views.Schema.as_view(), name="schema"),
    path("api/docs/", views.api_docs, name="docs"),
    # The open-data downloads, their files and their DCAT catalogue (api/downloads.py).
    path("open-data/", downloads.open_data, name="open-data"),
    path("open-data/catalogus.jsonld", downloads.dcat_catalogue, name="open-data-catalogue"),
    path("open-data/<str:name>", downloads.open_data_file, name="open-data-file"),
    # Whoever tries /api/ finds the documentation.
    path("api/", views.api_root, name="root"),
]
