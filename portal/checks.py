"""System checks of the portal's own set-up for a deployment, run by
`manage.py check --deploy` (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import CheckMessage, Warning, register


@register(deploy=True)
def static_manifest(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Without DEBUG, the default static storage names files from the manifest that
    `collectstatic` writes; without it every page is a 500. Say so before the portal starts."""
    if settings.DEBUG:
        return []
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    return [
        Warning(
            f"The static files manifest {storage.manifest_name} is missing from "
            f"{settings.STATIC_ROOT}: every page will fail with a server error.",
            hint="Run `manage.py collectstatic --no-input` after each update, before starting "
            "the portal (the image does this when it is built).",
            id="portal.W001",
        )
    ]
