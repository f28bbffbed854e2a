"""Load runner: the portal under gunicorn, a bounded load per endpoint, queries per request.

    python -m bench.run --database-url postgres://postgres@127.0.0.1:54329/bench_10x \\
        --label 10x --out /tmp/wijkportaal-bench/run-10x.json

Starts gunicorn (`wijkportaal.wsgi`, sync workers) on a free port of 127.0.0.1 against a
database made by `bench.generate`, warms each endpoint up, then loads it with `wrk` (a
fixed number of requests, stopped at a time cap, a few connections, loopback only) and
writes median, p95 and throughput per endpoint. The bare view `/status/` is measured in
the same run as the baseline. Queries per request are counted in this process with
Django's test client and `CaptureQueriesContext` on the same database (anonymous visitor,
the second request of each endpoint, so caches built on first use are not counted).
Without `wrk` on the PATH a small threaded `http.client` loader does the same, less
precisely: it shares the CPU with the server.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import math
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import REPO, configure, masked, portal_environment

LUA = Path(__file__).resolve().parent / "wrk.lua"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    expect: int = 200


def tilburg_endpoints(*, gebied: str, wijk: str, wijkagenda: str) -> list[Endpoint]:
    """The pages of the issue, with the bare view first; plus the lists and a busy proposal."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from participation.models import Proposal

    busiest = (
        Proposal.objects.visible_to(AnonymousUser())
        .annotate(comment_count=Count("comments"))
        .order_by("-comment_count", "pk")
        .first()
    )
    endpoints = [
        Endpoint("bare view", "/status/"),
        Endpoint("home", "/"),
        Endpoint("gebied", f"/gebieden/{gebied}/"),
        Endpoint("wijk", f"/wijken/{wijk}/"),
        Endpoint("wijkagenda", f"/wijkagendas/{wijkagenda}/"),
        Endpoint("map: wijken", "/kaart/wijken.geojson"),
        Endpoint("wijkagenda list", "/wijkagendas/"),
        Endpoint("proposal list", "/voorstellen/"),
    ]
    if busiest is not None:
        endpoints.append(Endpoint("proposal, most comments", f"/voorstellen/{busiest.slug}/"))
    return endpoints


def nationwide_endpoints() -> list[Endpoint]:
    return [
        Endpoint("bare view", "/status/"),
        Endpoint("map: wijken", "/kaart/wijken.geojson"),
        Endpoint("map: gebieden", "/kaart/gebieden.geojson"),
        # The Tilburg town hall: the index finds gemeente Tilburg and redirects to its page.
        Endpoint("point lookup", "/wijken/zoek/?lon=5.0913&lat=51.5555", expect=302),
        Endpoint("wijk list", "/wijken/"),
        Endpoint("home", "/"),
    ]


# --- queries per request, in process ------------------------------------------------------


def count_queries(endpoints: list[Endpoint]) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        with CaptureQueriesContext(connection) as cold:
            client.get(endpoint.path)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(endpoint.path)
        if response.status_code != endpoint.expect:
            raise SystemExit(
                f"{endpoint.path}: status {response.status_code}, expected {endpoint.expect}"
            )
        body = response.content
        counts[endpoint.path] = {
            "queries": len(warm.captured_queries),
            "queries_first": len(cold.captured_queries),
            "status": response.status_code,
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
        }
    return counts


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def lookups(profile: str) -> list[dict[str, Any]]:
    from areas.models import Buurt, Wijk
    from bench.lookup import measure

    wijken = list(Wijk.objects.with_geometry().values_list("code", "geometry"))
    if profile == "nationwide":
        return [measure("342 gemeenten (as wijken)", wijken)]
    buurten = list(Buurt.objects.with_geometry().values_list("code", "geometry"))
    return [measure("Tilburg: buurten", buurten), measure("Tilburg: wijken", wijken)]


