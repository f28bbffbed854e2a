from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PactsConfig(AppConfig):
    name = "pacts"
    verbose_name = _("Pacts and partners")
