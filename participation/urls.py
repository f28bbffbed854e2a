from __future__ import annotations

from django.urls import path

from participation.views import comments, edit_proposals, initiatives, moderation, proposals

app_name = "participation"

urlpatterns = [
    # Proposals: drafting, opening, deciding ("nieuw" comes before the proposal's own slug)
    path("voorstellen/", proposals.proposal_list, name="proposal-list"),
    path("voorstellen/nieuw/", edit_proposals.proposal_create, name="proposal-create"),
    path("voorstellen/<slug:slug>/", proposals.proposal_detail, name="proposal-detail"),
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
    # Comments and advice
    path("voorstellen/<slug:slug>/reacties/", comments.comment_thread, name="comment-thread"),
    path("reacties/<int:pk>/antwoorden/", proposals.comment_replies, name="comment-replies"),
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
    # Residents' initiatives ("nieuw" comes before an initiative's own number)
    path("initiatieven/nieuw/", initiatives.initiative_create, name="initiative-create"),
    path("initiatieven/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path(
        "initiatieven/<int:pk>/antwoorden/",
        initiatives.initiative_answer,
        name="initiative-answer",
    ),
    path(
        "wijken/<slug:slug>/initiatieven/",
        initiatives.wijk_initiatives,
        name="wijk-initiatives",
    ),
]
