from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils.http import urlencode

from accounts.models import OutgoingMail, User
from areas.models import Residence, Wijk
from tests.areas.conftest import (  # noqa: F401 (fixtures)
    fake_locatieserver,
    tilburg_boundaries,
    tilburg_rows,
)
from tests.areas.fake_locatieserver import FakeLocatieserver
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

PASSWORD = "een-lang-bewonerswachtwoord-7"
SIGN_UP = "/account/aanmelden/"
DONE = "/account/aanmelden/verstuurd/"
CONFIRM_LINK = re.compile(r"http://testserver(?P<path>/account/bevestigen/[^/\s]+/)")
UNAVAILABLE = (
    "We cannot look up addresses right now. Choose your wijk from the list instead, and "
    "leave the postcode empty."
)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def form(**extra: str) -> dict[str, str]:
    return {
        "email": "bea@example.org",
        "display_name": "Bea",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_the_sign_in_page_links_to_sign_up_and_sign_up_to_the_privacy_statement(
    client: Client,
) -> None:
    login = client.get("/account/inloggen/")
    assert b'href="/account/aanmelden/"' in login.content
    page = client.get(SIGN_UP)
    assert page.status_code == 200
    assert b'id="sign-up-privacy" href="/privacy/"' in page.content.replace(
        b'href="/privacy/" id="sign-up-privacy"', b'id="sign-up-privacy" href="/privacy/"'
    )
    privacy = client.get("/privacy/")
    assert privacy.status_code == 200
    assert privacy.context["keep_read_notifications_days"] == 180
    assert privacy.cookies == {}


def test_sign_up_with_a_wijk_from_the_list_keeps_that_wijk(
    client: Client,
    wijk: Wijk,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP, form(wijk=str(wijk.pk)))
    assert (response.status_code, response["Location"]) == (302, DONE)
    user = User.objects.get(email="bea@example.org")
    assert (user.is_active, user.is_resident, user.full_name) == (False, True, "Bea")
    assert list(Residence.objects.values_list("user_id", "wijk_id")) == [(user.pk, wijk.pk)]
    (message,) = mailoutbox
    assert message.to == ["bea@example.org"]
    assert client.post(CONFIRM_LINK.search(message.body)["path"]).status_code == 302  # type: ignore[index]
    user.refresh_from_db()
    assert user.is_active is True


def test_sign_up_finds_the_wijk_by_postcode_and_keeps_only_the_wijk(
    client: Client,
    tilburg_boundaries: Any,  # noqa: F811
    fake_locatieserver: FakeLocatieserver,  # noqa: F811
) -> None:
    response = client.post(SIGN_UP, form(postcode="5038 tc", huisnummer="130"))
    assert (response.status_code, response["Location"]) == (302, DONE)
    user = User.objects.get(email="bea@example.org")
    residence = Residence.objects.select_related("wijk").get(user=user)
    assert residence.wijk.code == "WK085510"
    # The residence holds the wijk and nothing else; the account nothing of the address.
    assert set(Residence.objects.filter(pk=residence.pk).values().get()) == {
        "id",
        "created_at",
        "updated_at",
        "user_id",
        "wijk_id",
    }
    texts = User.objects.filter(pk=user.pk).values_list("email", "full_name").get()
    assert texts == ("bea@example.org", "Bea")
    assert not any(
        "postcode" in field.name or "address" in field.name.replace("email", "")
        for field in User._meta.concrete_fields
    )


def test_sign_up_when_the_address_search_is_down_saves_nothing_and_offers_the_list(
    client: Client,
    tilburg_boundaries: Any,  # noqa: F811
    fake_locatieserver: FakeLocatieserver,  # noqa: F811
) -> None:
    fake_locatieserver.fail = (500, b"")
    response = client.post(SIGN_UP, form(postcode="5038TC", huisnummer="130"))
    assert response.status_code == 400
    assert response.context["wijk_form"].non_field_errors() == [UNAVAILABLE]
    assert len(response.context["wijk_form"].fields["wijk"].choices) == 60  # 59 wijken, "none"
    assert User.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_sign_up_with_an_address_outside_the_municipality_saves_nothing(
    client: Client,
    tilburg_boundaries: Any,  # noqa: F811
    fake_locatieserver: FakeLocatieserver,  # noqa: F811
) -> None:
    response = client.post(SIGN_UP, form(postcode="4811XS", huisnummer="38"))
    assert response.status_code == 400
    assert response.context["wijk_form"].errors == {
        "postcode": [
            "We found no wijk of Tilburg at this postcode and house number. Check them, or "
            "choose your wijk from the list."
        ]
    }
    assert User.objects.count() == 0


def test_sign_up_with_a_weak_password_saves_nothing(client: Client) -> None:
    response = client.post(SIGN_UP, form(password1="zonnig7", password2="zonnig7"))
    assert response.status_code == 400
    assert response.context["account_form"].errors == {
        "password1": ["This password is too short. It must contain at least 8 characters."]
    }
    assert (User.objects.count(), OutgoingMail.objects.count()) == (0, 0)


def test_sign_up_with_an_address_in_use_answers_as_for_a_new_one(
    client: Client, wijk: Wijk
) -> None:
    owner = UserFactory(email="bea@example.org", full_name="Bea Echt")
    response = client.post(SIGN_UP, form(email="BEA@example.org", wijk=str(wijk.pk)))
    assert (response.status_code, response["Location"]) == (302, DONE)
    assert list(User.objects.values_list("pk", "full_name")) == [(owner.pk, "Bea Echt")]
    assert Residence.objects.count() == 0
    assert list(OutgoingMail.objects.values_list("to", "subject")) == [
        ("bea@example.org", "You already have an account on the Wijkportaal of Tilburg")
    ]


def test_sign_up_is_throttled_per_client_address(client: Client, settings: Any) -> None:
    settings.WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        response = client.post(SIGN_UP, form(email=f"p{n}@example.org"))
        assert response.status_code == 302
    response = client.post(SIGN_UP, form(email="p3@example.org"))
    assert (response.status_code, response["Retry-After"]) == (429, "3600")
    assert response.context["throttled_message"] == (
        "Too many accounts were asked for from your connection. Try again in 60 minutes."
    )
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]


