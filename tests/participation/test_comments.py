from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification
from areas.models import CouncilMembership
from participation.models import Advice, Comment, Proposal
from tests.factories import (
    AdviceFactory,
    CommentFactory,
    CouncilMembershipFactory,
    ProposalFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import revision_in, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.english]

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_A_MEMBER = (
    "Only members of a wijkraad for the wijken of this proposal, and its gebiedsteam, "
    "can comment on it."
)


@pytest.fixture
def wijk(gebiedsteam):
    return WijkFactory(gebiedsteam=gebiedsteam, name="Quirijnstok")


@pytest.fixture
def council(wijk):
    council = WijkraadFactory(name="Wijkraad Noord")
    council.wijken.add(wijk)
    return council


@pytest.fixture
def other_council(other_gebiedsteam):
    council = WijkraadFactory(name="Wijkraad Reeshof")
    council.wijken.add(WijkFactory(gebiedsteam=other_gebiedsteam))
    return council


def _member(council, role, name):
    return CouncilMembershipFactory(
        wijkraad=council, role=role, user=UserFactory(full_name=name)
    ).user


@pytest.fixture
def council_member(council):
    return _member(council, CouncilMembership.Role.MEMBER, "Raadslid Ria")


@pytest.fixture
def chair(council):
    return _member(council, CouncilMembership.Role.CHAIR, "Voorzitter Vera")


@pytest.fixture
def secretary(council):
    return _member(council, CouncilMembership.Role.SECRETARY, "Secretaris Sam")


@pytest.fixture
def other_council_member(other_council):
    return _member(other_council, CouncilMembership.Role.MEMBER, "Raadslid Elders")


@pytest.fixture
def moderator(db):
    return UserFactory(full_name="Moderator Mo", is_moderator=True)


@pytest.fixture
def proposal(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], slug="speelveld", title="Speelveld"
    )


def post_comment(client, body, *, parent=None, slug="speelveld", **extra):
    data = {"body": body}
    if parent is not None:
        data["parent"] = str(parent.pk)
    return client.post(f"/voorstellen/{slug}/reacties/", data, **extra)


def texts(content: str, css_class: str) -> list[str]:
    """The whitespace-normalised text of each element with this class, in order."""

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.found: list[str] = []

        def handle_starttag(self, tag, attrs):
            if self.depth:
                self.depth += 1
            elif css_class in (dict(attrs).get("class") or "").split():
                self.depth = 1
                self.found.append("")

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.found[-1] += data

    parser = Parser()
    parser.feed(content)
    return [re.sub(r"\s+", " ", text).strip() for text in parser.found]


def errors(response) -> list[str]:
    return texts(response.content.decode(), "errorlist")


# --- posting ---------------------------------------------------------------------------------


def test_comment_post_saves_the_comment_and_redirects_to_it(client, proposal, council_member):
    client.force_login(council_member)

    response = post_comment(client, "  Denk aan de **oversteek**.  ")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"/voorstellen/speelveld/#comment-{comment.pk}"
    assert (
        comment.proposal,
        comment.author,
        comment.parent,
        comment.body,
        comment.is_team_response,
        comment.moderation,
        comment.edited_at,
    ) == (proposal, council_member, None, "Denk aan de **oversteek**.", False, "visible", None)


def test_comment_post_by_the_team_is_marked_as_team_response(client, proposal, team_member):
    client.force_login(team_member)

    post_comment(client, "Dank, we nemen het mee.")

    assert list(Comment.objects.values_list("body", "is_team_response")) == [
        ("Dank, we nemen het mee.", True)
    ]


def test_reply_to_a_reply_answers_the_top_level_comment_and_notifies(
    client, proposal, council_member, team_member, chair
):
    top = CommentFactory(proposal=proposal, author=council_member, body="Vraag")
    reply = CommentFactory(proposal=proposal, author=chair, parent=top, body="Eens")
    client.force_login(team_member)

    response = post_comment(client, "Antwoord", parent=reply)

    new = Comment.objects.get(body="Antwoord")
    assert response.status_code == 302
    assert (new.parent, new.is_team_response) == (top, True)
    assert list(Notification.objects.values_list("recipient", "kind", "title", "url")) == [
        (
            chair.pk,
            "comment_reply",
            "New reply to your comment on “Speelveld”",
            f"/voorstellen/speelveld/#comment-{new.pk}",
        )
    ]


