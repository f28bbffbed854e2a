"""Sections of pages kept until a table they read changes (web/sections.py): kept and served
again, rendered anew after a change to what they read and only then, one visitor's never
another's, a form's token always the visitor's own, and rendered as usual while the cache
fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.template import engines
from django.test import RequestFactory
from django.utils.translation import get_language

from accounts.models import User
from agendas.models import Action
from areas.models import TeamMembership
from meetings.models import Meeting
from participation.models import Proposal
from tests.factories import (
    ActionFactory,
    GebiedsteamFactory,
    MeetingFactory,
    PlanFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
)
from web import pagecache, sections
from web.fragments import digest
from web.sections import CSRF_PLACEHOLDER, cached_page, cached_section, cached_sections

pytestmark = pytest.mark.django_db


def request_of(user: User | None = None):
    request = RequestFactory().get("/wijken/noordhoek/")
    request.user = user or AnonymousUser()
    return request


class Titles:
    """A section that lists the proposals' titles, and counts how often it was rendered."""

    def __init__(self) -> None:
        self.renders = 0

    def __call__(self) -> str:
        self.renders += 1
        return ", ".join(Proposal.objects.order_by("pk").values_list("title", flat=True))


def shown(section: Callable[[], str], user: User | None = None, key: object = "noordhoek") -> str:
    """The section as a new request of `user` (anonymous by default) gets it."""
    return str(cached_section(request_of(user), "titles", key, section))


def test_a_section_is_kept_until_a_table_it_read_changes() -> None:
    proposal = ProposalFactory(title="Speelveld")
    section = Titles()

    first, again = shown(section), shown(section)
    MeetingFactory(title="Wijkdialoog")  # a table the section did not read
    after_a_meeting = shown(section)
    proposal.title = "Speelveld met pad"
    proposal.save()
    after_an_edit = shown(section)

    assert (first, again, after_a_meeting) == ("Speelveld",) * 3
    assert after_an_edit == "Speelveld met pad"
    assert section.renders == 2


def test_a_change_without_tables_ends_every_section() -> None:
    ProposalFactory(title="Speelveld")
    section = Titles()
    shown(section)

    Proposal.objects.update(title="Speelveld bijgewerkt")
    pagecache.bump()  # what the callers of update() and bulk_create() do

    assert shown(section) == "Speelveld bijgewerkt"
    assert section.renders == 2


def test_a_section_that_reads_a_table_no_generation_watches_is_not_kept() -> None:
    renders = []

    def sessions() -> str:
        renders.append(1)
        return str(Session.objects.count())

    shown(sessions)
    shown(sessions)

    assert len(renders) == 2


def test_a_section_that_reads_the_content_types_is_kept() -> None:
    """Only migrations change them, and every migration ends all sections."""
    renders = []

    def models() -> str:
        renders.append(1)
        return str(ContentType.objects.get_for_model(Proposal, for_concrete_model=True).pk)

    ContentType.objects.clear_cache()
    first = shown(models)
    ContentType.objects.clear_cache()
    again = shown(models)

    assert first == again == str(ContentType.objects.get_for_model(Proposal).pk)
    assert len(renders) == 1


def test_each_key_and_each_signed_in_person_has_an_entry_of_their_own() -> None:
    ProposalFactory(title="Speelveld")
    one, other = UserFactory(), UserFactory()
    section = Titles()

    for user, key in ((None, "noordhoek"), (one, "noordhoek"), (other, "noordhoek")):
        shown(section, user, key)
    shown(section, None, "zuid")
    shown(section, one, "noordhoek")

    assert section.renders == 4


