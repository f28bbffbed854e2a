from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client

from accounts import residents
from accounts.models import Follow, Notification, OutgoingMail, User
from tests.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

PASSWORD = "een-lang-bewonerswachtwoord-7"
CONFIRM_LINK = re.compile(r"http://testserver(?P<path>/account/bevestigen/[^/\s]+/)")
NEW_ADDRESS_LINK = re.compile(
    r"http://testserver(?P<path>/account/nieuw-adres-bevestigen/[^/\s]+/)"
)
UNCONFIRMED = (
    "Your account is not active yet: first open the link in the e-mail we sent to "
    "bea@example.org. No e-mail, or has the link expired? Ask for a new link."
)
WRONG = "The e-mail address or the password is not correct. Check both and try again."


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def unconfirmed(email: str = "bea@example.org") -> User:
    return User.objects.create_user(
        email, PASSWORD, full_name="Bea Bewoner", is_active=False, is_resident=True
    )


def confirmed(email: str = "bea@example.org") -> User:
    user = unconfirmed(email)
    residents.confirm_sign_up(
        signing.dumps({"u": user.pk, "e": user.email}, salt=residents.SIGN_UP_SALT)
    )
    user.refresh_from_db()
    return user


class PastSigner(signing.TimestampSigner):
    """Signs as if it were `hours` ago."""

    def __init__(self, *, hours: int, salt: str) -> None:
        super().__init__(salt=salt)
        self.hours = hours

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - self.hours * 60 * 60)


def old_token(user: User, *, hours: int) -> str:
    return PastSigner(hours=hours, salt=residents.SIGN_UP_SALT).sign_object(
        {"u": user.pk, "e": user.email}
    )


def link(pattern: re.Pattern[str], message: mail.EmailMessage) -> str:
    match = pattern.search(message.body)
    assert match is not None, message.body
    return match["path"]


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/account/inloggen/", {"username": email, "password": password})


# --- The services ---------------------------------------------------------------------------


def test_sign_up_creates_an_inactive_resident_and_writes_the_link_to_the_outbox() -> None:
    user = residents.sign_up(
        email=" Bea@Example.org ", display_name=" Bea ", password=PASSWORD, base_url="https://x.nl"
    )
    assert user is not None
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active, user.is_resident) == (
        "bea@example.org",
        "Bea",
        False,
        True,
    )
    assert user.email_confirmed_at is None
    assert user.check_password(PASSWORD)
    (queued,) = OutgoingMail.objects.all()
    assert (queued.kind, queued.to, queued.sensitive) == ("confirmation", "bea@example.org", True)
    assert queued.subject == "Confirm your e-mail address for the Wijkportaal of Tilburg"
    assert "https://x.nl/account/bevestigen/" in queued.text


def test_sign_up_with_an_address_in_use_saves_nothing_and_tells_its_owner() -> None:
    owner = UserFactory(email="bea@example.org", full_name="Bea Echt")
    result = residents.sign_up(
        email="BEA@example.org", display_name="Indringer", password=PASSWORD, base_url="http://t"
    )
    assert result is None
    owner.refresh_from_db()
    assert (owner.full_name, owner.is_resident, owner.check_password(PASSWORD)) == (
        "Bea Echt",
        False,
        False,
    )
    assert User.objects.count() == 1
    (queued,) = OutgoingMail.objects.all()
    assert (queued.to, queued.sensitive) == ("bea@example.org", False)
    assert queued.subject == "You already have an account on the Wijkportaal of Tilburg"
    assert "http://t/account/inloggen/" in queued.text
    assert "http://t/account/wachtwoord-vergeten/" in queued.text


def test_sign_up_again_before_confirming_sends_a_new_link_and_keeps_the_account() -> None:
    user = unconfirmed()
    assert (
        residents.sign_up(
            email="bea@example.org", display_name="Ander", password="x" * 12, base_url="http://t"
        )
        is None
    )
    user.refresh_from_db()
    assert (user.full_name, user.check_password(PASSWORD)) == ("Bea Bewoner", True)
    assert list(OutgoingMail.objects.values_list("kind", "to")) == [
        ("confirmation", "bea@example.org")
    ]


def test_confirm_sign_up_activates_once() -> None:
    user = unconfirmed()
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=residents.SIGN_UP_SALT)
    assert residents.confirm_sign_up(token) == user
    user.refresh_from_db()
    assert user.is_active is True
    assert user.email_confirmed_at is not None
    with pytest.raises(residents.ConfirmationUnusable) as again:
        residents.confirm_sign_up(token)
    assert again.value.reason == "used"


