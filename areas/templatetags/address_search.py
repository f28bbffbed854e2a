"""The "find my wijk by address" forms, for any page: `{% address_search %}`.

The pages that show the forms (home, the list of wijken, the error pages) have views of
their own that know nothing of addresses; this tag brings empty forms, and the address page
passes its bound ones, with their errors.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from areas.forms_address import AddressSearchForm, PostcodeForm

register = template.Library()


@register.inclusion_tag("areas/_address_search.html")
def address_search(
    postcode_form: PostcodeForm | None = None,
    search_form: AddressSearchForm | None = None,
    heading_level: int = 2,
) -> dict[str, Any]:
    """Both address forms; `heading_level` fits their headings into the page's outline."""
    return {
        "postcode_form": postcode_form or PostcodeForm(),
        "search_form": search_form or AddressSearchForm(),
        "heading_level": heading_level if heading_level in (2, 3, 4) else 2,
        "find_url": reverse("areas:address-find"),
        "suggest_url": reverse("areas:address-suggest"),
    }
