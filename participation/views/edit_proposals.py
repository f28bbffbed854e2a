"""Drafting, opening, considering, deciding and withdrawing proposals; the municipality's
response to a wijkraad's advice.

Every view loads its object through `visible_to` (404), checks the action with `has_perm`
(403), validates a form and hands the cleaned values to participation.services.proposals. A plain
POST ends in a redirect; an htmx POST gets its fragment back. Invalid input answers 400 with
the errors next to the fields; a change the proposal's state does not allow (opening a
decided proposal, deciding a draft) answers 400 with a message saying why.
"""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from accounts.http import AuthenticatedHttpRequest
from areas.forms_location import area_saved_message, area_wijken_names, wijken_geojson
from areas.models import CORE_ROLES, Gebiedsteam, Wijk, is_admin
from participation.forms.proposals import (
    PROPOSAL_FIELDS,
    AdviceResponseForm,
    DecisionForm,
    ProposalForm,
    StartConsiderationForm,
    outcome_formset,
)
from participation.models import Advice, Proposal, TransitionRefused
from participation.services import proposals as services
from participation.views.proposal_page import proposal_breadcrumbs, status_context
from web.editing import EditPage, edit_response
from web.http import HtmxHttpRequest, posted, query_text, render_page_or_fragment

FORM_TEMPLATE = "participation/edit/proposal_form.html"
STATUS_TEMPLATE = "participation/edit/proposal_status.html"
DECIDE_TEMPLATE = "participation/edit/proposal_decide.html"
RESPONSE_TEMPLATE = "participation/edit/proposal_advice_response.html"
# A response refused as stale shows the one saved in the meantime, by whom and when.
RESPONSE_CONFLICT_FIELDS = ["response", "responded_by", "responded_at"]


def _load(request: HttpRequest, slug: str) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user)
        .select_related("gebiedsteam")
        .defer("gebiedsteam__outline"),
        slug=slug,
    )


# ---- Drafting ---------------------------------------------------------------------------


def _form_context(
    *, gebiedsteam: Gebiedsteam, proposal: Proposal | None, form: ProposalForm, **extra: Any
) -> dict[str, Any]:
    if proposal is not None:
        form_url = reverse("participation:proposal-edit", kwargs={"slug": proposal.slug})
    else:
        form_url = (
            f"{reverse('participation:proposal-create')}?{urlencode({'gebied': gebiedsteam.slug})}"
        )
    return {
        "gebiedsteam": gebiedsteam,
        "proposal": proposal,
        "form": form,
        "form_url": form_url,
        "located_wijk": form.located_wijk,
        "area_wijken": area_wijken_names(
            form,
            proposal or Proposal(gebiedsteam=gebiedsteam),
            proposal.wijken.all() if proposal is not None else Wijk.objects.none(),
        ),
        "picker_wijken": wijken_geojson(Wijk.objects.for_gebiedsteam(gebiedsteam).for_map()),
        "breadcrumbs": proposal_breadcrumbs(proposal, _("Edit") if proposal else _("New proposal")),
        **extra,
    }


