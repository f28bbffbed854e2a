"""The benchmark's own numbers: percentiles and throughput from the latencies it timed.

bench/measure.py turns what the loaders timed into the figures of docs/performance.md, and
bench/wrk.lua is what times each request under wrk. The last test runs wrk with that script
against a small local server that answers after a fixed delay, so a script that stops
early, or percentiles that come from somewhere else than the requests themselves, fail.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Endpoint, wrk_slice
from bench.measure import Slice, compare, connection_rate, parse_wrk, percentile, summarize


def test_percentile_is_the_nearest_rank() -> None:
    ordered = [float(n) for n in range(1, 101)]
    assert percentile(ordered, 50) == 50.0
    assert percentile(ordered, 95) == 95.0
    assert percentile(ordered, 99.5) == 100.0
    assert percentile([7.0], 95) == 7.0


def test_throughput_sums_what_each_connection_answered_while_busy() -> None:
    # Two connections: 10 answers in the 2 s from the first request to the last answer, and
    # 1 answer in 0.5 s (its next request was still running when the slice ended).
    assert connection_rate([(10, 2.0), (1, 0.5), (0, 0.0)]) == 7.0


def test_summary_weights_each_slice_by_its_duration() -> None:
    one = Slice([10.0] * 11, seconds=3.0, statuses={"200": 11}, rate=5.0)
    # Without a measured rate the answers over the whole duration count.
    other = Slice([30.0] * 9, seconds=1.0, statuses={"200": 8, "500": 1}, failures=2)

    summary = summarize([one])
    assert summary["rps"] == 5.0
    assert summary["requests"] == 11
    assert summary["p95_ms"] == 10.0

    both = summarize([one, other])
    # (5 × 3 + 9 × 1) / 4 seconds.
    assert both["rps"] == 6.0
    assert both["slice_rps"] == [5.0, 9.0]
    assert both["requests"] == 20
    assert both["p50_ms"] == 10.0
    assert both["p95_ms"] == 30.0
    # The 500 and the two requests without an answer.
    assert both["errors"] == 3
    assert both["statuses"] == {"200": 19, "500": 1}


def test_a_page_is_compared_with_the_bare_view_of_the_same_turns() -> None:
    page = summarize([Slice([40.0, 60.0], seconds=1.0, statuses={"200": 2}, rate=4.0)])
    bare = summarize([Slice([2.0, 4.0], seconds=1.0, statuses={"200": 100}, rate=100.0)])

    compared = compare(page, bare)

    assert compared["rps"] == 4.0
    assert compared["bare_view"]["rps"] == 100.0
    assert compared["rps_ratio"] == 0.04
    assert compared["p50_ratio"] == 20.0


def test_the_wrk_line_gives_the_latencies_the_script_timed() -> None:
    line = {
        "requests": 4,
        "duration_us": 2_000_000,
        "rate": 2.5,
        "bytes": 400,
        "errors": {"connect": 0, "read": 1, "write": 0, "status": 1, "timeout": 0},
        "statuses": {"200": 3, "404": 1},
        "wrk_corrected_p95_us": 900_000,
        "latencies_us": [1000, 2000, 3000, 250_000],
    }
    parsed = parse_wrk("Running 2s test\nBENCH " + json.dumps(line) + "\n")

    assert parsed.latencies_ms == [1.0, 2.0, 3.0, 250.0]
    assert parsed.failures == 1
    summary = summarize([parsed])
    assert summary["rps"] == 2.5
    assert summary["p95_ms"] == 250.0
    assert summary["errors"] == 2
    # wrk's own corrected figure is kept to compare, never used as the p95.
    assert summary["wrk_corrected_p95_ms"] == 900.0


def test_a_wrk_run_without_the_script_is_refused() -> None:
    with pytest.raises(ValueError, match="BENCH"):
        parse_wrk("Running 2s test\n  Latency 1.00ms\n")


DELAY = 0.05


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        time.sleep(DELAY)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # wrk closes its connections when it exits, maybe while an answer is on its way.
        pass


@pytest.fixture
def slow_server() -> Iterator[int]:
    server = QuietServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_wrk_times_every_request_for_the_whole_duration(slow_server: int) -> None:
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed (Debian package wrk)")
        pytest.skip("wrk is not installed")

    measured = wrk_slice(slow_server, Endpoint("slow", "/"), connections=2, seconds=2)

    summary = summarize([measured])
    assert summary["errors"] == 0
    assert summary["timed"] == summary["requests"] > 0
    # Every answer took at least the server's delay.
    assert min(measured.latencies_ms) >= DELAY * 1000
    # Both connections asked one request after another until the end of the 2 seconds (a
    # thread stopped early would leave its share of the time out): the latencies add up to
    # nearly twice the duration, however fast the machine.
    assert sum(measured.latencies_ms) / 1000 >= 2 * 2 * 0.8
    # The throughput is what two connections give at that mean latency.
    assert summary["rps"] == pytest.approx(2 / (summary["mean_ms"] / 1000), rel=0.2)