def test_reply_to_ones_own_comment_notifies_nobody(client, proposal, council_member):
    top = CommentFactory(proposal=proposal, author=council_member)
    client.force_login(council_member)

    post_comment(client, "Nog een aanvulling", parent=top)

    assert Comment.objects.get(body="Nog een aanvulling").parent == top
    assert Notification.objects.count() == 0


def test_reply_notification_skips_an_author_who_can_no_longer_read_it(
    client, gebiedsteam, wijk, council, team_member
):
    ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="raad", council_only=True)
    former = UserFactory()  # left the council since
    top = CommentFactory(proposal=Proposal.objects.get(slug="raad"), author=former)
    client.force_login(team_member)

    response = post_comment(client, "Antwoord", parent=top, slug="raad")

    assert response.status_code == 302
    assert Notification.objects.count() == 0


def test_comment_post_htmx_returns_the_new_thread_and_an_empty_form(
    client, proposal, council_member
):
    client.force_login(council_member)

    response = post_comment(client, "Via htmx", **HTMX)

    comment = Comment.objects.get()
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith(f'<li class="thread" id="thread-{comment.pk}">')
    assert texts(content, "comment__body") == ["Via htmx"]
    assert 'id="comment-form"' in content
    assert 'hx-swap-oob="true"' in content
    assert "HX-Request" in response["Vary"].split(", ")


def test_reply_post_htmx_returns_the_whole_thread(client, proposal, council_member, chair):
    top = CommentFactory(proposal=proposal, author=chair, body="Vraag")
    client.force_login(council_member)

    response = post_comment(client, "Antwoord", parent=top, **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<li class="thread" id="thread-{top.pk}">')
    assert texts(content, "comment__body") == ["Vraag", "Antwoord"]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your comment before you send it."),
        ("   \n\t  ", "Write your comment before you send it."),
        ("x" * 5001, "A comment can be at most 5000 characters long; yours has 5001."),
    ],
)
def test_comment_post_invalid_text_is_refused(client, proposal, council_member, body, message):
    client.force_login(council_member)

    response = post_comment(client, body)
    fragment = post_comment(client, body, **HTMX)

    assert response.status_code == 400
    assert errors(response) == [message]
    assert fragment.status_code == 400
    assert errors(fragment) == [message]
    assert fragment["HX-Retarget"] == "#comment-form"
    assert Comment.objects.count() == 0


def test_comment_of_exactly_5000_characters_is_accepted(client, proposal, council_member):
    client.force_login(council_member)

    post_comment(client, "x" * 5000)

    assert [len(c.body) for c in Comment.objects.all()] == [5000]


def test_reply_invalid_htmx_shows_the_error_in_the_reply_form(client, proposal, council_member):
    top = CommentFactory(proposal=proposal)
    client.force_login(council_member)

    response = post_comment(client, " ", parent=top, **HTMX)

    assert response.status_code == 400
    assert errors(response) == ["Write your comment before you send it."]
    assert response["HX-Retarget"] == f"#reply-form-{top.pk}"
    assert Comment.objects.count() == 1


def test_reply_to_a_removed_comment_is_refused(client, proposal, council_member):
    top = CommentFactory(proposal=proposal, moderation="removed")
    client.force_login(council_member)

    response = post_comment(client, "Toch nog", parent=top)

    assert response.status_code == 400
    assert errors(response) == ["The comment you replied to cannot be answered any more."]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "status"),
    [
        (-10, -1, Proposal.Status.OPEN),  # the period is over
        (2, 10, Proposal.Status.OPEN),  # not open yet
        (-10, 5, Proposal.Status.CONSIDERATION),
    ],
)
def test_comment_outside_the_period_is_refused(
    client, gebiedsteam, wijk, council_member, opens, closes, status
):
    now = timezone.now()
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        slug="speelveld",
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
        status=status,
    )
    client.force_login(council_member)

    response = post_comment(client, "Te laat")

    day = "{0.day} {0:%B %Y}".format
    assert response.status_code == 403
    assert texts(response.content.decode(), "refusal") == [
        "This proposal is not open for comments. Comments are possible from "
        f"{day(timezone.localtime(proposal.opens_at))} to "
        f"{day(timezone.localtime(proposal.closes_at))}."
    ]
    assert Comment.objects.count() == 0


