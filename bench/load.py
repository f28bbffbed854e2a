"""The portal under gunicorn as in production, and the load put on it.

- `gunicorn` starts the portal with the production config (wijkportaal/gunicorn_conf.py:
  gthread workers, their threads, keep-alive), on a free port of 127.0.0.1.
- A *slice* is load on one path for a fixed time: `wrk_slice` (wrk with bench/wrk.lua,
  which times every request itself) or `python_slice` (threads with `http.client`, when wrk
  is not installed). Neither stops early: all connections run to the end of the time.
- `interleave` measures a page and the bare view in turns (bare, page, bare, page, …), so
  the ratio of their throughputs compares two measurements of the same machine state.
- `cold` measures the first requests after a change: change, requests, change, requests, …
"""

from __future__ import annotations

import http.client
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import REPO, portal_environment
from bench.measure import Slice, compare, connection_rate, parse_wrk, summarize

LUA = Path(__file__).resolve().parent / "wrk.lua"
# Seconds a request may take before the loader gives up on it: gunicorn's own timeout.
TIMEOUT = 30
CONFIG = REPO / "wijkportaal" / "gunicorn_conf.py"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    expect: int = 200
    # Request headers, e.g. the session cookie of a signed-in person.
    headers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(
    port: int, path: str, *, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, bytes]:
    """One GET on a new connection: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def gunicorn_command(port: int, workers: int) -> list[str]:
    """gunicorn as the image runs it, with `workers` processes, on 127.0.0.1:`port`.

    Besides the address and the number of processes, one option differs from production:
    no restart after `max_requests`. At the bare view's thousands of requests a second a
    worker would be replaced every second or two, and each replacement costs a second of
    imports; in production, at the portal's traffic, that happens a few times a day.
    The access log is formatted as in production and thrown away.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(CONFIG),
        "wijkportaal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--max-requests",
        "0",
        "--access-logfile",
        os.devnull,
        "--log-level",
        "warning",
    ]


