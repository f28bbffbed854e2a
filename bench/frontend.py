"""The front end on a throttled phone: FCP, LCP and the bytes of each main page.

    python -m bench.frontend --database-url postgres://postgres@127.0.0.1:5432/bench_frontend

Loads the Tilburg demo into the database (its name must start with `bench_`; dropped and
made anew; `--skip-generate` uses the database as it is), compiles the translations, runs
`collectstatic` with the settings' default storage, and starts gunicorn with the production
settings (DEBUG off, wijkportaal/gunicorn_conf.py) on a free port of 127.0.0.1. Then each
page is opened `--runs` times, every time in a new browser context (an empty cache, as a
first visit), in Debian's Chromium on the throttled phone profile of Lighthouse's "slow
4G": the CPU 4× slower (`Emulation.setCPUThrottlingRate`), 150 ms round trip, 1.6 Mbit/s
down and 750 kbit/s up (`Network.emulateNetworkConditions`), a 412 × 823 phone screen.

For each page: the median first contentful paint and largest contentful paint, and the
bytes over the wire (compressed, as sent) of the HTML, the stylesheets and the scripts, with
the number of render-blocking stylesheets. The budgets of issue 14 are FCP and LCP ≤ 1.0 s,
JS ≤ 100 KB and CSS ≤ 40 KB compressed; a page over budget is marked. Prints a table and
writes JSON to `--out`; the figures go by hand into docs/performance.md ("Front end").
Needs Playwright (a dev dependency) and Debian's `chromium-headless-shell` (or `chromium`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import (
    DEFAULT_WORK_DIR,
    REPO,
    SHARED_DATA,
    busiest_proposal_slug,
    database_name,
    masked,
    portal_environment,
    recreate_database,
)
from bench.load import get, gunicorn
from bench.run import Elsewhere

CHROMIUM_BINARIES = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Lighthouse's mobile profile ("slow 4G" and a mid-range phone).
CPU_SLOWDOWN = 4
LATENCY_MS = 150
DOWNLOAD_BITS = 1.6 * 1024 * 1024
UPLOAD_BITS = 750 * 1024
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
# The budgets of issue 14.
PAINT_BUDGET_S = 1.0
JS_BUDGET = 100 * 1024
CSS_BUDGET = 40 * 1024

# The paints, read after the load: the last LCP candidate is the page's LCP. With them, where
# the time before the first paint went: the HTML's first byte, the last stylesheet's end.
PAINTS = """() => new Promise((resolve) => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const html = performance.getEntriesByType("navigation")[0];
    const css = performance.getEntriesByType("resource")
        .filter((entry) => entry.initiatorType === "link" && entry.name.endsWith(".css"));
    const timing = {fcp: fcp ? fcp.startTime : null, ttfb: html.responseStart,
                    cssEnd: Math.max(0, ...css.map((entry) => entry.responseEnd))};
    new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve({...timing, lcp: entries.length ? entries[entries.length - 1].startTime : null});
    }).observe({type: "largest-contentful-paint", buffered: true});
    setTimeout(() => resolve({...timing, lcp: null}), 3000);
})"""
# Stylesheets that apply to the screen: in the <head> they hold up the first paint; at the end
# of the <body> (Leaflet's, on pages with a map) only what follows them, the scripts.
STYLESHEETS = """() => {
    const sheets = [...document.querySelectorAll('link[rel~="stylesheet"]')]
        .filter((link) => !link.media || link.media === "all" || matchMedia(link.media).matches);
    return [sheets.filter((link) => link.closest("head")).length,
            sheets.filter((link) => !link.closest("head")).length];
}"""


def main_pages() -> list[tuple[str, str]]:
    """The six main pages of the issue (as bench.run), the busiest proposal and the city map."""
    busiest = busiest_proposal_slug()
    assert busiest is not None, "the demo is not loaded"
    return [
        ("home", "/"),
        ("gebied", "/gebieden/west/"),
        ("wijk", "/wijken/het-zand/"),
        ("wijkagenda", "/wijkagendas/wijkagenda-west-het-zand-wandelbos-de-reit/"),
        ("wijkagenda list", "/wijkagendas/"),
        ("proposal list", "/voorstellen/"),
        ("proposal, most comments", f"/voorstellen/{busiest}/"),
        ("city map", "/kaart/"),
    ]


def prepare(url: str, *, generate: bool, boundaries: Path, log: Path) -> None:
    """The demo in the database (when asked), Dutch compiled, the static files collected."""
    env = portal_environment(url)
    python = sys.executable
    log.parent.mkdir(parents=True, exist_ok=True)
    commands = [[python, "manage.py", "compiletranslations"]]
    if generate:
        recreate_database(url)
        commands += [
            [python, "manage.py", "migrate", "--no-input"],
            [python, "manage.py", "load_tilburg", "--boundaries", str(boundaries)],
        ]
    commands.append([python, "manage.py", "collectstatic", "--no-input", "--clear"])
    with log.open("w") as out:
        for command in commands:
            print("$ " + " ".join(command[1:]), flush=True)
            subprocess.run(command, cwd=REPO, env=env, stdout=out, stderr=out, check=True)


def visit(browser: Any, url: str) -> dict[str, Any]:
    """One first visit of `url` on the throttled phone: paints, bytes, requests."""
    context = browser.new_context(locale="nl-NL", **PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWNLOAD_BITS / 8,
                "uploadThroughput": UPLOAD_BITS / 8,
            },
        )
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        responses: dict[str, dict[str, Any]] = {}

        def received(event: dict[str, Any]) -> None:
            response = event["response"]
            responses[event["requestId"]] = {
                "url": response["url"],
                "type": event.get("type", ""),
                "status": response["status"],
                "encoding": {k.lower(): v for k, v in response["headers"].items()}.get(
                    "content-encoding", ""
                ),
                "bytes": 0,
            }

        def finished(event: dict[str, Any]) -> None:
            if event["requestId"] in responses:
                responses[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        paints = page.evaluate(PAINTS)
        blocking, in_body = page.evaluate(STYLESHEETS)
    finally:
        context.close()
    by_type: dict[str, int] = {}
    for response in responses.values():
        by_type[response["type"]] = by_type.get(response["type"], 0) + response["bytes"]
    return {
        "fcp_ms": paints["fcp"],
        "lcp_ms": paints["lcp"],
        "ttfb_ms": paints["ttfb"],
        "css_end_ms": paints["cssEnd"],
        "html_bytes": by_type.get("Document", 0),
        "css_bytes": by_type.get("Stylesheet", 0),
        "js_bytes": by_type.get("Script", 0),
        "blocking_stylesheets": blocking,
        "body_stylesheets": in_body,
        "requests": sorted(
            (r["type"], r["url"].split("/", 3)[-1], r["status"], r["encoding"], r["bytes"])
            for r in responses.values()
        ),
    }


def measure(
    server: tuple[int, int],
    pages: list[tuple[str, str]],
    runs: int,
    *,
    limit: float,
    patience: float,
) -> list[dict[str, Any]]:
    """Each page `runs` times, once the rest of the machine is quiet (or `patience` is up):
    a throttled CPU on a busy machine is slower still. The machine's load goes in the result."""
    from playwright.sync_api import sync_playwright

    port, pid = server
    quiet = Elsewhere(pid)

    chromium = next((path for path in CHROMIUM_BINARIES if path.is_file()), None)
    if chromium is None:
        raise SystemExit("No Chromium (Debian: apt-get install chromium-headless-shell)")
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
        )
        try:
            # One visit each first, not counted: the server's own caches and the workers warm.
            for _name, path in pages:
                get(port, path)
            for name, path in pages:
                busy = quiet.wait_for_quiet(limit=limit, patience=patience)
                visits = [visit(browser, f"http://127.0.0.1:{port}{path}") for _ in range(runs)]
                fcp = statistics.median(v["fcp_ms"] for v in visits)
                lcp = statistics.median(v["lcp_ms"] or v["fcp_ms"] for v in visits)
                last = visits[-1]
                result = {
                    "name": name,
                    "path": path,
                    "fcp_s": round(fcp / 1000, 3),
                    "lcp_s": round(lcp / 1000, 3),
                    "ttfb_s": round(statistics.median(v["ttfb_ms"] for v in visits) / 1000, 3),
                    "css_end_s": round(
                        statistics.median(v["css_end_ms"] for v in visits) / 1000, 3
                    ),
                    "machine_busy_pct": busy,
                    "fcp_runs_s": [round(v["fcp_ms"] / 1000, 3) for v in visits],
                    "lcp_runs_s": [round((v["lcp_ms"] or v["fcp_ms"]) / 1000, 3) for v in visits],
                    "html_bytes": last["html_bytes"],
                    "css_bytes": last["css_bytes"],
                    "js_bytes": last["js_bytes"],
                    "blocking_stylesheets": last["blocking_stylesheets"],
                    "body_stylesheets": last["body_stylesheets"],
                    "requests": last["requests"],
                }
                result["over_budget"] = [
                    what
                    for what, over in (
                        ("FCP", result["fcp_s"] > PAINT_BUDGET_S),
                        ("LCP", result["lcp_s"] > PAINT_BUDGET_S),
                        ("JS", result["js_bytes"] > JS_BUDGET),
                        ("CSS", result["css_bytes"] > CSS_BUDGET),
                    )
                    if over
                ]
                print(row(result), flush=True)
                results.append(result)
        finally:
            browser.close()
    return results


