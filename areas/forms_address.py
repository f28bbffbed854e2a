"""The forms a resident finds their wijk with: postcode and house number, or an address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.addresses import (
    SUGGEST_MAX_LENGTH,
    SUGGEST_MIN_LENGTH,
    AddressError,
    normalise_postcode,
    normalise_query,
    parse_house_number,
)
from web.forms import StyledForm

# Ids that do not clash with the other forms on the pages that show these (the wijk search
# on the list of wijken also has a field named q).
AUTO_ID = "address-%s"


class PostcodeForm(StyledForm):
    """Postcode, house number and an optional addition; cleaned into `house_number`."""

    postcode = forms.CharField(
        label=_("Postcode"),
        error_messages={"required": _("Enter your postcode.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "10",
                "size": "8",
            }
        ),
    )
    huisnummer = forms.CharField(
        label=_("House number"),
        error_messages={"required": _("Enter your house number.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "20", "size": "6"}),
    )
    toevoeging = forms.CharField(
        label=_("Addition"),
        required=False,
        help_text=_("Optional, for example A or 2."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "maxlength": "10", "size": "6"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except AddressError as exc:
            raise ValidationError(exc.message, code="invalid_postcode") from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "huisnummer" in self.errors or "toevoeging" in self.errors:
            return cleaned
        try:
            cleaned["house_number"] = parse_house_number(
                cleaned.get("huisnummer", ""), cleaned.get("toevoeging", "")
            )
        except AddressError as exc:
            self.add_error(exc.field, ValidationError(exc.message, code="invalid_house_number"))
        return cleaned


class AddressSearchForm(StyledForm):
    """An address as free text (street, number, place), for a list of suggestions."""

    q = forms.CharField(
        label=_("Address"),
        help_text=_("Street and house number, for example Stadhuisplein 130."),
        error_messages={"required": _("Type your address.")},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "address-line1",
                "maxlength": str(SUGGEST_MAX_LENGTH),
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def clean_q(self) -> str:
        try:
            query = normalise_query(self.cleaned_data["q"])
        except AddressError as exc:
            raise ValidationError(exc.message, code="too_long") from exc
        if len(query) < SUGGEST_MIN_LENGTH:
            raise ValidationError(
                _("Type at least %(count)s characters of your address.")
                % {"count": SUGGEST_MIN_LENGTH},
                code="too_short",
            )
        return query
