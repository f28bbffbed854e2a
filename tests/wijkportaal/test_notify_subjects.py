"""Every notification of a domain app says what it is about (issue 12).

The e-mail of a notification, immediately or in a digest, goes out only while its
recipient may still see its `subject`; a call of `notify` without one would be told
regardless. So each call in the domain apps passes `subject=`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.layers import APPS

ROOT = Path(__file__).resolve().parents[2]


def calls_of_notify_without_subject() -> list[str]:
    found = []
    for app in APPS:
        if app in ("accounts", "web", "wijkportaal"):
            continue
        for path in sorted((ROOT / app).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "notify"
                    and "subject" not in {keyword.arg for keyword in node.keywords}
                ):
                    found.append(f"{name}:{node.lineno}")
    return found


def test_every_notify_in_the_domain_apps_names_its_subject() -> None:
    assert calls_of_notify_without_subject() == []


def test_the_check_sees_notify_calls() -> None:
    """The walk above finds calls at all: the domain apps do call notify."""
    calls = [
        node
        for app in APPS
        if app not in ("accounts", "web", "wijkportaal")
        for path in (ROOT / app).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify"
    ]
    assert len(calls) >= 10