def test_comment_by_a_council_of_another_wijk_is_refused(client, proposal, other_council_member):
    client.force_login(other_council_member)

    response = post_comment(client, "Ik woon elders")
    fragment = post_comment(client, "Ik woon elders", **HTMX)

    assert response.status_code == 403
    assert texts(response.content.decode(), "refusal") == [NOT_A_MEMBER]
    assert fragment.status_code == 403
    assert texts(fragment.content.decode(), "refusal") == [NOT_A_MEMBER]
    assert Comment.objects.count() == 0


def test_comment_by_an_anonymous_visitor_goes_to_sign_in(client, proposal):
    response = post_comment(client, "Hallo")

    assert response.status_code == 302
    assert response.url == "/account/inloggen/?next=/voorstellen/speelveld/reacties/"
    assert Comment.objects.count() == 0


def test_the_eleventh_comment_within_a_minute_is_throttled(client, proposal, council_member):
    now = timezone.now()
    for number in range(10):
        CommentFactory(
            proposal=proposal,
            author=council_member,
            created_at=now - dt.timedelta(seconds=50 - number),
        )
    CommentFactory(proposal=proposal, author=UserFactory(), created_at=now)  # someone else's
    client.force_login(council_member)

    response = post_comment(client, "Nummer elf")

    assert response.status_code == 429
    assert texts(response.content.decode(), "refusal") == [
        "You have posted 10 comments in the last minute. "
        "Wait a minute before you post the next one."
    ]
    assert Comment.objects.count() == 11


def test_comments_older_than_a_minute_do_not_count_for_throttling(client, proposal, council_member):
    old = timezone.now() - dt.timedelta(seconds=61)
    for _ in range(10):
        CommentFactory(proposal=proposal, author=council_member, created_at=old)
    client.force_login(council_member)

    response = post_comment(client, "Weer welkom")

    assert response.status_code == 302
    assert Comment.objects.count() == 11


# --- 404: nothing of a proposal outside one's scope ------------------------------------------


def test_thread_of_a_council_only_proposal_is_404_for_outsiders(
    client, gebiedsteam, wijk, council_member, other_council_member
):
    secret = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], slug="raad", council_only=True, title="Geheim"
    )
    CommentFactory(proposal=secret, author=council_member, body="Binnenskamers")
    client.force_login(other_council_member)

    fragment = client.get("/voorstellen/raad/reacties/", **HTMX)
    post = post_comment(client, "Ik ook", slug="raad")
    client.logout()
    anonymous = client.get("/voorstellen/raad/reacties/", **HTMX)

    assert (fragment.status_code, post.status_code, anonymous.status_code) == (404, 404, 404)
    for response in (fragment, post, anonymous):
        assert "Binnenskamers" not in response.content.decode()
        assert "Geheim" not in response.content.decode()
    assert Comment.objects.count() == 1


def test_thread_of_a_council_only_proposal_shows_to_its_council(
    client, gebiedsteam, wijk, council_member, chair
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="raad", council_only=True)
    CommentFactory(proposal=secret, author=chair, body="Binnenskamers")
    client.force_login(council_member)

    response = client.get("/voorstellen/raad/reacties/", **HTMX)

    assert response.status_code == 200
    assert texts(response.content.decode(), "comment__body") == ["Binnenskamers"]


def test_comment_on_a_draft_of_another_gebied_is_404(client, gebiedsteam, wijk, other_team_member):
    ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="concept", status="draft")
    client.force_login(other_team_member)

    response = post_comment(client, "Hallo", slug="concept")

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def submit_token_of(response, form_id: str) -> str:
    """The submit token of the form with this id on the page."""
    form = re.search(rf'<form id="{form_id}".*?</form>', response.content.decode(), re.S)
    assert form, f"no form {form_id}"
    token = re.search(r'name="submit_token" value="([0-9a-f-]{36})"', form.group(0))
    assert token, "the form carries no submit token"
    return token.group(1)


def test_comment_sent_twice_is_stored_once_and_answered_as_posted(client, proposal, council_member):
    client.force_login(council_member)
    token = submit_token_of(client.get("/voorstellen/speelveld/"), "comment-form")
    data = {"body": "Graag een bankje erbij.", "submit_token": token}

    first = client.post("/voorstellen/speelveld/reacties/", data)
    again = client.post("/voorstellen/speelveld/reacties/", data)

    comment = Comment.objects.get()
    assert [(r.status_code, r.url) for r in (first, again)] == [
        (302, f"/voorstellen/speelveld/#comment-{comment.pk}"),
        (302, f"/voorstellen/speelveld/#comment-{comment.pk}"),
    ]
    assert (comment.body, comment.author) == ("Graag een bankje erbij.", council_member)


