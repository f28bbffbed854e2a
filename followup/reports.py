"""Progress reports: the figures of one period (`compute_report`) and their four renderings.

The figures are computed with a fixed number of aggregate queries, however many actions a
gebied has, and stored as JSON on the Report. Every rendering (HTML, CSV, XLSX, PDF) is
made from the same `report_tables(data)`, so a spreadsheet shows exactly the figures of
the HTML page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from agendas.models import Action, ActionQuerySet, ProgressUpdate
from areas.models import CouncilMembership, Wijkraad
from followup.models import Report
from participation.models import Advice, Comment, InputOutcome, Proposal

if TYPE_CHECKING:
    from areas.models import Gebiedsteam

# The reporting cycle: an open action without a progress update this long is stalled.
STALLED_WEEKS = 6
# Lists (results, overdue and stalled actions) stop here; the counts stay exact.
LIST_LIMIT = 100
# A spreadsheet program runs a cell that starts with one of these as a formula (CSV and
# formula injection, OWASP); a leading quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month, quarter or year that `day` falls in."""
    if period == Report.Period.MONTH:
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
    elif period == Report.Period.QUARTER:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        following = (start + dt.timedelta(days=95)).replace(day=1)
    elif period == Report.Period.YEAR:
        start = day.replace(month=1, day=1)
        following = start.replace(year=start.year + 1)
    else:
        raise ValueError(f"Unknown period {period!r}")
    return start, following - dt.timedelta(days=1)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _counts(rows: Any, key: str, choices: Any) -> list[dict[str, Any]]:
    """Counts per choice, in the order of the choices, with zeros for missing ones."""
    found = {row[key]: row["n"] for row in rows}
    return [
        {"key": value, "label": str(label), "count": found.get(value, 0)}
        for value, label in choices.choices
    ]


