"""The form behind every follow button: which object, and the page to return to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FollowForm(forms.Form):
    """A wijk, a wijkagenda, a proposal or an initiative, by kind and id."""

    type = forms.ChoiceField(
        choices=[
            ("wijk", _("wijk")),
            ("wijkagenda", _("wijkagenda")),
            ("proposal", _("proposal")),
            ("initiative", _("initiative")),
        ]
    )
    id = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=500)
