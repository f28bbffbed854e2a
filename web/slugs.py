"""Slugs for URLs made from a title, unique among the rows of a model."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models
from django.utils.text import slugify

# Leaves room for "-<number>" in the portal's slug fields of 200 characters.
BASE_LENGTH = 190


def unique_slug(
    rows: models.QuerySet[Any] | type[models.Model],
    title: str,
    *,
    fallback: str,
    reserved: Collection[str] = frozenset(),
    field: str = "slug",
) -> str:
    """The slug of `title`, with "-2", "-3"… added until no row in `rows` has it.

    `fallback` is used when the title gives no slug at all (only punctuation); `reserved`
    slugs are taken by URLs of their own (such as ".../nieuw/"). Two saves at the same
    moment can still pick the same slug: the unique constraint on the field refuses the
    second.
    """
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    base = slugify(title)[:BASE_LENGTH] or fallback
    slug, number = base, 1
    while slug in reserved or queryset.filter(**{field: slug}).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
