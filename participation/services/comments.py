"""Posting, editing and withdrawing comments, and submitting a wijkraad's advice.

The views check who may do what (rules) and validate the input (forms); these services
change the data and tell the people concerned, each in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import notify
from areas.models import TeamMembership
from areas.rules import team_ids
from participation.models import Advice, Comment, Proposal
from web.editing import lock_at_revision
from web.submits import create_once

if TYPE_CHECKING:
    from accounts.models import User

# More than this many comments within THROTTLE_WINDOW is refused.
MAX_COMMENTS_PER_WINDOW = 10
THROTTLE_WINDOW = dt.timedelta(seconds=60)


class CommentThrottled(Exception):
    """The author posted MAX_COMMENTS_PER_WINDOW comments within THROTTLE_WINDOW."""


def is_throttled(*, author: User) -> bool:
    """Whether the author has used up this minute's comments.

    Counted from the comments table rather than a cache: the rows are there anyway, the
    author's index (the foreign key) makes it one cheap query, and the count holds across
    web processes whatever cache is configured. Two requests in the same instant may both
    pass at nine; the limit is against flooding, not an exact quota.
    """
    since = timezone.now() - THROTTLE_WINDOW
    return Comment.objects.posted_by_since(author, since).count() >= MAX_COMMENTS_PER_WINDOW


@transaction.atomic
def post_comment(
    *,
    proposal: Proposal,
    author: User,
    body: str,
    parent: Comment | None = None,
    submit_token: uuid.UUID | None = None,
) -> tuple[Comment, bool]:
    """Add a comment, or a reply (one level: a reply to a reply answers its top-level
    comment), marked as the team's response when its author is on the proposal's team;
    the author of the comment answered is notified (CommentThrottled past the limit).

    Returns the comment and True; or, for a form sent again with the same `submit_token`,
    the comment that form stored the first time and False (nothing stored, nobody told).
    """
    answered = parent
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent

    def create() -> Comment:
        if is_throttled(author=author):
            raise CommentThrottled
        return Comment.objects.create(
            proposal=proposal,
            author=author,
            parent=parent,
            body=body,
            is_team_response=proposal.gebiedsteam_id in team_ids(author),
            submit_token=submit_token,
        )

    comment, created = create_once(Comment.objects.written_by(author), submit_token, create)
    # The person answered is told, also when their comment was itself a reply.
    if created and answered is not None and answered.author_id is not None:
        _notify_reply(proposal=proposal, parent=answered, reply=comment)
    return comment, created


def _notify_reply(*, proposal: Proposal, parent: Comment, reply: Comment) -> None:
    # A council-only proposal is only mentioned to someone who can still read it (a
    # former council member no longer can).
    recipient = parent.author
    if (
        recipient is None
        or not Proposal.objects.visible_to(recipient).filter(pk=proposal.pk).exists()
    ):
        return
    notify(
        recipients=[recipient],
        kind=Notification.Kind.COMMENT_REPLY,
        title=_("New reply to your comment on “%(title)s”") % {"title": proposal.title},
        url=f"{proposal.get_absolute_url()}#comment-{reply.pk}",
        exclude=reply.author_id,
        subject=proposal,
    )


@transaction.atomic
def edit_comment(*, comment: Comment, body: str, expected_revision: int) -> Comment:
    """Replace the text of a comment (its author, within the edit window), unless it was
    changed since its form was opened at `expected_revision` (in another tab, say): then
    StaleEditError, and nothing is saved."""
    comment.revision = lock_at_revision(comment, expected_revision).revision
    comment.edit(body=body)
    return comment


@transaction.atomic
def remove_comment(*, comment: Comment) -> Comment:
    """Withdraw a comment at its author's request: the thread shows a placeholder."""
    comment.remove_by_author()
    return comment


@transaction.atomic
def submit_advice(*, advice: Advice, by: User, verdict: str, text: str) -> Advice:
    """Record the council's advice (TransitionRefused once given or past the deadline) and
    tell the proposal's gebiedsteam, who must respond to it."""
    advice.submit(by=by, verdict=verdict, text=text)
    proposal = advice.proposal
    team = TeamMembership.objects.filter(gebiedsteam_id=proposal.gebiedsteam_id).values_list(
        "user_id", flat=True
    )
    notify(
        recipients=team,
        kind=Notification.Kind.UPDATE,
        title=_("%(wijkraad)s submitted its advice on “%(title)s”")
        % {"wijkraad": advice.wijkraad.name, "title": proposal.title},
        url=f"{proposal.get_absolute_url()}#advice-heading",
        exclude=by,
        subject=proposal,
    )
    return advice