def test_reply_sent_twice_is_stored_once_and_notifies_once(client, proposal, council_member):
    top = CommentFactory(proposal=proposal, body="Eerste", author=UserFactory())
    client.force_login(council_member)
    data = {"body": "Eens!", "parent": str(top.pk), "submit_token": str(uuid.uuid4())}

    responses = [client.post("/voorstellen/speelveld/reacties/", data) for _ in range(2)]

    reply = Comment.objects.get(parent=top)
    assert [r.url for r in responses] == [f"/voorstellen/speelveld/#comment-{reply.pk}"] * 2
    assert Comment.objects.count() == 2
    assert Notification.objects.filter(kind="comment_reply").count() == 1


def test_comment_sent_twice_with_htmx_replaces_its_thread_instead_of_adding_it(
    client, proposal, council_member
):
    client.force_login(council_member)
    data = {"body": "Via htmx, twee keer", "submit_token": str(uuid.uuid4())}

    first = client.post("/voorstellen/speelveld/reacties/", data, **HTMX)
    again = client.post("/voorstellen/speelveld/reacties/", data, **HTMX)

    comment = Comment.objects.get()
    assert (first.status_code, again.status_code) == (200, 200)
    assert ("HX-Retarget" in first, "HX-Reswap" in first) == (False, False)
    assert (again["HX-Retarget"], again["HX-Reswap"]) == (f"#thread-{comment.pk}", "outerHTML")
    assert (
        again.content.decode().lstrip().startswith(f'<li class="thread" id="thread-{comment.pk}"')
    )


def test_comment_forms_each_carry_a_token_of_their_own(client, proposal, council_member):
    client.force_login(council_member)

    tokens = {submit_token_of(client.get("/voorstellen/speelveld/"), "comment-form") for _ in "ab"}

    assert len(tokens) == 2


def test_editing_a_comment_on_a_hidden_proposal_is_404(
    client, gebiedsteam, wijk, council_member, other_council_member
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="raad", council_only=True)
    comment = CommentFactory(proposal=secret, author=council_member, body="Binnenskamers")
    client.force_login(other_council_member)

    edit = client.post(f"/reacties/{comment.pk}/bewerken/", {"revision": 0, "body": "Gekaapt"})
    delete = client.post(f"/reacties/{comment.pk}/verwijderen/")

    comment.refresh_from_db()
    assert (edit.status_code, delete.status_code) == (404, 404)
    assert (comment.body, comment.moderation) == ("Binnenskamers", "visible")


# --- the thread: batches and "load more" -----------------------------------------------------


def make_thread(proposal, count: int) -> list[Comment]:
    """`count` top-level comments, a minute apart and oldest first, in one query."""
    base = timezone.now() - dt.timedelta(days=1)
    author = UserFactory(full_name="Raadslid Ria")
    return Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            author=author,
            body=f"Reactie {number}",
            created_at=base + dt.timedelta(minutes=number),
        )
        for number in range(count)
    )


def test_thread_fragment_gives_the_next_batch_and_a_load_more_button(client, proposal):
    make_thread(proposal, 45)

    second = client.get("/voorstellen/speelveld/reacties/", {"pagina": "2"}, **HTMX)
    last = client.get("/voorstellen/speelveld/reacties/", {"pagina": "3"}, **HTMX)

    content = second.content.decode()
    assert second.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<li class="thread"')
    assert texts(content, "comment__body") == [f"Reactie {n}" for n in range(20, 40)]
    assert re.findall(r'<li class="load-more">\s*<a [^>]*>', content) == [
        '<li class="load-more">\n      <a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--secondary-action" href="/voorstellen/speelveld/?pagina=3#reacties" '
        'hx-get="/voorstellen/speelveld/reacties/?pagina=3" hx-target="closest li" '
        'hx-swap="outerHTML" role="button">'
    ]
    assert texts(last.content.decode(), "comment__body") == [f"Reactie {n}" for n in range(40, 45)]
    assert "load-more" not in last.content.decode()
    assert "HX-Request" in second["Vary"].split(", ")


