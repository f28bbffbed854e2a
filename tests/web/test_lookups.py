from __future__ import annotations

import pytest

from areas.models import Wijk

pytestmark = pytest.mark.django_db

PAST_64_BITS = 2**64


def test_in_leaves_out_numbers_no_key_column_can_hold(wijk):
    found = Wijk.objects.filter(pk__in=[wijk.pk, PAST_64_BITS, -PAST_64_BITS])

    assert list(found) == [wijk]


def test_in_with_only_such_numbers_matches_nothing(wijk):
    assert list(Wijk.objects.filter(pk__in=[PAST_64_BITS])) == []
    assert list(Wijk.objects.exclude(pk__in=[PAST_64_BITS])) == [wijk]
