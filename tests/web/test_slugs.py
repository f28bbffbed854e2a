from __future__ import annotations

import pytest

from participation.models import Proposal
from tests.factories import ProposalFactory
from web.slugs import unique_slug

pytestmark = pytest.mark.django_db


def test_unique_slug_is_the_slug_of_the_title_when_it_is_free():
    assert unique_slug(Proposal, "Bomen aan de Ringbaan", fallback="voorstel") == (
        "bomen-aan-de-ringbaan"
    )


def test_unique_slug_numbers_a_slug_that_is_taken():
    ProposalFactory(slug="bomen")
    ProposalFactory(slug="bomen-2")

    assert unique_slug(Proposal, "Bomen", fallback="voorstel") == "bomen-3"


def test_unique_slug_avoids_reserved_slugs():
    assert unique_slug(Proposal, "Nieuw", fallback="voorstel", reserved={"nieuw"}) == "nieuw-2"


def test_unique_slug_falls_back_when_the_title_gives_no_slug():
    assert unique_slug(Proposal, "?!", fallback="voorstel") == "voorstel"


def test_unique_slug_only_looks_in_the_rows_it_is_given():
    ProposalFactory(slug="bomen", title="Bomen")

    elsewhere = Proposal.objects.exclude(slug="bomen")

    assert unique_slug(elsewhere, "Bomen", fallback="voorstel") == "bomen"


def test_unique_slug_keeps_room_for_the_number_in_a_long_title():
    slug = unique_slug(Proposal, "a" * 300, fallback="voorstel")

    assert slug == "a" * 190
