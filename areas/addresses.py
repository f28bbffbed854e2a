"""Dutch addresses to points, through the PDOK Locatieserver.

Residents find their wijk by postcode and house number, or by typing an address and picking
a suggestion. This module checks what they typed, asks the Locatieserver (`/free` for a
postcode and number, `/suggest` while typing, `/lookup` for a chosen suggestion) and turns
its Solr-shaped answers into small frozen dataclasses. It knows nothing of wijken: which
wijk holds the point is `areas.locate`'s work.

Answers are cached (Django's cache, keyed by a hash of the request), because residents ask
for the same addresses again and the service is outside our control. Only usable answers
are cached, "nothing found" included; a failure is never cached, so the next request tries
again. Every kind of failure (no connection, a timeout, a status other than 200, an answer
that is not the expected JSON) is one `LocatieserverUnavailable`, which the pages answer
with a way around it: the list of wijken and the map.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from areas.geometry import GeometryError, check_point

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Four digits (the first not 0) and two letters. PostNL does not use SA, SD and SS.
POSTCODE = re.compile(r"^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$")
HOUSE_NUMBER = re.compile(r"^(?P<number>[0-9]+)\s*(?P<rest>.*)$")
# What follows the number: a house letter, an addition, or both ("12a", "12-3", "12 a 3").
HOUSE_LETTER = re.compile(r"^[A-Z]$")
LETTER_AND_ADDITION = re.compile(r"^(?P<letter>[A-Z])[\s\-/]+(?P<addition>[A-Z0-9]{1,4})$")
ADDITION = re.compile(r"^[A-Z0-9]{1,4}$")
HIGHEST_HOUSE_NUMBER = 99999
# PDOK's address ids: "adr-" and 32 hexadecimal digits.
ADDRESS_ID = re.compile(r"^adr-[0-9a-f]{32}$")
POINT = re.compile(r"^POINT\s*\(\s*(?P<lon>[-+0-9.eE]+)\s+(?P<lat>[-+0-9.eE]+)\s*\)$")

SUGGEST_MIN_LENGTH = 3
SUGGEST_MAX_LENGTH = 100
SUGGEST_ROWS = 7
# The fields an address answer needs (the Locatieserver sends many more unless told).
ADDRESS_FIELDS = (
    "id,weergavenaam,centroide_ll,postcode,huisnummer,huisletter,huisnummertoevoeging,"
    "woonplaatsnaam,gemeentecode"
)
CACHE_PREFIX = "wijkportaal:locatieserver:"


class AddressError(ValueError):
    """What a person typed is not an address we can look up; the message says why.

    `field` names the form field it belongs to (postcode, huisnummer, toevoeging, q or id).
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LocatieserverUnavailable(Exception):
    """The Locatieserver could not answer: down, too slow, or an answer we cannot read."""


@dataclass(frozen=True)
class HouseNumber:
    """A house number as the BAG writes it: the number, a house letter and an addition."""

    number: int
    letter: str = ""
    addition: str = ""

    def __str__(self) -> str:
        text = f"{self.number}{self.letter}"
        return f"{text}-{self.addition}" if self.addition else text


@dataclass(frozen=True)
class Address:
    """An address the Locatieserver found, with its point in WGS84."""

    id: str
    label: str
    lon: float
    lat: float
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""
    place: str = ""
    municipality_code: str = ""


@dataclass(frozen=True)
class Suggestion:
    """One suggestion while typing: the id to look up and the text to show."""

    id: str
    label: str


def normalise_postcode(text: str) -> str:
    """The postcode in the form 1234AB, or AddressError saying what a postcode looks like.

    Spaces and lower case are accepted: "5038 ta" becomes "5038TA".
    """
    postcode = "".join(str(text).split()).upper()
    if not postcode:
        raise AddressError(_("Enter your postcode."), field="postcode")
    if not POSTCODE.match(postcode):
        raise AddressError(
            _(
                "This is not a Dutch postcode. A postcode has four numbers and two "
                "letters, for example 5038 TC."
            ),
            field="postcode",
        )
    return postcode


