"""The datasets of the API: for each, what an anonymous visitor may see of it, its filters and
its serializer. The open-data downloads can take the same datasets.

Each `rows()` starts from the model's own `visible_to(AnonymousUser())` (or, for the lists
that are public as a whole, the same method, which lets everything through): the API never
decides by itself what is public. Each brings the relations its serializer reads, so a page
of any length costs the same number of queries, and a stable order (ending on the primary
key), so that pages neither skip nor repeat rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from rest_framework.serializers import BaseSerializer

from agendas.models import Action, Plan, ProgressUpdate, Vision, Wijkagenda
from agendas.models import Status as PublicationStatus
from agendas.publication import listing_for
from api import serializers as s
from api.filters import Filters, day_after, day_start
from areas.models import Buurt, Gebiedsteam, Wijk
from meetings.models import Meeting
from pacts.models import Alliance, Pact, PartnerOrganisation
from participation.models import Advice, Initiative, InputOutcome, Proposal

ANONYMOUS = AnonymousUser()


@dataclass(frozen=True)
class Dataset:
    name: str
    rows: Callable[[], QuerySet[Any]]
    serializer: type[BaseSerializer]
    filters: Filters = Filters()
    # Fills in what the serializer reads besides the rows, for one page of rows at a time.
    prepare: Callable[[list[Any]], None] | None = None


def _overlaps(start: str, end: str) -> Callable[[QuerySet[Any], dt.date, dt.date], QuerySet[Any]]:
    """A period filter for objects with a period of dates: those whose period overlaps it
    (an open end counts as no bound)."""

    def apply(queryset: QuerySet[Any], since: dt.date, until: dt.date) -> QuerySet[Any]:
        return queryset.filter(
            Q(**{f"{start}__lte": until}) | Q(**{f"{start}__isnull": True}),
            Q(**{f"{end}__gte": since}) | Q(**{f"{end}__isnull": True}),
        )

    return apply


def _moment_within(field: str) -> Callable[[QuerySet[Any], dt.date, dt.date], QuerySet[Any]]:
    """A period filter for a moment (a datetime field): on one of the days of the period."""

    def apply(queryset: QuerySet[Any], since: dt.date, until: dt.date) -> QuerySet[Any]:
        return queryset.filter(
            **{f"{field}__gte": day_start(since), f"{field}__lt": day_after(until)}
        )

    return apply


def _status(queryset: QuerySet[Any], status: str) -> QuerySet[Any]:
    return queryset.filter(status=status)


# ---- areas ---------------------------------------------------------------------------------


def gebieden() -> QuerySet[Gebiedsteam]:
    return Gebiedsteam.objects.visible_to(ANONYMOUS).for_list()


def wijken() -> QuerySet[Wijk]:
    return Wijk.objects.visible_to(ANONYMOUS).for_list().order_by("code")


def buurten() -> QuerySet[Buurt]:
    return (
        Buurt.objects.for_list()
        .select_related("wijk")
        .only("code", "name", "label_lon", "label_lat", "boundary_year", "wijk__code")
        .order_by("code")
    )


# ---- agendas -------------------------------------------------------------------------------


def wijkagendas() -> QuerySet[Wijkagenda]:
    return (
        Wijkagenda.objects.visible_to(ANONYMOUS)
        .for_overview()
        .with_latest_version()
        .annotate_item_count()
        .order_by("slug", "pk")
    )


def listings(agendas: list[Wijkagenda]) -> None:
    """Each agenda's title, period and item count as last published (`listing`)."""
    for agenda in agendas:
        agenda.listing = listing_for(agenda, live=False)  # type: ignore[attr-defined]


def wijkagenda_detail() -> QuerySet[Wijkagenda]:
    # action_count is declared on Plan, for the pages that read it.
    plans = Plan.objects.annotate(action_count=Count("actions")).order_by(  # type: ignore[no-redef]
        "-period_start", "pk"
    )
    return (
        Wijkagenda.objects.visible_to(ANONYMOUS)
        .for_overview()
        .prefetch_related(Prefetch("plans", queryset=plans))
    )


def plans() -> QuerySet[Plan]:
    return (
        Plan.objects.visible_to(ANONYMOUS)
        .select_related("wijkagenda")
        .only("title", "description", "period_start", "period_end", "wijkagenda__slug")
        .annotate(action_count=Count("actions"))  # type: ignore[no-redef]
        .order_by("pk")
    )


