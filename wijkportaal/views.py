"""Views of the portal as a whole, not of one app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """A fixed answer with no database query: for load balancers and container checks.

    The benchmark suite also uses it as the bare-Django baseline of each run.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
