"""The pages of a place: home (the gebieden), a gebiedsteam's gebied and a wijk."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.follows import follow_button
from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Vision, Wijkagenda
from agendas.publication import AgendaContent, content_for, content_key
from areas.models import Buurt, Gebiedsteam, GeometrySource, TeamMembership, Wijk, Wijkraad
from followup.forms import ReportForm
from meetings.models import Meeting
from pacts.models import Collaboration, Pact
from participation.models import Initiative, Proposal
from portal.feeds import feed_links
from web.fragments import cached_fragment
from web.sections import (
    cached_page,
    cached_section,
    cached_sections,
    fill_slots,
    slot,
    slots_in,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

HOME_MEETINGS = 4
HOME_PROPOSALS = 4
PAGE_MEETINGS = 5
PAGE_PROPOSALS = 10
PAGE_INITIATIVES = 3
PAGE_RESULTS = 10
# "What happened with your input": the latest decided proposals and supported initiatives,
# each with its first actions.
PAGE_DECISIONS = 5
DECISION_ACTIONS = 5
# The current agendas a wijk page shows whole, and the earlier ones it names; more are on the
# gebied's list of agendas. Usually a wijk has one of each.
PAGE_AGENDAS = 3
PAGE_ARCHIVED_AGENDAS = 10


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    gebieden = list(Gebiedsteam.objects.visible_to(user).for_list())
    meetings = Meeting.objects.visible_to(user).public().upcoming().for_list()[:HOME_MEETINGS]
    proposals = Proposal.objects.visible_to(user).open_now().for_cards()[:HOME_PROPOSALS]
    return render(
        request,
        "portal/home.html",
        {
            "gebieden": gebieden,
            "wijk_total": sum(gebied.wijk_count for gebied in gebieden),
            "any_focus": any(gebied.focus for gebied in gebieden),
            "meetings": meetings,
            "proposals": proposals,
            "map_layers": [
                {"url": reverse("areas:gebieden-geojson"), "kind": "gebieden", "fit": True}
            ],
        },
    )


@dataclass
class RoleGroup:
    """The members of a team with one role: how many, and the names they made public."""

    label: str
    names: list[str] = field(default_factory=list)
    count: int = 0


def _team_roles(memberships: Iterable[TeamMembership]) -> list[RoleGroup]:
    """Members grouped by role, in the order of the roles; e-mail addresses are never used."""
    groups = {role: RoleGroup(label=str(role.label)) for role in TeamMembership.Role}
    for membership in memberships:
        group = groups[TeamMembership.Role(membership.role)]
        group.count += 1
        if membership.user.full_name:
            group.names.append(membership.user.full_name)
    return [group for group in groups.values() if group.count]


@require_safe
def gebiedsteam_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    gebiedsteam = get_object_or_404(Gebiedsteam.objects.visible_to(user).for_detail(), slug=slug)
    vision = Vision.objects.visible_to(user).for_gebiedsteam(gebiedsteam).current().first()
    pacts = Pact.objects.visible_to(user).for_gebiedsteam(gebiedsteam).for_list()
    collaborations = Collaboration.objects.for_gebiedsteam(gebiedsteam).for_list()
    meetings = (
        Meeting.objects.visible_to(user)
        .for_gebiedsteam(gebiedsteam)
        .upcoming()
        .for_list()[:PAGE_MEETINGS]
    )
    wijken_url = reverse("areas:wijken-geojson")
    outline_url = reverse("areas:gebieden-geojson")
    located_url = reverse("portal:located-geojson")
    return render(
        request,
        "portal/gebiedsteam_detail.html",
        {
            "gebiedsteam": gebiedsteam,
            "wijken": gebiedsteam.wijken.all(),
            "werkplekken": gebiedsteam.werkplekken.all(),
            "roles": _team_roles(gebiedsteam.memberships.all()),
            "vision": vision,
            "pacts": pacts,
            "collaborations": collaborations,
            "meetings": meetings,
            "report_form": ReportForm(),
            "map_layers": [
                {
                    "url": f"{outline_url}?gebied={gebiedsteam.slug}",
                    "kind": "outline",
                    "fit": True,
                    "legend": _("Boundary of gebied %(name)s") % {"name": gebiedsteam.name},
                },
                {"url": f"{wijken_url}?gebied={gebiedsteam.slug}", "kind": "wijken", "fit": True},
                _located_layer(located_url, gebied=gebiedsteam.slug),
            ],
            "city_map_query": urlencode({"gebied": gebiedsteam.slug}),
            "feeds": feed_links("gebied", gebiedsteam.slug),
            "breadcrumbs": [(gebiedsteam.name, None)],
        },
    )


def _located_layer(url: str, **filters: str) -> dict[str, Any]:
    """The map layer of the located items (actions, proposals, meetings, werkplekken) of a
    gebied or wijk: loaded again for the part of the map in view after every move. The map
    is fitted around them too: an item of a wijk may lie just outside its boundary."""
    return {"url": f"{url}?{urlencode(filters)}", "kind": "located", "bbox": True, "fit": True}


@dataclass(frozen=True)
class Result:
    """A result achieved: a done action with its result, or an update flagged as a result."""

    title: str
    text: str
    url: str
    date: datetime


def _results(actions: Iterable[Action], updates: Iterable[ProgressUpdate]) -> list[Result]:
    results = [
        Result(
            title=action.title,
            text=action.result,
            url=action.get_absolute_url(),
            date=action.last_progress_at or action.updated_at,
        )
        for action in actions
    ] + [
        Result(
            title=update.action.title,
            text=update.text,
            url=update.action.get_absolute_url(),
            date=update.created_at,
        )
        for update in updates
    ]
    results.sort(key=lambda result: result.date, reverse=True)
    return results[:PAGE_RESULTS]


WIJK_TEMPLATE = "portal/wijk_detail.html"


@require_safe
def wijk_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    wijk = get_object_or_404(Wijk.objects.visible_to(user).for_detail(), slug=slug)
    # What the sections show of the wijk and its gebied was read here, not by the sections.
    shown = [wijk.pk, wijk.updated_at, wijk.gebiedsteam.updated_at]
    sections = {
        name: cached_section(
            request,
            f"wijk-{name}",
            shown,
            lambda name=name, read=read: render_to_string(  # type: ignore[misc]
                f"portal/wijk/_{name}.html", {"wijk": wijk, **read(user, wijk)}, request
            ),
            dated=name not in WIJK_SECTIONS_BY_THE_HOUR,
        )
        for name, read in WIJK_SECTIONS.items()
    }
    # Each agenda's plans are kept by themselves, while the agenda's own rows stay the same.
    plans = _agenda_plans(request, sections["agendas"])
    sections["agendas"] = fill_slots(sections["agendas"], lambda name: plans.get(name, ""))
    # The page around them also shows what was read of the wijk's stadsdeel (none today).
    stadsdeel = wijk.stadsdeel.updated_at if wijk.stadsdeel else None
    return HttpResponse(
        cached_page(
            request,
            "wijk",
            [*shown, stadsdeel],
            lambda slots: render_to_string(
                WIJK_TEMPLATE, _wijk_context(request, wijk, slots), request
            ),
            sections,
            dated=True,
        )
    )


def _wijk_context(
    request: HttpRequest, wijk: Wijk, sections: dict[str, SafeString]
) -> dict[str, Any]:
    """All of the wijk page but its sections: kept with them until a table it read changes."""
    buurten_url = reverse("areas:buurten-geojson", kwargs={"slug": wijk.slug})
    wijken_url = reverse("areas:wijken-geojson")
    buurten = list(Buurt.objects.for_wijk(wijk).for_list())
    return {
        "wijk": wijk,
        "follow": follow_button(request, wijk),
        "gebiedsteam": wijk.gebiedsteam,
        "sections": sections,
        "buurten": buurten,
        # ?buurt=<code> (after an address search): only a buurt of this wijk; anything else,
        # such as another wijk's buurt or a typing error, is ignored.
        "your_buurt": _buurt_with_code(buurten, request.GET.get("buurt", "")),
        "wijkraden": Wijkraad.objects.for_wijk(wijk),
        "schematic": wijk.geometry_source == GeometrySource.SCHEMATIC,
        "map_layers": [
            {
                "url": f"{wijken_url}?wijk={wijk.slug}",
                "kind": "outline",
                "fit": True,
                "legend": _("Boundary of %(name)s") % {"name": wijk.name},
            },
            {"url": buurten_url, "kind": "buurten", "fit": True},
            _located_layer(reverse("portal:located-geojson"), wijk=wijk.slug),
        ],
        "city_map_query": urlencode({"wijk": wijk.slug}),
        "feeds": feed_links("wijk", wijk.slug),
        "breadcrumbs": [
            (wijk.gebiedsteam.name, wijk.gebiedsteam.get_absolute_url()),
            (wijk.name, None),
        ],
    }


# ---- the sections of the wijk page: what each shows, read by itself (web.sections) ---------


def _wijk_agendas(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    """Each current agenda with its content: as it is now for its team, as last published for
    everyone else; its summary and items rendered once per content (web.fragments)."""
    agendas = Wijkagenda.objects.visible_to(user).for_wijk(wijk)
    current_agendas = []
    shown = list(agendas.current().with_team().with_latest_version()[: PAGE_AGENDAS + 1])
    archived = agendas.archived()[: PAGE_ARCHIVED_AGENDAS + 1].count()
    editable = {
        agenda.pk
        for agenda in shown[:PAGE_AGENDAS]
        if user.has_perm("agendas.change_wijkagenda", agenda)
    }
    # Items are read for the agendas shown as they are now (to their team, or never
    # published); the others are shown as their latest version holds them.
    items = AgendaItem.objects.by_agenda(
        agenda
        for agenda in shown[:PAGE_AGENDAS]
        if agenda.pk in editable or not agenda.latest_versions
    )
    for agenda in shown[:PAGE_AGENDAS]:
        content = content_for(
            agenda,
            items.get(agenda.pk, []),
            agenda.latest_versions[0] if agenda.latest_versions else None,
            live=agenda.pk in editable,
        )
        agenda.content_html = _agenda_content_html(agenda, content)  # type: ignore[attr-defined]
        agenda.plans_slot = slot(f"plans:{agenda.pk}")  # type: ignore[attr-defined]
        current_agendas.append((agenda, content))
    return {
        "agendas": current_agendas,
        "gebiedsteam": wijk.gebiedsteam,
        # One more of either than is shown: the page links to the gebied's list of agendas.
        "more_agendas": len(shown) > PAGE_AGENDAS or archived > PAGE_ARCHIVED_AGENDAS,
    }


def _wijk_results(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    # The agendas first: with their ids, the queries of actions and updates join one table
    # less and no visibility sub-query, which the planner took longer to weigh than to run.
    agendas = list(Wijkagenda.objects.visible_to(user).for_wijk(wijk).values_list("pk", flat=True))
    done_actions = (
        Action.objects.for_wijkagendas(agendas)
        .done()
        .with_result()
        .for_results()
        .order_by("-updated_at", "-pk")[:PAGE_RESULTS]
    )
    result_updates = (
        ProgressUpdate.objects.for_wijkagendas(agendas).results().for_results()[:PAGE_RESULTS]
    )
    return {"results": _results(done_actions, result_updates)}


def _wijk_input(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    return {
        "decisions": _decisions(user, wijk),
        "supported_initiatives": _supported_initiatives(user, wijk),
    }


def _wijk_now(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    return {
        "proposals": Proposal.objects.visible_to(user)
        .for_wijk(wijk)
        .open_now()
        .for_cards()[:PAGE_PROPOSALS],
        "meetings": Meeting.objects.visible_to(user)
        .for_wijk(wijk)
        .upcoming()
        .for_list()[:PAGE_MEETINGS],
    }


def _wijk_initiatives(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    return {
        "initiatives": Initiative.objects.visible_to(user)
        .for_wijk(wijk)
        .for_list()[:PAGE_INITIATIVES]
    }


def _wijk_archive(user: User | AnonymousUser, wijk: Wijk) -> dict[str, Any]:
    archived = Wijkagenda.objects.visible_to(user).for_wijk(wijk).archived()
    return {"archived_agendas": archived[:PAGE_ARCHIVED_AGENDAS]}


WIJK_SECTIONS: dict[str, Callable[[User | AnonymousUser, Wijk], dict[str, Any]]] = {
    "agendas": _wijk_agendas,
    "results": _wijk_results,
    "input": _wijk_input,
    "now": _wijk_now,
    "initiatives": _wijk_initiatives,
    "archive": _wijk_archive,
}
# What changes with the clock by the hour: proposals open for comments ("still 3 days to
# respond") and meetings still to come. The other sections change by the day at most (an
# action that becomes overdue) and are kept for the day (web.sections, `dated`).
WIJK_SECTIONS_BY_THE_HOUR = frozenset({"now"})


def _agenda_plans(request: HttpRequest, agendas_html: str) -> dict[str, SafeString]:
    """The plans of each agenda with a slot in `agendas_html` (by slot name), with their first
    actions; each kept while the rows of its agenda stay the same, whatever other agendas
    change, and those not kept read together."""
    names = [name.removeprefix("plans:") for name in slots_in(agendas_html)]
    ids = [int(name) for name in names if name.isdigit()]

    def render(agenda_ids: list[int]) -> dict[int, str]:
        plans: dict[int, list[Plan]] = {agenda_id: [] for agenda_id in agenda_ids}
        for plan in Plan.objects.for_wijkagendas(agenda_ids).with_first_actions():
            plans[plan.wijkagenda_id].append(plan)
        return {
            agenda_id: render_to_string("portal/wijk/_agenda_plans.html", {"plans": shown}, request)
            for agenda_id, shown in plans.items()
        }

    kept = cached_sections(request, "wijk-agenda-plans", "wijkagenda", ids, render, dated=True)
    return {f"plans:{agenda_id}": html for agenda_id, html in kept.items()}


def _with_first_actions(
    queryset: QuerySet[Any], user: User | AnonymousUser, carried_out: str
) -> list[Any]:
    """The latest of `queryset` (decided proposals, supported initiatives), each with the first
    actions carrying it out that the user may see (`shown_actions`) and how many there are
    (`action_count`; `carried_out` names the relation from an action to what it carries out):
    two queries, however many there are of either."""
    actions = Action.objects.visible_to(user)
    # Counted for each of the few shown, not over every action the user may see.
    counted = (
        actions.filter(**{carried_out: OuterRef("pk")})
        .order_by()
        .values(carried_out)
        .annotate(count=Count("pk"))
        .values("count")
    )
    # Only what the list shows of the actions: their link, title, status and progress.
    shown = actions.only("title", "status", "progress").order_by("title", "pk")
    return list(
        queryset.annotate(action_count=Coalesce(Subquery(counted), 0)).prefetch_related(
            Prefetch("actions", queryset=shown[:DECISION_ACTIONS], to_attr="shown_actions")
        )[:PAGE_DECISIONS]
    )


def _decisions(user: User | AnonymousUser, wijk: Wijk) -> list[Proposal]:
    """The wijk's latest decided proposals the user may read, with their first actions."""
    decided = (
        Proposal.objects.visible_to(user)
        .for_wijk(wijk)
        .filter(status=Proposal.Status.DECIDED)
        .only("title", "slug", "decided_at")
        .order_by("-decided_at", "-pk")
    )
    return _with_first_actions(decided, user, "proposals")


def _supported_initiatives(user: User | AnonymousUser, wijk: Wijk) -> list[Initiative]:
    """The wijk's latest supported initiatives, with their first actions."""
    supported = (
        Initiative.objects.visible_to(user)
        .for_wijk(wijk)
        .filter(status=Initiative.Status.SUPPORTED)
        .only("title")
        .order_by("-created_at", "-pk")
    )
    return _with_first_actions(supported, user, "initiatives")


def _agenda_content_html(agenda: Wijkagenda, content: AgendaContent) -> SafeString:
    url = agenda.get_absolute_url()
    return cached_fragment(
        "wijk-agenda-content",
        [content_key(content), url],
        lambda: render_to_string(
            "portal/_wijk_agenda_content.html", {"content": content, "agenda_url": url}
        ).strip(),
    )


def _buurt_with_code(buurten: Iterable[Buurt], code: str) -> Buurt | None:
    """The buurt with this CBS code among `buurten` (already loaded: no query), or None."""
    code = code.strip().upper()
    return next((buurt for buurt in buurten if buurt.code == code), None) if code else None