def actions() -> QuerySet[Action]:
    return (
        Action.objects.visible_to(ANONYMOUS)
        .select_related("plan__wijkagenda", "agenda_item__theme", "owner_organisation")
        .defer("area", "contact_name", "contact_email")
        .order_by("pk")
    )


def progress_updates() -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.visible_to(ANONYMOUS).order_by("-created_at", "-pk")


def visions() -> QuerySet[Vision]:
    return (
        Vision.objects.visible_to(ANONYMOUS)
        .select_related("gebiedsteam")
        .only("title", "body", "horizon_year", "status", "gebiedsteam__slug")
        .order_by("pk")
    )


# ---- participation and meetings -------------------------------------------------------------


def proposals() -> QuerySet[Proposal]:
    # What was done with the input, as the proposal's page shows it: for each shown comment
    # and each advice. The actions carrying out the decision: those the visitor may see.
    outcomes = (
        InputOutcome.objects.on_visible_comments() | InputOutcome.objects.on_advice()
    ).select_related("advice__wijkraad")
    return (
        Proposal.objects.visible_to(ANONYMOUS)
        .for_cards()
        .prefetch_related(
            Prefetch("input_outcomes", queryset=outcomes, to_attr="public_outcomes"),
            Prefetch(
                "actions",
                queryset=Action.objects.visible_to(ANONYMOUS).only("pk").order_by("pk"),
                to_attr="public_actions",
            ),
        )
        .order_by("-opens_at", "pk")
    )


def advice() -> QuerySet[Advice]:
    return (
        Advice.objects.visible_to(ANONYMOUS)
        .select_related("proposal", "wijkraad")
        .only(
            "deadline",
            "submitted_at",
            "verdict",
            "text",
            "response",
            "responded_at",
            "proposal__slug",
            "wijkraad__slug",
        )
        .order_by("pk")
    )


def meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(ANONYMOUS)
        .for_detail()
        .prefetch_related(
            Prefetch("wijken", queryset=Wijk.objects.only("code")),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.visible_to(ANONYMOUS).only("slug").order_by("pk"),
                to_attr="public_proposals",
            ),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.visible_to(ANONYMOUS).only("pk").order_by("pk"),
                to_attr="public_initiatives",
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def initiatives() -> QuerySet[Initiative]:
    return (
        Initiative.objects.visible_to(ANONYMOUS)
        .select_related("wijk", "gebiedsteam", "partner")
        .defer("wijk__geometry", "wijk__geometry_simplified", "gebiedsteam__outline")
        .order_by("-published_at", "-pk")
    )


# ---- pacts ---------------------------------------------------------------------------------


def organisations() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.visible_to(ANONYMOUS).order_by("slug")


def pacts() -> QuerySet[Pact]:
    return (
        Pact.objects.visible_to(ANONYMOUS)
        .for_overview()
        .with_commitments(ANONYMOUS)
        .order_by("slug", "pk")
    )


def alliances() -> QuerySet[Alliance]:
    # Every alliance is public (the alliances page lists them all).
    return (
        Alliance.objects.select_related("parent")
        .prefetch_related(
            "members",
            "focus_gebiedsteams",
            Prefetch("focus_wijken", queryset=Wijk.objects.only("code")),
        )
        .order_by("slug")
    )


def _wijk_of_agenda(queryset: QuerySet[Any], wijk: Wijk) -> QuerySet[Any]:
    return queryset.filter(wijkagenda__wijken=wijk)


def _gebied_of_agenda(queryset: QuerySet[Any], team: Gebiedsteam) -> QuerySet[Any]:
    return queryset.filter(wijkagenda__gebiedsteam=team)


def _wijk_of_action(queryset: QuerySet[Any], wijk: Wijk) -> QuerySet[Any]:
    return queryset.filter(action__plan__wijkagenda__wijken=wijk)


