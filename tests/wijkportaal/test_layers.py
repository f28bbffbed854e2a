"""The shape of the code: the layers of docs/architecture.md hold, and no module imports
itself back through others.

The layers contract itself is checked by import-linter (`lint-imports`, in `make test`);
this test finds import cycles between modules, which a layers contract cannot see inside one
app.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

from tests.layers import APPS, import_cycles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, exclude_type_checking_imports=True, cache_dir=None)


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    assert import_cycles(graph) == []


def test_import_cycles_are_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three", "a.four"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.three")
    graph.add_import(importer="a.three", imported="a.one")
    graph.add_import(importer="a.three", imported="a.four")

    assert import_cycles(graph) == [["a.one", "a.three", "a.two"]]


def test_no_module_outside_migrations_and_demo_data_passes_800_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): length
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and "demo" not in path.parts
        and (length := len(path.read_text().splitlines())) > 800
    }

    assert long == {}
