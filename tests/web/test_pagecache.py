"""The page cache for anonymous visitors (web/pagecache.py): what is stored, for whom, with
which headers, and that every kind of change shows on the next request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.cache import cc_delim_re

from accounts.models import User
from agendas.services.actions import update_action
from agendas.services.agendas import publish_wijkagenda
from participation.models import Proposal
from participation.services.comments import post_comment, submit_advice
from participation.services.moderation import hide_comment
from participation.services.proposals import decide_proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CommentFactory,
    CouncilMembershipFactory,
    PactFactory,
    ProposalFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.permissions.matrix import target_for, url_and_data
from tests.permissions.views import VIEWS
from tests.permissions.world import build_world
from tests.workers import RedisServer, needs_real_components
from web import pagecache

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, no-cache"
# The read API's answers: as public, but not stored by the page cache, so that every request
# counts against the API's rate limit (docs/api.md).
API = "public, no-cache"
# Public pages with a POST form for anyone: they set the CSRF cookie, so they are private.
FORM_PAGES = {
    "accounts:login",
    "accounts:password-reset",
    "accounts:invitation-accept",
    "portal:sign-up",
    "accounts:resend-confirmation",
}
# Answers with rules of their own: the health check is never cached anywhere (never_cache);
# address suggestions come from the Locatieserver, for the browser alone (areas.views_address).
# The API's answers for programs (not its documentation or the open-data pages): their own
# Cache-Control, and never stored by the page cache.
API_ANSWERS = {
    name
    for name in VIEWS
    if name.startswith("api:")
    and name not in ("api:docs", "api:open-data", "api:open-data-catalogue", "api:open-data-file")
}
OWN_RULES = {
    "health": "max-age=0, no-cache, no-store, must-revalidate, private",
    "areas:address-suggest": "private, max-age=3600",
}


def tokens(header: str) -> set[str]:
    return {part.strip().lower() for part in cc_delim_re.split(header) if part}


def get_counting(client: Client, url: str, **headers: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or None)
    return response, len(queries)


# ---- the headers of every anonymous page ------------------------------------------------


def test_every_anonymous_page_sets_no_cookie_and_says_how_it_may_be_cached() -> None:
    world = build_world()
    wrong: list[str] = []
    checked = 0
    for name, view in VIEWS.items():
        if view.get is None or view.login:
            continue
        for target_name in view.targets:
            url, _ = url_and_data(view, name, target_for(world, target_name, "anonymous"))
            headers = {"HX-Request": "true"} if view.htmx else {}
            client = Client()
            response = client.get(url, headers=headers)
            if response.status_code != 200:
                continue
            checked += 1
            cookies = sorted(response.cookies)
            cache_control = response.get("Cache-Control", "")
            vary = tokens(response.get("Vary", ""))
            if name in FORM_PAGES:
                if cookies != ["csrftoken"] or "private" not in tokens(cache_control):
                    wrong.append(f"{url}: form page with {cookies}, {cache_control!r}")
                continue
            if name in OWN_RULES:
                if cookies or cache_control != OWN_RULES[name]:
                    wrong.append(f"{url}: {cookies}, {cache_control!r}")
                continue
            problems = []
            if cookies:
                problems.append(f"sets {cookies}")
            if cache_control != (API if name in API_ANSWERS else PUBLIC):
                problems.append(f"Cache-Control {cache_control!r}")
            if not response.get("ETag"):
                problems.append("no ETag")
            if not vary <= pagecache.KEYED_VARY:
                problems.append(f"Vary {sorted(vary)}")
            if response["Content-Type"].startswith("text/html") and "cookie" not in vary:
                problems.append(f"HTML with Vary {sorted(vary)}")
            etag = response.get("ETag", "")
            repeat = client.get(url, headers={**headers, "If-None-Match": etag})
            if repeat.status_code != 304:
                problems.append(f"a repeat with its ETag got {repeat.status_code}")
            if problems:
                wrong.append(f"{url}: {', '.join(problems)}")
    assert checked >= 40
    assert wrong == []


# ---- stored and served ------------------------------------------------------------------


def test_a_second_anonymous_request_is_answered_from_the_cache(client: Client) -> None:
    ProposalFactory(title="Speeltuin Heikant")

    first, rendering = get_counting(client, "/voorstellen/")
    second, stored = get_counting(client, "/voorstellen/")

    assert rendering > 0
    assert stored == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == PUBLIC
    assert "Speeltuin Heikant" in second.content.decode()


def test_a_repeat_with_the_etag_is_a_304_without_a_body(client: Client) -> None:
    first = client.get("/voorstellen/")

    repeat = client.get("/voorstellen/", headers={"If-None-Match": first["ETag"]})

    assert (repeat.status_code, repeat.content) == (304, b"")
    assert (repeat["ETag"], repeat["Cache-Control"]) == (first["ETag"], PUBLIC)


def test_the_fragment_htmx_asks_for_is_stored_apart_from_the_page(client: Client) -> None:
    WijkFactory(name="Heikant")

    page = client.get("/wijken/")
    fragment = client.get("/wijken/", headers={"HX-Request": "true"})
    page_again, queries = get_counting(client, "/wijken/")

    assert fragment.content != page.content
    assert b"<html" not in fragment.content
    assert page_again.content == page.content
    assert queries == 0


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered(client: Client) -> None:
    client.get("/voorstellen/")
    client.cookies["messages"] = "anything"

    _, queries = get_counting(client, "/voorstellen/")

    assert queries > 0


# ---- signed-in people ---------------------------------------------------------------------


def test_signed_in_people_never_get_the_stored_anonymous_page(
    client: Client, team_member: User
) -> None:
    anonymous = Client()
    stored = anonymous.get("/voorstellen/")
    client.force_login(team_member)

    mine, queries = get_counting(client, "/voorstellen/")

    assert queries > 0
    assert "Regisseur Rina" in mine.content.decode()
    assert "Regisseur Rina" not in stored.content.decode()
    assert mine["Cache-Control"] == PRIVATE


def test_signed_in_people_never_put_their_page_in_the_cache(
    client: Client, team_member: User
) -> None:
    client.force_login(team_member)
    client.get("/voorstellen/")
    client.get("/voorstellen/")

    anonymous, queries = get_counting(Client(), "/voorstellen/")

    assert queries > 0
    assert "Regisseur Rina" not in anonymous.content.decode()
    assert anonymous["Cache-Control"] == PUBLIC


def test_a_stale_session_cookie_is_not_served_from_the_cache(client: Client) -> None:
    client.get("/voorstellen/")
    client.cookies["sessionid"] = "no-such-session"

    response, queries = get_counting(client, "/voorstellen/")

    assert queries > 0
    assert SESSION_KEY not in client.session
    assert response.status_code == 200


# ---- every kind of change shows on the next request ------------------------------------


@pytest.fixture
def anonymous() -> Client:
    return Client()


def seen(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_agenda_shows_on_the_next_request(
    anonymous: Client, team_member: User, gebiedsteam
) -> None:
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam, status="draft", published_at=None, title="Agenda Heikant"
    )
    before = seen(anonymous, "/wijkagendas/")

    with transaction.atomic():
        publish_wijkagenda(agenda=agenda, change_summary="Eerste versie", by=team_member)

    assert "Agenda Heikant" not in before
    assert "Agenda Heikant" in seen(anonymous, "/wijkagendas/")


def test_a_page_that_was_not_found_is_stored_once_it_is_published(
    anonymous: Client, team_member: User, gebiedsteam
) -> None:
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None)
    url = f"/wijkagendas/{agenda.slug}/"
    not_yet = [anonymous.get(url).status_code for _ in range(2)]

    publish_wijkagenda(agenda=agenda, change_summary="Eerste versie", by=team_member)
    rendered, rendering = get_counting(anonymous, url)
    again, stored = get_counting(anonymous, url)
    stored_again, from_cache = get_counting(anonymous, url)

    assert not_yet == [404, 404]
    assert (rendered.status_code, again.status_code, stored_again.status_code) == (200, 200, 200)
    assert rendering > 0
    assert stored > 0  # the first 200 after 404s only tells the cache to be asked again
    assert from_cache == 0


def test_an_edited_action_shows_on_the_next_request(
    anonymous: Client, team_member: User, gebiedsteam
) -> None:
    action = ActionFactory(plan__wijkagenda__gebiedsteam=gebiedsteam, title="Bankjes plaatsen")
    url = f"/acties/{action.pk}/"
    before = seen(anonymous, url)

    update_action(
        action=action,
        values={"title": "Bankjes en bomen plaatsen"},
        expected_revision=action.revision,
        by=team_member,
    )

    assert "Bankjes en bomen plaatsen" not in before
    assert "Bankjes en bomen plaatsen" in seen(anonymous, url)


@pytest.fixture
def proposal(gebiedsteam, wijk) -> Proposal:
    return ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Speelveld")


def test_a_decision_shows_on_the_next_request(
    anonymous: Client, team_member: User, proposal: Proposal
) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.CONSIDERATION)
    pagecache.bump_now()  # the line above is the test's own, not the portal's
    url = proposal.get_absolute_url()
    before = seen(anonymous, url)

    decide_proposal(
        proposal=Proposal.objects.get(pk=proposal.pk),
        by=team_member,
        decision="We leggen het speelveld aan.",
        input_feedback="Alle reacties meegenomen.",
        outcomes=[],
        actions=[],
    )

    assert "We leggen het speelveld aan." not in before
    assert "We leggen het speelveld aan." in seen(anonymous, url)


def test_a_comment_shows_on_the_next_request(
    anonymous: Client, council_member: User, proposal: Proposal
) -> None:
    url = proposal.get_absolute_url()
    before = seen(anonymous, url)

    post_comment(proposal=proposal, author=council_member, body="Denk aan de oversteek.")

    assert "Denk aan de oversteek." not in before
    assert "Denk aan de oversteek." in seen(anonymous, url)


def test_a_hidden_comment_is_gone_on_the_next_request(
    anonymous: Client, staff: User, proposal: Proposal
) -> None:
    comment = CommentFactory(proposal=proposal, body="Mijn buurman Jan is de schuldige.")
    url = proposal.get_absolute_url()
    before = seen(anonymous, url)

    hide_comment(comment=comment, by=staff, reason="Noemt iemand bij naam.")

    assert "Mijn buurman Jan is de schuldige." in before
    assert "Mijn buurman Jan is de schuldige." not in seen(anonymous, url)


def test_submitted_advice_shows_on_the_next_request(anonymous: Client, proposal: Proposal) -> None:
    wijkraad = WijkraadFactory(name="Wijkraad Heikant")
    officer = CouncilMembershipFactory(user=UserFactory(), wijkraad=wijkraad).user
    advice = AdviceFactory(proposal=proposal, wijkraad=wijkraad)
    url = proposal.get_absolute_url()
    before = seen(anonymous, url)

    submit_advice(advice=advice, by=officer, verdict="positive", text="Een goed plan, doe het.")

    assert "Een goed plan, doe het." not in before
    assert "Een goed plan, doe het." in seen(anonymous, url)


def test_an_admin_edit_shows_on_the_next_request(
    client: Client, anonymous: Client, gebiedsteam
) -> None:
    pact = PactFactory(gebiedsteam=gebiedsteam, name="Pact Heikant")
    before = seen(anonymous, "/pacten/")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    deleted = client.post(f"/beheer/pacts/pact/{pact.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert "Pact Heikant" in before
    assert "Pact Heikant" not in seen(anonymous, "/pacten/")


# ---- the generation and the commit --------------------------------------------------------


def test_a_transaction_bumps_at_each_change_and_once_after_its_commit(
    django_capture_on_commit_callbacks,
) -> None:
    before = pagecache.current_generation()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        pagecache.bump()
        first = pagecache.current_generation()
        pagecache.bump()
        second = pagecache.current_generation()
    assert before is not None and first is not None and second is not None

    assert (first - before, second - first, len(callbacks)) == (1, 1, 1)
    callbacks[0]()
    assert pagecache.current_generation() == second + 1


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_while_a_change_commits_is_not_served_after_it() -> None:
    """The team's comment is saved but not yet committed while a visitor asks for the page:
    that visitor renders the old page and stores it under the generation the save made. The
    bump after the commit makes sure the next visitor does not get that copy."""
    proposal = ProposalFactory(title="Speelveld")
    author = UserFactory()
    url = proposal.get_absolute_url()
    saved, answered = threading.Event(), threading.Event()

    def team_comments() -> None:
        try:
            with transaction.atomic():
                post_comment(proposal=proposal, author=author, body="Denk aan de oversteek.")
                saved.set()
                answered.wait(10)
        finally:
            connection.close()

    team = threading.Thread(target=team_comments)
    team.start()
    assert saved.wait(10)
    during = Client().get(url).content.decode()
    answered.set()
    team.join(10)

    after = Client().get(url).content.decode()

    assert "Denk aan de oversteek." not in during
    assert "Denk aan de oversteek." in after


# ---- concurrent misses --------------------------------------------------------------------


class SlowPage:
    """A view that takes until `release` is set to answer, and counts its renders."""

    def __init__(self, response: Callable[[], HttpResponse]) -> None:
        self.response = response
        self.renders = 0
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.renders += 1
        self.started.set()
        assert self.release.wait(10)
        return self.response()


def _together(
    view: SlowPage, method: str = "get"
) -> tuple[HttpResponseBase, HttpResponseBase, float]:
    """Two anonymous requests of one page at once through the middleware: the first, a GET,
    is in the view when the second comes in. Returns both answers and how long the second
    took."""
    middleware = pagecache.PageCacheMiddleware(view)
    first: list[HttpResponseBase] = []
    thread = threading.Thread(target=lambda: first.append(middleware(RequestFactory().get("/p/"))))
    thread.start()
    assert view.started.wait(10)
    threading.Timer(0.2, view.release.set).start()
    began = time.monotonic()
    second = middleware(getattr(RequestFactory(), method)("/p/"))
    took = time.monotonic() - began
    thread.join(10)
    return first[0], second, took


def test_visitors_who_come_in_together_after_a_change_get_one_render() -> None:
    pagecache.bump_now()
    view = SlowPage(lambda: HttpResponse("De Reit"))

    first, second, _ = _together(view)

    assert view.renders == 1
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == first.content == b"De Reit"
    assert second["ETag"] == first["ETag"]


def test_who_waits_for_an_answer_that_cannot_be_stored_renders_it_at_once() -> None:
    pagecache.bump_now()

    def with_cookie() -> HttpResponse:
        response = HttpResponse("Inloggen")
        response.set_cookie("csrftoken", "abc")
        return response

    view = SlowPage(with_cookie)

    first, second, took = _together(view)

    assert view.renders == 2
    assert (first.content, second.content) == (b"Inloggen", b"Inloggen")
    assert took < pagecache.RENDER_WAIT_SECONDS


def test_who_waits_longer_than_the_render_may_take_renders_it_themselves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pagecache, "RENDER_WAIT_SECONDS", 0.05)
    pagecache.bump_now()
    view = SlowPage(lambda: HttpResponse("Trouwlaan"))

    first, second, _ = _together(view)

    assert view.renders == 2
    assert second.content == first.content == b"Trouwlaan"


def test_a_head_request_never_waits_for_a_render() -> None:
    pagecache.bump_now()
    view = SlowPage(lambda: HttpResponse("Heikant"))

    _, head, took = _together(view, "head")

    assert (view.renders, head.status_code) == (2, 200)
    assert took < pagecache.RENDER_WAIT_SECONDS


# ---- Redis down ---------------------------------------------------------------------------


@pytest.fixture
def redis_cache(tmp_path: Path) -> Iterator[RedisServer]:
    """Django's cache on a redis-server of this test, with the timeouts of settings.py."""
    needs_real_components()
    server = RedisServer(tmp_path)
    server.start()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield server
    finally:
        server.stop()


