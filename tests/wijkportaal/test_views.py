from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_answers_ok_without_a_query(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get("/status/")

    assert (response.status_code, response.content, response["Cache-Control"]) == (
        200,
        b"ok\n",
        "max-age=0, no-cache, no-store, must-revalidate, private",
    )


@pytest.mark.django_db
def test_health_refuses_post(client: Client) -> None:
    response = client.post("/status/")

    assert (response.status_code, response["Allow"]) == (405, "GET")
