from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from areas.addresses import (
    Address,
    AddressError,
    HouseNumber,
    LocatieserverUnavailable,
    Suggestion,
    check_address_id,
    find_address,
    lookup,
    normalise_postcode,
    normalise_query,
    parse_house_number,
    suggest,
)
from areas.locate import locate_wijk

pytestmark = [pytest.mark.django_db, pytest.mark.english]

FIND = reverse("areas:address-find")
SUGGEST = reverse("areas:address-suggest")
POINT = reverse("areas:address-point")

STADHUIS = "adr-a16dd3605acc25073f4940f4475a1576"
CORELLI_10 = "adr-3910ab996acf43bb523e474e4e4669a7"
CORELLI_10_2 = "adr-d03a455a5f3ac303d9b4ab6fd81a3e48"
BREDA = "adr-c2b9a46d29257b43ce4094fadd6aa3f6"
UNKNOWN = "adr-00000000000000000000000000000000"

NOT_A_POSTCODE = (
    "This is not a Dutch postcode. A postcode has four numbers and two letters, "
    "for example 5038 TC."
)
NOT_A_NUMBER = "A house number starts with a number, for example 12 or 12a."
BAD_ADDITION = (
    "An addition is a letter or at most four letters and numbers, for example 12a or 12-3."
)
UNAVAILABLE = "The address search is not available right now. Try again later."
FIELDS = (
    "id,weergavenaam,centroide_ll,postcode,huisnummer,huisletter,huisnummertoevoeging,"
    "woonplaatsnaam,gemeentecode"
)

# Six Tilburg addresses of the recorded answers: postcode, number → wijk, buurt.
TILBURG_ADDRESSES = [
    ("5038 TC", "130", "", "wk085510", "BU08551002"),  # Stadhuisplein, Binnenstad
    ("5038gp", "81", "", "wk085520", "BU08552002"),  # Boomstraat, Noordhoek
    ("5046AE", "13", "", "wk085523", "BU08552301"),  # Textielplein, De Hasselt
    ("5045CN", "10", "2", "wk085542", "BU08554206"),  # Corellistraat, Stokhasselt
    ("5044KE", "1", "", "wk085550", "BU08555001"),  # Kerkenbosplaats, Heyhoef
    ("5056HA", "1a", "", "wk085566", "BU08556610"),  # Koningsoord, Berkel-Enschot
]


@pytest.fixture
def closed_port_url() -> str:
    """A base URL on a local port that nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/bzk/locatieserver/search/v3_1"


def main_text(response: Any) -> str:
    """The visible text of the page's <main>, with its whitespace collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def h1(response: Any) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match is not None
    return match.group(1).strip()


def field_errors(response: Any) -> dict[str, list[str]]:
    return {
        name: list(errors)
        for form in (response.context["postcode_form"], response.context["search_form"])
        for name, errors in form.errors.items()
    }


def alternatives(response: Any) -> list[tuple[str, str]]:
    html = response.content.decode()
    block = html[html.index('<ul class="address-alternatives">') :]
    block = block[: block.index("</ul>")]
    return re.findall(r'href="([^"]+)">([^<]+)</a>', block)


ALTERNATIVES = [
    ("/wijken/", "Choose your wijk from the list"),
    ("/wijken/#kaart", "Choose a place on the map"),
]


# Postcodes and house numbers


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("5038TC", "5038TC"),
        ("5038 ta", "5038TA"),
        (" 5038\tTa ", "5038TA"),
        ("1000AA", "1000AA"),
        ("9999ZZ", "9999ZZ"),
        ("5038SB", "5038SB"),
    ],
)
def test_normalise_postcode_accepts_dutch_postcodes(text, postcode):
    assert normalise_postcode(text) == postcode


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your postcode."),
        ("   ", "Enter your postcode."),
        ("0123AB", NOT_A_POSTCODE),
        ("5038SA", NOT_A_POSTCODE),
        ("5038 sd", NOT_A_POSTCODE),
        ("5038SS", NOT_A_POSTCODE),
        ("503TC", NOT_A_POSTCODE),
        ("5038T", NOT_A_POSTCODE),
        ("5038T1", NOT_A_POSTCODE),
        ("5038TCX", NOT_A_POSTCODE),
        ("TC5038", NOT_A_POSTCODE),
        ("5038-TC", NOT_A_POSTCODE),
        ("５０３８TC", NOT_A_POSTCODE),
    ],
)
def test_normalise_postcode_refuses_what_is_no_postcode(text, message):
    with pytest.raises(AddressError) as info:
        normalise_postcode(text)

    assert (info.value.message, info.value.field) == (message, "postcode")