def test_a_membership_that_ends_ends_its_holders_sections_too() -> None:
    """The section does not read memberships itself (the rules keep them on the user for the
    request), yet what a member may see depends on them."""
    gebiedsteam = GebiedsteamFactory()
    member = UserFactory()
    TeamMembershipFactory(user=member, gebiedsteam=gebiedsteam)
    MeetingFactory(gebiedsteam=gebiedsteam, title="Teamoverleg", public=False)
    renders = []

    def meetings_for(user: User) -> Callable[[], str]:
        def render() -> str:
            renders.append(1)
            return ", ".join(Meeting.objects.visible_to(user).values_list("title", flat=True))

        return render

    before = shown(meetings_for(member), member)
    TeamMembership.objects.get(user=member).delete()
    member = User.objects.get(pk=member.pk)
    after = shown(meetings_for(member), member)

    assert (before, after, len(renders)) == ("Teamoverleg", "", 2)


def test_a_kept_form_holds_no_token_and_each_visitor_gets_their_own() -> None:
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Opslaan</button></form>'
    )
    user = UserFactory()
    requests = [request_of(user), request_of(user)]
    pages = [
        str(cached_section(request, "form", "key", lambda r=request: template.render({}, r)))
        for request in requests
    ]
    _, kept_html = caches["default"].get(
        f"section:form:{get_language()}:user:{user.pk}:{digest('key')}"
    )

    tokens = [page.split('value="')[1].split('"')[0] for page in pages]
    # Each page holds a token of its own request's secret; the entry holds neither.
    secrets = [_unmask_cipher_token(token) for token in tokens]
    assert secrets == [_unmask_cipher_token(get_token(request)) for request in requests]
    assert secrets[0] != secrets[1]
    assert CSRF_PLACEHOLDER not in "".join(pages)
    assert CSRF_PLACEHOLDER in kept_html
    assert not any(token in kept_html for token in tokens)


def test_the_token_htmx_sends_is_each_visitors_own_too() -> None:
    template = engines["django"].from_string(
        """<body hx-headers='{"X-CSRFToken": "{{ csrf_token }}"}'>Werkplek</body>"""
    )
    user = UserFactory()
    requests = [request_of(user), request_of(user)]
    pages = [
        str(cached_section(request, "body", "key", lambda r=request: template.render({}, r)))
        for request in requests
    ]

    tokens = [page.split('"X-CSRFToken": "')[1].split('"')[0] for page in pages]
    secrets = [_unmask_cipher_token(token) for token in tokens]
    assert secrets == [_unmask_cipher_token(get_token(request)) for request in requests]
    assert secrets[0] != secrets[1]


def dated_section(render: Callable[[], str], user: User | None = None) -> str:
    return str(cached_section(request_of(user), "titles", "noordhoek", render, dated=True))


def test_a_dated_section_is_kept_for_the_day_it_was_rendered_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ProposalFactory(title="Speelveld")
    section = Titles()
    today = dt.date(2026, 12, 8)
    monkeypatch.setattr(sections.timezone, "localdate", lambda: today)

    dated_section(section)
    dated_section(section)
    today = dt.date(2026, 12, 9)
    dated_section(section)

    assert section.renders == 2


@pytest.mark.parametrize(("who", "seconds"), [("anonymous", 3600), ("signed in", 60)])
def test_a_dated_section_is_kept_an_hour_for_anonymous_visitors_a_minute_for_others(
    settings, monkeypatch: pytest.MonkeyPatch, who: str, seconds: int
) -> None:
    """Anonymous visitors share their entries; each signed-in person has their own, so these
    stay few by lasting no longer than the rest."""
    settings.WIJKPORTAAL_PAGE_CACHE_SECONDS = 60
    ProposalFactory(title="Speelveld")
    kept = []
    cache = caches["default"]
    set_many = cache.set_many
    monkeypatch.setattr(
        cache, "set_many", lambda data, timeout: kept.append(timeout) or set_many(data, timeout)
    )

    dated_section(Titles(), UserFactory() if who == "signed in" else None)
    cached_section(request_of(), "undated", "noordhoek", Titles())

    assert kept == [seconds, 60]


