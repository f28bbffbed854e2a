"""The form that starts a progress report: which kind of period, and a day in it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import Report


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Report.Period.choices)
    start = forms.DateField(
        label=_("Starting"),
        help_text=_("A day in the month, quarter or year; the report covers all of it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
