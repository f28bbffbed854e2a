from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Pacts and partners")

    def ready(self) -> None:
        # Partner staff are invited to a gebiedsteam by `areas`, which may not import this
        # app: offer it the organisations to choose from, and join the invitee to the chosen
        # one when the team invitation is accepted.
        from accounts.purposes import register_invitation_purpose
        from areas.services import TEAM_INVITATION, register_partner_organisations
        from pacts import services

        register_partner_organisations(services.invitable_organisations)
        register_invitation_purpose(TEAM_INVITATION, services.join_organisation)
