from __future__ import annotations

from django.urls import path

from agendas.views import agendas, edit_actions, edit_agendas

app_name = "agendas"

urlpatterns = [
    path("wijkagendas/", agendas.wijkagenda_list, name="wijkagenda-list"),
    # Editing wijkagendas, items and visions ("nieuw" comes before the agenda's own slug)
    path("wijkagendas/nieuw/", edit_agendas.wijkagenda_create, name="wijkagenda-create"),
    path("wijkagendas/<slug:slug>/bewerken/", edit_agendas.wijkagenda_edit, name="wijkagenda-edit"),
    path(
        "wijkagendas/<slug:slug>/publiceren/",
        edit_agendas.wijkagenda_publish,
        name="wijkagenda-publish",
    ),
    path("wijkagendas/<slug:slug>/ambities/", edit_agendas.item_list, name="wijkagenda-items"),
    path(
        "wijkagendas/<slug:slug>/ambities/<int:pk>/bewerken/",
        edit_agendas.item_edit,
        name="agendaitem-edit",
    ),
    path(
        "wijkagendas/<slug:slug>/ambities/<int:pk>/verplaatsen/",
        edit_agendas.item_move,
        name="agendaitem-move",
    ),
    path(
        "wijkagendas/<slug:slug>/ambities/<int:pk>/verwijderen/",
        edit_agendas.item_delete,
        name="agendaitem-delete",
    ),
    path("gebieden/<slug:slug>/visie/bewerken/", edit_agendas.vision_edit, name="vision-edit"),
    path(
        "gebieden/<slug:slug>/visie/publiceren/",
        edit_agendas.vision_publish,
        name="vision-publish",
    ),
    path("acties/<int:pk>/", agendas.action_detail, name="action-detail"),
    # Editing plans, actions and progress
    path("wijkagendas/<slug:slug>/plannen/nieuw/", edit_actions.plan_create, name="plan-create"),
    path("plannen/<int:pk>/acties/", agendas.plan_actions, name="plan-actions"),
    path("plannen/<int:pk>/bewerken/", edit_actions.plan_edit, name="plan-edit"),
    path("plannen/<int:pk>/acties/nieuw/", edit_actions.action_create, name="action-create"),
    path("acties/<int:pk>/bewerken/", edit_actions.action_edit, name="action-edit"),
    path("acties/<int:pk>/status/", edit_actions.action_status, name="action-status"),
    path("acties/<int:pk>/voortgang/", edit_actions.progress_create, name="progress-create"),
]
