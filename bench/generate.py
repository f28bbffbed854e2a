"""Generate a benchmark database: the Tilburg demo, scaled, or the nationwide territory.

    python -m bench.generate --scale 10 --database-url postgres://postgres@127.0.0.1:54329/bench_10x
    python -m bench.generate --nationwide --database-url sqlite:////tmp/bench_nl.sqlite3

The database (its name must start with `bench_`) is dropped and created anew, migrated, and
loaded with `load_tilburg` and the real boundaries in `../shared/data`. The demo's own
volume is the unit: at scale N the database holds N times the demo's agendas, agenda items,
plans, actions, progress updates, proposals, comments, advices and meetings. The extra
(N - 1) units are synthetic, spread over all 59 wijken, with mixed statuses, dates relative
to today and locations inside the wijk, written with `bulk_create` in batches.

`--nationwide` loads no demo: the 342 municipalities of `nl-gemeenten.geojson` become wijken
in 12 gebiedsteams (see bench/territory.py), to measure the maps and the point lookup at the
scale of the whole country.

`--located 100000` loads the demo plus that many located actions spread over Tilburg's
wijken (one published agenda and plan per wijk), for the city map's GeoJSON endpoint.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from bench.common import SHARED_DATA, configure, masked, recreate_database

BATCH = 1000
T = TypeVar("T")

# Words for titles and texts: Dutch, like the demo content (data, not UI text).
SUBJECTS = [
    "speelplek",
    "buurtmoestuin",
    "fietsroute",
    "ontmoetingsplek",
    "schoolplein",
    "parkeerplaats",
    "straatverlichting",
    "groenstrook",
    "wijkcentrum",
    "hondenuitlaatplek",
    "bankjes",
    "jongerenplek",
    "voedselbank",
    "taalcafé",
    "wandelroute",
    "regenwateropvang",
    "zonnepanelen op de sporthal",
    "oversteekplaats",
    "buurtbus",
    "repair café",
]
VERBS = [
    "opnieuw inrichten",
    "aanleggen",
    "verbeteren",
    "uitbreiden",
    "veiliger maken",
    "vergroenen",
    "samen beheren",
    "beter bereikbaar maken",
    "onderzoeken",
    "openhouden in de avond",
]
SENTENCES = [
    "Bewoners hebben dit in de wijkdialoog als belangrijkste punt genoemd.",
    "We pakken dit samen op met de woningcorporaties en de welzijnsorganisatie.",
    "De gemeente zorgt voor het ontwerp; bewoners denken mee over de inrichting.",
    "Eerst praten we met de buurt, daarna maken we een plan met een begroting.",
    "Dit sluit aan bij de afspraken in het wijkpact.",
    "Kinderen en jongeren krijgen een eigen inbreng in de keuzes.",
    "We meten na een jaar of het werkt, en passen het plan aan als dat nodig is.",
    "De kosten delen we met de partners die hier aan meedoen.",
    "Veel mensen in de wijk voelen zich hier niet veilig in het donker.",
    "Er is behoefte aan een plek waar buren elkaar zonder afspraak kunnen ontmoeten.",
    "De wijkraad heeft gevraagd om dit voor de zomer af te ronden.",
    "We houden rekening met de bomen en het water in de straat.",
]
PLACES = ["Wijkcentrum", "Buurthuis", "Bibliotheek", "Sporthal", "Basisschool", "Kerkzaal"]
STREETS = ["Kerkstraat", "Schoolstraat", "Dorpsstraat", "Lindelaan", "Molenweg", "Parkstraat"]
FIRST_NAMES = ["Anna", "Daan", "Fatima", "Joost", "Lisa", "Mehmet", "Sanne", "Tim", "Eva", "Rik"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Aydin", "van den Berg", "Smits", "Peters", "Kok"]

# Weights of the synthetic variety.
ACTION_STATUS_PAST_DUE = [("done", 60), ("stopped", 10), ("delayed", 30)]
ACTION_STATUS_RUNNING = [("in_progress", 70), ("delayed", 15), ("done", 15)]
MEETING_KINDS = ["innovatielab", "wijkdialoog", "academie", "wijkraad", "inloop"]


def weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.sample(SENTENCES, k=min(sentences, len(SENTENCES))))


def spread(rng: random.Random, total: int, bins: int, minimum: int = 0) -> list[int]:
    """`total` split over `bins` at random, each at least `minimum` when the total allows."""
    if bins == 0:
        return []
    floor = minimum if total >= minimum * bins else 0
    counts = [floor] * bins
    for index in rng.choices(range(bins), k=total - floor * bins):
        counts[index] += 1
    return counts


@dataclass
class Unit:
    """The demo's volume per kind: the 1× of the benchmark."""

    counts: dict[str, int] = field(default_factory=dict)

    def extra(self, kind: str, scale: int) -> int:
        return self.counts[kind] * (scale - 1)


