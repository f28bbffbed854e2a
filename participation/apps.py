from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Proposals and participation")

    def ready(self) -> None:
        # Every row of this app can show on a page anonymous visitors see: a change ends the
        # cached pages (web/pagecache.py).
        from web import pagecache

        pagecache.watch(*self.get_models())

        # An action's page names the decisions and initiatives it carries out, and a report
        # on it tells those who gave input there (agendas.origins).
        from agendas import origins
        from participation.origins import INITIATIVES, PROPOSALS

        origins.register(PROPOSALS)
        origins.register(INITIATIVES)
