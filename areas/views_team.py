"""Team management: the team page, inviting people to a gebiedsteam or wijkraad, werkplekken.

The team page shows members' e-mail addresses and pending invitations, so unlike the public
gebied page it is for the members of that team (and admins) only: anyone else gets 404.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Invitation
from accounts.services import pending_invitations
from areas import services
from areas.forms_team import InviteToGebiedsteamForm, InviteToWijkraadForm, WerkplekForm
from areas.models import CouncilMembership, Gebiedsteam, TeamMembership, Werkplek, Wijkraad
from web.editing import EditPage, edit_response
from web.http import HtmxHttpRequest, posted

MEMBERS_PAGE_SIZE = 50


# The team page and team invitations


@login_required
@require_safe
def team_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam = _team_for_members(request, slug)
    form = (
        InviteToGebiedsteamForm(gebiedsteam=gebiedsteam)
        if request.user.has_perm("areas.invite_to_gebiedsteam", gebiedsteam)
        else None
    )
    return render(request, "areas/team/team_detail.html", _team_context(request, gebiedsteam, form))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def team_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam = _team_for_members(request, slug)
    if not request.user.has_perm("areas.invite_to_gebiedsteam", gebiedsteam):
        raise PermissionDenied
    form = InviteToGebiedsteamForm(request.POST, gebiedsteam=gebiedsteam)
    if form.is_valid():
        invitation = services.invite_to_gebiedsteam(
            gebiedsteam=gebiedsteam,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        message = _("We have sent an invitation to %(email)s.") % {"email": invitation.email}
        if not request.htmx:
            messages.success(request, message)
            return redirect("areas:team-detail", slug=gebiedsteam.slug)
        form = InviteToGebiedsteamForm(gebiedsteam=gebiedsteam)
        context = _team_context(request, gebiedsteam, form, sent_message=message)
        return render(request, "areas/team/team_detail.html#invitations", context)
    context = _team_context(request, gebiedsteam, form)
    if request.htmx:
        # 200, so that htmx swaps the fragment with the errors in.
        return render(request, "areas/team/team_detail.html#invitations", context)
    return render(request, "areas/team/team_detail.html", context, status=HTTPStatus.BAD_REQUEST)


def _team_for_members(request: HttpRequest, slug: str) -> Gebiedsteam:
    """The gebiedsteam, if the user may see its team page; else 404 (the page is not public)."""
    gebiedsteam = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    if not request.user.has_perm("areas.view_teammembership", gebiedsteam):
        raise Http404
    return gebiedsteam


def _team_context(
    request: HttpRequest,
    gebiedsteam: Gebiedsteam,
    form: InviteToGebiedsteamForm | None,
    *,
    sent_message: str = "",
) -> dict[str, Any]:
    memberships = TeamMembership.objects.for_gebiedsteam(gebiedsteam).for_list()
    page_obj = Paginator(memberships, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = pending_invitations(kind=services.TEAM_INVITATION, gebiedsteam=gebiedsteam.pk)
    return {
        "gebiedsteam": gebiedsteam,
        "page_obj": page_obj,
        "memberships": page_obj.object_list,
        "invitations": _pending(invitations, TeamMembership.Role),
        "werkplekken": gebiedsteam.werkplekken.select_related("wijk").only(
            "pk", "name", "address", "opening_hours", "gebiedsteam_id", "wijk__name"
        ),
        "form": form,
        "sent_message": sent_message,
        "can_edit_werkplekken": request.user.has_perm("areas.add_werkplek", gebiedsteam),
        "breadcrumbs": [
            (gebiedsteam.name, gebiedsteam.get_absolute_url()),
            (_("Team"), None),
        ],
    }


def _pending(invitations: Iterable[Invitation], roles: type[TextChoices]) -> list[dict[str, Any]]:
    """Pending invitations with the label of the invited role."""
    return [
        {
            "email": invitation.email,
            "role": roles(invitation.purpose["role"]).label
            if invitation.purpose.get("role") in roles.values
            else "",
            "expires_at": invitation.expires_at,
        }
        for invitation in invitations
    ]


# Wijkraad invitations


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def wijkraad_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # Wijkraden are public (their names and wijken show on every wijk page); there is no
    # private wijkraad to hide, so all of them are visible.
    wijkraad = get_object_or_404(Wijkraad.objects.all(), slug=slug)
    if not request.user.has_perm("areas.invite_to_wijkraad", wijkraad):
        raise PermissionDenied
    if request.method in ("GET", "HEAD"):
        form = InviteToWijkraadForm(wijkraad=wijkraad)
        return render(request, "areas/team/wijkraad_invite.html", _wijkraad_context(wijkraad, form))

    form = InviteToWijkraadForm(request.POST, wijkraad=wijkraad)
    if form.is_valid():
        invitation = services.invite_to_wijkraad(
            wijkraad=wijkraad,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        message = _("We have sent an invitation to %(email)s.") % {"email": invitation.email}
        if not request.htmx:
            messages.success(request, message)
            return redirect("areas:wijkraad-invite", slug=wijkraad.slug)
        form = InviteToWijkraadForm(wijkraad=wijkraad)
        context = _wijkraad_context(wijkraad, form, sent_message=message)
        return render(request, "areas/team/wijkraad_invite.html#invitations", context)
    context = _wijkraad_context(wijkraad, form)
    if request.htmx:
        return render(request, "areas/team/wijkraad_invite.html#invitations", context)
    return render(
        request, "areas/team/wijkraad_invite.html", context, status=HTTPStatus.BAD_REQUEST
    )


def _wijkraad_context(
    wijkraad: Wijkraad, form: InviteToWijkraadForm, *, sent_message: str = ""
) -> dict[str, Any]:
    memberships = CouncilMembership.objects.for_wijkraad(wijkraad).for_list()
    invitations = pending_invitations(kind=services.COUNCIL_INVITATION, wijkraad=wijkraad.pk)
    return {
        "wijkraad": wijkraad,
        "memberships": memberships,
        "invitations": _pending(invitations, CouncilMembership.Role),
        "form": form,
        "sent_message": sent_message,
        "breadcrumbs": [(wijkraad.name, None), (_("Invite"), None)],
    }


# Werkplekken


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def werkplek_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    gebiedsteam = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    if not request.user.has_perm("areas.add_werkplek", gebiedsteam):
        raise PermissionDenied
    form = WerkplekForm(posted(request), gebiedsteam=gebiedsteam)
    if request.method == "POST" and form.is_valid():
        werkplek = services.create_werkplek(gebiedsteam=gebiedsteam, data=form.cleaned_data)
        message = _("The werkplek %(name)s has been added.")
        return _werkplek_saved(request, gebiedsteam, werkplek, message)
    return _werkplek_form(request, gebiedsteam, form, werkplek=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def werkplek_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a werkplek. A save from a form opened before someone else's save is refused
    (409) with the werkplek as it is now, the input kept (`web.editing.edit_response`)."""
    gebiedsteam = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    # Werkplekken are public, like their team; one of another gebied is not found here.
    werkplek = get_object_or_404(Werkplek.objects.for_gebiedsteam(gebiedsteam), pk=pk)
    if not request.user.has_perm("areas.change_werkplek", werkplek):
        raise PermissionDenied
    # The form validates a copy: a refused save leaves the werkplek of the title as saved.
    form = WerkplekForm(posted(request), instance=copy.copy(werkplek), gebiedsteam=gebiedsteam)

    def save() -> Werkplek:
        return services.update_werkplek(
            werkplek=form.instance,
            data=form.cleaned_data,
            expected_revision=form.cleaned_data["revision"],
        )

    def saved(werkplek: Werkplek) -> HttpResponse:
        message = _("The werkplek %(name)s has been saved.")
        return _werkplek_saved(request, gebiedsteam, werkplek, message)

    return edit_response(
        request,
        page=EditPage(WERKPLEK_TEMPLATE, "form"),
        obj=werkplek,
        form=form,
        context=lambda shown, form, **extra: _werkplek_context(
            gebiedsteam, form, werkplek=shown, **extra
        ),
        save=save,
        saved=saved,
        conflict_fields=WerkplekForm.Meta.fields,
        rebind=lambda current, data: WerkplekForm(data, instance=current, gebiedsteam=gebiedsteam),
    )


