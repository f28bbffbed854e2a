"""nginx with deploy/nginx.conf keeps the portal answering while slow clients hold connections.

The measurement itself is bench/slow_clients.py (docs/operations.md, "Slow clients"); this
test runs the same setup, smaller, so that a change to deploy/nginx.conf or
wijkportaal/gunicorn_conf.py that lets slow clients stall the portal again fails CI: gunicorn
with the production config behind Debian's nginx with the project's site file, 100 idle
and 5 half-sent connections held open, and every GET of /status/ answered. /status/ runs no
query, so the server gets an unused SQLite file as its database. Runs when nginx is
installed (.ci/run installs nginx-light); in CI a missing nginx is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.slow_clients import SlowClients, get, gunicorn, nginx

pytestmark = [pytest.mark.worker]


def needs_nginx() -> None:
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        return
    problem = "nginx is not installed (Debian package nginx-light)"
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


def test_status_answers_through_nginx_while_slow_clients_hold_connections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_nginx()
    # One gunicorn process (of 4 threads) starts faster, and is the harder case.
    monkeypatch.setenv("WIJKPORTAAL_WEB_WORKERS", "1")
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    with (
        gunicorn(database, "nginx", tmp_path / "gunicorn.log") as upstream,
        nginx(upstream, tmp_path / "nginx") as port,
    ):
        get(port, timeout=10)  # the first request loads the rest of the portal
        with SlowClients(port, idle=100, slowloris=5):
            answered = [get(port, timeout=2) for _ in range(50)]
    # Every GET answered "ok" within 2 s (typically a few milliseconds; without nginx in
    # front, none is answered within 5 s: see docs/operations.md).
    assert [seconds is not None for seconds in answered] == [True] * 50
