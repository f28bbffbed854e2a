"""Load the Tilburg demo: territory, boundaries, partners, pacts and living agendas.

Idempotent: every row is found by its slug, CBS code or a natural key within its parent,
and only changed fields are written, so a second run adds nothing. An agenda is published
again only when its content differs from its latest published version.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import shapely
from django.conf import settings
from django.contrib.auth.hashers import (
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from agendas.models import (
    Action,
    AgendaItem,
    Plan,
    ProgressUpdate,
    Status,
    Theme,
    Vision,
    Wijkagenda,
)
from areas.boundaries import BoundaryError, fetch_pdok, read_collection
from areas.geometry import footprint, voronoi_cells
from areas.models import (
    GEOMETRY_FIELDS,
    Buurt,
    CouncilMembership,
    Gebiedsteam,
    GeometrySource,
    Residence,
    Stadsdeel,
    TeamMembership,
    Werkplek,
    Wijk,
    Wijkraad,
)
from areas.services import import_boundaries, refresh_outlines
from meetings.models import Meeting
from pacts.models import (
    Alliance,
    Collaboration,
    OrganisationMembership,
    Pact,
    PactCommitment,
    PartnerOrganisation,
)
from participation.models import Advice, Comment, CommentReport, Proposal
from participation.services import moderation
from portal.demo import content as demo
from portal.demo import tilburg
from portal.demo.initiatives import load_initiatives

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

M = TypeVar("M", bound=models.Model)

# The schematic outline: the convex hull of the label points, widened by about 1 km.
SCHEMATIC_MARGIN_DEGREES = 0.012
# By source; "" means the boundaries already there were kept.
SOURCE_LABELS: dict[str, str] = {
    GeometrySource.FILE: "bestand",
    GeometrySource.PDOK: "PDOK",
    GeometrySource.SCHEMATIC: "schematisch",
}
WERKPLEK_HOURS = (
    "Het gebiedsteam werkt hier op vaste dagen; kijk voor tijden bij de locatie. "
    "De plek op de kaart is bij benadering (niet op adres bepaald)."
)


class DemoLoadError(Exception):
    """The demo cannot be loaded as asked, with a message fit for the person who asked."""


@dataclass
class LoadReport:
    """What the load did: the source of the wijk boundaries and the number of rows per kind."""

    boundaries: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


@dataclass
class _Boundaries:
    source: str
    wijken: Mapping[str, Any] | None = None
    buurten: Mapping[str, Any] | None = None


def load_tilburg(
    *,
    boundaries_dir: Path | None = None,
    pdok: bool = False,
    content: bool = True,
    demo_passwords: bool = False,
    stdout: SupportsWrite[str] | None = None,
) -> LoadReport:
    """Load (or bring up to date) the Tilburg demo, in one transaction.

    Boundaries come from `boundaries_dir` (a `*wijken*.geojson` and a `*buurten*.geojson`),
    from PDOK, or else are schematic: Voronoi cells around each wijk's label point. When PDOK
    cannot be reached the demo falls back to schematic shapes, so it always shows a map.
    Files and PDOK are read before the transaction starts: no transaction waits on the
    network.

    The demo people's passwords follow settings.DEBUG: with DEBUG every one of them signs in
    with settings.DEMO_PASSWORD, without it none has a usable password (one given by an
    earlier load with DEBUG is taken away). `demo_passwords` insists on the known password,
    and is refused without DEBUG: it never happens in production.
    """
    if boundaries_dir is not None and pdok:
        raise DemoLoadError("Kies een map met grenzen of PDOK, niet allebei.")
    password = _demo_password()
    if demo_passwords and password is None:
        raise DemoLoadError(
            "Demo-wachtwoorden alleen met DEBUG (DJANGO_DEBUG=true): nooit in productie."
        )
    report = LoadReport()
    out = _Printer(stdout or io.StringIO(), report)
    boundaries = _read_boundaries(boundaries_dir=boundaries_dir, pdok=pdok, out=out)
    with transaction.atomic():
        loader = _Loader(out=out, anchor=timezone.localdate(), password=password)
        loader.load_territory()
        loader.load_boundaries(boundaries)
        loader.load_werkplekken()
        loader.load_themes()
        loader.load_organisations()
        if content:
            loader.load_content()
    return report


def _demo_password() -> str | None:
    """The known password of the demo people: settings.DEMO_PASSWORD, only with DEBUG."""
    if not settings.DEBUG:
        return None
    return getattr(settings, "DEMO_PASSWORD", "") or None


class _Printer:
    def __init__(self, stdout: SupportsWrite[str], report: LoadReport) -> None:
        self.stdout = stdout
        self.report = report

    def count(self, label: str, number: int) -> None:
        self.report.counts[label] = number
        self.stdout.write(f"{label}: {number}\n")

    def message(self, text: str) -> None:
        self.report.messages.append(text)
        self.stdout.write(f"{text}\n")


def _read_boundaries(*, boundaries_dir: Path | None, pdok: bool, out: _Printer) -> _Boundaries:
    if boundaries_dir is not None:
        wijken_path = _one_file(boundaries_dir, "wijken")
        buurten_path = _one_file(boundaries_dir, "buurten")
        try:
            return _Boundaries(
                GeometrySource.FILE, read_collection(wijken_path), read_collection(buurten_path)
            )
        except BoundaryError as exc:
            raise DemoLoadError(f"Grenzen niet te lezen: {exc}") from exc
    if pdok:
        try:
            wijken = fetch_pdok(
                layer="wijken",
                municipality_code=tilburg.MUNICIPALITY_CODE,
                year=tilburg.BOUNDARY_YEAR,
            )
            buurten = fetch_pdok(
                layer="buurten",
                municipality_code=tilburg.MUNICIPALITY_CODE,
                year=tilburg.BOUNDARY_YEAR,
            )
        except BoundaryError as exc:
            out.message(
                f"PDOK niet bereikbaar: {exc} De wijken krijgen schematische vormen in plaats "
                "van echte grenzen."
            )
            return _Boundaries(GeometrySource.SCHEMATIC)
        return _Boundaries(GeometrySource.PDOK, wijken, buurten)
    return _Boundaries(GeometrySource.SCHEMATIC)


def _one_file(directory: Path, layer: str) -> Path:
    if not directory.is_dir():
        raise DemoLoadError(f"{directory}: geen map.")
    found = sorted(directory.glob(f"*{layer}*.geojson"))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "geen"
        raise DemoLoadError(
            f"{directory}: verwacht precies één bestand *{layer}*.geojson, gevonden: {names}."
        )
    return found[0]


def _upsert(model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> M:
    """Find the row by `lookup` and write only the values that differ; create it if missing."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed: list[str] = []
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey) and (
            value is None or isinstance(value, models.Model)
        ):
            current = getattr(obj, model_field.attname)
            if current != (value.pk if value is not None else None):
                setattr(obj, name, value)
                changed.append(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return obj


class _Loader:
    def __init__(self, *, out: _Printer, anchor: dt.date, password: str | None = None) -> None:
        self.out = out
        # The demo people's password, or None: unusable passwords.
        self.password = password
        # Every relative date is counted from the start of the day of loading, so that two
        # loads on one day write the same values.
        self.anchor = anchor
        self.teams: dict[str, Gebiedsteam] = {}
        self.wijken: dict[str, Wijk] = {}
        self.organisations: dict[str, PartnerOrganisation] = {}
        self.theme_by_slug: dict[str, Theme] = {}
        self.people: dict[str, User] = {}
        self.councils: dict[str, Wijkraad] = {}
        self.commitments: dict[str, PactCommitment] = {}

    # --- dates ------------------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.anchor + dt.timedelta(days=offset)

    def moment(self, offset: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        naive = dt.datetime.combine(self.day(offset), dt.time(hour, minute))
        return timezone.make_aware(naive)

    def point(self, wijk_code: str | None) -> tuple[float | None, float | None]:
        if wijk_code is None:
            return None, None
        wijk = self.wijken[wijk_code]
        return wijk.label_lon, wijk.label_lat

    # --- facts ------------------------------------------------------------------------

    def load_territory(self) -> None:
        for position, team in enumerate(tilburg.GEBIEDSTEAMS, start=1):
            self.teams[team.name] = _upsert(
                Gebiedsteam,
                {"slug": team.slug},
                {
                    "name": team.name,
                    "colour": team.colour,
                    "description": team.description,
                    "contact_email": f"gebiedsteam-{team.slug}@example.org",
                    "contact_phone": "14 013",
                    "focus": team.focus,
                    "position": position,
                },
            )
        self.out.count("Gebiedsteams", len(self.teams))

        stadsdelen = {
            name: _upsert(Stadsdeel, {"slug": slugify(name)}, {"name": name})
            for name in tilburg.STADSDELEN
        }
        self.out.count("Stadsdelen", len(stadsdelen))

        for fact in tilburg.WIJKEN:
            self.wijken[fact.code] = _upsert(
                Wijk,
                {"code": fact.code},
                {
                    "name": fact.name,
                    "slug": slugify(fact.name),
                    "kind": fact.kind,
                    "gebiedsteam": self.teams[fact.gebiedsteam],
                    "stadsdeel": stadsdelen[fact.stadsdeel],
                    "inhabitants": fact.inhabitants,
                    "dwellings": fact.dwellings,
                    "area_land_ha": fact.area_land_ha,
                    "population_density": fact.population_density,
                    "figures_year": tilburg.FIGURES_YEAR,
                    "label_lon": fact.label_lon,
                    "label_lat": fact.label_lat,
                },
            )
        self.out.count("Wijken", len(self.wijken))

    def load_boundaries(self, boundaries: _Boundaries) -> None:
        source = boundaries.source
        if source != GeometrySource.SCHEMATIC:
            try:
                result = import_boundaries(
                    wijken=boundaries.wijken,
                    buurten=boundaries.buurten,
                    source=source,
                    year=tilburg.BOUNDARY_YEAR,
                    # The demo states the CBS figures itself; the import brings shapes.
                    update_figures=False,
                )
            except BoundaryError as exc:
                if source == GeometrySource.FILE:
                    raise DemoLoadError(f"Grenzen niet te importeren: {exc}") from exc
                self.out.message(
                    f"PDOK gaf grenzen die niet te gebruiken zijn: {exc} De wijken krijgen "
                    "schematische vormen."
                )
                source = GeometrySource.SCHEMATIC
            else:
                if result.without_geometry:
                    self.out.message(
                        "Zonder grens (niet op de kaart): " + ", ".join(result.without_geometry)
                    )
        if source == GeometrySource.SCHEMATIC:
            applied = self._apply_schematic()
            refresh_outlines()
            if applied == 0 and self.wijken:
                self.out.message(
                    "Bestaande grenzen uit een bestand of PDOK blijven staan; schematische "
                    "vormen vullen alleen wijken zonder grens."
                )
                source = ""
        # Wijken were changed in bulk by the import: read them again.
        self.wijken = {w.code: w for w in Wijk.objects.filter(code__in=list(self.wijken))}
        label = SOURCE_LABELS.get(source, "bestaand")
        self.out.report.boundaries = source or "kept"
        self.out.stdout.write(f"Grenzen: {label}\n")
        self.out.count("Buurten", Buurt.objects.filter(wijk__code__in=list(self.wijken)).count())

    def _apply_schematic(self) -> int:
        """Give each wijk without a real boundary the Voronoi cell around its label point."""
        points = {
            code: (w.label_lon, w.label_lat)
            for code, w in self.wijken.items()
            if w.label_lon is not None and w.label_lat is not None
        }
        hull = shapely.MultiPoint(list(points.values())).convex_hull
        within = hull.buffer(SCHEMATIC_MARGIN_DEGREES)
        cells = voronoi_cells(points, within=within)
        applied = 0
        for code, wijk in self.wijken.items():
            # A wijk without a label point has no cell: it stays off the map.
            if code not in cells or wijk.geometry_source not in ("", GeometrySource.SCHEMATIC):
                continue
            shape = footprint(cells[code])
            before = (wijk.geometry, wijk.geometry_source, wijk.boundary_year)
            wijk.apply_footprint(shape, source=GeometrySource.SCHEMATIC, year=None)
            if before != (wijk.geometry, wijk.geometry_source, wijk.boundary_year):
                wijk.save(update_fields=[*GEOMETRY_FIELDS, "updated_at"])
            applied += 1
        return applied

    def load_werkplekken(self) -> None:
        for fact in tilburg.WERKPLEKKEN:
            _upsert(
                Werkplek,
                {"gebiedsteam": self.teams[fact.gebiedsteam], "name": fact.name},
                {
                    "wijk": self.wijken[fact.wijk_code] if fact.wijk_code else None,
                    "address": fact.address,
                    "opening_hours": WERKPLEK_HOURS,
                    "longitude": fact.longitude,
                    "latitude": fact.latitude,
                },
            )
        self.out.count("Werkplekken", len(tilburg.WERKPLEKKEN))

    def load_themes(self) -> None:
        for position, (slug, name, colour) in enumerate(tilburg.THEMES, start=1):
            self.theme_by_slug[slug] = _upsert(
                Theme, {"slug": slug}, {"name": name, "colour": colour, "position": position}
            )
        self.out.count("Thema's", len(self.theme_by_slug))

    def load_organisations(self) -> None:
        for fact in tilburg.ORGANISATIONS:
            self.organisations[fact.slug] = _upsert(
                PartnerOrganisation,
                {"slug": fact.slug},
                {
                    "name": fact.name,
                    "kind": fact.kind,
                    "website": fact.website,
                    "description": fact.description,
                },
            )
        self.out.count("Organisaties", len(self.organisations))

    # --- demo content -----------------------------------------------------------------

    def load_content(self) -> None:
        self.load_councils_and_people()
        self.load_alliances()
        self.load_pacts()
        self.load_collaborations()
        self.load_visions()
        totals: dict[str, int] = {}
        for spec in demo.AGENDAS:
            for label, number in self.agenda(spec).items():
                totals[label] = totals.get(label, 0) + number
        for label, number in totals.items():
            self.out.count(label, number)
        initiatives = load_initiatives(
            wijken=self.wijken,
            people=self.people,
            organisations=self.organisations,
            moment=self.moment,
            upsert=_upsert,
        )
        self.out.count("Bewonersinitiatieven", initiatives)

    def load_councils_and_people(self) -> None:
        for spec in demo.COUNCILS:
            council = _upsert(
                Wijkraad,
                {"slug": spec.slug},
                {"name": spec.name, "kind": spec.kind, "email": spec.email},
            )
            council.wijken.set([self.wijken[code] for code in spec.wijken])
            self.councils[spec.slug] = council
        self.out.count("Wijkraden en dorpsraden", len(self.councils))

        for person in demo.PEOPLE:
            user = User.objects.filter(email=person.email).first()
            if user is None:
                # No usable password yet: `set_passwords` decides.
                user = User.objects.create_user(person.email, None, full_name=person.full_name)
            flags = {
                "full_name": person.full_name,
                "is_moderator": person.moderator,
                "is_functional_admin": person.functional_admin,
                # The functional administrator works in the admin site too.
                "is_staff": person.functional_admin,
            }
            changed = [name for name, value in flags.items() if getattr(user, name) != value]
            if changed:
                for name in changed:
                    setattr(user, name, flags[name])
                user.save(update_fields=changed)
            self.people[person.email] = user
            if person.lives_in:
                self._resident(user, person.lives_in)
            if person.team:
                _upsert(
                    TeamMembership,
                    {"user": user, "gebiedsteam": self._team(person.team)},
                    {"role": person.team_role},
                )
            if person.council:
                _upsert(
                    CouncilMembership,
                    {"user": user, "wijkraad": self.councils[person.council]},
                    {"role": person.council_role, "shown_publicly": person.council_shown_publicly},
                )
            if person.organisation:
                _upsert(
                    OrganisationMembership,
                    {"user": user, "organisation": self.organisations[person.organisation]},
                    {
                        "job_title": person.job_title,
                        "is_staff_administrator": person.staff_administrator,
                    },
                )
        self.set_passwords(list(self.people.values()))
        self.out.count("Demo-personen", len(self.people))
        if self.password is None:
            self.out.message("Demo-personen hebben geen wachtwoord (alleen met DEBUG).")
        else:
            self.out.message(f"Demo-personen loggen in met het wachtwoord: {self.password}")

    def _resident(self, user: User, wijk_code: str) -> None:
        """A resident who signed up and confirmed their address, living in the wijk."""
        if not user.is_resident or user.email_confirmed_at is None:
            user.is_resident = True
            user.email_confirmed_at = user.email_confirmed_at or timezone.now()
            user.save(update_fields=["is_resident", "email_confirmed_at"])
        _upsert(Residence, {"user": user}, {"wijk": self.wijken[wijk_code]})

    def set_passwords(self, users: list[User]) -> None:
        """Give every demo person the known password, or an unusable one without it.

        All share one hash of the known password: hashing is slow on purpose, and `make run`
        loads the demo on every start. Only passwords that differ are written, so a second
        load changes nothing.
        """
        if self.password is None:
            for user in users:
                if user.has_usable_password():
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
            return
        encoded = self._known_password_hash(users)
        for user in users:
            if user.password != encoded:
                user.password = encoded
                user.save(update_fields=["password"])

    def _known_password_hash(self, users: list[User]) -> str:
        """A current hash of the known password: one a demo person has already, or a new one."""
        assert self.password is not None
        preferred = get_hasher()
        for encoded in dict.fromkeys(user.password for user in users):
            if (
                check_password(self.password, encoded)
                and identify_hasher(encoded).algorithm == preferred.algorithm
                and not preferred.must_update(encoded)
            ):
                return encoded
        return make_password(self.password)

    def _team(self, slug: str) -> Gebiedsteam:
        return next(team for team in self.teams.values() if team.slug == slug)

    def load_alliances(self) -> None:
        alliances: dict[str, Alliance] = {}
        for spec in demo.ALLIANCES:
            alliance = _upsert(
                Alliance,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "parent": alliances[spec.parent] if spec.parent else None,
                    "description": spec.description,
                },
            )
            alliance.members.set([self.organisations[slug] for slug in spec.members])
            alliance.focus_gebiedsteams.set([self._team(slug) for slug in spec.focus_gebiedsteams])
            alliance.focus_wijken.set([self.wijken[code] for code in spec.focus_wijken])
            alliances[spec.slug] = alliance
        self.out.count("Allianties", len(alliances))

    def load_pacts(self) -> None:
        for spec in demo.PACTS:
            pact = _upsert(
                Pact,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "gebiedsteam": self._team(spec.gebiedsteam),
                    "approach": spec.approach,
                    "period_start": spec.period[0],
                    "period_end": spec.period[1],
                    "status": Pact.Status.ACTIVE,
                    "summary": spec.summary,
                    "text": spec.text,
                },
            )
            pact.wijken.set([self.wijken[code] for code in spec.wijken])
            for commitment in spec.commitments:
                self.commitments[f"{spec.slug}/{commitment.organisation}"] = _upsert(
                    PactCommitment,
                    {"pact": pact, "organisation": self.organisations[commitment.organisation]},
                    {
                        "text": commitment.text,
                        "signed_by": commitment.signed_by,
                        "signed_on": commitment.signed_on,
                    },
                )
        self.out.count("Pacten", len(demo.PACTS))
        self.out.count("Pactafspraken", len(self.commitments))

    def load_collaborations(self) -> None:
        for spec in demo.COLLABORATIONS:
            collaboration = _upsert(
                Collaboration,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "kind": spec.kind,
                    "gebiedsteam": self._team(spec.gebiedsteam),
                    "description": spec.description,
                    "rhythm": spec.rhythm,
                },
            )
            collaboration.wijken.set([self.wijken[code] for code in spec.wijken])
            collaboration.organisations.set([self.organisations[s] for s in spec.organisations])
        self.out.count("Samenwerkingen", len(demo.COLLABORATIONS))

    def load_visions(self) -> None:
        for slug, (title, body) in demo.VISIONS.items():
            _upsert(
                Vision,
                {"gebiedsteam": self._team(slug), "horizon_year": demo.VISION_HORIZON},
                {"title": title, "body": body, "status": Status.PUBLISHED},
            )
        self.out.count("Visies", len(demo.VISIONS))

    def agenda(self, spec: demo.AgendaSpec) -> dict[str, int]:
        team = self._team(spec.gebiedsteam)
        agenda = _upsert(
            Wijkagenda,
            {"slug": spec.slug},
            {
                "title": spec.title,
                "kind": spec.kind,
                "gebiedsteam": team,
                "period_start": demo.AGENDA_PERIOD[0],
                "period_end": demo.AGENDA_PERIOD[1],
                "summary": spec.summary,
                "review_date": demo.AGENDA_REVIEW,
            },
        )
        agenda.wijken.set([self.wijken[code] for code in spec.wijken])
        items: dict[str, AgendaItem] = {}
        for position, item in enumerate(spec.items, start=1):
            items[item.key] = _upsert(
                AgendaItem,
                {"wijkagenda": agenda, "title": item.title},
                {
                    "theme": self.theme_by_slug[item.theme],
                    "kind": item.kind,
                    "description": item.description,
                    "lead_organisation": self.organisations[item.lead] if item.lead else None,
                    "position": position,
                },
            )
        self._publish_if_changed(agenda)

        plan = _upsert(
            Plan,
            {"wijkagenda": agenda, "title": spec.plan_title},
            {
                "description": spec.plan_description,
                "period_start": demo.PLAN_PERIOD[0],
                "period_end": demo.PLAN_PERIOD[1],
            },
        )
        actions: dict[str, Action] = {}
        updates = 0
        for action_spec in spec.actions:
            actions[action_spec.title] = self.action(plan, items, action_spec)
            updates += len(action_spec.updates)

        proposals: dict[str, Proposal] = {}
        comments = advices = 0
        for proposal_spec in spec.proposals:
            proposal = self.proposal(team, spec.wijken, items, actions, proposal_spec)
            proposals[proposal_spec.slug] = proposal
            comments += sum(1 + (c.reply is not None) for c in proposal_spec.comments)
            advices += proposal_spec.advice is not None

        for meeting_spec in spec.meetings:
            self.meeting(team, spec.wijken, proposals, meeting_spec)

        return {
            "Wijkagenda's": 1,
            "Agendapunten": len(items),
            "Plannen": 1,
            "Acties": len(actions),
            "Voortgangsberichten": updates,
            "Voorstellen": len(proposals),
            "Reacties": comments,
            "Adviezen": advices,
            "Bijeenkomsten": len(spec.meetings),
        }

    def _publish_if_changed(self, agenda: Wijkagenda) -> None:
        latest = agenda.versions.order_by("-number").first()
        if latest is None:
            agenda.publish(by=None, change_summary="Eerste versie van de wijkagenda (demo).")
        elif latest.snapshot != agenda.snapshot():
            agenda.publish(by=None, change_summary="Demo-inhoud bijgewerkt.")

    def action(self, plan: Plan, items: Mapping[str, AgendaItem], spec: demo.ActionSpec) -> Action:
        longitude, latitude = self.point(spec.location)
        update_moments = [self.moment(u.days, 10) for u in spec.updates]
        action = _upsert(
            Action,
            {"plan": plan, "title": spec.title},
            {
                "agenda_item": items[spec.item],
                "pact_commitment": self.commitments[spec.commitment] if spec.commitment else None,
                "description": spec.description,
                "owner_organisation": self.organisations[spec.owner],
                "contact_name": spec.contact[0],
                "contact_email": spec.contact[1],
                "status": spec.status,
                "progress": spec.progress,
                "start_date": self.day(spec.start),
                "due_date": self.day(spec.due),
                "longitude": longitude,
                "latitude": latitude,
                "budget": Decimal(spec.budget).quantize(Decimal("0.01"))
                if spec.budget is not None
                else None,
                "result": spec.result,
                "last_progress_at": max(update_moments) if update_moments else None,
            },
        )
        for update, moment in zip(spec.updates, update_moments, strict=True):
            _upsert(
                ProgressUpdate,
                {"action": action, "text": update.text},
                {
                    "author": self.people[update.author] if update.author else None,
                    "status": update.status,
                    "progress": update.progress,
                    "is_result": update.is_result,
                    "created_at": moment,
                },
            )
        return action

    def proposal(
        self,
        team: Gebiedsteam,
        wijk_codes: Iterable[str],
        items: Mapping[str, AgendaItem],
        actions: Mapping[str, Action],
        spec: demo.ProposalSpec,
    ) -> Proposal:
        longitude, latitude = self.point(spec.location)
        proposal = _upsert(
            Proposal,
            {"slug": spec.slug},
            {
                "gebiedsteam": team,
                "title": spec.title,
                "body": spec.body,
                "longitude": longitude,
                "latitude": latitude,
                "opens_at": self.moment(spec.opens, 9),
                "closes_at": self.moment(spec.closes, 23, 59),
                "status": spec.status,
                "decision": spec.decision,
                "input_feedback": spec.input_feedback,
                "decided_at": self.moment(spec.decided, 12) if spec.decided is not None else None,
                "author": self.people[spec.author] if spec.author else None,
                "audience": spec.audience,
            },
        )
        proposal.wijken.set([self.wijken[code] for code in wijk_codes])
        proposal.agenda_items.set([items[key] for key in spec.items])
        proposal.actions.set([actions[title] for title in spec.actions])
        for comment in spec.comments:
            parent = self.comment(proposal, comment, parent=None)
            if comment.reply is not None:
                self.comment(proposal, comment.reply, parent=parent)
            if comment.report is not None:
                self.report(parent, comment.report)
        if spec.advice is not None:
            self.advice(proposal, spec.advice)
        return proposal

    def comment(
        self, proposal: Proposal, spec: demo.CommentSpec, *, parent: Comment | None
    ) -> Comment:
        return _upsert(
            Comment,
            {"proposal": proposal, "body": spec.body},
            {
                "parent": parent,
                "author": self.people[spec.author],
                "is_team_response": spec.is_team_response,
                "created_at": self.moment(spec.days, 20),
            },
        )

    def report(self, comment: Comment, spec: demo.ReportSpec) -> CommentReport:
        """The report is made once and then left alone: handling it in the moderation queue
        is what the demo is for, and a new load does not open it again. It is made as a
        resident makes one, so the moderators and the gebied's team are told."""
        reporter = self.people[spec.reporter]
        report = CommentReport.objects.filter(comment=comment, reporter=reporter).first()
        if report is not None:
            return report
        report = moderation.report_comment(comment=comment, reporter=reporter, reason=spec.reason)
        report.created_at = self.moment(spec.days, 22)
        report.save(update_fields=["created_at"])
        return report

    def advice(self, proposal: Proposal, spec: demo.AdviceSpec) -> Advice:
        return _upsert(
            Advice,
            {"proposal": proposal, "wijkraad": self.councils[spec.wijkraad]},
            {
                "deadline": self.moment(spec.deadline, 23, 59),
                "verdict": spec.verdict,
                "text": spec.text,
                "submitted_at": self.moment(spec.submitted, 21)
                if spec.submitted is not None
                else None,
                "submitted_by": self.people[spec.submitted_by] if spec.submitted_by else None,
                "response": spec.response,
                "responded_at": self.moment(spec.responded, 11)
                if spec.responded is not None
                else None,
                "responded_by": self.people[spec.responded_by] if spec.responded_by else None,
            },
        )

    def meeting(
        self,
        team: Gebiedsteam,
        wijk_codes: Iterable[str],
        proposals: Mapping[str, Proposal],
        spec: demo.MeetingSpec,
    ) -> Meeting:
        longitude, latitude = self.point(spec.location)
        starts_at = self.moment(spec.days, *spec.start)
        meeting = _upsert(
            Meeting,
            {"gebiedsteam": team, "title": spec.title},
            {
                "kind": spec.kind,
                "description": spec.description,
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=spec.hours),
                "location_name": spec.place,
                "address": spec.address,
                "longitude": longitude,
                "latitude": latitude,
                "public": True,
                "minutes": spec.minutes,
                "sign_up": spec.sign_up,
                "capacity": spec.capacity,
            },
        )
        meeting.wijken.set([self.wijken[code] for code in wijk_codes])
        meeting.proposals.set([proposals[slug] for slug in spec.proposals])
        return meeting