def parse_house_number(text: str, addition: str = "") -> HouseNumber:
    """A house number from what a person typed: "12", "12a", "12-3", "12 a 3" or "12 bis".

    `addition` is the separate addition field of a form; one letter there is a house
    letter, as on most Dutch forms. Raises AddressError with a message for the person.
    """
    number_text = " ".join(str(text).split()).upper()
    addition_text = " ".join(str(addition).split()).upper()
    if not number_text:
        raise AddressError(_("Enter your house number."), field="huisnummer")
    match = HOUSE_NUMBER.match(number_text)
    if match is None:
        raise AddressError(
            _("A house number starts with a number, for example 12 or 12a."),
            field="huisnummer",
        )
    number = int(match["number"])
    if not 1 <= number <= HIGHEST_HOUSE_NUMBER:
        raise AddressError(
            _("A house number lies between 1 and %(highest)s.") % {"highest": HIGHEST_HOUSE_NUMBER},
            field="huisnummer",
        )
    rest = match["rest"].lstrip(" -/")
    if rest and addition_text:
        raise AddressError(
            _("Write the addition either after the house number or in its own field."),
            field="toevoeging",
        )
    extra, field = (rest, "huisnummer") if rest else (addition_text.lstrip(" -/"), "toevoeging")
    if not extra:
        return HouseNumber(number)
    if HOUSE_LETTER.match(extra):
        return HouseNumber(number, letter=extra)
    if both := LETTER_AND_ADDITION.match(extra):
        return HouseNumber(number, letter=both["letter"], addition=both["addition"])
    if ADDITION.match(extra):
        return HouseNumber(number, addition=extra)
    raise AddressError(
        _("An addition is a letter or at most four letters and numbers, for example 12a or 12-3."),
        field=field,
    )


def normalise_query(text: str) -> str:
    """Typed text for suggestions, with its spaces tidied; AddressError when too long."""
    query = " ".join(str(text).split())
    if len(query) > SUGGEST_MAX_LENGTH:
        raise AddressError(
            _("Type at most %(count)s characters of the address.") % {"count": SUGGEST_MAX_LENGTH},
            field="q",
        )
    return query


def check_address_id(text: str) -> str:
    """A Locatieserver address id, as suggestions give them, or AddressError."""
    address_id = str(text).strip()
    if not ADDRESS_ID.match(address_id):
        raise AddressError(
            _("This link to an address is not valid. Search for the address again."),
            field="id",
        )
    return address_id


def municipality_filter() -> str | None:
    """The Locatieserver's code of our municipality ("0855" for GM0855), if set."""
    code = str(settings.WIJKPORTAAL_MUNICIPALITY_CODE)
    return code[2:] if re.match(r"^GM[0-9]{4}$", code) else None


def find_address(postcode: str, number: str | int, addition: str = "") -> Address | None:
    """The address at a postcode and house number, or None when there is none.

    The input is checked first (AddressError); LocatieserverUnavailable when the service
    cannot answer.
    """
    code = normalise_postcode(postcode)
    house = parse_house_number(str(number), addition)
    filters = [f"postcode:{code}", f"huisnummer:{house.number}", "type:adres"]
    if house.letter:
        filters.append(f"huisletter:{house.letter}")
    if house.addition:
        filters.append(f"huisnummertoevoeging:{house.addition}")
    params: list[tuple[str, str]] = [("fq", f) for f in filters]
    params += [("rows", "10"), ("fl", ADDRESS_FIELDS)]
    found = _cached_query("free", params, _addresses)
    return _best_match(found, house)


def suggest(text: str) -> list[Suggestion]:
    """Up to seven addresses in our municipality that match what a person is typing.

    Text shorter than three characters gets no suggestions (and no request); text longer
    than a hundred is an AddressError.
    """
    query = normalise_query(text)
    if len(query) < SUGGEST_MIN_LENGTH:
        return []
    params = [("q", query.lower()), ("fq", "type:adres")]
    if code := municipality_filter():
        params.append(("fq", f"gemeentecode:{code}"))
    params += [("rows", str(SUGGEST_ROWS)), ("fl", "id,weergavenaam,type")]
    return list(_cached_query("suggest", params, _suggestions))


def lookup(address_id: str) -> Address | None:
    """The address with this id (from a suggestion), or None when the id is unknown."""
    checked = check_address_id(address_id)
    found = _cached_query("lookup", [("id", checked), ("fl", ADDRESS_FIELDS)], _addresses)
    return found[0] if found else None


def _best_match(found: Sequence[Address], house: HouseNumber) -> Address | None:
    """The exact address, else the plain number: "12" means 12, not 12A, when both exist."""
    if not found:
        return None
    for address in found:
        if address.house_letter == house.letter and address.addition == house.addition:
            return address
    return found[0]


