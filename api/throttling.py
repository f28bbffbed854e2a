"""The rate limit of the API: WIJKPORTAAL_API_RATE requests per client address."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from web.addresses import client_address

logger = logging.getLogger(__name__)


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts the requests of each client address in the cache (Redis in production).

    The address is the one web/addresses.py finds, also behind the trusted proxies, so one
    client behind the proxy does not use up everyone's allowance. The rate is read from the
    settings at each request. A cache that fails lets the request through: the rate limit
    protects the portal, and an outage of Redis must not take the API down with it.
    """

    scope = "api"

    def get_rate(self) -> str:
        return str(settings.WIJKPORTAAL_API_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return f"api-throttle:{client_address(request)}"

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))
        except Exception as error:  # noqa: BLE001 (any failure of the cache, see above)
            logger.warning(
                "The API's rate limit cannot use the cache (%s: %s); the request is let through.",
                type(error).__name__,
                error,
            )
            return True
