"""Following: a user follows any object (a wijk, a wijkagenda, a proposal) by content type.

accounts knows no domain model: which models may be followed, and who may see them, is up
to the app that offers the button (`agendas.views.follows`); it passes the instance here.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from accounts.models import Follow, User


@transaction.atomic
def follow(*, user: User, subject: models.Model) -> Follow:
    """Follow `subject`; following it again changes nothing (one follow per user and object)."""
    content_type = ContentType.objects.get_for_model(subject)
    follow, _created = Follow.objects.get_or_create(
        user=user, content_type=content_type, object_id=subject.pk
    )
    return follow


@transaction.atomic
def unfollow(*, user: User, subject: models.Model) -> bool:
    """Stop following `subject`; returns whether the user followed it."""
    deleted, _by_model = Follow.objects.of(subject).by(user).delete()
    return bool(deleted)


def is_following(user: User, subject: models.Model) -> bool:
    return Follow.objects.of(subject).by(user).exists()
