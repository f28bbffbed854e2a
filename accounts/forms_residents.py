"""Forms of resident accounts: signing up, asking for a new link, the account's own data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import check_new_password, new_password_fields
from accounts.models import User
from accounts.throttle import normalise_email
from web.forms import StyledForm


class EmailField(forms.EmailField):
    """An e-mail address as accounts store it: stripped and lower case."""

    def clean(self, value: Any) -> str:
        return normalise_email(super().clean(value) or "")


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Display name"),
        max_length=150,
        help_text=_("Shown with what you write on the portal. It need not be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class SignUpForm(StyledForm):
    """E-mail address, display name and a password checked by Django's validators."""

    email = EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address. Your account works once you open it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = display_name_field()
    password1, password2 = new_password_fields(_("Password"), _("Password again"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        person = User(email=cleaned.get("email", ""), full_name=cleaned.get("display_name", ""))
        check_new_password(self, person)
        return cleaned


class ResendConfirmationForm(StyledForm):
    email = EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DisplayNameForm(StyledForm):
    display_name = display_name_field()


class CurrentPasswordForm(StyledForm):
    """A form of the signed-in `user` that asks for their current password: whoever finds a
    signed-in computer cannot take the account over. A subclass puts its own fields first
    with `field_order`."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your current password."), code="wrong_password"
            )
        return password


class EmailChangeForm(CurrentPasswordForm):
    """A new e-mail address, with the current password: whoever finds a signed-in computer
    cannot take the account over."""

    field_order = ["new_email"]
    new_email = EmailField(
        label=_("New e-mail address"),
        max_length=254,
        help_text=_("We send a link to the new address. Your address changes once you open it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_new_email(self) -> str:
        email: str = self.cleaned_data["new_email"]
        if email == self.user.email:
            raise forms.ValidationError(
                _("This is already your e-mail address."), code="same_email"
            )
        return email


class DeleteAccountForm(CurrentPasswordForm):
    """The confirmation step before an account is deleted: tick the box and give the password."""

    field_order = ["confirm"]
    confirm = forms.BooleanField(
        label=_("Yes, delete my account and everything that belongs to it"),
        error_messages={"required": _("Tick the box to confirm that you want this.")},
    )
