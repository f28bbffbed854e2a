"""The pages of the agendas: wijkagendas, actions and proposals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from agendas.changelog import Change, diff_snapshots
from agendas.models import (
    Action,
    AgendaItem,
    ChangeRecord,
    Plan,
    ProgressUpdate,
    Proposal,
    Wijkagenda,
    WijkagendaVersion,
)
from agendas.publication import PublishedItem, change_entries, content_for, listing_for
from agendas.views import comments
from agendas.views.edit_proposals import decision_context
from agendas.views.follows import follow_context
from areas.models import Gebiedsteam, Wijk
from pacts.models import Pact

CHANGES_PER_PAGE = 20


@dataclass
class ThemeGroup:
    """The items of one theme on an agenda, in their order."""

    theme: Any  # a Theme, or the theme as it was published
    items: list[AgendaItem | PublishedItem] = field(default_factory=list)


@dataclass
class VersionEntry:
    """A published version with the changes to its items since the version before it."""

    version: WijkagendaVersion
    changes: list[Change] | None  # None for the first version: nothing to compare with


def _group_by_theme(items: Iterable[AgendaItem | PublishedItem]) -> list[ThemeGroup]:
    groups: dict[Any, ThemeGroup] = {}
    for item in items:
        group = groups.setdefault(item.theme, ThemeGroup(theme=item.theme))
        group.items.append(item)
    return list(groups.values())


def _changelog(versions: list[WijkagendaVersion]) -> list[VersionEntry]:
    """Versions newest first, each compared with the one published before it."""
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes = diff_snapshots(previous.snapshot, version.snapshot) if previous else None
        entries.append(VersionEntry(version=version, changes=changes))
    return entries


@require_GET
@vary_on_headers("HX-Request")
def wijkagenda_list(request: HttpRequest) -> HttpResponse:
    agendas = Wijkagenda.objects.visible_to(request.user)
    gebied = request.GET.get("gebied", "")
    kind = request.GET.get("soort", "")
    # Unknown values are not an error: they match no agenda, and the page says so.
    if gebied:
        agendas = agendas.for_gebiedsteam_slug(gebied)
    if kind:
        agendas = agendas.of_kind(kind)
    agendas = (
        agendas.for_overview().annotate_item_count().with_latest_version().order_by("title", "pk")
    )
    page_obj = Paginator(agendas, settings.WIJKPORTAAL_PAGE_SIZE).get_page(request.GET.get("page"))
    # Residents read an agenda as it was last published; its team reads it as it is now.
    for agenda in page_obj:
        live = request.user.has_perm("agendas.change_wijkagenda", agenda)
        agenda.listing = listing_for(agenda, live=live)
    context = {
        "page_obj": page_obj,
        "gebiedsteams": Gebiedsteam.objects.defer("outline"),
        "kinds": Wijkagenda.Kind.choices,
        "selected_gebied": gebied,
        "selected_kind": kind,
        "is_filtered": bool(gebied or kind),
        "breadcrumbs": [(_("Wijkagendas"), None)],
    }
    template = "agendas/wijkagenda_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
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
            records = records.filter(created_at__gt=latest.created_at)
        recent_changes = Paginator(records, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
        recent_entries = change_entries(recent_changes.object_list)
    context = {
        "agenda": agenda,
        "follow": follow_context(request, agenda),
        "content": content,
        "can_edit": can_edit,
        "recent_changes": recent_changes,
        "recent_entries": recent_entries,
        "wijken": list(agenda.wijken.all()),
        "theme_groups": _group_by_theme(content.items),
        "plans": plans,
        "done_actions": done_actions,
        "result_updates": result_updates,
        "proposals": list(proposals),
        "changelog": _changelog(versions),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (content.title, None),
        ],
    }
    return render(request, "agendas/wijkagenda_detail.html", context)


@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.visible_to(request.user).for_detail(), pk=pk)
    agenda = action.plan.wijkagenda
    commitment = action.pact_commitment
    # The commitment's pact may be a draft the user may not see; then it is left out.
    if commitment is not None and not Pact.objects.visible_to(request.user).contains(
        commitment.pact
    ):
        commitment = None
    context: dict[str, Any] = {
        "action": action,
        "agenda": agenda,
        "commitment": commitment,
        "updates": list(action.updates.all()),
        "show_contact_email": request.user.is_authenticated and bool(action.contact_email),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (action.title, None),
        ],
    }
    return render(request, "agendas/action_detail.html", context)


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    visible = Proposal.objects.visible_to(request.user)
    proposals = visible
    # An unknown wijk is not an error: it matches no proposal, and the page says so.
    selected_wijk = request.GET.get("wijk", "")
    if selected_wijk:
        proposals = proposals.for_wijken(Wijk.objects.filter(slug=selected_wijk))
    proposals = proposals.for_cards().in_phase_order()
    page_obj = Paginator(proposals, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        # Only wijken with a proposal the user may see: the filter shows no empty choices.
        "wijken": Wijk.objects.filter(pk__in=visible.values("wijken"))
        .only("name", "slug")
        .order_by("name"),
        "selected_wijk": selected_wijk,
        "breadcrumbs": [(_("Proposals"), None)],
    }
    return render(request, "agendas/proposal_list.html", context)


def proposal_context(request: HttpRequest, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    """What the proposal page shows; `extra` (e.g. a refused comment form) goes to the
    comments section."""
    return {
        "wijken": list(proposal.wijken.all()),
        "follow": follow_context(request, proposal),
        "advices": list(proposal.advices.select_related("wijkraad").prefetch_related("outcomes")),
        # The team's controls, the outcome of each comment and the linked actions.
        **decision_context(request, proposal),
        "now": timezone.now(),
        "breadcrumbs": [
            (_("Proposals"), reverse("agendas:proposal-list")),
            (proposal.title, None),
        ],
        # The first batch of comments (or the one asked for with ?pagina=N), so that the
        # page works without JavaScript; "Load more" fetches the next batch.
        **comments.thread_context(request, proposal, form=extra.pop("comment_form", None)),
        **extra,
    }


@require_GET
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user).for_cards(), slug=slug)
    context = proposal_context(request, proposal)
    return render(request, "agendas/proposal_detail.html", context)
