"""Following: a user follows any object (a wijk, a wijkagenda, a proposal) by content type.

accounts knows no domain model: which models may be followed, and who may see them, is up
to the app that takes the button's post (`portal.views.follows`); it passes the instance
here. The pages that show a button get its context from `follow_button`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest

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


def follow_button(request: HttpRequest, subject: models.Model, *, next_url: str = "") -> dict:
    """What `includes/_follow_button.html` needs, for the page that shows `subject`.

    The button posts the subject's model name as its type; it returns to `next_url`, by
    default the page shown (if it was a GET).
    """
    if not next_url:
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    user = request.user
    return {
        "type": subject._meta.model_name,
        "id": subject.pk,
        "following": user.is_authenticated and is_following(user, subject),
        "next": next_url or subject.get_absolute_url(),  # type: ignore[attr-defined]
    }