def test_proposal_page_shows_the_first_batch_and_load_more_without_javascript(client, proposal):
    make_thread(proposal, 21)

    first = client.get("/voorstellen/speelveld/")
    second = client.get("/voorstellen/speelveld/", {"pagina": "2"})

    assert texts(first.content.decode(), "comment__body") == [f"Reactie {n}" for n in range(20)]
    assert texts(first.content.decode(), "load-more") == ["Load more comments"]
    assert texts(second.content.decode(), "comment__body") == ["Reactie 20"]
    assert 'href="/voorstellen/speelveld/?pagina=1#reacties"' in second.content.decode()
    assert "load-more" not in second.content.decode()


def test_thread_url_without_htmx_redirects_to_the_page_at_that_batch(client, proposal):
    response = client.get("/voorstellen/speelveld/reacties/", {"pagina": "2"})

    assert response.status_code == 302
    assert response.url == "/voorstellen/speelveld/?pagina=2#reacties"


def test_thread_shows_replies_oldest_first_under_their_comment(client, proposal):
    base = timezone.now() - dt.timedelta(hours=5)
    first = CommentFactory(proposal=proposal, body="Eerste", created_at=base)
    CommentFactory(proposal=proposal, body="Tweede", created_at=base + dt.timedelta(hours=1))
    CommentFactory(
        proposal=proposal, parent=first, body="Later antwoord", created_at=base + dt.timedelta(3)
    )
    CommentFactory(
        proposal=proposal, parent=first, body="Antwoord", created_at=base + dt.timedelta(hours=2)
    )

    response = client.get("/voorstellen/speelveld/reacties/", **HTMX)

    assert texts(response.content.decode(), "comment__body") == [
        "Eerste",
        "Antwoord",
        "Later antwoord",
        "Tweede",
    ]


def build_big_thread(gebiedsteam, wijk, *, count: int, slug: str) -> Proposal:
    """A proposal with `count` comments: half top-level, half replies, by ten authors."""
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug=slug)
    authors = [UserFactory() for _ in range(10)]
    base = timezone.now() - dt.timedelta(days=2)
    tops = Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            author=authors[number % 10],
            body=f"Reactie {number}",
            created_at=base + dt.timedelta(seconds=number),
            moderation="hidden" if number % 7 == 0 else "visible",
            moderation_reason="Beledigend" if number % 7 == 0 else "",
        )
        for number in range(count // 2)
    )
    Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            author=authors[number % 10],
            parent=top,
            body=f"Antwoord {number}",
            is_team_response=number % 2 == 0,
            created_at=base + dt.timedelta(hours=1, seconds=number),
        )
        for number, top in enumerate(tops)
    )
    return proposal


def count_queries(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_of_page_and_thread_does_not_depend_on_the_comment_count(
    client, gebiedsteam, wijk, council_member, signed_in
):
    build_big_thread(gebiedsteam, wijk, count=10, slug="klein")
    build_big_thread(gebiedsteam, wijk, count=1000, slug="groot")
    if signed_in:  # with a reply form and the permission checks on every comment
        client.force_login(council_member)

    small = [
        count_queries(client, "/voorstellen/klein/"),
        count_queries(client, "/voorstellen/klein/reacties/", **HTMX),
    ]
    big = [
        count_queries(client, "/voorstellen/groot/"),
        count_queries(client, "/voorstellen/groot/reacties/?pagina=2", **HTMX),
    ]

    assert big == small


# --- editing and removing --------------------------------------------------------------------


POSTED = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)


