from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Pacts and partners")

    def ready(self) -> None:
        # Every row of this app can show on a page anonymous visitors see: a change ends the
        # cached pages (web/pagecache.py).
        from web import pagecache

        pagecache.watch(*self.get_models())
        # Staff memberships say what a signed-in person may see (web/sections.py).
        from pacts.models import OrganisationMembership
        from web import sections

        sections.roles_in(OrganisationMembership)
        # What an accepted invitation to an organisation's staff does: accounts knows no
        # domain model, so the app that owns the memberships tells it.
        from accounts.purposes import register_invitation_purpose
        from pacts import services

        register_invitation_purpose(
            services.ORGANISATION_INVITATION,
            services.join_organisation,
            describe=services.describe_organisation_invitation,
        )
