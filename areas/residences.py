"""The wijk a resident lives in: chosen from the list, or found by postcode and house number.

Only the wijk is kept (`Residence`). The postcode and house number go to the address search
(areas.addresses, the PDOK Locatieserver) and the point it answers goes to the in-process
boundary index (areas.locate); neither the address nor the point is saved or logged. When
the address search cannot answer, the form says so and the list of wijken still works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from areas.addresses import (
    AddressError,
    LocatieserverUnavailable,
    find_address,
    municipality_filter,
)
from areas.forms_address import PostcodeForm
from areas.locate import locate_buurt, locate_wijk
from areas.models import Buurt, Residence, Wijk
from web.forms import StyledForm, field_of

if TYPE_CHECKING:
    from accounts.models import User


def home_wijk(user: User) -> Wijk | None:
    """The wijk the user lives in, or None when they did not say (one query)."""
    residence = Residence.objects.select_related("wijk").filter(user_id=user.pk).first()
    return residence.wijk if residence else None


@transaction.atomic
def set_home_wijk(*, user: User, wijk: Wijk | None) -> None:
    """Keep `wijk` as the one the user lives in; None forgets it."""
    if wijk is None:
        Residence.objects.filter(user_id=user.pk).delete()
        return
    Residence.objects.update_or_create(user=user, defaults={"wijk": wijk})


def wijk_of_point(lon: float, lat: float) -> Wijk | None:
    """The wijk that holds a point: by the wijk boundaries, else by the buurt's wijk."""
    slug = locate_wijk(lon, lat)
    wijk = Wijk.objects.filter(slug=slug).first() if slug else None
    if wijk is None:
        code = locate_buurt(lon, lat)
        buurt = Buurt.objects.select_related("wijk").filter(code=code).first() if code else None
        wijk = buurt.wijk if buurt else None
    return wijk


class HomeWijkForm(StyledForm):
    """The wijk where one lives, optional: chosen from the list, or found by postcode and
    house number (which then win over the list). `cleaned_data["wijk"]` is the wijk or None.
    """

    wijk = forms.ModelChoiceField(
        label=_("Wijk where you live"),
        queryset=Wijk.objects.none(),
        required=False,
        empty_label=_("I would rather not say"),
        help_text=_("Optional. Choose from the list, or fill in your postcode below."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        help_text=_("Optional. Only used to find your wijk, then forgotten."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "size": "8"}
        ),
    )
    huisnummer = forms.CharField(
        label=_("House number"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "6"}),
    )
    toevoeging = forms.CharField(
        label=_("Addition"),
        required=False,
        help_text=_("Optional, for example A or 2."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": "6"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "wijk", forms.ModelChoiceField).queryset = Wijk.objects.order_by(
            "name", "pk"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        postcode = (cleaned.get("postcode") or "").strip()
        number = (cleaned.get("huisnummer") or "").strip()
        if not postcode and not number:
            return cleaned
        address_form = PostcodeForm(
            {"postcode": postcode, "huisnummer": number, "toevoeging": cleaned.get("toevoeging")}
        )
        if not address_form.is_valid():
            for name, errors in address_form.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
            return cleaned
        house = address_form.cleaned_data["house_number"]
        extra = f"{house.letter} {house.addition}".strip()
        try:
            address = find_address(address_form.cleaned_data["postcode"], house.number, extra)
        except (LocatieserverUnavailable, AddressError):
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "We cannot look up addresses right now. Choose your wijk from the "
                        "list instead, and leave the postcode empty."
                    ),
                    code="lookup_unavailable",
                ),
            )
            return cleaned
        ours = municipality_filter()
        outside = ours and address and address.municipality_code not in ("", ours)
        wijk = wijk_of_point(address.lon, address.lat) if address and not outside else None
        if wijk is None:
            self.add_error(
                "postcode",
                forms.ValidationError(
                    _(
                        "We found no wijk of %(municipality)s at this postcode and house "
                        "number. Check them, or choose your wijk from the list."
                    ),
                    code="no_wijk",
                    params={"municipality": settings.WIJKPORTAAL_MUNICIPALITY_NAME},
                ),
            )
            return cleaned
        cleaned["wijk"] = wijk
        return cleaned
