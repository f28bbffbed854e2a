"""One world for the permission matrix: two gebieden, everything in every state, every role.

Gebied A is the own scope of the scoped roles (its team, the wijkraad of its wijk, the
partner organisation that owns actions in A and in B); gebied B is nobody's but the functional
administrator's. Every object the matrix requests is a `Target`: the object, where it stands
(`Scope`) and which action of docs/roles.md reads it (`read`, a 404 for whoever lacks it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.models import Invitation, User
from agendas.models import Action
from api import opendata as open_data
from areas.models import CouncilMembership, Residence, TeamMembership
from followup.models import Report
from followup.tasks import build_report
from pacts.models import Pact, PartnerOrganisation
from participation.models import Initiative, Proposal
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    AllianceFactory,
    BuurtFactory,
    CommentFactory,
    CommentReportFactory,
    CouncilMembershipFactory,
    GebiedsteamFactory,
    InitiativeFactory,
    MeetingFactory,
    NotificationFactory,
    OrganisationMembershipFactory,
    PactFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ProposalFactory,
    ReportFactory,
    TeamMembershipFactory,
    VisionFactory,
    WerkplekFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import square
from tests.permissions.roles import Scope

INVITATION_TOKEN = "matrix-invitation-token"


# The field that names an object on the pages that list it.
SECRET_FIELDS = ("title", "name", "body", "reason")


@dataclass
class Target:
    obj: Any
    scope: Scope
    read: str = "public"
    kind: str = ""  # the state that decides a view's answer: "draft", "open", "decided"…
    # For an object not everyone reads: the text that names it, on no page of whoever
    # cannot read it.
    secret: str | None = None


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)

    def add(
        self,
        name: str,
        obj: Any,
        scope: Scope,
        read: str = "public",
        kind: str = "",
        *,
        named: bool = True,
    ) -> Any:
        """A target; one not everyone reads is named secretly, unless `named` is False (an
        object public in itself, such as the team behind its members' page)."""
        assert name not in self.targets, name
        secret = None
        if read != "public" and obj is not None and named:
            secret = _name_secretly(obj, f"Matrixgeheim {name}")
        self.targets[name] = Target(obj, scope, read, kind, secret)
        return obj


def _name_secretly(obj: Any, secret: str) -> str | None:
    for name in SECRET_FIELDS:
        if hasattr(obj, name) and isinstance(getattr(obj, name), str):
            setattr(obj, name, secret)
            obj.save(update_fields=[name])
            return secret
    return None


def _user(role: str, **fields: Any) -> User:
    # An unusable password: the matrix signs in with force_login, and hashing costs time.
    return User.objects.create(
        email=f"{role}@matrix.example.org", full_name=role, password="!", **fields
    )


def build_world() -> World:
    world = World()
    partner = PartnerOrganisationFactory(
        name="Matrix Partner", slug="matrix-partner", kind=PartnerOrganisation.Kind.HOUSING
    )
    municipality = PartnerOrganisationFactory(
        name="Matrix Gemeente", slug="matrix-gemeente", kind=PartnerOrganisation.Kind.MUNICIPALITY
    )
    world.add("partner_organisation", partner, Scope(organisation="partner"))
    world.add("municipality_organisation", municipality, Scope(organisation="municipality"))
    world.add("alliance", AllianceFactory(), Scope())
    # The pages without an object: whoever holds an action in their own scope holds it there.
    world.add(
        "anywhere", None, Scope(gebied="A", wijkraad="A", owner="partner", organisation="partner")
    )
    stranger = _user("stranger")  # writes and reports comments that no role wrote
    colleague = _user("colleague")  # staff of both organisations, whose place may be revoked
    for name, organisation in (("partner", partner), ("municipality", municipality)):
        world.add(
            f"staff_membership_{name}",
            OrganisationMembershipFactory(user=colleague, organisation=organisation),
            Scope(organisation=name),
        )

    teams = {}
    for gebied, lon in (("A", 5.0), ("B", 5.2)):
        teams[gebied] = _build_gebied(world, gebied, lon, partner, municipality)

    _roles(world, teams["A"], partner, municipality)
    _participation(world, stranger)
    _initiatives(world, stranger)
    _notifications(world)
    invitation = Invitation.objects.create(
        email="uitgenodigd@matrix.example.org",
        token_hash=Invitation.hash_token(INVITATION_TOKEN),
        purpose={"kind": "team", "gebiedsteam": teams["A"].team.pk, "role": "ondersteuner"},
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    world.add("invitation", invitation, Scope())
    city = ReportFactory(gebiedsteam=None, requested_by=None)
    build_report(report_id=city.pk)
    world.add("city_report", _done(city), Scope(), read="city_report")
    # The open-data downloads of this world, as the nightly task makes them: the matrix reads
    # one of them as every role, and finds none of the secrets in it.
    open_data.build()
    return world


@dataclass
class Gebied:
    team: Any
    wijk: Any
    wijkraad: Any


def _done(report: Report) -> Report:
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.status
    return report


def _build_gebied(
    world: World, g: str, lon: float, partner: PartnerOrganisation, municipality: Any
) -> Gebied:
    low = g.lower()
    scope = Scope(gebied=g, wijkraad=g)
    team = GebiedsteamFactory(name=f"Matrix {g}", slug=f"matrix-{low}")
    wijk = WijkFactory(
        name=f"Matrixwijk {g}",
        slug=f"matrixwijk-{low}",
        gebiedsteam=team,
        geometry=square(lon),
        geometry_simplified=square(lon),
    )
    BuurtFactory(wijk=wijk, geometry=square(lon), geometry_simplified=square(lon))
    wijkraad = WijkraadFactory(name=f"Wijkraad {g}", slug=f"wijkraad-{low}")
    wijkraad.wijken.set([wijk])
    world.add(f"team_{g}", team, scope)
    world.add(f"team_page_{g}", team, scope, "read_team_page", named=False)
    world.add(f"wijk_{g}", wijk, scope)
    world.add(f"wijkraad_{g}", wijkraad, Scope(gebied=g, wijkraad=g))

    # The published agenda: an ambition, a plan, an action of the partner and one of the
    # municipality; and a draft agenda with the same.
    published = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for prefix, status, read in (("", "published", "public"), ("draft_", "draft", "read_drafts")):
        agenda = WijkagendaFactory(
            gebiedsteam=team,
            slug=f"matrix-{prefix}agenda-{low}",
            status=status,
            published_at=published if status == "published" else None,
            wijken=[wijk],
        )
        item = AgendaItemFactory(wijkagenda=agenda)
        plan = PlanFactory(wijkagenda=agenda)
        kind = status
        world.add(f"{prefix}agenda_{g}", agenda, scope, read, kind)
        world.add(f"{prefix}item_{g}", item, scope, read, kind)
        world.add(f"{prefix}plan_{g}", plan, scope, read, kind)
        for owner_name, owner in (("partner", partner), ("municipal", municipality)):
            action = ActionFactory(
                plan=plan,
                agenda_item=item,
                owner_organisation=owner,
                status=Action.Status.IN_PROGRESS,
            )
            owner_scope = Scope(
                gebied=g, wijkraad=g, owner="partner" if owner is partner else "municipality"
            )
            world.add(f"{prefix}action_{owner_name}_{g}", action, owner_scope, read, kind)

    # The vision: a published one, and a newer draft the team works on.
    world.add(f"vision_{g}", VisionFactory(gebiedsteam=team), scope)
    world.add(
        f"draft_vision_{g}",
        VisionFactory(gebiedsteam=team, status="draft"),
        scope,
        "read_drafts",
        "draft",
    )
    world.add(
        f"pact_{g}", PactFactory(gebiedsteam=team, slug=f"matrix-pact-{low}"), scope, kind="active"
    )
    world.add(
        f"draft_pact_{g}",
        PactFactory(gebiedsteam=team, slug=f"matrix-draft-pact-{low}", status=Pact.Status.DRAFT),
        scope,
        "read_drafts",
        "draft",
    )
    world.add(f"meeting_{g}", MeetingFactory(gebiedsteam=team), scope)
    world.add(
        f"closed_meeting_{g}",
        MeetingFactory(gebiedsteam=team, public=False),
        scope,
        "read_closed_meeting",
        "closed",
    )
    for meeting in (world.targets[f"meeting_{g}"].obj, world.targets[f"closed_meeting_{g}"].obj):
        meeting.wijken.set([wijk])
    world.add(f"werkplek_{g}", WerkplekFactory(gebiedsteam=team), scope)
    report = ReportFactory(gebiedsteam=team, requested_by=None)
    build_report(report_id=report.pk)
    world.add(f"report_{g}", _done(report), scope, "read_reports")
    return Gebied(team, wijk, wijkraad)


def _roles(world: World, a: Gebied, partner: Any, municipality: Any) -> None:
    """One user per column of docs/roles.md, holding exactly that role."""
    world.users["anonymous"] = None
    # A resident who signed up, confirmed their address and lives in the wijk of A.
    world.users["resident"] = resident = _user(
        "resident", is_resident=True, email_confirmed_at=timezone.now()
    )
    Residence.objects.create(user=resident, wijk=a.wijk)
    for role, team_role in (
        ("wijkregisseur", TeamMembership.Role.WIJKREGISSEUR),
        ("omgevingsmanager", TeamMembership.Role.OMGEVINGSMANAGER),
        ("ondersteuner", TeamMembership.Role.ONDERSTEUNER),
        ("partner_representative", TeamMembership.Role.PARTNER),
    ):
        user = world.users[role] = _user(role)
        TeamMembershipFactory(user=user, gebiedsteam=a.team, role=team_role)
    user = world.users["partner_staff"] = _user("partner_staff")
    OrganisationMembershipFactory(user=user, organisation=partner)
    user = world.users["municipal_staff"] = _user("municipal_staff")
    OrganisationMembershipFactory(user=user, organisation=municipality)
    TeamMembershipFactory(user=user, gebiedsteam=a.team, role=TeamMembership.Role.ONDERSTEUNER)
    user = world.users["staff_administrator"] = _user("staff_administrator")
    OrganisationMembershipFactory(user=user, organisation=partner, is_staff_administrator=True)
    for role, council_role in (
        ("council_member", CouncilMembership.Role.MEMBER),
        ("council_secretary", CouncilMembership.Role.SECRETARY),
        ("council_chair", CouncilMembership.Role.CHAIR),
    ):
        user = world.users[role] = _user(role)
        CouncilMembershipFactory(user=user, wijkraad=a.wijkraad, role=council_role)
    world.users["moderator"] = _user("moderator", is_moderator=True)
    world.users["functional_admin"] = _user(
        "functional_admin", is_functional_admin=True, is_staff=True
    )
    world.users["superuser"] = _user("superuser", is_superuser=True, is_staff=True)


def _participation(world: World, stranger: User) -> None:
    """Proposals in every state in both gebieden, with comments, reports and advice."""
    now = timezone.now()
    authors = {  # who wrote the comment on each proposal: a role, so `author` cells count
        ("open", "A"): "council_member",
        ("open", "B"): "resident",
        ("council", "A"): "council_chair",
        ("council", "B"): None,
        ("decided", "A"): "wijkregisseur",
        ("decided", "B"): None,
    }
    for g in ("A", "B"):
        low = g.lower()
        team = world.targets[f"team_{g}"].obj
        wijk = world.targets[f"wijk_{g}"].obj
        wijkraad = world.targets[f"wijkraad_{g}"].obj
        closed_period = {
            "opens_at": now - dt.timedelta(days=20),
            "closes_at": now - dt.timedelta(days=6),
        }
        states: dict[str, tuple[dict[str, Any], str]] = {
            "draft": ({"status": Proposal.Status.DRAFT}, "read_drafts"),
            # Open to the residents of its wijk, who comment beside the council and team.
            "open": (
                {"status": Proposal.Status.OPEN, "audience": Proposal.Audience.RESIDENTS},
                "public",
            ),
            "council": (
                {"status": Proposal.Status.OPEN, "council_only": True},
                "read_council_only",
            ),
            "consideration": (
                {"status": Proposal.Status.CONSIDERATION, **closed_period},
                "public",
            ),
            "decided": (
                {
                    "status": Proposal.Status.DECIDED,
                    "input_feedback": "Verwerkt.",
                    "decision": "Besloten.",
                    **closed_period,
                },
                "public",
            ),
        }
        for state, (fields, read) in states.items():
            impossible = frozenset() if state in ("open", "council") else frozenset({"comment"})
            proposal = ProposalFactory(
                gebiedsteam=team, slug=f"matrix-{state}-{low}", wijken=[wijk], **fields
            )
            scope = Scope(gebied=g, wijkraad=g, impossible=impossible)
            world.add(f"{state}_proposal_{g}", proposal, scope, read, state)
            if (state, g) not in authors:
                continue
            role = authors[state, g]
            author = world.users[role] if role else stranger
            comment = CommentFactory(proposal=proposal, author=author)
            comment_scope = Scope(gebied=g, wijkraad=g, author=role, impossible=impossible)
            world.add(f"comment_{state}_{g}", comment, comment_scope, read, state)
            report = CommentReportFactory(comment=comment, reporter=stranger)
            world.add(f"report_{state}_{g}", report, comment_scope, read, state)
        open_proposal = world.targets[f"open_proposal_{g}"].obj
        advice = AdviceFactory(proposal=open_proposal, wijkraad=wijkraad)
        world.add(f"advice_{g}", advice, Scope(gebied=g, wijkraad=g), kind="pending")
        considered = world.targets[f"consideration_proposal_{g}"].obj
        submitted = AdviceFactory(
            proposal=considered,
            wijkraad=wijkraad,
            deadline=now - dt.timedelta(days=1),
            submitted_at=now - dt.timedelta(days=2),
            verdict="positive",
            text="Positief.",
        )
        world.add(
            f"submitted_advice_{g}",
            submitted,
            Scope(gebied=g, wijkraad=g, impossible=frozenset({"give_advice"})),
            kind="submitted",
        )
    _crossing(world)


def _crossing(world: World) -> None:
    """A council-only proposal of gebied B that also covers the wijk of A: the wijkraad of A
    reads it and comments on it (its wijken), the team of A does not (not its gebied); and
    the wijkraad of A is asked for advice on it."""
    wijken = [world.targets["wijk_A"].obj, world.targets["wijk_B"].obj]
    proposal = ProposalFactory(
        gebiedsteam=world.targets["team_B"].obj,
        slug="matrix-crossing-b",
        wijken=wijken,
        status=Proposal.Status.OPEN,
        council_only=True,
    )
    scope = Scope(gebied="B", wijkraad="A")
    world.add("crossing_proposal_B", proposal, scope, "read_council_only", "council")
    advice = AdviceFactory(proposal=proposal, wijkraad=world.targets["wijkraad_A"].obj)
    world.add("crossing_advice_B", advice, scope, "read_council_only", "pending", named=False)


def _notifications(world: World) -> None:
    """A notification of each signed-in role's own (anonymous asks for the resident's)."""
    for role, user in world.users.items():
        if user is None:
            continue
        notification = NotificationFactory(recipient=user, url="/wijken/")
        world.add(f"notification_{role}", notification, Scope(author=role))


def _initiatives(world: World, stranger: User) -> None:
    """Residents' initiatives in both gebieden: one received (not public; in A the resident's
    own), one the team is in conversation about and one supported (both public)."""
    now = timezone.now()
    for g in ("A", "B"):
        wijk = world.targets[f"wijk_{g}"].obj
        author = "resident" if g == "A" else None
        submitter = world.users["resident"] if author else stranger
        states = {
            "received": ({}, "read_unpublished_initiative"),
            "conversation": (
                {"status": Initiative.Status.CONVERSATION, "published_at": now},
                "public",
            ),
            "supported": (
                {"status": Initiative.Status.SUPPORTED, "published_at": now},
                "public",
            ),
        }
        for state, (fields, read) in states.items():
            initiative = InitiativeFactory(wijk=wijk, submitted_by=submitter, **fields)
            scope = Scope(gebied=g, wijkraad=g, author=author)
            world.add(f"{state}_initiative_{g}", initiative, scope, read, state)
