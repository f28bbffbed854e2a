"""The page of a wijkagenda, which gathers from several apps.

Its content as last published (live for its team), its plans and results, the open
proposals of its wijken and the changelog.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
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
from agendas.publication import change_entries, content_for, group_by_theme
from participation.models import Proposal

CHANGES_PER_PAGE = 20


@require_safe
def wijkagenda_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agenda = get_object_or_404(
        Wijkagenda.objects.visible_to(request.user).for_overview(), slug=slug
    )
    items = list(AgendaItem.objects.for_wijkagenda(agenda).for_list())
    versions = list(agenda.versions.all())
    latest = versions[0] if versions else None
    # The team sees the agenda as it is now; everyone else the version last published.
    can_edit = request.user.has_perm("agendas.change_wijkagenda", agenda)
    content = content_for(agenda, items, latest, live=can_edit)
    plans = list(Plan.objects.for_wijkagenda(agenda).with_actions())
    done_actions: list[Action] = []
    result_updates: list[ProgressUpdate] = []
    for plan in plans:
        for action in plan.actions.all():
            if action.status == Action.Status.DONE:
                done_actions.append(action)
            result_updates.extend(action.result_updates)
    result_updates.sort(key=lambda update: update.created_at, reverse=True)
    proposals = (
        Proposal.objects.visible_to(request.user)
        .for_wijken(agenda.wijken.all())
        .open_now()
        .for_cards()
        .order_by("closes_at", "pk")
    )
    recent_changes, recent_entries = None, []
    if can_edit:
        records = ChangeRecord.objects.for_wijkagenda(agenda).select_related("content_type")
        if latest is not None:
            records = records.since(latest.created_at)
        recent_changes = Paginator(records, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
        recent_entries = change_entries(recent_changes.object_list)
    context = {
        "agenda": agenda,
        "follow": follow_button(request, agenda),
        "content": content,
        "can_edit": can_edit,
        "recent_changes": recent_changes,
        "recent_entries": recent_entries,
        "wijken": list(agenda.wijken.all()),
        "theme_groups": group_by_theme(content.items),
        "plans": plans,
        "done_actions": done_actions,
        "result_updates": result_updates,
        "proposals": list(proposals),
        "changelog": changelog_of(versions),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (content.title, None),
        ],
    }
    return render(request, "portal/wijkagenda_detail.html", context)