@pytest.mark.parametrize(
    ("text", "addition", "house"),
    [
        ("12", "", HouseNumber(12)),
        (" 12 ", "", HouseNumber(12)),
        ("012", "", HouseNumber(12)),
        ("12a", "", HouseNumber(12, letter="A")),
        ("12 A", "", HouseNumber(12, letter="A")),
        ("12-3", "", HouseNumber(12, addition="3")),
        ("12 bis", "", HouseNumber(12, addition="BIS")),
        ("12a-3", "", HouseNumber(12, letter="A", addition="3")),
        ("12 a 3", "", HouseNumber(12, letter="A", addition="3")),
        ("12", "a", HouseNumber(12, letter="A")),
        ("12", "2", HouseNumber(12, addition="2")),
        ("12", "-2", HouseNumber(12, addition="2")),
        ("12", "A 2", HouseNumber(12, letter="A", addition="2")),
        ("1", "", HouseNumber(1)),
        ("99999", "", HouseNumber(99999)),
    ],
)
def test_parse_house_number_reads_number_letter_and_addition(text, addition, house):
    assert parse_house_number(text, addition) == house


@pytest.mark.parametrize(
    ("text", "addition", "message", "field"),
    [
        ("", "", "Enter your house number.", "huisnummer"),
        ("twaalf", "", NOT_A_NUMBER, "huisnummer"),
        ("a12", "", NOT_A_NUMBER, "huisnummer"),
        ("-12", "", NOT_A_NUMBER, "huisnummer"),
        ("0", "", "A house number lies between 1 and 99999.", "huisnummer"),
        ("100000", "", "A house number lies between 1 and 99999.", "huisnummer"),
        ("12-abcde", "", BAD_ADDITION, "huisnummer"),
        ("12 a b c", "", BAD_ADDITION, "huisnummer"),
        ("12", "abcde", BAD_ADDITION, "toevoeging"),
        ("12", "#", BAD_ADDITION, "toevoeging"),
        (
            "12a",
            "b",
            "Write the addition either after the house number or in its own field.",
            "toevoeging",
        ),
    ],
)
def test_parse_house_number_refuses_what_is_no_house_number(text, addition, message, field):
    with pytest.raises(AddressError) as info:
        parse_house_number(text, addition)

    assert (info.value.message, info.value.field) == (message, field)


def test_house_number_reads_as_written():
    assert [
        str(HouseNumber(12)),
        str(HouseNumber(12, letter="A")),
        str(HouseNumber(12, addition="3")),
        str(HouseNumber(12, letter="A", addition="3")),
    ] == ["12", "12A", "12-3", "12A-3"]


def test_normalise_query_tidies_spaces_and_refuses_more_than_100_characters():
    assert normalise_query("  stadhuisplein   130 ") == "stadhuisplein 130"
    assert normalise_query("x" * 100) == "x" * 100
    with pytest.raises(AddressError) as info:
        normalise_query("x" * 101)
    assert (info.value.message, info.value.field) == (
        "Type at most 100 characters of the address.",
        "q",
    )


@pytest.mark.parametrize(
    "text", ["", "adr-123", "ADR-" + "a" * 32, "wpl-" + "a" * 32, "adr-" + "g" * 32]
)
def test_check_address_id_refuses_what_is_no_address_id(text):
    with pytest.raises(AddressError) as info:
        check_address_id(text)

    assert (
        info.value.message == "This link to an address is not valid. Search for the address again."
    )


