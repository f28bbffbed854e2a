"""The meeting form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agendas.forms.actions import in_sensible_years
from areas.forms_location import LocatedForm
from areas.models import Gebiedsteam, Wijk
from meetings.models import Meeting
from participation.models import Initiative
from web.forms import CheckboxList, DateTimeInput, RevisionField, field_of


class InitiativeChoiceField(forms.ModelMultipleChoiceField):
    """An initiative by its title, wijk and status: titles need not be unique."""

    def label_from_instance(self, obj: Initiative) -> str:
        return f"{obj.title} ({obj.wijk.name}, {obj.get_status_display()})"


def linkable_initiatives(gebiedsteam: Gebiedsteam, meeting: Meeting) -> QuerySet[Initiative]:
    """The initiatives the team may link to a meeting: those it answers (submitted for one of
    its gebied's wijken, never another gebied's) that are public or still awaiting its answer.
    One turned down before it was ever public (spam, personal data) is left out; one the
    meeting links already stays a choice, so that saving the form does not drop it."""
    linkable = Q(published_at__isnull=False) | Q(status=Initiative.Status.RECEIVED)
    if meeting.pk is not None:
        linkable |= Q(pk__in=meeting.initiatives.values("pk"))
    return (
        Initiative.objects.filter(gebiedsteam=gebiedsteam)
        .filter(linkable)
        .select_related("wijk")
        .only("pk", "title", "status", "wijk__name")
        .order_by("wijk__name", "-created_at", "-pk")
    )


class MeetingForm(LocatedForm):
    revision = RevisionField()
    initiatives = InitiativeChoiceField(
        label=capfirst(_("initiatives discussed")),
        queryset=Initiative.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text=_(
            "Residents' initiatives for the wijken of this gebied that are public or awaiting "
            "the team's answer. Only who may see an initiative sees it on the meeting's page."
        ),
        error_messages={
            "invalid_choice": _(
                "Only initiatives for the wijken of this gebied that are public or await an "
                "answer can be linked."
            ),
        },
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location_name",
            "address",
            "wijken",
            "public",
            "sign_up",
            "capacity",
            "minutes",
            "initiatives",
            "longitude",
            "latitude",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "wijken": CheckboxList,
            # Written after the meeting; shown on its page through the Markdown filter.
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, gebiedsteam: Gebiedsteam, **kwargs: Any) -> None:
        self.gebiedsteam = gebiedsteam
        super().__init__(*args, **kwargs)
        # Only the wijken of this gebied: another gebied's wijk is not a valid choice.
        field_of(self, "wijken", forms.ModelChoiceField).queryset = Wijk.objects.for_gebiedsteam(
            gebiedsteam
        ).for_list()
        field_of(self, "initiatives", InitiativeChoiceField).queryset = linkable_initiatives(
            gebiedsteam, self.instance
        )
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def allowed_wijken(self) -> QuerySet[Wijk]:
        return Wijk.objects.for_gebiedsteam(self.gebiedsteam)

    def outside_message(self) -> str:
        return str(_("This location lies outside the gebied of this team."))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        in_sensible_years(value)
        return value

    def clean_ends_at(self) -> dt.datetime:
        value = self.cleaned_data["ends_at"]
        in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("A meeting ends after it starts."))
        if cleaned.get("sign_up") and cleaned.get("public") is False:
            self.add_error("sign_up", _("Only a public meeting takes sign-ups."))
        if cleaned.get("capacity") is not None and not cleaned.get("sign_up"):
            self.add_error("capacity", _("Places are counted only when people sign up."))
        return cleaned

    def clean_capacity(self) -> int | None:
        value: int | None = self.cleaned_data["capacity"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("A meeting with places has at least one."))
        return value

    def changed_values(self) -> dict[str, Any]:
        values = super().changed_values()
        values.pop("wijken")
        values.pop("initiatives")
        return values
