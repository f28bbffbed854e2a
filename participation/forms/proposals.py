"""Forms for proposals: drafting, the municipality's response to advice, and the decision.

A proposal is drafted for wijken of one gebied; its location, agenda items and the wijkraden
asked for advice must all belong to the wijken chosen. The decision form comes with one
outcome form per input (top-level visible comment or submitted advice), all required.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agendas.forms.actions import in_sensible_years
from agendas.models import Action, AgendaItem, Wijkagenda
from areas.forms import DrawnAreaField
from areas.forms_location import LocatedForm
from areas.models import Gebiedsteam, Wijk, Wijkraad
from areas.widgets import AreaDrawWidget
from participation.models import Advice, InputOutcome, Proposal
from participation.services.proposals import Input
from web.forms import (
    CheckboxList,
    DateTimeInput,
    EditForm,
    PlainLanguageTextarea,
    RevisionField,
    StyledModelForm,
    field_of,
)

PROPOSAL_FIELDS = [
    "title",
    "body",
    "wijken",
    "agenda_items",
    "opens_at",
    "closes_at",
    "council_only",
    "audience",
    "longitude",
    "latitude",
    "area",
]


class WijkraadChoiceField(forms.ModelMultipleChoiceField):
    widget = CheckboxList


class AgendaItemChoiceField(forms.ModelMultipleChoiceField):
    """Items of several agendas: each named with its agenda."""

    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.wijkagenda.title}: {obj.title}"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    """Actions of several agendas: each named with its agenda."""

    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.plan.wijkagenda.title}: {obj.title}"


class ProposalForm(LocatedForm):
    """A draft proposal, and the wijkraden asked for formal advice with their deadline.

    The edit form carries the draft's revision: a save from a form opened before someone
    else's save is refused.
    """

    revision = RevisionField()
    advice_from = WijkraadChoiceField(
        queryset=Wijkraad.objects.none(),
        required=False,
        label=_("Ask formal advice from"),
        help_text=_("Wijkraden covering the chosen wijken."),
    )
    advice_deadline = forms.DateTimeField(
        required=False,
        label=_("Deadline for the advice"),
        widget=DateTimeInput(),
    )

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "wijken": CheckboxList,
            "audience": forms.RadioSelect,
            "agenda_items": CheckboxList,
            "body": PlainLanguageTextarea(attrs={"rows": 10}),
            "area": AreaDrawWidget(wijken_id="picker-wijken"),
        }
        field_classes = {"area": DrawnAreaField, "agenda_items": AgendaItemChoiceField}
        help_texts = {
            "longitude": _("Optional. For example 5.0913. Pick the point on the map, or type it."),
            "latitude": _("For example 51.5606."),
            "area": _(
                "Optional, for a proposal that covers an area: draw it on the map. Without "
                "a location, the point is set in the middle of the area."
            ),
        }

    def __init__(self, *args: Any, gebiedsteam: Gebiedsteam, **kwargs: Any) -> None:
        self.gebiedsteam = gebiedsteam
        super().__init__(*args, **kwargs)
        # Only what belongs to this gebied is a valid choice: another gebied's wijk, item or
        # council is refused by the field itself.
        field_of(self, "wijken", forms.ModelChoiceField).queryset = Wijk.objects.for_gebiedsteam(
            gebiedsteam
        ).for_list()
        field_of(self, "agenda_items", forms.ModelChoiceField).queryset = (
            AgendaItem.objects.filter(wijkagenda__gebiedsteam=gebiedsteam)
            .select_related("wijkagenda", "theme")
            .order_by("wijkagenda__title", "position", "pk")
        )
        field_of(self, "advice_from", forms.ModelChoiceField).queryset = (
            Wijkraad.objects.filter(
                pk__in=Wijkraad.objects.filter(wijken__gebiedsteam=gebiedsteam).values("pk")
            )
            .prefetch_related("wijken")
            .order_by("name")
        )
        if self.instance.pk is not None:
            advices = list(self.instance.advices.all())
            self.fields["advice_from"].initial = [advice.wijkraad_id for advice in advices]
            if advices:
                self.fields["advice_deadline"].initial = min(a.deadline for a in advices)
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"
        # Left out (a client that does not know the field), the audience stays what it was.
        self.fields["audience"].required = False

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or self.instance.audience

    def allowed_wijken(self) -> QuerySet[Wijk]:
        chosen = self.cleaned_data.get("wijken") or []
        return Wijk.objects.filter(pk__in=[wijk.pk for wijk in chosen])

    def outside_message(self) -> str:
        return str(_("This location lies outside the chosen wijken."))

    def area_outside_message(self) -> str:
        return str(_("The area goes outside the chosen wijken"))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Describe the proposal."), code="required")
        return body

    def clean_opens_at(self) -> dt.datetime:
        value = self.cleaned_data["opens_at"]
        in_sensible_years(value)
        return value

    def clean_closes_at(self) -> dt.datetime:
        value = self.cleaned_data["closes_at"]
        in_sensible_years(value)
        return value

    def clean_advice_deadline(self) -> dt.datetime | None:
        value = self.cleaned_data["advice_deadline"]
        in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The comment period must close after it opens."))
        wijken = cleaned.get("wijken")
        wijk_ids = {wijk.pk for wijk in wijken or []}
        items = cleaned.get("agenda_items")
        if wijken and items:
            covering = set(
                AgendaItem.objects.filter(
                    pk__in=[item.pk for item in items], wijkagenda__wijken__in=wijk_ids
                ).values_list("pk", flat=True)
            )
            if any(item.pk not in covering for item in items):
                self.add_error(
                    "agenda_items", _("Choose items of agendas for the chosen wijken only.")
                )
        councils = cleaned.get("advice_from")
        if wijken and councils:
            outside = [
                council.name
                for council in councils
                if not any(wijk.pk in wijk_ids for wijk in council.wijken.all())
            ]
            if outside:
                self.add_error(
                    "advice_from",
                    _("These wijkraden cover none of the chosen wijken: %(names)s.")
                    % {"names": ", ".join(outside)},
                )
        audience = cleaned.get("audience")
        if cleaned.get("council_only") and audience and audience != Proposal.Audience.WIJKRADEN:
            self.add_error(
                "audience",
                _(
                    "A proposal only the wijkraden can read is reacted to by the wijkraden "
                    "only. Choose “the wijkraden only”, or make the proposal public."
                ),
            )
        deadline = cleaned.get("advice_deadline")
        if councils and deadline is None and "advice_deadline" not in self.errors:
            self.add_error("advice_deadline", _("Give a deadline for the advice."))
        if councils and deadline and opens and deadline <= opens:
            self.add_error(
                "advice_deadline",
                _("The deadline for the advice must lie after the comment period opens."),
            )
        return cleaned

    def proposal_values(self) -> dict[str, Any]:
        """The proposal's own (non-relation) fields, for the service."""
        return {
            name: self.cleaned_data[name]
            for name in PROPOSAL_FIELDS
            if name not in ("wijken", "agenda_items")
        }


