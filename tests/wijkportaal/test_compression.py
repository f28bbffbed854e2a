"""Answers travel compressed: HTML for anonymous visitors (wijkportaal/middleware.py), and the
static files of the production storage, with far-future caching for their hashed names."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from tests.factories import GebiedsteamFactory, WijkFactory

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_anonymous_page_is_gzipped_and_unchanged_by_it(client: Client) -> None:
    WijkFactory(name="Het Zand", gebiedsteam=GebiedsteamFactory(name="West"))
    plain = client.get("/wijken/")
    compressed = client.get("/wijken/", headers=GZIP)

    assert plain.status_code == compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed.cookies == {}


def test_page_with_a_csrf_token_is_not_compressed(client: Client) -> None:
    # The sign-in form holds a CSRF token next to the `next` a link can choose (BREACH).
    response = client.get("/account/inloggen/?next=/wijken/", headers=GZIP)

    assert response.status_code == 200
    assert response.has_header("Content-Encoding") is False
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_signed_in_pages_are_not_compressed(client: Client, resident: User) -> None:
    client.force_login(resident)
    response = client.get("/wijken/", headers=GZIP)

    assert response.status_code == 200
    assert response.has_header("Content-Encoding") is False
    assert resident.full_name.encode() in response.content


def test_favicon_answers_with_the_icon_and_no_cookie(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (302, "/static/favicon.svg")
    assert response["Cache-Control"] == "max-age=86400, public"
    assert response.cookies == {}
    assert finders.find("favicon.svg") is not None


@pytest.fixture
def collected(tmp_path: Path) -> Path:
    """The static files collected with the settings' production storage, as the image does
    (without those that the page of the test does not need)."""
    static_root = tmp_path / "static"
    production = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": production},
        },
    ):
        # Not the admin's, Leaflet's and the vendored files, which no page below names:
        # Brotli at its best is slow, and they would take minutes on a busy machine.
        # Swagger UI's files (under the prefix vendor/swagger-ui, which a pattern cannot name)
        # and the browsable API's, which the API does not use.
        ignore = ["admin", "leaflet", "vendor", "leaflet.*", "*.map", "htmax-*", "htmx-4*", "ext"]
        ignore += ["swagger-ui*", "rest_framework"]
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ignore)
    return static_root


def test_production_storage_is_the_default_whatever_the_deployment() -> None:
    from wijkportaal import settings as module

    assert module.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_static_files_are_compressed_and_cached_for_a_year(
    collected: Path, settings: pytest.FixtureRequest
) -> None:
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    page = Client().get("/toegankelijkheid/")
    # The pages name the hashed files.
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', page.content)
    assert [re.sub(rb"\.[0-9a-f]{12}\.", b".HASH.", s) for s in stylesheets] == [
        b"/static/css/nlds.HASH.css",
        b"/static/css/portal.HASH.css",
    ]
    url = stylesheets[0].decode()
    name = url.removeprefix("/static/")
    assert staticfiles_storage.url("css/nlds.css") == url
    assert (collected / f"{name}.br").is_file() and (collected / f"{name}.gz").is_file()

    # A new client: whitenoise reads the collected files when the middleware starts.
    client = Client()
    brotli = client.get(url, headers=GZIP)
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url)

    assert (brotli.status_code, brotli["Content-Encoding"]) == (200, "br")
    assert gzipped["Content-Encoding"] == "gzip"
    assert plain.has_header("Content-Encoding") is False
    for response in (brotli, gzipped, plain):
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert "Accept-Encoding" in response["Vary"]
    body = b"".join(plain.streaming_content)
    assert body == (collected / name).read_bytes()
    assert int(brotli["Content-Length"]) < len(body) / 4
