"""Editing wijkagendas, their items by theme, publishing them, and the vision of a gebied.

Every view loads its object through `visible_to` (404) and checks the action with
`has_perm` (403), validates a form and hands the cleaned values to
agendas.services.agendas, which saves through agendas.history. A plain POST ends in a
redirect; an htmx POST gets the changed fragment back. Invalid input answers 400 with the
errors next to the fields; a save refused because someone else saved in the meantime answers
409 with that other change and the current values, the user's input kept in the form with
the current revision, so saving again is a choice made knowingly.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from agendas.changelog import diff_snapshots
from agendas.forms.agendas import (
    AgendaItemEditForm,
    AgendaItemForm,
    MoveItemForm,
    PublishForm,
    RevisionForm,
    VisionEditForm,
    VisionForm,
    WijkagendaCreateForm,
    WijkagendaForm,
)
from agendas.history import StaleEditError, shown_value
from agendas.models import AgendaItem, Status, Theme, Vision, Wijkagenda
from agendas.publication import FieldChange, changes_of, field_label
from agendas.services import agendas as services
from areas.models import Gebiedsteam, is_admin
from web.http import render_page_or_fragment

AGENDA_TEMPLATE = "agendas/edit/wijkagenda_form.html"
PUBLISH_TEMPLATE = "agendas/edit/wijkagenda_publish.html"
ITEMS_TEMPLATE = "agendas/edit/items.html"
ITEM_TEMPLATE = "agendas/edit/item_form.html"
ITEM_DELETE_TEMPLATE = "agendas/edit/item_delete.html"
VISION_TEMPLATE = "agendas/edit/vision_form.html"


# ---- Conflicts ------------------------------------------------------------------------------


@dataclass
class Conflict:
    """What the other person changed, and how the object looks now (for _conflict_notice)."""

    author: str | None
    when: dt.datetime | None
    changes: list[FieldChange] = field(default_factory=list)
    current: list[tuple[str, Any]] = field(default_factory=list)


def conflict_of(error: StaleEditError, fields: list[str]) -> Conflict:
    current = error.current
    model = type(current)
    record = error.other_change
    conflict = Conflict(
        author=str(record.author) if record and record.author else None,
        when=record.created_at if record else None,
        changes=changes_of(record, model) if record else [],
    )
    for name in fields:
        if model._meta.get_field(name).many_to_many:
            value = ", ".join(sorted(str(obj) for obj in getattr(current, name).all()))
        else:
            value = shown_value(current, name)
        conflict.current.append((field_label(model, name), value or None))
    return conflict


def _with_revision(data: QueryDict, revision: int) -> QueryDict:
    data = data.copy()
    data["revision"] = str(revision)
    return data


# ---- Loading with permission checks ---------------------------------------------------------


def _editable_agenda(request: HttpRequest, slug: str) -> Wijkagenda:
    """The agenda if the user may see it (else 404) and edit it (else 403)."""
    agenda = get_object_or_404(
        Wijkagenda.objects.visible_to(request.user).select_related("gebiedsteam"), slug=slug
    )
    if not request.user.has_perm("agendas.change_wijkagenda", agenda):
        raise PermissionDenied
    return agenda


def _editable_item(request: HttpRequest, slug: str, pk: int) -> AgendaItem:
    agenda = _editable_agenda(request, slug)
    item = get_object_or_404(
        AgendaItem.objects.for_wijkagenda(agenda).select_related("theme", "lead_organisation"),
        pk=pk,
    )
    item.wijkagenda = agenda
    return item


def _agenda_breadcrumbs(agenda: Wijkagenda, label: str) -> list[tuple[str, str | None]]:
    return [
        (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
        (agenda.title, agenda.get_absolute_url()),
        (label, None),
    ]


# ---- Wijkagenda -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_admin(user) and not Gebiedsteam.objects.of_user(user).exists():
        raise PermissionDenied
    form = WijkagendaCreateForm(request.POST if request.method == "POST" else None, user=user)
    status = HTTPStatus.OK
    if form.is_bound:
        if form.is_valid():
            if not user.has_perm("agendas.add_wijkagenda", form.gebiedsteam):
                raise PermissionDenied
            agenda = services.create_wijkagenda(
                gebiedsteam=form.gebiedsteam,
                data=form.cleaned_data,
                wijken=form.cleaned_data["wijken"],
                by=user,
            )
            messages.success(request, _("The agenda has been saved as a draft."))
            return redirect("agendas:wijkagenda-items", slug=agenda.slug)
        status = HTTPStatus.BAD_REQUEST
    context = {
        "form": form,
        "agenda": None,
        "action_url": reverse("agendas:wijkagenda-create"),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (_("New agenda"), None),
        ],
    }
    return render_page_or_fragment(request, AGENDA_TEMPLATE, "form", context, status)


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_edit(request: HttpRequest, slug: str) -> HttpResponse:
    agenda = _editable_agenda(request, slug)
    context: dict[str, Any] = {
        "agenda": agenda,
        "action_url": reverse("agendas:wijkagenda-edit", kwargs={"slug": agenda.slug}),
        "breadcrumbs": _agenda_breadcrumbs(agenda, _("Edit")),
    }
    if request.method == "GET":
        context["form"] = WijkagendaForm(instance=agenda)
        return render_page_or_fragment(request, AGENDA_TEMPLATE, "form", context)

    form = WijkagendaForm(request.POST, instance=agenda)
    if not form.is_valid():
        context["form"] = form
        return render_page_or_fragment(
            request, AGENDA_TEMPLATE, "form", context, HTTPStatus.BAD_REQUEST
        )
    try:
        services.update_wijkagenda(
            agenda=agenda,
            data=form.cleaned_data,
            wijken=form.cleaned_data["wijken"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
    except StaleEditError as error:
        current = error.current
        context["conflict"] = conflict_of(error, [*services.AGENDA_FIELDS, "wijken"])
        context["form"] = WijkagendaForm(
            _with_revision(request.POST, current.revision), instance=current
        )
        context["form"].is_valid()
        return render_page_or_fragment(
            request, AGENDA_TEMPLATE, "form", context, HTTPStatus.CONFLICT
        )
    if request.htmx:
        agenda.refresh_from_db()
        context["form"] = WijkagendaForm(instance=agenda)
        context["saved"] = True
        return render_page_or_fragment(request, AGENDA_TEMPLATE, "form", context)
    messages.success(request, _("Your changes have been saved."))
    return redirect(agenda)


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_publish(request: HttpRequest, slug: str) -> HttpResponse:
    agenda = _editable_agenda(request, slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        version = services.publish_wijkagenda(
            agenda=agenda, change_summary=form.cleaned_data["change_summary"], by=request.user
        )
        if not request.htmx:
            messages.success(
                request,
                _("Version %(number)s is published. Everyone can read it now.")
                % {"number": version.number},
            )
            return redirect(agenda)
        form = PublishForm()
        published = version
    else:
        published = None
    latest = agenda.versions.order_by("-number").first()
    changes = diff_snapshots(latest.snapshot if latest else {}, agenda.snapshot())
    context = {
        "agenda": agenda,
        "form": form,
        "latest": latest,
        "changes": changes,
        "published": published,
        "breadcrumbs": _agenda_breadcrumbs(agenda, _("Publish")),
    }
    status = HTTPStatus.BAD_REQUEST if form.is_bound and form.errors else HTTPStatus.OK
    return render_page_or_fragment(request, PUBLISH_TEMPLATE, "publish", context, status)


# ---- Agenda items ---------------------------------------------------------------------------


@dataclass
class ThemeGroup:
    theme: Theme
    items: list[AgendaItem] = field(default_factory=list)


def _groups(agenda: Wijkagenda, *, theme: Theme | None = None) -> list[ThemeGroup]:
    items = AgendaItem.objects.for_wijkagenda(agenda).for_list()
    if theme is not None:
        items = items.filter(theme=theme)
    groups: dict[int, ThemeGroup] = {}
    for item in items:
        item.wijkagenda = agenda
        groups.setdefault(item.theme_id, ThemeGroup(theme=item.theme)).items.append(item)
    return list(groups.values())


def _items_context(agenda: Wijkagenda, **extra: Any) -> dict[str, Any]:
    return {
        "agenda": agenda,
        "breadcrumbs": _agenda_breadcrumbs(agenda, _("Ambitions and tasks")),
        **extra,
    }


def _theme_fragment(
    request: HttpRequest,
    agenda: Wijkagenda,
    theme: Theme,
    status: int = HTTPStatus.OK,
    **extra: Any,
) -> HttpResponse:
    """The items of one theme, after a move or removal; empty when the theme has none."""
    groups = _groups(agenda, theme=theme)
    context = _items_context(
        agenda, group=groups[0] if groups else ThemeGroup(theme=theme), **extra
    )
    return render(request, f"{ITEMS_TEMPLATE}#theme-group", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The items of an agenda by theme, each editable, with a form to add one (POST)."""
    agenda = _editable_agenda(request, slug)
    form = AgendaItemForm(request.POST if request.method == "POST" else None)
    status = HTTPStatus.OK
    added = None
    if form.is_bound:
        if form.is_valid():
            added = services.add_item(agenda=agenda, data=form.cleaned_data, by=request.user)
            if not request.htmx:
                messages.success(request, _("The item has been added."))
                return redirect(
                    reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug})
                    + f"#item-{added.pk}"
                )
            form = AgendaItemForm()
        else:
            status = HTTPStatus.BAD_REQUEST
    context = _items_context(agenda, groups=_groups(agenda), form=form, added=added)
    return render_page_or_fragment(request, ITEMS_TEMPLATE, "items", context, status)


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    context = _items_context(agenda, item=item)
    context["breadcrumbs"] = _agenda_breadcrumbs(agenda, item.title)
    if request.method == "GET":
        context["form"] = AgendaItemEditForm(instance=item)
        return render_page_or_fragment(request, ITEM_TEMPLATE, "item-form", context)

    form = AgendaItemEditForm(request.POST, instance=item)
    if not form.is_valid():
        context["form"] = form
        return render_page_or_fragment(
            request, ITEM_TEMPLATE, "item-form", context, HTTPStatus.BAD_REQUEST
        )
    try:
        services.update_item(
            item=item,
            data=form.cleaned_data,
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
    except StaleEditError as error:
        current = error.current
        current.wijkagenda = agenda
        context["conflict"] = conflict_of(error, list(services.ITEM_FIELDS))
        context["form"] = AgendaItemEditForm(
            _with_revision(request.POST, current.revision), instance=current
        )
        context["form"].is_valid()
        return render_page_or_fragment(
            request, ITEM_TEMPLATE, "item-form", context, HTTPStatus.CONFLICT
        )
    if request.htmx:
        item = AgendaItem.objects.select_related("theme", "lead_organisation").get(pk=item.pk)
        item.wijkagenda = agenda
        return render(
            request,
            f"{ITEMS_TEMPLATE}#item",
            _items_context(agenda, item=item, saved=True),
        )
    messages.success(request, _("Your changes have been saved."))
    return redirect(
        reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug}) + f"#item-{item.pk}"
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def item_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    form = MoveItemForm(request.POST)
    items_url = reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug})
    if not form.is_valid():
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.BAD_REQUEST, move_errors=form.errors
            )
        messages.error(request, _("The item could not be moved. Please try again."))
        return redirect(f"{items_url}#item-{item.pk}")
    try:
        services.move_item(
            item=item,
            direction=form.cleaned_data["direction"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
    except StaleEditError as error:
        conflict = conflict_of(error, list(services.ITEM_FIELDS))
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.CONFLICT, conflict=conflict
            )
        context = _items_context(
            agenda, groups=_groups(agenda), form=AgendaItemForm(), conflict=conflict
        )
        return render(request, ITEMS_TEMPLATE, context, status=HTTPStatus.CONFLICT)
    if request.htmx:
        return _theme_fragment(request, agenda, item.theme)
    return redirect(f"{items_url}#item-{item.pk}")


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask (GET) and remove (POST) an item; the removal is kept in the history."""
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    items_url = reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug})
    context = _items_context(agenda, item=item)
    context["breadcrumbs"] = _agenda_breadcrumbs(agenda, _("Remove"))
    if request.method == "GET":
        context["form"] = RevisionForm(initial={"revision": item.revision})
        return render(request, ITEM_DELETE_TEMPLATE, context)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        context["form"] = form
        return render(request, ITEM_DELETE_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)
    try:
        services.remove_item(
            item=item, expected_revision=form.cleaned_data["revision"], by=request.user
        )
    except StaleEditError as error:
        conflict = conflict_of(error, list(services.ITEM_FIELDS))
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.CONFLICT, conflict=conflict
            )
        context["conflict"] = conflict
        context["form"] = RevisionForm(initial={"revision": error.current.revision})
        return render(request, ITEM_DELETE_TEMPLATE, context, status=HTTPStatus.CONFLICT)
    if request.htmx:
        return _theme_fragment(request, agenda, item.theme)
    messages.success(request, _("The item has been removed."))
    return redirect(items_url)


# ---- Vision ---------------------------------------------------------------------------------


def _vision_of(request: HttpRequest, gebiedsteam: Gebiedsteam) -> Vision | None:
    """The vision the team works on: the newest one that is not archived."""
    return (
        Vision.objects.visible_to(request.user)
        .for_gebiedsteam(gebiedsteam)
        .exclude(status=Status.ARCHIVED)
        .select_related("gebiedsteam")
        .order_by("-created_at", "-pk")
        .first()
    )


def _editable_vision(request: HttpRequest, slug: str) -> tuple[Gebiedsteam, Vision | None]:
    gebiedsteam = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    vision = _vision_of(request, gebiedsteam)
    allowed = (
        request.user.has_perm("agendas.change_vision", vision)
        if vision is not None
        else request.user.has_perm("agendas.add_vision", gebiedsteam)
    )
    if not allowed:
        raise PermissionDenied
    return gebiedsteam, vision


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def vision_edit(request: HttpRequest, slug: str) -> HttpResponse:
    gebiedsteam, vision = _editable_vision(request, slug)
    form_class: type[forms.ModelForm] = VisionForm if vision is None else VisionEditForm
    context: dict[str, Any] = {
        "gebiedsteam": gebiedsteam,
        "vision": vision,
        "breadcrumbs": [
            (gebiedsteam.name, gebiedsteam.get_absolute_url()),
            (_("Vision"), None),
        ],
    }
    if request.method == "GET":
        context["form"] = form_class(instance=vision)
        return render_page_or_fragment(request, VISION_TEMPLATE, "form", context)
    form = form_class(request.POST, instance=copy.copy(vision))
    if not form.is_valid():
        context["form"] = form
        return render_page_or_fragment(
            request, VISION_TEMPLATE, "form", context, HTTPStatus.BAD_REQUEST
        )
    try:
        if vision is None:
            vision = services.create_vision(
                gebiedsteam=gebiedsteam, data=form.cleaned_data, by=request.user
            )
        else:
            services.update_vision(
                vision=vision,
                data=form.cleaned_data,
                expected_revision=form.cleaned_data["revision"],
                by=request.user,
            )
    except StaleEditError as error:
        current = error.current
        context["vision"] = current
        context["conflict"] = conflict_of(error, list(services.VISION_FIELDS))
        context["form"] = VisionEditForm(
            _with_revision(request.POST, current.revision), instance=current
        )
        context["form"].is_valid()
        return render_page_or_fragment(
            request, VISION_TEMPLATE, "form", context, HTTPStatus.CONFLICT
        )
    if request.htmx:
        vision.refresh_from_db()
        context.update(vision=vision, form=VisionEditForm(instance=vision), saved=True)
        return render_page_or_fragment(request, VISION_TEMPLATE, "form", context)
    messages.success(request, _("The vision has been saved."))
    return redirect("agendas:vision-edit", slug=gebiedsteam.slug)


@require_POST
@login_required
def vision_publish(request: HttpRequest, slug: str) -> HttpResponse:
    gebiedsteam, vision = _editable_vision(request, slug)
    edit_url = reverse("agendas:vision-edit", kwargs={"slug": gebiedsteam.slug})
    form = RevisionForm(request.POST)
    if vision is None or not form.is_valid():
        messages.error(request, _("There is no vision to publish yet."))
        return redirect(edit_url)
    try:
        services.publish_vision(
            vision=vision, expected_revision=form.cleaned_data["revision"], by=request.user
        )
    except StaleEditError as error:
        current = error.current
        context = {
            "gebiedsteam": gebiedsteam,
            "vision": current,
            "form": VisionEditForm(instance=current),
            "conflict": conflict_of(error, list(services.VISION_FIELDS)),
            "breadcrumbs": [
                (gebiedsteam.name, gebiedsteam.get_absolute_url()),
                (_("Vision"), None),
            ],
        }
        return render(request, VISION_TEMPLATE, context, status=HTTPStatus.CONFLICT)
    messages.success(request, _("The vision is published. Everyone can read it now."))
    return redirect(gebiedsteam)
