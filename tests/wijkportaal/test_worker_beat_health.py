"""The health checks of docker-compose.yml's worker and beat, run against real processes.

A Celery worker and Celery beat start as compose starts them (beat with remote control and
a one-minute loop), on a redis-server of this test; then the health check commands, read
from docker-compose.yml, run in a shell as Docker runs them in the container. Each passes
while its process runs and fails once it has stopped. Like the worker tests, these run when
REDIS_URL or CI is set (tests/workers.py, needs_real_components).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workers import RedisServer, Workers, needs_real_components, wait_for

pytestmark = [pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = (ROOT / "docker-compose.yml").read_text()


def compose_healthcheck(node: str) -> str:
    """The shell command of the health check that pings `node` (celery or celerybeat)."""
    match = re.search(
        r'test: \["CMD-SHELL", "(celery -A wijkportaal inspect ping '
        rf'--destination {node}@\$\$HOSTNAME [^"]*)"\]',
        COMPOSE,
    )
    assert match, f"no health check pings {node}@$$HOSTNAME in docker-compose.yml"
    return match[1].replace("$$", "$")  # compose's escape for a literal $


@pytest.fixture
def environment(tmp_path: Path, transactional_db: None) -> Iterator[dict[str, str]]:
    """The portal's environment with the broker on a redis-server of this test."""
    needs_real_components()
    redis = RedisServer(tmp_path)
    redis.start()
    database_url = Workers(redis.url, tmp_path, tmp_path).database_url
    bin_folder = str(Path(sys.executable).parent)
    yield {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wijkportaal.settings",
        "DJANGO_SECRET_KEY": "only-for-the-test-suite",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "WIJKPORTAAL_TASKS_EAGER": "false",
        # Docker sets HOSTNAME to the container's host name, which Celery's node names use.
        "HOSTNAME": socket.gethostname(),
        "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    redis.stop()


def start(arguments: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "wijkportaal", *arguments],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )


def checks(commands: list[str], env: dict[str, str]) -> list[tuple[int, str]]:
    """Run the health check commands at the same time; (exit status, output) of each."""
    running = [
        subprocess.Popen(  # noqa: S603
            ["sh", "-c", command],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for command in commands
    ]
    outputs = [process.communicate(timeout=60)[0] for process in running]
    return [(process.returncode, output) for process, output in zip(running, outputs, strict=True)]


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_worker_and_beat_pass_their_health_checks_while_they_run(
    environment: dict[str, str], tmp_path: Path
) -> None:
    beat_options = ["--enable-remote-control", "--max-interval=60"]
    for option in beat_options:
        assert f'"{option}"' in COMPOSE, option
    worker_check, beat_check = compose_healthcheck("celery"), compose_healthcheck("celerybeat")
    worker = start(["worker", "--pool=solo", "--loglevel=info"], tmp_path / "w.log", environment)
    beat = start(
        ["beat", "--loglevel=info", f"--schedule={tmp_path / 'schedule'}", *beat_options],
        tmp_path / "b.log",
        environment,
    )
    try:
        wait_for(lambda: b" ready." in (tmp_path / "w.log").read_bytes(), 30, "the worker")
        for status, output in checks([worker_check, beat_check], environment):
            assert status == 0, output
            assert "pong" in output
            assert "1 node online." in output
    finally:
        stop(worker)
        stop(beat)

    # Stopped, neither answers: the check fails (a shorter wait for the answer than in compose).
    shorter = [c.replace("--timeout 10", "--timeout 1") for c in (worker_check, beat_check)]
    for status, output in checks(shorter, environment):
        assert status != 0
        assert "No nodes replied within time constraint" in output
