"""The forms of the portal's own pages: the follow button (which object, and the page to
return to) and the search."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Gebiedsteam, Wijk
from portal.search import KINDS
from web.forms import NameChoiceField
from web.search import MAX_QUERY_LENGTH


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


class SearchForm(forms.Form):
    """What to search for, and optionally where and of which kind (GET: the address is the
    search, so it can be shared, bookmarked and cached)."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters, not %(show_value)d.")
        },
    )
    gebied = NameChoiceField(
        label=_("Gebied"),
        queryset=Gebiedsteam.objects.defer("outline").order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All gebieden"),
        error_messages={"invalid_choice": _("There is no gebied with that name.")},
    )
    wijk = NameChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.for_list().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All wijken and dorpen"),
        error_messages={"invalid_choice": _("There is no wijk with that name.")},
    )
    soort = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Everything")), *((kind.key, kind.label) for kind in KINDS)],
        required=False,
        error_messages={"invalid_choice": _("The search does not know that kind.")},
    )
