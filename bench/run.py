"""Load runner: the portal under gunicorn as in production, each page interleaved with the
bare view, cold and signed-in requests, queries per request.

    python -m bench.run --database-url postgres://postgres@127.0.0.1:54329/bench_100x \\
        --redis-url redis://127.0.0.1:6379/15 --label 100x --out run-100x.json

Before anything else it compiles the translations (`compiletranslations`: the pages are
Dutch, as in production), collects the static files (`collectstatic`, as a deployment does
after each update) and empties the cache (with `--redis-url`: that Redis database,
FLUSHDB). Then:

1. Queries per request, counted in this process with Django's test client and
   `CaptureQueriesContext` on the same database and cache: for each endpoint a first request
   (not counted), a change (`bench.changes`), the *cold* request after it and a *warm* one.
   Sizes: the warm answer's body, raw and gzip.
2. gunicorn with the production config (`bench.load.gunicorn`: gthread, `--workers`
   processes), `DJANGO_DEBUG=false`, `WIJKPORTAAL_DB_CONN_MAX_AGE` 60 and Redis as cache and
   broker as in production, on a free port of 127.0.0.1.
3. Warm: each page `--rounds` × (the bare view `/status/` for `--seconds`, the page for
   `--seconds`), `--connections` concurrent connections, wrk with bench/wrk.lua, which times
   every request itself (fixed duration, nothing stops early). Throughput and percentiles
   from those timings; the page's throughput as a ratio to the bare view's of the same run.
4. Signed in (Tilburg profile): a team member of the agenda's gebiedsteam, with a session
   made in the benchmark database, on the werkplek, wijk and wijkagenda pages, as in 3.
5. Cold (Tilburg profile): the wijk and wijkagenda pages, `--cold-rounds` × (a change,
   then `--cold-connections` requests at once).

Without wrk on the PATH a threaded `http.client` loader does the same, less precisely: it
shares the CPU with the server.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import changes
from bench.common import busiest_proposal_slug, configure, masked
from bench.load import (
    Endpoint,
    cold,
    gunicorn,
    interleave,
    one_at_a_time,
    pick_tool,
    tool_version,
    warm_up,
)

BARE = Endpoint("bare view", "/status/")


def tilburg_endpoints(*, gebied: str, wijk: str, wijkagenda: str) -> list[Endpoint]:
    """The pages of the issue, with the bare view first; plus the lists and a busy proposal."""
    busiest = busiest_proposal_slug()
    endpoints = [
        BARE,
        Endpoint("home", "/"),
        Endpoint("gebied", f"/gebieden/{gebied}/"),
        Endpoint("wijk", f"/wijken/{wijk}/"),
        Endpoint("wijkagenda", f"/wijkagendas/{wijkagenda}/"),
        Endpoint("map: wijken", "/kaart/wijken.geojson"),
        Endpoint("wijkagenda list", "/wijkagendas/"),
        Endpoint("proposal list", "/voorstellen/"),
    ]
    if busiest is not None:
        endpoints.append(Endpoint("proposal, most comments", f"/voorstellen/{busiest}/"))
    return endpoints


def nationwide_endpoints() -> list[Endpoint]:
    return [
        BARE,
        Endpoint("map: wijken", "/kaart/wijken.geojson"),
        Endpoint("map: gebieden", "/kaart/gebieden.geojson"),
        # The Tilburg town hall: the index finds gemeente Tilburg and redirects to its page.
        Endpoint("point lookup", "/wijken/zoek/?lon=5.0913&lat=51.5555", expect=302),
        Endpoint("wijk list", "/wijken/"),
        Endpoint("home", "/"),
    ]


def team_member(wijkagenda: str) -> Any:
    """A team member of the agenda's gebiedsteam: a wijkregisseur if there is one."""
    from areas.models import TeamMembership

    memberships = TeamMembership.objects.filter(
        gebiedsteam__wijkagendas__slug=wijkagenda, user__is_active=True
    ).select_related("user")
    membership = (
        memberships.filter(role=TeamMembership.Role.WIJKREGISSEUR).order_by("pk").first()
        or memberships.order_by("pk").first()
    )
    if membership is None:
        raise SystemExit(f"The gebiedsteam of {wijkagenda} has no member to sign in.")
    return membership.user


