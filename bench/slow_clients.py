"""Slow clients: does `/status/` still answer quickly while idle and half-sent connections wait?

    python -m bench.slow_clients --database-url postgres://postgres@127.0.0.1:5432/bench_1x

Starts gunicorn with the production settings (wijkportaal/gunicorn_conf.py, DEBUG off,
pooled database connections) on a free port of 127.0.0.1, then for each setup asked for:

- `nginx`: production as docker-compose.yml runs it, nginx (deploy/nginx.conf, from
  Debian's package `nginx-light` or `nginx`) in front of gunicorn with gthread workers;
- `gthread`: gunicorn with gthread workers reached directly;
- `sync`: what the image ran before, gunicorn reached directly with 3 sync workers;

1. quiet: `--requests` GETs of `/status/`, one after another, each on a new connection;
2. slow clients: `--idle` TCP connections that send nothing, and `--slowloris` connections
   that send the start of a request and then one more header line every 2 seconds, never
   finishing it. A connection the server closes is opened again at once, so all of them
   stay open for the whole phase, as an attacker would keep them. Then the same GETs.

Each GET gives up after `--timeout` seconds (counted as a timeout, its latency as the
timeout); a phase stops after `--max-seconds`. Prints p50, p95 and max per phase and writes
them as JSON to `--out`. Everything stays on 127.0.0.1, and every loop is bounded.
`/status/` runs no query: this measures the server's handling of connections, not the
database. The numbers are noisy on a shared machine (see bench/README.md).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import os.path
import selectors
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_WORK_DIR, REPO, masked, portal_environment
from bench.load import free_port

CONFIG = REPO / "wijkportaal" / "gunicorn_conf.py"
NGINX_SITE = REPO / "deploy" / "nginx.conf"
# The image's command before gthread: `gunicorn wijkportaal.wsgi --workers 3` (sync).
WORKER_OPTIONS = {
    "nginx": [],
    "gthread": [],
    "sync": ["--worker-class", "sync", "--workers", "3", "--threads", "1"],
}
SETUPS = list(WORKER_OPTIONS)
# Around the site file: what nginx's own image has in /etc/nginx/nginx.conf, with this run's
# files in the work folder.
NGINX_MAIN = """daemon off;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{site}
}}
"""


@contextmanager
def nginx(upstream_port: int, work: Path) -> Iterator[int]:
    """nginx with deploy/nginx.conf in front of 127.0.0.1:`upstream_port`; yields its port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx-light)")
    port = free_port()
    site = NGINX_SITE.read_text()
    site = site.replace("server web:8000;", f"server 127.0.0.1:{upstream_port};")
    site = site.replace("listen 8000;", f"listen 127.0.0.1:{port};")
    assert f"127.0.0.1:{port}" in site and f"127.0.0.1:{upstream_port}" in site
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_MAIN.format(work=work, site=site))
    server = subprocess.Popen([binary, "-c", str(conf), "-p", str(work)])
    try:
        deadline = time.monotonic() + 15
        while get(port, timeout=2) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start; see {work / 'nginx-error.log'}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=15)


@contextmanager
def gunicorn(url: str, setup: str, log: Path) -> Iterator[int]:
    """gunicorn with the production config (and the options of `setup`); yields the port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "wijkportaal.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", os.devnull]
    command += ["--log-level", "warning"]
    command += WORKER_OPTIONS[setup]
    env = portal_environment(url, conn_max_age=60)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while get(port, timeout=2) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def get(port: int, *, timeout: float) -> float | None:
    """One GET /status/ on a new connection: seconds to the whole answer, None if it failed."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/status/", headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or body != b"ok\n":
            return None
        return time.perf_counter() - started
    except OSError:
        return None
    finally:
        conn.close()