def _cached_query(
    endpoint: str,
    params: Sequence[tuple[str, str]],
    parse: Callable[[Sequence[Any]], tuple[T, ...]],
) -> tuple[T, ...]:
    """Ask the Locatieserver, or the cache; parse the documents of a usable answer.

    The key hashes the endpoint and its parameters, which the callers have normalised, so
    "5038 tc" and "5038TC" share one entry. Only a parsed answer is stored.
    """
    base = str(settings.WIJKPORTAAL_LOCATIESERVER_URL).rstrip("/")
    url = f"{base}/{endpoint}?{urllib.parse.urlencode(params)}"
    key = CACHE_PREFIX + hashlib.sha256(url.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return tuple(cached)
    docs = _fetch_docs(url)
    result = parse(docs)
    cache.set(key, result, timeout=int(settings.WIJKPORTAAL_LOCATIESERVER_CACHE_SECONDS))
    return result


def _fetch_docs(url: str) -> list[Any]:
    """The `response.docs` of a Locatieserver answer, or LocatieserverUnavailable."""
    timeout = float(settings.WIJKPORTAAL_LOCATIESERVER_TIMEOUT)
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "Wijkportaal address search"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        logger.warning("The Locatieserver answered %s for %s", exc.code, url)
        raise LocatieserverUnavailable(f"The Locatieserver answered {exc.code}.") from exc
    except (OSError, http.client.HTTPException) as exc:
        # URLError, a timeout, a refused or reset connection, or an answer cut off.
        reason = getattr(exc, "reason", exc)
        logger.warning("The Locatieserver could not be reached at %s: %s", url, reason)
        raise LocatieserverUnavailable(f"The Locatieserver could not be reached: {reason}") from exc
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        logger.warning("The Locatieserver did not answer with JSON for %s", url)
        raise LocatieserverUnavailable("The Locatieserver did not answer with JSON.") from exc
    envelope = data.get("response") if isinstance(data, dict) else None
    docs = envelope.get("docs") if isinstance(envelope, dict) else None
    if not isinstance(docs, list):
        logger.warning("The Locatieserver's answer has no response.docs for %s", url)
        raise LocatieserverUnavailable("The Locatieserver's answer has no list of documents.")
    return docs


def _addresses(docs: Sequence[Any]) -> tuple[Address, ...]:
    return tuple(_address(doc) for doc in docs)


def _address(doc: Any) -> Address:
    if not isinstance(doc, Mapping):
        raise LocatieserverUnavailable("A document of the Locatieserver is not an object.")
    lon, lat = _point(doc.get("centroide_ll"))
    number = doc.get("huisnummer")
    return Address(
        id=_required_text(doc, "id"),
        label=_required_text(doc, "weergavenaam"),
        lon=lon,
        lat=lat,
        postcode=_text(doc.get("postcode")),
        house_number=number if isinstance(number, int) and not isinstance(number, bool) else None,
        house_letter=_text(doc.get("huisletter")).upper(),
        addition=_text(doc.get("huisnummertoevoeging")).upper(),
        place=_text(doc.get("woonplaatsnaam")),
        municipality_code=_text(doc.get("gemeentecode")),
    )


def _suggestions(docs: Sequence[Any]) -> tuple[Suggestion, ...]:
    found: list[Suggestion] = []
    for doc in docs:
        if not isinstance(doc, Mapping):
            raise LocatieserverUnavailable("A suggestion of the Locatieserver is not an object.")
        found.append(
            Suggestion(id=_required_text(doc, "id"), label=_required_text(doc, "weergavenaam"))
        )
    return tuple(found)


def _point(value: Any) -> tuple[float, float]:
    """(lon, lat) from the Locatieserver's WKT point, "POINT(5.08466 51.55939)"."""
    match = POINT.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise LocatieserverUnavailable(f"An address came without a valid point: {value!r}.")
    try:
        return check_point(match["lon"], match["lat"])
    except GeometryError as exc:
        raise LocatieserverUnavailable(
            f"An address came with a point out of range: {value!r}."
        ) from exc


def _required_text(doc: Mapping[str, Any], name: str) -> str:
    value = _text(doc.get(name))
    if not value:
        raise LocatieserverUnavailable(f"A document of the Locatieserver has no {name}.")
    return value


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""