def _saved(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The form's answer to a saved draft offers the next step: opening it for comments, or,
    for who may not, asking the wijkregisseur to."""
    return {
        "saved": True,
        "can_open": request.user.has_perm("participation.open_proposal", proposal),
    }


def _teams_of(request: HttpRequest) -> list[Gebiedsteam]:
    teams = Gebiedsteam.objects.visible_to(request.user).defer("outline").order_by("name")
    if not is_admin(request.user):
        teams = teams.of_user(request.user, roles=CORE_ROLES)
    return list(teams)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def proposal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new draft for wijken of one gebied; the gebied is asked first when the user works in
    several (`?gebied=<slug>`, kept in the form's address)."""
    teams = _teams_of(request)
    if not teams:
        raise PermissionDenied
    # A gebied with a NUL is ignored, as if not given (query_text): the choice is asked.
    slug = query_text(request, "gebied")
    if not slug and len(teams) > 1:
        context = {"teams": teams, "breadcrumbs": proposal_breadcrumbs(None, _("New proposal"))}
        return render(request, FORM_TEMPLATE, context)
    team = (
        get_object_or_404(Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug)
        if slug
        else teams[0]
    )
    if not request.user.has_perm("participation.add_proposal", team):
        raise PermissionDenied
    form = ProposalForm(posted(request), instance=Proposal(gebiedsteam=team), gebiedsteam=team)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            proposal = services.create_proposal(
                gebiedsteam=team,
                values=form.proposal_values(),
                wijken=form.cleaned_data["wijken"],
                agenda_items=form.cleaned_data["agenda_items"],
                advice_from=form.cleaned_data["advice_from"],
                advice_deadline=form.cleaned_data["advice_deadline"],
                by=request.user,
            )
            url = reverse("participation:proposal-edit", kwargs={"slug": proposal.slug})
            if not request.htmx:
                messages.success(request, _("The proposal has been saved as a draft."))
                if notice := area_saved_message(form):
                    messages.info(request, notice)
                return redirect(url)
            fresh = ProposalForm(instance=proposal, gebiedsteam=team)
            context = _form_context(
                gebiedsteam=team, proposal=proposal, form=fresh, **_saved(request, proposal)
            )
            return push_url(render_page_or_fragment(request, FORM_TEMPLATE, "form", context), url)
        status = HTTPStatus.BAD_REQUEST
    context = _form_context(gebiedsteam=team, proposal=None, form=form)
    return render_page_or_fragment(request, FORM_TEMPLATE, "form", context, status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def proposal_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Change a draft. Once opened, the text the wijkraden react to stays as it was."""
    proposal = _load(request, slug)
    if not request.user.has_perm("participation.change_proposal", proposal):
        raise PermissionDenied
    team = proposal.gebiedsteam
    if proposal.status != Proposal.Status.DRAFT:
        panel = status_context(request, proposal, error=_("Only a draft proposal can be changed."))
        return render_page_or_fragment(
            request, STATUS_TEMPLATE, "status", panel, HTTPStatus.BAD_REQUEST
        )
    form = ProposalForm(posted(request), instance=copy.copy(proposal), gebiedsteam=team)

    def context(shown: Proposal, form: ProposalForm, **extra: Any) -> dict[str, Any]:
        if request.method in ("GET", "HEAD"):
            extra["status_panel"] = status_context(request, shown)
        return _form_context(gebiedsteam=team, proposal=shown, form=form, **extra)

    def save() -> Proposal:
        services.update_proposal(
            proposal=form.instance,
            values=form.proposal_values(),
            wijken=form.cleaned_data["wijken"],
            agenda_items=form.cleaned_data["agenda_items"],
            advice_from=form.cleaned_data["advice_from"],
            advice_deadline=form.cleaned_data["advice_deadline"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return form.instance

    def saved(proposal: Proposal) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The proposal has been saved."))
            if notice := area_saved_message(form):
                messages.info(request, notice)
            return redirect("participation:proposal-edit", slug=proposal.slug)
        fresh = ProposalForm(instance=proposal, gebiedsteam=team)
        return render_page_or_fragment(
            request, FORM_TEMPLATE, "form", context(proposal, fresh, **_saved(request, proposal))
        )

    try:
        return edit_response(
            request,
            page=EditPage(FORM_TEMPLATE, "form", whole_page_on_get=True),
            obj=proposal,
            form=form,
            context=context,
            save=save,
            saved=saved,
            conflict_fields=PROPOSAL_FIELDS,
            current=lambda error: _load(request, slug),
            rebind=lambda current, data: ProposalForm(data, instance=current, gebiedsteam=team),
        )
    except TransitionRefused as refused:
        panel = status_context(request, _load(request, slug), error=str(refused.message))
        return render_page_or_fragment(
            request, STATUS_TEMPLATE, "status", panel, HTTPStatus.BAD_REQUEST
        )


# ---- Changes of state -------------------------------------------------------------------


def _transition(
    request: HtmxHttpRequest, slug: str, permission: str, change: Any, done: str
) -> HttpResponse:
    """Load, check `permission`, change the state with `change(proposal)`; answer as the
    style says."""
    proposal = _load(request, slug)
    if not request.user.has_perm(permission, proposal):
        raise PermissionDenied
    try:
        change(proposal)
    except TransitionRefused as refused:
        context = status_context(request, _load(request, slug), error=str(refused.message))
        return render_page_or_fragment(
            request, STATUS_TEMPLATE, "status", context, HTTPStatus.BAD_REQUEST
        )
    if not request.htmx:
        messages.success(request, done)
        return redirect(proposal.get_absolute_url())
    return render_page_or_fragment(
        request, STATUS_TEMPLATE, "status", status_context(request, proposal, done=done)
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def proposal_open(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _transition(
        request,
        slug,
        "participation.open_proposal",
        lambda proposal: services.open_proposal(proposal=proposal, by=request.user),
        _("The proposal is open for comments. The wijkraden have been told."),
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def proposal_consider(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    form = StartConsiderationForm(request.POST)
    early = form.is_valid() and form.cleaned_data["early"]
    return _transition(
        request,
        slug,
        "participation.decide_proposal",
        lambda proposal: services.start_consideration(
            proposal=proposal, by=request.user, early=early
        ),
        _("The proposal is now under consideration."),
    )


@require_POST
@login_required
@vary_on_headers("HX-Request")
def proposal_withdraw(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _transition(
        request,
        slug,
        "participation.decide_proposal",
        lambda proposal: services.withdraw_proposal(proposal=proposal, by=request.user),
        _("The proposal has been withdrawn."),
    )


# ---- The decision -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def proposal_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The decision with, for every comment and every advice, what was done with it."""
    proposal = _load(request, slug)
    if not request.user.has_perm("participation.decide_proposal", proposal):
        raise PermissionDenied
    may_decide = proposal.status == Proposal.Status.CONSIDERATION or (
        proposal.status == Proposal.Status.OPEN and proposal.period_has_closed
    )
    if not may_decide:
        error = _("A proposal can be decided once its comment period is over.")
        return render_page_or_fragment(
            request,
            STATUS_TEMPLATE,
            "status",
            status_context(request, proposal, error=error),
            HTTPStatus.BAD_REQUEST,
        )
    inputs = services.inputs_of(proposal)
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data, instance=copy.copy(proposal))
    formset = outcome_formset(data, inputs=inputs)
    context: dict[str, Any] = {
        "proposal": proposal,
        "form": form,
        "formset": formset,
        "breadcrumbs": proposal_breadcrumbs(proposal, _("Decide")),
    }
    if request.method in ("GET", "HEAD"):
        return render(request, DECIDE_TEMPLATE, context)
    # Both are validated, so that every error shows at once.
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if not (form_ok and formset_ok):
        return render_page_or_fragment(
            request, DECIDE_TEMPLATE, "form", context, HTTPStatus.BAD_REQUEST
        )
    try:
        services.decide_proposal(
            proposal=proposal,
            by=request.user,
            decision=form.cleaned_data["decision"],
            input_feedback=form.cleaned_data["input_feedback"],
            outcomes=[
                (each.input, each.cleaned_data["outcome"], each.cleaned_data["reason"])
                for each in formset.forms
            ],
            actions=form.cleaned_data["actions"],
        )
    except TransitionRefused as refused:
        context = status_context(request, _load(request, slug), error=str(refused.message))
        return render_page_or_fragment(
            request, STATUS_TEMPLATE, "status", context, HTTPStatus.BAD_REQUEST
        )
    if not request.htmx:
        messages.success(request, _("The decision has been published."))
        return redirect(proposal.get_absolute_url())
    context["decided"] = True
    return render_page_or_fragment(request, DECIDE_TEMPLATE, "form", context)


# ---- The response to advice -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def advice_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The municipality's written response to a wijkraad's submitted advice."""
    advice = get_object_or_404(
        Advice.objects.on_proposals(Proposal.objects.visible_to(request.user))
        .select_related("proposal", "wijkraad", "proposal__gebiedsteam")
        .defer("proposal__gebiedsteam__outline"),
        pk=pk,
    )
    if not request.user.has_perm("participation.respond_to_advice", advice):
        raise PermissionDenied
    proposal = advice.proposal
    form = AdviceResponseForm(posted(request), instance=copy.copy(advice))
    context: dict[str, Any] = {
        "advice": advice,
        "proposal": proposal,
        "form": form,
        "breadcrumbs": proposal_breadcrumbs(proposal, _("Response to advice")),
    }
    if advice.submitted_at is None:
        context["error"] = _("This advice has not been submitted yet.")
        return render_page_or_fragment(
            request, RESPONSE_TEMPLATE, "form", context, HTTPStatus.BAD_REQUEST
        )

    def page_context(shown: Advice, form: AdviceResponseForm, **extra: Any) -> dict[str, Any]:
        return {**context, "advice": shown, "form": form, **extra}

    def save() -> Advice:
        return services.respond_to_advice(
            advice=form.instance,
            by=request.user,
            response=form.cleaned_data["response"],
            expected_revision=form.cleaned_data["revision"],
        )

    def saved(advice: Advice) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The response has been saved. The wijkraad has been told."))
            return redirect(proposal.get_absolute_url())
        fresh = page_context(advice, AdviceResponseForm(instance=advice), saved=True)
        return render_page_or_fragment(request, RESPONSE_TEMPLATE, "form", fresh)

    try:
        return edit_response(
            request,
            page=EditPage(RESPONSE_TEMPLATE, "form", whole_page_on_get=True),
            obj=advice,
            form=form,
            context=page_context,
            save=save,
            saved=saved,
            conflict_fields=RESPONSE_CONFLICT_FIELDS,
            rebind=lambda current, data: AdviceResponseForm(data, instance=current),
        )
    except TransitionRefused as refused:
        context["error"] = str(refused.message)
        return render_page_or_fragment(
            request, RESPONSE_TEMPLATE, "form", context, HTTPStatus.BAD_REQUEST
        )
