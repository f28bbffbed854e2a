"""A proposal page stays the same size however long its thread: a batch of comments, the
latest replies under each with a link to the rest, and what was done with each comment
shown beside it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from areas.models import Residence
from participation.models import Comment, InputOutcome, Proposal
from participation.models.comments import REPLIES_SHOWN
from participation.views.proposals import REPLIES_PER_PAGE
from tests.factories import CommentFactory, ProposalFactory, ResidenceFactory, UserFactory
from tests.helpers import signed_in, texts_of
from web import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.english]

MAX_HTML = 60 * 1024
START = timezone.now() - dt.timedelta(days=10)


@pytest.fixture
def decided(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        slug="speelveld",
        status=Proposal.Status.DECIDED,
        decision="Het speelveld komt er.",
        input_feedback="Alle reacties zijn gewogen.",
        opens_at=START,
        closes_at=START + dt.timedelta(days=5),
    )


def add_comments(proposal: Proposal, start: int, end: int, *, parent: Comment | None = None):
    """Comments `start`..`end - 1`, a minute apart, each with an outcome."""
    author = UserFactory(full_name="Bewoner")
    comments = Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            parent=parent,
            author=author,
            body=f"Reactie {number:04}",
            created_at=START + dt.timedelta(minutes=number),
        )
        for number in range(start, end)
    )
    InputOutcome.objects.bulk_create(
        InputOutcome(
            proposal=proposal,
            comment=comment,
            outcome=InputOutcome.Outcome.PARTLY,
            reason=f"Deels overgenomen ({comment.body}).",
        )
        for comment in comments
    )
    # Bulk writes send no signals: like the services, say that public pages changed.
    pagecache.bump_now()
    return comments


def measure(client, url: str) -> tuple[int, int]:
    pagecache.bump_now()  # rendered, not answered from the anonymous page cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_a_decided_proposal_with_1000_comments_keeps_its_queries_and_size(client, decided):
    first = add_comments(decided, 0, 3)[0]
    add_comments(decided, 3, 5, parent=first)
    queries_small, size_small = measure(client, decided.get_absolute_url())

    # 400 threads, one of them with 600 replies, every comment with an outcome.
    add_comments(decided, 1000, 1397)
    add_comments(decided, 2000, 2598, parent=first)
    assert Comment.objects.filter(proposal=decided).count() == 1000
    queries_large, size_large = measure(client, decided.get_absolute_url())

    assert queries_large == queries_small
    assert size_small < size_large <= MAX_HTML


def test_the_thread_shows_the_latest_replies_and_links_to_the_rest(client, decided):
    first, second = add_comments(decided, 0, 2)
    add_comments(decided, 100, 100 + REPLIES_SHOWN + 2, parent=first)
    add_comments(decided, 200, 201, parent=second)

    response = client.get(decided.get_absolute_url())

    threads = list(response.context["page_obj"])
    assert [reply.body for reply in threads[0].shown_replies] == [
        f"Reactie {number:04}" for number in range(102, 100 + REPLIES_SHOWN + 2)
    ]
    assert [reply.body for reply in threads[1].shown_replies] == ["Reactie 0200"]
    assert texts_of(response, "replies__earlier") == ["Show the 2 earlier replies"]
    assert f'href="/reacties/{first.pk}/antwoorden/"' in response.content.decode()
    # What was done with each comment is beside it; the decision counts them.
    assert [(outcome, count) for outcome, _, count in response.context["outcome_counts"]] == [
        ("partly", 2 + REPLIES_SHOWN + 2 + 1)
    ]
    assert texts_of(response, "comment__outcome")[0] == (
        "What we did with it: Partly adopted Deels overgenomen (Reactie 0000)."
    )


def test_the_replies_page_lists_every_reply_a_page_at_a_time(client, decided):
    first = add_comments(decided, 0, 1)[0]
    add_comments(decided, 100, 100 + REPLIES_PER_PAGE + 1, parent=first)
    url = f"/reacties/{first.pk}/antwoorden/"

    page_one = client.get(url)
    page_two = client.get(url, {"page": 2})

    assert page_one.status_code == page_two.status_code == 200
    assert [reply.body for reply in page_one.context["page_obj"]] == [
        f"Reactie {number:04}" for number in range(100, 100 + REPLIES_PER_PAGE)
    ]
    assert [reply.body for reply in page_two.context["page_obj"]] == [
        f"Reactie {100 + REPLIES_PER_PAGE:04}"
    ]
    assert f"{REPLIES_PER_PAGE + 1} replies" in page_one.content.decode()
    assert len(texts_of(page_one, "comment__outcome")) == 1 + REPLIES_PER_PAGE


def test_the_replies_page_of_a_reply_or_a_hidden_proposal_is_not_found(client, decided):
    first = add_comments(decided, 0, 1)[0]
    reply = add_comments(decided, 1, 2, parent=first)[0]
    draft = CommentFactory(proposal=ProposalFactory(status=Proposal.Status.DRAFT))

    assert client.get(f"/reacties/{reply.pk}/antwoorden/").status_code == 404
    assert client.get(f"/reacties/{draft.pk}/antwoorden/").status_code == 404


def test_an_open_proposal_shows_no_outcomes(client, gebiedsteam, wijk):
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk])
    first = add_comments(proposal, 0, 1)[0]

    thread = client.get(proposal.get_absolute_url())
    replies = client.get(f"/reacties/{first.pk}/antwoorden/")

    assert thread.context["outcome_counts"] == []
    assert texts_of(thread, "comment__outcome") == []
    assert texts_of(replies, "comment__outcome") == []


def add_residents_reactions(
    proposal: Proposal, wijk, start: int, end: int, *, parent: Comment | None = None
) -> list[Comment]:
    """Reactions `start`..`end - 1`, each by its own confirmed resident of `wijk`: a query per
    author (their name, their role) would show."""
    authors = User.objects.bulk_create(
        User(
            email=f"bewoner{number}@example.org",
            full_name=f"Bewoner {number}",
            password="!",
            is_resident=True,
            email_confirmed_at=START,
        )
        for number in range(start, end)
    )
    Residence.objects.bulk_create(Residence(user=author, wijk=wijk) for author in authors)
    comments = Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            parent=parent,
            author=author,
            body=f"Reactie {number:04}",
            created_at=START + dt.timedelta(minutes=number),
        )
        for number, author in zip(range(start, end), authors, strict=True)
    )
    pagecache.bump_now()
    return comments


def test_a_proposal_with_1000_residents_reactions_keeps_its_queries_and_size(
    gebiedsteam, wijk, team_member
):
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        slug="speelveld",
        audience=Proposal.Audience.RESIDENTS,
        opens_at=START,
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    neighbour = ResidenceFactory(wijk=wijk).user
    readers = {
        "anonymous": Client(),
        "resident": signed_in(neighbour),
        "team": signed_in(team_member),
    }
    url = proposal.get_absolute_url()
    first = add_residents_reactions(proposal, wijk, 0, 3)[0]
    add_residents_reactions(proposal, wijk, 3, 5, parent=first)
    for client in readers.values():
        client.get(url)  # the session's first request writes it: not the page's cost
    small = {name: measure(client, url) for name, client in readers.items()}

    # 400 threads, one with 600 replies, all by different residents.
    add_residents_reactions(proposal, wijk, 1000, 1397)
    add_residents_reactions(proposal, wijk, 2000, 2598, parent=first)
    assert Comment.objects.filter(proposal=proposal).count() == 1000
    large = {name: measure(client, url) for name, client in readers.items()}

    assert {name: queries for name, (queries, _) in large.items()} == {
        name: queries for name, (queries, _) in small.items()
    }
    assert all(size <= MAX_HTML for _, size in large.values()), large
    # The resident reads the thread with a reply form under each comment; all are marked.
    page = readers["resident"].get(url)
    assert page.context["can_comment"] is True
    assert texts_of(page, "meta")[1].startswith("Bewoner 0 Resident ·")
