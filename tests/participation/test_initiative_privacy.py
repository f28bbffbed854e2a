"""A resident who deletes their account: their initiatives that never became public go with
it, public ones stay without a name; the privacy statement says so."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.follows import follow, is_following
from accounts.models import Follow, Notification, User
from participation.models import Initiative, InitiativeStep
from participation.services.initiatives import answer_initiative, submit_initiative
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

DELETE = "/account/verwijderen/"
PASSWORD = "wachtwoord-voor-tests"


@pytest.fixture
def resident():
    """A resident account (signed up, confirmed): the kind that deletes itself."""
    return UserFactory(
        email="bewoner@example.org",
        full_name="Bewoner Bas",
        is_resident=True,
        email_confirmed_at=timezone.now(),
    )


def submitted(wijk, by, title):
    return submit_initiative(
        wijk=wijk, by=by, values={"title": title, "body": "Een plan.", "group_name": ""}
    )


def test_deleting_the_account_deletes_its_unpublished_initiatives_and_keeps_public_ones(
    client, wijk, resident, team_member
):
    waiting = submitted(wijk, resident, "Wacht nog")
    turned_down = submitted(wijk, resident, "Meteen afgewezen")
    answer_initiative(
        initiative=turned_down, by=team_member, status="not_supported", reason="Privézaak."
    )
    public = submitted(wijk, resident, "Openbaar")
    answer_initiative(initiative=public, by=team_member, status="conversation")
    others = submitted(wijk, UserFactory(email="buur@example.org"), "Van de buren")
    follow(user=team_member, subject=waiting)
    follow(user=team_member, subject=public)
    client.force_login(resident)

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert (response.status_code, response["Location"]) == (HTTPStatus.FOUND, "/")
    assert not User.objects.filter(pk=resident.pk).exists()
    assert sorted(Initiative.objects.values_list("title", "submitted_by_id")) == [
        ("Openbaar", None),
        ("Van de buren", others.submitted_by_id),
    ]
    assert sorted(InitiativeStep.objects.values_list("initiative__title", "status")) == [
        ("Openbaar", "conversation"),
        ("Openbaar", "received"),
        ("Van de buren", "received"),
    ]
    # Nobody follows a deleted initiative any more; the team's notification of it stays,
    # but names a subject that is gone, so it is listed and mailed to nobody.
    initiative_type = ContentType.objects.get_for_model(Initiative)
    assert sorted(
        Follow.objects.filter(content_type=initiative_type).values_list("object_id", flat=True)
    ) == sorted([public.pk, others.pk])
    assert not is_following(team_member, waiting)
    client.force_login(team_member)
    listed = client.get("/account/meldingen/").content.decode()
    assert "Wacht nog" not in listed
    assert "Van de buren" in listed
    assert Notification.objects.filter(recipient=team_member, subject_id=waiting.pk).count() == 1


def test_the_published_initiative_of_a_deleted_account_still_shows_without_a_name(
    client, wijk, resident, team_member
):
    public = submitted(wijk, resident, "Openbaar")
    answer_initiative(initiative=public, by=team_member, status="conversation")
    resident.delete()

    response = client.get(public.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.context["initiative"].submitted_by is None
    assert Initiative.objects.get().published_at <= timezone.now()


def test_the_privacy_statement_and_the_delete_page_say_what_happens_to_initiatives(
    client, resident
):
    privacy = client.get("/privacy/").content.decode()
    client.force_login(resident)
    delete_page = client.get(DELETE).content.decode()

    assert (
        "The initiatives you submit: the team that answers them sees them, and once it takes "
        "one up, its title, text, group name and place are public. Your name is never shown."
    ) in privacy
    assert (
        "Initiatives you submitted that are not public yet are deleted with your account; "
        "public ones stay, without your name."
    ) in " ".join(privacy.split())
    assert (
        "Initiatives you submitted that are not public yet are deleted with your account; "
        "public ones stay, without your name."
    ) in delete_page
