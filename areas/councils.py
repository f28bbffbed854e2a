"""A council member's own choice to be named on the public page of their wijkraad or
dorpsraad (`CouncilMembership.shown_publicly`), asked on "My account"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from areas.models import CouncilMembership
from web.forms import CheckboxList, StyledForm

if TYPE_CHECKING:
    from accounts.models import User


class CouncilVisibilityForm(StyledForm):
    """The councils of the user on whose public page their name is shown: one box each.
    A membership that is not the user's own is refused (a 400), never saved."""

    shown = forms.ModelMultipleChoiceField(
        label=_("Show my name on the public page of"),
        queryset=CouncilMembership.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text=_("Your name and your role are shown; never your e-mail address."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        memberships = list(
            CouncilMembership.objects.filter(user_id=user.pk)
            .select_related("wijkraad")
            .order_by("wijkraad__name", "pk")
        )
        kwargs.setdefault("initial", {"shown": [m.pk for m in memberships if m.shown_publicly]})
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        field = self.fields["shown"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = CouncilMembership.objects.filter(user_id=user.pk)
        # The choices from the list already loaded, not one more query when rendering.
        field.choices = [(m.pk, m.wijkraad.name) for m in memberships]


@transaction.atomic
def set_shown_publicly(form: CouncilVisibilityForm) -> None:
    """Save the choice of a valid form: each membership saved (not a bulk update) so the
    page cache notices the change."""
    chosen = {membership.pk for membership in form.cleaned_data["shown"]}
    for membership in form.memberships:
        shown = membership.pk in chosen
        if membership.shown_publicly != shown:
            membership.shown_publicly = shown
            membership.save(update_fields=["shown_publicly", "updated_at"])
