"""Write docs/performance.md from the JSON that bench.generate and bench.run left behind.

    python -m bench.report --work-dir /tmp/wijkportaal-bench --scales 1 10 100
    python -m bench.report --only maps --command "…"   # only the city map section

The sections at the end of the page that are written by hand (from the HAND_WRITTEN marker
on) are kept on every rewrite.

The numbers are set against the bars of issue 14 (throughput against the bare view, p95,
queries that change with the scale, HTML size); anything beyond that belongs in a commit
message or an issue.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_WORK_DIR, REPO

# The bars of issue 14 ("Done when"): throughput of each anonymous page warm at least this
# fraction of the bare view's, with a p95 of at most this many ms, and no public page's HTML
# larger than this many KB.
RATIO_BAR = 0.6
P95_BAR_MS = 50
HTML_BAR_KB = 60
# The city map section (bench.maps) sits between these, so it can be rewritten on its own.
MAPS_START = "<!-- bench.maps: start -->"
MAPS_END = "<!-- bench.maps: end -->"
# Everything from here to the end of docs/performance.md is written by hand and kept.
HAND_WRITTEN = "<!-- Written by hand from here on: bench.report keeps it. -->"
# The first hand-written section, from before the marker existed.
LEGACY_HAND_WRITTEN = "## Reports\n"


def _read(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def machine() -> dict[str, str]:
    cpu = "unknown"
    memory = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    system = platform.platform()
    os_release = Path("/etc/os-release")
    if os_release.exists():
        for line in os_release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "Memory": memory,
        "System": system,
        "gunicorn": gunicorn or "unknown",
    }


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def _timed(run: dict[str, Any]) -> bool:
    return bool(run["endpoints"]) and all("rps" in e for e in run["endpoints"])


def _queries(e: dict[str, Any]) -> str:
    queries = str(e["queries"])
    if e.get("queries_cold", e["queries"]) != e["queries"]:
        queries += f" (cold {e['queries_cold']})"
    return queries


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def endpoint_table(endpoints: list[dict[str, Any]]) -> list[str]:
    """Warm pages: throughput against the bare view of the same run, latency, queries, size."""
    if not endpoints or not all("rps" in e for e in endpoints):
        lines = [
            "| Endpoint | Path | Queries/request | Size KB | gzip KB |",
            "|---|---|--:|--:|--:|",
        ]
        for e in endpoints:
            lines.append(
                f"| {e['name']} | `{e['path']}` | {_queries(e)} | {_kb(e['bytes'])} "
                f"| {_kb(e['gzip_bytes'])} |"
            )
        return lines
    lines = [
        "| Endpoint | Path | Req/s | × bare | Bare req/s | p50 ms | p95 ms | p99 ms | Requests "
        "| Errors | Queries/request | Size KB | gzip KB | Busy elsewhere |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for e in endpoints:
        lines.append(
            f"| {e['name']} | `{e['path']}` | {e['rps']:.1f} | {_ratio(e['rps_ratio'])} "
            f"| {e['bare_view']['rps']:.0f} | {_ms(e['p50_ms'])} | {_ms(e['p95_ms'])} "
            f"| {_ms(e['p99_ms'])} | {e['requests']} | {e['errors']} | {_queries(e)} "
            f"| {_kb(e['bytes'])} | {_kb(e['gzip_bytes'])} | {e['elsewhere_pct']:.0f}% |"
        )
    return lines


def cold_table(run: dict[str, Any], key: str = "cold") -> list[str]:
    """The first requests after a change, beside the same page warm."""
    warm = {e["name"]: e for e in run["endpoints"]}
    lines = [
        "| Page | Cold req/s | Warm req/s | Cold ÷ warm | p50 ms | p95 ms | Requests | Errors "
        "| Change, median ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for e in run.get(key, []):
        other = warm.get(e["name"])
        warm_rps = f"{other['rps']:.1f}" if other and "rps" in other else "–"
        ratio = _ratio(e["rps"] / other["rps"]) if other and other.get("rps") else _ratio(None)
        lines.append(
            f"| {e['name']} | {e['rps']:.1f} | {warm_rps} | {ratio} | {_ms(e['p50_ms'])} "
            f"| {_ms(e['p95_ms'])} | {e['requests']} | {e['errors']} "
            f"| {e['change_median_ms']} |"
        )
    return lines


def baseline_table(run: dict[str, Any], base: dict[str, Any]) -> list[str]:
    """Throughput now against a baseline run of the same scale (e.g. the code before a change).

    The same page in the same part (warm, signed in, cold); *× bare* beside it, because a
    baseline made on another day saw another machine.
    """
    lines = [
        "| Page | Part | Req/s | Req/s baseline | × baseline | × bare | × bare baseline |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    parts = (
        ("warm", "endpoints"),
        ("signed in", "signed_in"),
        ("cold", "cold"),
        ("cold, many at once", "cold_herd"),
    )
    for part, key in parts:
        before = {e["name"]: e for e in base.get(key, [])}
        for e in run.get(key, []):
            old = before.get(e["name"])
            if "rps" not in e or old is None or "rps" not in old:
                continue
            lines.append(
                f"| {e['name']} | {part} | {e['rps']:.1f} | {old['rps']:.1f} "
                f"| {_ratio(e['rps'] / old['rps'] if old['rps'] else None)} "
                f"| {_ratio(e.get('rps_ratio'))} | {_ratio(old.get('rps_ratio'))} |"
            )
    return lines


def counts_table(gens: dict[str, dict[str, Any]]) -> list[str]:
    labels = list(gens)
    kinds = [
        "wijken",
        "buurten",
        "wijkagendas",
        "agenda_items",
        "plans",
        "actions",
        "progress_updates",
        "proposals",
        "comments",
        "advices",
        "meetings",
    ]
    lines = [
        "| Rows | " + " | ".join(labels) + " |",
        "|---|" + "--:|" * len(labels),
    ]
    for kind in kinds:
        row = " | ".join(str(gens[label]["counts"][kind]) for label in labels)
        lines.append(f"| {kind.replace('_', ' ')} | {row} |")
    lines.append(
        "| generation (s, all steps) | "
        + " | ".join(f"{gens[label]['seconds']:.1f}" for label in labels)
        + " |"
    )
    return lines


def _find(run: dict[str, Any], name: str) -> dict[str, Any] | None:
    pages = run["endpoints"] + run.get("signed_in", [])
    return next((e for e in pages if e["name"] == name), None)


def comparison_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    labels = list(runs)
    first = runs[labels[0]]
    timed = all(_timed(run) for run in runs.values())
    columns = (["× bare", "p95 ms"] if timed else []) + ["queries", "KB"]
    lines = [
        "| Endpoint | "
        + " | ".join(f"{column} {label}" for column in columns for label in labels)
        + " |",
        "|---|" + "--:|" * (len(columns) * len(labels)),
    ]
    for endpoint in first["endpoints"] + first.get("signed_in", []):
        found = [_find(runs[label], endpoint["name"]) for label in labels]
        cells: list[str] = []
        if timed:
            cells += [_ratio(e["rps_ratio"]) if e and "rps" in e else "–" for e in found]
            cells += [_ms(e["p95_ms"]) if e and "rps" in e else "–" for e in found]
        cells += [str(e["queries"]) if e else "–" for e in found]
        cells += [_kb(e["bytes"]) if e else "–" for e in found]
        lines.append(f"| {endpoint['name']} | " + " | ".join(cells) + " |")
    return lines


def observations(runs: dict[str, dict[str, Any]]) -> list[str]:
    """The numbers against the issue's bars (RATIO_BAR, P95_BAR_MS, HTML_BAR_KB)."""
    labels = list(runs)
    notes: list[str] = []
    if not labels:
        return notes
    smallest, largest = runs[labels[0]], runs[labels[-1]]
    if _timed(largest):
        slow = [e for e in largest["endpoints"] if (e["rps_ratio"] or 0) < RATIO_BAR]
        late = [e for e in largest["endpoints"] if e["p95_ms"] > P95_BAR_MS]
        notes.append(
            f"- Throughput at least {RATIO_BAR} of the bare view's at {labels[-1]}: "
            + (
                "every anonymous page."
                if not slow
                else "**not** "
                + ", ".join(f"{e['name']} ({_ratio(e['rps_ratio'])})" for e in slow)
                + "."
            )
        )
        notes.append(
            f"- p95 at most {P95_BAR_MS} ms at {labels[-1]}: "
            + (
                "every anonymous page."
                if not late
                else "**not** "
                + ", ".join(f"{e['name']} ({_ms(e['p95_ms'])} ms)" for e in late)
                + "."
            )
        )
    if len(labels) > 1:
        moved = []
        for e in smallest["endpoints"] + smallest.get("signed_in", []):
            other = _find(largest, e["name"])
            if other is not None and other["queries"] != e["queries"]:
                moved.append(f"{e['name']} ({e['queries']} → {other['queries']})")
        notes.append(
            f"- Queries per request the same at {labels[0]} and {labels[-1]}: "
            + ("every page." if not moved else "**not** " + ", ".join(moved) + ".")
        )
    long = [
        f"{e['name']} at {label} (p50 {_ms(e['p50_ms'])} ms)"
        for label, run in runs.items()
        if _timed(run)
        for e in run["endpoints"] + run.get("signed_in", [])
        if not e["p50_ms"] <= run["settings"]["seconds"] * 1000 / 3
    ]
    if long:
        notes.append(
            "- Turns too short for: "
            + ", ".join(long)
            + ". A connection whose request outlasts a turn adds no answer to it, so the "
            "throughput of a page whose median is over a third of a turn is understated: "
            "rerun with a longer `--seconds`."
        )
    big = [
        f"{e['name']} at {label} ({_kb(e['bytes'])} KB)"
        for label, run in runs.items()
        for e in run["endpoints"]
        if e["path"].endswith("/") and e["bytes"] > HTML_BAR_KB * 1024
    ]
    notes.append(
        f"- No public page's HTML over {HTML_BAR_KB} KB: "
        + ("none is." if not big else "**not** " + ", ".join(big) + ".")
    )
    return notes