# --- the rest of the machine ------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu() -> dict[int, tuple[int, str, float]]:
    """Every process: (parent pid, name, CPU seconds used so far)."""
    table: dict[int, tuple[int, str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                raw = stat.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry.name)] = (
            int(fields[1]),
            name,
            (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
        )
    return table


class Elsewhere:
    """CPU used by other processes while an endpoint is measured, in % of one core.

    Other sessions may share this machine. Not counted: the gunicorn master and workers, wrk,
    this process, and PostgreSQL (its work is the portal's). Processes that start and end
    within the window are missed: this is a floor.
    """

    def __init__(self, server_pid: int) -> None:
        self.ours = {os.getpid(), server_pid}

    def _others(self) -> dict[int, float]:
        table = _process_cpu()
        ours = self.ours | {pid for pid, (ppid, _, _) in table.items() if ppid in self.ours}
        skip = {"wrk", "postgres"}
        return {
            pid: cpu
            for pid, (_ppid, name, cpu) in table.items()
            if pid not in ours and name not in skip
        }

    def start(self) -> None:
        self.before = self._others()
        self.started = time.monotonic()

    def stop(self) -> float:
        after = self._others()
        # A process that started within the window counts in full; one that ended is missed.
        used = sum(cpu - self.before.get(pid, 0.0) for pid, cpu in after.items())
        return round(100 * used / max(time.monotonic() - self.started, 1e-6), 1)

    @staticmethod
    def _machine_busy() -> float:
        """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
        with open("/proc/stat") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:9]]
        return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS

    def wait_for_quiet(self, *, limit: float, patience: float) -> float:
        """Wait (up to `patience` s) until the machine, with the portal idle, is quiet.

        Measured on the whole machine, so short-lived processes count too.
        """
        deadline = time.monotonic() + patience
        while True:
            before, started = self._machine_busy(), time.monotonic()
            time.sleep(1.0)
            busy = 100 * (self._machine_busy() - before) / (time.monotonic() - started)
            if busy < limit or time.monotonic() > deadline:
                return round(busy, 1)
            print(f"  waiting: the machine is busy ({busy:.0f}% of a core)", flush=True)
            time.sleep(4.0)


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, timeout: float = 30) -> tuple[int, int]:
    """One GET on a new connection: (status, body length)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


@contextmanager
def gunicorn(url: str, *, workers: int, conn_max_age: int, log: Path) -> Iterator[tuple[int, int]]:
    """gunicorn serving the portal on 127.0.0.1:<free port>; yields (port, pid), then stops it."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "wijkportaal.wsgi",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as log_file:
        server = subprocess.Popen(
            command,
            cwd=REPO,
            env=portal_environment(url, conn_max_age=conn_max_age),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn stopped at start; see {log}")
                try:
                    if get(port, "/status/", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer within 30 s; see {log}")
                time.sleep(0.2)
            yield port, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- load ---------------------------------------------------------------------------------


def hammer(
    port: int, path: str, *, connections: int, requests: int, seconds: float
) -> dict[str, Any]:
    """The fallback loader: `connections` threads with http.client, bounded in count and time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures = 0
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal issued, failures
        while True:
            with lock:
                if issued >= requests or time.monotonic() > deadline:
                    return
                issued += 1
            started = time.perf_counter()
            try:
                status, _size = get(port, path, timeout=10)
            except OSError:
                with lock:
                    failures += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    busy = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        if not latencies:
            return math.nan
        return latencies[min(len(latencies) - 1, math.ceil(p / 100 * len(latencies)) - 1)] * 1000

    return {
        "requests": len(latencies),
        "seconds": round(busy, 3),
        "rps": round(len(latencies) / busy, 1) if busy else 0.0,
        "p50_ms": round(percentile(50), 3),
        "p90_ms": round(percentile(90), 3),
        "p95_ms": round(percentile(95), 3),
        "p99_ms": round(percentile(99), 3),
        "max_ms": round(latencies[-1] * 1000, 3) if latencies else math.nan,
        "errors": failures + sum(n for status, n in statuses.items() if status >= 400),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def wrk(port: int, path: str, *, connections: int, requests: int, seconds: int) -> dict[str, Any]:
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}{path}",
    ]
    env = {"WRK_MAX_REQUESTS": str(requests), "WRK_THREADS": str(threads), "PATH": "/usr/bin:/bin"}
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    busy = data["busy_us"] / 1e6
    errors = data["errors"]
    return {
        "requests": data["requests"],
        "seconds": round(busy, 3),
        "rps": round(data["requests"] / busy, 1) if busy else 0.0,
        "p50_ms": data["p50_us"] / 1000,
        "p90_ms": data["p90_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "max_ms": data["max_us"] / 1000,
        # wrk counts a status of 400 or more as an error, so a 302 is fine.
        "errors": sum(errors.values()),
        "wrk_errors": errors,
        "command": " ".join(command[:-1] + [f"http://127.0.0.1:PORT{path}"]),
    }


def warm_up(port: int, endpoint: Endpoint, *, connections: int, per_connection: int) -> float:
    """Warm the workers on this endpoint; the rate seen sizes wrk's time cap. Checks status."""
    result = hammer(
        port,
        endpoint.path,
        connections=connections,
        requests=connections * per_connection,
        seconds=60,
    )
    if result["statuses"] != {str(endpoint.expect): connections * per_connection}:
        raise SystemExit(f"{endpoint.path}: warm-up answers {result['statuses']}")
    return float(result["rps"])


def measure(port: int, endpoint: Endpoint, *, tool: str, rate: float, args: Any) -> dict[str, Any]:
    if tool == "wrk":
        # wrk stops at the request count; its time cap is sized from the warm-up rate (with
        # room to spare), because its main thread always sleeps to the end of that cap.
        seconds = max(3, min(args.max_seconds, math.ceil(args.requests / rate * 1.5) + 2))
        return wrk(
            port,
            endpoint.path,
            connections=args.connections,
            requests=args.requests,
            seconds=seconds,
        )
    return hammer(
        port,
        endpoint.path,
        connections=args.connections,
        requests=args.requests,
        seconds=args.max_seconds,
    )


def tool_version(tool: str) -> str:
    if tool != "wrk":
        return f"python http.client, {platform.python_version()}"
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", required=True, help="e.g. 10x or nationwide")
    parser.add_argument("--profile", choices=["tilburg", "nationwide"], default="tilburg")
    parser.add_argument("--out", type=Path, required=True, help="results, as JSON")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint")
    parser.add_argument("--max-seconds", type=int, default=15, help="time cap per endpoint")
    parser.add_argument("--warmup", type=int, default=25, help="requests per connection")
    parser.add_argument("--conn-max-age", type=int, default=0, help="as .env.example: 0")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-lookups", action="store_true")
    parser.add_argument(
        "--no-load", action="store_true", help="only queries, sizes and lookups: no gunicorn"
    )
    parser.add_argument(
        "--quiet", type=float, default=25.0, help="%% of a core other processes may use"
    )
    parser.add_argument("--patience", type=float, default=180.0, help="seconds to wait for it")
    parser.add_argument("--attempts", type=int, default=3, help="per endpoint, when not quiet")
    parser.add_argument("--gebied", default="west")
    parser.add_argument("--wijk", default="het-zand")
    parser.add_argument("--wijkagenda", default="wijkagenda-west-het-zand-wandelbos-de-reit")
    args = parser.parse_args(argv)
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"

    configure(args.database_url, conn_max_age=args.conn_max_age)
    if args.profile == "nationwide":
        endpoints = nationwide_endpoints()
    else:
        endpoints = tilburg_endpoints(
            gebied=args.gebied, wijk=args.wijk, wijkagenda=args.wijkagenda
        )
    print(f"[{args.label}] counting queries", flush=True)
    counts = count_queries(endpoints)
    found = [] if args.no_lookups else lookups(args.profile)

    results: list[dict[str, Any]] = []
    if args.no_load:
        results = [dict(name=e.name, path=e.path, **counts[e.path]) for e in endpoints]
    log = args.out.with_suffix(".gunicorn.log")
    with (
        nullcontext((0, 0))
        if args.no_load
        else gunicorn(
            args.database_url, workers=args.workers, conn_max_age=args.conn_max_age, log=log
        ) as (port, pid)
    ):
        elsewhere = Elsewhere(pid)
        for endpoint in [] if args.no_load else endpoints:
            for attempt in range(1, args.attempts + 1):
                quiet = elsewhere.wait_for_quiet(limit=args.quiet, patience=args.patience)
                rate = warm_up(
                    port, endpoint, connections=args.connections, per_connection=args.warmup
                )
                elsewhere.start()
                load = measure(port, endpoint, tool=tool, rate=rate, args=args)
                busy = elsewhere.stop()
                if busy < args.quiet or attempt == args.attempts:
                    break
                print(f"  again: other processes used {busy:.0f}% of a core", flush=True)
            load.update(
                name=endpoint.name,
                path=endpoint.path,
                attempts=attempt,
                elsewhere_before_pct=quiet,
                elsewhere_pct=busy,
                **counts[endpoint.path],
            )
            results.append(load)
            print(
                f"[{args.label}] {endpoint.name:<24} {load['requests']:>5} req  "
                f"p50 {load['p50_ms']:7.2f} ms  p95 {load['p95_ms']:7.2f} ms  "
                f"{load['rps']:7.1f} req/s  {load['queries']:>3} queries  "
                f"elsewhere {busy:.0f}%",
                flush=True,
            )

    import django

    report = {
        "label": args.label,
        "profile": args.profile,
        "database": masked(args.database_url),
        "database_version": database_version(),
        "django": django.get_version(),
        "python": platform.python_version(),
        "finished_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "tool": "none (--no-load)" if args.no_load else tool_version(tool),
        "settings": {
            "workers": args.workers,
            "worker_class": "sync",
            "connections": args.connections,
            "requests": args.requests,
            "max_seconds": args.max_seconds,
            "warmup_per_connection": args.warmup,
            "conn_max_age": args.conn_max_age,
            "quiet_pct": args.quiet,
            "attempts": args.attempts,
        },
        "endpoints": results,
        "lookups": found,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
