from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Read API")

    def ready(self) -> None:
        from web import pagecache

        # The open-data page shows the last build and the progress of the next one.
        pagecache.watch(*self.get_models())
