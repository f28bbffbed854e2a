from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.models import Invitation, User
from areas.models import Gebiedsteam, TeamMembership
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

PASSWORD = "wachtwoord-voor-tests"
NEW_PASSWORD = "een-nieuw-lang-wachtwoord-42"
LOGIN_URL = "/account/inloggen/"
WRONG = "The e-mail address or the password is not correct. Check both and try again."
THROTTLED = (
    "Signing in failed too many times. For your safety, signing in from here is paused. Try "
    "again in 15 minutes, or choose a new password."
)
RESET_LINK = re.compile(r"http://testserver(?P<path>/account/wachtwoord-herstellen/[^/]+/[^/]+/)")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # The throttle counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rina(db: None) -> User:
    return UserFactory(email="rina@example.org", full_name="Rina Regisseur")


def sign_in(
    client: Client, email: str, password: str, *, address: str = "10.0.0.1", **extra: Any
) -> Any:
    return client.post(
        LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def header_html(response: Any) -> str:
    """The account part of the header."""
    html = response.content.decode()
    match = re.search(r'<div class="site-header__account">(.*?)</div>', html, re.S)
    assert match is not None
    return match[1]


def header_text(response: Any) -> str:
    """The text of the account part of the header, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", header_html(response)).split())


def header_targets(response: Any) -> list[str]:
    """The links and form actions in the account part of the header."""
    return re.findall(r'(?:href|action)="([^"]+)"', header_html(response))


# sign in


def test_login_page_shows_the_email_and_password_fields(client: Client) -> None:
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert [(name, str(field.label)) for name, field in form.fields.items()] == [
        ("username", "E-mail address"),
        ("password", "Password"),
    ]
    assert form.fields["username"].widget.input_type == "email"


def test_login_with_the_right_password_signs_in_and_goes_to_the_workspace(
    client: Client, rina: User
) -> None:
    response = sign_in(client, "rina@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    assert signed_in_user_id(client) == str(rina.pk)


def test_login_ignores_case_and_spaces_in_the_email(client: Client, rina: User) -> None:
    response = sign_in(client, "  Rina@EXAMPLE.org ", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(rina.pk)


def test_login_follows_a_safe_next_url(client: Client, rina: User) -> None:
    response = client.post(
        f"{LOGIN_URL}?next=/wijken/",
        {"username": "rina@example.org", "password": PASSWORD, "next": "/wijken/"},
    )

    assert response["Location"] == "/wijken/"


def test_login_refuses_a_next_url_on_another_site(client: Client, rina: User) -> None:
    response = client.post(
        LOGIN_URL,
        {"username": "rina@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("portal:workspace")


def test_login_with_a_wrong_password_is_refused_with_a_message(client: Client, rina: User) -> None:
    response = sign_in(client, "rina@example.org", "niet-goed")

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [WRONG]
    assert signed_in_user_id(client) is None


def test_login_answers_an_unknown_email_exactly_like_a_wrong_password(
    client: Client, rina: User
) -> None:
    wrong_password = sign_in(client, "rina@example.org", "niet-goed")
    unknown_email = sign_in(client, "niemand@example.org", "niet-goed")

    assert (unknown_email.status_code, wrong_password.status_code) == (400, 400)
    assert unknown_email.context["form"].non_field_errors() == [WRONG]
    assert wrong_password.context["form"].non_field_errors() == [WRONG]


def test_login_of_an_inactive_account_gets_the_same_message(client: Client) -> None:
    UserFactory(email="oud@example.org", is_active=False)

    response = sign_in(client, "oud@example.org", PASSWORD)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [WRONG]


def test_login_with_empty_fields_shows_field_errors_and_counts_no_failure(client: Client) -> None:
    response = sign_in(client, "", "")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }
    assert throttle.is_blocked(email="", address="10.0.0.1") is False


def test_login_without_csrf_token_is_refused(rina: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, "rina@example.org", PASSWORD)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


# throttling


def test_login_sixth_attempt_for_an_account_is_refused_even_with_the_right_password(
    client: Client, rina: User
) -> None:
    for number in range(5):
        assert sign_in(client, "rina@example.org", f"fout-{number}").status_code == 400

    response = sign_in(client, "rina@example.org", PASSWORD)

    assert response.status_code == 429
    assert response.context["throttled_message"] == THROTTLED
    assert response["Retry-After"] == "900"
    assert signed_in_user_id(client) is None


def test_login_failures_from_another_address_do_not_lock_the_owner_out(
    client: Client, rina: User
) -> None:
    for number in range(5):
        sign_in(Client(), "rina@example.org", f"fout-{number}", address="10.0.0.1")

    response = sign_in(client, "rina@example.org", PASSWORD, address="10.9.9.9")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(rina.pk)


def test_login_throttle_of_an_account_holds_for_that_address_only(
    client: Client, rina: User
) -> None:
    for number in range(5):
        sign_in(client, "rina@example.org", f"fout-{number}", address="10.0.0.1")
    sign_in(client, "chris@example.org", "fout", address="10.0.0.1")

    refused = sign_in(client, "rina@example.org", PASSWORD, address="10.0.0.1")
    other_account = sign_in(client, "chris@example.org", "fout", address="10.0.0.1")

    assert refused.status_code == 429
    assert other_account.status_code == 400
    assert signed_in_user_id(client) is None


def test_login_throttle_does_not_check_the_password(
    client: Client, rina: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        sign_in(client, "rina@example.org", f"fout-{number}")
    checked: list[str] = []
    monkeypatch.setattr(User, "check_password", lambda self, raw: checked.append(raw) or True)

    response = sign_in(client, "rina@example.org", PASSWORD)

    assert response.status_code == 429
    assert checked == []


def test_login_throttle_answers_an_unknown_email_like_an_existing_one(
    client: Client, rina: User
) -> None:
    for number in range(5):
        sign_in(client, "rina@example.org", f"fout-{number}", address="10.0.0.1")
        sign_in(client, "niemand@example.org", f"fout-{number}", address="10.0.0.2")

    existing = sign_in(client, "rina@example.org", PASSWORD, address="10.0.0.1")
    unknown = sign_in(client, "niemand@example.org", PASSWORD, address="10.0.0.2")

    assert (existing.status_code, unknown.status_code) == (429, 429)
    assert existing.context["throttled_message"] == unknown.context["throttled_message"]
    assert existing.context["throttled_message"] == THROTTLED


def test_login_throttle_of_one_account_leaves_another_account_from_another_address(
    client: Client, rina: User
) -> None:
    chris = UserFactory(email="chris@example.org")
    for number in range(6):
        sign_in(client, "rina@example.org", f"fout-{number}", address="10.0.0.1")

    response = sign_in(client, "chris@example.org", PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(chris.pk)


def test_login_from_an_address_with_too_many_failures_is_refused_for_every_account(
    client: Client, rina: User
) -> None:
    for number in range(20):
        sign_in(client, f"persoon{number}@example.org", "fout", address="10.0.0.1")

    refused = sign_in(client, "rina@example.org", PASSWORD, address="10.0.0.1")
    elsewhere = sign_in(Client(), "rina@example.org", PASSWORD, address="10.0.0.2")

    assert refused.status_code == 429
    assert refused.context["throttled_message"] == THROTTLED
    assert elsewhere.status_code == 302


def test_login_success_clears_the_failures_of_the_account(client: Client, rina: User) -> None:
    for number in range(4):
        sign_in(client, "rina@example.org", f"fout-{number}")
    sign_in(client, "rina@example.org", PASSWORD)
    client.logout()
    for number in range(4):
        sign_in(client, "rina@example.org", f"weer-fout-{number}")

    response = sign_in(client, "rina@example.org", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(rina.pk)


def test_login_behind_a_trusted_proxy_counts_the_forwarded_client(
    client: Client, rina: User, settings: Any
) -> None:
    settings.WIJKPORTAAL_TRUSTED_PROXIES = ["192.0.2.1"]
    for number in range(20):
        sign_in(
            client,
            f"persoon{number}@example.org",
            "fout",
            address="192.0.2.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )

    script = sign_in(
        client,
        "rina@example.org",
        PASSWORD,
        address="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    colleague = sign_in(
        Client(),
        "rina@example.org",
        PASSWORD,
        address="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert script.status_code == 429
    assert colleague.status_code == 302


def test_login_ignores_forwarded_for_from_an_untrusted_peer(
    client: Client, rina: User, settings: Any
) -> None:
    settings.WIJKPORTAAL_TRUSTED_PROXIES = ["192.0.2.1"]
    for number in range(20):
        # A new X-Forwarded-For each time does not make the script a new client.
        sign_in(
            client,
            f"persoon{number}@example.org",
            "fout",
            address="198.51.100.5",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )

    response = sign_in(
        client,
        "rina@example.org",
        PASSWORD,
        address="198.51.100.5",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )

    assert response.status_code == 429


# with the cache (Redis) down


@pytest.fixture
def cache_down() -> Iterator[None]:
    # A Redis nobody listens on; not the settings fixture, which is undone after
    # _empty_cache has to clear the real cache again.
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down):
        yield


def test_login_with_the_cache_down_shows_the_page_and_signs_in(
    client: Client, rina: User, cache_down: None
) -> None:
    page = client.get(LOGIN_URL)
    wrong = sign_in(client, "rina@example.org", "fout")
    right = sign_in(client, "rina@example.org", PASSWORD)

    assert (page.status_code, wrong.status_code, right.status_code) == (200, 400, 302)
    assert signed_in_user_id(client) == str(rina.pk)


def test_login_with_the_cache_down_is_still_throttled(
    client: Client, rina: User, cache_down: None
) -> None:
    for number in range(5):
        assert sign_in(client, "rina@example.org", f"fout-{number}").status_code == 400

    refused = sign_in(client, "rina@example.org", PASSWORD)
    elsewhere = sign_in(Client(), "rina@example.org", PASSWORD, address="10.0.0.2")

    assert refused.status_code == 429
    assert refused.context["throttled_message"] == THROTTLED
    assert elsewhere.status_code == 302


def test_password_reset_with_the_cache_down_sends_the_link(
    client: Client,
    rina: User,
    cache_down: None,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = client.get(reverse("accounts:password-reset"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "rina@example.org"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert [message.to for message in mailoutbox] == [["rina@example.org"]]


# sign out and the header


def test_logout_by_post_signs_out_and_goes_home(client: Client, rina: User) -> None:
    client.force_login(rina)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert signed_in_user_id(client) is None


def test_logout_by_get_is_not_allowed(client: Client, rina: User) -> None:
    client.force_login(rina)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert signed_in_user_id(client) == str(rina.pk)


def test_header_offers_sign_in_to_anonymous_visitors(client: Client) -> None:
    response = client.get(reverse("areas:wijk-list"))

    # The language switch names the other language in itself.
    assert header_text(response) == "Sign in Nederlands"
    assert header_targets(response) == [f"{LOGIN_URL}?next=/wijken/", reverse("set-language")]


def test_header_shows_name_workspace_and_sign_out_when_signed_in(
    client: Client, rina: User
) -> None:
    client.force_login(rina)

    response = client.get(reverse("areas:wijk-list"))

    assert header_text(response) == (
        "Rina Regisseur My workspace My account Notifications Sign out Nederlands"
    )
    assert header_targets(response) == [
        reverse("portal:workspace"),
        reverse("portal:my-account"),
        reverse("accounts:notification-list"),
        reverse("accounts:logout"),
        reverse("set-language"),
    ]
    assert re.findall(r'<form [^>]*method="([a-z]+)"', header_html(response)) == ["post", "post"]


# password reset


def test_password_reset_sends_one_email_with_a_link_that_works_once(
    client: Client,
    rina: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "Rina@example.org"})

    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["rina@example.org"]
    assert message.subject == "Choose a new password for the Wijkportaal of Tilburg"
    match = RESET_LINK.search(message.body)
    assert match is not None
    link = match["path"]

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    rina.refresh_from_db()
    assert rina.check_password(NEW_PASSWORD) is True

    again = Client().get(link, follow=True)
    assert again.status_code == 410
    assert again.context["validlink"] is False


def test_password_reset_for_an_unknown_email_answers_the_same_and_sends_nothing(
    client: Client,
    rina: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "niemand@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mailoutbox == []


def test_password_reset_sends_at_most_three_links_an_hour_to_one_address(
    client: Client,
    rina: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(throttle.MAX_RESETS_PER_ACCOUNT + 2):
            responses.append(
                client.post(reverse("accounts:password-reset"), {"email": "rina@example.org"})
            )

    # Every answer is the same "check your mail", but only three mails went out.
    assert [response.status_code for response in responses] == [302] * 5
    assert {response["Location"] for response in responses} == {
        reverse("accounts:password-reset-done")
    }
    assert [message.to for message in mailoutbox] == [["rina@example.org"]] * 3


def test_password_reset_from_one_client_is_refused_after_ten_requests(
    client: Client,
    rina: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(throttle.MAX_RESETS_PER_ADDRESS):
            client.post(
                reverse("accounts:password-reset"), {"email": f"iemand{number}@example.org"}
            )
        refused = client.post(reverse("accounts:password-reset"), {"email": "rina@example.org"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert refused.context["throttled_message"] == (
        "You asked for too many reset links. Try again in 60 minutes."
    )
    assert 'id="reset-throttled"' in refused.content.decode()
    assert mailoutbox == []


def test_password_reset_with_an_invalid_email_shows_the_field_error(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "geen-adres"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert mailoutbox == []


def test_password_reset_confirm_with_mismatched_passwords_changes_nothing(
    client: Client,
    rina: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "rina@example.org"})
    match = RESET_LINK.search(mailoutbox[0].body)
    assert match is not None
    form_page = client.get(match["path"], follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": "iets-anders-99"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "new_password2": ["The two password fields didn’t match."]
    }
    rina.refresh_from_db()
    assert rina.check_password(PASSWORD) is True


# invitations


@pytest.fixture
def invitation_token(gebiedsteam: Gebiedsteam, team_member: User) -> str:
    __, token = Invitation.issue(
        email="olga@example.org",
        invited_by=team_member,
        purpose={"kind": "team", "gebiedsteam": gebiedsteam.pk, "role": "omgevingsmanager"},
    )
    return token


def accept_url(token: str) -> str:
    return reverse("accounts:invitation-accept", kwargs={"token": token})


def accept_data(**overrides: str) -> dict[str, str]:
    return {
        "full_name": "Olga Omgeving",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def test_invitation_page_says_what_the_invitation_is_for(
    client: Client, invitation_token: str
) -> None:
    response = client.get(accept_url(invitation_token))

    assert response.status_code == 200
    assert response.context["purpose"] == "join gebiedsteam Noord as omgevingsmanager"
    assert list(response.context["form"].fields) == ["full_name", "password1", "password2"]


def test_invitation_accepted_signs_in_and_makes_the_membership(
    client: Client, invitation_token: str, gebiedsteam: Gebiedsteam
) -> None:
    response = client.post(accept_url(invitation_token), accept_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    user = User.objects.get(email="olga@example.org")
    assert signed_in_user_id(client) == str(user.pk)
    assert user.full_name == "Olga Omgeving"
    assert list(TeamMembership.objects.filter(user=user).values_list("gebiedsteam", "role")) == [
        (gebiedsteam.pk, "omgevingsmanager")
    ]


def test_invitation_link_used_a_second_time_is_gone(client: Client, invitation_token: str) -> None:
    client.post(accept_url(invitation_token), accept_data())
    other = Client()

    page = other.get(accept_url(invitation_token))
    submit = other.post(accept_url(invitation_token), accept_data(full_name="Mallory"))

    assert (page.status_code, submit.status_code) == (410, 410)
    assert page.context["title"] == "This invitation has already been used"
    assert User.objects.get(email="olga@example.org").full_name == "Olga Omgeving"
    assert signed_in_user_id(other) is None


def test_invitation_link_after_expiry_is_gone(client: Client, invitation_token: str) -> None:
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(accept_url(invitation_token))
    submit = client.post(accept_url(invitation_token), accept_data())

    assert (page.status_code, submit.status_code) == (410, 410)
    assert page.context["title"] == "This invitation has expired"
    assert User.objects.filter(email="olga@example.org").count() == 0
    assert page.templates[0].name == "accounts/invitation_gone.html"
    assert page.templates[1].name == "base.html"


def test_invitation_link_unknown_is_not_found(client: Client, invitation_token: str) -> None:
    response = client.get(accept_url("dit-bestaat-niet"))

    assert response.status_code == 404
    assert response.context["title"] == "This invitation link does not work"


@pytest.mark.parametrize("method", ["get", "post"])
def test_invitation_for_a_deactivated_account_is_refused_and_saves_nothing(
    client: Client, invitation_token: str, method: str
) -> None:
    old = UserFactory(email="olga@example.org", full_name="Oud", is_active=False, is_staff=True)

    response = getattr(client, method)(accept_url(invitation_token), accept_data())

    assert response.status_code == 403
    assert response.context["title"] == "This account has been deactivated"
    assert response.context["explanation"] == (
        "The account of this e-mail address has been deactivated, and an invitation cannot "
        "make it active again. If you need access to the portal, contact its functional "
        "administrator."
    )
    old.refresh_from_db()
    assert (old.is_active, old.is_staff, old.full_name) == (False, True, "Oud")
    assert old.check_password(NEW_PASSWORD) is False
    assert TeamMembership.objects.count() == 1  # the inviter's own
    assert Invitation.objects.get().accepted_at is None
    assert signed_in_user_id(client) is None


def test_invitation_with_mismatched_passwords_saves_nothing(
    client: Client, invitation_token: str
) -> None:
    users_before = User.objects.count()

    response = client.post(accept_url(invitation_token), accept_data(password2="iets-anders-99"))

    assert response.status_code == 400
    assert response.context["form"].errors == {"password2": ["The two passwords are not the same."]}
    assert User.objects.count() == users_before
    assert Invitation.objects.get().accepted_at is None


def test_invitation_with_a_weak_password_saves_nothing(
    client: Client, invitation_token: str
) -> None:
    users_before = User.objects.count()

    response = client.post(
        accept_url(invitation_token), accept_data(password1="12345678", password2="12345678")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "password1": ["This password is too common.", "This password is entirely numeric."]
    }
    assert User.objects.count() == users_before


def test_invitation_without_csrf_token_is_refused(invitation_token: str) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(accept_url(invitation_token), accept_data())

    assert response.status_code == 403
    assert User.objects.filter(email="olga@example.org").count() == 0
    assert Invitation.objects.get().accepted_at is None
