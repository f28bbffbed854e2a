"""Sign-in, sign-out, password reset and accepting an invitation.

Sign-in, sign-out and password reset are Django's own class-based auth views (the one place
STYLE.md allows classes), with our templates and forms; accepting an invitation is ours.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import purposes, services, throttle
from accounts.forms import (
    AcceptInvitationForm,
    PortalSetPasswordForm,
    QueuedPasswordResetForm,
    SignInForm,
)
from accounts.models import Invitation
from web.http import posted

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class BadInputStatusMixin:
    """Answer an invalid form with 400 instead of 200: bad input gets a 4xx (DESIGN.md)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = HTTPStatus.BAD_REQUEST
        return response


class SignInView(BadInputStatusMixin, auth_views.LoginView):
    """Sign in by e-mail address and password, throttled per account and address, and per
    address (accounts/throttle.py): nobody elsewhere can lock the owner out.

    A throttled attempt is refused before the form is validated, so the password is not
    checked at all: guessing on cannot succeed, and the answer is the same whether or not
    the account exists.
    """

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "")
        address = throttle.client_address(request)
        if throttle.is_blocked(email=email, address=address):
            return self.throttled(email)
        form = self.get_form()
        if form.is_valid():
            throttle.reset_account(email=email, address=address)
            return self.form_valid(form)
        if form.has_error("__all__", "invalid_login"):
            throttle.record_failure(email=email, address=address)
        return self.form_invalid(form)

    def throttled(self, email: str) -> HttpResponse:
        # An unbound form: binding and validating it would check the password.
        form = self.authentication_form(
            self.request, initial={"username": throttle.normalise_email(email)}
        )
        window = throttle.window_seconds()
        context = self.get_context_data(
            form=form,
            throttled_message=_(
                "Signing in failed too many times. For your safety, signing in from here is "
                "paused. Try again in %(minutes)s minutes, or choose a new password."
            )
            % {"minutes": window // 60},
        )
        response = self.render_to_response(context, status=HTTPStatus.TOO_MANY_REQUESTS)
        response["Retry-After"] = str(window)
        return response


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires); then back to LOGOUT_REDIRECT_URL."""


class PasswordResetView(BadInputStatusMixin, auth_views.PasswordResetView):
    """Ask for a reset link; the answer is the same whether or not the address has an account.

    Throttled like sign-in: one client asking for too many links gets a 429, and an e-mail
    address gets at most a few links per hour. Past that limit the answer is the usual "check
    your mail" page, but no mail is sent, so nobody can flood someone else's inbox.
    """

    template_name = "accounts/password_reset_form.html"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttle.reset_address_blocked(address=throttle.client_address(request)):
            context = self.get_context_data(
                form=self.get_form_class()(),
                throttled_message=_(
                    "You asked for too many reset links. Try again in %(minutes)s minutes."
                )
                % {"minutes": throttle.RESET_WINDOW_SECONDS // 60},
            )
            response = self.render_to_response(context, status=HTTPStatus.TOO_MANY_REQUESTS)
            response["Retry-After"] = str(throttle.RESET_WINDOW_SECONDS)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: QueuedPasswordResetForm) -> HttpResponse:
        allowed = throttle.record_reset_request(
            email=form.cleaned_data["email"], address=throttle.client_address(self.request)
        )
        if not allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(BadInputStatusMixin, auth_views.PasswordResetConfirmView):
    """Choose a new password through the link; a used or expired link answers 410 Gone."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not context.get("validlink"):
            kwargs["status"] = HTTPStatus.GONE
        return super().render_to_response(context, **kwargs)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password1", "password2")
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationUnusable as unusable:
        return _invitation_gone(request, unusable.reason)

    form = AcceptInvitationForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except services.InvitationUnusable as unusable:
            return _invitation_gone(request, unusable.reason)
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Welcome! Your account is ready and you are signed in."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/invitation_accept.html",
        _invitation_context(invitation, form),
        status=HTTPStatus.BAD_REQUEST if form.is_bound else 200,
    )


def _invitation_context(invitation: Invitation, form: AcceptInvitationForm) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "purpose": purposes.describe_purpose(invitation.purpose),
        "form": form,
        "breadcrumbs": [(_("Accept your invitation"), None)],
    }


def _invitation_gone(request: HttpRequest, reason: str) -> HttpResponse:
    """A clear page for a link that cannot be used: 404 if it never existed, 403 for the
    address of a deactivated account, else 410 Gone."""
    title, explanation = {
        services.InvitationUnusable.DEACTIVATED: (
            _("This account has been deactivated"),
            _(
                "The account of this e-mail address has been deactivated, and an invitation "
                "cannot make it active again. If you need access to the portal, contact its "
                "functional administrator."
            ),
        ),
        services.InvitationUnusable.USED: (
            _("This invitation has already been used"),
            _(
                "An invitation link works only once, and this one has been used. If you set "
                "your password with it, you can sign in."
            ),
        ),
        services.InvitationUnusable.EXPIRED: (
            _("This invitation has expired"),
            _(
                "An invitation link works for a limited time, and this one has expired. Ask "
                "the person who invited you to send a new invitation."
            ),
        ),
    }.get(
        reason,
        (
            _("This invitation link does not work"),
            _(
                "We do not know this invitation link. Check that you copied the whole link "
                "from the e-mail."
            ),
        ),
    )
    return render(
        request,
        "accounts/invitation_gone.html",
        {
            "title": title,
            "explanation": explanation,
            "breadcrumbs": [(title, None)],
        },
        status=_GONE_STATUS.get(reason, HTTPStatus.GONE),
    )


_GONE_STATUS = {
    services.InvitationUnusable.UNKNOWN: HTTPStatus.NOT_FOUND,
    services.InvitationUnusable.DEACTIVATED: HTTPStatus.FORBIDDEN,
}
