"""Forms of team management: inviting people to a gebiedsteam or wijkraad, and werkplekken."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.services import pending_invitations
from areas.geometry import GeometryError, check_point
from areas.locate import locate_wijk
from areas.models import CouncilMembership, Gebiedsteam, TeamMembership, Werkplek, Wijkraad
from areas.services import COUNCIL_INVITATION, TEAM_INVITATION
from areas.widgets import LocationWidget
from web.forms import EditForm, RevisionField, StyledForm, field_of


class InviteFormMixin:
    """The e-mail field of the invitation forms, normalised as accounts store addresses."""

    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class InviteToGebiedsteamForm(InviteFormMixin, StyledForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamMembership.Role.choices)

    def __init__(self, *args: Any, gebiedsteam: Gebiedsteam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gebiedsteam = gebiedsteam

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email = cleaned.get("email")
        # A team invitation grants team membership only. The form once offered an
        # organisation as well, which made the invitee staff of any organisation the inviter
        # chose; a page from before, or a hand-made request, that still names one is refused
        # rather than quietly inviting to the team alone.
        if self.data.get("organisation"):
            raise forms.ValidationError(
                _(
                    "A team invitation does not make anyone staff of an organisation. Invite "
                    "the person to the team without an organisation; the organisation's staff "
                    "administrator adds its staff on the organisation's staff page."
                ),
                code="organisation",
            )
        if email:
            if TeamMembership.objects.filter(
                gebiedsteam=self.gebiedsteam, user__email__iexact=email
            ).exists():
                self.add_error("email", _("This person is already a member of this team."))
            elif (
                pending_invitations(kind=TEAM_INVITATION, gebiedsteam=self.gebiedsteam.pk)
                .filter(email=email)
                .exists()
            ):
                self.add_error(
                    "email", _("This person has already been invited and has not answered yet.")
                )
        return cleaned


class InviteToWijkraadForm(InviteFormMixin, StyledForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role in the council"),
        choices=CouncilMembership.Role.choices,
        initial=CouncilMembership.Role.MEMBER,
    )

    def __init__(self, *args: Any, wijkraad: Wijkraad, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wijkraad = wijkraad

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email = cleaned.get("email")
        if email:
            if CouncilMembership.objects.filter(
                wijkraad=self.wijkraad, user__email__iexact=email
            ).exists():
                self.add_error("email", _("This person is already a member of this council."))
            elif (
                pending_invitations(kind=COUNCIL_INVITATION, wijkraad=self.wijkraad.pk)
                .filter(email=email)
                .exists()
            ):
                self.add_error(
                    "email", _("This person has already been invited and has not answered yet.")
                )
        return cleaned


class WerkplekForm(EditForm):
    """A werkplek of a gebiedsteam; its wijk and its location lie in the team's gebied.

    The edit form carries the werkplek's revision (hidden): a save from a form opened before
    someone else's save is refused.
    """

    revision = RevisionField()

    class Meta:
        model = Werkplek
        fields = ["name", "address", "opening_hours", "wijk", "longitude", "latitude"]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
            "latitude": LocationWidget(longitude_field="longitude"),
        }
        help_texts = {
            "opening_hours": _("For example: Monday to Thursday 9:00–17:00."),
            "wijk": _("The wijk or dorp the werkplek lies in."),
            "longitude": _("Optional. A place inside one of the wijken of this gebied."),
        }

    def __init__(self, *args: Any, gebiedsteam: Gebiedsteam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gebiedsteam = gebiedsteam
        wijk_field = field_of(self, "wijk", forms.ModelChoiceField)
        wijk_field.queryset = gebiedsteam.wijken.only("pk", "name", "gebiedsteam_id").order_by(
            "name"
        )
        wijk_field.empty_label = _("No particular wijk")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        longitude = cleaned.get("longitude")
        latitude = cleaned.get("latitude")
        if {"longitude", "latitude"} & set(self.errors):
            return cleaned
        if (longitude is None) != (latitude is None):
            missing = "latitude" if latitude is None else "longitude"
            self.add_error(missing, _("Give both longitude and latitude, or leave both empty."))
            return cleaned
        if longitude is None or latitude is None:
            return cleaned
        try:
            check_point(longitude, latitude)
        except GeometryError:
            self.add_error(
                "longitude",
                _("Longitude lies between -180 and 180, latitude between -90 and 90."),
            )
            return cleaned
        self._check_location(longitude, latitude, cleaned.get("wijk"))
        return cleaned

    def _check_location(self, longitude: float, latitude: float, wijk: Any) -> None:
        slug = locate_wijk(longitude, latitude)
        located = self.gebiedsteam.wijken.filter(slug=slug).first() if slug else None
        if located is None:
            self.add_error(
                "longitude",
                _(
                    "This location lies outside the wijken of gebied %(gebied)s. Choose a "
                    "place inside the gebied, or leave the location empty."
                )
                % {"gebied": self.gebiedsteam.name},
            )
        elif wijk is not None and located.pk != wijk.pk:
            self.add_error(
                "wijk",
                _(
                    "The location lies in %(located)s, not in %(wijk)s. Choose %(located)s, "
                    "or move the location."
                )
                % {"located": located.name, "wijk": wijk.name},
            )
