"""Signing up as a resident, and "Mijn account": the pages that ask for the account
(accounts) and the wijk one lives in (areas) together, and save both in one transaction.

The confirmation links, a new link, a new e-mail address and deleting the account are
`accounts.views_residents`; the wijk is `areas.residences`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import residents, throttle
from accounts.forms_residents import DisplayNameForm, SignUpForm
from accounts.http import AuthenticatedHttpRequest
from accounts.views_residents import base_url
from areas.councils import CouncilVisibilityForm, set_shown_publicly
from areas.residences import HomeWijkForm, home_wijk, set_home_wijk
from meetings.models import Meeting, Registration
from web.http import posted

# The meetings still to come that "Mijn account" lists as signed up for.
MY_MEETINGS = 20


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password1", "password2", "postcode", "huisnummer", "toevoeging")
def sign_up(request: HttpRequest) -> HttpResponse:
    """Sign up as a resident. Throttled per client address (429); per e-mail address the
    answer stays the same but no more mail goes out. The answer to an address that has an
    account is the same as to a new one (accounts.residents)."""
    if request.user.is_authenticated:
        return redirect("portal:my-account")
    data = posted(request)
    account_form = SignUpForm(data)
    wijk_form = HomeWijkForm(data)
    # Where the resident came from (a proposal to react to): kept in the form's address and
    # carried by the confirmation link, back there after signing in. Only a path of ours.
    next_url = residents.local_path(request.GET.get("next"))
    context = {
        "account_form": account_form,
        "wijk_form": wijk_form,
        "next": next_url,
        "breadcrumbs": [(_("Create an account"), None)],
    }
    if request.method != "POST":
        return render(request, "portal/sign_up.html", context)
    address = throttle.client_address(request)
    if throttle.signup_address_blocked(address=address):
        response = render(
            request,
            "portal/sign_up.html",
            {
                **context,
                "account_form": SignUpForm(),
                "wijk_form": HomeWijkForm(),
                "throttled_message": _(
                    "Too many accounts were asked for from your connection. Try again in "
                    "%(minutes)s minutes."
                )
                % {"minutes": throttle.SIGNUP_WINDOW_SECONDS // 60},
            },
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(throttle.SIGNUP_WINDOW_SECONDS)
        return response
    # Both forms are checked before anything is saved: nothing half-saved.
    if not (account_form.is_valid() & wijk_form.is_valid()):
        return render(request, "portal/sign_up.html", context, status=HTTPStatus.BAD_REQUEST)
    email = account_form.cleaned_data["email"]
    if throttle.record_signup_request(email=email, address=address):
        with transaction.atomic():
            user = residents.sign_up(
                email=email,
                display_name=account_form.cleaned_data["display_name"],
                password=account_form.cleaned_data["password1"],
                base_url=base_url(request),
                next_url=next_url,
            )
            if user is not None and wijk_form.cleaned_data["wijk"] is not None:
                set_home_wijk(user=user, wijk=wijk_form.cleaned_data["wijk"])
    return redirect("accounts:sign-up-done")


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("postcode", "huisnummer", "toevoeging")
@login_required
def my_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's display name and wijk (and, for a council member, whether their name is on
    the council's public page), with the ways to change the e-mail address, the notifications,
    and to delete the account."""
    user = request.user
    wijk = home_wijk(user)
    data = posted(request)
    name_form = DisplayNameForm(data, initial={"display_name": user.full_name})
    wijk_form = HomeWijkForm(data, initial={"wijk": wijk.pk if wijk else None})
    council_form = CouncilVisibilityForm(data, user=user)
    if (
        request.method == "POST"
        and name_form.is_valid() & wijk_form.is_valid() & council_form.is_valid()
    ):
        with transaction.atomic():
            user.full_name = name_form.cleaned_data["display_name"].strip()
            user.save(update_fields=["full_name"])
            set_home_wijk(user=user, wijk=wijk_form.cleaned_data["wijk"])
            set_shown_publicly(council_form)
        messages.success(request, _("Your account has been saved."))
        return redirect("portal:my-account")
    return render(
        request,
        "portal/my_account.html",
        {
            "name_form": name_form,
            "wijk_form": wijk_form,
            "council_form": council_form if council_form.memberships else None,
            "home_wijk": wijk,
            "may_delete": residents.may_delete_own_account(user),
            "registrations": Registration.objects.filter(
                user=user,
                meeting__in=Meeting.objects.visible_to(user).exclude(ends_at__lt=timezone.now()),
            )
            .select_related("meeting")
            .order_by("meeting__starts_at", "pk")[:MY_MEETINGS],
            "confirm_hours": settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS,
            "breadcrumbs": [(_("My account"), None)],
        },
        status=HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK,
    )
