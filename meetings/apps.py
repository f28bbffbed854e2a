from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Every row of this app can show on a page anonymous visitors see: a change ends the
        # cached pages (web/pagecache.py).
        from web import pagecache

        pagecache.watch(*self.get_models())

        from django.db.models.signals import post_delete

        from meetings.models import Registration

        post_delete.connect(
            _place_freed, sender=Registration, dispatch_uid="meetings:registration-deleted"
        )


def _place_freed(instance: Any, **kwargs: Any) -> None:
    """A sign-up with a place that is deleted, also with its account: the waiting list moves
    up (meetings.services.place_freed; a sign-off has done so already, and this finds no
    free place)."""
    if not instance.waiting:
        from meetings.services import place_freed

        place_freed(meeting_id=instance.meeting_id)