def lookup_table(lookups: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| Areas | Count | Vertices | Index build ms | Points (inside an area) "
        "| µs per lookup, all points | µs per lookup, points inside |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for item in lookups:
        lines.append(
            f"| {item['name']} | {item['areas']} | {item['vertices']} | {item['build_ms']} "
            f"| {item['points']} ({item['inside']}) | {item['us_per_lookup_all']} "
            f"| {item['us_per_lookup_inside']} |"
        )
    return lines


def maps_section(run: dict[str, Any], command: str) -> list[str]:
    """The city map: the located-items GeoJSON at 100,000 actions, payloads, 304s, lookup."""
    targets = run["targets"]
    settings = run["settings"]
    lines = [
        MAPS_START,
        "## City map: located items and map payloads",
        "",
        f"- Date: {run['finished_at'].replace('T', ' ')[:16]} UTC",
        f"- Command: `{command}`",
        f"- Database: {run['database_version']}, made by "
        f"`python -m bench.generate --located {run['generated_actions']}`: the Tilburg demo "
        f"plus {run['generated_actions']:,} located actions over the 59 wijken (in proportion "
        "to their inhabitants; one published agenda and plan per wijk), so an anonymous "
        f"visitor sees every one of them; {run['located_actions']:,} located actions in all.",
        f"- gunicorn with {settings['workers']} {settings.get('worker_class', 'sync')} workers, "
        "`DJANGO_DEBUG=false`, "
        f"`WIJKPORTAAL_DB_CONN_MAX_AGE={settings['conn_max_age']}`. One request at a time "
        f"(after {settings['warmup']} to warm up): {settings['requests']} requests per endpoint "
        "with `Accept-Encoding: gzip`, as browsers send it, each on a new connection; the time "
        "is until the last byte. Then as many repeats with `If-None-Match` and the ETag.",
        "- *Raw KB* is the body without `Accept-Encoding`; *gzip KB* what the portal sends "
        "(`gzip_page`). Queries per request as in the tables above (test client, anonymous, "
        "second request).",
        "",
        "| Endpoint | Answer | Median ms | p95 ms | Raw KB | gzip KB | Repeat: status, median ms "
        "| Queries | Busy elsewhere |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for e in run["endpoints"]:
        if "total" in e:
            answer = f"{e['features']} " + (
                f"clusters of {e['total']:,} items" if e["clustered"] else "items"
            )
        else:
            answer = "boundaries"
        lines.append(
            f"| {e['name']} (`{e['path']}`) | {answer} | {_ms(e['p50_ms'])} | {_ms(e['p95_ms'])} "
            f"| {_kb(e['bytes'])} | {_kb(e['gzip_bytes'])} "
            f"| {', '.join(str(s) for s in e['repeat_statuses'])}, {_ms(e['repeat_p50_ms'])} "
            f"| {e['queries']} | {e['elsewhere_pct']:.0f}% |"
        )
    located = [e for e in run["endpoints"] if "total" in e]
    slow = [e for e in located if e["p50_ms"] >= targets["median_ms"]]
    wijken = next((e for e in run["endpoints"] if e["path"] == "/kaart/wijken.geojson"), None)
    not_304 = [e for e in run["endpoints"] if e["repeat_statuses"] != [304]]
    lines += ["", "Against the targets:", ""]
    lines.append(
        f"- Median under {targets['median_ms']} ms for `kaart/locaties.geojson`: "
        + (
            "met for all three views."
            if not slow
            else "**not met** for " + ", ".join(e["name"] for e in slow) + "."
        )
    )
    if wijken is not None:
        verdict = (
            "met" if wijken["gzip_bytes"] / 1024 < targets["wijken_gzip_kb"] else "**not met**"
        )
        lines.append(
            f"- `kaart/wijken.geojson` under {targets['wijken_gzip_kb']} KB compressed: "
            f"{verdict} ({_kb(wijken['gzip_bytes'])} KB)."
        )
    lines.append(
        "- A repeat with `If-None-Match` answers 304 with an empty body: "
        + (
            "yes, for every endpoint."
            if not not_304
            else "**no** for " + ", ".join(e["name"] for e in not_304) + "."
        )
    )
    if run.get("lookups"):
        lines += [
            "",
            "Point lookup over all Dutch buurten: there is no nationwide buurten file beside "
            "the project, so each of the 342 gemeenten of `nl-gemeenten.geojson` is cut into "
            "the Voronoi cells of 40 random points inside it (`bench.lookup.synthetic_buurten`), "
            "and `areas.geometry.PointIndex` is built over those; timed as in the table "
            "below (target: under 50 µs per lookup).",
            "",
            *lookup_table(run["lookups"]),
        ]
    lines.append(MAPS_END)
    return lines


def splice_maps(document: str, section: str) -> str:
    """The document with its city map section replaced (or added before the hand-written
    part), and everything else left as it was."""
    if MAPS_START in document and MAPS_END in document:
        before = document[: document.index(MAPS_START)]
        after = document[document.index(MAPS_END) + len(MAPS_END) :]
        return before + section + after
    for marker in (HAND_WRITTEN, LEGACY_HAND_WRITTEN):
        if marker in document:
            at = document.index(marker)
            return document[:at] + section + "\n\n" + document[at:]
    return document.rstrip() + "\n\n" + section + "\n"


def hand_written(document: str) -> str:
    """The hand-written end of docs/performance.md (from the marker on), or ""."""
    if HAND_WRITTEN in document:
        return document[document.index(HAND_WRITTEN) :]
    if LEGACY_HAND_WRITTEN in document:
        return HAND_WRITTEN + "\n\n" + document[document.index(LEGACY_HAND_WRITTEN) :]
    return ""


def write(output: Path, generated: str) -> None:
    """Write the generated report and keep what was written by hand below it."""
    kept = hand_written(output.read_text()) if output.exists() else ""
    output.write_text(generated.rstrip() + "\n" + ("\n" + kept.rstrip() + "\n" if kept else ""))


def code_version() -> str:
    """The commit measured, from git (read only), and whether the tree had changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def render(
    work_dir: Path,
    scales: list[int],
    command: str,
    code: str | None = None,
    baseline: Path | None = None,
    baseline_name: str = "",
) -> str:
    """The page; with `baseline`, a work folder of an earlier run, each scale against it."""
    labels = [f"{scale}x" for scale in scales]
    gens = {label: g for label in labels if (g := _read(work_dir / f"gen-{label}.json"))}
    runs = {label: r for label in labels if (r := _read(work_dir / f"run-{label}.json"))}
    nl_gen = _read(work_dir / "gen-nationwide.json")
    nl_run = _read(work_dir / "run-nationwide.json")
    any_run = next(iter(runs.values()), nl_run)
    timed = any_run is not None and _timed(any_run)
    if any_run is None:
        raise SystemExit(f"No results in {work_dir}: run `python -m bench` first.")
    settings = any_run["settings"]
    when = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")

    out: list[str] = [
        "# Performance",
        "",
        "Measured with the benchmark suite in `bench/` (see "
        "[bench/README.md](../bench/README.md)). The numbers below are what one run on the "
        "machine below gave; rerun the command to update this page. The suite is not part "
        "of the test suite.",
        "",
        "## How it was run",
        "",
        f"- Date: {when}",
        f"- Command: `{command}`",
        f"- Code: {code or code_version()}",
        "",
        "| Machine | |",
        "|---|---|",
    ]
    for key, value in machine().items():
        out.append(f"| {key} | {value} |")
    out += [
        f"| Python | {any_run['python']} |",
        f"| Django | {any_run['django']} |",
        f"| Database | {any_run['database_version']} |",
        f"| Load generator | {any_run['tool']} |",
        "",
    ]
    if not timed:
        out += [
            "**No latency or throughput in this run** (`--no-load`): only what does not depend "
            "on the machine being quiet, namely queries per request, response sizes, data "
            "volumes and generation times, and the point-lookup timing (CPU-bound, so it "
            "may be disturbed too). Run `make bench` on a quiet machine for the load numbers.",
            "",
        ]
    setup = (
        f"Redis as the cache and the Celery broker ({settings['cache']})"
        if settings.get("redis")
        else f"no Redis: the local-memory cache ({settings.get('cache', 'LocMemCache')}), "
        "tasks in process"
    )
    load_method = [
        f"- The portal runs under gunicorn with the production config "
        f"(`wijkportaal/gunicorn_conf.py`): {settings['workers']} {settings['worker_class']} "
        f"workers × {settings['threads']} threads (production's class and threads; the issue's "
        "2 processes where production runs 3), keep-alive, no restart after a number of "
        "requests (at thousands a second a worker would restart every second), on 127.0.0.1; "
        f"`DJANGO_DEBUG=false`, `WIJKPORTAAL_DB_CONN_MAX_AGE={settings['conn_max_age']}` "
        f"(production's) with health checks, {setup}, the translations compiled "
        f"({', '.join(settings.get('translations', [])) or 'none found'}), no basemap. No "
        "Celery worker runs: the pages measured queue no task.",
        f"- Warm: each page is measured interleaved with the bare view `/status/`: "
        f"{settings['rounds']} × ({settings['seconds']:g} s bare view, {settings['seconds']:g} s "
        f"page), each turn a fixed-duration wrk run with {settings['connections']} concurrent "
        "connections (one per wrk thread), after a warm-up of "
        f"{settings['warmup_bursts']} × {settings['connections']} requests at once on each. "
        "*× bare* is the page's throughput divided "
        "by the bare view's of the same turns, so both saw the same machine.",
        "- Latencies are the harness's own: `bench/wrk.lua` notes the time of each request "
        "and of its answer (wrk's own percentiles, corrected for coordinated omission, are "
        "not used). They include the wait for a free worker thread. Throughput: for each "
        "connection its answers over the time from its first request to its last answer, "
        "summed over the connections.",
        f"- Signed in: {settings.get('signed_in_as') or 'none'}, with a session stored in the "
        "benchmark database, on the werkplek, the wijk and the wijkagenda, measured as above.",
        f"- Cold: the first requests after a change ({settings.get('change', 'a change')}, "
        f"through the portal's service, committed): {settings.get('cold_rounds')} × (change, "
        f"then {settings.get('cold_connections')} requests at once, as many as there are "
        "worker processes). Throughput over the time the requests took; the changes' own "
        "time is shown apart. Then the same with "
        f"{settings.get('herd_connections') or 'no'} requests at once after each change: the "
        "visitors who read a busy page when it changes, who share one render "
        '(docs/architecture.md, "One render for visitors who come in together").',
        "- Client, server and database share the same cores, so the load generator takes CPU "
        "from the portal; the ratios to the bare view are more telling than absolute numbers.",
        "- Before each page the suite waits (at most "
        f"{settings.get('patience', 0):g} s) until other processes use less than "
        f"{settings['quiet_pct']:.0f}% of a core. *Busy elsewhere* is the CPU other "
        "processes used during the page's turns, in % of one core: a floor, because "
        "processes that start and end within the window are missed.",
    ]
    if timed:
        out += load_method
    out += [
        "- Queries per request: Django's test client in the runner's process, on the same "
        "database and cache, counted with `CaptureQueriesContext`: after a first request and "
        "a change, the cold request and then the warm one (shown; the cold one when it "
        "differs). Size: the warm answer's HTML or JSON, raw and gzip (level 6).",
        "- The anonymous visitor is the common case: drafts, team notes and council-only "
        "proposals are not on these pages.",
        "",
        "## Data",
        "",
        "Scale 1x is the Tilburg demo as `load_tilburg` writes it, with the real CBS "
        "boundaries of `../shared/data` (59 wijken, 254 buurten, 2 of them without a "
        "boundary). At scale N the database holds N times the demo's agendas, agenda items, "
        "plans, actions, progress updates, proposals, comments, advices and meetings: the "
        "extra is synthetic, spread over all 59 wijken, with mixed statuses (past periods "
        "archived, running ones mostly published, future ones drafts; actions planned to "
        "done), dates around today and points inside the wijk. Advices need a wijkraad for "
        "one of the proposal's wijken, and the demo has 6 councils, so there are fewer "
        "advices than N times the demo's.",
        "",
    ]
    if gens:
        out += counts_table(gens)
        out.append("")
    pages = (
        "The pages: `gebied` is West (`/gebieden/west/`), `wijk` is Het Zand, one of the "
        "wijken of the demo's West agenda, and `wijkagenda` is that agenda; these stay the "
        "same at every scale while the synthetic content around them grows (Het Zand gets "
        "its share of the synthetic agendas, proposals and meetings). *proposal, most "
        "comments* is the decided public proposal with the most comments at that scale."
    )
    out += ["## Results per scale", "", pages, ""]
    for label, run in runs.items():
        out += [f"### {label}", "", *endpoint_table(run["endpoints"]), ""]
        if run.get("signed_in"):
            out += ["Signed in:", "", *endpoint_table(run["signed_in"]), ""]
        if run.get("cold"):
            out += ["Cold, the first requests after a change:", "", *cold_table(run), ""]
        if run.get("cold_herd"):
            herd = run["settings"].get("herd_connections")
            out += [
                f"Cold, {herd} visitors at once after each change:",
                "",
                *cold_table(run, "cold_herd"),
                "",
            ]
        if run.get("alone"):
            out += [
                "One visitor alone (signed in, past the page cache), one request after the other:",
                "",
                "| Page | Requests | p50 ms | p95 ms | Max ms |",
                "|---|--:|--:|--:|--:|",
                *(
                    f"| {e['name']} | {e['requests']} | {_ms(e['p50_ms'])} | {_ms(e['p95_ms'])} "
                    f"| {_ms(e['max_ms'])} |"
                    for e in run["alone"]
                ),
                "",
            ]
        base = _read(baseline / f"run-{label}.json") if baseline else None
        if base is not None and _timed(run) and _timed(base):
            out += [
                f"Against the baseline{f' ({baseline_name})' if baseline_name else ''}, "
                f"measured the same way at {label}:",
                "",
                *baseline_table(run, base),
                "",
            ]
    if len(runs) > 1:
        out += ["### Across the scales", "", *comparison_table(runs), ""]
    out += ["### Against the bars of issue 14", "", *observations(runs), ""]

    if nl_run is not None:
        territory = (nl_gen or {}).get("territory", {})
        out += [
            "## Nationwide territory",
            "",
            f"The {territory.get('gemeenten', 342)} municipalities of `nl-gemeenten.geojson` "
            f"(CBS 2023; {territory.get('vertices_in_file', '?')} vertices in the file) as "
            f"wijken with codes `WK` + the gemeente's four digits + `00`, grouped by location "
            f"into {territory.get('gebiedsteams', 12)} gebiedsteams (k-means on their label "
            "points, named after their largest gemeente), their boundaries stored through "
            "`areas.services.import_boundaries` "
            f"({territory.get('seconds_import_boundaries', '?')} s for the import, outlines "
            "included). No agendas: this measures the maps and the point lookup.",
            "",
            "| Payload | Raw KB | gzip KB (level 6) |",
            "|---|--:|--:|",
        ]
        for e in nl_run["endpoints"]:
            if e["path"].startswith("/kaart/"):
                out.append(
                    f"| `{e['path']}` ({e['name']}) | {_kb(e['bytes'])} | {_kb(e['gzip_bytes'])} |"
                )
        out += [
            "",
            "The gzip column is the body compressed at level 6; the map endpoints send it "
            "so (`gzip_page`) to a browser that asks for gzip."
            "",
            *endpoint_table(nl_run["endpoints"]),
            "",
            "`point lookup` is `/wijken/zoek/` for a point in Tilburg: one aggregate query to "
            "check the index is current, the in-process `PointIndex`, and a 302 to the "
            "gemeente's page (wrk does not follow it).",
            "",
        ]
    lookups = [*(nl_run or {}).get("lookups", [])]
    if runs:
        lookups += next(iter(runs.values())).get("lookups", [])
    if lookups:
        out += [
            "## Point → area lookup",
            "",
            "`areas.geometry.PointIndex` (an STR-tree over prepared shapes) built from the "
            "boundaries stored in the database, and random points uniform over the bounding "
            "box of the areas, looked up one at a time in Python (`timeit`, best of 5 rounds "
            "over 20,000 points). Points in the box that fall outside every area (sea, "
            "neighbouring countries or municipalities) are answered from the tree alone.",
            "",
            *lookup_table(lookups),
            "",
        ]
    maps_run = _read(work_dir / "run-maps.json")
    if maps_run is not None:
        out += [*maps_section(maps_run, maps_run.get("command", command)), ""]
    return "\n".join(out).rstrip() + "\n"


def update_maps(work_dir: Path, output: Path, command: str) -> None:
    """Rewrite only the city map section of the page, from run-maps.json."""
    run = _read(work_dir / "run-maps.json")
    if run is None:
        raise SystemExit(f"No run-maps.json in {work_dir}: run `python -m bench.maps` first.")
    document = output.read_text() if output.exists() else "# Performance\n"
    section = "\n".join(maps_section(run, command))
    output.write_text(splice_maps(document, section))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--command", default="python -m bench")
    parser.add_argument("--code", help="the code measured (default: from git)")
    parser.add_argument(
        "--baseline", type=Path, help="the work folder of an earlier run, to compare with"
    )
    parser.add_argument("--baseline-name", default="", help="what the baseline measured")
    parser.add_argument(
        "--only",
        choices=["maps"],
        help="rewrite only this section (from run-maps.json); keep the rest of the page",
    )
    args = parser.parse_args(argv)
    if args.only == "maps":
        update_maps(args.work_dir, args.output, args.command)
    else:
        document = render(
            args.work_dir,
            args.scales,
            args.command,
            args.code,
            baseline=args.baseline,
            baseline_name=args.baseline_name,
        )
        write(args.output, document)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