# The Locatieserver client


def test_find_address_asks_the_free_endpoint_and_reads_the_answer(fake_locatieserver):
    address = find_address("5038 tc", "130")

    assert address == Address(
        id=STADHUIS,
        label="Stadhuisplein 130, 5038TC Tilburg",
        lon=5.08466,
        lat=51.55939,
        postcode="5038TC",
        house_number=130,
        place="Tilburg",
        municipality_code="0855",
    )
    assert fake_locatieserver.requests == [
        (
            "free",
            {
                "fq": ["postcode:5038TC", "huisnummer:130", "type:adres"],
                "rows": ["10"],
                "fl": [FIELDS],
            },
        )
    ]


def test_find_address_filters_on_letter_and_addition(fake_locatieserver):
    with_letter = find_address("5056HA", "1", "a")
    with_addition = find_address("5045CN", "10-2")

    assert (with_letter.label, with_letter.house_letter) == (
        "Koningsoord 1A, 5056HA Berkel-Enschot",
        "A",
    )
    assert (with_addition.id, with_addition.addition) == (CORELLI_10_2, "2")
    assert [query["fq"] for query in fake_locatieserver.requests_to("free")] == [
        ["postcode:5056HA", "huisnummer:1", "type:adres", "huisletter:A"],
        ["postcode:5045CN", "huisnummer:10", "type:adres", "huisnummertoevoeging:2"],
    ]


def test_find_address_without_addition_prefers_the_plain_number(fake_locatieserver):
    # The recorded answer lists 10-2 before 10.
    assert find_address("5045CN", "10").id == CORELLI_10


def test_find_address_without_addition_takes_another_one_when_there_is_no_plain_number(
    fake_locatieserver,
):
    assert find_address("5056HA", "1").label == "Koningsoord 1A, 5056HA Berkel-Enschot"


def test_find_address_that_does_not_exist_is_none(fake_locatieserver):
    assert find_address("5038TC", "131") is None


def test_find_address_checks_the_input_before_asking(fake_locatieserver):
    with pytest.raises(AddressError):
        find_address("5038SA", "1")
    with pytest.raises(AddressError):
        find_address("5038TC", "x")

    assert fake_locatieserver.requests == []


def test_find_address_is_cached_also_when_written_differently(fake_locatieserver):
    first = find_address("5038TC", "130")
    second = find_address("5038 tc", " 130 ")

    assert first == second
    assert len(fake_locatieserver.requests) == 1


def test_not_found_is_cached_too(fake_locatieserver):
    assert find_address("5038TC", "131") is None
    assert find_address("5038TC", "131") is None

    assert len(fake_locatieserver.requests) == 1


def test_cache_keeps_answers_for_the_configured_time(fake_locatieserver, settings):
    settings.WIJKPORTAAL_LOCATIESERVER_CACHE_SECONDS = 0
    find_address("5038TC", "130")
    find_address("5038TC", "130")

    # Django's cache takes a timeout of 0 as "expire at once".
    assert len(fake_locatieserver.requests) == 2


def test_suggest_asks_for_addresses_in_the_municipality(fake_locatieserver):
    found = suggest("  Corelli ")

    assert found == [
        Suggestion(id=CORELLI_10, label="Corellistraat 10, 5045CN Tilburg"),
        Suggestion(id=CORELLI_10_2, label="Corellistraat 10-2, 5045CN Tilburg"),
    ]
    assert fake_locatieserver.requests == [
        (
            "suggest",
            {
                "q": ["corelli"],
                "fq": ["type:adres", "gemeentecode:0855"],
                "rows": ["7"],
                "fl": ["id,weergavenaam,type"],
            },
        )
    ]


def test_suggest_is_cached(fake_locatieserver):
    suggest("stadhuisplein 130")
    suggest("Stadhuisplein  130")

    assert len(fake_locatieserver.requests) == 1


def test_suggest_for_fewer_than_three_characters_asks_nothing(fake_locatieserver):
    assert (suggest(""), suggest("ab"), suggest(" a  ")) == ([], [], [])
    assert fake_locatieserver.requests == []


