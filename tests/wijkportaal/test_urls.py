from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

# A sample value for each path converter the URL conf uses.
SAMPLES = {"slug": "een-naam", "int": "7", "string": "abc", "path": "a/b"}


def named_routes(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every named route of the URL conf, with its full name (namespace:name)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def sample_kwargs(route: URLPattern) -> dict[str, str]:
    converters = route.pattern.converters  # type: ignore[attr-defined]
    kinds = {
        key: type(c).__name__.removesuffix("Converter").lower() for key, c in converters.items()
    }
    assert set(kinds.values()) <= set(SAMPLES), (
        f"no sample for {set(kinds.values()) - set(SAMPLES)}"
    )
    return {key: SAMPLES[kind] for key, kind in kinds.items()}


def test_no_two_routes_share_a_name() -> None:
    counts = Counter(name for name, _ in named_routes())

    assert [name for name, count in counts.items() if count > 1] == []


def test_every_route_resolves_to_itself() -> None:
    """A literal path never falls to an earlier pattern of another app (or the other way)."""
    wrong = {}
    for name, route in named_routes():
        if name.startswith("admin:"):
            continue
        path = reverse(name, kwargs=sample_kwargs(route))
        resolved = resolve(path).view_name
        if resolved != name:
            wrong[path] = (name, resolved)

    assert wrong == {}


def test_the_apps_have_their_own_namespaces() -> None:
    namespaces = {
        entry.namespace for entry in get_resolver().url_patterns if isinstance(entry, URLResolver)
    }

    assert namespaces == {
        "accounts",
        "admin",
        "agendas",
        "api",
        "areas",
        "followup",
        "meetings",
        "pacts",
        "participation",
        "portal",
    }
