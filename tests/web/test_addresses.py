from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from web.addresses import client_address, parse_networks

PROXIES = parse_networks(["10.0.0.0/8", "2001:db8::/32"])


def request(remote: str | None, forwarded: str | None = None) -> Any:
    meta: dict[str, str] = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    made = RequestFactory().get("/", **meta)
    if remote is None:
        del made.META["REMOTE_ADDR"]
    else:
        made.META["REMOTE_ADDR"] = remote
    return made


def test_without_trusted_proxies_remote_addr_is_the_client() -> None:
    assert client_address(request("198.51.100.7", "203.0.113.1"), ()) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address(request("198.51.100.7", "203.0.113.1"), PROXIES) == "198.51.100.7"


def test_from_a_trusted_proxy_the_forwarded_client_is_used() -> None:
    assert client_address(request("10.0.0.2", "203.0.113.1"), PROXIES) == "203.0.113.1"


def test_the_right_most_untrusted_address_wins_over_what_the_client_wrote() -> None:
    # The client wrote 1.2.3.4 itself; the proxy appended what it saw.
    forwarded = "1.2.3.4, 203.0.113.1"

    assert client_address(request("10.0.0.2", forwarded), PROXIES) == "203.0.113.1"


def test_a_chain_of_trusted_proxies_is_walked_past() -> None:
    forwarded = "1.2.3.4, 203.0.113.1, 10.1.1.1, 10.2.2.2"

    assert client_address(request("10.0.0.2", forwarded), PROXIES) == "203.0.113.1"


def test_a_trusted_proxy_without_the_header_is_the_client() -> None:
    assert client_address(request("10.0.0.2"), PROXIES) == "10.0.0.2"


def test_when_every_hop_is_trusted_the_left_most_is_the_client() -> None:
    assert client_address(request("10.0.0.2", "10.9.9.9, 10.1.1.1"), PROXIES) == "10.9.9.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.1, nonsense", "10.0.0.2"),
        ("nonsense, 203.0.113.1", "203.0.113.1"),
        ("", "10.0.0.2"),
        ("203.0.113.1:51234", "203.0.113.1"),
        ("[2001:db9::5]:443", "2001:db9::5"),
    ],
)
def test_the_header_is_read_carefully(forwarded: str, expected: str) -> None:
    assert client_address(request("10.0.0.2", forwarded), PROXIES) == expected


def test_ipv6_proxies_and_ipv4_mapped_peers() -> None:
    assert client_address(request("2001:db8::1", "2001:db9::5"), PROXIES) == "2001:db9::5"
    assert client_address(request("::ffff:10.0.0.2", "203.0.113.1"), PROXIES) == "203.0.113.1"


def test_without_remote_addr_the_client_is_unknown() -> None:
    assert client_address(request(None, "203.0.113.1"), PROXIES) == "unknown"


def test_the_setting_names_the_trusted_proxies(settings: Any) -> None:
    settings.WIJKPORTAAL_TRUSTED_PROXIES = ["10.0.0.2"]

    assert client_address(request("10.0.0.2", "203.0.113.1")) == "203.0.113.1"
    assert client_address(request("10.0.0.3", "203.0.113.1")) == "10.0.0.3"


def test_a_value_that_is_no_address_is_refused() -> None:
    with pytest.raises(ValueError, match="proxy.example"):
        parse_networks(["proxy.example"])
