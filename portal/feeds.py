"""Atom feeds of a wijk and of a gebied: the proposals open for reactions, the decisions taken,
and the versions of their wijkagendas as they are published (Django's syndication framework).

A feed holds what a visitor who is not signed in may read, whoever asks: feed readers fetch it
without signing in, and its address gets passed on (the calendar feeds of meetings do the
same). Each feed holds the newest FEED_ITEMS entries; readers keep what they fetched before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agendas.models import Wijkagenda, WijkagendaVersion
from areas.models import Gebiedsteam, Wijk
from participation.models import Proposal, ProposalQuerySet

# The newest entries a feed holds.
FEED_ITEMS = 30

# What a visitor who is not signed in may read: the only reader of a feed.
ANONYMOUS = AnonymousUser()


@dataclass(frozen=True)
class Place:
    """A wijk or a gebied, with what its feeds read."""

    kind: str  # "wijk" or "gebied": the feeds' URL names end in it
    slug: str
    name: str
    url: str
    proposals: ProposalQuerySet
    agendas: QuerySet[Wijkagenda]


def wijk_place(slug: str) -> Place:
    wijk = get_object_or_404(Wijk.objects.visible_to(ANONYMOUS).for_list(), slug=slug)
    return Place(
        kind="wijk",
        slug=wijk.slug,
        name=wijk.name,
        url=wijk.get_absolute_url(),
        proposals=Proposal.objects.visible_to(ANONYMOUS).for_wijk_ids([wijk.pk]),
        agendas=Wijkagenda.objects.visible_to(ANONYMOUS).for_wijk(wijk),
    )


def gebied_place(slug: str) -> Place:
    team = get_object_or_404(Gebiedsteam.objects.visible_to(ANONYMOUS).defer("outline"), slug=slug)
    return Place(
        kind="gebied",
        slug=team.slug,
        name=_("gebied %(name)s") % {"name": team.name},
        url=team.get_absolute_url(),
        proposals=Proposal.objects.visible_to(ANONYMOUS).for_gebiedsteams([team.pk]),
        agendas=Wijkagenda.objects.visible_to(ANONYMOUS).for_gebiedsteams([team.pk]),
    )


class PlaceFeed(Feed):
    """The feed of one subject for a wijk or a gebied, found by `find_place`."""

    feed_type = Atom1Feed
    # The URL name of the feed, without its ending (`-wijk`, `-gebied`).
    url_name = ""

    def __init__(self, find_place: Callable[[str], Place]) -> None:
        self.find_place = find_place

    def get_object(self, request: HttpRequest, slug: str) -> Place:
        return self.find_place(slug)

    def link(self, place: Place) -> str:
        return place.url

    def feed_url(self, place: Place) -> str:
        return reverse(f"portal:{self.url_name}-{place.kind}", kwargs={"slug": place.slug})

    def author_name(self) -> str:
        return _("Municipality of %(name)s") % {"name": settings.WIJKPORTAAL_MUNICIPALITY_NAME}

    def item_updateddate(self, item: Any) -> datetime:
        return item.updated_at


class ProposalsFeed(PlaceFeed):
    """The proposals open for reactions now, the newest opened first."""

    url_name = "feed-proposals"
    description_template = "portal/feeds/proposal.html"

    def title(self, place: Place) -> str:
        return _("Proposals open for reactions in %(name)s") % {"name": place.name}

    def subtitle(self, place: Place) -> str:
        return _("The team's proposals in %(name)s on which you can give your opinion now.") % {
            "name": place.name
        }

    def items(self, place: Place) -> QuerySet[Proposal]:
        return place.proposals.open_now().order_by("-opens_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item: Proposal) -> str:
        return item.title

    def item_pubdate(self, item: Proposal) -> datetime:
        return item.opens_at


class DecisionsFeed(PlaceFeed):
    """The decided proposals, the newest decision first."""

    url_name = "feed-decisions"
    description_template = "portal/feeds/decision.html"

    def title(self, place: Place) -> str:
        return _("Decisions in %(name)s") % {"name": place.name}

    def subtitle(self, place: Place) -> str:
        return _(
            "What the team decided on its proposals in %(name)s, and what it did with the input."
        ) % {"name": place.name}

    def items(self, place: Place) -> QuerySet[Proposal]:
        return place.proposals.filter(status=Proposal.Status.DECIDED).order_by(
            "-decided_at", "-pk"
        )[:FEED_ITEMS]

    def item_title(self, item: Proposal) -> str:
        return _("Decision: %(title)s") % {"title": item.title}

    def item_pubdate(self, item: Proposal) -> datetime | None:
        return item.decided_at


class AgendaChangesFeed(PlaceFeed):
    """The published versions of the place's wijkagendas, the newest first."""

    url_name = "feed-agenda-changes"
    description_template = "portal/feeds/agenda_version.html"

    def title(self, place: Place) -> str:
        return _("Changes to the wijkagendas of %(name)s") % {"name": place.name}

    def subtitle(self, place: Place) -> str:
        return _("Each new version of a wijkagenda of %(name)s, as it is published.") % {
            "name": place.name
        }

    def items(self, place: Place) -> QuerySet[WijkagendaVersion]:
        return (
            WijkagendaVersion.objects.filter(wijkagenda__in=place.agendas.values("pk"))
            .select_related("wijkagenda")
            .defer("snapshot", "wijkagenda__summary")
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: WijkagendaVersion) -> str:
        return _("%(agenda)s, version %(number)s") % {
            "agenda": item.wijkagenda.title,
            "number": item.number,
        }

    def item_link(self, item: WijkagendaVersion) -> str:
        url = reverse("portal:wijkagenda-changelog", kwargs={"slug": item.wijkagenda.slug})
        return f"{url}#versie-{item.number}"

    def item_pubdate(self, item: WijkagendaVersion) -> datetime:
        return item.created_at

    def item_updateddate(self, item: WijkagendaVersion) -> datetime:
        return item.created_at


# Each feed once for a wijk and once for a gebied: (URL name, path segment, feed).
FEEDS = (
    ("feed-proposals", "voorstellen", ProposalsFeed),
    ("feed-decisions", "besluiten", DecisionsFeed),
    ("feed-agenda-changes", "wijkagendas", AgendaChangesFeed),
)


@dataclass(frozen=True)
class FeedLink:
    """A feed of a place as its page offers it: in the page's head and in its own section."""

    title: str
    url: str


def feed_links(kind: str, slug: str) -> list[FeedLink]:
    """The feeds of the wijk or gebied (`kind`) with this slug, for its page."""
    titles = {
        "feed-proposals": _("Proposals open for reactions"),
        "feed-decisions": _("Decisions"),
        "feed-agenda-changes": _("New versions of the wijkagendas"),
    }
    return [
        FeedLink(titles[name], reverse(f"portal:{name}-{kind}", kwargs={"slug": slug}))
        for name, _segment, _feed in FEEDS
    ]