def at(moment: dt.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def own_comment(proposal, council_member):
    return CommentFactory(
        proposal=proposal, author=council_member, body="Eerste versie", created_at=POSTED
    )


def test_comment_edit_within_fifteen_minutes_saves_the_text(client, own_comment, council_member):
    client.force_login(council_member)
    when = POSTED + dt.timedelta(minutes=14, seconds=59)

    with at(when):
        form = client.get(f"/reacties/{own_comment.pk}/bewerken/")
        response = client.post(
            f"/reacties/{own_comment.pk}/bewerken/", {"revision": 0, "body": " Beter "}
        )

    own_comment.refresh_from_db()
    assert form.status_code == 200
    assert form.context["form"]["body"].value() == "Eerste versie"
    assert response.status_code == 302
    assert response.url == f"/voorstellen/speelveld/#comment-{own_comment.pk}"
    assert (own_comment.body, own_comment.edited_at) == ("Beter", when)


def test_comment_edit_htmx_returns_the_comment(client, own_comment, council_member):
    client.force_login(council_member)

    with at(POSTED + dt.timedelta(minutes=5)):
        form = client.get(f"/reacties/{own_comment.pk}/bewerken/", **HTMX)
        response = client.post(
            f"/reacties/{own_comment.pk}/bewerken/", {"revision": 0, "body": "Nieuw"}, **HTMX
        )

    assert "<html" not in form.content.decode()
    assert (
        form.content.decode()
        .lstrip()
        .startswith(f'<form class="comment-edit" id="comment-{own_comment.pk}"')
    )
    content = response.content.decode()
    assert content.lstrip().startswith(f'<article class="comment" id="comment-{own_comment.pk}">')
    assert texts(content, "comment__body") == ["Nieuw"]
    assert texts(content, "comment__edited") == ["edited"]


def test_comment_edit_in_two_tabs_refuses_the_later_save_and_keeps_the_first(
    own_comment, council_member
):
    url = f"/reacties/{own_comment.pk}/bewerken/"
    first, second = signed_in(council_member), signed_in(council_member)

    with at(POSTED + dt.timedelta(minutes=5)):
        opened = [revision_in(tab.get(url)) for tab in (first, second)]
        saved = first.post(url, {"revision": opened[0], "body": "Uit het eerste tabblad"})
        refused = second.post(url, {"revision": opened[1], "body": "Uit het tweede tabblad"})

    own_comment.refresh_from_db()
    assert opened == [0, 0]
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert (own_comment.body, own_comment.revision) == ("Uit het eerste tabblad", 1)
    assert texts(refused.content.decode(), "conflict__current") == [
        f"Text Uit het eerste tabblad Edited at {own_comment.edited_at.isoformat()}"
    ]
    assert refused.context["form"]["body"].value() == "Uit het tweede tabblad"
    assert revision_in(refused) == 1


def test_comment_edit_refused_as_stale_with_htmx_answers_the_form(
    client, own_comment, council_member
):
    client.force_login(council_member)
    url = f"/reacties/{own_comment.pk}/bewerken/"

    with at(POSTED + dt.timedelta(minutes=5)):
        client.post(url, {"revision": 0, "body": "Eerst"})
        refused = client.post(url, {"revision": 0, "body": "Daarna"}, **HTMX)

    own_comment.refresh_from_db()
    content = refused.content.decode()
    assert refused.status_code == 409
    assert content.lstrip().startswith(f'<form class="comment-edit" id="comment-{own_comment.pk}"')
    assert "Someone else saved this in the meantime" in content
    assert own_comment.body == "Eerst"


def test_comment_edit_after_fifteen_minutes_is_refused(client, own_comment, council_member):
    client.force_login(council_member)

    with at(POSTED + dt.timedelta(minutes=15)):
        response = client.post(
            f"/reacties/{own_comment.pk}/bewerken/", {"revision": 0, "body": "Te laat"}
        )

    own_comment.refresh_from_db()
    assert response.status_code == 403
    assert texts(response.content.decode(), "refusal") == [
        "You can change a comment for 15 minutes after posting it. That time has passed; "
        "you can still remove the comment, or post a new one."
    ]
    assert (own_comment.body, own_comment.edited_at) == ("Eerste versie", None)


def test_comment_edit_empty_text_is_refused(client, own_comment, council_member):
    client.force_login(council_member)

    with at(POSTED + dt.timedelta(minutes=1)):
        response = client.post(
            f"/reacties/{own_comment.pk}/bewerken/", {"revision": 0, "body": "  "}
        )

    own_comment.refresh_from_db()
    assert response.status_code == 400
    assert errors(response) == ["Write your comment before you send it."]
    assert own_comment.body == "Eerste versie"


def test_comment_delete_leaves_a_placeholder_and_keeps_the_text_off_the_pages(
    client, own_comment, council_member
):
    CommentFactory(proposal=own_comment.proposal, parent=own_comment, body="Een antwoord")
    client.force_login(council_member)

    response = client.post(f"/reacties/{own_comment.pk}/verwijderen/")
    page = client.get("/voorstellen/speelveld/")
    fragment = client.get("/voorstellen/speelveld/reacties/", **HTMX)

    own_comment.refresh_from_db()
    assert response.status_code == 302
    assert (own_comment.moderation, own_comment.body) == ("removed", "Eerste versie")
    for shown in (page, fragment):
        content = shown.content.decode()
        assert "Eerste versie" not in content
        assert texts(content, "comment--placeholder") == ["This comment was removed by its author."]
        assert texts(content, "comment__body") == ["Een antwoord"]


def test_comment_delete_htmx_returns_the_placeholder(client, own_comment, council_member):
    client.force_login(council_member)

    response = client.post(f"/reacties/{own_comment.pk}/verwijderen/", **HTMX)

    assert texts(response.content.decode(), "comment") == [
        "This comment was removed by its author."
    ]
    assert Comment.objects.get().moderation == "removed"


def test_comment_delete_twice_is_refused(client, own_comment, council_member):
    client.force_login(council_member)

    client.post(f"/reacties/{own_comment.pk}/verwijderen/")
    again = client.post(f"/reacties/{own_comment.pk}/verwijderen/")

    assert again.status_code == 403
    assert texts(again.content.decode(), "refusal") == [
        "This comment was already removed or hidden."
    ]


# --- formal advice ---------------------------------------------------------------------------


@pytest.fixture
def advice(proposal, council):
    return AdviceFactory(proposal=proposal, wijkraad=council)


def test_advice_submit_saves_the_advice_and_tells_the_team(client, advice, chair, team_member):
    client.force_login(chair)

    form = client.get(f"/adviezen/{advice.pk}/indienen/")
    response = client.post(
        f"/adviezen/{advice.pk}/indienen/",
        {"verdict": "conditional", "text": " Alleen met een oversteek. "},
    )

    advice.refresh_from_db()
    assert form.status_code == 200
    assert response.status_code == 302
    assert response.url == "/voorstellen/speelveld/#advice-heading"
    assert (advice.verdict, advice.text, advice.submitted_by) == (
        "conditional",
        "Alleen met een oversteek.",
        chair,
    )
    assert advice.submitted_at is not None
    assert list(Notification.objects.values_list("recipient", "kind", "title", "url")) == [
        (
            team_member.pk,
            "update",
            "Wijkraad Noord submitted its advice on “Speelveld”",
            "/voorstellen/speelveld/#advice-heading",
        )
    ]


def test_advice_submit_htmx_redirects_the_client(client, advice, secretary):
    client.force_login(secretary)

    response = client.post(
        f"/adviezen/{advice.pk}/indienen/", {"verdict": "positive", "text": "Prima."}, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/voorstellen/speelveld/#advice-heading"
    assert Advice.objects.get().verdict == "positive"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": "", "text": "Prima."}, "Choose the council's advice."),
        (
            {"verdict": "maybe", "text": "Prima."},
            "Select a valid choice. maybe is not one of the available choices.",
        ),
        ({"verdict": "positive", "text": "  "}, "Explain the advice."),
    ],
)
def test_advice_submit_invalid_is_refused(client, advice, chair, data, message):
    client.force_login(chair)

    response = client.post(f"/adviezen/{advice.pk}/indienen/", data)
    fragment = client.post(f"/adviezen/{advice.pk}/indienen/", data, **HTMX)

    advice.refresh_from_db()
    assert response.status_code == 400
    assert errors(response) == [message]
    assert fragment.status_code == 400
    assert fragment.content.decode().lstrip().startswith('<form id="advice-form"')
    assert errors(fragment) == [message]
    assert (advice.submitted_at, advice.verdict) == (None, "")