def test_confirm_sign_up_refuses_an_expired_link(settings: Any) -> None:
    settings.WIJKPORTAAL_CONFIRM_EMAIL_HOURS = 48
    user = unconfirmed()
    with pytest.raises(residents.ConfirmationUnusable) as expired:
        residents.confirm_sign_up(old_token(user, hours=49))
    assert expired.value.reason == "expired"
    assert residents.confirm_sign_up(old_token(user, hours=47)) == user
    user.refresh_from_db()
    assert user.is_active is True


def test_confirm_sign_up_refuses_a_link_of_a_deactivated_account() -> None:
    user = confirmed()
    User.objects.filter(pk=user.pk).update(
        is_active=False, email_confirmed_at=None, is_resident=False
    )
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=residents.SIGN_UP_SALT)
    with pytest.raises(residents.ConfirmationUnusable) as refused:
        residents.confirm_sign_up(token)
    assert refused.value.reason == "deactivated"


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: "not-a-token",
        lambda: signing.dumps({"u": 1, "e": "bea@example.org"}, salt="another-salt"),
        lambda: signing.dumps("no dict", salt=residents.SIGN_UP_SALT),
    ],
    ids=["garbage", "another-salt", "not-a-dict"],
)
def test_confirm_sign_up_refuses_a_link_we_did_not_make(make_token: Any) -> None:
    unconfirmed()
    with pytest.raises(residents.ConfirmationUnusable) as refused:
        residents.confirm_sign_up(make_token())
    assert refused.value.reason == "invalid"


def test_a_change_of_address_is_confirmed_by_the_new_address_and_then_used() -> None:
    user = confirmed()
    residents.request_email_change(user=user, new_email="Nieuw@Example.org", base_url="http://t")
    (queued,) = OutgoingMail.objects.filter(to="nieuw@example.org")
    token = NEW_ADDRESS_LINK.search(queued.text.replace("http://t", "http://testserver"))
    assert token is not None
    user.refresh_from_db()
    assert user.email == "bea@example.org"
    raw = token["path"].rstrip("/").rsplit("/", 1)[1]
    assert residents.confirm_new_email(raw).email == "nieuw@example.org"
    with pytest.raises(residents.ConfirmationUnusable) as again:
        residents.confirm_new_email(raw)
    assert again.value.reason == "used"


def test_a_change_to_an_address_taken_meanwhile_is_refused() -> None:
    user = confirmed()
    residents.request_email_change(user=user, new_email="nieuw@example.org", base_url="http://t")
    token = signing.dumps(
        {"u": user.pk, "e": "nieuw@example.org", "old": "bea@example.org"},
        salt=residents.CHANGE_SALT,
    )
    UserFactory(email="nieuw@example.org")
    with pytest.raises(residents.ConfirmationUnusable) as taken:
        residents.confirm_new_email(token)
    assert taken.value.reason == "taken"
    user.refresh_from_db()
    assert user.email == "bea@example.org"


def test_delete_account_removes_follows_notifications_and_waiting_mail(wijk: Any) -> None:
    user = confirmed()
    other = UserFactory()
    Follow.objects.create(user=user, content_type_id=_wijk_type(), object_id=wijk.pk)
    Follow.objects.create(user=other, content_type_id=_wijk_type(), object_id=wijk.pk)
    NotificationFactory(recipient=user)
    NotificationFactory(recipient=other)
    waiting = OutgoingMail.objects.create(kind="notification", to=user.email, subject="S", text="T")
    residents.delete_account(user=user)
    assert not User.objects.filter(pk=user.pk).exists()
    assert list(Follow.objects.values_list("user_id", flat=True)) == [other.pk]
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [other.pk]
    waiting.refresh_from_db()
    assert (waiting.state, waiting.text) == ("withdrawn", "")


def _wijk_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    from areas.models import Wijk

    return ContentType.objects.get_for_model(Wijk).pk


# --- Signing in, the links and the pages ----------------------------------------------------


def test_an_unconfirmed_resident_is_told_to_confirm_and_where_to_get_a_link(client: Client) -> None:
    unconfirmed()
    response = sign_in(client, "bea@example.org", PASSWORD)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [UNCONFIRMED]
    assert b'href="/account/aanmelden/nieuwe-link/"' in response.content
    assert SESSION_KEY not in client.session


