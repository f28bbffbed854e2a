"""The form that starts a progress report: which kind of period, and a day in it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from agendas.forms.actions import in_sensible_years
from followup.models import Report


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Report.Period.choices)
    start = forms.DateField(
        label=_("Starting"),
        help_text=_("A day in the month, quarter or year; the report covers all of it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_start(self) -> dt.date:
        # Years the portal's plans can be in. Beyond them lies the end of the calendar, where
        # the period's bounds overflowed (a 500 for a December of the year 9999).
        day: dt.date = self.cleaned_data["start"]
        in_sensible_years(day)
        return day
