from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from web import lookups


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The base app registers the portal's ORM lookups, before any app runs a query.
        lookups.register()

        # People's names show on public pages (comments, contacts): a change of a user ends
        # the cached pages (web/pagecache.py); signing in (last_login) does not.
        from accounts.models import User
        from web import pagecache

        pagecache.watch(User, quiet_fields=("last_login", "password"))
