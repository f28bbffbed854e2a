"""The request of a signed-in user, for the type checker.

A view behind `@login_required` only ever sees a signed-in `User`; annotating its request
as `AuthenticatedHttpRequest` says so, so that `request.user` can be handed to services
that take a `User` (django-stubs, "How do I annotate cases where I called
request.user.is_authenticated?").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from web.http import HtmxHttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