@pytest.mark.worker
def test_pages_are_rendered_while_redis_is_down_and_cached_again_after(
    client: Client, redis_cache: RedisServer
) -> None:
    ProposalFactory(title="Speeltuin")
    client.get("/voorstellen/")
    _, stored = get_counting(client, "/voorstellen/")

    redis_cache.stop()
    while_down = client.get("/voorstellen/")
    ProposalFactory(title="Bankje")  # its bump fails and is owed
    changed_while_down = client.get("/voorstellen/")
    redis_cache.start()
    pagecache.forget_cache_failure()
    client.get("/voorstellen/")
    after, stored_again = get_counting(client, "/voorstellen/")

    assert stored == 0
    assert while_down.status_code == 200
    assert "Speeltuin" in while_down.content.decode()
    assert "Bankje" in changed_while_down.content.decode()
    assert "Bankje" in after.content.decode()
    assert stored_again == 0


def test_the_expire_pages_command_makes_the_next_request_render(anonymous: Client) -> None:
    anonymous.get("/voorstellen/")
    before = pagecache.current_generation()
    out = StringIO()

    call_command("expire_pages", stdout=out)
    _, queries = get_counting(anonymous, "/voorstellen/")

    assert out.getvalue() == f"Cached pages expired (generation {before} → {before + 1}).\n"
    assert queries > 0
