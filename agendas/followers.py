"""Who follows what: the people to tell when something happens to a wijk, a wijkagenda or a
proposal (they get an in-app notification of kind UPDATE, and e-mail as they chose)."""

from __future__ import annotations

from django.db import models

from accounts.models import Follow


def followers_of(*subjects: models.Model, among: models.QuerySet | None = None) -> set[int]:
    """Ids of the users who follow any of `subjects` (of any models), in one query.

    `among` (a query of user ids) keeps only those followers, e.g. the people who may see a
    council-only proposal.
    """
    follows = Follow.objects.of(*subjects)
    if among is not None:
        follows = follows.filter(user_id__in=among)
    return set(follows.values_list("user_id", flat=True))
