"""How pytest-xdist hands the tests to its workers (`-n auto` in pyproject.toml).

xdist's default `load` mode sends tests one by one to whichever worker is free, so the
browser tests of one module would end up on both workers: each worker would load the
Tilburg demo and start Chromium for them (the `portal` and `browser` fixtures are
package-scoped), and the module's shared tabs would be opened twice. Its `loadgroup` mode
cannot help: on pytest 9.2 it silently stops grouping (pytest-xdist issue #1386).

This scheduler keeps all of tests/browser/ together as one unit of work and hands out every
other test on its own, as `load` does. One worker runs the browser tests, first and one
after the other, so the demo is loaded and Chromium started once in the whole run (split by
module, as before, each worker did both: on a busy 2-core machine some 30 s of one worker's
time), and `portal` empties its database before the other tests run there. The browser tests
are about a sixth of the suite's work, so the other worker has the matrix and the database
tests to fill the same time; the last tests to finish are short ones.
Like xdist's own `loadfile` and `loadgroup` modes, it only says which tests form a unit.

The permission matrix (tests/wijkportaal/test_permission_matrix.py) builds its world once per
module on each worker that runs it: its per-role tests carry a unit in their id
(`test_role[unit2-wijkregisseur]`), and the roles of one unit stay together, so each of its
four units builds the world once, on whichever worker takes it. The tests of a class stay
together too: a class shares rows made once for it (tests/helpers.py, `shared_rows`).

The order the units are handed out in: the browser tests first; then the matrix's units
and the other tests that take seconds each (SLOW_FIRST); then everything else in the order
collected. The long ones start early and the many short ones fill in behind them, so both
workers stay busy to the end instead of one waiting for the other's last long test.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
MATRIX_UNIT = re.compile(r"\[(unit\d+)-")
IN_A_CLASS = re.compile(r"^(?P<module>[^:]+)::(?P<cls>Test\w*)::")
# Tests of several seconds each (`pytest --durations`), by the start of their node ids: handed
# out right after the browser modules and the matrix, in this order.
SLOW_FIRST = (
    "tests/wijkportaal/test_permission_matrix.py::test_role",
    "tests/followup/test_tasks_worker.py",
    "tests/wijkportaal/test_worker_beat_health.py",
    "tests/wijkportaal/test_csp.py::test_every_page",
    "tests/wijkportaal/test_no_server_errors.py",
    "tests/wijkportaal/test_slow_clients.py",
    "tests/accounts/test_outbox_worker.py",
    "tests/wijkportaal/test_migrations.py",
    "tests/wijkportaal/test_head.py",
    "tests/portal/test_demo",
    "tests/accounts/test_signin_redis_down.py",
    "tests/wijkportaal/test_deploy_checks.py",
    "tests/wijkportaal/test_timeouts.py",
    "tests/areas/test_boundaries.py",
    "tests/followup/test_retention.py",
    "tests/portal/test_places.py",
    "tests/participation/test_xss.py",
    "tests/wijkportaal/test_backup_restore.py",
    "tests/wijkportaal/test_notify_subjects.py",
)


class BrowserModulesTogether(LoadScopeScheduling):
    def __init__(self, config: pytest.Config, log: object = None) -> None:
        super().__init__(config, log)  # type: ignore[arg-type]
        # Node ids are relative to the rootdir: "tests/browser/test_maps.py::test_…".
        self.browser_prefix = BROWSER_TESTS.relative_to(config.rootpath).as_posix() + "/"
        self.ordered = False

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(self.browser_prefix):
            return self.browser_prefix
        unit = MATRIX_UNIT.search(nodeid)
        if unit is not None:
            return f"{nodeid.split('::', 1)[0]}::{unit[1]}"
        in_a_class = IN_A_CLASS.match(nodeid)
        if in_a_class is not None:
            return f"{in_a_class['module']}::{in_a_class['cls']}"
        return nodeid

    def _rank(self, unit: tuple[str, dict[str, bool]]) -> tuple[int, int]:
        scope, tests = unit
        if scope.startswith(self.browser_prefix):
            return (0, -len(tests))
        slow = next((i for i, start in enumerate(SLOW_FIRST) if scope.startswith(start)), None)
        return (1, slow) if slow is not None else (2, 0)

    def _assign_work_unit(self, node: Any) -> None:
        # The first time, the queue holds every unit (xdist's order: largest first); sorted
        # (stably) in the order the module's docstring gives before any is handed out.
        if not self.ordered:
            self.workqueue = OrderedDict(sorted(self.workqueue.items(), key=self._rank))
            self.ordered = True
        super()._assign_work_unit(node)
