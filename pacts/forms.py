"""Forms of the pacts app: inviting a person to an organisation's staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.forms_team import InviteFormMixin
from pacts.models import OrganisationMembership, PartnerOrganisation
from pacts.services import pending_staff_invitations
from web.forms import StyledForm


class InviteToOrganisationForm(InviteFormMixin, StyledForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=OrganisationMembership._meta.get_field("job_title").max_length,
        required=False,
    )
    administrator = forms.BooleanField(
        label=_("Staff administrator"),
        required=False,
        help_text=_("May invite and revoke this organisation's staff in the portal too."),
    )

    def __init__(self, *args: Any, organisation: PartnerOrganisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            if (
                OrganisationMembership.objects.for_organisation(self.organisation)
                .filter(user__email__iexact=email)
                .exists()
            ):
                self.add_error(
                    "email", _("This person is already on the staff of this organisation.")
                )
            elif pending_staff_invitations(self.organisation).filter(email=email).exists():
                self.add_error(
                    "email", _("This person has already been invited and has not answered yet.")
                )
        return cleaned
