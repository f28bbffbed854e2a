"""The sitemap (`/sitemap.xml`): every public page, for search engines.

An index of one sitemap per kind of page; a sitemap holds at most SITEMAP_LIMIT addresses a
page (`?p=2`, …). Each holds what a visitor who is not signed in may read, whoever asks,
through the same `visible_to` as the pages themselves: no draft, council-only proposal,
closed meeting or initiative the team has not taken up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse

from agendas.models import Wijkagenda
from areas.models import Gebiedsteam, Wijk, Wijkraad
from meetings.models import Meeting
from pacts.models import Alliance, Pact, PartnerOrganisation
from participation.models import Initiative, Proposal

SITEMAP_LIMIT = 5000

ANONYMOUS = AnonymousUser()


class PagesSitemap(Sitemap):
    """The pages of the portal that are no object's: home, lists, maps, statements."""

    limit = SITEMAP_LIMIT
    url_names = (
        "portal:home",
        "portal:city-map",
        "areas:wijk-list",
        "agendas:wijkagenda-list",
        "participation:proposal-list",
        "portal:wijkraad-list",
        "pacts:pact-list",
        "pacts:organisation-list",
        "accessibility",
        "privacy",
    )

    def items(self) -> tuple[str, ...]:
        return self.url_names

    def location(self, item: str) -> str:
        return reverse(item)


class ObjectSitemap(Sitemap):
    """The public objects of one kind, each at its `get_absolute_url`, in a stable order."""

    limit = SITEMAP_LIMIT

    def __init__(self, public: QuerySet[Any], *, changed: str = "updated_at") -> None:
        self.public = public
        self.changed = changed

    def items(self) -> QuerySet[Any]:
        # Only the columns the addresses and dates are made of: no text, no geometry.
        fields = {"pk", "slug", self.changed} & {f.attname for f in self.public.model._meta.fields}
        return self.public.only(*fields).order_by("pk")

    def lastmod(self, item: Model) -> datetime:
        return getattr(item, self.changed)


def sitemaps() -> dict[str, Sitemap]:
    """The sitemaps of the index, by the name in their address (`/sitemap-<name>.xml`)."""
    return {
        "paginas": PagesSitemap(),
        "gebieden": ObjectSitemap(Gebiedsteam.objects.visible_to(ANONYMOUS)),
        "wijken": ObjectSitemap(Wijk.objects.visible_to(ANONYMOUS)),
        "wijkagendas": ObjectSitemap(Wijkagenda.objects.visible_to(ANONYMOUS)),
        "voorstellen": ObjectSitemap(Proposal.objects.visible_to(ANONYMOUS)),
        "bijeenkomsten": ObjectSitemap(Meeting.objects.visible_to(ANONYMOUS)),
        "initiatieven": ObjectSitemap(Initiative.objects.visible_to(ANONYMOUS)),
        "wijkraden": ObjectSitemap(Wijkraad.objects.visible_to(ANONYMOUS)),
        "organisaties": ObjectSitemap(PartnerOrganisation.objects.visible_to(ANONYMOUS)),
        "pacten": ObjectSitemap(Pact.objects.visible_to(ANONYMOUS)),
        "allianties": ObjectSitemap(Alliance.objects.all()),
    }