def test_an_unconfirmed_resident_with_a_wrong_password_gets_the_usual_message(
    client: Client,
) -> None:
    unconfirmed()
    response = sign_in(client, "bea@example.org", "niet-het-wachtwoord")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [WRONG]


def test_the_link_shows_a_button_and_the_post_activates(client: Client) -> None:
    user = unconfirmed()
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=residents.SIGN_UP_SALT)
    url = f"/account/bevestigen/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.is_active is False  # a mail scanner opening the link confirms nothing
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, "/account/inloggen/")
    user.refresh_from_db()
    assert user.is_active is True
    assert sign_in(client, "bea@example.org", PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    ("make_token", "status", "title"),
    [
        (lambda user: "onzin", 404, "This link does not work"),
        (
            lambda user: signing.dumps(
                {"u": user.pk, "e": "ander@example.org"}, salt=residents.SIGN_UP_SALT
            ),
            404,
            "This link does not work",
        ),
    ],
)
def test_an_unusable_link_answers_with_a_clear_page(
    client: Client, make_token: Any, status: int, title: str
) -> None:
    user = unconfirmed()
    for method in (client.get, client.post):
        response = method(f"/account/bevestigen/{make_token(user)}/")
        assert (response.status_code, response.context["title"]) == (status, title)
    user.refresh_from_db()
    assert user.is_active is False


def test_an_expired_link_is_gone_and_offers_a_new_one(client: Client) -> None:
    user = unconfirmed()
    response = client.post(f"/account/bevestigen/{old_token(user, hours=49)}/")
    assert (response.status_code, response.context["title"]) == (410, "This link has expired")
    assert b'href="/account/aanmelden/nieuwe-link/"' in response.content


def test_a_new_link_goes_out_only_for_an_account_that_waits(
    client: Client, mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    unconfirmed()
    UserFactory(email="team@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("bea@example.org", "team@example.org", "niemand@example.org"):
            response = client.post("/account/aanmelden/nieuwe-link/", {"email": email})
            assert (response.status_code, response["Location"]) == (
                302,
                "/account/aanmelden/verstuurd/",
            )
    assert [message.to for message in mailoutbox] == [["bea@example.org"]]
    assert client.post(link(CONFIRM_LINK, mailoutbox[0])).status_code == 302


def test_asking_for_links_is_throttled_per_client_address(client: Client, settings: Any) -> None:
    settings.WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR = 2
    for n in range(2):
        response = client.post("/account/aanmelden/nieuwe-link/", {"email": f"p{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/account/aanmelden/nieuwe-link/", {"email": "p3@example.org"})
    assert (response.status_code, response["Retry-After"]) == (429, "3600")
    assert response.context["throttled_message"] == (
        "Too many requests came from your connection. Try again in 60 minutes."
    )
    other = client.post(
        "/account/aanmelden/nieuwe-link/", {"email": "p3@example.org"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


def test_change_email_needs_the_current_password(client: Client) -> None:
    user = confirmed()
    client.force_login(user)
    response = client.post(
        "/account/e-mailadres/", {"new_email": "nieuw@example.org", "password": "fout"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"password": ["This is not your current password."]}
    assert OutgoingMail.objects.count() == 0


def test_change_email_mails_the_new_address_and_keeps_the_old_until_confirmed(
    client: Client,
) -> None:
    user = confirmed()
    client.force_login(user)
    response = client.post(
        "/account/e-mailadres/", {"new_email": "Nieuw@example.org", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/account/mijn-account/")
    assert list(OutgoingMail.objects.values_list("to", "kind")) == [
        ("nieuw@example.org", "confirmation")
    ]
    user.refresh_from_db()
    assert user.email == "bea@example.org"


def test_a_resident_deletes_their_account_after_the_confirmation_step(client: Client) -> None:
    user = confirmed()
    client.force_login(user)
    assert client.get("/account/verwijderen/").status_code == 200
    refused = client.post("/account/verwijderen/", {"password": PASSWORD})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "confirm": ["Tick the box to confirm that you want this."]
    }
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post("/account/verwijderen/", {"password": PASSWORD, "confirm": "on"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not User.objects.filter(pk=user.pk).exists()
    assert SESSION_KEY not in client.session


def test_a_team_member_cannot_delete_their_account_here(client: Client, team_member: User) -> None:
    client.force_login(team_member)
    assert client.get("/account/verwijderen/").status_code == 403
    response = client.post(
        "/account/verwijderen/", {"password": "wachtwoord-voor-tests", "confirm": "on"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=team_member.pk).exists()
