"""How pytest-xdist hands the tests to its workers (`-n auto` in pyproject.toml).

xdist's default `load` mode sends tests one by one to whichever worker is free, so the
browser tests of one module would end up on both workers: each worker would load the
Tilburg demo and start Chromium for them (the `portal` and `browser` fixtures are
package-scoped), and the module's shared tabs would be opened twice. Its `loadgroup` mode
cannot help: on pytest 9.2 it silently stops grouping (pytest-xdist issue #1386).

This scheduler keeps each module of tests/browser/ together as one unit of work and hands
out every other test on its own, as `load` does. xdist starts the units with the most tests
first (its `--loadscope-reorder`, on by default), so the long browser modules start at once
on the workers and the short database tests fill in around them, and the last tests to
finish are short ones. A worker runs all its browser modules before anything else, so it
loads the demo once, and `portal` empties its database before the other tests run there.
Like xdist's own `loadfile` and `loadgroup` modes, it only says which tests form a unit.

The permission matrix (tests/wijkportaal/test_permission_matrix.py) builds its world once per
module on each worker that runs it: its per-role tests carry a unit in their id
(`test_role[unit2-wijkregisseur]`), and the roles of one unit stay together, so each of its
four units builds the world once, on whichever worker takes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
MATRIX_UNIT = re.compile(r"\[(unit\d+)-")


class BrowserModulesTogether(LoadScopeScheduling):
    def __init__(self, config: pytest.Config, log: object = None) -> None:
        super().__init__(config, log)  # type: ignore[arg-type]
        # Node ids are relative to the rootdir: "tests/browser/test_maps.py::test_…".
        self.browser_prefix = BROWSER_TESTS.relative_to(config.rootpath).as_posix() + "/"

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(self.browser_prefix):
            return nodeid.split("::", 1)[0]
        unit = MATRIX_UNIT.search(nodeid)
        if unit is not None:
            return f"{nodeid.split('::', 1)[0]}::{unit[1]}"
        return nodeid