def compute_report(*, gebiedsteam: Gebiedsteam | None, start: dt.date, end: dt.date) -> dict:
    """The figures of one gebied (None: the whole city) from `start` to `end` inclusive.

    Twelve queries, whatever the number of actions. Actions count when they ran in the period
    (`ActionQuerySet.active_between`). Overdue and stalled are ActionQuerySet's own rules, as
    of the moment the report is built: the lists filter with them, and the counts aggregate
    over their conditions.
    """
    since, until = _moment(start), _moment(end + dt.timedelta(days=1))
    now = timezone.now()
    today = timezone.localdate()
    team = [gebiedsteam.pk] if gebiedsteam is not None else None

    actions = Action.objects.all()
    proposals = Proposal.objects.all()
    if team is not None:
        actions = actions.for_gebiedsteams(team)
        proposals = proposals.for_gebiedsteams(team)
    actions = actions.active_between(start, end)

    # 1-2: actions by status and by theme.
    by_status = _counts(
        actions.order_by().values("status").annotate(n=Count("pk")), "status", Action.Status
    )
    by_theme = [
        {"label": row["agenda_item__theme__name"] or _("No theme"), "count": row["n"]}
        for row in actions.order_by()
        .values("agenda_item__theme__name", "agenda_item__theme__position")
        .annotate(n=Count("pk"))
        .order_by("agenda_item__theme__position", "agenda_item__theme__name")
    ]
    # 3-4: overdue and stalled actions.
    overdue = list(
        actions.overdue(today)
        .order_by("due_date", "pk")
        .values("title", "due_date", "status")[:LIST_LIMIT]
    )
    stalled = list(
        actions.stalled(STALLED_WEEKS, now)
        .annotate(since=Coalesce("last_progress_at", "created_at"))
        .order_by("since", "pk")
        .values("title", "since")[:LIST_LIMIT]
    )
    counts = actions.aggregate(
        overdue=Count("pk", filter=ActionQuerySet.overdue_condition(today)),
        stalled=Count("pk", filter=ActionQuerySet.stalled_condition(STALLED_WEEKS, now)),
    )
    # 5-6: results achieved in the period: done actions with a result, and updates flagged
    # as a result.
    done_results = list(
        actions.done()
        .with_result()
        .annotate(at=Coalesce("last_progress_at", "updated_at"))
        .filter(at__gte=since, at__lt=until)
        .order_by("at", "pk")
        .values("title", "result", "at")[:LIST_LIMIT]
    )
    updates = ProgressUpdate.objects.results().filter(created_at__gte=since, created_at__lt=until)
    if team is not None:
        updates = updates.filter(action__plan__wijkagenda__gebiedsteam_id__in=team)
    result_updates = list(
        updates.order_by("created_at", "pk").values("action__title", "text", "created_at")[
            :LIST_LIMIT
        ]
    )
    results = sorted(
        [{"title": r["title"], "text": r["result"], "date": _day(r["at"])} for r in done_results]
        + [
            {
                "title": r["action__title"],
                "text": r["text"],
                "date": _day(r["created_at"]),
            }
            for r in result_updates
        ],
        key=lambda r: (r["date"], r["title"]),
    )
    # 7-8: proposals whose comment period overlaps the period, and what was done with the
    # input on them.
    in_period = proposals.filter(opens_at__lt=until, closes_at__gte=since).exclude(
        status=Proposal.Status.DRAFT
    )
    proposal_status = _counts(
        in_period.order_by().values("status").annotate(n=Count("pk")), "status", Proposal.Status
    )
    outcomes = _counts(
        InputOutcome.objects.filter(proposal__in=in_period)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk")),
        "outcome",
        InputOutcome.Outcome,
    )
    # 9: advice submitted in the period, and how long the response took.
    advices = Advice.objects.submitted_between(since, until)
    if team is not None:
        advices = advices.for_gebiedsteams(team)
    moments = list(advices.values_list("submitted_at", "responded_at"))
    days = [
        (responded - submitted).total_seconds() / 86400
        for submitted, responded in moments
        if submitted is not None and responded is not None
    ]
    # 10-11: participation: comments in the period, and the councils that took part.
    comments = Comment.objects.filter(
        created_at__gte=since, created_at__lt=until, moderation=Comment.Moderation.VISIBLE
    )
    if team is not None:
        comments = comments.filter(proposal__gebiedsteam_id__in=team)
    participation = comments.aggregate(comments=Count("pk"), people=Count("author", distinct=True))
    councils = list(
        Wijkraad.objects.filter(
            Q(pk__in=advices.values("wijkraad_id"))
            | Q(
                pk__in=CouncilMembership.objects.filter(
                    user_id__in=comments.values("author_id")
                ).values("wijkraad_id")
            )
        )
        .order_by("name")
        .values_list("name", flat=True)
    )

    return {
        "gebiedsteam": gebiedsteam.name if gebiedsteam is not None else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "generated_at": now.isoformat(),
        "actions": {
            "total": sum(row["count"] for row in by_status),
            "by_status": by_status,
            "by_theme": by_theme,
            "overdue": counts["overdue"],
            "stalled": counts["stalled"],
            "overdue_list": [
                {"title": a["title"], "due_date": a["due_date"].isoformat()}
                for a in overdue
                if a["due_date"] is not None  # always: an overdue action has a due date
            ],
            "stalled_list": [{"title": a["title"], "since": _day(a["since"])} for a in stalled],
        },
        "results": {"count": len(results), "items": results},
        "proposals": {
            "total": sum(row["count"] for row in proposal_status),
            "by_status": proposal_status,
            "outcomes": outcomes,
        },
        "advice": {
            "submitted": len(moments),
            "responded": len(days),
            "median_response_days": round(statistics.median(days), 1) if days else None,
        },
        "participation": {
            "comments": participation["comments"],
            "people": participation["people"],
            "councils": councils,
        },
    }