def test_advice_submit_after_the_deadline_is_refused(client, proposal, council, chair):
    advice = AdviceFactory(
        proposal=proposal, wijkraad=council, deadline=dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)
    )
    client.force_login(chair)

    response = client.post(f"/adviezen/{advice.pk}/indienen/", {"verdict": "positive", "text": "x"})

    local = timezone.localtime(advice.deadline)
    advice.refresh_from_db()
    assert response.status_code == 403
    assert texts(response.content.decode(), "refusal") == [
        f"The deadline for this advice passed on 1 May 2025 {local:%H:%M}."
    ]
    assert advice.submitted_at is None


def test_advice_submit_a_second_time_is_refused(client, advice, chair, secretary):
    client.force_login(chair)
    client.post(f"/adviezen/{advice.pk}/indienen/", {"verdict": "positive", "text": "Ja."})
    client.force_login(secretary)

    response = client.post(
        f"/adviezen/{advice.pk}/indienen/", {"verdict": "negative", "text": "Nee."}
    )

    advice.refresh_from_db()
    assert response.status_code == 403
    assert texts(response.content.decode(), "refusal") == [
        "The advice of Wijkraad Noord has already been submitted."
    ]
    assert (advice.verdict, advice.text, advice.submitted_by) == ("positive", "Ja.", chair)