def test_suggest_without_a_municipality_code_asks_the_whole_country(fake_locatieserver, settings):
    settings.WIJKPORTAAL_MUNICIPALITY_CODE = ""

    suggest("grote markt")

    assert fake_locatieserver.requests_to("suggest")[0]["fq"] == ["type:adres"]


def test_lookup_reads_the_address(fake_locatieserver):
    address = lookup(BREDA)

    assert (address.label, address.lon, address.lat, address.municipality_code) == (
        "Grote Markt 38, 4811XS Breda",
        4.77567,
        51.58876,
        "0758",
    )
    assert fake_locatieserver.requests == [("lookup", {"id": [BREDA], "fl": [FIELDS]})]


def test_lookup_of_an_unknown_id_is_none_and_cached(fake_locatieserver):
    assert lookup(UNKNOWN) is None
    assert lookup(UNKNOWN) is None

    assert len(fake_locatieserver.requests) == 1


@pytest.mark.parametrize(
    "fail",
    [
        (500, b'{"error": "Internal Server Error"}'),
        (503, b"Service Unavailable"),
        (400, b'{"title": "Unknown query parameter"}'),
        (200, b"<html>not json</html>"),
        (200, b'{"response": {"numFound": 0}}'),
        (200, b'{"response": {"docs": [{"id": "adr-1", "weergavenaam": "X"}]}}'),
        (
            200,
            b'{"response": {"docs": [{"id": "adr-1", "weergavenaam": "X", '
            b'"centroide_ll": "POINT(500 51)"}]}}',
        ),
        (200, b"[]"),
        (200, b'{"response": []}'),
        (200, b'{"response": {"docs": ["adr-1"]}}'),
    ],
)
def test_a_failed_or_unreadable_answer_is_unavailable_and_not_cached(fake_locatieserver, fail):
    fake_locatieserver.fail = fail
    with pytest.raises(LocatieserverUnavailable):
        find_address("5038TC", "130")
    fake_locatieserver.fail = None

    assert find_address("5038TC", "130").id == STADHUIS
    assert len(fake_locatieserver.requests) == 2


def test_a_server_that_hangs_is_unavailable_after_the_timeout(fake_locatieserver):
    fake_locatieserver.delay = 2.0

    with pytest.raises(LocatieserverUnavailable):
        suggest("stadhuisplein")


def test_a_server_that_is_not_there_is_unavailable(settings, closed_port_url):
    settings.WIJKPORTAAL_LOCATIESERVER_URL = closed_port_url
    cache.clear()

    with pytest.raises(LocatieserverUnavailable):
        lookup(STADHUIS)


# The page: postcode and house number


def test_address_page_shows_both_forms(client):
    response = client.get(FIND)
    html = response.content.decode()

    assert response.status_code == 200
    assert h1(response) == "Find my wijk by address"
    assert re.findall(r'<input type="[a-z]+" name="(\w+)"[^>]*autocomplete="([\w-]+)"', html) == [
        ("postcode", "postal-code"),
        ("q", "address-line1"),
    ]
    assert re.findall(r'name="huisnummer"[^>]*inputmode="(\w+)"', html) == ["numeric"]
    assert 'data-suggest-url="/wijken/adres/suggesties/"' in html


@pytest.mark.parametrize(("postcode", "number", "addition", "slug", "buurt"), TILBURG_ADDRESSES)
def test_postcode_and_number_lead_to_the_wijk_page_with_the_buurt(
    client, fake_locatieserver, tilburg_boundaries, postcode, number, addition, slug, buurt
):
    response = client.get(
        FIND, {"postcode": postcode, "huisnummer": number, "toevoeging": addition}
    )

    assert (response.status_code, response["Location"]) == (
        302,
        f"/wijken/{slug}/?buurt={buurt}",
    )