@dataclass(frozen=True)
class Table:
    """One table of a report: a title, column headings and rows; `chart` if it gets bars."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: bool = False

    @property
    def bars(self) -> list[dict[str, Any]]:
        """Label, count and bar width (percent of the largest) for an SVG bar chart."""
        largest = max((row[1] for row in self.rows), default=0) or 1
        return [
            {"label": row[0], "count": row[1], "width": round(row[1] * 100 / largest, 1)}
            for row in self.rows
        ]


def report_tables(data: dict) -> list[Table]:
    """The tables every rendering shows, in order, from the stored figures."""
    actions, proposals = data["actions"], data["proposals"]
    advice, people = data["advice"], data["participation"]
    median = advice["median_response_days"]
    return [
        Table(
            "summary",
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Actions"), actions["total"]],
                [_("Overdue actions"), actions["overdue"]],
                [_("Stalled actions"), actions["stalled"]],
                [_("Results achieved"), data["results"]["count"]],
                [_("Proposals"), proposals["total"]],
                [_("Advice submitted"), advice["submitted"]],
                [_("Advice answered"), advice["responded"]],
                [_("Median days to respond to advice"), "" if median is None else median],
                [_("Comments"), people["comments"]],
                [_("People who commented"), people["people"]],
                [_("Wijkraden taking part"), len(people["councils"])],
            ],
        ),
        Table(
            "status",
            _("Actions by status"),
            [_("Status"), _("Actions")],
            [[row["label"], row["count"]] for row in actions["by_status"]],
            chart=True,
        ),
        Table(
            "theme",
            _("Actions by theme"),
            [_("Theme"), _("Actions")],
            [[row["label"], row["count"]] for row in actions["by_theme"]],
            chart=True,
        ),
        Table(
            "proposals",
            _("Proposals by status"),
            [_("Status"), _("Proposals")],
            [[row["label"], row["count"]] for row in proposals["by_status"]],
            chart=True,
        ),
        Table(
            "outcomes",
            _("What was done with the input"),
            [_("Outcome"), _("Comments and advice")],
            [[row["label"], row["count"]] for row in proposals["outcomes"]],
            chart=True,
        ),
        Table(
            "results",
            _("Results achieved"),
            [_("Date"), _("Action"), _("Result")],
            [[r["date"], r["title"], r["text"]] for r in data["results"]["items"]],
        ),
        Table(
            "overdue",
            _("Overdue actions"),
            [_("Action"), _("Due date")],
            [[a["title"], a["due_date"]] for a in actions["overdue_list"]],
        ),
        Table(
            "stalled",
            _("Stalled actions"),
            [_("Action"), _("Last update")],
            [[a["title"], a["since"]] for a in actions["stalled_list"]],
        ),
        Table(
            "councils",
            _("Wijkraden taking part"),
            [_("Wijkraad")],
            [[name] for name in people["councils"]],
        ),
    ]


def report_title(report: Report) -> str:
    gebiedsteam = report.gebiedsteam
    name = (
        gebiedsteam.name
        if gebiedsteam is not None
        else _("%(municipality)s, all gebieden")
        % {"municipality": settings.WIJKPORTAAL_MUNICIPALITY_NAME}
    )
    return _("Progress report %(name)s, %(start)s to %(end)s") % {
        "name": name,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
    }


def safe_cell(value: Any) -> Any:
    """A value for a CSV or XLSX cell that a spreadsheet program will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _sheet_rows(report: Report) -> list[list[Any]]:
    """The rows of the CSV file and of the worksheet: every table under its title."""
    rows: list[list[Any]] = [[report_title(report)], []]
    for table in report_tables(report.data):
        rows += [[table.title], table.headers, *table.rows, []]
    return [[safe_cell(value) for value in row] for row in rows]


def render_html(report: Report) -> str:
    return render_to_string(
        "followup/report.html",
        {"report": report, "title": report_title(report), "tables": report_tables(report.data)},
    )


def render_csv(report: Report) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(_sheet_rows(report))
    return out.getvalue()


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    for row in _sheet_rows(report):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _latin1(value: Any) -> str:
    # The PDF's core font (Helvetica) knows Latin-1 only; other characters become "?".
    return str(value).encode("latin-1", "replace").decode("latin-1")


def render_pdf(report: Report) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(_latin1(report_title(report)))
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, _latin1(report_title(report)), new_x="LMARGIN", new_y="NEXT")
    for table in report_tables(report.data):
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.cell(0, 7, _latin1(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        if not table.rows:
            pdf.cell(0, 6, _latin1(_("Nothing in this period.")), new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table() as grid:
            for row in [table.headers, *table.rows]:
                line = grid.row()
                for value in row:
                    line.cell(_latin1(value))
    return bytes(pdf.output())


RENDERERS = {
    "html": (render_html, "text/html; charset=utf-8"),
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (render_pdf, "application/pdf"),
}
