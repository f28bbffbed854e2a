"""The web container's health check: GET /status/ from gunicorn inside the container.

    python deploy/healthcheck.py

docker-compose.yml runs it every 30 seconds (service web). It exits 0 when the portal answers
200 with "ok" within 5 seconds, and 1 otherwise, saying why. The request carries the first
host name of DJANGO_ALLOWED_HOSTS, so that Django's host check lets it through; /status/ is
exempt from the redirect to https (SECURE_REDIRECT_EXEMPT in wijkportaal/settings.py). Only
the standard library: a check must not start Django every 30 seconds.
"""

from __future__ import annotations

import http.client
import os
import sys


def host_name() -> str:
    """The first allowed host, as a client would send it ("*" and ".example.nl" allowed)."""
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    first = first.lstrip(".")
    return first if first and first != "*" else "localhost"


def main() -> int:
    port = int(os.environ.get("WIJKPORTAAL_WEB_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/status/", headers={"Host": host_name()})
        response = conn.getresponse()
        body = response.read()
    except OSError as error:
        print(f"unhealthy: {error}")
        return 1
    finally:
        conn.close()
    if response.status != 200 or body != b"ok\n":
        print(f"unhealthy: /status/ answered {response.status} {body[:80]!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