def test_the_recorded_points_lie_in_the_wijk_their_answer_names(
    fake_locatieserver, tilburg_boundaries
):
    found = {}
    for postcode, number, addition, _slug, _buurt in TILBURG_ADDRESSES:
        address = find_address(postcode, number, addition)
        found[address.label] = locate_wijk(address.lon, address.lat)

    assert found == {
        "Stadhuisplein 130, 5038TC Tilburg": "wk085510",
        "Boomstraat 81, 5038GP Tilburg": "wk085520",
        "Textielplein 13, 5046AE Tilburg": "wk085523",
        "Corellistraat 10-2, 5045CN Tilburg": "wk085542",
        "Kerkenbosplaats 1, 5044KE Tilburg": "wk085550",
        "Koningsoord 1A, 5056HA Berkel-Enschot": "wk085566",
    }


def test_a_point_in_a_buurt_but_outside_its_wijk_leaves_the_buurt_out(
    client, fake_locatieserver, tilburg_boundaries
):
    from areas.models import Buurt, Wijk

    # The buurt now claims another wijk than the one the wijk boundaries say.
    Buurt.objects.filter(code="BU08551002").update(wijk=Wijk.objects.get(code="WK085520"))

    response = client.get(FIND, {"postcode": "5038TC", "huisnummer": "130"})

    assert (response.status_code, response["Location"]) == (302, "/wijken/wk085510/")


def test_bad_postcode_and_number_are_field_errors_with_a_summary(client, fake_locatieserver):
    response = client.get(FIND, {"postcode": "5038 SA", "huisnummer": "twaalf"})
    html = response.content.decode()

    assert response.status_code == 400
    assert field_errors(response) == {"postcode": [NOT_A_POSTCODE], "huisnummer": [NOT_A_NUMBER]}
    assert (
        re.findall(r'<ul class="error-summary__list">(.*?)</ul>', html, re.S)[0].count("<li>") == 2
    )
    assert re.findall(r'href="#(address-[a-z]+)">', html)[:2] == [
        "address-postcode",
        "address-huisnummer",
    ]
    assert re.findall(r'aria-describedby="([^"]+)" id="address-(postcode|huisnummer)"', html) == [
        ("address-postcode_error", "postcode"),
        ("address-huisnummer_error", "huisnummer"),
    ]
    assert fake_locatieserver.requests == []


def test_empty_postcode_form_asks_for_both(client, fake_locatieserver):
    response = client.get(FIND, {"postcode": "", "huisnummer": ""})

    assert response.status_code == 400
    assert field_errors(response) == {
        "postcode": ["Enter your postcode."],
        "huisnummer": ["Enter your house number."],
    }


def test_a_bad_addition_is_an_error_of_its_field(client, fake_locatieserver):
    response = client.get(FIND, {"postcode": "5038TC", "huisnummer": "130", "toevoeging": "abcde"})

    assert response.status_code == 400
    assert field_errors(response) == {"toevoeging": [BAD_ADDITION]}


def test_an_address_that_does_not_exist_is_404_with_the_other_ways(client, fake_locatieserver):
    response = client.get(FIND, {"postcode": "5038TC", "huisnummer": "131a"})

    assert response.status_code == 404
    assert h1(response) == "We could not find this address"
    assert main_text(response).split(" Search again ")[0] == (
        "We could not find this address There is no address with postcode 5038TC and house "
        "number 131A. Check them, or choose your wijk in another way. "
        "Choose your wijk from the list Choose a place on the map"
    )
    assert alternatives(response) == ALTERNATIVES


def test_an_address_outside_the_municipality_is_404(client, fake_locatieserver, tilburg_boundaries):
    response = client.get(FIND, {"postcode": "4811XS", "huisnummer": "38"})

    assert response.status_code == 404
    assert h1(response) == "This address is not in the municipality of Tilburg"
    assert response.context["problem"].message == (
        "Grote Markt 38, 4811XS Breda lies outside the wijken and dorpen of Tilburg. "
        "This portal only shows the wijken of Tilburg."
    )
    assert alternatives(response) == ALTERNATIVES


