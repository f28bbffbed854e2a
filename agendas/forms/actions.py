"""Forms for plans, actions and progress updates.

The edit forms carry the revision of the object they were opened on, as a hidden field; the
service hands it to `agendas.history.save_edit`, which refuses the save when someone else
saved in between. The location of an action (a point, and perhaps a drawn area) must lie in
the wijken of its agenda: `areas.forms_location.LocatedForm` checks it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Wijkagenda
from areas.forms import DrawnAreaField
from areas.forms_location import LocatedForm
from areas.models import Wijk
from areas.widgets import AreaDrawWidget
from pacts.models import PartnerOrganisation
from web.forms import (
    DateInput,
    EditForm,
    PlainLanguageTextarea,
    RevisionField,
    StyledModelForm,
    field_of,
)
from web.submits import SubmitTokenField

# A plan or period outside these years is a typing error, not a plan.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
LONGEST_PLAN_YEARS = 10


def as_percentage(field: forms.Field) -> None:
    """One message for any progress outside 0–100 (from `clean_progress`), not the generic
    minimum message of a positive integer field."""
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, MinValueValidator | MaxValueValidator)
    ]
    field.widget.attrs.update(min=0, max=100)


def in_sensible_years(value: dt.date | dt.datetime | None) -> None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )


class PlanForm(EditForm):
    revision = RevisionField()

    class Meta:
        model = Plan
        fields = ["title", "description", "period_start", "period_end"]
        widgets = {
            "description": PlainLanguageTextarea(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_period_start(self) -> dt.date:
        value = self.cleaned_data["period_start"]
        in_sensible_years(value)
        return value

    def clean_period_end(self) -> dt.date:
        value = self.cleaned_data["period_end"]
        in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The end of the period lies before its start."))
            elif end.year - start.year > LONGEST_PLAN_YEARS:
                self.add_error(
                    "period_end",
                    _("A plan covers at most %(years)s years.") % {"years": LONGEST_PLAN_YEARS},
                )
        return cleaned


class ActionForm(LocatedForm):
    revision = RevisionField()

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "agenda_item",
            "owner_organisation",
            "contact_name",
            "contact_email",
            "start_date",
            "due_date",
            "status",
            "progress",
            "budget",
            "longitude",
            "latitude",
            "area",
        ]
        field_classes = {"area": DrawnAreaField}
        widgets = {
            "description": PlainLanguageTextarea(),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "area": AreaDrawWidget(wijken_id="picker-wijken"),
        }
        help_texts = {
            "longitude": _("For example 5.0913. Pick the point on the map, or type it."),
            "latitude": _("For example 51.5606."),
            "area": _(
                "Optional, for an action that covers an area: draw it on the map. Without "
                "a location, the point is set in the middle of the area."
            ),
        }

    def __init__(self, *args: Any, wijkagenda: Wijkagenda, **kwargs: Any) -> None:
        self.wijkagenda = wijkagenda
        super().__init__(*args, **kwargs)
        # Only the items of this agenda: an id of another agenda's item is not a valid choice.
        field_of(
            self, "agenda_item", forms.ModelChoiceField
        ).queryset = AgendaItem.objects.for_wijkagenda(wijkagenda).for_list()
        field_of(
            self, "owner_organisation", forms.ModelChoiceField
        ).queryset = PartnerOrganisation.objects.order_by("name")
        as_percentage(self.fields["progress"])
        self.fields["budget"].widget.attrs["min"] = 0
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def allowed_wijken(self) -> QuerySet[Wijk]:
        return self.wijkagenda.wijken.all()

    def outside_message(self) -> str:
        return str(_("This location lies outside the wijken of this agenda."))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress

    def clean_budget(self) -> Any:
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("A budget cannot be negative."), code="negative")
        return budget

    def clean_start_date(self) -> dt.date | None:
        value = self.cleaned_data["start_date"]
        in_sensible_years(value)
        return value

    def clean_due_date(self) -> dt.date | None:
        value = self.cleaned_data["due_date"]
        in_sensible_years(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date lies before the start date."))
        return cleaned


class ActionStatusForm(EditForm):
    """The status and progress of an action, edited in place."""

    revision = RevisionField()

    class Meta:
        model = Action
        fields = ["status", "progress"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        as_percentage(self.fields["progress"])

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress


class ProgressUpdateForm(StyledModelForm):
    """A report on an action; it also moves the action to the new status and progress.

    `revision` is the action's revision: a report made on an action that someone changed in
    the meantime is refused like any other stale edit.
    """

    revision = RevisionField()
    # Sent twice (a double click, a resend), the report is stored once.
    submit_token = SubmitTokenField()

    class Meta:
        model = ProgressUpdate
        fields = ["text", "status", "progress", "is_result"]
        help_texts = {
            "is_result": _("Shown on the wijk page and the agenda as a result to celebrate."),
        }

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = action.revision
        # A report starts from where the action stands. The new, empty update's own values
        # (no status, no progress) are in `self.initial` and would win over a field's initial.
        if self.instance.pk is None:
            self.initial.update(status=action.status, progress=action.progress)
        as_percentage(self.fields["progress"])

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write what happened."), code="required")
        return text

    def clean_progress(self) -> int:
        progress = self.cleaned_data["progress"]
        if not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress lies between 0 and 100%."), code="range")
        return progress
