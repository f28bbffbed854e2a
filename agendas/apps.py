from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendasConfig(AppConfig):
    name = "agendas"
    verbose_name = _("Wijkagendas")

    def ready(self) -> None:
        # Every row of this app can show on a page anonymous visitors see: a change ends the
        # cached pages (web/pagecache.py).
        from web import pagecache

        from .models import (
            Action,
            AgendaItem,
            ChangeRecord,
            Plan,
            ProgressUpdate,
            WijkagendaVersion,
        )

        pagecache.watch(*self.get_models())
        # What belongs to one agenda: a section that shows one agenda's plans and actions is
        # kept while another agenda is edited.
        pagecache.scope(
            "wijkagenda",
            {
                Plan: "wijkagenda",
                Action: "plan__wijkagenda",
                ProgressUpdate: "action__plan__wijkagenda",
                AgendaItem: "wijkagenda",
                WijkagendaVersion: "wijkagenda",
                ChangeRecord: "wijkagenda",
            },
        )
