"""Forms for comments, replies and a wijkraad's formal advice.

The text of a comment is Markdown; it is stored as typed and sanitised when rendered
(`wijkportaal.templatetags.portal.render_markdown`), so nothing is lost when the allowed
markup changes. Whitespace around it is trimmed and a text of only whitespace is empty.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Advice, Comment, Proposal
from web.forms import RevisionField, StyledForm, field_of
from web.submits import SubmitTokenField

MAX_COMMENT_LENGTH = 5000


class CommentTextField(forms.CharField):
    """Required Markdown text of at most MAX_COMMENT_LENGTH characters, with messages
    that say what to do."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Your comment"),
            help_text=_("At most 5,000 characters. You may use Markdown for links and lists."),
            max_length=MAX_COMMENT_LENGTH,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": _("Write your comment before you send it."),
                "max_length": _(
                    "A comment can be at most %(limit_value)d characters long; "
                    "yours has %(show_value)d."
                ),
            },
            **kwargs,
        )


class CommentForm(StyledForm):
    """A new comment, or a reply when `parent` is given; sent twice, it is stored once
    (`submit_token`, web.submits)."""

    body = CommentTextField()
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("The comment you replied to cannot be answered any more.")
        },
    )
    submit_token = SubmitTokenField()

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only visible comments on this proposal can be answered; a reply to a reply is
        # attached to its top-level comment by the service.
        field_of(self, "parent", forms.ModelChoiceField).queryset = Comment.objects.for_proposal(
            proposal
        ).filter(moderation=Comment.Moderation.VISIBLE)


class CommentEditForm(StyledForm):
    """A comment's new text, with the revision of the comment when the form was opened: a
    save from a second tab after the first one's is refused."""

    body = CommentTextField()
    revision = RevisionField()


class AdviceForm(StyledForm):
    verdict = forms.ChoiceField(
        label=_("Advice of the wijkraad"),
        choices=Advice.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the council's advice.")},
    )
    text = forms.CharField(
        label=_("Explanation"),
        help_text=_("Why the council gives this advice, and its conditions if any."),
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Explain the advice."),
            "max_length": _(
                "The explanation can be at most %(limit_value)d characters long; "
                "yours has %(show_value)d."
            ),
        },
    )
