from __future__ import annotations

from django.urls import path

from agendas.views import (
    agendas,
    comments,
    edit_actions,
    edit_agendas,
    edit_proposals,
    follows,
    maps,
    moderation,
    places,
    reports,
    workspace,
)

app_name = "agendas"

urlpatterns = [
    path("", places.home, name="home"),
    path("gebieden/<slug:slug>/", places.gebiedsteam_detail, name="gebiedsteam-detail"),
    path("wijken/<slug:slug>/", places.wijk_detail, name="wijk-detail"),
    # The city map of located items, and its GeoJSON (areas has the boundary layers)
    path("kaart/", maps.city_map, name="city-map"),
    path("kaart/locaties.geojson", maps.located_geojson, name="located-geojson"),
    # Following a wijk, a wijkagenda or a proposal (the subject is posted as type and id)
    path("volgen/", follows.follow_subject, name="follow"),
    path("volgen/stoppen/", follows.unfollow_subject, name="unfollow"),
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
    path("wijkagendas/<slug:slug>/", agendas.wijkagenda_detail, name="wijkagenda-detail"),
    path("acties/<int:pk>/", agendas.action_detail, name="action-detail"),
    # Proposals: drafting, opening, deciding ("nieuw" comes before the proposal's own slug)
    path("voorstellen/nieuw/", edit_proposals.proposal_create, name="proposal-create"),
    path("voorstellen/<slug:slug>/bewerken/", edit_proposals.proposal_edit, name="proposal-edit"),
    path("voorstellen/<slug:slug>/openen/", edit_proposals.proposal_open, name="proposal-open"),
    path(
        "voorstellen/<slug:slug>/in-behandeling/",
        edit_proposals.proposal_consider,
        name="proposal-consider",
    ),
    path(
        "voorstellen/<slug:slug>/intrekken/",
        edit_proposals.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "voorstellen/<slug:slug>/besluiten/",
        edit_proposals.proposal_decide,
        name="proposal-decide",
    ),
    path("adviezen/<int:pk>/antwoorden/", edit_proposals.advice_respond, name="advice-respond"),
    path("voorstellen/", agendas.proposal_list, name="proposal-list"),
    path("voorstellen/<slug:slug>/", agendas.proposal_detail, name="proposal-detail"),
    # Editing plans, actions, progress and meetings; the workspace
    path("wijkagendas/<slug:slug>/plannen/nieuw/", edit_actions.plan_create, name="plan-create"),
    path("plannen/<int:pk>/bewerken/", edit_actions.plan_edit, name="plan-edit"),
    path("plannen/<int:pk>/acties/nieuw/", edit_actions.action_create, name="action-create"),
    path("acties/<int:pk>/bewerken/", edit_actions.action_edit, name="action-edit"),
    path("acties/<int:pk>/status/", edit_actions.action_status, name="action-status"),
    path("acties/<int:pk>/voortgang/", edit_actions.progress_create, name="progress-create"),
    path(
        "gebieden/<slug:slug>/bijeenkomsten/nieuw/",
        edit_actions.meeting_create,
        name="meeting-create",
    ),
    path("bijeenkomsten/<int:pk>/bewerken/", edit_actions.meeting_edit, name="meeting-edit"),
    path("werkplek/", workspace.workspace, name="workspace"),
    # Comments and advice
    path("voorstellen/<slug:slug>/reacties/", comments.comment_thread, name="comment-thread"),
    path("reacties/<int:pk>/bewerken/", comments.comment_edit, name="comment-edit"),
    path("reacties/<int:pk>/verwijderen/", comments.comment_delete, name="comment-delete"),
    path("adviezen/<int:pk>/indienen/", comments.advice_submit, name="advice-submit"),
    # Moderation
    path("reacties/<int:pk>/melden/", moderation.comment_report, name="comment-report"),
    path("reacties/<int:pk>/moderatie/", moderation.comment_moderation, name="comment-moderation"),
    path("reacties/<int:pk>/terugzetten/", moderation.comment_restore, name="comment-restore"),
    path("moderatie/", moderation.moderation_queue, name="moderation-queue"),
    path("moderatie/meldingen/<int:pk>/", moderation.report_detail, name="report-detail"),
    path("moderatie/meldingen/<int:pk>/verbergen/", moderation.report_hide, name="report-hide"),
    path(
        "moderatie/meldingen/<int:pk>/afwijzen/", moderation.report_dismiss, name="report-dismiss"
    ),
    # Reports ("stad" comes before a report's own number)
    path("gebieden/<slug:slug>/rapportages/", reports.report_create, name="report-create"),
    path("rapportages/stad/", reports.city_report_create, name="city-report-create"),
    path("rapportages/<int:pk>/", reports.report_detail, name="report-detail"),
    *(
        path(
            f"rapportages/<int:pk>.{fmt}",
            reports.report_download,
            {"fmt": fmt},
            name=f"report-{fmt}",
        )
        for fmt in ("html", "csv", "xlsx", "pdf")
    ),
]