class AdviceResponseForm(EditForm):
    """The municipality's written response to a wijkraad's advice, with the advice's
    revision: a response from a form opened before another was saved is refused."""

    revision = RevisionField()

    class Meta:
        model = Advice
        fields = ["response"]
        widgets = {"response": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].required = True

    def clean_response(self) -> str:
        response = self.cleaned_data["response"].strip()
        if not response:
            raise forms.ValidationError(
                _("Write the response of the municipality."), code="required"
            )
        return response


class StartConsiderationForm(forms.Form):
    early = forms.BooleanField(
        required=False,
        label=_("Close the comment period now"),
        help_text=_("Needed while the comment period is still running."),
    )


class DecisionForm(StyledModelForm):
    """The decision, what was done with the input in general, and the actions carrying it out."""

    class Meta:
        model = Proposal
        fields = ["decision", "input_feedback", "actions"]
        widgets = {
            "decision": PlainLanguageTextarea(attrs={"rows": 8}),
            "input_feedback": PlainLanguageTextarea(attrs={"rows": 6}),
            "actions": CheckboxList,
        }
        field_classes = {"actions": ActionChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposal: Proposal = self.instance
        self.fields["decision"].required = True
        self.fields["input_feedback"].required = True
        # The public proposal page lists the linked actions: only actions that everyone may
        # see (of a published or archived agenda of this gebied, for the proposal's wijken)
        # can be linked. Another one named in a POST is refused by the field.
        public_agendas = Wijkagenda.objects.published().filter(
            gebiedsteam_id=proposal.gebiedsteam_id, wijken__in=proposal.wijken.all()
        )
        actions = field_of(self, "actions", forms.ModelChoiceField)
        actions.queryset = (
            Action.objects.filter(plan__wijkagenda__in=public_agendas.values("pk"))
            .select_related("plan__wijkagenda")
            .order_by("plan__wijkagenda__title", "title", "pk")
        )
        actions.error_messages["invalid_choice"] = _(
            "Only actions of a published wijkagenda of this gebied can carry out the "
            "decision; %(value)s is not one of them."
        )

    def clean_decision(self) -> str:
        text = self.cleaned_data["decision"].strip()
        if not text:
            raise forms.ValidationError(_("Write the decision."), code="required")
        return text

    def clean_input_feedback(self) -> str:
        text = self.cleaned_data["input_feedback"].strip()
        if not text:
            raise forms.ValidationError(_("Write what was done with the input."), code="required")
        return text


class OutcomeForm(StyledModelForm):
    """What was done with one input. `input_key` ties the form to the input it answers."""

    input_key = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = InputOutcome
        fields = ["outcome", "reason"]
        widgets = {
            "outcome": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, input: Input, **kwargs: Any) -> None:  # noqa: A002
        self.input = input
        super().__init__(*args, **kwargs)
        self.fields["input_key"].initial = input.key
        # A model field with choices offers an empty "---------" choice, which a radio group
        # shows as a first button, checked on a fresh form. The team must pick one of the
        # outcomes itself: the field stays required, with only the real ones to choose from.
        field_of(self, "outcome", forms.ChoiceField).choices = InputOutcome.Outcome.choices

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why."), code="required")
        return reason


class BaseOutcomeFormSet(forms.BaseFormSet):
    """One outcome form per input, in the order of `inputs`; none may be left empty."""

    def __init__(self, *args: Any, inputs: list[Input], **kwargs: Any) -> None:
        self.inputs = inputs
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        # Forms past the inputs (a tampered count) are refused in clean(); give them a
        # placeholder so that they can be built.
        kwargs["input"] = (
            self.inputs[index] if index is not None and index < len(self.inputs) else Input()
        )
        return kwargs

    def clean(self) -> None:
        super().clean()
        if self.total_form_count() != len(self.inputs) or any(
            form.cleaned_data.get("input_key") != form.input.key
            for form in self.forms
            if hasattr(form, "cleaned_data")
        ):
            raise forms.ValidationError(
                _("The comments or advice changed while you were deciding. Check the list again."),
                code="inputs_changed",
            )


def outcome_formset(data: Any, *, inputs: list[Input]) -> BaseOutcomeFormSet:
    # formset_factory makes a subclass of `formset`; its stub only promises a BaseFormSet.
    formset_class: type[BaseOutcomeFormSet] = forms.formset_factory(  # type: ignore[assignment]
        OutcomeForm,
        formset=BaseOutcomeFormSet,
        extra=0,
        min_num=len(inputs),
        max_num=len(inputs),
        validate_min=True,
        validate_max=True,
    )
    return formset_class(data, inputs=inputs, prefix="outcome")
