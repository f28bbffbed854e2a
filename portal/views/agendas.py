"""The page of a wijkagenda, which gathers from several apps.

Its content as last published (live for its team), its plans and results, the open
proposals of its wijken and the changelog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.follows import follow_button
from agendas.changelog import changelog_of
from agendas.models import (
    Action,
    AgendaItem,
    ChangeRecord,
    Plan,
    ProgressUpdate,
    Wijkagenda,
)
from agendas.publication import change_entries, content_for, content_key, group_by_theme
from participation.models import Proposal
from web.fragments import cached_fragment
from web.sections import cached_page, cached_section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

CHANGES_PER_PAGE = 20
# The newest versions in the page's changelog; all of them are on the changelog's own page.
CHANGELOG_VERSIONS = 5
VERSIONS_PER_PAGE = 10
# The open proposals of the agenda's wijken the page shows; the proposal list has them all.
AGENDA_PROPOSALS = 10
# The latest done actions, and the latest updates marked as a result, that the page shows.
AGENDA_RESULTS = 10


@require_safe
def wijkagenda_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The wijken are read by the parts of the page that show them, kept with what they read.
    agenda = get_object_or_404(Wijkagenda.objects.visible_to(request.user).with_team(), slug=slug)
    latest = agenda.versions.order_by("-number").first()
    # The team sees the agenda as it is now; everyone else the version last published, whose
    # snapshot holds the items: only the live agenda needs them from their table.
    can_edit = request.user.has_perm("agendas.change_wijkagenda", agenda)
    live = can_edit or latest is None
    items = list(AgendaItem.objects.for_wijkagenda(agenda).for_list()) if live else []
    content = content_for(agenda, items, latest, live=can_edit)
    theme_groups = group_by_theme(content.items)
    # The summary and items, rendered once per content: the bulk of the page's Markdown.
    content_html = cached_fragment(
        "wijkagenda-content",
        content_key(content),
        lambda: render_to_string(
            "portal/_wijkagenda_content.html",
            {"content": content, "theme_groups": theme_groups},
        ).strip(),
    )
    # What the sections show of the agenda itself was read here, not by the sections.
    shown = [agenda.pk, agenda.updated_at, agenda.slug]
    # The sections that read only this agenda's rows are kept while other agendas change.
    scope = ("wijkagenda", agenda.pk)
    sections = {
        name: cached_section(
            request,
            f"wijkagenda-{name}",
            shown,
            lambda name=name, read=read: render_to_string(  # type: ignore[misc]
                f"portal/wijkagenda/_{name}.html", read(request.user, agenda), request
            ),
            scope=scope if name in AGENDA_OWN_SECTIONS else None,
            # Only the open proposals change with the clock by the hour ("still 3 days to
            # respond"); the rest by the day at most (an action that becomes overdue).
            dated=name != "proposals",
        )
        for name, read in AGENDA_SECTIONS.items()
    }
    if can_edit:
        # The team's changes since the version residents see, a page of them at a time: its
        # links keep the rest of the query string.
        page = request.GET.get("page", "")
        since = latest.created_at if latest is not None else None
        sections["changes"] = cached_section(
            request,
            "wijkagenda-changes",
            [*shown, since, request.GET.urlencode()],
            lambda: render_to_string(
                "portal/wijkagenda/_changes.html", _recent_changes(agenda, since, page), request
            ),
            scope=scope,
            dated=True,
        )
    # What the page shows of the agenda, its team, its content and the version residents see
    # was read here.
    page_key = [
        *shown,
        agenda.gebiedsteam.updated_at,
        content_key(content),
        content.has_unpublished_changes,
        latest.pk if latest is not None else None,
        can_edit,
    ]

    def render_page(slots: dict[str, SafeString]) -> str:
        context = {
            "agenda": agenda,
            "follow": follow_button(request, agenda),
            "content": content,
            "can_edit": can_edit,
            "wijken": list(agenda.wijken.all()),
            "theme_groups": theme_groups,
            "content_html": content_html,
            "sections": slots,
            "breadcrumbs": [
                (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
                (content.title, None),
            ],
        }
        return render_to_string("portal/wijkagenda_detail.html", context, request)

    return HttpResponse(
        cached_page(request, "wijkagenda", page_key, render_page, sections, dated=True)
    )


def _recent_changes(agenda: Wijkagenda, since: datetime | None, page: str) -> dict[str, Any]:
    records = ChangeRecord.objects.for_wijkagenda(agenda).select_related("content_type")
    if since is not None:
        records = records.since(since)
    recent_changes = Paginator(records, CHANGES_PER_PAGE).get_page(page)
    return {
        "recent_changes": recent_changes,
        "recent_entries": change_entries(recent_changes.object_list),
    }


# ---- the sections of the wijkagenda page: what each shows, read by itself (web.sections) ----


def _agenda_plans(user: User | AnonymousUser, agenda: Wijkagenda) -> dict[str, Any]:
    """Each plan with its first actions; the rest are on the plan's own list."""
    return {"plans": list(Plan.objects.for_wijkagenda(agenda).with_first_actions())}