def test_sections_are_rendered_while_the_cache_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    ProposalFactory(title="Speelveld")
    section = Titles()
    monkeypatch.setattr(pagecache, "_cache_is_down", lambda: True)

    assert (shown(section), shown(section), section.renders) == ("Speelveld", "Speelveld", 2)


class Page:
    """A page around the section "titles": the meetings' titles, and a slot for the section.
    Counts how often it was rendered."""

    def __init__(self) -> None:
        self.renders = 0

    def __call__(self, slots: dict[str, str]) -> str:
        self.renders += 1
        meetings = ", ".join(Meeting.objects.order_by("pk").values_list("title", flat=True))
        return f"<main>{meetings} | {slots['titles']}</main>"


def page_for(request, page: Page, section: Titles) -> str:
    sections = {"titles": cached_section(request, "titles", "noordhoek", section)}
    return str(cached_page(request, "wijk", "noordhoek", page, sections))


def test_a_page_is_kept_around_its_sections_until_a_table_it_read_changes() -> None:
    proposal = ProposalFactory(title="Speelveld")
    meeting = MeetingFactory(title="Wijkdialoog")
    page, section = Page(), Titles()

    first = page_for(request_of(), page, section)
    proposal.title = "Speelveld met pad"
    proposal.save()  # only the section read proposals
    after_an_edit = page_for(request_of(), page, section)
    meeting.title = "Wijkdialoog Noordhoek"
    meeting.save()
    after_a_meeting = page_for(request_of(), page, section)

    assert first == "<main>Wijkdialoog | Speelveld</main>"
    assert after_an_edit == "<main>Wijkdialoog | Speelveld met pad</main>"
    assert after_a_meeting == "<main>Wijkdialoog Noordhoek | Speelveld met pad</main>"
    assert (page.renders, section.renders) == (2, 2)


def test_each_address_has_a_page_of_its_own() -> None:
    MeetingFactory(title="Wijkdialoog")
    page, section = Page(), Titles()

    for path in ("/wijken/noordhoek/", "/wijken/noordhoek/?buurt=BU08550101", "/wijken/noordhoek/"):
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        page_for(request, page, section)

    assert page.renders == 2


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_not_kept() -> None:
    """Showing a message uses it up: a kept page would leave it unread."""
    MeetingFactory(title="Wijkdialoog")
    page, section = Page(), Titles()
    page_for(request_of(), page, section)
    with_message = request_of()
    with_message.session = {}
    with_message._messages = FallbackStorage(with_message)
    with_message._messages.add(20, "Uw reactie is geplaatst.")

    html = page_for(with_message, page, section)

    assert html == "<main>Wijkdialoog | </main>"
    assert page.renders == 2


# ---- sections of one agenda (a scope of web.pagecache: agendas/apps.py) --------------------


class ActionTitles:
    """The sections of agendas: the titles of each one's actions. Notes the agendas it was
    asked to render, each time."""

    def __init__(self) -> None:
        self.asked: list[list[int]] = []

    def __call__(self, agenda_ids: list[int]) -> dict[int, str]:
        self.asked.append(sorted(agenda_ids))
        return {
            agenda_id: ", ".join(
                Action.objects.filter(plan__wijkagenda_id=agenda_id)
                .order_by("pk")
                .values_list("title", flat=True)
            )
            for agenda_id in agenda_ids
        }


def agenda_sections(render: ActionTitles, *agenda_ids: int) -> dict[int, str]:
    found = cached_sections(request_of(), "titles", "wijkagenda", list(agenda_ids), render)
    return {agenda_id: str(html) for agenda_id, html in found.items()}


@pytest.fixture
def two_agendas():
    """An action on each of two agendas."""
    return ActionFactory(title="Bankjes"), ActionFactory(title="Bomen")


