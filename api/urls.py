"""The API's addresses: /api/v1/<dataset>/, the OpenAPI description and its documentation.

The datasets keep the names of the code (English, but for the glossary words), as an API's
names are read by programs rather than people; /api/v1/ is the first version, and a change
that breaks a client gets /api/v2/ beside it.
"""

from __future__ import annotations

from django.urls import path

from api import views

app_name = "api"

LISTS = {
    "gebieden": "The gebiedsteams and their gebieden",
    "wijken": "The wijken (CBS), with their key figures",
    "buurten": "The buurten (CBS)",
    "wijkagendas": "The published wijkagendas, as last published",
    "plans": "The implementation plans of the published wijkagendas",
    "actions": "The actions of the published wijkagendas",
    "progress-updates": "The progress reported on those actions, newest first",
    "visions": "The published visions of the gebieden",
    "proposals": "The public proposals, with their decisions and what was done with the input",
    "advice": "The wijkraden's advice on the public proposals",
    "meetings": "The public meetings, latest first",
    "initiatives": "The public residents' initiatives, latest first",
    "organisations": "The partner organisations",
    "pacts": "The published pacts, with their commitments",
    "alliances": "The alliances",
}

urlpatterns = [
    *(
        path(f"api/v1/{name}/", views.dataset_list(name, summary), name=f"{name}-list")
        for name, summary in LISTS.items()
    ),
    path(
        "api/v1/wijkagendas/<slug:slug>/",
        views.WijkagendaDetail.as_view(),
        name="wijkagendas-detail",
    ),
    path("api/v1/proposals/<slug:slug>/", views.ProposalDetail.as_view(), name="proposals-detail"),
    path("api/schema/", views.Schema.as_view(), name="schema"),
    path("api/docs/", views.api_docs, name="docs"),
    # Whoever tries /api/ finds the documentation.
    path("api/", views.api_root, name="root"),
]