def test_an_address_in_the_municipality_outside_every_wijk_is_404(
    client, fake_locatieserver, tilburg_boundaries
):
    from areas.models import Buurt, Wijk

    Wijk.objects.filter(code="WK085510").update(geometry=None)
    Buurt.objects.filter(wijk__code="WK085510").update(geometry=None)
    # update() leaves updated_at alone, so the indexes would not notice.
    from areas.locate import forget_wijk_index

    forget_wijk_index()

    response = client.get(FIND, {"postcode": "5038TC", "huisnummer": "130"})

    assert response.status_code == 404
    assert h1(response) == "We could not find the wijk of this address"
    assert response.context["problem"].message == (
        "Stadhuisplein 130, 5038TC Tilburg lies in Tilburg, but not inside one of the "
        "wijken we know. Choose your wijk in another way."
    )


@pytest.mark.parametrize("failure", ["error", "timeout"])
def test_service_down_is_503_with_the_list_and_the_map(client, fake_locatieserver, failure):
    if failure == "error":
        fake_locatieserver.fail = (500, b"Internal Server Error")
    else:
        fake_locatieserver.delay = 2.0

    response = client.get(FIND, {"postcode": "5038TC", "huisnummer": "130"})

    assert response.status_code == 503
    assert h1(response) == "The address search is not available right now"
    assert response.context["problem"].message == (
        "We cannot look up addresses at the moment. Try again later, or choose your wijk "
        "in another way."
    )
    assert alternatives(response) == ALTERNATIVES


def test_postcode_search_runs_a_fixed_number_of_queries(
    client, fake_locatieserver, tilburg_boundaries, django_assert_num_queries
):
    client.get(FIND, {"postcode": "5038TC", "huisnummer": "130"})  # builds the indexes

    # Two version checks of the indexes, the wijk and the buurt.
    with django_assert_num_queries(4):
        response = client.get(FIND, {"postcode": "5044KE", "huisnummer": "1"})

    assert response.status_code == 302


# The page: a typed address, and a chosen suggestion


def test_typed_address_without_javascript_lists_the_suggestions_as_links(
    client, fake_locatieserver
):
    response = client.get(FIND, {"q": "corellistraat"})
    html = response.content.decode()

    assert response.status_code == 200
    links = re.findall(r'<li><a [^>]*href="([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        (f"/wijken/adres/?id={CORELLI_10}", "Corellistraat 10, 5045CN Tilburg"),
        (f"/wijken/adres/?id={CORELLI_10_2}", "Corellistraat 10-2, 5045CN Tilburg"),
    ]
    assert (
        re.search(r'<h2 [^>]*id="suggestions-heading">([^<]+)</h2>', html)[1] == "2 addresses found"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type your address."),
        ("ab", "Type at least 3 characters of your address."),
        ("x" * 101, "Type at most 100 characters of the address."),
    ],
)
def test_typed_address_too_short_or_too_long_is_400(client, fake_locatieserver, query, message):
    response = client.get(FIND, {"q": query})

    assert response.status_code == 400
    assert field_errors(response) == {"q": [message]}
    assert fake_locatieserver.requests == []


def test_typed_address_without_suggestions_is_404(client, fake_locatieserver):
    response = client.get(FIND, {"q": "Nergensstraat 1"})

    assert response.status_code == 404
    assert response.context["problem"].message == (
        "No address in Tilburg matches “Nergensstraat 1”. Check the spelling, search with "
        "your postcode and house number, or choose your wijk in another way."
    )
    assert alternatives(response) == ALTERNATIVES


def test_typed_address_with_the_service_down_is_503(client, fake_locatieserver):
    fake_locatieserver.fail = (502, b"Bad Gateway")

    response = client.get(FIND, {"q": "stadhuisplein"})

    assert (response.status_code, h1(response)) == (
        503,
        "The address search is not available right now",
    )
    assert alternatives(response) == ALTERNATIVES


def test_chosen_suggestion_leads_to_the_wijk_page(client, fake_locatieserver, tilburg_boundaries):
    response = client.get(FIND, {"id": CORELLI_10})

    assert (response.status_code, response["Location"]) == (
        302,
        "/wijken/wk085542/?buurt=BU08554206",
    )