def test_an_agendas_section_is_kept_while_another_agenda_changes(two_agendas) -> None:
    bankjes, bomen = two_agendas
    a, b = bankjes.plan.wijkagenda_id, bomen.plan.wijkagenda_id
    render = ActionTitles()

    first = agenda_sections(render, a, b)
    bomen.title = "Bomen planten"
    bomen.save()
    after_b = agenda_sections(render, a, b)
    ActionFactory(plan=bankjes.plan, title="Hagen")
    after_a = agenda_sections(render, a, b)

    assert first == {a: "Bankjes", b: "Bomen"}
    assert after_b == {a: "Bankjes", b: "Bomen planten"}
    assert after_a == {a: "Bankjes, Hagen", b: "Bomen planten"}
    # Those not kept are rendered together, and only they.
    assert render.asked == [sorted([a, b]), [b], [a]]


def test_a_row_that_moves_to_another_agenda_ends_the_sections_of_both(two_agendas) -> None:
    bankjes, bomen = two_agendas
    a, b = bankjes.plan.wijkagenda_id, bomen.plan.wijkagenda_id
    render = ActionTitles()
    agenda_sections(render, a, b)

    bankjes.plan = PlanFactory(wijkagenda=bomen.plan.wijkagenda)
    bankjes.save()

    assert agenda_sections(render, a, b) == {a: "", b: "Bankjes, Bomen"}
    assert render.asked[-1] == sorted([a, b])


def test_a_deleted_row_ends_the_section_of_its_agenda(two_agendas) -> None:
    bankjes, bomen = two_agendas
    a, b = bankjes.plan.wijkagenda_id, bomen.plan.wijkagenda_id
    render = ActionTitles()
    agenda_sections(render, a, b)

    bankjes.plan.delete()  # its actions go with it

    assert agenda_sections(render, a, b) == {a: "", b: "Bomen"}
    assert render.asked[-1] == [a]


@pytest.mark.parametrize("tables", [("agendas_action",), ()])
def test_a_change_not_told_by_row_ends_the_section_of_every_agenda(two_agendas, tables) -> None:
    """A bulk change bumps the table, or every table: no agenda's section is kept."""
    bankjes, bomen = two_agendas
    a, b = bankjes.plan.wijkagenda_id, bomen.plan.wijkagenda_id
    render = ActionTitles()
    agenda_sections(render, a, b)

    Action.objects.update(title="Hetzelfde")
    pagecache.bump(*tables)

    assert agenda_sections(render, a, b) == {a: "Hetzelfde", b: "Hetzelfde"}
    assert render.asked[-1] == sorted([a, b])


def test_a_raw_save_ends_the_section_of_every_agenda(two_agendas) -> None:
    """A fixture being loaded saves raw, its related rows perhaps still to come: no scope."""
    bankjes, bomen = two_agendas
    a, b = bankjes.plan.wijkagenda_id, bomen.plan.wijkagenda_id
    render = ActionTitles()
    agenda_sections(render, a, b)

    bankjes.title = "Bankjes (geladen)"
    bankjes.save_base(raw=True)

    assert agenda_sections(render, a, b) == {a: "Bankjes (geladen)", b: "Bomen"}
    assert render.asked[-1] == sorted([a, b])


def test_a_section_that_reads_rows_of_no_scope_is_kept_by_their_whole_table(two_agendas) -> None:
    """The owners of the actions are no agenda's own: a change of any owner ends it."""
    bankjes, bomen = two_agendas
    a = bankjes.plan.wijkagenda_id
    renders = []

    def owners() -> str:
        renders.append(1)
        return ", ".join(
            Action.objects.filter(plan__wijkagenda_id=a).values_list(
                "owner_organisation__name", flat=True
            )
        )

    def section() -> str:
        return str(cached_section(request_of(), "owners", a, owners, scope=("wijkagenda", a)))

    first = section()
    bomen.title = "Bomen planten"
    bomen.save()
    section()
    bomen.owner_organisation.name = "Groen Tilburg"
    bomen.owner_organisation.save()
    section()

    assert first == bankjes.owner_organisation.name
    assert len(renders) == 2
