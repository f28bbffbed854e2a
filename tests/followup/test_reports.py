from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification, User
from agendas.models import Action
from areas.models import Gebiedsteam
from followup import reports
from followup.models import Report
from followup.reports import compute_report, report_tables, safe_cell
from followup.services import building
from followup.services import reports as services
from followup.tasks import build_report
from participation.models import InputOutcome, Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    CommentFactory,
    CouncilMembershipFactory,
    InputOutcomeFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProposalFactory,
    ReportFactory,
    ThemeFactory,
    WijkagendaFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

MAY = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))


def at(day: int, hour: int = 12, month: int = 5) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=timezone.get_current_timezone())


def make_may(gebiedsteam: Gebiedsteam, other: Gebiedsteam) -> None:
    """Three actions, two results, one decided proposal with input, two advices in May 2025."""
    plan = PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=gebiedsteam))
    groen = AgendaItemFactory(
        wijkagenda=plan.wijkagenda, theme=ThemeFactory(name="Groen", position=0)
    )
    veilig = AgendaItemFactory(
        wijkagenda=plan.wijkagenda, theme=ThemeFactory(name="Veilig", position=1)
    )
    running = ActionFactory(
        plan=plan, agenda_item=groen, title="Speeltuin", due_date=dt.date(2099, 12, 31)
    )
    ActionFactory(
        plan=plan,
        agenda_item=groen,
        title="Bomen",
        status=Action.Status.DONE,
        result="Tien bomen geplant",
        last_progress_at=at(10),
    )
    ActionFactory(
        plan=plan,
        agenda_item=veilig,
        title="=Verlichting",
        status=Action.Status.DELAYED,
        due_date=dt.date(2025, 4, 30),
        last_progress_at=at(1, 0, month=4),
    )
    # Finished before May, and another team's action: neither counts.
    ActionFactory(
        plan=plan,
        agenda_item=groen,
        status=Action.Status.DONE,
        start_date=dt.date(2025, 1, 1),
        due_date=dt.date(2025, 1, 31),
    )
    ActionFactory(plan=PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=other)))
    ProgressUpdateFactory(action=running, is_result=True, text="Opening", created_at=at(20))

    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        opens_at=at(5),
        closes_at=at(25),
        status=Proposal.Status.DECIDED,
        input_feedback="We leggen een zebrapad aan.",
    )
    ProposalFactory(gebiedsteam=gebiedsteam, opens_at=at(5), closes_at=at(25), status="draft")
    ProposalFactory(gebiedsteam=other, opens_at=at(5), closes_at=at(25))
    commenter = CouncilMembershipFactory(wijkraad=WijkraadFactory(name="Wijkraad Centrum")).user
    comment = CommentFactory(proposal=proposal, author=commenter, created_at=at(6))
    CommentFactory(proposal=proposal, created_at=at(7))
    CommentFactory(proposal=proposal, created_at=at(2, month=6))
    first = AdviceFactory(
        proposal=proposal,
        wijkraad=WijkraadFactory(name="Wijkraad Noord"),
        verdict="positive",
        submitted_at=at(10),
        responded_at=at(13),
    )
    AdviceFactory(
        proposal=proposal,
        wijkraad=WijkraadFactory(name="Wijkraad Berkel"),
        verdict="negative",
        submitted_at=at(12),
        responded_at=at(13),
    )
    InputOutcomeFactory(comment=comment, proposal=proposal)
    InputOutcomeFactory(
        comment=None, advice=first, proposal=proposal, outcome=InputOutcome.Outcome.PARTLY
    )


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["label"]: row["count"] for row in rows}