def test_chosen_suggestion_with_a_bad_id_is_400(client, fake_locatieserver):
    response = client.get(FIND, {"id": "adr-<script>"})

    assert (response.status_code, h1(response)) == (400, "This link is not valid")
    assert fake_locatieserver.requests == []


def test_chosen_suggestion_that_no_longer_exists_is_404(client, fake_locatieserver):
    response = client.get(FIND, {"id": UNKNOWN})

    assert (response.status_code, h1(response)) == (404, "We could not find this address")
    assert alternatives(response) == ALTERNATIVES


def test_chosen_suggestion_outside_the_municipality_is_404(
    client, fake_locatieserver, tilburg_boundaries
):
    response = client.get(FIND, {"id": BREDA})

    assert (response.status_code, h1(response)) == (
        404,
        "This address is not in the municipality of Tilburg",
    )


def test_chosen_suggestion_with_the_service_down_is_503(client, fake_locatieserver):
    fake_locatieserver.delay = 2.0

    response = client.get(FIND, {"id": STADHUIS})

    assert (response.status_code, h1(response)) == (
        503,
        "The address search is not available right now",
    )


def test_address_page_refuses_post(client):
    assert client.post(FIND, {"postcode": "5038TC", "huisnummer": "130"}).status_code == 405


# JSON: suggestions


def test_suggest_endpoint_answers_the_suggestions(client, fake_locatieserver):
    response = client.get(SUGGEST, {"q": "stadhuisplein 130 tilburg"})

    assert response.status_code == 200
    assert response.json() == {
        "suggestions": [{"id": STADHUIS, "label": "Stadhuisplein 130, 5038TC Tilburg"}]
    }
    assert response["Cache-Control"] == "private, max-age=3600"


def test_suggest_endpoint_gives_at_most_seven(client, fake_locatieserver):
    response = client.get(SUGGEST, {"q": "tilburg"})

    assert [s["label"] for s in response.json()["suggestions"]] == [
        "Corellistraat 10, 5045CN Tilburg",
        "Stadhuisplein 130, 5038TC Tilburg",
        "Boomstraat 81, 5038GP Tilburg",
        "Corellistraat 10-2, 5045CN Tilburg",
        "Textielplein 13, 5046AE Tilburg",
        "Kerkenbosplaats 1, 5044KE Tilburg",
    ]


@pytest.mark.parametrize("query", ["", "ab", "  a  "])
def test_suggest_endpoint_for_short_text_is_an_empty_list(client, fake_locatieserver, query):
    response = client.get(SUGGEST, {"q": query})

    assert (response.status_code, response.json()) == (200, {"suggestions": []})
    assert fake_locatieserver.requests == []


def test_suggest_endpoint_without_q_is_an_empty_list(client, fake_locatieserver):
    response = client.get(SUGGEST)

    assert (response.status_code, response.json()) == (200, {"suggestions": []})


def test_suggest_endpoint_for_long_text_is_400(client, fake_locatieserver):
    response = client.get(SUGGEST, {"q": "x" * 101})

    assert (response.status_code, response.json()) == (
        400,
        {"error": "Type at most 100 characters of the address."},
    )
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("failure", ["error", "timeout"])
def test_suggest_endpoint_with_the_service_down_is_503(client, fake_locatieserver, failure):
    if failure == "error":
        fake_locatieserver.fail = (500, b"")
    else:
        fake_locatieserver.delay = 2.0

    response = client.get(SUGGEST, {"q": "stadhuisplein"})

    assert (response.status_code, response.json()) == (503, {"error": UNAVAILABLE})
    assert response["Cache-Control"] == "no-store"