def _agenda_results(user: User | AnonymousUser, agenda: Wijkagenda) -> dict[str, Any]:
    """The latest results: one more is loaded to know whether there are more than shown."""
    done_actions = list(
        Action.objects.for_wijkagenda(agenda)
        .done()
        .select_related("owner_organisation")
        .only("title", "status", "progress", "due_date", "result", "owner_organisation__name")
        .order_by("-updated_at", "-pk")[: AGENDA_RESULTS + 1]
    )
    result_updates = list(
        ProgressUpdate.objects.for_wijkagenda(agenda).results().for_results()[: AGENDA_RESULTS + 1]
    )
    return {
        "done_actions": done_actions[:AGENDA_RESULTS],
        "result_updates": result_updates[:AGENDA_RESULTS],
        "more_results": len(done_actions) > AGENDA_RESULTS or len(result_updates) > AGENDA_RESULTS,
    }


def _agenda_changelog(user: User | AnonymousUser, agenda: Wijkagenda) -> dict[str, Any]:
    """The newest versions with what each changed; the one before the oldest of them is
    read to compare it with."""
    versions = list(agenda.versions.order_by("-number")[: CHANGELOG_VERSIONS + 1])
    return {
        "agenda": agenda,
        "changelog": changelog_of(versions)[:CHANGELOG_VERSIONS],
        "earlier_versions": len(versions) > CHANGELOG_VERSIONS,
    }


def _agenda_proposals(user: User | AnonymousUser, agenda: Wijkagenda) -> dict[str, Any]:
    wijken = list(agenda.wijken.all())
    proposals = list(
        Proposal.objects.visible_to(user)
        .for_wijken(wijken)
        .open_now()
        .for_cards()
        .order_by("closes_at", "pk")[: AGENDA_PROPOSALS + 1]
    )
    return {
        "wijken": wijken,
        "proposals": proposals[:AGENDA_PROPOSALS],
        "more_proposals": len(proposals) > AGENDA_PROPOSALS,
    }


AGENDA_SECTIONS: dict[str, Callable[[User | AnonymousUser, Wijkagenda], dict[str, Any]]] = {
    "plans": _agenda_plans,
    "results": _agenda_results,
    "proposals": _agenda_proposals,
    "changelog": _agenda_changelog,
}
# The sections that read, of the tables scoped by agenda (agendas/apps.py), only this agenda's
# rows (not the proposals: they read the wijken's).
AGENDA_OWN_SECTIONS = frozenset({"plans", "results", "changelog"})


@require_safe
def wijkagenda_changelog(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published version of an agenda with what changed in it, newest first, a page
    at a time; the agenda's page shows the newest few."""
    agenda = get_object_or_404(Wijkagenda.objects.visible_to(request.user), slug=slug)
    versions = agenda.versions.order_by("-number")
    page_obj = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page_obj.object_list)
    # The version before the oldest on this page, to show what that one changed.
    before = versions.filter(number__lt=shown[-1].number).first() if shown else None
    context = {
        "agenda": agenda,
        "page_obj": page_obj,
        "changelog": changelog_of([*shown, *([before] if before else [])])[: len(shown)],
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (_("Changelog"), None),
        ],
    }
    return render(request, "portal/wijkagenda_changelog.html", context)
