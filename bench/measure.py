"""The numbers of a load run, from the harness's own measurements: no Django, no server.

A *slice* is one stretch of load on one path for a fixed time (one wrk run, or the Python
loader for as long): every latency the loader timed itself, the answers by status, the
requests that got no answer, the time it ran, and its throughput measured per connection.

Throughput is the sum over the connections of each one's answers divided by the time from
its first request to its last answer: a connection is busy with one request after another
all that time. Answers over the whole duration would count the start, when no request has
been answered yet, and leave out the requests still running at the end: for a slow page
(16 connections at one answer a second each: some 40 answers in 3 seconds) that is a
large part; counted between the first and last answer of all connections, a burst of
answers close together would look like a high rate.

- `parse_wrk` reads the one line bench/wrk.lua prints into a slice.
- `summarize` turns slices of the same path into percentiles and a throughput: all their
  latencies together, and all their requests over all their seconds.
- `compare` gives a page its ratios to the bare view measured interleaved with it (bare,
  page, bare, page, … in the same run: see `bench.load.interleave`), so both saw the same
  state of the machine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

PERCENTILES = (50, 90, 95, 99)


@dataclass
class Slice:
    latencies_ms: list[float]
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)
    # Requests that got no answer: connect, read, write errors and timeouts.
    failures: int = 0
    # What wrk itself reports as p95 after its coordinated-omission correction: kept to
    # compare, never shown as the p95.
    wrk_corrected_p95_ms: float | None = None
    # Answers per second summed over the connections (see above); None: not measured,
    # then the answers over `seconds` count.
    rate: float | None = None

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    def throughput(self) -> float:
        if self.rate is not None:
            return self.rate
        return self.answered / self.seconds if self.seconds > 0 else 0.0


def connection_rate(spans: Iterable[tuple[int, float]]) -> float:
    """The sum of answers / seconds busy over connections given as (answers, seconds)."""
    return sum(answers / seconds for answers, seconds in spans if answers and seconds > 0)


def rate(parts: Sequence[Slice]) -> float:
    """Answers per second over the slices, each weighted by its duration."""
    seconds = sum(part.seconds for part in parts)
    if seconds <= 0:
        return 0.0
    return round(sum(part.throughput() * part.seconds for part in parts) / seconds, 1)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of values sorted ascending; NaN when there are none."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[min(len(ordered), rank) - 1])


def summarize(slices: Iterable[Slice]) -> dict[str, Any]:
    """Percentiles of all latencies timed, and requests per second over all the seconds.

    An answer of 400 or more counts as an error, as does a request that got no answer.
    """
    parts = list(slices)
    ordered = sorted(value for part in parts for value in part.latencies_ms)
    statuses: dict[str, int] = {}
    for part in parts:
        for status, count in part.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    result: dict[str, Any] = {
        "requests": sum(statuses.values()),
        "timed": len(ordered),
        "seconds": round(sum(part.seconds for part in parts), 3),
        "rps": rate(parts),
        # Each slice's own rate: how steady the load was.
        "slice_rps": [rate([part]) for part in parts],
    }
    for p in PERCENTILES:
        result[f"p{p}_ms"] = round(percentile(ordered, p), 3)
    result["max_ms"] = round(ordered[-1], 3) if ordered else math.nan
    result["mean_ms"] = round(sum(ordered) / len(ordered), 3) if ordered else math.nan
    failures = sum(part.failures for part in parts)
    result["errors"] = failures + sum(n for status, n in statuses.items() if int(status) >= 400)
    result["statuses"] = dict(sorted(statuses.items()))
    corrected = [p.wrk_corrected_p95_ms for p in parts if p.wrk_corrected_p95_ms is not None]
    if corrected:
        result["wrk_corrected_p95_ms"] = max(corrected)
    return result


def parse_wrk(output: str) -> Slice:
    """The slice of one wrk run from the "BENCH {json}" line of bench/wrk.lua."""
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise ValueError("wrk printed no BENCH line: was it run with bench/wrk.lua?")
    data = json.loads(line.removeprefix("BENCH "))
    return Slice(
        latencies_ms=[us / 1000 for us in data["latencies_us"]],
        seconds=data["duration_us"] / 1e6,
        statuses={str(k): v for k, v in data["statuses"].items()},
        # wrk's "status" error counts answers of 400 or more, which `statuses` has already.
        failures=sum(v for k, v in data["errors"].items() if k != "status"),
        wrk_corrected_p95_ms=data["wrk_corrected_p95_us"] / 1000,
        rate=data["rate"],
    )


def ratio(numerator: float, denominator: float) -> float | None:
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return None
    return round(numerator / denominator, 4)


def compare(page: dict[str, Any], bare: dict[str, Any]) -> dict[str, Any]:
    """The page's summary with the bare view's beside it and the ratios to it.

    Throughput page/bare: 1.0 is as fast as the bare view, lower is slower. Latency
    percentiles page/bare: 1.0 is as quick, higher is slower.
    """
    keys = ("requests", "seconds", "rps", "slice_rps", "p50_ms", "p95_ms", "p99_ms", "errors")
    return dict(
        page,
        bare_view={key: bare[key] for key in keys},
        rps_ratio=ratio(page["rps"], bare["rps"]),
        p50_ratio=ratio(page["p50_ms"], bare["p50_ms"]),
        p95_ratio=ratio(page["p95_ms"], bare["p95_ms"]),
    )
