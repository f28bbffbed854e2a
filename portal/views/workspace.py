"""My workspace: what waits for the signed-in person, by the roles they hold.

Above the lists, the tools: a link to every task the person's roles allow
(`portal.tools`). Team members see their gebieden's actions that are due soon or overdue,
stalled actions, draft agendas and proposals that wait for the team's answer, and the core
team the residents' initiatives that wait for its answer; partner staff
see the open actions of their organisations across all gebieden; council members see the
open proposals of their wijken. Each section is paginated on its own and loads in a fixed
number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from agendas.models import Action, Wijkagenda
from agendas.views.edit_actions import status_rows
from areas.models import CORE_ROLES
from areas.rules import council_wijk_ids, team_ids, team_roles
from pacts.rules import organisation_ids
from participation.models import Initiative, Proposal
from portal.tools import tools_for
from web.sections import cached_section

DUE_WITHIN_DAYS = 14
TEMPLATE = "portal/workspace.html"
SECTION_TEMPLATE = "portal/workspace/_section.html"


@dataclass
class Section:
    """One list of the workspace, paginated with its own query parameter."""

    key: str
    title: str
    empty: str
    # how a row is shown: "status" (inline form), "action", "agenda", "proposal", "initiative"
    kind: str
    page_obj: Page[Any]
    rows: list[Any]
    previous_url: str | None
    next_url: str | None


def _section(
    request: HttpRequest,
    *,
    key: str,
    title: str,
    empty: str,
    kind: str,
    queryset: QuerySet[Any],
) -> Section:
    param = f"{key}_page"
    page_obj = Paginator(queryset, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get(param))
    rows: list[Any] = list(page_obj.object_list)
    if kind == "status":
        rows = status_rows(rows, next_url=request.get_full_path())

    def url_for(number: int) -> str:
        params = request.GET.copy()
        params[param] = str(number)
        params["section"] = key
        return f"{reverse('portal:workspace')}?{params.urlencode()}"

    return Section(
        key=key,
        title=title,
        empty=empty,
        kind=kind,
        page_obj=page_obj,
        rows=rows,
        previous_url=url_for(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        next_url=url_for(page_obj.next_page_number()) if page_obj.has_next() else None,
    )


def _sections(request: HttpRequest, wanted: str | None) -> list[SafeString]:
    """The sections for the user's roles, rendered; only `wanted` when one section is asked
    for."""
    user = request.user
    teams, organisations = team_ids(user), organisation_ids(user)
    council_wijken = council_wijk_ids(user)
    actions = Action.objects.visible_to(user)
    specs: list[tuple[str, str, str, str, Any]] = []
    if teams:
        team_actions = actions.for_gebiedsteams(teams)
        specs += [
            (
                "due",
                _("Actions due within %(days)s days or overdue") % {"days": DUE_WITHIN_DAYS},
                _("No actions of your gebieden are due soon or overdue."),
                "status",
                lambda: (
                    team_actions.due_within(DUE_WITHIN_DAYS) | team_actions.overdue()
                ).for_workspace(),
            ),
            (
                "stalled",
                _("Stalled actions: no progress update for %(weeks)s weeks")
                % {"weeks": settings.WIJKPORTAAL_STALLED_WEEKS},
                _("Every open action of your gebieden had a progress update recently."),
                "status",
                lambda: team_actions.stalled(settings.WIJKPORTAAL_STALLED_WEEKS).for_workspace(),
            ),
            (
                "drafts",
                _("Draft wijkagendas"),
                _("Your gebieden have no draft agendas."),
                "agenda",
                lambda: (
                    Wijkagenda.objects.visible_to(user)
                    .for_gebiedsteams(teams)
                    .drafts()
                    .for_overview()
                    .order_by("title", "pk")
                ),
            ),
            (
                "proposals",
                _("Proposals awaiting an answer"),
                _("No comments or advice wait for an answer of your team."),
                "proposal",
                lambda: (
                    Proposal.objects.visible_to(user)
                    .for_gebiedsteams(teams)
                    .awaiting_team_answer()
                    .for_cards()
                ),
            ),
        ]
    core_teams = [team for team, role in team_roles(user).items() if role in CORE_ROLES]
    if core_teams:
        specs.append(
            (
                "initiatives",
                _("Initiatives waiting for an answer"),
                _("No residents' initiative of your gebieden waits for an answer."),
                "initiative",
                lambda: (
                    Initiative.objects.visible_to(user)
                    .for_gebiedsteams(core_teams)
                    .awaiting_answer()
                    .for_list()
                    .order_by("created_at", "pk")
                ),
            )
        )
    if organisations:
        specs.append(
            (
                "partner",
                _("Actions of your organisation"),
                _("Your organisation has no open actions."),
                "action",
                lambda: actions.reported_on_by_staff(user).open().for_workspace(),
            )
        )
    if council_wijken:
        specs.append(
            (
                "council",
                _("Open proposals for your wijken"),
                _("No proposals for your wijken are open for comments now."),
                "proposal",
                lambda: (
                    Proposal.objects.visible_to(user)
                    .for_wijk_ids(council_wijken)
                    .open_now()
                    .for_cards()
                ),
            )
        )

    def rendered(key: str, title: str, empty: str, kind: str, queryset: Any) -> SafeString:
        def render() -> str:
            section = _section(
                request, key=key, title=title, empty=empty, kind=kind, queryset=queryset()
            )
            return render_to_string(SECTION_TEMPLATE, {"section": section}, request)

        # Everything a list shows besides what it reads: its page and the page to return to.
        return cached_section(request, f"workspace-{key}", request.get_full_path(), render)

    return [rendered(*spec) for spec in specs if wanted is None or spec[0] == wanted]


@require_safe
@login_required
@vary_on_headers("HX-Request")
def workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    wanted = request.GET.get("section") if request.htmx else None
    sections = _sections(request, wanted)
    if request.htmx and wanted:
        if not sections:
            raise Http404
        return HttpResponse(sections[0])
    tools = tools_for(request.user)
    context = {
        "sections": sections,
        "tools": tools,
        "gebiedsteams": tools.gebiedsteams,
        "breadcrumbs": [(_("My workspace"), None)],
    }
    return render(request, TEMPLATE, context)