def _werkplek_saved(
    request: HtmxHttpRequest, gebiedsteam: Gebiedsteam, werkplek: Werkplek, message: str
) -> HttpResponse:
    messages.success(request, message % {"name": werkplek.name})
    url = reverse("areas:team-detail", kwargs={"slug": gebiedsteam.slug})
    url = f"{url}#werkplekken"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


WERKPLEK_TEMPLATE = "areas/werkplek_form.html"


def _werkplek_form(
    request: HtmxHttpRequest,
    gebiedsteam: Gebiedsteam,
    form: WerkplekForm,
    *,
    werkplek: Werkplek | None,
) -> HttpResponse:
    context = _werkplek_context(gebiedsteam, form, werkplek=werkplek)
    if request.htmx:
        return render(request, f"{WERKPLEK_TEMPLATE}#form", context)
    return render(
        request,
        WERKPLEK_TEMPLATE,
        context,
        status=HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK,
    )


def _werkplek_context(
    gebiedsteam: Gebiedsteam, form: WerkplekForm, *, werkplek: Werkplek | None, **extra: Any
) -> dict[str, Any]:
    team_url = reverse("areas:team-detail", kwargs={"slug": gebiedsteam.slug})
    title = (
        _("Edit werkplek %(name)s") % {"name": werkplek.name}
        if werkplek is not None
        else _("Add a werkplek")
    )
    action = (
        reverse("areas:werkplek-edit", kwargs={"slug": gebiedsteam.slug, "pk": werkplek.pk})
        if werkplek is not None
        else reverse("areas:werkplek-create", kwargs={"slug": gebiedsteam.slug})
    )
    return {
        "gebiedsteam": gebiedsteam,
        "werkplek": werkplek,
        "form": form,
        "title": title,
        "action": action,
        "team_url": team_url,
        "breadcrumbs": [
            (gebiedsteam.name, gebiedsteam.get_absolute_url()),
            (_("Team"), team_url),
            (title, None),
        ],
        **extra,
    }