class SlowClients:
    """Idle and half-sent connections, kept open (reopened when the server closes one)."""

    def __init__(self, port: int, *, idle: int, slowloris: int) -> None:
        self.port, self.idle, self.slowloris = port, idle, slowloris
        self.selector = selectors.DefaultSelector()
        self.reopened = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._keep, daemon=True)

    def _open(self, kind: str) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setblocking(False)
        if kind == "slowloris":
            sock.send(b"GET /status/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.selector.register(sock, selectors.EVENT_READ, kind)

    def __enter__(self) -> SlowClients:
        for _ in range(self.idle):
            self._open("idle")
        for _ in range(self.slowloris):
            self._open("slowloris")
        self.thread.start()
        time.sleep(1.0)
        return self

    def _keep(self) -> None:
        next_header = time.monotonic() + 2.0
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    closed = sock.recv(4096) == b""
                except BlockingIOError:
                    closed = False
                except OSError:
                    closed = True
                if closed:
                    self.selector.unregister(sock)
                    sock.close()
                    self.reopened += 1
                    self._open(key.data)
            if time.monotonic() >= next_header:
                next_header += 2.0
                for key in list(self.selector.get_map().values()):
                    if key.data == "slowloris":
                        with suppress(OSError):
                            key.fileobj.send(b"X-Still-Typing: 1\r\n")  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()


def measure(
    port: int, *, requests: int, interval: float, timeout: float, max_seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    failed = 0
    deadline = time.monotonic() + max_seconds
    for number in range(requests):
        if time.monotonic() > deadline:
            break
        if number:
            time.sleep(interval)
        seconds = get(port, timeout=timeout)
        if seconds is None:
            failed += 1
            seconds = timeout
        latencies.append(seconds)
    ms = sorted(1000 * s for s in latencies)
    return {
        "requests": len(ms),
        "failed_or_timed_out": failed,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[max(0, round(0.95 * len(ms)) - 1)], 1),
        "max_ms": round(ms[-1], 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.slow_clients", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--setup", choices=SETUPS, nargs="+", default=SETUPS)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--slowloris", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--interval",
        type=float,
        default=0.05,
        help="seconds between GETs, so that a phase "
        "outlasts the servers' timeouts for idle and half-sent connections",
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per GET")
    parser.add_argument("--max-seconds", type=float, default=90.0, help="per phase")
    parser.add_argument("--out", type=Path, default=DEFAULT_WORK_DIR / "slow-clients.json")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url (or set DATABASE_URL)")

    results: dict[str, Any] = {
        "command": masked(
            shlex.join(["python", "-m", "bench.slow_clients", *(argv or sys.argv[1:])])
        ),
        "idle": args.idle,
        "slowloris": args.slowloris,
        "interval_s": args.interval,
        "timeout_s": args.timeout,
        "runs": {},
    }
    for setup in args.setup:
        log = args.out.with_name(f"slow-clients-{setup}.log")
        with ExitStack() as stack:
            port = stack.enter_context(gunicorn(args.database_url, setup, log))
            if setup == "nginx":
                port = stack.enter_context(nginx(port, args.out.with_name("slow-clients-nginx")))
            for _ in range(20):  # warm up every worker process
                get(port, timeout=args.timeout)
            run: dict[str, Any] = {"gunicorn_options": WORKER_OPTIONS[setup]}
            options = {
                "requests": args.requests,
                "interval": args.interval,
                "timeout": args.timeout,
                "max_seconds": args.max_seconds,
            }
            run["quiet"] = measure(port, **options)
            with SlowClients(port, idle=args.idle, slowloris=args.slowloris) as slow:
                run["slow_clients"] = measure(port, **options)
                run["slow_clients"]["connections_reopened"] = slow.reopened
        results["runs"][setup] = run
        print(f"{setup}: {json.dumps(run)}", flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print("| Setup | Phase | GETs | Failed | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for setup, run in results["runs"].items():
        for phase in ("quiet", "slow_clients"):
            r = run[phase]
            print(
                f"| {setup} | {phase.replace('_', ' ')} | {r['requests']} | "
                f"{r['failed_or_timed_out']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |"
            )
    print(f"\nWrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
