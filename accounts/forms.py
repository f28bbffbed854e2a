"""Forms of the accounts app: sign-in, password reset and accepting an invitation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.emails import write_password_reset
from accounts.models import Notification, NotificationPreference, User
from accounts.throttle import normalise_email
from web.forms import StyledForm, StyledFormMixin, style_widgets

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def new_password_fields(
    label: StrOrPromise, again: StrOrPromise
) -> tuple[forms.CharField, forms.CharField]:
    """A new password (with what Django's validators ask of it) and the same once more."""
    widget = {"autocomplete": "new-password"}
    return (
        forms.CharField(
            label=label,
            strip=False,
            widget=forms.PasswordInput(attrs=widget),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(label=again, strip=False, widget=forms.PasswordInput(attrs=widget)),
    )


def check_new_password(form: forms.Form, person: User) -> None:
    """The two passwords of `new_password_fields` the same, and the first one passing
    Django's validators for the person as they will be (not like their name or address)."""
    password1 = form.cleaned_data.get("password1")
    password2 = form.cleaned_data.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error("password2", _("The two passwords are not the same."))
    elif password1:
        try:
            password_validation.validate_password(password1, person)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class SignInForm(StyledFormMixin, AuthenticationForm):
    """Sign in by e-mail address and password.

    One message for every failure, so that the answer never tells whether an account has
    the address.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is not correct. Check both and try again."
        ),
        "inactive": _(
            "The e-mail address or the password is not correct. Check both and try again."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("E-mail address")
        username.widget.input_type = "email"
        username.widget.attrs.update({"autocomplete": "email", "autofocus": True})

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])

    def get_invalid_login_error(self) -> forms.ValidationError:
        """ "Confirm your address first" for a resident who has not yet done so and typed the
        right password; the usual message for everyone else. Only who knows the password
        learns that the account exists."""
        email = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password") or ""
        user = User.objects.filter(email=email).first() if email else None
        if user is not None and user.awaits_confirmation and user.check_password(password):
            return forms.ValidationError(
                _(
                    "Your account is not active yet: first open the link in the e-mail we "
                    "sent to %(email)s. No e-mail, or has the link expired? Ask for a new link."
                ),
                code="unconfirmed",
                params={"email": email},
            )
        return super().get_invalid_login_error()


class QueuedPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """Django's password reset form, with the e-mail written to the outbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        write_password_reset(
            user=context["user"],
            domain=context["domain"],
            use_https=context["protocol"] == "https",
        )


class PortalSetPasswordForm(StyledFormMixin, SetPasswordForm):
    """Django's form to choose a new password after a reset, in the portal's style."""


class AcceptInvitationForm(StyledForm):
    """Your name and a new password, to accept an invitation."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Other team or council members see this name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = new_password_fields(_("New password"), _("New password again"))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_new_password(self, User(email=self.email, full_name=cleaned.get("full_name", "")))
        return cleaned


class NotificationPreferencesForm(StyledForm):
    """How and when the user gets each kind of notification: one choice per kind."""

    def __init__(self, *args: Any, preferences: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationPreference.Frequency.choices,
                initial=preferences.get(kind, NotificationPreference.Frequency.IMMEDIATELY),
            )
        style_widgets(self)