HEADER = (
    f"{'page':<26} {'FCP s':>6} {'LCP s':>6} {'TTFB s':>6} {'CSS end':>7} {'busy %':>6} "
    f"{'HTML KB':>8} {'CSS KB':>7} {'JS KB':>6} "
    f"{'CSS head+body':>13}  over budget"
)


def row(result: dict[str, Any]) -> str:
    return (
        f"{result['name']:<26} {result['fcp_s']:>6.2f} {result['lcp_s']:>6.2f} "
        f"{result['ttfb_s']:>6.2f} {result['css_end_s']:>7.2f} {result['machine_busy_pct']:>6.0f} "
        f"{result['html_bytes'] / 1024:>8.1f} {result['css_bytes'] / 1024:>7.1f} "
        f"{result['js_bytes'] / 1024:>6.1f} "
        f"{result['blocking_stylesheets']:>9}+{result['body_stylesheets']:<3}  "
        f"{', '.join(result['over_budget']) or '-'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.frontend", description=__doc__)
    parser.add_argument("--database-url", required=True, help="a database named bench_*")
    parser.add_argument("--skip-generate", action="store_true", help="use the database as it is")
    parser.add_argument(
        "--skip-collect",
        action="store_true",
        help="with --skip-generate: the translations and static files as the last run left them",
    )
    parser.add_argument("--boundaries", type=Path, default=SHARED_DATA)
    parser.add_argument("--runs", type=int, default=3, help="visits per page (the median)")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="only these pages, by name")
    parser.add_argument(
        "--quiet", type=float, default=50.0, help="%% of a core the machine may use before a page"
    )
    parser.add_argument("--patience", type=float, default=60.0, help="seconds to wait for it")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--out", type=Path, help="results, as JSON")
    args = parser.parse_args(argv)
    if not args.skip_generate and not database_name(args.database_url).startswith("bench_"):
        raise SystemExit("Refusing: the database of a generating run must start with bench_.")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        raise SystemExit("gunicorn is not installed in this environment")

    if args.skip_collect and not args.skip_generate:
        raise SystemExit("--skip-collect goes with --skip-generate")
    if not args.skip_collect:
        prepare(
            args.database_url,
            generate=not args.skip_generate,
            boundaries=args.boundaries,
            log=args.work_dir / "frontend-prepare.log",
        )
    os.environ.update(portal_environment(args.database_url))
    import django

    django.setup()
    pages = [page for page in main_pages() if not args.only or page[0] in args.only]
    print(f"{CPU_SLOWDOWN}x CPU, {LATENCY_MS} ms, 1.6 Mbit/s; median of {args.runs} first visits")
    print(HEADER, flush=True)
    log = args.work_dir / "frontend-gunicorn.log"
    # The production server of the load benchmark: 2 processes, connections kept 60 s.
    with gunicorn(args.database_url, workers=2, conn_max_age=60, redis_url="", log=log) as server:
        results = measure(server, pages, args.runs, limit=args.quiet, patience=args.patience)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "database": masked(args.database_url),
            "profile": {
                "cpu_slowdown": CPU_SLOWDOWN,
                "latency_ms": LATENCY_MS,
                "download_bits": DOWNLOAD_BITS,
                "upload_bits": UPLOAD_BITS,
            },
            "runs": args.runs,
            "pages": results,
        }
        args.out.write_text(json.dumps(document, indent=2) + "\n")
    over = [r["name"] for r in results if r["over_budget"]]
    print(f"Over budget: {', '.join(over)}" if over else "Every page within budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