PERIOD_OF_DATES = "Only what runs in the period: from since up to and including until."
PERIOD_OF_MOMENTS = "Only what happened on a day from since up to and including until."
AGENDA_STATUSES = [
    (status.value, status.label) for status in PublicationStatus if status != "draft"
]

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset("gebieden", gebieden, s.GebiedsteamSerializer),
        Dataset(
            "wijken",
            wijken,
            s.WijkSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteam(team),
                geometry=lambda qs: qs.defer(None).defer("geometry", "gebiedsteam__outline"),
            ),
        ),
        Dataset(
            "buurten",
            buurten,
            s.BuurtSerializer,
            Filters(
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                geometry=lambda qs: qs.defer(None).defer(
                    "geometry", "wijk__geometry", "wijk__geometry_simplified"
                ),
            ),
        ),
        Dataset(
            "wijkagendas",
            wijkagendas,
            s.WijkagendaSerializer,
            prepare=listings,
            filters=Filters(
                gebied=lambda qs, team: qs.for_gebiedsteams([team.pk]),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                status=_status,
                statuses=AGENDA_STATUSES,
                period=_overlaps("period_start", "period_end"),
                period_help=PERIOD_OF_DATES,
            ),
        ),
        Dataset(
            "plans",
            plans,
            s.PlanSerializer,
            Filters(
                gebied=_gebied_of_agenda,
                wijk=_wijk_of_agenda,
                period=_overlaps("period_start", "period_end"),
                period_help=PERIOD_OF_DATES,
            ),
        ),
        Dataset(
            "actions",
            actions,
            s.ActionSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteams([team.pk]),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                status=_status,
                statuses=Action.Status.choices,
                period=lambda qs, since, until: qs.active_between(since, until),
                period_help=PERIOD_OF_DATES,
            ),
        ),
        Dataset(
            "progress-updates",
            progress_updates,
            s.ProgressUpdateSerializer,
            Filters(
                gebied=lambda qs, team: qs.filter(action__plan__wijkagenda__gebiedsteam=team),
                wijk=_wijk_of_action,
                status=_status,
                statuses=Action.Status.choices,
                period=_moment_within("created_at"),
                period_help=PERIOD_OF_MOMENTS,
            ),
        ),
        Dataset(
            "visions",
            visions,
            s.VisionSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteam(team),
                status=_status,
                statuses=AGENDA_STATUSES,
            ),
        ),
        Dataset(
            "proposals",
            proposals,
            s.ProposalSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteams([team.pk]),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                status=_status,
                statuses=[c for c in Proposal.Status.choices if c[0] != Proposal.Status.DRAFT],
                period=_overlaps("opens_at__date", "closes_at__date"),
                period_help="Only proposals whose comment period overlaps the period.",
            ),
        ),
        Dataset(
            "advice",
            advice,
            s.AdviceSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteams([team.pk]),
                wijk=lambda qs, wijk: qs.filter(proposal__wijken=wijk),
                period=_moment_within("submitted_at"),
                period_help="Only advice submitted on a day from since up to and including until.",
            ),
        ),
        Dataset(
            "meetings",
            meetings,
            s.MeetingSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteam(team),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                period=_moment_within("starts_at"),
                period_help="Only meetings that start on a day from since up to and including "
                "until.",
            ),
        ),
        Dataset(
            "initiatives",
            initiatives,
            s.InitiativeSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteams([team.pk]),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                status=_status,
                statuses=[
                    c for c in Initiative.Status.choices if c[0] != Initiative.Status.RECEIVED
                ],
                period=_moment_within("published_at"),
                period_help="Only initiatives made public on a day from since up to and "
                "including until.",
            ),
        ),
        Dataset("organisations", organisations, s.OrganisationSerializer),
        Dataset(
            "pacts",
            pacts,
            s.PactSerializer,
            Filters(
                gebied=lambda qs, team: qs.for_gebiedsteam(team),
                wijk=lambda qs, wijk: qs.for_wijk(wijk),
                status=_status,
                statuses=[c for c in Pact.Status.choices if c[0] != Pact.Status.DRAFT],
                period=_overlaps("period_start", "period_end"),
                period_help=PERIOD_OF_DATES,
            ),
        ),
        Dataset("alliances", alliances, s.AllianceSerializer),
    )
}


# What each dataset holds, in a line: for the API's documentation and the open-data page.
SUMMARIES = {
    "gebieden": "The gebiedsteams and their gebieden",
    "wijken": "The wijken (CBS), with their key figures",
    "buurten": "The buurten (CBS)",
    "wijkagendas": "The published wijkagendas, as last published",
    "plans": "The implementation plans of the published wijkagendas",
    "actions": "The actions of the published wijkagendas",
    "progress-updates": "The progress reported on those actions, newest first",
    "visions": "The published visions of the gebieden",
    "proposals": "The public proposals, with their decisions and what was done with the input",
    "advice": "The wijkraden's advice on the public proposals",
    "meetings": "The public meetings, latest first",
    "initiatives": "The public residents' initiatives, latest first",
    "organisations": "The partner organisations",
    "pacts": "The published pacts, with their commitments",
    "alliances": "The alliances",
}
