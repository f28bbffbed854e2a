from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django import forms
from django.db import connection, transaction

from agendas.models import Action, ProgressUpdate
from agendas.services.actions import add_progress_update
from participation.models import Comment
from participation.services.comments import post_comment
from tests.factories import ActionFactory, ProposalFactory, UserFactory
from web.submits import SubmitTokenField, create_once


class TokenForm(forms.Form):
    submit_token = SubmitTokenField()


def test_an_unbound_form_gets_a_new_token_each_time_and_a_bound_one_keeps_its_own() -> None:
    shown = [str(TokenForm()["submit_token"].value()) for _ in range(2)]
    posted = TokenForm({"submit_token": shown[0]})

    assert shown[0] != shown[1]
    assert posted.is_valid()
    assert posted.cleaned_data["submit_token"] == uuid.UUID(shown[0])


def test_a_form_without_a_token_is_valid_and_stores_as_before() -> None:
    form = TokenForm({})

    assert form.is_valid()
    assert form.cleaned_data["submit_token"] is None


@pytest.mark.django_db
def test_create_once_returns_the_first_row_for_a_token_used_before() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    token = uuid.uuid4()

    def create() -> Comment:
        return Comment.objects.create(
            proposal=proposal, author=author, body="Eén keer", submit_token=token
        )

    first = create_once(Comment.objects.written_by(author), token, create)
    again = create_once(Comment.objects.written_by(author), token, create)

    assert (again[0].pk, first[1], again[1]) == (first[0].pk, True, False)
    assert Comment.objects.count() == 1


def overlapping(send: Callable[[], object]) -> tuple[object, object]:
    """What `send()` returns in a first POST and in a second one that arrives while the
    first one's transaction is still open (held for half a second after `send()`)."""
    sent = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = send()
                sent.set()
                threading.Event().wait(0.5)
        finally:
            sent.set()
            connection.close()

    def second() -> None:
        sent.wait(5)
        try:
            results["second"] = send()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results.get("first"), results.get("second")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_token_store_one_comment() -> None:
    """The second POST finds no comment yet, waits on the unique index, and then answers
    with the first one's comment."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections at once: runs on PostgreSQL (as in CI)")
    proposal = ProposalFactory()
    author = UserFactory()
    token = uuid.uuid4()

    first, second = overlapping(
        lambda: post_comment(proposal=proposal, author=author, body="Dubbel", submit_token=token)
    )

    comment = Comment.objects.get()
    assert (first, second) == ((comment, True), (comment, False))


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_progress_reports_with_one_token_store_one_and_refuse_none() -> None:
    """The report is inserted before the action is locked: the second POST waits on the
    token, not on the action, so it is answered with the first report rather than refused
    as a stale edit of the action the first one moved."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections at once: runs on PostgreSQL (as in CI)")
    action = ActionFactory(progress=10)
    author = UserFactory()
    token = uuid.uuid4()

    first, second = overlapping(
        lambda: add_progress_update(
            action=Action.objects.get(pk=action.pk),
            author=author,
            text="Dubbel",
            status="in_progress",
            progress=30,
            is_result=False,
            expected_revision=0,
            submit_token=token,
        )
    )

    update = ProgressUpdate.objects.get()
    action.refresh_from_db()
    assert (first, second) == (update, update)
    assert (action.progress, action.revision) == (30, 1)