def test_compute_report_gives_exact_figures(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)

    data = compute_report(gebiedsteam=gebiedsteam, start=MAY[0], end=MAY[1])

    actions = data["actions"]
    assert (actions["total"], actions["overdue"], actions["stalled"]) == (3, 1, 1)
    assert counts(actions["by_status"]) == {
        "planned": 0,
        "in progress": 1,
        "done": 1,
        "delayed": 1,
        "stopped": 0,
    }
    assert counts(actions["by_theme"]) == {"Groen": 2, "Veilig": 1}
    assert actions["overdue_list"] == [{"title": "=Verlichting", "due_date": "2025-04-30"}]
    assert actions["stalled_list"] == [{"title": "=Verlichting", "since": "2025-04-01"}]
    assert data["results"] == {
        "count": 2,
        "items": [
            {"title": "Bomen", "text": "Tien bomen geplant", "date": "2025-05-10"},
            {"title": "Speeltuin", "text": "Opening", "date": "2025-05-20"},
        ],
    }
    assert data["proposals"]["total"] == 1
    assert counts(data["proposals"]["by_status"])["decided"] == 1
    assert counts(data["proposals"]["outcomes"]) == {
        "adopted": 1,
        "partly adopted": 1,
        "not adopted": 0,
    }
    assert data["advice"] == {"submitted": 2, "responded": 2, "median_response_days": 2.0}
    assert data["participation"] == {
        "comments": 2,
        "people": 2,
        "councils": ["Wijkraad Berkel", "Wijkraad Centrum", "Wijkraad Noord"],
    }


def test_city_wide_report_counts_every_gebied(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)

    data = compute_report(gebiedsteam=None, start=MAY[0], end=MAY[1])

    assert (data["gebiedsteam"], data["actions"]["total"], data["proposals"]["total"]) == (
        None,
        4,
        2,
    )


def test_empty_period_gives_an_empty_valid_report(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)
    start, end = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
    report = ReportFactory(gebiedsteam=gebiedsteam, period="year", start=start, end=end)
    report.data = compute_report(gebiedsteam=gebiedsteam, start=start, end=end)

    assert (report.data["actions"]["total"], report.data["results"]["count"]) == (0, 0)
    assert report.data["advice"]["median_response_days"] is None
    assert report.data["participation"]["councils"] == []
    assert reports.render_pdf(report)[:4] == b"%PDF"
    assert load_workbook(io.BytesIO(reports.render_xlsx(report))).active["A1"].value == (
        "Progress report Noord, 2019-01-01 to 2019-12-31"
    )
    assert reports.render_html(report).count("Nothing in this period.") == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Bomen", "Bomen"),
        (-2, -2),
    ],
)
def test_safe_cell_escapes_what_starts_a_formula(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def done_report(gebiedsteam: Gebiedsteam) -> Report:
    report = ReportFactory(gebiedsteam=gebiedsteam, status="done", progress=100)
    report.data = compute_report(gebiedsteam=gebiedsteam, start=MAY[0], end=MAY[1])
    report.save(update_fields=["data"])
    return report


def test_csv_and_xlsx_escape_formulas(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)
    report = done_report(gebiedsteam)

    csv_cells = [
        cell for row in csv.reader(io.StringIO(reports.render_csv(report))) for cell in row
    ]
    sheet = load_workbook(io.BytesIO(reports.render_xlsx(report))).active
    xlsx_cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]

    assert [c for c in csv_cells if "Verlichting" in c] == ["'=Verlichting", "'=Verlichting"]
    assert [c for c in xlsx_cells if "Verlichting" in str(c)] == ["'=Verlichting"] * 2
    assert [c for c in xlsx_cells if str(c).startswith(("=", "+", "-", "@"))] == []


def test_xlsx_has_the_figures_of_the_html(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)
    report = done_report(gebiedsteam)
    html = reports.render_html(report)

    sheet = load_workbook(io.BytesIO(reports.render_xlsx(report))).active
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    summary = dict(rows[rows.index(["Summary"]) + 2 : rows.index(["Summary"]) + 13])

    assert summary == {
        "Actions": 3,
        "Overdue actions": 1,
        "Stalled actions": 1,
        "Results achieved": 2,
        "Proposals": 1,
        "Advice submitted": 2,
        "Advice answered": 2,
        "Median days to respond to advice": 2,
        "Comments": 2,
        "People who commented": 2,
        "Wijkraden taking part": 3,
    }
    for table in report_tables(report.data):
        start = rows.index([table.title])
        assert rows[start + 1 : start + 2 + len(table.rows)] == [
            table.headers,
            *[[safe_cell(v) for v in row if v != ""] for row in table.rows],
        ]
        for row in table.rows:
            assert f'<th scope="row">{row[0]}</th>' in html or row[0].startswith("=")
            for value in row[1:]:
                assert f"<td>{value}</td>" in html
    assert html.count("<svg") == 4


