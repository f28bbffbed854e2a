"""Editing wijkagendas, their items by theme, publishing them, and the vision of a gebied.

Every view loads its object through `visible_to` (404) and checks the action with
`has_perm` (403), validates a form and hands the cleaned values to
agendas.services.agendas, which saves through agendas.history. A plain POST ends in a
redirect; an htmx POST gets the changed fragment back. Invalid input answers 400 with the
errors next to the fields; a save refused because someone else saved in the meantime answers
409 with that other change and the current values, the user's input kept in the form with
the current revision, so saving again is a choice made knowingly. That flow is
`web.editing.edit_response`; each view gives it its own context, save and answers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from accounts.http import AuthenticatedHttpRequest
from agendas.changelog import diff_snapshots
from agendas.forms.agendas import (
    AgendaItemEditForm,
    AgendaItemForm,
    MoveItemForm,
    PublishForm,
    VisionEditForm,
    VisionForm,
    WijkagendaCreateForm,
    WijkagendaForm,
)
from agendas.models import AgendaItem, Theme, Vision, Wijkagenda
from agendas.services import agendas as services
from areas.models import CORE_ROLES, Gebiedsteam, is_admin
from web.editing import Conflict, EditPage, StaleEditError, edit_response
from web.forms import RevisionForm
from web.http import posted, render_page_or_fragment

FormT = TypeVar("FormT", bound=forms.BaseForm)

AGENDA_TEMPLATE = "agendas/edit/wijkagenda_form.html"
PUBLISH_TEMPLATE = "agendas/edit/wijkagenda_publish.html"
ITEMS_TEMPLATE = "agendas/edit/items.html"
ITEM_TEMPLATE = "agendas/edit/item_form.html"
ITEM_DELETE_TEMPLATE = "agendas/edit/item_delete.html"
VISION_TEMPLATE = "agendas/edit/vision_form.html"


# ---- Loading with permission checks ---------------------------------------------------------


def _editable_agenda(
    request: HttpRequest, slug: str, *, permission: str = "agendas.change_wijkagenda"
) -> Wijkagenda:
    """The agenda if the user may see it (else 404) and has `permission` on it (else 403)."""
    agenda = get_object_or_404(
        Wijkagenda.objects.visible_to(request.user).select_related("gebiedsteam"), slug=slug
    )
    if not request.user.has_perm(permission, agenda):
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


def _validated(form: FormT) -> FormT:
    """The form after validation: re-bound after a refused save, it shows the person's input
    with any errors it has against the current object."""
    form.is_valid()
    return form


def _agenda_breadcrumbs(agenda: Wijkagenda, label: str) -> list[tuple[str, str | None]]:
    return [
        (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
        (agenda.title, agenda.get_absolute_url()),
        (label, None),
    ]


# ---- Wijkagenda -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not is_admin(user) and not Gebiedsteam.objects.of_user(user, roles=CORE_ROLES).exists():
        raise PermissionDenied
    form = WijkagendaCreateForm(posted(request), user=user)
    status = HTTPStatus.OK
    if form.is_bound:
        if form.is_valid():
            gebiedsteam = form.gebiedsteam
            if gebiedsteam is None or not user.has_perm("agendas.add_wijkagenda", gebiedsteam):
                raise PermissionDenied
            agenda = services.create_wijkagenda(
                gebiedsteam=gebiedsteam,
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    agenda = _editable_agenda(request, slug)
    # Read before the form is bound: the page keeps the title the agenda had when it loaded.
    page_context: dict[str, Any] = {
        "agenda": agenda,
        "action_url": reverse("agendas:wijkagenda-edit", kwargs={"slug": agenda.slug}),
        "breadcrumbs": _agenda_breadcrumbs(agenda, _("Edit")),
    }
    form = WijkagendaForm(posted(request), instance=agenda)

    def context(shown: Wijkagenda, form: WijkagendaForm, **extra: Any) -> dict[str, Any]:
        return {**page_context, "form": form, **extra}

    def save() -> Wijkagenda:
        services.update_wijkagenda(
            agenda=agenda,
            data=form.cleaned_data,
            wijken=form.cleaned_data["wijken"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return agenda

    def saved(agenda: Wijkagenda) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("Your changes have been saved."))
            return redirect(agenda)
        agenda.refresh_from_db()
        fresh = context(agenda, WijkagendaForm(instance=agenda), saved=True)
        return render_page_or_fragment(request, AGENDA_TEMPLATE, "form", fresh)

    return edit_response(
        request,
        page=EditPage(AGENDA_TEMPLATE, "form"),
        obj=agenda,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=[*services.AGENDA_FIELDS, "wijken"],
        rebind=lambda current, data: _validated(WijkagendaForm(data, instance=current)),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def wijkagenda_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    agenda = _editable_agenda(request, slug, permission="agendas.publish_wijkagenda")
    form = PublishForm(posted(request))
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
        items = items.for_theme(theme)
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The items of an agenda by theme, each editable, with a form to add one (POST)."""
    agenda = _editable_agenda(request, slug)
    form = AgendaItemForm(posted(request))
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    # Read before the form is bound: the page keeps the title the item had when it loaded,
    # and an item moved to another theme moves on the page too.
    theme_before = item.theme_id
    page_context = _items_context(agenda, item=item)
    page_context["breadcrumbs"] = _agenda_breadcrumbs(agenda, item.title)
    form = AgendaItemEditForm(posted(request), instance=item)

    def context(shown: AgendaItem, form: AgendaItemEditForm, **extra: Any) -> dict[str, Any]:
        return {**page_context, "form": form, **extra}

    def save() -> AgendaItem:
        services.update_item(
            item=item,
            data=form.cleaned_data,
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return item

    def saved(item: AgendaItem) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("Your changes have been saved."))
            return redirect(
                reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug})
                + f"#item-{item.pk}"
            )
        item = AgendaItem.objects.select_related("theme", "lead_organisation").get(pk=item.pk)
        item.wijkagenda = agenda
        if item.theme_id != theme_before:
            # Under its new theme: the whole list, in place of the item's old spot.
            groups = _items_context(
                agenda, groups=_groups(agenda), form=AgendaItemForm(), saved_item=item.pk
            )
            response = render(request, f"{ITEMS_TEMPLATE}#items", groups)
            return reswap(retarget(response, "#agenda-items"), "outerHTML")
        fresh = _items_context(agenda, item=item, saved_item=item.pk)
        return render(request, f"{ITEMS_TEMPLATE}#item", fresh)

    def current(error: StaleEditError) -> AgendaItem:
        error.current.wijkagenda = agenda
        return error.current

    return edit_response(
        request,
        page=EditPage(ITEM_TEMPLATE, "item-form"),
        obj=item,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=services.ITEM_FIELDS,
        current=current,
        rebind=lambda current, data: _validated(AgendaItemEditForm(data, instance=current)),
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def item_move(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    form = MoveItemForm(request.POST)
    items_url = reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug})
    item_url = f"{items_url}#item-{item.pk}"

    def invalid() -> HttpResponse:
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.BAD_REQUEST, move_errors=form.errors
            )
        messages.error(request, _("The item could not be moved. Please try again."))
        return redirect(item_url)

    def save() -> AgendaItem:
        services.move_item(
            item=item,
            direction=form.cleaned_data["direction"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return item

    def saved(item: AgendaItem) -> HttpResponse:
        if request.htmx:
            return _theme_fragment(request, agenda, item.theme)
        return redirect(item_url)

    def refused(error: StaleEditError, conflict: Conflict) -> HttpResponse:
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.CONFLICT, conflict=conflict
            )
        context = _items_context(
            agenda, groups=_groups(agenda), form=AgendaItemForm(), conflict=conflict
        )
        return render(request, ITEMS_TEMPLATE, context, status=HTTPStatus.CONFLICT)

    return edit_response(
        request,
        form=form,
        save=save,
        saved=saved,
        conflict_fields=services.ITEM_FIELDS,
        invalid=invalid,
        refused=refused,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def item_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask (GET) and remove (POST) an item; the removal is kept in the history."""
    item = _editable_item(request, slug, pk)
    agenda = item.wijkagenda
    page = EditPage(ITEM_DELETE_TEMPLATE)
    if request.method == "POST":
        form = RevisionForm(request.POST)
    else:
        form = RevisionForm(initial={"revision": item.revision})

    def context(shown: AgendaItem, form: RevisionForm, **extra: Any) -> dict[str, Any]:
        context = _items_context(agenda, item=item, form=form, **extra)
        context["breadcrumbs"] = _agenda_breadcrumbs(agenda, _("Remove"))
        return context

    def save() -> AgendaItem:
        services.remove_item(
            item=item, expected_revision=form.cleaned_data["revision"], by=request.user
        )
        return item

    def saved(item: AgendaItem) -> HttpResponse:
        if request.htmx:
            return _theme_fragment(request, agenda, item.theme)
        messages.success(request, _("The item has been removed."))
        return redirect(reverse("agendas:wijkagenda-items", kwargs={"slug": agenda.slug}))

    def refused(error: StaleEditError, conflict: Conflict) -> HttpResponse:
        if request.htmx:
            return _theme_fragment(
                request, agenda, item.theme, HTTPStatus.CONFLICT, conflict=conflict
            )
        # Asked again, now for the current revision.
        form = RevisionForm(initial={"revision": error.current.revision})
        return page.render(request, context(item, form, conflict=conflict), HTTPStatus.CONFLICT)

    return edit_response(
        request,
        page=page,
        obj=item,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=services.ITEM_FIELDS,
        refused=refused,
    )


# ---- Vision ---------------------------------------------------------------------------------


def _vision_of(request: HttpRequest, gebiedsteam: Gebiedsteam) -> Vision | None:
    """The vision the team works on: the newest one that is not archived."""
    return (
        Vision.objects.visible_to(request.user)
        .for_gebiedsteam(gebiedsteam)
        .not_archived()
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


def _vision_context(
    gebiedsteam: Gebiedsteam, vision: Vision | None, form: VisionForm, **extra: Any
) -> dict[str, Any]:
    return {
        "gebiedsteam": gebiedsteam,
        "vision": vision,
        "form": form,
        "breadcrumbs": [(gebiedsteam.name, gebiedsteam.get_absolute_url()), (_("Vision"), None)],
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def vision_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam, vision = _editable_vision(request, slug)
    form_class: type[VisionForm] = VisionForm if vision is None else VisionEditForm
    # A form for a new vision gets no object to change.
    form = form_class(posted(request), instance=copy.copy(vision))

    def context(shown: Vision | None, form: VisionForm, **extra: Any) -> dict[str, Any]:
        return _vision_context(gebiedsteam, shown, form, **extra)

    def save() -> Vision:
        if vision is None:
            return services.create_vision(
                gebiedsteam=gebiedsteam, data=form.cleaned_data, by=request.user
            )
        services.update_vision(
            vision=vision,
            data=form.cleaned_data,
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return vision

    def saved(vision: Vision) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The vision has been saved."))
            return redirect("agendas:vision-edit", slug=gebiedsteam.slug)
        vision.refresh_from_db()
        fresh = context(vision, VisionEditForm(instance=vision), saved=True)
        return render_page_or_fragment(request, VISION_TEMPLATE, "form", fresh)

    return edit_response(
        request,
        page=EditPage(VISION_TEMPLATE, "form"),
        obj=vision,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=services.VISION_FIELDS,
        rebind=lambda current, data: _validated(VisionEditForm(data, instance=current)),
    )


@require_POST
@login_required
def vision_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam, vision = _editable_vision(request, slug)
    if vision is not None and not request.user.has_perm("agendas.publish_vision", vision):
        raise PermissionDenied
    form = RevisionForm(request.POST)

    def nothing_to_publish() -> HttpResponse:
        messages.error(request, _("There is no vision to publish yet."))
        return redirect("agendas:vision-edit", slug=gebiedsteam.slug)

    if vision is None:
        return nothing_to_publish()

    def save() -> Vision:
        services.publish_vision(
            vision=vision, expected_revision=form.cleaned_data["revision"], by=request.user
        )
        return vision

    def saved(vision: Vision) -> HttpResponse:
        messages.success(request, _("The vision is published. Everyone can read it now."))
        return redirect(gebiedsteam)

    def refused(error: StaleEditError, conflict: Conflict) -> HttpResponse:
        current = error.current
        context = _vision_context(
            gebiedsteam, current, VisionEditForm(instance=current), conflict=conflict
        )
        return render(request, VISION_TEMPLATE, context, status=HTTPStatus.CONFLICT)

    return edit_response(
        request,
        form=form,
        save=save,
        saved=saved,
        conflict_fields=services.VISION_FIELDS,
        invalid=nothing_to_publish,
        refused=refused,
    )
