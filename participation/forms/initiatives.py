"""Forms for residents' initiatives: submitting one, and the team's answer.

The text of an initiative is Markdown, stored as typed and sanitised when rendered (as
comments are). Its place is optional: a point or a drawn area, not both; either must lie in
the wijk chosen (an area within a few metres, as for actions and proposals), and an area's
label point becomes the point, so that it shows on the maps of points. The answer form offers only
the steps the initiative's status allows, and only the agenda items and actions of the
gebied's agendas.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, AgendaItem
from areas.forms import DrawnAreaField
from areas.forms_location import LocatedForm
from areas.models import Wijk
from areas.widgets import AreaDrawWidget
from pacts.models import PartnerOrganisation
from participation.forms.proposals import ActionChoiceField, AgendaItemChoiceField
from participation.models import Initiative
from web.forms import CheckboxList, StyledForm, field_of

MAX_INITIATIVE_LENGTH = 5000
MAX_NOTE_LENGTH = 2000


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:
        return obj.name


class InitiativeForm(LocatedForm):
    """A new initiative: for which wijk, what, on whose behalf, where and what help."""

    wijk = WijkChoiceField(
        queryset=Wijk.objects.none(),
        label=_("Wijk"),
        empty_label=_("Choose a wijk"),
        help_text=_("The wijk the initiative is for. Its gebiedsteam answers you."),
        error_messages={
            "required": _("Choose the wijk your initiative is for."),
            "invalid_choice": _("Choose a wijk from the list."),
        },
    )
    body = forms.CharField(
        label=_("What do you want to do?"),
        help_text=_(
            "What you want to do, for whom and when. At most 5,000 characters. You may use "
            "Markdown for links and lists. Do not write other people's personal details."
        ),
        max_length=MAX_INITIATIVE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe your initiative."),
            "max_length": _(
                "The description can be at most %(limit_value)d characters long; "
                "yours has %(show_value)d."
            ),
        },
    )

    class Meta:
        model = Initiative
        fields = [
            "wijk",
            "title",
            "body",
            "group_name",
            "help_space",
            "help_money",
            "help_contacts",
            "help_permits",
            "help_other",
            "help_other_text",
            "longitude",
            "latitude",
            "area",
        ]
        widgets = {"area": AreaDrawWidget(wijken_id="picker-wijken")}
        field_classes = {"area": DrawnAreaField}
        labels = {
            "title": _("Title"),
            "group_name": _("On behalf of (optional)"),
            "help_space": _("A space"),
            "help_money": _("Money"),
            "help_contacts": _("Contacts"),
            "help_permits": _("Permits"),
            "help_other": _("Something else"),
            "help_other_text": _("What else do you need?"),
        }
        help_texts = {
            "title": _("In a few words, for example “Picnic benches in the Vijverpark”."),
            "group_name": _("The name of your group or association, if you submit for one."),
            "longitude": _("Optional. For example 5.0913. Pick the point on the map, or type it."),
            "latitude": _("For example 51.5606."),
            "area": _(
                "Optional, instead of a point: draw the area your initiative is about on the "
                "map, for example a street or a park."
            ),
        }
        error_messages = {
            "title": {"required": _("Give your initiative a title.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "wijk", forms.ModelChoiceField).queryset = Wijk.objects.for_list().order_by(
            "name"
        )
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def allowed_wijken(self) -> QuerySet[Wijk]:
        wijk = self.cleaned_data.get("wijk")
        return Wijk.objects.filter(pk=wijk.pk) if wijk is not None else Wijk.objects.none()

    def outside_message(self) -> str:
        return str(_("This location lies outside the chosen wijk."))

    def area_outside_message(self) -> str:
        return str(_("The area goes outside the chosen wijk"))

    def check_area(self, cleaned: dict[str, Any]) -> None:
        """A point or an area, not both: the point given with an area would be a second
        place. Checked before the area's label point fills the empty point; without a valid
        wijk there is nothing to check the area against."""
        if "wijk" in self.errors:
            return
        point_given = cleaned.get("longitude") is not None or cleaned.get("latitude") is not None
        if cleaned.get("area") is not None and point_given:
            self.add_error(
                "area",
                _(
                    "Choose a point or draw an area, not both: empty the longitude and "
                    "latitude, or remove the area."
                ),
            )
            return
        super().check_area(cleaned)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_group_name(self) -> str:
        return " ".join(self.cleaned_data["group_name"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("help_other") and not cleaned.get("help_other_text", "").strip():
            self.add_error("help_other_text", _("Say what other help you need."))
        return cleaned


class InitiativeAnswerForm(StyledForm):
    """The team's next step: a status the current one allows, a note (a reason when the
    initiative is not supported), and what takes it on."""

    status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("This step is not possible from the initiative's status."),
        },
    )
    note = forms.CharField(
        label=_("Note for the submitter and followers"),
        help_text=_("Optional. For example when and how you will talk. Shown on the page."),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason (when not supported)"),
        help_text=_("Required when the initiative is not supported. Shown on the page."),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agenda_items = AgendaItemChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label=_("Agenda items that take it on"),
        widget=CheckboxList,
    )
    actions = ActionChoiceField(
        queryset=Action.objects.none(),
        required=False,
        label=_("Actions that carry it out"),
        widget=CheckboxList,
    )
    partner = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.all().order_by("name"),
        required=False,
        label=_("Partner organisation that helps"),
        empty_label=_("No partner"),
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        field_of(self, "status", forms.ChoiceField).choices = [
            (status.value, status.label) for status in initiative.next_statuses
        ]
        # Only what belongs to the initiative's gebied can be linked.
        field_of(self, "agenda_items", forms.ModelChoiceField).queryset = (
            AgendaItem.objects.filter(wijkagenda__gebiedsteam_id=initiative.gebiedsteam_id)
            .select_related("wijkagenda")
            .order_by("wijkagenda__title", "position", "pk")
        )
        field_of(self, "actions", forms.ModelChoiceField).queryset = (
            Action.objects.filter(plan__wijkagenda__gebiedsteam_id=initiative.gebiedsteam_id)
            .select_related("plan__wijkagenda")
            .order_by("plan__wijkagenda__title", "title", "pk")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Initiative.Status.NOT_SUPPORTED and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the initiative is not supported."))
        return cleaned