def test_one_address_gets_at_most_three_links_an_hour(client: Client) -> None:
    for n in range(5):
        client.post(SIGN_UP, form(), REMOTE_ADDR=f"10.0.0.{n}")
    assert OutgoingMail.objects.filter(to="bea@example.org").count() == 3
    assert User.objects.count() == 1


def test_my_account_changes_name_and_wijk(client: Client, wijk: Wijk, other_wijk: Wijk) -> None:
    user = UserFactory(is_resident=True, full_name="Bea")
    Residence.objects.create(user=user, wijk=wijk)
    client.force_login(user)
    page = client.get("/account/mijn-account/")
    assert page.status_code == 200
    assert page.context["wijk_form"].initial == {"wijk": wijk.pk}
    response = client.post(
        "/account/mijn-account/", {"display_name": "Bea B.", "wijk": str(other_wijk.pk)}
    )
    assert (response.status_code, response["Location"]) == (302, "/account/mijn-account/")
    user.refresh_from_db()
    assert user.full_name == "Bea B."
    assert list(Residence.objects.values_list("user_id", "wijk_id")) == [(user.pk, other_wijk.pk)]
    client.post("/account/mijn-account/", {"display_name": "Bea B.", "wijk": ""})
    assert Residence.objects.count() == 0


def test_my_account_with_bad_input_saves_nothing(client: Client, wijk: Wijk) -> None:
    user = UserFactory(is_resident=True, full_name="Bea")
    client.force_login(user)
    response = client.post("/account/mijn-account/", {"display_name": "", "wijk": str(wijk.pk)})
    assert response.status_code == 400
    assert response.context["name_form"].errors == {"display_name": ["This field is required."]}
    assert Residence.objects.count() == 0


def test_my_account_asks_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/account/mijn-account/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/account/inloggen/?next=/account/mijn-account/",
    )


def test_a_resident_follows_their_wijk(client: Client, wijk: Wijk) -> None:
    user = UserFactory(is_resident=True, email_confirmed_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    response = client.post("/volgen/", {"type": "wijk", "id": str(wijk.pk)})
    assert (response.status_code, response["Location"]) == (302, wijk.get_absolute_url())
    assert list(user.follows.values_list("object_id", flat=True)) == [wijk.pk]


def test_signing_up_from_a_proposal_leads_back_to_it_after_signing_in(
    client: Client,
    wijk: Wijk,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The proposal page's "create an account" carries ?next= through the sign-up form and
    the confirmation link, to the sign-in page that then opens the proposal."""
    back = "/voorstellen/speelveld/#reacties"
    page = client.get(SIGN_UP, {"next": back})
    assert 'action="/account/aanmelden/?next=/voorstellen/speelveld/%23reacties"' in (
        page.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{SIGN_UP}?next=%2Fvoorstellen%2Fspeelveld%2F%23reacties", form())
    assert (response.status_code, response["Location"]) == (302, DONE)
    (message,) = mailoutbox

    confirmed = client.post(CONFIRM_LINK.search(message.body)["path"])  # type: ignore[index]

    assert confirmed.status_code == 302
    assert confirmed["Location"] == (
        "/account/inloggen/?next=%2Fvoorstellen%2Fspeelveld%2F%23reacties"
    )
    login = client.get(confirmed["Location"])
    assert 'href="/account/aanmelden/?next=/voorstellen/speelveld/%23reacties"' in (
        login.content.decode()
    )


@pytest.mark.parametrize("elsewhere", ["https://example.com/", "//example.com/x", "javascript:x"])
def test_a_next_address_elsewhere_is_dropped_from_the_sign_up(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
    elsewhere: str,
) -> None:
    page = client.get(SIGN_UP, {"next": elsewhere})
    assert 'action="/account/aanmelden/"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGN_UP}?{urlencode({'next': elsewhere})}", form())
    (message,) = mailoutbox

    confirmed = client.post(CONFIRM_LINK.search(message.body)["path"])  # type: ignore[index]

    assert confirmed["Location"] == "/account/inloggen/"
