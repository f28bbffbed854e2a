"""The production configuration passes `manage.py check --deploy`, and a developer's plain
http run keeps working.

The production values of the HTTPS switches are read from .env.example (the lines shown
there, commented out or not) and must match the defaults docker-compose.yml gives them. The
checks run in a fresh interpreter with a chosen environment, as a deployment would start
(as in test_timeouts.py), so no developer's .env or the test suite's own settings decide.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# The switches production turns on (documented in .env.example, set in docker-compose.yml).
PRODUCTION_SWITCHES = (
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
)
# Everything else the settings read that the deployment checks look at: given in a run, or
# left out so that its default holds.
OTHER_NAMES = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECURE_HSTS_PRELOAD",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "WIJKPORTAAL_STATIC_ROOT",
)

READ_SETTINGS = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "wijkportaal.settings"
from django.conf import settings
print(json.dumps({
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def env_example_values() -> dict[str, str]:
    """The value .env.example shows for each variable, commented out or not."""
    text = (BASE_DIR / ".env.example").read_text()
    return dict(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE))


def collected(static_root: Path) -> Path:
    """A folder as `collectstatic` leaves it, as far as the checks look: with a manifest."""
    static_root.mkdir(exist_ok=True)
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    return static_root


def production_environment(static_root: Path) -> dict[str, str]:
    shown = env_example_values()
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "wijkportaal.example.nl",
        "WIJKPORTAAL_STATIC_ROOT": str(static_root),
        **{name: shown[name] for name in PRODUCTION_SWITCHES},
    }


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python in the project folder with only `environment` of the names the checks read.

    The others are left out, so the settings' defaults decide (like test_timeouts.py, this
    assumes no .env in the project folder sets them, as in CI).
    """
    names = PRODUCTION_SWITCHES + OTHER_NAMES
    env = {key: value for key, value in os.environ.items() if key not in names}
    env |= environment
    return subprocess.run(  # noqa: S603
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_env_example_shows_the_production_values_docker_compose_sets() -> None:
    shown = env_example_values()
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    for name in PRODUCTION_SWITCHES:
        assert f"{name}: ${{{name}:-{shown[name]}}}" in compose, name
    assert shown["DJANGO_SECURE_COOKIES"] == "true"
    assert shown["DJANGO_SECURE_SSL_REDIRECT"] == "true"
    assert int(shown["DJANGO_SECURE_HSTS_SECONDS"]) >= 31536000
    assert shown["DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "true"


def test_check_deploy_is_clean_with_the_production_values(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(collected(tmp_path / "static")),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_warns_when_collectstatic_has_not_run(tmp_path: Path) -> None:
    """Without the manifest every page is a 500: `check --deploy` says so."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
    )
    assert result.returncode != 0
    assert "(portal.W001) The static files manifest staticfiles.json is missing from" in (
        result.stderr
    )
    assert "manage.py collectstatic --no-input" in result.stderr


def test_check_deploy_warns_without_them(tmp_path: Path) -> None:
    """The test above would pass for nothing if the checks never fired."""
    environment = production_environment(collected(tmp_path / "static"))
    for name in PRODUCTION_SWITCHES:
        environment.pop(name)
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


def test_a_debug_run_stays_plain_http() -> None:
    result = run(["-c", READ_SETTINGS], {"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_the_test_suite_runs_plain_http() -> None:
    from django.conf import settings

    assert not settings.SECURE_SSL_REDIRECT
    assert not settings.SESSION_COOKIE_SECURE
    assert not settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS == 0
