"""The wijk page's list of results: only what it shows is loaded, the same page as before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agendas.models import Action, ProgressUpdate
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    WijkagendaFactory,
    WijkFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

AT = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


def results_section(html: str) -> str:
    match = re.search(r'<section aria-labelledby="results-heading">.*?</section>', html, re.S)
    assert match
    return match.group(0)


@pytest.fixture
def results_world(gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam, slug="heikant", name="Heikant")
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    plan = PlanFactory(wijkagenda=agenda)
    done = ActionFactory(
        plan=plan,
        title="Speeltuin <opknappen>",
        status=Action.Status.DONE,
        progress=100,
        result="De speeltuin is open.\nIedereen speelt er.",
    )
    older = ActionFactory(
        plan=plan, title="Bankjes", status=Action.Status.DONE, progress=100, result="Tien bankjes."
    )
    ActionFactory(plan=plan, title="Zonder resultaat", status=Action.Status.DONE, result="")
    update = ProgressUpdateFactory(action=older, text="Eerste bankje staat", is_result=True)
    ProgressUpdateFactory(action=older, text="Gewone update", is_result=False)
    Action.objects.filter(pk=done.pk).update(last_progress_at=AT)
    Action.objects.filter(pk=older.pk).update(
        last_progress_at=None, updated_at=AT - dt.timedelta(days=40)
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=AT - dt.timedelta(days=3))
    return {"wijk": wijk, "done": done, "older": older}


def test_wijk_page_results_show_titles_texts_links_and_dates(client, results_world):
    done, older = results_world["done"], results_world["older"]

    html = client.get("/wijken/heikant/").content.decode()

    # Line by line, with the template's whitespace: the section is byte for byte the one the
    # page showed when the results were loaded with all their relations.
    link = '<a class="utrecht-link utrecht-link--html-a" href="/acties/{pk}/">{title}</a>'
    assert results_section(html) == "\n".join(
        [
            '<section aria-labelledby="results-heading">',
            '  <h2 class="utrecht-heading-2" id="results-heading">Results achieved</h2>',
            "  ",
            '  <ul class="results">',
            "    ",
            '    <li class="result">',
            "      <p><strong>"
            + link.format(pk=done.pk, title="Speeltuin &lt;opknappen&gt;")
            + '</strong> <time class="muted" datetime="2026-03-04">4 March 2026</time></p>',
            "      <p>De speeltuin is open.<br>Iedereen speelt er.</p>",
            "    </li>",
            "    ",
            '    <li class="result">',
            "      <p><strong>"
            + link.format(pk=older.pk, title="Bankjes")
            + '</strong> <time class="muted" datetime="2026-03-01">1 March 2026</time></p>',
            "      <p>Eerste bankje staat</p>",
            "    </li>",
            "    ",
            '    <li class="result">',
            "      <p><strong>"
            + link.format(pk=older.pk, title="Bankjes")
            + '</strong> <time class="muted" datetime="2026-01-23">23 January 2026</time></p>',
            "      <p>Tien bankjes.</p>",
            "    </li>",
            "    ",
            "  </ul>",
            "  ",
            "</section>",
        ]
    )


RESULT_ACTIONS_SELECT = (
    'SELECT "agendas_action"."id", "agendas_action"."updated_at", "agendas_action"."title", '
    '"agendas_action"."result", "agendas_action"."last_progress_at"'
)
RESULT_UPDATES_SELECT = (
    'SELECT "agendas_progressupdate"."id", "agendas_progressupdate"."created_at", '
    '"agendas_progressupdate"."action_id", "agendas_progressupdate"."text", '
    '"agendas_action"."id", "agendas_action"."title"'
)


def test_wijk_page_results_select_only_what_they_show(client, results_world):
    with CaptureQueriesContext(connection) as queries:
        client.get("/wijken/heikant/")

    selects = [query["sql"].split(" FROM ")[0] for query in queries.captured_queries]
    assert selects.count(RESULT_ACTIONS_SELECT) == 1
    assert selects.count(RESULT_UPDATES_SELECT) == 1
    for query in queries.captured_queries:
        if query["sql"].split(" FROM ")[0] in (RESULT_ACTIONS_SELECT, RESULT_UPDATES_SELECT):
            assert "agendas_theme" not in query["sql"]
            assert "pacts_partnerorganisation" not in query["sql"]
            assert "agendas_agendaitem" not in query["sql"]
    # The whole page: the wijk, its agendas (plans, actions and their owners, latest versions,
    # and the items of this one, which has no published version to show them), how many
    # archived agendas (for the link to all), buurten, the ids of the wijk's agendas and the
    # two lists of results, wijkraden, proposals, meetings, the archived agendas, the decided
    # proposals and the supported initiatives (whose actions are one more query each when
    # there are any: tests/portal/test_input_trail.py) and residents' initiatives.
    assert len(queries.captured_queries) == 19