def session_cookie(user: Any) -> str:
    """A `Cookie` header for `user`, signed in with a session stored as the portal stores it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def signed_in_endpoints(cookie: str, *, wijk: str, wijkagenda: str) -> list[Endpoint]:
    headers = {"Cookie": cookie}
    return [
        Endpoint("werkplek (signed in)", "/werkplek/", headers=headers),
        Endpoint("wijk (signed in)", f"/wijken/{wijk}/", headers=headers),
        Endpoint("wijkagenda (signed in)", f"/wijkagendas/{wijkagenda}/", headers=headers),
        # The search (issue 16), never from the page cache when signed in: a word that the
        # description of a demo action holds ("betere verlichting bij de oversteek") and the
        # title of another, misspelt ("Moestuin in het Quirijnstokpark").
        Endpoint("search: a word (signed in)", "/zoeken/?q=verlichting", headers=headers),
        Endpoint("search: a misspelling (signed in)", "/zoeken/?q=moestiun", headers=headers),
    ]


# --- queries per request, in process ------------------------------------------------------


def count_queries(endpoints: list[Endpoint], change: Any) -> dict[str, dict[str, Any]]:
    """Queries of the first request after a change (cold) and of the one after (warm).

    Each request from a new test client: an anonymous visitor brings no cookie back.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        Client().get(endpoint.path, headers=endpoint.headers)
        change()
        with CaptureQueriesContext(connection) as first:
            Client().get(endpoint.path, headers=endpoint.headers)
        with CaptureQueriesContext(connection) as second:
            response = Client().get(endpoint.path, headers=endpoint.headers)
        if response.status_code != endpoint.expect:
            raise SystemExit(
                f"{endpoint.path}: status {response.status_code}, expected {endpoint.expect}"
            )
        body = response.content
        counts[endpoint.name] = {
            "queries": len(second.captured_queries),
            "queries_cold": len(first.captured_queries),
            "status": response.status_code,
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body, compresslevel=6)),
            "cookies_set": sorted(response.cookies.keys()),
        }
    return counts


# --- the machine and the data ----------------------------------------------------------


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


# --- the run ------------------------------------------------------------------------------


