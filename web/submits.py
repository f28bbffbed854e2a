"""A form sent twice stores once: the submit token.

A form that adds a row (a comment or reply, a progress report) carries a one-time token,
made when the form is shown (`SubmitTokenField`, hidden). The row keeps the token, and the
app that owns the rows puts a unique constraint on (author, token). A second POST with the
same token (a double click, a submit sent again after a slow answer, the browser's resend)
finds the row that the first one stored, and the view answers as if it had just saved it:
the same redirect, or the same fragment. Nobody gets an error for a click too many.

Two POSTs at the same moment are settled by the database, not by a check-then-insert: the
second INSERT waits on the unique index until the first transaction commits, then fails,
and `create_once` answers with the first row. A form without a token (a page opened before
the token existed) stores as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


class SubmitTokenField(forms.UUIDField):
    """The one-time token of a form that adds a row (hidden); a new one each time the form
    is shown unbound, the posted one when it is shown again with its errors."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)


def create_once(
    rows: models.QuerySet[M], token: uuid.UUID | None, create: Callable[[], M]
) -> tuple[M, bool]:
    """The row that `create()` stores, and True; or, when `rows` already hold the row stored
    with `token`, that row, and False.

    `rows` are the rows the token is unique among (one author's), with a `submit_token`
    field; `create` stores the new row with `token` on it. It runs in a savepoint, so that a
    duplicate refused by the unique constraint leaves the caller's transaction usable. An
    error that is not about the token is raised again.
    """
    if token is None:
        return create(), True
    earlier = rows.filter(submit_token=token).first()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # The other POST with this token committed while this one waited on the index.
        earlier = rows.filter(submit_token=token).first()
        if earlier is None:
            raise
        return earlier, False
