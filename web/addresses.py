"""The client's IP address, also behind trusted proxies.

REMOTE_ADDR is the peer that opened the connection. Behind a reverse proxy (the HTTPS proxy
in front of gunicorn) that is the proxy, for every visitor. The proxy adds the address it saw
to X-Forwarded-For, but anyone can send that header too, so it is read only when the peer is a
proxy named in WIJKPORTAAL_TRUSTED_PROXIES, and then from the right: each trusted proxy
appends, so the right-most address that is not a trusted proxy is the last one no client
could have written.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses and CIDR ranges (`10.0.0.5`, `10.0.0.0/8`, `::1`) as networks.

    Raises ValueError on a value that is neither, so a typing error in the setting stops
    the portal at start rather than silently trusting nobody (or everybody).
    """
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value)


@functools.lru_cache(maxsize=8)
def _configured(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest, trusted: Sequence[Network] | None = None) -> str:
    """The client's IP address as text; "unknown" without a usable REMOTE_ADDR.

    `trusted` defaults to the setting WIJKPORTAAL_TRUSTED_PROXIES (parsed).
    """
    if trusted is None:
        trusted = _configured(tuple(getattr(settings, "WIJKPORTAAL_TRUSTED_PROXIES", ())))
    peer = _address(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return UNKNOWN
    if not _trusted(peer, trusted):
        return str(peer)
    # The peer is a trusted proxy: walk the header from the right past the trusted proxies.
    client = peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for value in reversed(forwarded.split(",")):
        hop = _address(value)
        if hop is None:
            # Garbage where an address should be: the hop before it is the last one known.
            break
        client = hop
        if not _trusted(hop, trusted):
            break
    return str(client)
