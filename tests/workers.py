"""Real components for the tests that need them: a Redis server of the test's own, Celery
worker processes on the test database, and a tiny SMTP sink on 127.0.0.1.

Used by tests/followup/test_tasks_worker.py and tests/accounts/test_outbox_worker.py; the
fixtures are registered for every test by tests/conftest.py. Tests that use the worker
machinery run when REDIS_URL or CI is set, as in `.ci/run`; elsewhere they are skipped with
a reason. In CI a missing redis-server or a non-PostgreSQL database is a failure (a worker
cannot share SQLite's test database).
"""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import ActionFactory
from wijkportaal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
RETRY_MINUTES = 0.05  # 3 seconds: a claim older than that is lost (the worker is dead)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def needs_real_components() -> None:
    ci = bool(os.environ.get("CI"))
    if not ci and not os.environ.get("REDIS_URL"):
        pytest.skip("real Redis and worker tests run when REDIS_URL or CI is set (.ci/run)")
    problem = ""
    if shutil.which("redis-server") is None:
        problem = "redis-server is not installed (Debian package redis-server)"
    elif connection.vendor != "postgresql":
        problem = "a worker process needs the test database on PostgreSQL (DATABASE_URL)"
    if problem:
        if ci:
            pytest.fail(problem)
        pytest.skip(problem)


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, "redis-server")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class Workers:
    """Celery worker processes on the test database, the test's Redis and a mail folder."""

    def __init__(self, broker: str, mail_dir: Path, log_dir: Path) -> None:
        self.broker, self.mail_dir, self.log_dir = broker, mail_dir, log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        db = connection.settings_dict
        self.database_url = (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )

    def start(self, *, mail_delay: float = 0.0, smtp_port: int = 0) -> subprocess.Popen[bytes]:
        """Start a worker; with `smtp_port` it mails over SMTP to 127.0.0.1 on that port
        instead of writing files."""
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.followup.worker_settings",
            "DJANGO_SECRET_KEY": "only-for-the-test-suite",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.broker,
            "CELERY_BROKER_URL": self.broker,
            "WIJKPORTAAL_TASKS_EAGER": "false",
            "WIJKPORTAAL_TEST_MAIL_DIR": str(self.mail_dir),
            "WIJKPORTAAL_TEST_MAIL_DELAY": str(mail_delay),
            "WIJKPORTAAL_TEST_RETRY_MINUTES": str(RETRY_MINUTES),
            "WIJKPORTAAL_TEST_SMTP_PORT": str(smtp_port),
        }
        command = [sys.executable, "-m", "celery", "-A", "wijkportaal", "worker"]
        command += ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--loglevel=INFO", f"--hostname=test{len(self.processes)}@%h"]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        self.processes.append(process)
        wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, 20, "worker")
        assert process.poll() is None, log.read_text()
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def mails(folder: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    needs_real_components()
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def reset_producer() -> None:
    """Forget the connections to the broker, so that the next task opens new ones."""
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def broker(redis_server: RedisServer, transactional_db: None, settings) -> Iterator[RedisServer]:
    """This process queues to the test's Redis instead of running tasks in process."""
    settings.WIJKPORTAAL_REMINDER_RETRY_MINUTES = RETRY_MINUTES
    settings.WIJKPORTAAL_MAIL_CLAIM_SECONDS = RETRY_MINUTES * 60
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = redis_server.url
    celery_app.conf.task_always_eager = False
    reset_producer()
    yield redis_server
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    reset_producer()


@pytest.fixture
def workers(broker: RedisServer, tmp_path: Path) -> Iterator[Workers]:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    pool = Workers(broker.url, mail_dir, tmp_path)
    yield pool
    pool.stop_all()


def overdue_actions(count: int) -> list[str]:
    """`count` overdue actions, each with its own contact address; returns the addresses."""
    addresses = [f"contact{i}@voorbeeld.nl" for i in range(count)]
    for address in addresses:
        ActionFactory(due_date=timezone.localdate() - dt.timedelta(days=1), contact_email=address)
    return addresses


@dataclass
class SMTPSession:
    """One connection to the sink: when it opened, the times it accepted messages, and how
    it ended (`quit` False: the client went away without QUIT, e.g. killed)."""

    opened: float
    accepted: list[float] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # the To of each accepted message
    closed: float = 0.0
    quit: bool = False


class SMTPSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept mail: every message's raw bytes end up in `messages`, and
    each connection in `sessions`. `accept_delay` seconds pass before a message is accepted,
    as with a real server (bench/kill_trial.py kills workers inside such exchanges)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0, *, accept_delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.accept_delay = accept_delay
        self.messages: list[bytes] = []
        self.sessions: list[SMTPSession] = []
        self.lock = threading.Lock()


class SMTPHandler(socketserver.StreamRequestHandler):
    server: SMTPSink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        session = SMTPSession(opened=time.time())
        with self.server.lock:
            self.server.sessions.append(session)
        try:
            self.converse(session)
        except OSError:
            pass  # the client went away mid-reply
        finally:
            session.closed = time.time()

    def converse(self, session: SMTPSession) -> None:
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == b"DATA":
                self.reply("354 go ahead")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                if part == b"":
                    return  # cut off in the middle of the message: not accepted
                time.sleep(self.server.accept_delay)
                message = b"".join(data)
                with self.server.lock:
                    self.server.messages.append(message)
                    session.accepted.append(time.time())
                    session.addresses.append(str(email.message_from_bytes(message)["To"]))
                self.reply("250 queued")
            elif verb == b"QUIT":
                session.quit = True
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_sink() -> Iterator[SMTPSink]:
    sink = SMTPSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()
