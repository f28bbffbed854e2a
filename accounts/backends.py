"""The functional administrator's permissions in the admin site (/beheer/).

The admin asks for model permissions without an object ("may this person change
wijkraden?"). A functional administrator holds those the portal's rules do not decide,
except those of `auth` (groups and permissions): granting privileges is the technical
superuser's. Where a rule exists it decides, in the admin site too: the functional
administrator changes agendas there, but does not write comments or advice in another's
name (docs/roles.md).
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.backends import BaseBackend

from accounts.models import is_functional_admin

RESERVED_APPS = frozenset({"auth"})


class FunctionalAdminBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if obj is not None or not is_functional_admin(user_obj):
            return False
        return perm.partition(".")[0] not in RESERVED_APPS and not rules.perm_exists(perm)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return is_functional_admin(user_obj) and app_label not in RESERVED_APPS
