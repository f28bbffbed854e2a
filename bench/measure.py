"""The numbers of a load run, from the harness's own measurements: no Django, no server.

- `summarize` turns the latencies a loader timed itself (wrk's script or the Python
  fallback) into percentiles and a throughput over the fixed duration of the run.
- `parse_wrk` reads the one line bench/wrk.lua prints.
- `schedule` interleaves the bare view `/status/` with the pages: bare, page, bare, page, …,
  bare, so every page is measured between two measurements of the baseline in the same run,
  and `pair_with_bare` gives each page its ratio to the bare view around it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

PERCENTILES = (50, 90, 95, 99)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of values sorted ascending; NaN when there are none."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[min(len(ordered), rank) - 1])


def summarize(
    latencies_ms: Iterable[float],
    *,
    seconds: float,
    statuses: dict[str, int],
    errors: int = 0,
) -> dict[str, Any]:
    """Percentiles of the latencies timed, and requests per second over `seconds`.

    `statuses` counts the answers by status; an answer of 400 or more counts as an error,
    as do the requests that got no answer (`errors`: connect, read, write, timeout).
    """
    ordered = sorted(latencies_ms)
    answered = sum(statuses.values())
    result: dict[str, Any] = {
        "requests": answered,
        "timed": len(ordered),
        "seconds": round(seconds, 3),
        "rps": round(answered / seconds, 1) if seconds > 0 else 0.0,
    }
    for p in PERCENTILES:
        result[f"p{p}_ms"] = round(percentile(ordered, p), 3)
    result["max_ms"] = round(ordered[-1], 3) if ordered else math.nan
    result["mean_ms"] = round(sum(ordered) / len(ordered), 3) if ordered else math.nan
    result["errors"] = errors + sum(n for status, n in statuses.items() if int(status) >= 400)
    result["statuses"] = dict(sorted(statuses.items()))
    return result


def parse_wrk(output: str) -> dict[str, Any]:
    """The summary of one wrk run from the "BENCH {json}" line of bench/wrk.lua."""
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise ValueError("wrk printed no BENCH line: was it run with bench/wrk.lua?")
    data = json.loads(line.removeprefix("BENCH "))
    socket_errors = {k: v for k, v in data["errors"].items() if k != "status"}
    result = summarize(
        (us / 1000 for us in data["latencies_us"]),
        seconds=data["duration_us"] / 1e6,
        statuses={str(k): v for k, v in data["statuses"].items()},
        errors=sum(socket_errors.values()),
    )
    # wrk's own count includes responses whose latency it recorded but that the script did
    # not time (none, with one connection per thread); keep it to compare.
    result["wrk_requests"] = data["requests"]
    result["wrk_errors"] = data["errors"]
    # What wrk itself would report after its coordinated-omission correction: for
    # comparison only, never shown as the p95.
    result["wrk_corrected_p95_ms"] = data["wrk_corrected_p95_us"] / 1000
    return result


def schedule(bare: T, pages: Sequence[T]) -> list[T]:
    """The order of the measurements: the bare view before the first page, after each page."""
    order = [bare]
    for page in pages:
        order += [page, bare]
    return order


def _ratio(numerator: float, denominator: float) -> float | None:
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return None
    return round(numerator / denominator, 4)


def pair_with_bare(measured: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each page of an interleaved run (see `schedule`) with the bare view around it.

    `measured` holds the results in the order of the schedule, each with `"bare": True` for
    the bare view. A page gets the mean of the two bare measurements beside it (one, at an
    end of a run that was cut short) and its ratios to that: throughput page/bare (1.0 is as
    fast as the bare view; lower is slower) and the latency percentiles page/bare (1.0 is as
    quick; higher is slower).
    """
    pages: list[dict[str, Any]] = []
    for index, result in enumerate(measured):
        if result.get("bare"):
            continue
        around = [
            measured[i]
            for i in (index - 1, index + 1)
            if 0 <= i < len(measured) and measured[i].get("bare")
        ]
        if not around:
            pages.append(dict(result, bare_view=None))
            continue
        bare = {
            key: sum(b[key] for b in around) / len(around)
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
        }
        pages.append(
            dict(
                result,
                bare_view={k: round(v, 3) for k, v in bare.items()},
                rps_ratio=_ratio(result["rps"], bare["rps"]),
                p50_ratio=_ratio(result["p50_ms"], bare["p50_ms"]),
                p95_ratio=_ratio(result["p95_ms"], bare["p95_ms"]),
                p99_ratio=_ratio(result["p99_ms"], bare["p99_ms"]),
            )
        )
    return pages
