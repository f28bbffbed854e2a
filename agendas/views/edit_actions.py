"""Editing plans, actions and progress updates.

Every view loads its object through `visible_to` (404), checks the action with `has_perm`
(403), validates a form and hands the cleaned values to agendas.services.actions. A plain
POST ends in a redirect; an htmx POST gets its fragment back. Invalid input answers 400 with
the errors next to the fields; a save refused because someone else saved the object in the
meantime answers 409 with that other change and the current values, the user's input kept in
the form (`web.editing.edit_response`). Forms validate a copy of the object, so that a
refused submit leaves the page's own object (its title in the heading, the action shown
beside its form) as it is saved.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, trigger_client_event

from accounts.http import AuthenticatedHttpRequest
from agendas.forms.actions import (
    ActionForm,
    ActionStatusForm,
    PlanForm,
    ProgressUpdateForm,
)
from agendas.models import Action, Plan, ProgressUpdate, Wijkagenda
from agendas.services import actions as services
from areas.forms_location import (
    area_saved_message,
    area_wijken_names,
    location_wijk,
    wijken_geojson,
)
from web.editing import EditPage, edit_response
from web.forms import compact_fields
from web.http import posted, render_page_or_fragment, safe_next

if TYPE_CHECKING:
    from collections.abc import Iterable


# ---- Plans ------------------------------------------------------------------------------

PLAN_TEMPLATE = "agendas/edit/plan_form.html"


def _plan_context(
    request: HttpRequest, *, agenda: Wijkagenda, plan: Plan | None, form: PlanForm, **extra: Any
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "agenda": agenda,
        "plan": plan,
        "form": form,
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (plan.title if plan else _("New plan"), None),
        ],
        **extra,
    }
    if plan is not None and "action_rows" not in context:
        context["action_rows"] = status_rows(
            plan.actions.for_workspace(),
            next_url=reverse("agendas:plan-edit", kwargs={"pk": plan.pk}),
        )
    return context


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def plan_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    agenda = get_object_or_404(Wijkagenda.objects.visible_to(request.user), slug=slug)
    if not request.user.has_perm("agendas.add_plan", agenda):
        raise PermissionDenied
    form = PlanForm(posted(request), instance=Plan(wijkagenda=agenda))
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            plan = services.create_plan(
                wijkagenda=agenda, values=form.changed_values(), by=request.user
            )
            url = reverse("agendas:plan-edit", kwargs={"pk": plan.pk})
            if not request.htmx:
                messages.success(request, _("The plan has been added."))
                return redirect(url)
            context = _plan_context(request, agenda=agenda, plan=plan, form=PlanForm(instance=plan))
            return push_url(render_page_or_fragment(request, PLAN_TEMPLATE, "form", context), url)
        status = HTTPStatus.BAD_REQUEST
    context = _plan_context(request, agenda=agenda, plan=None, form=form)
    return render_page_or_fragment(request, PLAN_TEMPLATE, "form", context, status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("wijkagenda"), pk=pk
    )
    if not request.user.has_perm("agendas.change_plan", plan):
        raise PermissionDenied
    agenda = plan.wijkagenda
    form = PlanForm(posted(request), instance=copy.copy(plan))

    def context(shown: Plan, form: PlanForm, **extra: Any) -> dict[str, Any]:
        return _plan_context(request, agenda=agenda, plan=shown, form=form, **extra)

    def save() -> Plan:
        services.update_plan(
            plan=plan,
            values=form.changed_values(),
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return plan

    def saved(plan: Plan) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The plan has been saved."))
            return redirect("agendas:plan-edit", pk=plan.pk)
        fresh = context(plan, PlanForm(instance=plan), saved=True)
        return render_page_or_fragment(request, PLAN_TEMPLATE, "form", fresh)

    return edit_response(
        request,
        page=EditPage(PLAN_TEMPLATE, "form", whole_page_on_get=True),
        obj=plan,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=PlanForm.Meta.fields,
        current=lambda error: Plan.objects.select_related("wijkagenda").get(pk=pk),
        rebind=lambda current, data: PlanForm(data, instance=current),
        capitalise_labels=False,
    )


# ---- Actions ----------------------------------------------------------------------------

ACTION_TEMPLATE = "agendas/edit/action_form.html"


def _action_context(
    *, plan: Plan, action: Action | None, form: ActionForm, **extra: Any
) -> dict[str, Any]:
    agenda = plan.wijkagenda
    return {
        "agenda": agenda,
        "plan": plan,
        "action": action,
        "form": form,
        "located_wijk": location_wijk(form, action or Action(plan=plan)),
        "area_wijken": area_wijken_names(form, action or Action(plan=plan), agenda.wijken.all()),
        "picker_wijken": wijken_geojson(agenda.wijken.for_map()),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (plan.title, reverse("agendas:plan-edit", kwargs={"pk": plan.pk})),
            (action.title if action else _("New action"), None),
        ],
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("wijkagenda"), pk=pk
    )
    if not request.user.has_perm("agendas.add_action", plan):
        raise PermissionDenied
    form = ActionForm(posted(request), instance=Action(plan=plan), wijkagenda=plan.wijkagenda)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            action = services.create_action(
                plan=plan, values=form.changed_values(), by=request.user
            )
            url = reverse("agendas:action-edit", kwargs={"pk": action.pk})
            if not request.htmx:
                messages.success(request, _("The action has been added."))
                if notice := area_saved_message(form):
                    messages.info(request, notice)
                return redirect(url)
            fresh = ActionForm(instance=action, wijkagenda=plan.wijkagenda)
            context = _action_context(plan=plan, action=action, form=fresh, saved=True)
            context["located_wijk"] = form.located_wijk
            return push_url(render_page_or_fragment(request, ACTION_TEMPLATE, "form", context), url)
        status = HTTPStatus.BAD_REQUEST
    context = _action_context(plan=plan, action=None, form=form)
    return render_page_or_fragment(request, ACTION_TEMPLATE, "form", context, status)


def _load_action(request: HttpRequest, pk: int) -> Action:
    return get_object_or_404(Action.objects.visible_to(request.user).for_detail(), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def action_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _load_action(request, pk)
    if not request.user.has_perm("agendas.change_action", action):
        raise PermissionDenied
    plan, agenda = action.plan, action.plan.wijkagenda
    form = ActionForm(posted(request), instance=copy.copy(action), wijkagenda=agenda)

    def context(shown: Action, form: ActionForm, **extra: Any) -> dict[str, Any]:
        return _action_context(plan=plan, action=shown, form=form, **extra)

    def save() -> Action:
        services.update_action(
            action=action,
            values=form.changed_values(),
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return action

    def saved(action: Action) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The action has been saved."))
            if notice := area_saved_message(form):
                messages.info(request, notice)
            return redirect(action.get_absolute_url())
        fresh = context(action, ActionForm(instance=action, wijkagenda=agenda), saved=True)
        fresh["located_wijk"] = form.located_wijk
        return render_page_or_fragment(request, ACTION_TEMPLATE, "form", fresh)

    return edit_response(
        request,
        page=EditPage(ACTION_TEMPLATE, "form", whole_page_on_get=True),
        obj=action,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=ActionForm.Meta.fields,
        current=lambda error: _load_action(request, pk),
        rebind=lambda current, data: ActionForm(data, instance=current, wijkagenda=agenda),
        capitalise_labels=False,
    )


# ---- Inline status and progress of an action --------------------------------------------

STATUS_TEMPLATE = "agendas/edit/action_status.html"
# The event an htmx answer sends when an action's status or progress changed: parts of the
# page that count actions (the workspace's sections) listen for it and load again.
ACTION_SAVED_EVENT = "action-saved"


@dataclass
class StatusRow:
    """An action with its inline status form, for lists."""

    action: Action
    form: ActionStatusForm
    next_url: str | None = None

    def fields_html(self) -> SafeString:
        """The form's fields: built in Python while unbound, since a list shows dozens."""
        return compact_fields(self.form)