@contextmanager
def gunicorn(
    url: str, *, workers: int, conn_max_age: int, redis_url: str, log: Path
) -> Iterator[tuple[int, int]]:
    """gunicorn serving the portal on 127.0.0.1:<free port>; yields (port, pid), then stops it."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    env = portal_environment(url, conn_max_age=conn_max_age, redis_url=redis_url)
    with log.open("w") as log_file:
        server = subprocess.Popen(
            gunicorn_command(port, workers),
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
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
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- slices of load -----------------------------------------------------------------------


def wrk_slice(port: int, endpoint: Endpoint, *, connections: int, seconds: float) -> Slice:
    """wrk for `seconds`, one connection per thread (so bench/wrk.lua can time each request)."""
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        f"{TIMEOUT}s",
        "-s",
        str(LUA),
    ]
    for name, value in endpoint.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{endpoint.path}")
    output = subprocess.run(
        command,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + TIMEOUT + 30,
    ).stdout
    return parse_wrk(output)


def python_slice(port: int, endpoint: Endpoint, *, connections: int, seconds: float) -> Slice:
    """`connections` threads, each with one kept-alive connection, GET for `seconds`.

    It shares the CPU (and the GIL) with itself and the server, so it is slower than wrk
    and its latencies include its own waiting: use it only without wrk.
    """
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    failures = 0
    spans: list[tuple[int, float]] = []
    lock = threading.Lock()
    headers = {"Host": "127.0.0.1", **endpoint.headers}
    started = time.monotonic()
    deadline = started + seconds

    def worker() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        mine: list[float] = []
        counted: dict[str, int] = {}
        lost = 0
        first = last = 0.0
        answers = 0
        while time.monotonic() < deadline:
            sent = time.perf_counter()
            first = first or sent
            try:
                conn.request("GET", endpoint.path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                lost += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                continue
            last = time.perf_counter()
            mine.append((last - sent) * 1000)
            answers += 1
            counted[str(response.status)] = counted.get(str(response.status), 0) + 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in counted.items():
                statuses[status] = statuses.get(status, 0) + count
            failures += lost
            spans.append((answers, last - first))

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Slice(
        latencies, time.monotonic() - started, statuses, failures, rate=connection_rate(spans)
    )


def load_slice(
    tool: str, port: int, endpoint: Endpoint, *, connections: int, seconds: float
) -> Slice:
    run = wrk_slice if tool == "wrk" else python_slice
    return run(port, endpoint, connections=connections, seconds=seconds)


def tool_version(tool: str) -> str:
    if tool != "wrk":
        return f"python http.client, {platform.python_version()}"
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].split(" Copyright")[0]


def pick_tool(tool: str) -> str:
    if tool == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return tool


# --- what is measured ---------------------------------------------------------------------


def check(port: int, endpoint: Endpoint) -> bytes:
    """One GET of the endpoint; stops the run when its status is not the expected one."""
    status, body = get(port, endpoint.path, headers=endpoint.headers)
    if status != endpoint.expect:
        raise SystemExit(f"{endpoint.path}: status {status}, expected {endpoint.expect}")
    return body


def warm_up(port: int, endpoint: Endpoint, *, connections: int, bursts: int) -> None:
    """`bursts` × `connections` requests at once, so every worker thread has served the page.

    Stops the run on an answer other than the expected one; a request without an answer
    within the timeout is only reported (the measurement will count it again).
    """
    check(port, endpoint)
    for _ in range(bursts):
        outcomes, _seconds = burst(port, endpoint, connections)
        statuses = {outcome[0] for outcome in outcomes if outcome is not None}
        if statuses - {endpoint.expect}:
            raise SystemExit(f"{endpoint.path}: warm-up answers {sorted(statuses)}")
        lost = sum(outcome is None for outcome in outcomes)
        if lost:
            print(f"  warm-up: {lost} of {connections} requests to {endpoint.path} unanswered")


def interleave(
    port: int,
    page: Endpoint,
    bare: Endpoint,
    *,
    tool: str,
    rounds: int,
    seconds: float,
    connections: int,
) -> dict[str, Any]:
    """`rounds` × (bare view for `seconds`, page for `seconds`); the page with its ratios."""
    bare_slices: list[Slice] = []
    page_slices: list[Slice] = []
    for _ in range(rounds):
        bare_slices.append(load_slice(tool, port, bare, connections=connections, seconds=seconds))
        page_slices.append(load_slice(tool, port, page, connections=connections, seconds=seconds))
    return compare(summarize(page_slices), summarize(bare_slices))


def burst(port: int, endpoint: Endpoint, connections: int) -> tuple[list[Any], float]:
    """`connections` GETs started at once, each on its own new connection.

    Returns each answer's (status, milliseconds), or None for a request without an answer,
    and the seconds from the start to the last answer.
    """
    gate = threading.Barrier(connections + 1)
    outcomes: list[tuple[int, float] | None] = []
    lock = threading.Lock()
    headers = {"Host": "127.0.0.1", **endpoint.headers}

    def one() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        outcome: tuple[int, float] | None = None
        try:
            conn.connect()
            gate.wait()
            sent = time.perf_counter()
            conn.request("GET", endpoint.path, headers=headers)
            response = conn.getresponse()
            response.read()
            outcome = (response.status, (time.perf_counter() - sent) * 1000)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError):
            outcome = None
        finally:
            conn.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(connections)]
    for thread in threads:
        thread.start()
    gate.wait(timeout=30)
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - began


def cold(
    port: int,
    endpoint: Endpoint,
    change: Callable[[], object],
    *,
    rounds: int,
    connections: int,
) -> dict[str, Any]:
    """The first requests after a change: `rounds` × (change, `connections` GETs at once).

    The GETs of a round start together (`burst`) after the change has been committed. With
    as many of them as the server has processes (the default), all of them are taken up at
    once, before any could fill a cache. Throughput is the requests over the time the
    rounds' requests took, from their start to the last answer; the changes themselves are
    not counted, their median time is reported apart.
    """
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    failures = 0
    busy = 0.0
    change_ms: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        change()
        change_ms.append((time.perf_counter() - started) * 1000)
        outcomes, seconds = burst(port, endpoint, connections)
        busy += seconds
        for outcome in outcomes:
            if outcome is None:
                failures += 1
                continue
            status, elapsed = outcome
            latencies.append(elapsed)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    result = summarize([Slice(latencies, busy, statuses, failures)])
    result.pop("slice_rps")
    result["rounds"] = rounds
    result["connections"] = connections
    ordered = sorted(change_ms)
    result["change_median_ms"] = round(ordered[len(ordered) // 2], 1) if ordered else None
    return result


def one_at_a_time(port: int, endpoint: Endpoint, *, requests: int) -> dict[str, Any]:
    """The latency of `endpoint` for one visitor alone: `requests` GETs one after the other
    (each on a new connection, as `get` makes them), after one that is not counted. What a
    person waits for the page, apart from what others ask of the server at the same time."""
    get(port, endpoint.path, headers=endpoint.headers)
    latencies = []
    statuses: dict[str, int] = {}
    for _ in range(requests):
        started = time.perf_counter()
        status, _body = get(port, endpoint.path, headers=endpoint.headers)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    ordered = sorted(latencies)
    return {
        "name": endpoint.name,
        "path": endpoint.path,
        "requests": requests,
        "statuses": statuses,
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "max_ms": round(ordered[-1], 1),
    }
