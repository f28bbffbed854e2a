from __future__ import annotations

import pytest

from followup.models import Report


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("queued", (False, False, False)),
        ("running", (False, False, False)),
        ("done", (True, False, True)),
        ("failed", (False, True, True)),
    ],
)
def test_report_status_properties(status: str, expected: tuple[bool, bool, bool]) -> None:
    report = Report(status=status)

    assert (report.is_done, report.is_failed, report.is_finished) == expected