def status_prefix(action: Action) -> str:
    return f"action-{action.pk}"


def status_rows(actions: Iterable[Action], *, next_url: str | None) -> list[StatusRow]:
    return [
        StatusRow(action, ActionStatusForm(instance=action, prefix=status_prefix(action)), next_url)
        for action in actions
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def action_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change the status and progress of an action in place; htmx swaps only its fragment."""
    action = _load_action(request, pk)
    if not request.user.has_perm("agendas.change_action", action):
        raise PermissionDenied
    prefix = status_prefix(action)
    form = ActionStatusForm(posted(request), instance=copy.copy(action), prefix=prefix)
    next_url = safe_next(request, action.get_absolute_url())

    def context(shown: Action, form: ActionStatusForm, **extra: Any) -> dict[str, Any]:
        return {
            "row": StatusRow(shown, form, next_url),
            "breadcrumbs": [
                (action.plan.wijkagenda.title, action.plan.wijkagenda.get_absolute_url()),
                (action.title, None),
            ],
            **extra,
        }

    def save() -> Action:
        services.update_action(
            action=action,
            values=form.changed_values(),
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return action

    def saved(action: Action) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The status of the action has been saved."))
            return redirect(next_url)
        fresh = context(
            action, ActionStatusForm(instance=action, prefix=prefix), saved=True, everywhere=True
        )
        # Every row of the action on the page is replaced out of band, the one that was sent
        # among them (a list may show an action twice); the page's counts ask again.
        response = reswap(
            render_page_or_fragment(request, STATUS_TEMPLATE, "action", fresh), "none"
        )
        return trigger_client_event(response, ACTION_SAVED_EVENT, {"action": action.pk})

    return edit_response(
        request,
        page=EditPage(STATUS_TEMPLATE, "action"),
        obj=action,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=ActionStatusForm.Meta.fields,
        current=lambda error: _load_action(request, pk),
        rebind=lambda current, data: ActionStatusForm(data, instance=current, prefix=prefix),
        capitalise_labels=False,
    )


PROGRESS_TEMPLATE = "agendas/edit/progress_form.html"


def _progress_context(action: Action, form: ProgressUpdateForm, **extra: Any) -> dict[str, Any]:
    agenda = action.plan.wijkagenda
    return {
        "action": action,
        "agenda": agenda,
        "form": form,
        "updates": list(action.updates.order_by("-created_at", "-pk")[:5]),
        "breadcrumbs": [
            (_("Wijkagendas"), reverse("agendas:wijkagenda-list")),
            (agenda.title, agenda.get_absolute_url()),
            (action.title, action.get_absolute_url()),
            (_("Report progress"), None),
        ],
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def progress_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Report progress on an action: team members of the gebied and the owner's staff."""
    action = _load_action(request, pk)
    if not request.user.has_perm("agendas.add_progressupdate", action):
        raise PermissionDenied
    form = ProgressUpdateForm(
        posted(request), instance=ProgressUpdate(action=action), action=action
    )

    def save() -> Action:
        data = form.cleaned_data
        services.add_progress_update(
            action=action,
            author=request.user,
            text=data["text"],
            status=data["status"],
            progress=data["progress"],
            is_result=data["is_result"],
            expected_revision=data["revision"],
            submit_token=data["submit_token"],
        )
        return action

    def saved(action: Action) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("Thank you: the progress has been reported."))
            return redirect(action.get_absolute_url())
        fresh = ProgressUpdateForm(instance=ProgressUpdate(action=action), action=action)
        context = _progress_context(action, fresh, saved=True)
        return render_page_or_fragment(request, PROGRESS_TEMPLATE, "form", context)

    return edit_response(
        request,
        page=EditPage(PROGRESS_TEMPLATE, "form", whole_page_on_get=True),
        obj=action,
        form=form,
        context=_progress_context,
        save=save,
        saved=saved,
        # The report moves the action: a stale one shows the action's status and progress.
        conflict_fields=["status", "progress"],
        current=lambda error: _load_action(request, pk),
        rebind=lambda current, data: ProgressUpdateForm(
            data, instance=ProgressUpdate(action=current), action=current
        ),
        capitalise_labels=False,
    )
