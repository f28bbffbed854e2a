"""Forms for reporting a comment and for the moderators' acts on it.

The queue shows a hide and a dismiss form for every report, so each form takes a prefix
("hide", "dismiss") and ids that carry the report's pk: the page has no duplicate ids.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Comment, CommentReport
from web.forms import StyledForm, StyledModelForm


class ReportCommentForm(StyledModelForm):
    class Meta:
        model = CommentReport
        fields = ["reason"]
        labels = {"reason": _("Why should a moderator look at this comment?")}
        help_texts = {"reason": _("For example: it names a neighbour, or it insults someone.")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why you report this comment.")


class ModerationForm(StyledForm):
    """The reason for a moderation act; optional unless the act needs one."""

    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, pk: int | None = None, **kwargs: Any) -> None:
        if pk is not None:
            kwargs.setdefault("auto_id", f"id_%s_{pk}")
        super().__init__(*args, **kwargs)


class HideCommentForm(ModerationForm):
    """The reason is shown to the author, so it is required and fits the comment's field."""

    reason = forms.CharField(
        label=_("Reason for hiding (the author is told)"),
        max_length=Comment._meta.get_field("moderation_reason").max_length,
        error_messages={"required": _("Give the reason for hiding this comment.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
