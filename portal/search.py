"""The search at /zoeken/: one box over wijkagendas, their ambitions and tasks, plans, actions,
proposals, meetings, organisations and pacts, grouped by kind, with only what the visitor may
see (each kind's `visible_to`; agendas and their items as last published, `PublishedText`).

How a kind is matched (Dutch words, close spellings, the SQLite fallback) is web.search's; the
columns of each kind here are those its migration indexes (`SearchIndexes`): change both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F, FloatField, IntegerField, QuerySet, Value
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, Plan, PublishedText
from areas.models import Gebiedsteam, Wijk
from meetings.models import Meeting
from pacts.models import Pact, PartnerOrganisation
from participation.models import Proposal
from web.search import full_text, search_filter

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

# Hits shown per kind on the grouped page; a kind's own page shows PAGE_SIZE a page.
GROUP_SIZE = 5
PAGE_SIZE = 20
SNIPPET_CHARS = 180
# How close a word of a text must be to the query to count as a spelling of it (pg_trgm's
# word similarity, 0 to 1).
WORD_SIMILARITY = 0.5


@dataclass(frozen=True)
class Hit:
    """One result as the page lists it."""

    title: str
    url: str
    context: str
    snippet: str


@dataclass(frozen=True)
class Kind:
    """A kind of thing the search finds: what the visitor may see of it, narrowed to a place."""

    key: str  # in the address: ?soort=<key>
    label: Promise
    fields: tuple[str, ...]
    visible: Callable[[AnyUser], QuerySet[Any]]
    # The lookups to a gebiedsteam and to a wijk; None: the kind belongs to no place, and a
    # search within a gebied or wijk leaves it out.
    gebied_lookup: str | None
    wijk_lookup: str | None
    hit: Callable[[Any], Hit]
    # What `hit` reads besides the object itself, and the heavy columns it does not read.
    related: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()

    def within(
        self, user: AnyUser, *, gebied: Gebiedsteam | None, wijk: Wijk | None
    ) -> QuerySet[Any] | None:
        """What the visitor may see of this kind in the gebied or wijk; None when the kind
        has no place to filter on."""
        queryset = self.visible(user)
        for place, lookup in ((gebied, self.gebied_lookup), (wijk, self.wijk_lookup)):
            if place is None:
                continue
            if lookup is None:
                return None
            queryset = queryset.filter(**{lookup: place})
        return queryset

    def matching(
        self,
        user: AnyUser,
        text: str,
        *,
        gebied: Gebiedsteam | None,
        wijk: Wijk | None,
        close: bool = False,
    ) -> QuerySet[Any] | None:
        """What matches `text` of this kind (or, with `close`, is spelled close to it), with
        what its hits show; None when the kind has no place to filter on."""
        queryset = self.within(user, gebied=gebied, wijk=wijk)
        if queryset is None:
            return None
        return self.for_hits(search_filter(queryset, self.fields, text, close=close))

    def for_hits(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related(*self.related).defer(*self.deferred)


def _snippet(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SNIPPET_CHARS)


def _published_hit(text: PublishedText) -> Hit:
    context = text.wijkagenda.title if text.kind == PublishedText.Kind.ITEM else ""
    if text.theme:
        context = f"{context} · {text.theme}" if context else text.theme
    return Hit(text.title, text.get_absolute_url(), context, _snippet(text.description))


def _plan_hit(plan: Plan) -> Hit:
    url = f"{plan.wijkagenda.get_absolute_url()}#plan-{plan.pk}"
    return Hit(plan.title, url, plan.wijkagenda.title, _snippet(plan.description))


def _action_hit(action: Action) -> Hit:
    context = f"{action.plan.wijkagenda.title} · {action.plan.title}"
    return Hit(action.title, action.get_absolute_url(), context, _snippet(action.description))


def _proposal_hit(proposal: Proposal) -> Hit:
    context = f"{proposal.gebiedsteam.name} · {proposal.get_status_display()}"
    return Hit(proposal.title, proposal.get_absolute_url(), context, _snippet(proposal.body))


def _meeting_hit(meeting: Meeting) -> Hit:
    context = date_format(localtime(meeting.starts_at), "j F Y")
    return Hit(meeting.title, meeting.get_absolute_url(), context, _snippet(meeting.description))


def _organisation_hit(organisation: PartnerOrganisation) -> Hit:
    return Hit(
        organisation.name,
        organisation.get_absolute_url(),
        str(organisation.get_kind_display()),
        _snippet(organisation.description),
    )


def _pact_hit(pact: Pact) -> Hit:
    return Hit(pact.name, pact.get_absolute_url(), pact.gebiedsteam.name, _snippet(pact.summary))


KINDS: tuple[Kind, ...] = (
    Kind(
        "wijkagendas",
        _("Wijkagendas"),
        ("title", "description"),
        lambda user: PublishedText.objects.public().agendas(),
        "wijkagenda__gebiedsteam",
        "wijkagenda__wijken",
        _published_hit,
        related=("wijkagenda",),
    ),
    Kind(
        "ambities",
        _("Ambitions and tasks"),
        ("title", "description"),
        lambda user: PublishedText.objects.public().items(),
        "wijkagenda__gebiedsteam",
        "wijkagenda__wijken",
        _published_hit,
        related=("wijkagenda",),
    ),
    Kind(
        "plannen",
        _("Plans"),
        ("title", "description"),
        lambda user: Plan.objects.visible_to(user),
        "wijkagenda__gebiedsteam",
        "wijkagenda__wijken",
        _plan_hit,
        related=("wijkagenda",),
    ),
    Kind(
        "acties",
        _("Actions"),
        ("title", "description"),
        lambda user: Action.objects.visible_to(user),
        "plan__wijkagenda__gebiedsteam",
        "plan__wijkagenda__wijken",
        _action_hit,
        related=("plan__wijkagenda",),
    ),
    Kind(
        "voorstellen",
        _("Proposals"),
        ("title", "body"),
        lambda user: Proposal.objects.visible_to(user),
        "gebiedsteam",
        "wijken",
        _proposal_hit,
        related=("gebiedsteam",),
        deferred=("gebiedsteam__outline",),
    ),
    Kind(
        "bijeenkomsten",
        _("Meetings"),
        ("title", "description"),
        lambda user: Meeting.objects.visible_to(user),
        "gebiedsteam",
        "wijken",
        _meeting_hit,
    ),
    Kind(
        "organisaties",
        _("Organisations"),
        ("name", "description"),
        lambda user: PartnerOrganisation.objects.visible_to(user),
        None,
        None,
        _organisation_hit,
    ),
    Kind(
        "pacten",
        _("Pacts"),
        ("name", "summary"),
        lambda user: Pact.objects.visible_to(user),
        "gebiedsteam",
        "wijken",
        _pact_hit,
        related=("gebiedsteam",),
        deferred=("gebiedsteam__outline",),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Group:
    """The first hits of one kind, and whether it has more."""

    kind: Kind
    hits: list[Hit]
    more: bool


def hits_of(found: Iterable[Any], kind: Kind) -> list[Hit]:
    return [kind.hit(obj) for obj in found]


def search_all(
    user: AnyUser, text: str, *, gebied: Gebiedsteam | None, wijk: Wijk | None
) -> tuple[list[Group], bool]:
    """The first GROUP_SIZE hits of every kind that has any, and whether they are close
    spellings: the words first, and only when they find nothing, what is spelled close to
    them (run it within `using_indexes`)."""
    places = [
        (kind, queryset)
        for kind in KINDS
        if (queryset := kind.within(user, gebied=gebied, wijk=wijk)) is not None
    ]
    for close in (False, True):
        matching = [
            (kind, search_filter(queryset, kind.fields, text, close=close))
            for kind, queryset in places
        ]
        groups = [
            Group(kind, hits_of(found[:GROUP_SIZE], kind), len(found) > GROUP_SIZE)
            for kind, found in _first_of_each(matching)
            if found
        ]
        if groups:
            return groups, close
    return [], False


def _in_one_query() -> bool:
    """Whether the database takes a UNION of sliced queries (PostgreSQL; not SQLite)."""
    return bool(connection.features.supports_slicing_ordering_in_compound)


def _search_rank(queryset: QuerySet[Any]) -> Any:
    """The order within a kind, as search_filter orders it (and then newest first)."""
    if "closeness" in queryset.query.annotations:
        return F("closeness")
    return Value(0.0, output_field=FloatField())


def _first_of_each(matching: list[tuple[Kind, QuerySet[Any]]]) -> Iterator[tuple[Kind, list[Any]]]:
    """The first GROUP_SIZE + 1 of each kind's matches, in the kind's order.

    On PostgreSQL one query asks every kind for the keys of its first matches (UNION ALL of
    one sliced query a kind), and only the kinds that have any are then loaded, by key: one
    round trip and one plan instead of eight, which halves the time of a search.
    The embedded SQLite cannot slice the parts of a UNION: there, and for a single kind, it
    is one query a kind.
    """
    if len(matching) < 2 or not _in_one_query():
        for kind, queryset in matching:
            yield kind, list(kind.for_hits(queryset)[: GROUP_SIZE + 1])
        return
    parts = [
        queryset.annotate(
            search_part=Value(index, output_field=IntegerField()),
            search_rank=_search_rank(queryset),
        ).values_list("search_part", "search_rank", "pk")[: GROUP_SIZE + 1]
        for index, (_, queryset) in enumerate(matching)
    ]
    keys: dict[int, list[tuple[float, int]]] = {}
    for index, rank, pk in parts[0].union(*parts[1:], all=True):
        keys.setdefault(index, []).append((rank, pk))
    for index, (kind, queryset) in enumerate(matching):
        ranked = sorted(keys.get(index, ()), reverse=True)
        if not ranked:
            yield kind, []
            continue
        loaded = kind.for_hits(
            queryset.model._default_manager.filter(pk__in=[k for _, k in ranked])
        )
        by_pk = {obj.pk: obj for obj in loaded}
        yield kind, [by_pk[pk] for _, pk in ranked]


@contextmanager
def using_indexes() -> Iterator[None]:
    """On PostgreSQL, the search's queries in one transaction that prefers the GIN indexes.

    The planner prices a trigram comparison (`<%`) and a text match as cheap as an equality,
    so on a table of a few thousand rows it compares every row (20-60 ms): in a sequential
    scan, or walking the primary key backwards for "newest first" until it has found enough
    (53 ms for a word no row holds). Without those two (`SET LOCAL enable_seqscan = off`,
    `enable_indexscan = off`, for this transaction only) it takes the GIN indexes' bitmaps,
    about 1 ms.

    The same goes for how close a spelling must be: pg_trgm's default (0.6) misses a swap of
    two letters in a short word ("moestiun": 0.56), so it is WORD_SIMILARITY here.
    """
    with transaction.atomic():
        if full_text():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', 'off', true),"
                    " set_config('enable_indexscan', 'off', true),"
                    " set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(WORD_SIMILARITY)],
                )
        yield
