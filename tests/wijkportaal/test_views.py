from __future__ import annotations

import re
from typing import Any

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
def test_health_answers_head_for_monitors(client: Client) -> None:
    response = client.head("/status/")

    assert (response.status_code, response.content, response["Content-Type"]) == (
        200,
        b"",
        "text/plain; charset=utf-8",
    )


@pytest.mark.django_db
def test_health_refuses_post(client: Client) -> None:
    response = client.post("/status/")

    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


@pytest.fixture
def english(settings: Any) -> None:
    # Assertions read the English msgids, whatever the Dutch catalogue says.
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English")]


def texts(html: str, tag: str) -> list[str]:
    """The text of every <tag>, tags stripped and whitespace collapsed."""
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in found]


@pytest.mark.django_db
def test_accessibility_statement_names_standard_checks_limits_and_contact(
    client: Client, english: None
) -> None:
    response = client.get("/toegankelijkheid/")
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    assert (response.status_code, texts(main, "h1"), texts(main, "h2")) == (
        200,
        ["Accessibility statement"],
        [
            "The rules we follow",
            "How we check this",
            "What does not work well yet",
            "Does something not work for you?",
        ],
    )
    assert re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', main) == [
        ("2026-11-21", "21 November 2026")
    ]
    assert re.findall(r'href="(mailto:[^"]+)"', main) == ["mailto:toegankelijkheid@example.org"]
    assert [
        phrase
        for phrase in ("WCAG 2.2 at level AA", "WCAG 2.1 at level AA", "EN 301 549", "axe-core")
        + ("375 pixels wide", "1280 pixels wide", "only a keyboard", "4.5 to 1", "3 to 1")
        + ("a list beside each map", "The background map")
        if phrase not in " ".join(texts(main, "p") + texts(main, "li"))
    ] == []


@pytest.mark.django_db
def test_accessibility_statement_uses_the_contact_setting(client: Client, settings: Any) -> None:
    settings.WIJKPORTAAL_ACCESSIBILITY_CONTACT = "digitoegankelijk@tilburg.example"

    response = client.get("/toegankelijkheid/")

    assert re.findall(r'href="(mailto:[^"]+)"', response.content.decode()) == [
        "mailto:digitoegankelijk@tilburg.example"
    ]


@pytest.mark.django_db
def test_footer_links_to_the_accessibility_and_privacy_statements(
    client: Client, english: None
) -> None:
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]

    assert (
        response.status_code,
        re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', footer),
    ) == (
        404,
        [
            ("/toegankelijkheid/", "Accessibility statement"),
            ("/privacy/", "Privacy statement"),
            ("/open-data/", "Open data"),
            ("/api/docs/", "Open data: the API"),
        ],
    )


@pytest.mark.django_db
def test_accessibility_statement_refuses_post(client: Client) -> None:
    response = client.post("/toegankelijkheid/")

    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
