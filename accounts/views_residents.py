"""Resident accounts: the confirmation links, a new link, the e-mail address and deleting.

Signing up and the "Mijn account" page ask for the wijk too, which this app does not know:
they are `portal.views.residents`. Everything here is about the account alone.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from accounts import residents, throttle
from accounts.forms_residents import DeleteAccountForm, EmailChangeForm, ResendConfirmationForm
from accounts.http import AuthenticatedHttpRequest
from web.http import posted

_UNUSABLE = {
    residents.ConfirmationUnusable.EXPIRED: (
        HTTPStatus.GONE,
        gettext_lazy("This link has expired"),
        gettext_lazy(
            "A confirmation link works for %(hours)s hours, and this one has expired. Ask for a "
            "new link below."
        ),
    ),
    residents.ConfirmationUnusable.USED: (
        HTTPStatus.GONE,
        gettext_lazy("This link has already been used"),
        gettext_lazy(
            "This e-mail address has been confirmed already, or the account's address has "
            "changed since. You can sign in."
        ),
    ),
    residents.ConfirmationUnusable.TAKEN: (
        HTTPStatus.CONFLICT,
        gettext_lazy("This e-mail address has an account now"),
        gettext_lazy(
            "Another account uses this e-mail address by now, so it cannot become yours. Your "
            "address stays as it was."
        ),
    ),
    residents.ConfirmationUnusable.DEACTIVATED: (
        HTTPStatus.FORBIDDEN,
        gettext_lazy("This account has been deactivated"),
        gettext_lazy(
            "The account of this link has been deactivated, and the link cannot make it active "
            "again. Contact the portal's functional administrator."
        ),
    ),
}


def base_url(request: HttpRequest) -> str:
    """Scheme and host of the request, for the absolute links in e-mails."""
    return f"{request.scheme}://{request.get_host()}"


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    status, title, explanation = _UNUSABLE.get(
        reason,
        (
            HTTPStatus.NOT_FOUND,
            gettext_lazy("This link does not work"),
            gettext_lazy(
                "We do not know this link. Check that you copied the whole link from the e-mail."
            ),
        ),
    )
    return render(
        request,
        "accounts/confirmation_unusable.html",
        {
            "title": title,
            "explanation": str(explanation) % {"hours": settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS},
            "expired": reason == residents.ConfirmationUnusable.EXPIRED,
            "breadcrumbs": [(title, None)],
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the sign-up mail. GET shows a button and POST activates, so that a mail
    scanner that opens every link does not confirm in the resident's place."""
    if request.method != "POST":
        try:
            residents.check_sign_up_token(token)
        except residents.ConfirmationUnusable as unusable:
            return _unusable(request, unusable.reason)
        return render(
            request,
            "accounts/confirm_email.html",
            {"breadcrumbs": [(_("Confirm your e-mail address"), None)]},
        )
    try:
        residents.confirm_sign_up(token)
    except residents.ConfirmationUnusable as unusable:
        return _unusable(request, unusable.reason)
    messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
    # Signed up from a page (a proposal to react to): back there after signing in.
    next_url = residents.sign_up_next(token)
    if next_url:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
    return redirect("accounts:login")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm_new_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail to a new address: GET shows a button, POST changes the address."""
    if request.method != "POST":
        try:
            residents.check_change_token(token)
        except residents.ConfirmationUnusable as unusable:
            return _unusable(request, unusable.reason)
        return render(
            request,
            "accounts/confirm_email.html",
            {"new_email": True, "breadcrumbs": [(_("Confirm your new e-mail address"), None)]},
        )
    try:
        residents.confirm_new_email(token)
    except residents.ConfirmationUnusable as unusable:
        return _unusable(request, unusable.reason)
    messages.success(request, _("Your new e-mail address is confirmed and in use."))
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect(settings.WIJKPORTAAL_MY_ACCOUNT_URL)


def _throttled(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    minutes = throttle.SIGNUP_WINDOW_SECONDS // 60
    response = render(
        request,
        template,
        {
            **context,
            "throttled_message": _(
                "Too many requests came from your connection. Try again in %(minutes)s minutes."
            )
            % {"minutes": minutes},
        },
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(throttle.SIGNUP_WINDOW_SECONDS)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """Ask for a new confirmation link; the answer is the same whether or not an account
    with the address awaits confirmation. Throttled per client and e-mail address."""
    form = ResendConfirmationForm(posted(request))
    context = {"form": form, "breadcrumbs": [(_("Ask for a new confirmation link"), None)]}
    if request.method == "POST":
        address = throttle.client_address(request)
        if throttle.signup_address_blocked(address=address):
            context["form"] = ResendConfirmationForm()
            return _throttled(request, "accounts/resend_confirmation.html", context)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if throttle.record_signup_request(email=email, address=address):
                residents.resend_confirmation(email=email, base_url=base_url(request))
            return redirect("accounts:sign-up-done")
    return render(
        request,
        "accounts/resend_confirmation.html",
        context,
        status=HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK,
    )


@require_safe
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sign_up_done.html",
        {
            "hours": settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS,
            "breadcrumbs": [(_("Check your e-mail"), None)],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
@login_required
def change_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        residents.request_email_change(
            user=request.user,
            new_email=form.cleaned_data["new_email"],
            base_url=base_url(request),
        )
        messages.success(
            request,
            _(
                "We sent a link to %(email)s. Your e-mail address changes once you open it; "
                "until then it stays as it was."
            )
            % {"email": form.cleaned_data["new_email"]},
        )
        return redirect(settings.WIJKPORTAAL_MY_ACCOUNT_URL)
    return render(
        request,
        "accounts/change_email.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("My account"), reverse(settings.WIJKPORTAAL_MY_ACCOUNT_URL)),
                (_("Change e-mail address"), None),
            ],
        },
        status=HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Residents delete their own account; a team or council member, whose account other
    people's work refers to, asks the functional administrator (403)."""
    if not residents.may_delete_own_account(request.user):
        raise PermissionDenied
    form = DeleteAccountForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            residents.delete_account(user=user)
        except ProtectedError:
            # Work of others that must keep its author refers to the account.
            messages.error(
                request,
                _(
                    "Your account cannot be deleted here, because work on the portal refers "
                    "to it. Ask the functional administrator."
                ),
            )
            return redirect(settings.WIJKPORTAAL_MY_ACCOUNT_URL)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(
        request,
        "accounts/delete_account.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("My account"), reverse(settings.WIJKPORTAAL_MY_ACCOUNT_URL)),
                (_("Delete my account"), None),
            ],
        },
        status=HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK,
    )