def prepare(redis_url: str) -> dict[str, Any]:
    """Compile the translations, collect the static files and empty the cache, as a fresh
    deployment would start (without DEBUG, pages name static files from the manifest)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("compiletranslations", verbosity=0)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    catalogues = sorted(
        str(mo.relative_to(base))
        for base in settings.LOCALE_PATHS
        for mo in Path(base).glob("*/LC_MESSAGES/*.mo")
    )
    cache.clear()
    return {
        "translations": catalogues,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "redis": masked(redis_url) if redis_url else None,
    }


def load_pages(
    port: int,
    pages: list[Endpoint],
    counts: dict[str, dict[str, Any]],
    *,
    elsewhere: Elsewhere,
    tool: str,
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    """Each page interleaved with the bare view, as `bench.load.interleave` does it."""
    results: list[dict[str, Any]] = []
    for page in pages:
        quiet = elsewhere.wait_for_quiet(limit=args.quiet, patience=args.patience)
        for endpoint in (BARE, page):
            warm_up(port, endpoint, connections=args.connections, bursts=args.warmup)
        elsewhere.start()
        load = interleave(
            port,
            page,
            BARE,
            tool=tool,
            rounds=args.rounds,
            seconds=args.seconds,
            connections=args.connections,
        )
        busy = elsewhere.stop()
        load.update(
            name=page.name,
            path=page.path,
            elsewhere_before_pct=quiet,
            elsewhere_pct=busy,
            **counts[page.name],
        )
        results.append(load)
        print(
            f"[{args.label}] {page.name:<24} {load['rps']:7.1f} req/s "
            f"({load['rps_ratio']} × bare {load['bare_view']['rps']:.0f})  "
            f"p50 {load['p50_ms']:7.2f} ms  p95 {load['p95_ms']:7.2f} ms  "
            f"{load['queries']:>3} queries  {load['errors']} errors  elsewhere {busy:.0f}%",
            flush=True,
        )
    return results


def load_cold(
    port: int,
    pages: list[Endpoint],
    change: Any,
    *,
    connections: int,
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for page in pages:
        result = cold(port, page, change, rounds=args.cold_rounds, connections=connections)
        result.update(name=page.name, path=page.path)
        results.append(result)
        print(
            f"[{args.label}] cold×{connections} {page.name:<16} {result['rps']:7.1f} req/s  "
            f"p50 {result['p50_ms']:7.2f} ms  p95 {result['p95_ms']:7.2f} ms  "
            f"{result['errors']} errors  change {result['change_median_ms']} ms",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="Redis as cache and broker, as in production (default: $REDIS_URL); the run "
        "empties this Redis database. Without one: the local-memory cache",
    )
    parser.add_argument("--label", required=True, help="e.g. 10x or nationwide")
    parser.add_argument("--profile", choices=["tilburg", "nationwide"], default="tilburg")
    parser.add_argument("--out", type=Path, required=True, help="results, as JSON")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (gthread)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="(bare, page) turns per page")
    parser.add_argument("--seconds", type=float, default=3, help="per turn of bare or page")
    parser.add_argument(
        "--warmup", type=int, default=1, help="bursts of --connections requests, per endpoint"
    )
    parser.add_argument("--cold-rounds", type=int, default=15, help="changes per cold page")
    parser.add_argument(
        "--cold-connections", type=int, help="requests after each change (default: --workers)"
    )
    parser.add_argument(
        "--herd-connections",
        type=int,
        default=8,
        help="cold again with this many visitors at once after each change (0: not)",
    )
    parser.add_argument("--conn-max-age", type=int, default=60, help="as in production: 60")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-lookups", action="store_true")
    parser.add_argument("--no-signed-in", action="store_true")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument(
        "--alone-requests", type=int, default=50, help="search requests one at a time"
    )
    parser.add_argument(
        "--no-load", action="store_true", help="only queries, sizes and lookups: no gunicorn"
    )
    parser.add_argument(
        "--quiet", type=float, default=25.0, help="%% of a core other processes may use"
    )
    parser.add_argument(
        "--patience", type=float, default=15.0, help="seconds to wait for it, per page"
    )
    parser.add_argument("--gebied", default="west")
    parser.add_argument("--wijk", default="het-zand")
    parser.add_argument("--wijkagenda", default="wijkagenda-west-het-zand-wandelbos-de-reit")
    args = parser.parse_args(argv)
    args.cold_connections = args.cold_connections or args.workers
    tool = pick_tool(args.tool)
    started = time.monotonic()

    configure(args.database_url, conn_max_age=args.conn_max_age, redis_url=args.redis_url)
    setup = prepare(args.redis_url)
    tilburg = args.profile == "tilburg"

    def change() -> str:
        return changes.make_change(args.wijkagenda)

    signed_in: list[Endpoint] = []
    person = None
    if tilburg:
        endpoints = tilburg_endpoints(
            gebied=args.gebied, wijk=args.wijk, wijkagenda=args.wijkagenda
        )
        if not args.no_signed_in:
            user = team_member(args.wijkagenda)
            person = f"user {user.pk}, team member of the agenda's gebiedsteam"
            signed_in = signed_in_endpoints(
                session_cookie(user), wijk=args.wijk, wijkagenda=args.wijkagenda
            )
    else:
        endpoints = nationwide_endpoints()
    print(f"[{args.label}] counting queries", flush=True)
    # The nationwide territory has no agenda to change: its cold count is the first request.
    counts = count_queries(endpoints + signed_in, change if tilburg else lambda: None)
    found = [] if args.no_lookups else lookups(args.profile)

    pages = [e for e in endpoints if e != BARE]
    results: list[dict[str, Any]] = []
    signed: list[dict[str, Any]] = []
    colds: list[dict[str, Any]] = []
    herds: list[dict[str, Any]] = []
    alone: list[dict[str, Any]] = []
    if args.no_load:
        results = [dict(name=e.name, path=e.path, **counts[e.name]) for e in pages]
        signed = [dict(name=e.name, path=e.path, **counts[e.name]) for e in signed_in]
    log = args.out.with_suffix(".gunicorn.log")
    server = (
        nullcontext((0, 0))
        if args.no_load
        else gunicorn(
            args.database_url,
            workers=args.workers,
            conn_max_age=args.conn_max_age,
            redis_url=args.redis_url,
            log=log,
        )
    )
    with server as (port, pid):
        if not args.no_load:
            elsewhere = Elsewhere(pid)
            results = load_pages(port, pages, counts, elsewhere=elsewhere, tool=tool, args=args)
            signed = load_pages(port, signed_in, counts, elsewhere=elsewhere, tool=tool, args=args)
            # The search for one visitor alone (issue 16: at most 50 ms at 100x).
            alone = [
                one_at_a_time(port, endpoint, requests=args.alone_requests)
                for endpoint in signed_in
                if endpoint.name.startswith("search")
            ]
            if tilburg and not args.no_cold:
                cold_pages = [e for e in pages if e.name in ("wijk", "wijkagenda")]
                colds = load_cold(
                    port, cold_pages, change, connections=args.cold_connections, args=args
                )
                if args.herd_connections:
                    herds = load_cold(
                        port, cold_pages, change, connections=args.herd_connections, args=args
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
        "minutes": round((time.monotonic() - started) / 60, 1),
        "tool": "none (--no-load)" if args.no_load else tool_version(tool),
        "settings": {
            "server": "gunicorn --config wijkportaal/gunicorn_conf.py (gthread)",
            "workers": args.workers,
            "worker_class": "gthread",
            "threads": int(os.environ.get("WIJKPORTAAL_WEB_THREADS", "4")),
            "connections": args.connections,
            "rounds": args.rounds,
            "seconds": args.seconds,
            "warmup_bursts": args.warmup,
            "cold_rounds": args.cold_rounds,
            "cold_connections": args.cold_connections,
            "herd_connections": args.herd_connections,
            "conn_max_age": args.conn_max_age,
            "quiet_pct": args.quiet,
            "patience": args.patience,
            "signed_in_as": person,
            "change": "an edit of a published action's title (bench.changes)",
            **setup,
        },
        "endpoints": results,
        "signed_in": signed,
        "cold": colds,
        "cold_herd": herds,
        "alone": alone,
        "lookups": found,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
