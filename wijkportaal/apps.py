from __future__ import annotations

from importlib import import_module

from django.contrib.admin.apps import SimpleAdminConfig


class PortalAdminConfig(SimpleAdminConfig):
    """The admin, discovering only the admin modules of Django's auth and our own apps.

    django-leaflet ships an admin module that imports GeoDjango, and so GDAL, which the
    portal does without (see areas/geometry.py). The full autodiscovery would import it.
    """

    ADMIN_MODULES = (
        "django.contrib.auth.admin",
        "accounts.admin",
        "areas.admin",
        "pacts.admin",
        "agendas.admin",
        "participation.admin",
        "meetings.admin",
        "followup.admin",
    )

    def ready(self) -> None:
        super().ready()
        for module in self.ADMIN_MODULES:
            import_module(module)
