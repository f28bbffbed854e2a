from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, User
from tests.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

LIST_URL = "/account/meldingen/"
HEADER_LINK = re.compile(r'<a [^>]*href="/account/meldingen/"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def client(resident: User) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def make(recipient: User, *, title: str, minutes_ago: int, read: bool = False, url: str = ""):
    now = timezone.now()
    return NotificationFactory(
        recipient=recipient,
        title=title,
        url=url,
        created_at=now - dt.timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def listed(response) -> list[tuple[str, bool]]:
    return [(n.title, n.read_at is None) for n in response.context["page_obj"]]


def test_list_shows_own_notifications_newest_first_unread_marked(client, resident):
    make(resident, title="Oud", minutes_ago=30, read=True)
    make(resident, title="Nieuw", minutes_ago=1)
    make(UserFactory(), title="Van een ander", minutes_ago=2)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == [("Nieuw", True), ("Oud", False)]
    assert re.findall(r'<li class="notification( notification--unread)?"', response.text) == [
        " notification--unread",
        "",
    ]
    assert "Van een ander" not in response.text


def test_list_is_paginated(client, resident):
    for minutes in range(21):
        make(resident, title=f"Melding {minutes:02}", minutes_ago=minutes)

    second = client.get(LIST_URL, {"page": 2})

    assert listed(second) == [("Melding 20", True)]


def test_list_needs_sign_in():
    response = Client().get(LIST_URL)

    assert (response.status_code, response.url) == (302, f"/account/inloggen/?next={LIST_URL}")


def test_list_runs_a_fixed_number_of_queries(client, resident):
    make(resident, title="Een", minutes_ago=1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    for minutes in range(2, 8):
        make(resident, title="Meer", minutes_ago=minutes)
    with CaptureQueriesContext(connection) as seven:
        client.get(LIST_URL)

    assert len(seven) == len(one)


def test_mark_read_marks_and_returns_to_the_list(client, resident):
    notification = make(resident, title="Nieuw", minutes_ago=1)

    response = client.post(f"/account/meldingen/{notification.pk}/gelezen/")

    assert (response.status_code, response.url) == (302, LIST_URL)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_returns_to_the_page_it_came_from_if_local(client, resident):
    notification = make(resident, title="Nieuw", minutes_ago=1)
    url = f"/account/meldingen/{notification.pk}/gelezen/"

    same = client.post(url, {"next": "/account/meldingen/?page=2"})
    foreign = client.post(url, {"next": "https://evil.example/account/meldingen/"})

    assert (same.url, foreign.url) == ("/account/meldingen/?page=2", LIST_URL)


def test_mark_read_htmx_swaps_the_item(client, resident):
    notification = make(resident, title="Nieuw", minutes_ago=1)

    response = client.post(
        f"/account/meldingen/{notification.pk}/gelezen/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<li class="notification" id="notification-{notification.pk}">'
    )
    assert "<html" not in response.text
    assert "Mark as read" not in response.text
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_of_another_users_notification_is_404(client):
    foreign = make(UserFactory(), title="Van een ander", minutes_ago=1)

    response = client.post(f"/account/meldingen/{foreign.pk}/gelezen/")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_read_needs_post(client, resident):
    notification = make(resident, title="Nieuw", minutes_ago=1)

    response = client.get(f"/account/meldingen/{notification.pk}/gelezen/")

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_own(client, resident):
    make(resident, title="Een", minutes_ago=1)
    make(resident, title="Twee", minutes_ago=2)
    foreign = make(UserFactory(), title="Van een ander", minutes_ago=3)

    response = client.post("/account/meldingen/alles-gelezen/")

    assert (response.status_code, response.url) == (302, LIST_URL)
    assert Notification.objects.filter(recipient=resident, read_at=None).count() == 0
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_all_read_htmx_returns_the_list(client, resident):
    make(resident, title="Een", minutes_ago=1)

    response = client.post("/account/meldingen/alles-gelezen/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="notifications">')
    assert listed(response) == [("Een", False)]


def test_open_marks_read_and_follows_the_link(client, resident):
    notification = make(resident, title="Nieuw", minutes_ago=1, url="/voorstellen/speelveld/")

    response = client.get(f"/account/meldingen/{notification.pk}/")

    assert (response.status_code, response.url) == (302, "/voorstellen/speelveld/")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_open_refuses_a_link_to_another_host(client, resident, url):
    notification = make(resident, title="Nieuw", minutes_ago=1, url=url)

    response = client.get(f"/account/meldingen/{notification.pk}/")

    assert (response.status_code, response.url) == (302, LIST_URL)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_another_users_notification_is_404(client):
    foreign = make(UserFactory(), title="Van een ander", minutes_ago=1, url="/")

    response = client.get(f"/account/meldingen/{foreign.pk}/")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


# ---- The header -------------------------------------------------------------------------


def test_header_shows_the_exact_unread_count_with_one_query(client, resident):
    for minutes in range(3):
        make(resident, title="Ongelezen", minutes_ago=minutes)
    for minutes in range(2):
        make(resident, title="Gelezen", minutes_ago=10 + minutes, read=True)
    make(UserFactory(), title="Van een ander", minutes_ago=1)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert HEADER_LINK.findall(response.text) == [
        'Notifications (3<span class="visually-hidden"> unread</span>)'
    ]
    assert len([q for q in queries if "accounts_notification" in q["sql"]]) == 1


def test_header_without_unread_shows_no_count(client, resident):
    make(resident, title="Gelezen", minutes_ago=1, read=True)

    response = client.get("/")

    assert HEADER_LINK.findall(response.text) == ["Notifications"]


def test_header_count_for_anonymous_runs_no_query(settings):
    Client().get("/")  # warm the caches that the first request fills
    with CaptureQueriesContext(connection) as with_processor:
        response = Client().get("/")
    templates = settings.TEMPLATES[0]
    processors = templates["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **templates,
            "OPTIONS": {
                **templates["OPTIONS"],
                "context_processors": [
                    p for p in processors if p != "accounts.context_processors.notifications"
                ],
            },
        }
    ]
    with CaptureQueriesContext(connection) as without_processor:
        Client().get("/")

    assert "accounts.context_processors.notifications" in processors
    assert response.status_code == 200
    assert HEADER_LINK.findall(response.text) == []
    assert len(with_processor) == len(without_processor)
    assert [q for q in with_processor if "accounts_notification" in q["sql"]] == []