def count_rows() -> dict[str, int]:
    from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Wijkagenda
    from areas.models import Buurt, Gebiedsteam, Wijk
    from meetings.models import Meeting
    from participation.models import Advice, Comment, Proposal

    models: dict[str, Any] = {
        "gebiedsteams": Gebiedsteam,
        "wijken": Wijk,
        "buurten": Buurt,
        "wijkagendas": Wijkagenda,
        "agenda_items": AgendaItem,
        "plans": Plan,
        "actions": Action,
        "progress_updates": ProgressUpdate,
        "proposals": Proposal,
        "comments": Comment,
        "advices": Advice,
        "meetings": Meeting,
    }
    return {name: model.objects.count() for name, model in models.items()}


class Scaler:
    """Writes (scale - 1) demo units of synthetic content, in bulk."""

    def __init__(self, *, scale: int, unit: Unit, seed: int) -> None:
        from shapely.geometry import shape

        from agendas.models import Theme
        from areas.models import Wijk, Wijkraad
        from pacts.models import PartnerOrganisation

        self.scale = scale
        self.unit = unit
        self.rng = random.Random(seed)
        self.now = _now()
        self.today = self.now.date()
        self.wijken = list(Wijk.objects.select_related("gebiedsteam").order_by("code"))
        self.by_team: dict[int, list[Any]] = defaultdict(list)
        for wijk in self.wijken:
            self.by_team[wijk.gebiedsteam_id].append(wijk)
        self.themes = list(Theme.objects.all())
        self.organisations = list(PartnerOrganisation.objects.all())
        self.councils_of: dict[int, list[int]] = defaultdict(list)
        for council in Wijkraad.objects.prefetch_related("wijken"):
            for wijk in council.wijken.all():
                self.councils_of[wijk.pk].append(council.pk)
        import shapely

        self.shapes = {w.pk: shape(w.geometry) for w in self.wijken if w.geometry}
        shapely.prepare(list(self.shapes.values()))
        self.serial = 0

    # --- helpers --------------------------------------------------------------------------

    def next_id(self) -> int:
        self.serial += 1
        return self.serial

    def point_in(self, wijk: Any) -> tuple[float | None, float | None]:
        """A random point inside the wijk's boundary (its label point if it has none)."""
        import shapely

        area = self.shapes.get(wijk.pk)
        if area is None:
            return wijk.label_lon, wijk.label_lat
        min_x, min_y, max_x, max_y = area.bounds
        for _attempt in range(50):
            x, y = self.rng.uniform(min_x, max_x), self.rng.uniform(min_y, max_y)
            if shapely.contains_xy(area, x, y):
                return round(x, 6), round(y, 6)
        return wijk.label_lon, wijk.label_lat

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        from django.utils import timezone

        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    # --- the work -------------------------------------------------------------------------

    def run(self) -> None:
        if self.scale <= 1:
            return
        self.users = self.make_users()
        agendas = self.make_agendas()
        items = self.make_items(agendas)
        plans = self.make_plans(agendas)
        self.make_versions(agendas, items)
        actions = self.make_actions(agendas, items, plans)
        self.make_updates(actions)
        proposals = self.make_proposals(agendas, items)
        self.make_comments(proposals)
        self.make_advices(proposals)
        self.make_meetings(agendas, proposals)

    def make_users(self) -> list[Any]:
        from accounts.models import User

        users = [
            User(
                email=f"bench{n}@example.org",
                full_name=self.person(),
                password="!bench-no-usable-password",  # noqa: S106
            )
            for n in range(max(20, 2 * self.scale))
        ]
        return User.objects.bulk_create(users, batch_size=BATCH)

    def make_agendas(self) -> list[Any]:
        """Agendas over all wijken: every wijk in turn, some covering neighbours in the team.

        The period decides the status: past periods are archived, running ones mostly
        published (some still drafts), future ones drafts.
        """
        from agendas.models import Status, Wijkagenda

        count = self.unit.extra("wijkagendas", self.scale)
        agendas: list[Any] = []
        self.agenda_wijken: list[list[Any]] = []
        order = self.wijken[:]
        self.rng.shuffle(order)
        for n in range(count):
            wijk = order[n % len(order)]
            wijken = [wijk]
            if self.rng.random() < 0.25:
                neighbours = [w for w in self.by_team[wijk.gebiedsteam_id] if w.pk != wijk.pk]
                wijken += self.rng.sample(
                    neighbours, k=min(len(neighbours), self.rng.randint(1, 2))
                )
            start_year = self.today.year - self.rng.randint(-1, 12)
            start = dt.date(start_year, 1, 1)
            end = dt.date(start_year + 3, 12, 31)
            if end < self.today:
                status = Status.ARCHIVED
            elif start > self.today:
                status = Status.DRAFT
            else:
                status = Status.PUBLISHED if self.rng.random() < 0.85 else Status.DRAFT
            kind = "dorp" if wijk.kind == "dorp" else "wijk"
            title = f"{'Dorpsagenda' if kind == 'dorp' else 'Wijkagenda'} {wijk.name} {start_year}"
            published = None if status == Status.DRAFT else self.moment(start, 10)
            agendas.append(
                Wijkagenda(
                    title=title,
                    slug=f"bench-{self.next_id()}-{wijk.slug}-{start_year}",
                    kind=kind,
                    gebiedsteam_id=wijk.gebiedsteam_id,
                    period_start=start,
                    period_end=end,
                    summary="\n\n".join(text(self.rng, 3) for _ in range(2)),
                    status=status,
                    published_at=published,
                    review_date=start + dt.timedelta(days=730),
                    version=0 if published is None else 1,
                )
            )
            self.agenda_wijken.append(wijken)
        agendas = Wijkagenda.objects.bulk_create(agendas, batch_size=BATCH)
        through = Wijkagenda.wijken.through
        through.objects.bulk_create(
            [
                through(wijkagenda_id=agenda.pk, wijk_id=wijk.pk)
                for agenda, wijken in zip(agendas, self.agenda_wijken, strict=True)
                for wijk in wijken
            ],
            batch_size=BATCH,
        )
        return agendas

    def make_items(self, agendas: list[Any]) -> list[list[Any]]:
        from agendas.models import AgendaItem

        kinds = [k for k, _ in AgendaItem.Kind.choices]
        per_agenda = spread(
            self.rng, self.unit.extra("agenda_items", self.scale), len(agendas), minimum=1
        )
        rows: list[Any] = []
        for agenda, number in zip(agendas, per_agenda, strict=True):
            for position in range(1, number + 1):
                rows.append(
                    AgendaItem(
                        wijkagenda_id=agenda.pk,
                        theme=self.rng.choice(self.themes),
                        kind=self.rng.choice(kinds),
                        title=f"{self.rng.choice(SUBJECTS).capitalize()} {self.rng.choice(VERBS)}",
                        description=text(self.rng, 2),
                        lead_organisation=self.rng.choice([None, *self.organisations]),
                        position=position,
                    )
                )
        rows = AgendaItem.objects.bulk_create(rows, batch_size=BATCH)
        grouped: dict[int, list[Any]] = defaultdict(list)
        for item in rows:
            grouped[item.wijkagenda_id].append(item)
        return [grouped[agenda.pk] for agenda in agendas]

    def make_plans(self, agendas: list[Any]) -> list[Any]:
        """One uitvoeringsplan per agenda, like the demo: its first two years."""
        from agendas.models import Plan

        plans = [
            Plan(
                wijkagenda_id=agenda.pk,
                title=f"Uitvoeringsplan {agenda.period_start.year}-{agenda.period_start.year + 1}",
                description=text(self.rng, 2),
                period_start=agenda.period_start,
                period_end=dt.date(agenda.period_start.year + 1, 12, 31),
            )
            for agenda in agendas
        ]
        return Plan.objects.bulk_create(plans, batch_size=BATCH)

    def make_versions(self, agendas: list[Any], items: list[list[Any]]) -> None:
        """Version 1 of every published or archived agenda, with its snapshot."""
        from agendas.models import WijkagendaVersion

        themes = {theme.pk: theme.name for theme in self.themes}
        versions = [
            WijkagendaVersion(
                wijkagenda_id=agenda.pk,
                number=1,
                change_summary="Eerste versie (benchmark).",
                snapshot={
                    "title": agenda.title,
                    "summary": agenda.summary,
                    "period": [agenda.period_start.isoformat(), agenda.period_end.isoformat()],
                    "items": [
                        {
                            "id": item.pk,
                            "theme": themes[item.theme_id],
                            "kind": item.kind,
                            "title": item.title,
                            "description": item.description,
                        }
                        for item in agenda_items
                    ],
                },
            )
            for agenda, agenda_items in zip(agendas, items, strict=True)
            if agenda.published_at is not None
        ]
        WijkagendaVersion.objects.bulk_create(versions, batch_size=BATCH)

    def make_actions(
        self, agendas: list[Any], items: list[list[Any]], plans: list[Any]
    ) -> list[Any]:
        """Actions with a status that fits their dates, most of them located in the wijk."""
        from agendas.models import Action

        per_agenda = spread(self.rng, self.unit.extra("actions", self.scale), len(agendas))
        rows: list[Any] = []
        for index, number in enumerate(per_agenda):
            plan, wijken = plans[index], self.agenda_wijken[index]
            for _ in range(number):
                span = (plan.period_end - plan.period_start).days
                start = plan.period_start + dt.timedelta(days=self.rng.randint(0, span - 30))
                due = start + dt.timedelta(days=self.rng.randint(30, 540))
                if due < self.today:
                    status = weighted(self.rng, ACTION_STATUS_PAST_DUE)
                elif start > self.today:
                    status = "planned"
                else:
                    status = weighted(self.rng, ACTION_STATUS_RUNNING)
                progress = {"done": 100, "planned": 0}.get(status, self.rng.randint(5, 95))
                lon, lat = (
                    self.point_in(self.rng.choice(wijken))
                    if self.rng.random() < 0.7
                    else (None, None)
                )
                subject = self.rng.choice(SUBJECTS)
                rows.append(
                    Action(
                        plan_id=plan.pk,
                        agenda_item=self.rng.choice(items[index]) if items[index] else None,
                        title=f"{subject.capitalize()} {self.rng.choice(VERBS)}",
                        description=text(self.rng, 2),
                        owner_organisation=self.rng.choice(self.organisations),
                        contact_name=self.person(),
                        contact_email=f"contact{self.next_id()}@example.org",
                        status=status,
                        progress=progress,
                        start_date=start,
                        due_date=due,
                        longitude=lon,
                        latitude=lat,
                        budget=Decimal(self.rng.randrange(1_000, 250_000, 500))
                        if self.rng.random() < 0.4
                        else None,
                        result=text(self.rng, 2)
                        if status == "done" and self.rng.random() < 0.7
                        else "",
                    )
                )
        return Action.objects.bulk_create(rows, batch_size=BATCH)

    def make_updates(self, actions: list[Any]) -> None:
        """Progress updates on started actions, dated between the start and today."""
        from agendas.models import Action, ProgressUpdate

        started = [a for a in actions if a.start_date <= self.today] or actions
        rows: list[Any] = []
        latest: dict[int, dt.datetime] = {}
        for _ in range(self.unit.extra("progress_updates", self.scale)):
            action = self.rng.choice(started)
            last_day = min(self.today, action.due_date)
            days = max((last_day - action.start_date).days, 0)
            moment = self.moment(
                action.start_date + dt.timedelta(days=self.rng.randint(0, days)), 10
            )
            latest[action.pk] = max(moment, latest.get(action.pk, moment))
            rows.append(
                ProgressUpdate(
                    action_id=action.pk,
                    author=self.rng.choice(self.users),
                    text=text(self.rng, 2),
                    status=action.status,
                    progress=action.progress,
                    is_result=action.status == "done" and self.rng.random() < 0.5,
                    created_at=moment,
                )
            )
        ProgressUpdate.objects.bulk_create(rows, batch_size=BATCH)
        changed = [a for a in actions if a.pk in latest]
        for action in changed:
            action.last_progress_at = latest[action.pk]
        Action.objects.bulk_update(changed, ["last_progress_at"], batch_size=BATCH)

    def make_proposals(self, agendas: list[Any], items: list[list[Any]]) -> list[Any]:
        """Proposals in every phase; the phase follows from the comment period and today."""
        from django.utils.text import slugify

        from participation.models import Proposal

        rows: list[Any] = []
        links: list[tuple[list[Any], list[Any]]] = []
        for _ in range(self.unit.extra("proposals", self.scale)):
            index = self.rng.randrange(len(agendas))
            wijken = self.agenda_wijken[index]
            opens = self.moment(self.today + dt.timedelta(days=self.rng.randint(-400, 30)), 9)
            closes = opens + dt.timedelta(days=self.rng.randint(14, 42), hours=14, minutes=59)
            decision = feedback = ""
            decided_at = None
            if opens > self.now:
                status = "draft"
            elif closes > self.now:
                status = "open" if self.rng.random() < 0.9 else "withdrawn"
            else:
                decided_at = closes + dt.timedelta(days=self.rng.randint(14, 60))
                if decided_at > self.now:
                    status, decided_at = "consideration", None
                else:
                    status = "decided" if self.rng.random() < 0.9 else "withdrawn"
                    if status == "decided":
                        decision, feedback = text(self.rng, 2), text(self.rng, 2)
                    else:
                        decided_at = None
            lon, lat = (
                self.point_in(self.rng.choice(wijken)) if self.rng.random() < 0.5 else (None, None)
            )
            subject = self.rng.choice(SUBJECTS)
            rows.append(
                Proposal(
                    gebiedsteam_id=agendas[index].gebiedsteam_id,
                    title=f"Voorstel: {subject} {self.rng.choice(VERBS)} in {wijken[0].name}",
                    slug=f"bench-{self.next_id()}-{slugify(subject)}",
                    body="\n\n".join(text(self.rng, 3) for _ in range(3)),
                    longitude=lon,
                    latitude=lat,
                    opens_at=opens,
                    closes_at=closes,
                    status=status,
                    council_only=self.rng.random() < 0.1,
                    decision=decision,
                    input_feedback=feedback,
                    decided_at=decided_at,
                    author=self.rng.choice(self.users),
                )
            )
            links.append((wijken, self.rng.sample(items[index], k=min(2, len(items[index])))))
        rows = Proposal.objects.bulk_create(rows, batch_size=BATCH)
        wijk_through = Proposal.wijken.through
        wijk_through.objects.bulk_create(
            [
                wijk_through(proposal_id=proposal.pk, wijk_id=wijk.pk)
                for proposal, (wijken, _items) in zip(rows, links, strict=True)
                for wijk in wijken
            ],
            batch_size=BATCH,
        )
        item_through = Proposal.agenda_items.through
        item_through.objects.bulk_create(
            [
                item_through(proposal_id=proposal.pk, agendaitem_id=item.pk)
                for proposal, (_wijken, agenda_items) in zip(rows, links, strict=True)
                for item in agenda_items
            ],
            batch_size=BATCH,
        )
        self.proposal_wijken = {p.pk: links[i][0] for i, p in enumerate(rows)}
        return rows

    def make_comments(self, proposals: list[Any]) -> None:
        """Comments on proposals that were opened, skewed: a few proposals draw most of them.

        About a third are replies (one level, as the portal allows) to a comment written
        earlier on the same proposal.
        """
        from participation.models import Comment

        opened = [p for p in proposals if p.status != "draft"]
        if not opened:
            return
        # Zipf-like: the k-th proposal in a shuffled order gets weight 1/k.
        self.rng.shuffle(opened)
        weights = [1 / (k + 1) for k in range(len(opened))]
        targets = self.rng.choices(
            opened, weights=weights, k=self.unit.extra("comments", self.scale)
        )
        top_level: list[Any] = []
        replies: list[tuple[Any, Any]] = []
        threads: dict[int, list[Any]] = defaultdict(list)
        for proposal in targets:
            end = min(proposal.closes_at, self.now)
            span = max(int((end - proposal.opens_at).total_seconds()), 60)
            created = proposal.opens_at + dt.timedelta(seconds=self.rng.randint(0, span))
            team = self.rng.random() < 0.15
            hidden = not team and self.rng.random() < 0.03
            comment = Comment(
                proposal_id=proposal.pk,
                author=self.rng.choice(self.users),
                body=text(self.rng, self.rng.randint(1, 4)),
                is_team_response=team,
                moderation="hidden" if hidden else "visible",
                moderation_reason="Persoonlijke gegevens van een buurman." if hidden else "",
                created_at=created,
            )
            earlier = threads[proposal.pk]
            if earlier and self.rng.random() < 0.35:
                replies.append((comment, self.rng.choice(earlier)))
            else:
                top_level.append(comment)
                earlier.append(comment)
        Comment.objects.bulk_create(top_level, batch_size=BATCH)
        for reply, parent in replies:
            reply.parent_id = parent.pk
            reply.created_at = max(reply.created_at, parent.created_at + dt.timedelta(minutes=5))
        Comment.objects.bulk_create([reply for reply, _ in replies], batch_size=BATCH)

    def make_advices(self, proposals: list[Any]) -> None:
        """Advice from a wijkraad of one of the proposal's wijken, where the wijk has one."""
        from participation.models import Advice

        wanted = self.unit.extra("advices", self.scale)
        candidates = [
            (proposal, council)
            for proposal in proposals
            if proposal.status != "draft"
            for council in sorted(
                {c for w in self.proposal_wijken[proposal.pk] for c in self.councils_of[w.pk]}
            )
        ]
        rows: list[Any] = []
        for proposal, council in self.rng.sample(candidates, k=min(wanted, len(candidates))):
            deadline = proposal.closes_at + dt.timedelta(days=14)
            submitted = deadline - dt.timedelta(days=2) if deadline < self.now else None
            rows.append(
                Advice(
                    proposal_id=proposal.pk,
                    wijkraad_id=council,
                    deadline=deadline,
                    verdict=self.rng.choice(["positive", "conditional", "negative"])
                    if submitted
                    else "",
                    text=text(self.rng, 3) if submitted else "",
                    submitted_at=submitted,
                    submitted_by=self.rng.choice(self.users) if submitted else None,
                )
            )
        Advice.objects.bulk_create(rows, batch_size=BATCH)

    def make_meetings(self, agendas: list[Any], proposals: list[Any]) -> None:
        from meetings.models import Meeting

        by_team: dict[int, list[Any]] = defaultdict(list)
        for proposal in proposals:
            if proposal.status != "draft":
                by_team[proposal.gebiedsteam_id].append(proposal)
        rows: list[Any] = []
        links: list[tuple[list[Any], list[Any]]] = []
        for _ in range(self.unit.extra("meetings", self.scale)):
            index = self.rng.randrange(len(agendas))
            wijken = self.agenda_wijken[index]
            team = agendas[index].gebiedsteam_id
            day = self.today + dt.timedelta(days=self.rng.randint(-540, 120))
            starts = self.moment(day, self.rng.choice([10, 14, 19]), self.rng.choice([0, 30]))
            kind = self.rng.choice(MEETING_KINDS)
            lon, lat = self.point_in(wijken[0])
            rows.append(
                Meeting(
                    gebiedsteam_id=team,
                    kind=kind,
                    title=f"{kind.capitalize()} {wijken[0].name}",
                    description=text(self.rng, 2),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=self.rng.choice([1, 2, 3])),
                    location_name=f"{self.rng.choice(PLACES)} {wijken[0].name}",
                    address=f"{self.rng.choice(STREETS)} {self.rng.randint(1, 120)}",
                    longitude=lon,
                    latitude=lat,
                    public=self.rng.random() < 0.85,
                    minutes=text(self.rng, 3)
                    if starts < self.now and self.rng.random() < 0.5
                    else "",
                )
            )
            discussed = by_team[team]
            links.append(
                (
                    wijken,
                    self.rng.sample(discussed, k=1)
                    if discussed and self.rng.random() < 0.2
                    else [],
                )
            )
        rows = Meeting.objects.bulk_create(rows, batch_size=BATCH)
        wijk_through = Meeting.wijken.through
        wijk_through.objects.bulk_create(
            [
                wijk_through(meeting_id=meeting.pk, wijk_id=wijk.pk)
                for meeting, (wijken, _p) in zip(rows, links, strict=True)
                for wijk in wijken
            ],
            batch_size=BATCH,
        )
        proposal_through = Meeting.proposals.through
        proposal_through.objects.bulk_create(
            [
                proposal_through(meeting_id=meeting.pk, proposal_id=proposal.pk)
                for meeting, (_w, discussed) in zip(rows, links, strict=True)
                for proposal in discussed
            ],
            batch_size=BATCH,
        )


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def _timed(steps: dict[str, float], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    steps[name] = round(time.perf_counter() - start, 2)
    return result


def generate_tilburg(*, scale: int, boundaries: Path, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import transaction

    from portal.demo import load_tilburg

    steps: dict[str, float] = {}
    _timed(steps, "migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    _timed(steps, "load_tilburg", lambda: load_tilburg(boundaries_dir=boundaries))
    demo = count_rows()
    unit = Unit(counts=demo)

    def scale_up() -> None:
        with transaction.atomic():
            Scaler(scale=scale, unit=unit, seed=seed).run()

    _timed(steps, "synthetic", scale_up)
    _timed(steps, "analyze", _analyze)
    return {"kind": "tilburg", "scale": scale, "unit": demo, "counts": count_rows(), "steps": steps}


def add_located_actions(count: int, *, seed: int) -> dict[str, Any]:
    """`count` located actions, spread over Tilburg's wijken in proportion to their inhabitants.

    One published agenda with one plan per wijk carries the wijk's actions, so every action
    is visible to a resident and lies inside the wijk its agenda covers. Points are drawn
    in bulk (numpy) and kept when shapely says they lie inside the boundary. Written with
    `bulk_create` in batches; statuses mixed as in the synthetic scales.
    """
    import numpy as np
    import shapely
    from shapely.geometry import shape

    from agendas.models import Action, Plan, Status, Wijkagenda
    from areas.models import Wijk
    from pacts.models import PartnerOrganisation

    rng = random.Random(seed)
    generator = np.random.default_rng(seed)
    today = _now().date()
    wijken = list(Wijk.objects.with_geometry().order_by("code"))
    shapes = [shape(wijk.geometry) for wijk in wijken]
    shapely.prepare(shapes)
    # Where people live, things happen: a wijk without figures counts as a small one.
    weights = np.array([max(wijk.inhabitants or 0, 500) for wijk in wijken], dtype=float)
    per_wijk = generator.multinomial(count, weights / weights.sum())
    organisations = list(PartnerOrganisation.objects.all())
    agendas = Wijkagenda.objects.bulk_create(
        Wijkagenda(
            title=f"Wijkagenda {wijk.name} (kaart)",
            slug=f"bench-located-{wijk.slug}",
            kind="dorp" if wijk.kind == "dorp" else "wijk",
            gebiedsteam_id=wijk.gebiedsteam_id,
            period_start=dt.date(today.year - 1, 1, 1),
            period_end=dt.date(today.year + 2, 12, 31),
            summary=text(rng, 2),
            status=Status.PUBLISHED,
            published_at=_now(),
            version=1,
        )
        for wijk in wijken
    )
    through = Wijkagenda.wijken.through
    through.objects.bulk_create(
        [
            through(wijkagenda_id=agenda.pk, wijk_id=wijk.pk)
            for agenda, wijk in zip(agendas, wijken, strict=True)
        ]
    )
    plans = Plan.objects.bulk_create(
        Plan(
            wijkagenda_id=agenda.pk,
            title=f"Uitvoeringsplan {agenda.period_start.year}",
            period_start=agenda.period_start,
            period_end=agenda.period_end,
        )
        for agenda in agendas
    )
    statuses = [("planned", 25), ("in_progress", 40), ("delayed", 10), ("done", 20), ("stopped", 5)]
    written = 0
    for plan, area, wanted in zip(plans, shapes, per_wijk, strict=True):
        points = _points_in(area, int(wanted), generator)
        rows = []
        for lon, lat in points:
            status = weighted(rng, statuses)
            start = plan.period_start + dt.timedelta(days=rng.randint(0, 700))
            rows.append(
                Action(
                    plan_id=plan.pk,
                    title=f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)}",
                    owner_organisation=rng.choice(organisations),
                    status=status,
                    progress={"done": 100, "planned": 0}.get(status, rng.randint(5, 95)),
                    start_date=start,
                    due_date=start + dt.timedelta(days=rng.randint(30, 400)),
                    longitude=round(float(lon), 6),
                    latitude=round(float(lat), 6),
                )
            )
        Action.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return {"located_actions": written, "wijken": len(wijken)}


def _points_in(area: Any, count: int, generator: Any) -> list[tuple[float, float]]:
    """`count` random points inside `area` (rejection sampling over its box, vectorised)."""
    import numpy as np
    import shapely

    min_x, min_y, max_x, max_y = area.bounds
    found: list[Any] = []
    have = 0
    while have < count:
        batch = max(64, 2 * (count - have))
        xs = generator.uniform(min_x, max_x, batch)
        ys = generator.uniform(min_y, max_y, batch)
        inside = shapely.contains_xy(area, xs, ys)
        found.append(np.column_stack([xs[inside], ys[inside]]))
        have += int(inside.sum())
    return [tuple(point) for point in np.vstack(found)[:count]]


def generate_located(*, count: int, boundaries: Path, seed: int) -> dict[str, Any]:
    """The Tilburg demo plus `count` located actions: the data of the city map benchmark."""
    from django.core.management import call_command
    from django.db import transaction

    from portal.demo import load_tilburg

    steps: dict[str, float] = {}
    _timed(steps, "migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    _timed(steps, "load_tilburg", lambda: load_tilburg(boundaries_dir=boundaries))

    def located() -> dict[str, Any]:
        with transaction.atomic():
            return add_located_actions(count, seed=seed)

    report = _timed(steps, "located_actions", located)
    _timed(steps, "analyze", _analyze)
    return {"kind": "located", "counts": count_rows(), "steps": steps, "located": report}


def generate_nationwide(*, gemeenten: Path, seed: int) -> dict[str, Any]:
    from django.core.management import call_command

    from bench.territory import load_nationwide

    steps: dict[str, float] = {}
    _timed(steps, "migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    report = _timed(steps, "territory", lambda: load_nationwide(gemeenten, seed=seed))
    _timed(steps, "analyze", _analyze)
    return {"kind": "nationwide", "counts": count_rows(), "steps": steps, "territory": report}


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would have them on a database in use."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--scale", type=int, help="1, 10, 100, …: times the demo's content")
    what.add_argument("--nationwide", action="store_true", help="the 342 gemeenten as wijken")
    what.add_argument(
        "--located",
        type=int,
        metavar="N",
        help="the Tilburg demo plus N located actions over the wijken (the city map)",
    )
    parser.add_argument("--database-url", required=True, help="database named bench_*")
    parser.add_argument("--boundaries", type=Path, default=SHARED_DATA)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--stats", type=Path, help="write what was generated here, as JSON")
    args = parser.parse_args(argv)
    if args.scale is not None and args.scale < 1:
        parser.error("--scale is 1 or more")

    started = time.perf_counter()
    recreate_database(args.database_url)
    configure(args.database_url)
    if args.located is not None:
        stats = generate_located(count=args.located, boundaries=args.boundaries, seed=args.seed)
    elif args.nationwide:
        stats = generate_nationwide(
            gemeenten=args.boundaries / "nl-gemeenten.geojson", seed=args.seed
        )
    else:
        stats = generate_tilburg(scale=args.scale, boundaries=args.boundaries, seed=args.seed)
    stats["database"] = masked(args.database_url)
    stats["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(stats, indent=2))
    if args.stats:
        args.stats.parent.mkdir(parents=True, exist_ok=True)
        args.stats.write_text(json.dumps(stats, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
