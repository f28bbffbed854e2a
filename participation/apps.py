from __future__ import annotations

from typing import Any

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

        # A resident's account deleted: their initiatives that never became public go with it.
        from django.db.models.signals import pre_delete

        from accounts.models import User

        pre_delete.connect(
            _forget_unpublished_initiatives,
            sender=User,
            dispatch_uid="participation:user-deleted",
        )


def _forget_unpublished_initiatives(instance: Any, **kwargs: Any) -> None:
    """Inside the deletion's transaction, before the submitter is set to null on the rest."""
    from participation.services.initiatives import forget_unpublished_of

    forget_unpublished_of(instance.pk)
