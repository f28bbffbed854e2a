from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("Areas and teams")

    def ready(self) -> None:
        # Every row of this app can show on a page anonymous visitors see: a change ends the
        # cached pages (web/pagecache.py).
        from web import pagecache

        pagecache.watch(*self.get_models())
        # The memberships say what a signed-in person may see: a change to one ends their
        # kept sections (web/sections.py).
        from areas.models import CouncilMembership, TeamMembership
        from web import sections

        sections.roles_in(TeamMembership, CouncilMembership)
        # What an accepted invitation to a gebiedsteam or wijkraad does: accounts knows no
        # domain model, so the app that owns the memberships tells it.
        from accounts.purposes import register_invitation_purpose
        from areas import services

        register_invitation_purpose(
            services.TEAM_INVITATION,
            services.join_gebiedsteam,
            describe=services.describe_team_invitation,
        )
        register_invitation_purpose(
            services.COUNCIL_INVITATION,
            services.join_wijkraad,
            describe=services.describe_council_invitation,
        )
