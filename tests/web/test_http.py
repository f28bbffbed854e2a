from __future__ import annotations

from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from web import http
from web.http import is_local_path, safe_next

DEFAULT = "/terug/"


def post(data: dict[str, str], *, secure: bool = False):
    return RequestFactory().post("/formulier/", data, secure=secure)


@pytest.mark.parametrize(
    "target",
    ["/werkplek/", "/moderatie/?page=2", "/wijken/noord/#kaart"],
)
def test_safe_next_accepts_a_local_path(target):
    assert safe_next(post({"next": target}), DEFAULT) == target


@pytest.mark.parametrize(
    "target",
    [
        "",
        "abc",  # would be taken for the name of a URL pattern
        "werkplek/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "http://testserver/werkplek/",
        "javascript:alert(1)",
    ],
)
def test_safe_next_refuses_anything_but_a_local_path(target):
    assert safe_next(post({"next": target}), DEFAULT) == DEFAULT


def test_safe_next_reads_the_query_string_when_the_form_has_no_next():
    request = RequestFactory().post("/formulier/?next=/werkplek/", {})

    assert safe_next(request, DEFAULT) == "/werkplek/"


def test_safe_next_prefers_the_form_over_the_query_string():
    request = RequestFactory().post("/formulier/?next=/a/", {"next": "/b/"})

    assert safe_next(request, DEFAULT) == "/b/"


def test_safe_next_under_a_prefix_refuses_other_local_pages():
    request = post({"next": "/werkplek/"})

    assert safe_next(request, "/meldingen/", under="/meldingen/") == "/meldingen/"
    assert safe_next(post({"next": "/meldingen/?page=2"}), "/x/", under="/meldingen/") == (
        "/meldingen/?page=2"
    )


def test_is_local_path_refuses_plain_http_back_to_a_secure_site():
    request = post({}, secure=True)

    assert (is_local_path(request, "/a/"), is_local_path(request, "http://testserver/a/")) == (
        True,
        False,
    )


@pytest.mark.parametrize(("htmx", "name"), [(False, "page.html"), (True, "page.html#form")])
def test_render_page_or_fragment_renders_the_partial_only_for_htmx(monkeypatch, htmx, name):
    rendered = []

    def fake_render(request, template_name, context, status):
        rendered.append((template_name, context, status))
        return HttpResponse(status=status)

    monkeypatch.setattr(http, "render", fake_render)
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)

    response = http.render_page_or_fragment(
        request, "page.html", "form", {"a": 1}, HTTPStatus.CONFLICT
    )

    assert rendered == [(name, {"a": 1}, HTTPStatus.CONFLICT)]
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", ""), ("?gebied=noord", "noord"), ("?gebied=%00", ""), ("?gebied=no%00ord", "")],
)
def test_query_text_ignores_a_value_with_a_nul(query, expected):
    request = RequestFactory().get(f"/lijst/{query}")
    assert http.query_text(request, "gebied") == expected
