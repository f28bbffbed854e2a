from __future__ import annotations

import pytest

from pacts.models import Pact


@pytest.mark.parametrize(
    ("status", "expected"), [("draft", True), ("active", False), ("ended", False)]
)
def test_pact_is_draft_only_as_a_draft(status: str, expected: bool) -> None:
    assert Pact(status=status).is_draft is expected
