"""An organisation's staff page: who is on the staff, inviting someone, revoking a place.

The page shows e-mail addresses and is for those who manage the staff
(`pacts.manage_organisation_staff`: the organisation's staff administrators and the
functional administrator). The organisation itself is public, so anyone else signed in
gets 403, not 404.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthenticatedHttpRequest
from areas.models import is_admin
from pacts import services
from pacts.forms import InviteToOrganisationForm
from pacts.models import OrganisationMembership, PartnerOrganisation


@login_required
@require_safe
def organisation_staff(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_to_manage(request, slug)
    form = InviteToOrganisationForm(organisation=organisation)
    return render(
        request, "pacts/organisation_staff.html", _staff_context(request, organisation, form)
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def organisation_staff_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_to_manage(request, slug)
    form = InviteToOrganisationForm(request.POST, organisation=organisation)
    if form.is_valid():
        invitation = services.invite_to_organisation(
            organisation=organisation,
            email=form.cleaned_data["email"],
            job_title=form.cleaned_data["job_title"],
            administrator=form.cleaned_data["administrator"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        message = _("We have sent an invitation to %(email)s.") % {"email": invitation.email}
        if not request.htmx:
            messages.success(request, message)
            return redirect("pacts:organisation-staff", slug=organisation.slug)
        form = InviteToOrganisationForm(organisation=organisation)
        context = _staff_context(request, organisation, form, sent_message=message)
        return render(request, "pacts/organisation_staff.html#invitations", context)
    context = _staff_context(request, organisation, form)
    if request.htmx:
        # 200, so that htmx swaps the fragment with the errors in.
        return render(request, "pacts/organisation_staff.html#invitations", context)
    return render(request, "pacts/organisation_staff.html", context, status=HTTPStatus.BAD_REQUEST)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_staff_revoke(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> HttpResponse:
    organisation = _organisation_to_manage(request, slug)
    # A membership of another organisation is not found through this one's page.
    membership = get_object_or_404(
        OrganisationMembership.objects.visible_to(request.user)
        .for_organisation(organisation)
        .select_related("user"),
        pk=pk,
    )
    name = membership.user.full_name or membership.user.email
    refusal = _(
        "%(name)s is the last staff administrator of %(organisation)s. Make someone else "
        "staff administrator first, or ask the functional administrator."
    ) % {"name": name, "organisation": organisation.name}
    if request.method == "POST":
        try:
            services.revoke_organisation_staff(membership=membership, by=request.user)
        except services.LastStaffAdministrator:
            context = _revoke_context(organisation, membership, name, refusal)
            return render(
                request,
                "pacts/organisation_staff_revoke.html",
                context,
                status=HTTPStatus.BAD_REQUEST,
            )
        messages.success(
            request,
            _("%(name)s is no longer staff of %(organisation)s.")
            % {"name": name, "organisation": organisation.name},
        )
        # Who revoked their own place no longer manages the staff: back to the public page.
        own = membership.user_id == request.user.pk and not is_admin(request.user)
        url = (
            organisation.get_absolute_url()
            if own
            else reverse("pacts:organisation-staff", kwargs={"slug": organisation.slug})
        )
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    refused = services.revoke_refused(membership=membership, by=request.user)
    context = _revoke_context(organisation, membership, name, refusal if refused else "")
    return render(request, "pacts/organisation_staff_revoke.html", context)


def _organisation_to_manage(request: AuthenticatedHttpRequest, slug: str) -> PartnerOrganisation:
    """The organisation, if the user may manage its staff; 404 if unknown, else 403."""
    organisation = get_object_or_404(
        PartnerOrganisation.objects.visible_to(request.user), slug=slug
    )
    if not request.user.has_perm("pacts.manage_organisation_staff", organisation):
        raise PermissionDenied
    return organisation


def _breadcrumbs(organisation: PartnerOrganisation) -> list[tuple[str, str | None]]:
    return [
        (_("Partner organisations"), reverse("pacts:organisation-list")),
        (organisation.name, organisation.get_absolute_url()),
    ]


def _staff_context(
    request: AuthenticatedHttpRequest,
    organisation: PartnerOrganisation,
    form: InviteToOrganisationForm,
    *,
    sent_message: str = "",
) -> dict[str, Any]:
    memberships = (
        OrganisationMembership.objects.visible_to(request.user)
        .for_organisation(organisation)
        .for_list()
    )
    page_obj = Paginator(memberships, settings.WIJKPORTAAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    invitations = services.pending_staff_invitations(organisation)
    return {
        "organisation": organisation,
        "page_obj": page_obj,
        "memberships": page_obj.object_list,
        "invitations": [
            {
                "email": invitation.email,
                "role": _("Staff administrator")
                if invitation.purpose.get("administrator") is True
                else _("Staff member"),
                "expires_at": invitation.expires_at,
            }
            for invitation in invitations
        ],
        "form": form,
        "sent_message": sent_message,
        "breadcrumbs": [*_breadcrumbs(organisation), (_("Staff"), None)],
    }


def _revoke_context(
    organisation: PartnerOrganisation,
    membership: OrganisationMembership,
    name: str,
    refusal: str,
) -> dict[str, Any]:
    title = _("Revoke %(name)s as staff of %(organisation)s?") % {
        "name": name,
        "organisation": organisation.name,
    }
    staff_url = reverse("pacts:organisation-staff", kwargs={"slug": organisation.slug})
    return {
        "organisation": organisation,
        "membership": membership,
        "title": title,
        "refusal": refusal,
        "staff_url": staff_url,
        "breadcrumbs": [
            *_breadcrumbs(organisation),
            (_("Staff"), staff_url),
            (_("Revoke"), None),
        ],
    }
