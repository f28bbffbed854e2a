"""Time a progress report for a gebied with 500 actions: the figures and all four renderings.

Run by hand, never by pytest (Done-when of the reports issue: under 2 seconds):

    .venv/bin/python -m bench.reports [--actions 500] [--database-url sqlite:///…]

It creates (and afterwards leaves) a fresh SQLite database in the work folder unless a
`bench_` database URL is given, migrates it, adds one gebied with the actions (bulk), some
progress updates, proposals, comments and advice, then times `compute_report` and the HTML,
CSV, XLSX and PDF renderers, best of five.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from bench.common import DEFAULT_WORK_DIR, configure


def _seed(actions: int) -> object:
    from django.utils import timezone

    from accounts.models import User
    from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Theme, Wijkagenda
    from areas.models import Gebiedsteam, Wijkraad
    from pacts.models import PartnerOrganisation
    from participation.models import Advice, Comment, Proposal

    tz = timezone.get_current_timezone()
    team = Gebiedsteam.objects.create(name="Bench", slug="bench")
    agenda = Wijkagenda.objects.create(
        title="Bench",
        slug="bench",
        gebiedsteam=team,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        summary="Bench",
        status="published",
        published_at=timezone.now(),
    )
    plan = Plan.objects.create(
        wijkagenda=agenda,
        title="Plan",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    items = [
        AgendaItem.objects.create(
            wijkagenda=agenda,
            theme=Theme.objects.create(name=f"Thema {n}", slug=f"thema-{n}", position=n),
            kind=AgendaItem.Kind.AMBITION,
            title=f"Ambitie {n}",
        )
        for n in range(6)
    ]
    organisation = PartnerOrganisation.objects.create(
        name="Bench", slug="bench", kind=PartnerOrganisation.Kind.WELFARE
    )
    statuses = list(Action.Status)
    created = Action.objects.bulk_create(
        Action(
            plan=plan,
            agenda_item=items[n % len(items)],
            owner_organisation=organisation,
            title=f"Actie {n}",
            status=statuses[n % len(statuses)],
            result="Resultaat" if n % 5 == 2 else "",
            start_date=dt.date(2025, 1, 1),
            due_date=dt.date(2025, 3, 1) + dt.timedelta(days=n % 400),
            last_progress_at=dt.datetime(2025, 5, 1 + n % 28, 12, tzinfo=tz),
        )
        for n in range(actions)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action,
            text="Update",
            status=action.status,
            progress=50,
            is_result=n % 3 == 0,
            created_at=dt.datetime(2025, 5, 1 + n % 28, tzinfo=tz),
        )
        for n, action in enumerate(created)
    )
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Bench {n}") for n in range(50)
    )
    councils = [Wijkraad.objects.create(name=f"Raad {n}", slug=f"raad-{n}") for n in range(5)]
    for n in range(20):
        proposal = Proposal.objects.create(
            gebiedsteam=team,
            title=f"Voorstel {n}",
            slug=f"voorstel-{n}",
            body="Bench",
            opens_at=dt.datetime(2025, 5, 1, tzinfo=tz),
            closes_at=dt.datetime(2025, 5, 20, tzinfo=tz),
            status="consideration",
        )
        Comment.objects.bulk_create(
            Comment(
                proposal=proposal,
                author=users[(n + k) % len(users)],
                body="Bench",
                created_at=dt.datetime(2025, 5, 2 + k, tzinfo=tz),
            )
            for k in range(10)
        )
        if n < len(councils):
            Advice.objects.create(
                proposal=proposal,
                wijkraad=councils[n],
                deadline=dt.datetime(2025, 6, 1, tzinfo=tz),
                verdict="positive",
                submitted_at=dt.datetime(2025, 5, 10, tzinfo=tz),
                responded_at=dt.datetime(2025, 5, 12 + n, tzinfo=tz),
            )
    return team


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = args.database_url
    if not url:
        DEFAULT_WORK_DIR.mkdir(parents=True, exist_ok=True)
        path = Path(DEFAULT_WORK_DIR) / "bench_reports.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    configure(url)

    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from followup import reports
    from followup.models import Report

    team = _seed(args.actions)
    start, end = dt.date(2025, 5, 1), dt.date(2025, 5, 31)
    report = Report.objects.create(gebiedsteam=team, period="month", start=start, end=end)

    timings: dict[str, float] = {}
    for __ in range(args.repeat):
        begin = time.perf_counter()
        report.data = reports.compute_report(gebiedsteam=team, start=start, end=end)
        steps = {"compute_report": time.perf_counter() - begin}
        for fmt, (render, __type) in reports.RENDERERS.items():
            begin = time.perf_counter()
            render(report)
            steps[fmt] = time.perf_counter() - begin
        steps["total"] = sum(steps.values())
        for name, seconds in steps.items():
            timings[name] = min(timings.get(name, seconds), seconds)

    print(
        f"Report for a gebied with {args.actions} actions "
        f"({report.data['actions']['total']} running in the period), best of {args.repeat}, "
        f"{url.split(':')[0]}:"
    )
    for name, seconds in timings.items():
        print(f"  {name:15} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
