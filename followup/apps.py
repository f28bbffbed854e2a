from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Reminders and reports")

    def ready(self) -> None:
        # Registers the periodic tasks with Celery (autodiscovery only imports `tasks`).
        from followup import sweeps  # noqa: F401
