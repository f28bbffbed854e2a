"""The web container's health check (deploy/healthcheck.py) against a serving portal.

docker-compose.yml runs the script in the web container; here it runs the same way, in its
own interpreter, against the live test server. /status/ stays reachable over plain http with
the production redirect to https on, since health checks call it inside the network.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HEALTHCHECK = Path(__file__).resolve().parents[2] / "deploy" / "healthcheck.py"


def healthcheck(port: int, allowed_hosts: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WIJKPORTAAL_WEB_BIND": f"0.0.0.0:{port}",
        "DJANGO_ALLOWED_HOSTS": allowed_hosts,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(HEALTHCHECK)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


def test_status_is_not_redirected_to_https_but_pages_are(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    status = client.get("/status/")
    assert (status.status_code, status.content) == (200, b"ok\n")
    page = client.get("/toegankelijkheid/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/toegankelijkheid/"


def test_the_health_check_passes_while_the_portal_serves(live_server) -> None:
    port = urlsplit(live_server.url).port
    assert port is not None
    result = healthcheck(port, "127.0.0.1,localhost")
    assert (result.returncode, result.stdout) == (0, "")


def test_the_health_check_sends_an_allowed_host_name(live_server) -> None:
    """A wildcard entry such as .example.nl is sent as example.nl; one Django refuses fails."""
    port = urlsplit(live_server.url).port
    assert port is not None
    assert healthcheck(port, ".localhost").returncode == 0
    refused = healthcheck(port, "wijkportaal.example.nl")
    assert refused.returncode == 1
    assert refused.stdout.startswith("unhealthy: /status/ answered 400 "), refused.stdout


def test_the_health_check_fails_when_nothing_answers() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = healthcheck(port, "*")
    assert result.returncode == 1
    assert result.stdout.startswith("unhealthy: [Errno 111] Connection refused"), result.stdout