def test_advice_submit_race_is_refused_by_the_model(advice, chair, secretary):
    stale = Advice.objects.get(pk=advice.pk)
    advice.submit(by=chair, verdict="positive", text="Ja.")

    from participation.models import TransitionRefused

    with pytest.raises(TransitionRefused) as refused:
        stale.submit(by=secretary, verdict="negative", text="Nee.")

    assert refused.value.message == "This advice has already been submitted."
    assert Advice.objects.get().submitted_by == chair


def test_advice_of_a_council_only_proposal_is_404_for_outsiders(
    client, gebiedsteam, wijk, council, other_council_member
):
    secret = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="raad", council_only=True)
    advice = AdviceFactory(proposal=secret, wijkraad=council)
    client.force_login(other_council_member)

    response = client.get(f"/adviezen/{advice.pk}/indienen/")

    assert response.status_code == 404
    assert "raad" not in [t.name for t in response.templates]


# --- the permission matrix -------------------------------------------------------------------

ROLES = [
    "resident",
    "council_member",
    "other_council_member",
    "team_member",
    "other_team_member",
    "moderator",
    "chair",
    "secretary",
]
MAY_COMMENT = {"council_member", "team_member", "chair", "secretary"}


@pytest.fixture
def world(proposal, council, other_council, council_member, advice):
    """A comment of the council member's (in its edit window) and an advice asked."""
    comment = CommentFactory(proposal=proposal, author=council_member, body="Van Ria")
    return {"comment": comment, "advice": advice}


def act(client, action: str, world) -> int:
    comment, advice = world["comment"], world["advice"]
    if action == "comment":
        return post_comment(client, "Nieuw").status_code
    if action == "reply":
        return post_comment(client, "Antwoord", parent=comment).status_code
    if action == "edit":
        return client.post(
            f"/reacties/{comment.pk}/bewerken/", {"revision": 0, "body": "Anders"}
        ).status_code
    if action == "delete":
        return client.post(f"/reacties/{comment.pk}/verwijderen/").status_code
    data = {"verdict": "positive", "text": "Ja."}
    return client.post(f"/adviezen/{advice.pk}/indienen/", data).status_code


def state(world) -> tuple:
    comment = Comment.objects.get(pk=world["comment"].pk)
    advice = Advice.objects.get(pk=world["advice"].pk)
    return Comment.objects.count(), comment.body, comment.moderation, advice.verdict


EXPECTED = {
    "comment": {role: 302 if role in MAY_COMMENT else 403 for role in ROLES},
    "reply": {role: 302 if role in MAY_COMMENT else 403 for role in ROLES},
    "edit": {role: 302 if role == "council_member" else 403 for role in ROLES},
    "delete": {role: 302 if role == "council_member" else 403 for role in ROLES},
    "advice": {role: 302 if role in {"chair", "secretary"} else 403 for role in ROLES},
}
AFTER = {
    "comment": (2, "Van Ria", "visible", ""),
    "reply": (2, "Van Ria", "visible", ""),
    "edit": (1, "Anders", "visible", ""),
    "delete": (1, "Van Ria", "removed", ""),
    "advice": (1, "Van Ria", "visible", "positive"),
}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, request, world, role, action):
    client.force_login(request.getfixturevalue(role))

    status = act(client, action, world)

    expected = EXPECTED[action][role]
    assert status == expected
    assert state(world) == (AFTER[action] if expected == 302 else (1, "Van Ria", "visible", ""))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("chair", [True]),
        ("secretary", [True]),
        ("council_member", [False]),
        ("team_member", [False]),
    ],
)
def test_proposal_page_offers_the_advice_form_to_the_councils_officers_only(
    request, client, proposal, council, role, expected
):
    advice = AdviceFactory(proposal=proposal, wijkraad=council)
    client.force_login(request.getfixturevalue(role))

    content = client.get(proposal.get_absolute_url()).content.decode()

    assert [f'href="/adviezen/{advice.pk}/indienen/"' in content] == expected


@pytest.mark.parametrize("extra", [{}, HTMX])
@pytest.mark.parametrize("parent", ["²", "x", "-1", "9" * 30])
def test_reply_to_a_parent_that_is_no_number_is_refused(
    client, proposal, council_member, extra, parent
):
    CommentFactory(proposal=proposal)
    client.force_login(council_member)

    response = client.post(
        "/voorstellen/speelveld/reacties/", {"body": "Antwoord", "parent": parent}, **extra
    )

    assert response.status_code == 400
    assert Comment.objects.count() == 1
