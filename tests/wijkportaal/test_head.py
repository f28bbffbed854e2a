"""HEAD answers as GET does, without a body: uptime monitors and link checkers use HEAD.

Every view of the permission matrix (tests/permissions/views.py, which has an entry for
every pattern of the URL conf) is requested with GET and with HEAD, for the first of its
objects in the matrix's world, anonymously and as the technical superuser (who gets past
every login and permission check, so the view itself answers). The status must be the same,
and HEAD's answer must be empty. A view that takes no GET (POST only) refuses HEAD too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.permissions.matrix import target_for, url_and_data
from tests.permissions.views import VIEWS
from tests.permissions.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "superuser")


def _answer(client: Client, method: str, url: str, headers: dict[str, str] | None) -> Any:
    with transaction.atomic():
        send = client.get if method == "GET" else client.head
        response = send(url, headers=headers)
        transaction.set_rollback(True)
    return response


def test_head_answers_as_get_for_every_view() -> None:
    world = build_world()
    differences = []
    checked = 0
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        for name, view in VIEWS.items():
            target = target_for(world, view.targets[0], role)
            url, _ = url_and_data(view, name, target)
            headers = {"HX-Request": "true"} if view.htmx else None
            get = _answer(client, "GET", url, headers)
            head = _answer(client, "HEAD", url, headers)
            checked += 1
            body = b"" if head.streaming else head.content
            if head.status_code != get.status_code or body:
                differences.append(
                    f"{role} {name} {url}: GET {get.status_code}, HEAD {head.status_code}"
                    + (f" with a body of {len(body)} bytes" if body else "")
                )
    assert checked == len(ROLES) * len(VIEWS)
    assert differences == []


def test_a_public_page_answers_head_with_200_and_no_body(client: Client) -> None:
    response = client.head("/wijken/")

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"].startswith("text/html")


def test_a_post_only_view_refuses_head(client: Client) -> None:
    response = client.head("/account/uitloggen/")

    assert response.status_code == 405
