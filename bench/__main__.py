"""The whole benchmark: generate each scale and the nationwide territory, load them, report.

    python -m bench --scales 1 10 100 --database-url postgres://postgres@127.0.0.1:54329/

With a PostgreSQL URL the databases bench_1x, bench_10x, … and bench_nationwide are made on
that server (the database the URL names is not touched); without one, SQLite files in the
work folder. Each step runs in its own process; see bench/README.md.

    python -m bench --only maps --database-url postgres://postgres@127.0.0.1:54329/

runs only the city map part (bench_located with 100,000 located actions, bench.maps) and
rewrites only its section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench import report
from bench.common import DEFAULT_WORK_DIR, REPO, SHARED_DATA, database_url, is_postgres, masked


def step(command: list[str]) -> None:
    print("$ " + shlex.join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True)


def run_maps(args: argparse.Namespace, base: str, python: str, shown: str) -> None:
    """The city map part: bench_located with the located actions, then bench.maps."""
    url = database_url(base, "bench_located", args.work_dir)
    print(f"== located: {masked(url)}", flush=True)
    if not args.skip_generate:
        step(
            [
                python,
                "-m",
                "bench.generate",
                "--located",
                str(args.located),
                "--database-url",
                url,
                "--boundaries",
                str(args.boundaries),
                "--stats",
                str(args.work_dir / "gen-located.json"),
            ]
        )
    step(
        [
            python,
            "-m",
            "bench.maps",
            "--database-url",
            url,
            "--gemeenten",
            str(args.boundaries / "nl-gemeenten.geojson"),
            "--out",
            str(args.work_dir / "run-maps.json"),
            "--command",
            shown,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server URL (default: $DATABASE_URL); else SQLite in --work-dir",
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--boundaries", type=Path, default=SHARED_DATA)
    parser.add_argument("--no-nationwide", action="store_true")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the databases")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--command", help="the command to name in the report")
    parser.add_argument("--code", help="the code measured, for the report (default: from git)")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the work folder of an earlier run (e.g. a copy made before a change): the report "
        "sets each scale's throughput against it",
    )
    parser.add_argument("--baseline-name", default="", help="what the baseline measured")
    parser.add_argument(
        "--only", choices=["maps"], help="only this part; the rest of the report is kept"
    )
    parser.add_argument("--no-maps", action="store_true", help="leave out the city map part")
    parser.add_argument(
        "--located", type=int, default=100_000, help="located actions for the city map part"
    )
    args, run_options = parser.parse_known_args(argv)

    base = args.database_url if is_postgres(args.database_url) else ""
    args.work_dir.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    # Tilburg's boundaries are the same at every scale, so their point lookups are timed
    # once, at the first scale (the report shows those).
    jobs: list[tuple[str, list[str], list[str]]] = [
        (
            f"{scale}x",
            ["--scale", str(scale)],
            ["--profile", "tilburg", *(["--no-lookups"] if index else [])],
        )
        for index, scale in enumerate(args.scales)
    ]
    if not args.no_nationwide:
        jobs.append(("nationwide", ["--nationwide"], ["--profile", "nationwide"]))

    if args.only == "maps":
        jobs = []
    started = time.monotonic()
    for label, generate_options, profile in jobs:
        url = database_url(base, f"bench_{label}", args.work_dir)
        print(f"== {label}: {masked(url)}", flush=True)
        if not args.skip_generate:
            step(
                [
                    python,
                    "-m",
                    "bench.generate",
                    *generate_options,
                    "--database-url",
                    url,
                    "--boundaries",
                    str(args.boundaries),
                    "--stats",
                    str(args.work_dir / f"gen-{label}.json"),
                ]
            )
        step(
            [
                python,
                "-m",
                "bench.run",
                "--database-url",
                url,
                "--label",
                label,
                *profile,
                "--out",
                str(args.work_dir / f"run-{label}.json"),
                *run_options,
            ]
        )
    shown = args.command or shlex.join(["python", "-m", "bench", *(argv or sys.argv[1:])])
    if args.only == "maps" or not args.no_maps:
        run_maps(args, base, python, masked(shown))
    if args.only == "maps":
        report.update_maps(args.work_dir, args.output, masked(shown))
    else:
        report.write(
            args.output,
            report.render(
                args.work_dir,
                args.scales,
                masked(shown),
                args.code,
                baseline=args.baseline,
                baseline_name=args.baseline_name,
            ),
        )
    minutes = (time.monotonic() - started) / 60
    print(f"Wrote {args.output} ({minutes:.1f} min)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
