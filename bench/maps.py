"""City map benchmark: the located-items GeoJSON at 100,000 actions, and the map payloads.

    python -m bench.maps --database-url postgres://postgres@127.0.0.1:54329/bench_located \\
        --out /tmp/wijkportaal-bench/run-maps.json

Runs against a database made by `python -m bench.generate --located 100000`. Starts
gunicorn (as bench.run does) and, one request at a time so that the time is the server's
own and not a wait in a queue, times `kaart/locaties.geojson` for the whole city at zoom 12
(clustered), a wijk-sized box at zoom 15 and a street-sized box at zoom 17, and the
boundary layers. Each request asks for gzip, as browsers do. Per endpoint: median and p95,
the payload raw and gzipped, and a repeat with If-None-Match (status and time). Queries
per request come from Django's test client. Also times the point lookup over ~14,000
synthetic buurten of the whole country (bench.lookup.nationwide_buurten).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import SHARED_DATA, configure, masked
from bench.load import Endpoint, gunicorn
from bench.run import Elsewhere, count_queries, database_version

# Seconds a database connection is kept, as in production (docker-compose.yml).
CONN_MAX_AGE = 60
TARGET_MEDIAN_MS = 100
# The whole city outline plus the 59 wijken must stay under this, gzipped.
WIJKEN_GZIP_LIMIT_KB = 100
# A street: about 280 m by 280 m at Tilburg's latitude.
STREET_DEGREES = (0.004, 0.0025)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]
    ms: float


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Response:
    """One GET on a new connection, timed from the request to the last byte."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        found = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, body, found, elapsed)
    finally:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def _box(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> str:
    return ",".join(f"{value:.5f}" for value in (min_lon, min_lat, max_lon, max_lat))


def map_endpoints(wijk_slug: str) -> list[Endpoint]:
    """The three views of the located layer, and the boundary layers."""
    from django.db.models import Max, Min

    from areas.models import Wijk

    city = Wijk.objects.aggregate(
        min_lon=Min("min_lon"),
        min_lat=Min("min_lat"),
        max_lon=Max("max_lon"),
        max_lat=Max("max_lat"),
    )
    wijk = Wijk.objects.get(slug=wijk_slug)
    half_w, half_h = STREET_DEGREES[0] / 2, STREET_DEGREES[1] / 2
    street = _box(
        wijk.label_lon - half_w,
        wijk.label_lat - half_h,
        wijk.label_lon + half_w,
        wijk.label_lat + half_h,
    )
    city_box = _box(city["min_lon"], city["min_lat"], city["max_lon"], city["max_lat"])
    wijk_box = _box(wijk.min_lon, wijk.min_lat, wijk.max_lon, wijk.max_lat)
    located = "/kaart/locaties.geojson"
    return [
        Endpoint("located: whole city, zoom 12", f"{located}?bbox={city_box}&zoom=12"),
        Endpoint(f"located: wijk {wijk.name}, zoom 15", f"{located}?bbox={wijk_box}&zoom=15"),
        Endpoint("located: a street, zoom 17", f"{located}?bbox={street}&zoom=17"),
        Endpoint("map: gebieden", "/kaart/gebieden.geojson"),
        Endpoint("map: wijken", "/kaart/wijken.geojson"),
        Endpoint(f"map: buurten of {wijk.name}", f"/kaart/wijken/{wijk_slug}/buurten.geojson"),
    ]


def measure_endpoint(
    port: int, endpoint: Endpoint, *, requests: int, warmup: int
) -> dict[str, Any]:
    gzip = {"Accept-Encoding": "gzip"}
    raw = fetch(port, endpoint.path)
    if raw.status != 200:
        raise SystemExit(f"{endpoint.path}: status {raw.status}: {raw.body[:200]!r}")
    for _ in range(warmup):
        fetch(port, endpoint.path, gzip)
    timings = []
    compressed = raw
    for _ in range(requests):
        compressed = fetch(port, endpoint.path, gzip)
        timings.append(compressed.ms)
    etag = compressed.headers.get("etag", "")
    repeats = [fetch(port, endpoint.path, {**gzip, "If-None-Match": etag}) for _ in range(requests)]
    result: dict[str, Any] = {
        "name": endpoint.name,
        "path": endpoint.path,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "bytes": len(raw.body),
        "gzip_bytes": len(compressed.body),
        "content_encoding": compressed.headers.get("content-encoding", ""),
        "cache_control": compressed.headers.get("cache-control", ""),
        "vary": compressed.headers.get("vary", ""),
        "etag": etag,
        "repeat_statuses": sorted({r.status for r in repeats}),
        "repeat_p50_ms": round(statistics.median(r.ms for r in repeats), 2),
        "repeat_p95_ms": round(percentile([r.ms for r in repeats], 95), 2),
        "repeat_bytes": max(len(r.body) for r in repeats),
    }
    if endpoint.path.startswith("/kaart/locaties.geojson"):
        answer = json.loads(raw.body)
        result.update(
            total=answer["total"], clustered=answer["clustered"], features=len(answer["features"])
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.maps", description=__doc__)
    parser.add_argument("--database-url", required=True, help="made by generate --located")
    parser.add_argument("--out", type=Path, required=True, help="results, as JSON")
    parser.add_argument("--requests", type=int, default=100, help="per endpoint, one at a time")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wijk", default="het-zand", help="the wijk and street measured")
    parser.add_argument("--gemeenten", type=Path, default=SHARED_DATA / "nl-gemeenten.geojson")
    parser.add_argument("--no-lookups", action="store_true")
    parser.add_argument("--command", help="the command to name in the report")
    parser.add_argument("--quiet", type=float, default=25.0, help="%% of a core others may use")
    parser.add_argument("--patience", type=float, default=15.0, help="seconds to wait for it")
    args = parser.parse_args(argv)

    configure(args.database_url, conn_max_age=CONN_MAX_AGE)
    from agendas.models import Action

    endpoints = map_endpoints(args.wijk)
    located_actions = Action.objects.filter(longitude__isnull=False).count()
    # The ones bench.generate --located wrote (the rest are the demo's own).
    generated = Action.objects.filter(plan__wijkagenda__slug__startswith="bench-located-").count()
    print(f"[maps] {located_actions} located actions; counting queries", flush=True)
    counts = count_queries(endpoints, lambda: None)
    results: list[dict[str, Any]] = []
    log = args.out.with_suffix(".gunicorn.log")
    # The production config with its pooled connections; the local-memory cache, as this
    # process's own (a Redis cache would hold pages of the other benchmark databases).
    with gunicorn(
        args.database_url, workers=args.workers, conn_max_age=CONN_MAX_AGE, redis_url="", log=log
    ) as (port, pid):
        elsewhere = Elsewhere(pid)
        for endpoint in endpoints:
            quiet = elsewhere.wait_for_quiet(limit=args.quiet, patience=args.patience)
            elsewhere.start()
            result = measure_endpoint(port, endpoint, requests=args.requests, warmup=args.warmup)
            result.update(
                elsewhere_before_pct=quiet,
                elsewhere_pct=elsewhere.stop(),
                queries=counts[endpoint.name]["queries"],
                queries_first=counts[endpoint.name]["queries_cold"],
            )
            results.append(result)
            print(
                f"[maps] {endpoint.name:<34} p50 {result['p50_ms']:7.2f} ms  "
                f"p95 {result['p95_ms']:7.2f} ms  {result['bytes'] / 1024:7.1f} KB  "
                f"gzip {result['gzip_bytes'] / 1024:6.1f} KB  "
                f"repeat {result['repeat_statuses']} {result['repeat_p50_ms']:.2f} ms  "
                f"{result['queries']} queries",
                flush=True,
            )
    lookups = []
    if not args.no_lookups:
        from bench.lookup import nationwide_buurten

        print("[maps] point lookup over the synthetic nationwide buurten", flush=True)
        lookups.append(nationwide_buurten(args.gemeenten))

    import django

    report = {
        "label": "maps",
        "database": masked(args.database_url),
        "database_version": database_version(),
        "django": django.get_version(),
        "finished_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "located_actions": located_actions,
        "generated_actions": generated,
        "command": masked(args.command or "python -m bench.maps " + " ".join(argv or sys.argv[1:])),
        "settings": {
            "workers": args.workers,
            "requests": args.requests,
            "warmup": args.warmup,
            "conn_max_age": CONN_MAX_AGE,
            "worker_class": "gthread",
        },
        "targets": {"median_ms": TARGET_MEDIAN_MS, "wijken_gzip_kb": WIJKEN_GZIP_LIMIT_KB},
        "endpoints": results,
        "lookups": lookups,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
