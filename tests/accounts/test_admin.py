from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import (
    Follow,
    Invitation,
    Notification,
    NotificationPreference,
    OutgoingMail,
    ThrottleCount,
    User,
)
from tests.factories import NotificationFactory, UserFactory


def make_follow() -> Follow:
    user = UserFactory()
    return Follow.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(User), object_id=user.pk
    )


def make_preference() -> NotificationPreference:
    return NotificationPreference.objects.create(
        user=UserFactory(), kind=Notification.Kind.REMINDER, frequency="daily"
    )


def make_invitation() -> Invitation:
    invitation, __ = Invitation.issue(
        email="uitgenodigd@example.org", invited_by=UserFactory(), purpose={"team": 1}
    )
    return invitation


def make_mail() -> OutgoingMail:
    return OutgoingMail.objects.create(
        kind=OutgoingMail.Kind.NOTIFICATION, to="bewoner@example.org", subject="Nieuw", text="."
    )


MAKERS: dict[type[Model], Callable[[], Model]] = {
    OutgoingMail: make_mail,
    User: UserFactory,
    Invitation: make_invitation,
    Notification: NotificationFactory,
    Follow: make_follow,
    NotificationPreference: make_preference,
    Group: lambda: Group.objects.create(name=f"Groep {Group.objects.count()}"),
}
# Not in the admin: the throttle's counters while the cache is down are hashed keys that
# expire within the hour; there is nothing in them to read or to change.
NOT_IN_ADMIN = {ThrottleCount}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ("accounts", "auth")),
    key=lambda model: model._meta.model_name,
)


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(staff: User) -> User:
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def test_every_accounts_model_is_registered() -> None:
    models = set(apps.get_app_config("accounts").get_models()) - NOT_IN_ADMIN

    assert set(REGISTERED) == {*models, Group}
    assert set(REGISTERED) == set(MAKERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_admin_pages_answer_200(model: type[Model], admin_client: Client) -> None:
    obj = MAKERS[model]()

    changelist = admin_client.get(admin_url(model, "changelist"))
    add = admin_client.get(admin_url(model, "add"))
    change = admin_client.get(admin_url(model, "change", obj.pk))

    # Invitations and mails are written by the portal, so their admin has no add page.
    expected_add = 403 if model in (Invitation, OutgoingMail) else 200
    assert (changelist.status_code, add.status_code, change.status_code) == (
        200,
        expected_add,
        200,
    )
    assert changelist.context["cl"].result_count == model._default_manager.count()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.model_name)
def test_changelist_query_count_does_not_grow_with_rows(
    model: type[Model], admin_client: Client
) -> None:
    url = admin_url(model, "changelist")
    MAKERS[model]()
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for __ in range(3):
        MAKERS[model]()
    with CaptureQueriesContext(connection) as four:
        response = admin_client.get(url)

    assert response.context["cl"].result_count == model._default_manager.count()
    assert len(four) == len(one)


def test_user_admin_creates_a_user_by_email(admin_client: Client) -> None:
    response = admin_client.post(
        admin_url(User, "add"),
        {
            "email": "  Nieuwe.Collega@Example.org ",
            "full_name": "Nieuwe Collega",
            "password1": "lange-zin-met-bomen-2024",
            "password2": "lange-zin-met-bomen-2024",
            "_save": "Opslaan",
        },
    )

    user = User.objects.get(email="nieuwe.collega@example.org")
    assert (response.status_code, response["Location"]) == (302, admin_url(User, "change", user.pk))
    assert (user.full_name, user.is_staff, user.is_superuser) == ("Nieuwe Collega", False, False)
    assert user.check_password("lange-zin-met-bomen-2024") is True


def test_user_admin_refuses_an_email_in_use_in_another_case(admin_client: Client) -> None:
    UserFactory(email="bestaand@example.org")

    response = admin_client.post(
        admin_url(User, "add"),
        {
            "email": "Bestaand@Example.org",
            "password1": "lange-zin-met-bomen-2024",
            "password2": "lange-zin-met-bomen-2024",
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["email"]
    assert User.objects.filter(email__iexact="bestaand@example.org").count() == 1


def test_user_admin_changes_email_and_flags(admin_client: Client, resident: User) -> None:
    response = admin_client.post(
        admin_url(User, "change", resident.pk),
        {
            "email": "Bas@Example.org",
            "full_name": "Bas Bewoner",
            "is_active": "on",
            "is_moderator": "on",
            "_save": "Opslaan",
        },
    )

    assert (response.status_code, response["Location"]) == (302, admin_url(User, "changelist"))
    resident.refresh_from_db()
    assert (resident.email, resident.full_name, resident.is_moderator, resident.is_staff) == (
        "bas@example.org",
        "Bas Bewoner",
        True,
        False,
    )
    assert resident.check_password("wachtwoord-voor-tests") is True


def test_user_changelist_searches_by_email(admin_client: Client, resident: User) -> None:
    UserFactory(email="iemand-anders@example.org")

    response = admin_client.get(admin_url(User, "changelist"), {"q": "bewoner@"})

    assert [user.email for user in response.context["cl"].result_list] == ["bewoner@example.org"]


def test_the_functional_administrator_manages_the_domain_in_the_admin_site(
    client: Client, staff: User
) -> None:
    client.force_login(staff)

    pages = [
        client.get(reverse("admin:areas_wijkraad_changelist")).status_code,
        client.get(reverse("admin:pacts_partnerorganisation_changelist")).status_code,
        client.get(reverse("admin:accounts_user_changelist")).status_code,
        client.get(reverse("admin:auth_group_changelist")).status_code,
    ]

    # Groups and permissions are the technical superuser's.
    assert pages == [200, 200, 200, 403]


def test_the_functional_administrator_cannot_make_anyone_superuser(
    client: Client, staff: User, resident: User
) -> None:
    client.force_login(staff)

    response = client.get(admin_url(User, "change", resident.pk))

    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="is_functional_admin"' in response.content.decode()


def test_staff_without_the_functional_administrator_flag_manage_nothing(
    client: Client, resident: User
) -> None:
    resident.is_staff = True
    resident.save(update_fields=["is_staff"])
    client.force_login(resident)

    response = client.get(reverse("admin:areas_wijkraad_changelist"))

    assert response.status_code == 403
