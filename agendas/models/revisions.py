"""The revision that every edited object carries, for the stale-edit check.

An edit form carries the revision of the object it was opened on; `agendas.history` saves
only while the object is still at that revision, and raises it by one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel


class Revisioned(TimeStampedModel):
    """A model whose edits go through `agendas.history`: the agenda content, and meetings."""

    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every saved edit; a stale form is refused."),
    )

    class Meta:
        abstract = True
