"""ORM lookups the portal registers for every model (accounts.apps registers them at start)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column, leaving out the numbers the column cannot hold.

    Such a number matches no row, as Django's own exact, gt and lt lookups on integer fields
    already decide (IntegerFieldOverflow); `in` lacks that, and SQLite then raises
    OverflowError for a number past 64 bits. Every ModelMultipleChoiceField looks its posted
    keys up with `pk__in`, so a form given `wijken=99999999999999999999` answered 500 instead
    of "not one of the choices".
    """

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


def _within(value: object, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


def register() -> None:
    models.IntegerField.register_lookup(IntegerFieldIn)
