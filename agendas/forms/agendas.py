"""Forms for wijkagendas, their items and the vision of a gebied.

Edit forms carry the `revision` the object had when the form was opened, as a hidden field;
the service hands it to `agendas.history.save_edit`, which refuses the save when someone
else saved in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agendas.models import AgendaItem, Status, Theme, Vision, Wijkagenda
from areas.models import CORE_ROLES, Gebiedsteam, Wijk, is_admin, team_ids_of
from pacts.models import PartnerOrganisation
from web.forms import (
    CheckboxList,
    DateInput,
    PlainLanguageTextarea,
    RevisionField,
    RevisionForm,
    StyledForm,
    StyledModelForm,
    field_of,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def _check_period(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start and end and end < start:
        form.add_error("period_end", _("The end of the period lies before its start."))


def wijken_for(user: User | AnonymousUser) -> QuerySet[Wijk]:
    """The wijken a user may make an agenda for: those of the teams they are in the core
    of (the functional administrator: all)."""
    wijken = Wijk.objects.for_list().select_related("gebiedsteam").order_by("name")
    if is_admin(user):
        return wijken
    return wijken.filter(gebiedsteam_id__in=team_ids_of(user, roles=CORE_ROLES))


class WijkenField(forms.ModelMultipleChoiceField):
    widget = CheckboxList

    def label_from_instance(self, obj: Wijk) -> str:
        return f"{obj.name} ({obj.gebiedsteam.name})"


class WijkagendaCreateForm(StyledModelForm):
    """A new agenda for wijken of one gebied the user works in."""

    wijken = WijkenField(queryset=Wijk.objects.none(), label=_("Wijken"))

    class Meta:
        model = Wijkagenda
        fields = ["title", "kind", "wijken", "period_start", "period_end", "review_date", "summary"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "review_date": DateInput,
            "summary": PlainLanguageTextarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "wijken", forms.ModelChoiceField).queryset = wijken_for(user)
        self.gebiedsteam: Gebiedsteam | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_period(self, cleaned)
        wijken = cleaned.get("wijken")
        if wijken:
            teams = {wijk.gebiedsteam_id for wijk in wijken}
            if len(teams) > 1:
                self.add_error("wijken", _("Choose wijken of one gebied only."))
            else:
                self.gebiedsteam = wijken[0].gebiedsteam
        return cleaned


class WijkagendaForm(StyledModelForm):
    """The agenda itself: publishing is a separate step, so status is draft or archived."""

    revision = RevisionField()
    wijken = WijkenField(queryset=Wijk.objects.none(), label=_("Wijken"))

    class Meta:
        model = Wijkagenda
        fields = ["title", "summary", "period_start", "period_end", "review_date", "status"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "review_date": DateInput,
            "summary": PlainLanguageTextarea(attrs={"rows": 6}),
        }
        help_texts = {
            "status": _("To make the agenda public, publish it. Archived agendas stay readable."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda: Wijkagenda = self.instance
        self.fields["revision"].initial = agenda.revision
        field_of(self, "wijken", forms.ModelChoiceField).queryset = (
            Wijk.objects.for_list()
            .select_related("gebiedsteam")
            .filter(gebiedsteam_id=agenda.gebiedsteam_id)
            .order_by("name")
        )
        self.fields["wijken"].initial = [wijk.pk for wijk in agenda.wijken.all()]
        # Draft and archived can be chosen; published only kept. An agenda that was never
        # published cannot be archived: there is nothing public to keep.
        choices = [(Status.DRAFT.value, _("Draft: only the gebiedsteam can see it"))]
        if agenda.status == Status.PUBLISHED:
            choices.insert(0, (Status.PUBLISHED.value, _("Published")))
        if agenda.published_at is not None:
            choices.append((Status.ARCHIVED.value, _("Archived: no longer in use")))
        field_of(self, "status", forms.ChoiceField).choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_period(self, cleaned)
        return cleaned


class AgendaItemForm(StyledModelForm):
    """An ambition or task on an agenda, under a theme."""

    class Meta:
        model = AgendaItem
        fields = ["theme", "kind", "title", "description", "lead_organisation"]
        widgets = {"description": PlainLanguageTextarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "theme", forms.ModelChoiceField).queryset = Theme.objects.all()
        field_of(
            self, "lead_organisation", forms.ModelChoiceField
        ).queryset = PartnerOrganisation.objects.order_by("name")

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class AgendaItemEditForm(AgendaItemForm):
    revision = RevisionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision


class MoveItemForm(RevisionForm):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class PublishForm(StyledForm):
    change_summary = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Residents read this in the changelog."),
    )

    def clean_change_summary(self) -> str:
        return self.cleaned_data["change_summary"].strip()


class VisionForm(StyledModelForm):
    """The long-term vision of a gebied; publishing is a separate step."""

    class Meta:
        model = Vision
        fields = ["title", "body", "horizon_year"]
        widgets = {"body": PlainLanguageTextarea(attrs={"rows": 12})}

    def clean_horizon_year(self) -> int:
        year = self.cleaned_data["horizon_year"]
        this_year = timezone.localdate().year
        if not this_year <= year <= this_year + 30:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                code="horizon",
                params={"first": this_year, "last": this_year + 30},
            )
        return year


class VisionEditForm(VisionForm):
    revision = RevisionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