def test_suggest_endpoint_runs_no_queries(client, fake_locatieserver, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(SUGGEST, {"q": "stadhuisplein"})


def test_suggest_endpoint_refuses_post(client):
    assert client.post(SUGGEST, {"q": "stadhuisplein"}).status_code == 405


# JSON: the point of an address


def test_point_endpoint_by_id(client, fake_locatieserver, tilburg_boundaries):
    response = client.get(POINT, {"id": STADHUIS})

    assert response.status_code == 200
    assert response.json() == {
        "label": "Stadhuisplein 130, 5038TC Tilburg",
        "lon": 5.08466,
        "lat": 51.55939,
        "wijk": {"slug": "wk085510", "name": "Binnenstad", "url": "/wijken/wk085510/"},
        "buurt": {"code": "BU08551002", "name": "Binnenstad Oost"},
    }
    assert response["Cache-Control"] == "private, max-age=3600"


def test_point_endpoint_by_postcode(client, fake_locatieserver, tilburg_boundaries):
    response = client.get(POINT, {"postcode": "5056 ha", "huisnummer": "1", "toevoeging": "A"})

    assert response.json() == {
        "label": "Koningsoord 1A, 5056HA Berkel-Enschot",
        "lon": 5.1354,
        "lat": 51.587,
        "wijk": {"slug": "wk085566", "name": "Berkel-Enschot", "url": "/wijken/wk085566/"},
        "buurt": {"code": "BU08556610", "name": "Koningsoord"},
    }


def test_point_endpoint_outside_the_municipality_has_no_wijk(
    client, fake_locatieserver, tilburg_boundaries
):
    response = client.get(POINT, {"id": BREDA})

    assert (response.status_code, response.json()) == (
        200,
        {
            "label": "Grote Markt 38, 4811XS Breda",
            "lon": 4.77567,
            "lat": 51.58876,
            "wijk": None,
            "buurt": None,
        },
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({}, "Give an address id, or a postcode and house number."),
        ({"id": "adr-1"}, "This link to an address is not valid. Search for the address again."),
        ({"postcode": "5038SS", "huisnummer": "1"}, NOT_A_POSTCODE),
        ({"postcode": "5038TC"}, "Enter your house number."),
        ({"postcode": "5038TC", "huisnummer": "x"}, NOT_A_NUMBER),
        ({"postcode": "5038TC", "huisnummer": "1", "toevoeging": "abcde"}, BAD_ADDITION),
    ],
)
def test_point_endpoint_with_bad_input_is_400(client, fake_locatieserver, params, error):
    response = client.get(POINT, params)

    assert (response.status_code, response.json()) == (400, {"error": error})
    assert fake_locatieserver.requests == []


@pytest.mark.parametrize("params", [{"id": UNKNOWN}, {"postcode": "5038TC", "huisnummer": "131"}])
def test_point_endpoint_for_an_unknown_address_is_404(client, fake_locatieserver, params):
    response = client.get(POINT, params)

    assert (response.status_code, response.json()) == (
        404,
        {"error": "We could not find this address."},
    )


def test_point_endpoint_with_the_service_down_is_503(client, fake_locatieserver):
    fake_locatieserver.fail = (500, b"")

    response = client.get(POINT, {"id": STADHUIS})

    assert (response.status_code, response.json()) == (503, {"error": UNAVAILABLE})


def test_point_endpoint_runs_a_fixed_number_of_queries(
    client, fake_locatieserver, tilburg_boundaries, django_assert_num_queries
):
    client.get(POINT, {"id": STADHUIS})  # builds the indexes

    with django_assert_num_queries(4):
        response = client.get(POINT, {"id": CORELLI_10})

    assert response.json()["wijk"]["slug"] == "wk085542"


def test_point_endpoint_refuses_post(client):
    assert client.post(POINT, {"id": STADHUIS}).status_code == 405


# The forms on other pages


def test_home_and_wijk_list_offer_the_address_search(client):
    for url in (reverse("portal:home"), reverse("areas:wijk-list")):
        html = client.get(url).content.decode()
        assert re.findall(
            r'<form class="address-search__form" method="get" action="([^"]+)"', html
        ) == [
            FIND,
            FIND,
        ], url
        assert html.count('src="/static/js/address-search.js"') == 1, url
