"""Proposals and what is said about them: comments, wijkraad advice, outcomes, moderation.

A package of modules (one per part of the domain); every model is importable from here.
"""

from __future__ import annotations

from participation.models.advice import Advice, AdviceQuerySet
from participation.models.comments import (
    COMMENT_EDIT_WINDOW,
    Comment,
    CommentQuerySet,
    CommentReport,
    CommentReportQuerySet,
    ModerationLog,
)
from participation.models.outcomes import InputOutcome, InputOutcomeQuerySet
from participation.models.proposals import Proposal, ProposalQuerySet, TransitionRefused

__all__ = [
    "COMMENT_EDIT_WINDOW",
    "Advice",
    "AdviceQuerySet",
    "Comment",
    "CommentQuerySet",
    "CommentReport",
    "CommentReportQuerySet",
    "InputOutcome",
    "InputOutcomeQuerySet",
    "ModerationLog",
    "Proposal",
    "ProposalQuerySet",
    "TransitionRefused",
]

# Residents' initiatives (their own module; appended to keep this list's merges simple).
from participation.models.initiatives import (  # noqa: E402
    Initiative,
    InitiativeQuerySet,
    InitiativeStep,
)

__all__ += ["Initiative", "InitiativeQuerySet", "InitiativeStep"]