def test_pdf_starts_with_pdf_marker(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_may(gebiedsteam, other_gebiedsteam)

    assert reports.render_pdf(done_report(gebiedsteam))[:5] == b"%PDF-"


def test_build_report_claims_once(
    gebiedsteam: Gebiedsteam, team_member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = building.compute_report
    monkeypatch.setattr(building, "compute_report", lambda **kw: calls.append(kw) or real(**kw))
    report = ReportFactory(gebiedsteam=gebiedsteam, requested_by=team_member)

    build_report(report_id=report.pk)
    build_report(report_id=report.pk)

    report.refresh_from_db()
    assert (len(calls), report.status, report.progress) == (1, "done", 100)
    assert report.data["start"] == "2025-05-01"
    assert list(Notification.objects.values_list("recipient", "kind", "url")) == [
        (team_member.pk, "update", f"/rapportages/{report.pk}/")
    ]


def test_build_report_failure_marks_failed(
    gebiedsteam: Gebiedsteam, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> dict:
        raise ValueError("boom")

    monkeypatch.setattr(building, "compute_report", broken)
    report = ReportFactory(gebiedsteam=gebiedsteam)

    build_report(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.data, report.finished_at is not None) == ("failed", {}, True)


def test_build_report_of_a_gone_report_does_nothing(gebiedsteam: Gebiedsteam) -> None:
    build_report(report_id=999999)

    assert Report.objects.count() == 0


def test_reclaim_fails_abandoned_running_reports_and_requeues_lost_queued_ones(
    gebiedsteam: Gebiedsteam, team_member: User, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    long_ago = now - building.stale_after() - dt.timedelta(minutes=1)
    recently = now - building.stale_after() + dt.timedelta(minutes=1)
    abandoned = ReportFactory(gebiedsteam=gebiedsteam, requested_by=team_member)
    lost = ReportFactory(gebiedsteam=gebiedsteam, requested_by=team_member)
    busy = ReportFactory(gebiedsteam=gebiedsteam)
    waiting = ReportFactory(gebiedsteam=gebiedsteam)
    Report.objects.filter(pk=abandoned.pk).update(status="running", updated_at=long_ago)
    Report.objects.filter(pk=lost.pk).update(status="queued", updated_at=long_ago)
    Report.objects.filter(pk=busy.pk).update(status="running", updated_at=recently)
    Report.objects.filter(pk=waiting.pk).update(status="queued", updated_at=recently)

    # Tasks run eagerly in the tests: the lost report is built once the queueing commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reclaim_stale_reports(now=now) == (1, 1)

    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {
        abandoned.pk: "failed",
        lost.pk: "done",
        busy.pk: "running",
        waiting.pk: "queued",
    }
    assert services.reclaim_stale_reports(now=now) == (0, 0)


def test_reclaim_beat_entry_runs_every_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["reports-reclaim"]

    assert entry["task"] == "followup.reclaim_stale_reports"
    assert (entry["schedule"].minute, len(entry["schedule"].hour)) == ({30}, 24)


def test_monthly_beat_entry_runs_on_the_first_at_six() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly"]
    schedule = entry["schedule"]

    assert entry["task"] == "followup.queue_monthly_reports"
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({0}, {6}, {1})


def test_monthly_reports_once_per_team_and_team_is_told(
    gebiedsteam: Gebiedsteam,
    other_gebiedsteam: Gebiedsteam,
    team_member: User,
    other_team_member: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue_monthly_reports(today=dt.date(2025, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.queue_monthly_reports(today=dt.date(2025, 6, 1))

    assert (first, second) == (2, 0)
    assert sorted(Report.objects.values_list("gebiedsteam__slug", "start", "end", "status")) == [
        ("noord", dt.date(2025, 5, 1), dt.date(2025, 5, 31), "done"),
        ("reeshof", dt.date(2025, 5, 1), dt.date(2025, 5, 31), "done"),
    ]
    assert sorted(Notification.objects.values_list("recipient", "kind")) == sorted(
        [(team_member.pk, "update"), (other_team_member.pk, "update")]
    )


@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        ("month", dt.date(2024, 2, 10), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("quarter", dt.date(2025, 11, 5), (dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
        ("year", dt.date(2025, 7, 1), (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
    ],
)
def test_period_bounds_cover_the_whole_period(
    period: str, day: dt.date, bounds: tuple[dt.date, dt.date]
) -> None:
    assert reports.period_bounds(period, day) == bounds


# Views


def test_team_member_starts_a_report(
    client: Client,
    gebiedsteam: Gebiedsteam,
    team_member: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(team_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("followup:report-create", kwargs={"slug": "noord"}),
            {"period": "quarter", "start": "2025-05-17"},
        )

    report = Report.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/rapportages/{report.pk}/")
    assert (report.gebiedsteam, report.period, report.start, report.end, report.status) == (
        gebiedsteam,
        "quarter",
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
        "done",
    )
    assert report.requested_by == team_member


def test_gebied_page_shows_the_report_form_to_the_team_only(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User, resident: User
) -> None:
    url = reverse("portal:gebiedsteam-detail", kwargs={"slug": "noord"})
    client.force_login(team_member)
    team_page = client.get(url).content.decode()
    client.force_login(resident)
    resident_page = client.get(url).content.decode()

    assert team_page.count('action="/gebieden/noord/rapportages/"') == 1
    assert resident_page.count('action="/gebieden/noord/rapportages/"') == 0


def test_start_report_forbidden_for_others(
    client: Client, gebiedsteam: Gebiedsteam, other_team_member: User
) -> None:
    client.force_login(other_team_member)

    response = client.post(
        reverse("followup:report-create", kwargs={"slug": "noord"}),
        {"period": "month", "start": "2025-05-17"},
    )

    assert (response.status_code, Report.objects.count()) == (403, 0)


def test_start_report_unknown_gebied_is_404(client: Client, team_member: User) -> None:
    client.force_login(team_member)

    response = client.post(
        reverse("followup:report-create", kwargs={"slug": "nergens"}),
        {"period": "month", "start": "2025-05-17"},
    )

    assert (response.status_code, Report.objects.count()) == (404, 0)


def test_start_report_with_bad_period_is_400(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User
) -> None:
    client.force_login(team_member)

    response = client.post(
        reverse("followup:report-create", kwargs={"slug": "noord"}),
        {"period": "week", "start": "2025-05-17"},
    )

    assert (response.status_code, Report.objects.count()) == (400, 0)
    assert response.context["form"].errors == {
        "period": ["Select a valid choice. week is not one of the available choices."]
    }


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_start_report_for_a_day_outside_the_years_of_plans_is_400(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User, day: str
) -> None:
    # The month after December 9999 overflowed the calendar: a 500.
    client.force_login(team_member)

    response = client.post(
        reverse("followup:report-create", kwargs={"slug": "noord"}),
        {"period": "month", "start": day},
    )

    assert (response.status_code, Report.objects.count()) == (400, 0)
    assert response.context["form"].errors == {"start": ["Choose a date between 2000 and 2100."]}


def test_report_status_page_polls_with_htmx_until_done(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User
) -> None:
    report = ReportFactory(gebiedsteam=gebiedsteam, status="running", progress=50)
    client.force_login(team_member)

    response = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert (response.status_code, html.count("<progress"), html.count('hx-trigger="every 2s"')) == (
        200,
        1,
        1,
    )
    assert f'hx-get="/rapportages/{report.pk}/"' in html
    assert '<progress id="report-progress-bar" max="100" value="50">' in html
    assert html.count("<html") == 0


def test_finished_report_status_links_the_downloads_and_stops_polling(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User
) -> None:
    report = done_report(gebiedsteam)
    client.force_login(team_member)

    response = client.get(report.get_absolute_url())

    html = response.content.decode()
    assert (response.status_code, html.count("hx-trigger"), html.count("<progress")) == (
        200,
        0,
        0,
    )
    for fmt in ("html", "csv", "xlsx", "pdf"):
        assert html.count(f'href="/rapportages/{report.pk}.{fmt}"') == 1


def test_report_of_another_gebied_is_404(
    client: Client, gebiedsteam: Gebiedsteam, other_team_member: User, resident: User
) -> None:
    report = done_report(gebiedsteam)

    codes = []
    for user in (other_team_member, resident):
        client.force_login(user)
        codes += [
            client.get(report.get_absolute_url()).status_code,
            client.get(f"/rapportages/{report.pk}.csv").status_code,
        ]

    assert codes == [404, 404, 404, 404]


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("csv", "text/csv; charset=utf-8", b'"Progress report Noord, 2025-05-01'),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_downloads_have_type_and_file_name(
    client: Client,
    gebiedsteam: Gebiedsteam,
    team_member: User,
    fmt: str,
    content_type: str,
    start: bytes,
) -> None:
    report = done_report(gebiedsteam)
    client.force_login(team_member)

    response = client.get(f"/rapportages/{report.pk}.{fmt}")

    assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="rapportage-noord-month-2025-05-01.{fmt}"'
    )
    assert response.content.lstrip()[: len(start)] == start


def test_download_of_unfinished_report_is_404(
    client: Client, gebiedsteam: Gebiedsteam, team_member: User
) -> None:
    report = ReportFactory(gebiedsteam=gebiedsteam, status="running")
    client.force_login(team_member)

    assert client.get(f"/rapportages/{report.pk}.pdf").status_code == 404


def test_city_wide_report_is_for_admins(
    client: Client, staff: User, team_member: User, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("followup:city-report-create")
    client.force_login(team_member)
    forbidden = client.post(url, {"period": "year", "start": "2025-01-01"})
    client.force_login(staff)
    form = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, {"period": "year", "start": "2025-03-01"})

    report = Report.objects.get()
    assert (forbidden.status_code, form.status_code, created.status_code) == (403, 200, 302)
    assert (report.gebiedsteam, report.start, report.end, report.status) == (
        None,
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        "done",
    )
    client.force_login(team_member)
    assert client.get(report.get_absolute_url()).status_code == 404


# Query count


def make_actions(gebiedsteam: Gebiedsteam, number: int) -> None:
    plan = PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=gebiedsteam))
    items = [AgendaItemFactory(wijkagenda=plan.wijkagenda) for __ in range(3)]
    organisation = PartnerOrganisationFactory()
    statuses = list(Action.Status)
    Action.objects.bulk_create(
        Action(
            plan=plan,
            agenda_item=items[n % 3],
            owner_organisation=organisation,
            title=f"Actie {n}",
            status=statuses[n % len(statuses)],
            result="Gedaan" if n % 5 == 2 else "",
            start_date=dt.date(2025, 1, 1),
            due_date=dt.date(2025, 5, 1) + dt.timedelta(days=n % 90),
            last_progress_at=at(1 + n % 28),
        )
        for n in range(number)
    )


def test_compute_report_query_count_does_not_grow_with_actions(
    gebiedsteam: Gebiedsteam, other_gebiedsteam: Gebiedsteam
) -> None:
    make_actions(gebiedsteam, 50)
    make_actions(other_gebiedsteam, 500)

    with CaptureQueriesContext(connection) as fifty:
        small = compute_report(gebiedsteam=gebiedsteam, start=MAY[0], end=MAY[1])
    with CaptureQueriesContext(connection) as five_hundred:
        large = compute_report(gebiedsteam=other_gebiedsteam, start=MAY[0], end=MAY[1])

    assert (small["actions"]["total"], large["actions"]["total"]) == (50, 500)
    assert len(fifty) == len(five_hundred) == 12
