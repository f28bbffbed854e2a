"""Demo content: agendas, visions, pacts, alliances, councils and meetings, in Dutch.

This is data, not UI text: it is not wrapped in gettext, except the names of the roles the
demo accounts stand for, which the sign-in page shows. All people are fictional and their
addresses use example.org. Dates are offsets in days from the day of loading, so a fresh
demo always has actions that are overdue, actions due soon and a proposal open for comment.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agendas.models import Action, AgendaItem
from areas.models import CouncilMembership, TeamMembership, Wijkraad
from meetings.models import Meeting
from pacts.models import Collaboration
from participation.models import Proposal

AMBITION = AgendaItem.Kind.AMBITION
MUNICIPAL = AgendaItem.Kind.MUNICIPAL_TASK
PARTNER = AgendaItem.Kind.PARTNER_TASK

PLANNED = Action.Status.PLANNED
IN_PROGRESS = Action.Status.IN_PROGRESS
DONE = Action.Status.DONE
DELAYED = Action.Status.DELAYED
STOPPED = Action.Status.STOPPED

AGENDA_PERIOD = (dt.date(2025, 1, 1), dt.date(2028, 12, 31))
AGENDA_REVIEW = dt.date(2027, 6, 30)
PLAN_PERIOD = (dt.date(2026, 1, 1), dt.date(2027, 12, 31))
VISION_HORIZON = 2035


class Person(NamedTuple):
    """A fictional demo person. With DEBUG (`make run`) every one of them signs in with
    settings.DEMO_PASSWORD; without DEBUG none has a usable password."""

    email: str
    full_name: str
    team: str | None = None  # gebiedsteam slug
    team_role: str = ""
    council: str | None = None  # wijkraad slug
    council_role: str = ""
    council_shown_publicly: bool = False  # named on the council's public page
    organisation: str | None = None  # organisation slug
    job_title: str = ""
    staff_administrator: bool = False  # grants and revokes the organisation's staff
    moderator: bool = False
    functional_admin: bool = False  # the municipality's functional administrator (and staff)
    # The wijk (code) a resident lives in: signed up as a resident, address confirmed.
    lives_in: str | None = None
    # The role this person stands for in the list of demo accounts (README, sign-in page);
    # None for the people who are only there for the content.
    demo_role: Promise | None = None


PEOPLE: tuple[Person, ...] = (
    Person(
        "noor.vermeulen@example.org",
        "Noor Vermeulen",
        team="west",
        team_role=TeamMembership.Role.WIJKREGISSEUR,
        organisation="gemeente-tilburg",
        job_title="wijkregisseur",
        demo_role=_("Wijkregisseur (gebiedsteam West)"),
    ),
    Person(
        "bram.dekkers@example.org",
        "Bram Dekkers",
        team="oud-zuid-west-zuid",
        team_role=TeamMembership.Role.OMGEVINGSMANAGER,
        organisation="gemeente-tilburg",
        job_title="omgevingsmanager",
        demo_role=_("Omgevingsmanager (gebiedsteam Oud-Zuid West & Zuid)"),
    ),
    Person(
        "esra.yildiz@example.org",
        "Esra Yildiz",
        team="west",
        team_role=TeamMembership.Role.ONDERSTEUNER,
        organisation="gemeente-tilburg",
        job_title="gebiedsmanagementondersteuner",
        demo_role=_("Gebiedsmanagementondersteuner (gebiedsteam West)"),
    ),
    Person(
        "mirjam.kuipers@example.org",
        "Mirjam Kuipers",
        team="west",
        team_role=TeamMembership.Role.PARTNER,
        organisation="contourdetwern",
        job_title="opbouwwerker",
        demo_role=_("Partner representative in gebiedsteam West (ContourdeTwern)"),
    ),
    # The contact of WonenBreburg's actions in West, Groenewoud and Noord.
    Person(
        "daan.hoeks@example.org",
        "Daan Hoeks",
        organisation="wonenbreburg",
        job_title="wijkconsulent",
        demo_role=_("Partner staff (WonenBreburg)"),
    ),
    # Municipal staff who sit in one team for their department, not in its core: they report
    # progress on the municipality's actions in Noord only.
    Person(
        "bas.vandenberg@example.org",
        "Bas van den Berg",
        team="noord",
        team_role=TeamMembership.Role.PARTNER,
        organisation="gemeente-tilburg",
        job_title="wijkbeheerder openbare ruimte",
        demo_role=_("Municipal staff in gebiedsteam Noord"),
    ),
    Person(
        "sem.aydin@example.org",
        "Sem Aydin",
        organisation="contourdetwern",
        job_title="teamleider jongerenwerk",
        staff_administrator=True,
        demo_role=_("Staff administrator (ContourdeTwern)"),
    ),
    Person(
        "ilse.vangorp@example.org",
        "Ilse van Gorp",
        team="noord",
        team_role=TeamMembership.Role.WIJKREGISSEUR,
        organisation="gemeente-tilburg",
        job_title="wijkregisseur",
    ),
    Person(
        "ruud.smits@example.org",
        "Ruud Smits",
        team="dorpen",
        team_role=TeamMembership.Role.WIJKREGISSEUR,
        organisation="gemeente-tilburg",
        job_title="dorpsregisseur",
    ),
    Person(
        "lotte.maas@example.org",
        "Lotte Maas",
        team="binnenstad",
        team_role=TeamMembership.Role.OMGEVINGSMANAGER,
        organisation="gemeente-tilburg",
        job_title="omgevingsmanager",
    ),
    Person(
        "hanneke.wouters@example.org",
        "Hanneke Wouters",
        council="wijkraad-west",
        council_role=CouncilMembership.Role.CHAIR,
        council_shown_publicly=True,
        demo_role=_("Wijkraad chair (Wijkraad West)"),
    ),
    Person(
        "yara.desmet@example.org",
        "Yara de Smet",
        council="wijkraad-noord",
        council_role=CouncilMembership.Role.SECRETARY,
        demo_role=_("Wijkraad secretary (Wijkraad Noord)"),
    ),
    Person(
        "karim.benali@example.org",
        "Karim Benali",
        council="wijkraad-groenewoud",
        council_role=CouncilMembership.Role.MEMBER,
        demo_role=_("Wijkraad member (Wijkraad Groenewoud)"),
    ),
    Person(
        "gerard.pijnappels@example.org",
        "Gerard Pijnappels",
        council="dorpsraad-udenhout",
        council_role=CouncilMembership.Role.CHAIR,
        council_shown_publicly=True,
    ),
    Person(
        "anouk.vandijk@example.org",
        "Anouk van Dijk",
        council="wijkraad-binnenstad",
        council_role=CouncilMembership.Role.MEMBER,
    ),
    Person(
        "lisa.claassen@example.org",
        "Lisa Claassen",
        moderator=True,
        demo_role=_("Moderator"),
    ),
    Person(
        "marloes.jansen@example.org",
        "Marloes Jansen",
        organisation="gemeente-tilburg",
        job_title="functioneel beheerder",
        functional_admin=True,
        demo_role=_("Functional administrator"),
    ),
    # A resident of Wandelbos Zuid with an account and nothing more: follows, reports a comment,
    # reacts to proposals open to residents of his wijk.
    Person("tom.bakker@example.org", "Tom Bakker", lives_in="WK085540", demo_role=_("Resident")),
    # Residents who reacted to proposals open to them.
    Person("fatima.elamrani@example.org", "Fatima El Amrani", lives_in="WK085538"),
    Person("joost.vanrijn@example.org", "Joost van Rijn", lives_in="WK085543"),
)


class DemoAccount(NamedTuple):
    role: Promise
    email: str


# One account per role, in this order on the sign-in page and in the README (which
# tests/portal/test_demo_accounts.py holds to this list).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(person.demo_role, person.email) for person in PEOPLE if person.demo_role
)


class CouncilSpec(NamedTuple):
    slug: str
    name: str
    kind: str
    wijken: tuple[str, ...]
    email: str


COUNCILS: tuple[CouncilSpec, ...] = (
    CouncilSpec(
        "wijkraad-west",
        "Wijkraad West",
        Wijkraad.Kind.WIJKRAAD,
        ("WK085538", "WK085539", "WK085540", "WK085537"),
        "wijkraad-west@example.org",
    ),
    CouncilSpec(
        "wijkraad-zorgvlied",
        "Wijkraad Zorgvlied",
        Wijkraad.Kind.WIJKRAAD,
        ("WK085536",),
        "wijkraad-zorgvlied@example.org",
    ),
    CouncilSpec(
        "wijkraad-groenewoud",
        "Wijkraad Groenewoud",
        Wijkraad.Kind.WIJKRAAD,
        ("WK085532",),
        "wijkraad-groenewoud@example.org",
    ),
    CouncilSpec(
        "wijkraad-noord",
        "Wijkraad Noord",
        Wijkraad.Kind.WIJKRAAD,
        ("WK085543", "WK085544", "WK085542"),
        "wijkraad-noord@example.org",
    ),
    CouncilSpec(
        "dorpsraad-udenhout",
        "Dorpsraad Udenhout",
        Wijkraad.Kind.DORPSRAAD,
        ("WK085567",),
        "dorpsraad-udenhout@example.org",
    ),
    CouncilSpec(
        "wijkraad-binnenstad",
        "Wijkraad Binnenstad",
        Wijkraad.Kind.WIJKRAAD,
        ("WK085510",),
        "wijkraad-binnenstad@example.org",
    ),
)


# --- Alliances, pacts and collaborations --------------------------------------------------


class AllianceSpec(NamedTuple):
    slug: str
    name: str
    parent: str | None
    description: str
    members: tuple[str, ...]
    focus_gebiedsteams: tuple[str, ...]
    focus_wijken: tuple[str, ...]


ALL_PARTNERS = (
    "gemeente-tilburg",
    "wonenbreburg",
    "tbv-wonen",
    "tiwos",
    "contourdetwern",
    "de-toegang",
    "politie",
)

ALLIANCES: tuple[AllianceSpec, ...] = (
    AllianceSpec(
        "stedelijke-alliantie",
        "Stedelijke Alliantie",
        None,
        "De gemeente en de maatschappelijke partners werken samen aan ingewikkelde vragen en "
        "grote opgaven in de hele stad. Zo versterken ze het wijkgericht werken.",
        ALL_PARTNERS,
        (),
        (),
    ),
    AllianceSpec(
        "kernalliantie",
        "Kernalliantie",
        "stedelijke-alliantie",
        "Op een paar plekken is meer nodig: in Noord, in West en in de wijk Groenewoud. Daar "
        "investeren de partners van de Kernalliantie extra, voor een lange tijd.",
        ("gemeente-tilburg", "wonenbreburg", "contourdetwern", "de-toegang", "politie"),
        ("noord", "west"),
        ("WK085532",),
    ),
)


class CommitmentSpec(NamedTuple):
    organisation: str
    text: str
    signed_by: str
    signed_on: dt.date


class PactSpec(NamedTuple):
    slug: str
    name: str
    gebiedsteam: str
    wijken: tuple[str, ...]
    approach: str
    period: tuple[dt.date, dt.date | None]
    summary: str
    text: str
    commitments: tuple[CommitmentSpec, ...]


PACTS: tuple[PactSpec, ...] = (
    PactSpec(
        "pact-groenewoud",
        "Pact Groenewoud",
        "oud-zuid-west-zuid",
        ("WK085532",),
        "Systemisch Samenwerken",
        (dt.date(2019, 9, 1), dt.date(2027, 12, 31)),
        "Alle wijkpartners in Groenewoud werken als één team aan de wijk.",
        "## Waarom een pact\n\n"
        "In 2018 en 2019 volgden alle wijkpartners in Groenewoud samen een opleiding in "
        "Systemisch Samenwerken. Daaruit groeide dit pact: we kijken naar de hele wijk en niet "
        "alleen naar onze eigen opdracht.\n\n"
        "## Hoe we werken\n\n"
        "- Elke dinsdagochtend beginnen de wijkwerkers samen de dag in het wijkcentrum.\n"
        "- Elke maand werken ze in de Groenewoud Academie verder aan het pact.\n"
        "- Een paar keer per jaar kijkt de Ontwikkelgroep Groenewoud, met de managers van de "
        "partners, welke inzet de wijk nodig heeft.",
        (
            CommitmentSpec(
                "gemeente-tilburg",
                "De gemeente organiseert de Groenewoud Academie en zorgt dat er elke maand een "
                "leerbijeenkomst is.",
                "M. de Kort, directeur Wijken (fictief)",
                dt.date(2019, 9, 12),
            ),
            CommitmentSpec(
                "wonenbreburg",
                "WonenBreburg legt elk jaar huisbezoeken af bij huurders in Groenewoud en meldt "
                "zorgen direct bij het wijkteam.",
                "P. Aarts, manager Wonen (fictief)",
                dt.date(2019, 9, 12),
            ),
            CommitmentSpec(
                "contourdetwern",
                "ContourdeTwern houdt het wijkcentrum open als huiskamer van de wijk en "
                "ondersteunt bewonersinitiatieven.",
                "S. Willems, regiomanager (fictief)",
                dt.date(2019, 9, 12),
            ),
            CommitmentSpec(
                "de-toegang",
                "De Toegang heeft een vast aanspreekpunt voor zorg en ondersteuning in de wijk.",
                "R. Jansen, teamleider (fictief)",
                dt.date(2019, 9, 12),
            ),
            CommitmentSpec(
                "politie",
                "De wijkagent is elke week op vaste tijden in de wijk te vinden.",
                "L. Meulendijks, teamchef (fictief)",
                dt.date(2019, 9, 12),
            ),
        ),
    ),
    PactSpec(
        "pact-aanpak-west",
        "Pact-aanpak West",
        "west",
        ("WK085538", "WK085539", "WK085540", "WK085537", "WK085536", "WK085535"),
        "Innovatielabs: werken vanuit de energie van bewoners",
        (dt.date(2023, 1, 1), None),
        "Bewoners en partners in West bouwen samen aan een community van activiteiten die "
        "elkaar versterken.",
        "In West wilden bewoners en partners het echt anders doen dan in de gewone "
        "overleggen. In innovatielabs komen zij samen en kiezen zij waar de energie zit. De "
        "gemeente heeft daarop ook voor West een pact-aanpak gekozen.",
        (
            CommitmentSpec(
                "gemeente-tilburg",
                "De gemeente organiseert vier keer per jaar een innovatielab en helpt "
                "initiatieven op weg met een klein budget.",
                "M. de Kort, directeur Wijken (fictief)",
                dt.date(2023, 3, 1),
            ),
            CommitmentSpec(
                "contourdetwern",
                "ContourdeTwern begeleidt bewonersinitiatieven uit de innovatielabs.",
                "S. Willems, regiomanager (fictief)",
                dt.date(2023, 3, 1),
            ),
            CommitmentSpec(
                "wonenbreburg",
                "WonenBreburg stelt ruimte beschikbaar voor ontmoeting in haar complexen.",
                "P. Aarts, manager Wonen (fictief)",
                dt.date(2023, 3, 1),
            ),
        ),
    ),
    PactSpec(
        "pact-aanpak-noord",
        "Pact-aanpak Noord",
        "noord",
        ("WK085543", "WK085544", "WK085542"),
        "Pact-aanpak met Dichtbijteams",
        (dt.date(2023, 6, 1), None),
        "Partners in Noord spreken af wat zij samen doen voor de jeugd, voor veiligheid en "
        "voor wonen.",
        "Noord is een gebied van de Kernalliantie. Partners werken hier met een pact: "
        "duidelijke afspraken over wie wat doet. In Berkdijk werkt een Dichtbijteam, met de "
        "basisscholen aan tafel.",
        (
            CommitmentSpec(
                "gemeente-tilburg",
                "De gemeente leidt het Dichtbijteam Berkdijk en brengt de partners elke week "
                "samen.",
                "M. de Kort, directeur Wijken (fictief)",
                dt.date(2023, 6, 15),
            ),
            CommitmentSpec(
                "basisscholen-berkdijk",
                "De basisscholen melden zorgen over kinderen vroeg en doen mee aan het "
                "casusoverleg.",
                "A. van Loon, directeur (fictief)",
                dt.date(2023, 6, 15),
            ),
            CommitmentSpec(
                "politie",
                "De wijkagenten delen wekelijks signalen met het Dichtbijteam.",
                "L. Meulendijks, teamchef (fictief)",
                dt.date(2023, 6, 15),
            ),
            CommitmentSpec(
                "wonenbreburg",
                "WonenBreburg vernieuwt portiekwoningen in Stokhasselt en betrekt de bewoners "
                "bij de plannen.",
                "P. Aarts, manager Wonen (fictief)",
                dt.date(2023, 6, 15),
            ),
        ),
    ),
)


class CollaborationSpec(NamedTuple):
    slug: str
    name: str
    kind: str
    gebiedsteam: str
    wijken: tuple[str, ...]
    organisations: tuple[str, ...]
    description: str
    rhythm: str


C = Collaboration.Kind

COLLABORATIONS: tuple[CollaborationSpec, ...] = (
    CollaborationSpec(
        "dichtbijteam-berkdijk",
        "Dichtbijteam Berkdijk",
        C.DICHTBIJTEAM,
        "noord",
        (),
        ("gemeente-tilburg", "wonenbreburg", "contourdetwern", "politie", "basisscholen-berkdijk"),
        "Wijkpartners en de basisscholen pakken samen de problemen in de buurt Berkdijk aan, "
        "vooral die van jongeren.",
        "elke week",
    ),
    CollaborationSpec(
        "dichtbijteam-zorgvlied-zuid",
        "Dichtbijteam Zorgvlied Zuid",
        C.DICHTBIJTEAM,
        "west",
        ("WK085536",),
        ("gemeente-tilburg", "contourdetwern", "politie", "wonenbreburg"),
        "Het innovatielab in Zorgvlied Zuid is een Dichtbijteam geworden. De wijkraad helpt "
        "mee aan initiatieven die Zorgvlied Zuid en Noord meer verbinden.",
        "om de week",
    ),
    CollaborationSpec(
        "innovatielab-west",
        "Innovatielab West",
        C.INNOVATIELAB,
        "west",
        ("WK085538", "WK085539", "WK085540", "WK085537"),
        ("gemeente-tilburg", "contourdetwern", "wonenbreburg"),
        "Bewoners en partners bouwen aan een community waarin activiteiten elkaar vinden. Het "
        "lab volgt de energie van de deelnemers.",
        "vier keer per jaar",
    ),
    CollaborationSpec(
        "groenewoud-academie",
        "Groenewoud Academie",
        C.ACADEMIE,
        "oud-zuid-west-zuid",
        ("WK085532",),
        ("gemeente-tilburg", "wonenbreburg", "contourdetwern", "de-toegang", "politie"),
        "De wijkwerkers ontwikkelen hier samen het Pact Groenewoud verder.",
        "elke maand",
    ),
    CollaborationSpec(
        "ontwikkelgroep-groenewoud",
        "Ontwikkelgroep Groenewoud",
        C.ONTWIKKELGROEP,
        "oud-zuid-west-zuid",
        ("WK085532",),
        ("gemeente-tilburg", "wonenbreburg", "contourdetwern", "de-toegang", "politie"),
        "Managers van de partners kijken welke inzet de wijk nodig heeft.",
        "een paar keer per jaar",
    ),
    CollaborationSpec(
        "vierhoeksoverleg-jeruzalem",
        "Vierhoeksoverleg Jeruzalem",
        C.VIERHOEKSOVERLEG,
        "zuid-oost",
        ("WK085513",),
        ("gemeente-tilburg", "contourdetwern", "tiwos", "bewoners-belang-jeruzalem"),
        "Gemeente, ContourdeTwern, Tiwos en Bewoners Belang Jeruzalem komen vast samen om op "
        "tijd van elkaars belangen te weten, bijvoorbeeld bij nieuwbouw rond de "
        "Beemsterstraat en Betuwestraat.",
        "elke zes weken",
    ),
    CollaborationSpec(
        "kwartiermakers-loven-zuid",
        "Kwartiermakers Loven Zuid",
        C.KWARTIERMAKERS,
        "oud-noord",
        ("WK085526",),
        ("gemeente-tilburg", "contourdetwern", "wonenbreburg"),
        "Netwerkpartners gaan in gesprek met bewoners, professionals, dwarsdenkers en "
        "frisse kijkers.",
        "regelmatig",
    ),
)


# --- Visions --------------------------------------------------------------------------------

VISIONS: dict[str, tuple[str, str]] = {
    "binnenstad": (
        "Binnenstad 2035: een levendig hart om in te wonen",
        "In 2035 is de binnenstad een plek waar je woont, werkt en elkaar ontmoet. Er is meer "
        "groen en schaduw. Winkels en horeca blijven belangrijk, maar er komen ook meer "
        "woningen boven de winkels.\n\n"
        "We zorgen dat uitgaan en wonen goed samengaan: met duidelijke afspraken en een "
        "wijkagent die iedereen kent.",
    ),
    "oud-noord": (
        "Oud-Noord 2035: sterke buurten met een eigen gezicht",
        "Oud-Noord heeft oude arbeiderswijken met een sterk eigen karakter. In 2035 zijn de "
        "woningen beter en zuiniger. Niemand hoeft zich eenzaam te voelen: woonconsulenten, "
        "welzijn en bewoners letten samen op elkaar.\n\n"
        "Partners werken met één stip op de horizon en pakken sociale problemen samen aan.",
    ),
    "noord": (
        "Noord 2035: kansrijk opgroeien in een groene wijk",
        "Noord is een jong stadsdeel. In 2035 groeit elk kind hier op met goede kansen: op "
        "school, thuis en op straat. Dichtbijteams zijn er waar het nodig is.\n\n"
        "Als gebied van de Kernalliantie investeren partners hier lang en samen. De parken "
        "worden plekken om te bewegen en elkaar te ontmoeten.",
    ),
    "west": (
        "West 2035: samen doen wat werkt",
        "In West bepalen bewoners mee waar de energie naartoe gaat. In 2035 heeft elke buurt "
        "een plek om elkaar te ontmoeten. Jongeren hebben iets te doen en hulp is dichtbij.\n\n"
        "De innovatielabs blijven de motor: wat werkt, houden we vast. Wat niet werkt, "
        "durven we te stoppen.",
    ),
    "reeshof": (
        "Reeshof 2035: een complete stad in de stad",
        "De Reeshof is groot en nog jong. In 2035 zijn de voorzieningen op orde: winkels, "
        "zorg, sport en ontmoeting dicht bij huis. De wijkcentra zijn de plekken waar "
        "bewoners en partners elkaar vinden.",
    ),
    "zuid-oost": (
        "Zuid-Oost 2035: bewoners praten mee over hun buurt",
        "In Zuid-Oost willen bewoners op tijd meepraten over nieuwbouw en de inrichting van "
        "hun buurt. In 2035 is dat gewoon geworden: gemeente, corporaties, welzijn en "
        "bewonersorganisaties trekken samen op, zoals in het vierhoeksoverleg in Jeruzalem.",
    ),
    "oud-zuid-west-zuid": (
        "Oud-Zuid West & Zuid 2035: Groenewoud als voorbeeld",
        "De wijkpartners in Groenewoud laten zien hoe samenwerken over de grenzen van "
        "organisaties gaat. In 2035 werken alle wijken in dit gebied zo. Bewoners merken dat "
        "aan korte lijnen en hulp die aansluit bij hun leven.",
    ),
    "dorpen": (
        "Dorpen 2035: vitale dorpen met eigen kracht",
        "Berkel-Enschot, Udenhout en Biezenmortel blijven levendige dorpen. In 2035 is er een "
        "passende woning voor jong en oud. Verenigingen en vrijwilligers zijn sterk. Het "
        "buitengebied blijft groen en goed bereikbaar.",
    ),
}


# --- Agendas --------------------------------------------------------------------------------


class ItemSpec(NamedTuple):
    key: str
    theme: str
    kind: str
    title: str
    description: str
    lead: str | None


class UpdateSpec(NamedTuple):
    days: int  # relative to the day of loading; negative is in the past
    text: str
    status: str
    progress: int
    is_result: bool = False
    author: str | None = None  # e-mail of a demo person


class ActionSpec(NamedTuple):
    title: str
    item: str
    owner: str
    contact: tuple[str, str]
    status: str
    progress: int
    start: int
    due: int
    description: str = ""
    location: str | None = None  # wijk code: the action lies at that wijk's label point
    budget: int | None = None
    commitment: str | None = None  # (pact slug, organisation slug) as "pact/organisation"
    result: str = ""
    updates: tuple[UpdateSpec, ...] = ()


class ReportSpec(NamedTuple):
    """A report on a comment, left open for the demo's moderator."""

    reporter: str
    reason: str
    days: int = 0


class CommentSpec(NamedTuple):
    author: str
    body: str
    is_team_response: bool = False
    reply: CommentSpec | None = None
    days: int = 0
    report: ReportSpec | None = None


class AdviceSpec(NamedTuple):
    wijkraad: str
    deadline: int
    verdict: str = ""
    text: str = ""
    submitted: int | None = None
    submitted_by: str | None = None
    response: str = ""
    responded: int | None = None
    responded_by: str | None = None


class ProposalSpec(NamedTuple):
    slug: str
    title: str
    body: str
    status: str
    opens: int
    closes: int
    items: tuple[str, ...] = ()
    location: str | None = None
    author: str | None = None
    decision: str = ""
    input_feedback: str = ""
    decided: int | None = None
    comments: tuple[CommentSpec, ...] = ()
    advice: AdviceSpec | None = None
    actions: tuple[str, ...] = ()
    audience: str = Proposal.Audience.WIJKRADEN


class MeetingSpec(NamedTuple):
    kind: str
    title: str
    description: str
    days: int
    start: tuple[int, int]
    hours: float
    place: str
    address: str
    location: str | None = None
    minutes: str = ""
    proposals: tuple[str, ...] = ()
    # Residents sign up on the meeting's page; `capacity` None: no limit.
    sign_up: bool = False
    capacity: int | None = None


class AgendaSpec(NamedTuple):
    slug: str
    title: str
    kind: str
    gebiedsteam: str
    wijken: tuple[str, ...]
    summary: str
    items: tuple[ItemSpec, ...]
    plan_title: str
    plan_description: str
    actions: tuple[ActionSpec, ...]
    proposals: tuple[ProposalSpec, ...]
    meetings: tuple[MeetingSpec, ...]


OPEN = Proposal.Status.OPEN
DECIDED = Proposal.Status.DECIDED
M = Meeting.Kind

WEST = AgendaSpec(
    slug="wijkagenda-west-het-zand-wandelbos-de-reit",
    title="Wijkagenda West: Het Zand, Wandelbos en De Reit",
    kind="wijk",
    gebiedsteam="west",
    wijken=("WK085538", "WK085539", "WK085540", "WK085537"),
    summary=(
        "In Het Zand, Wandelbos Noord, Wandelbos Zuid en De Reit wonen bijna 28.000 mensen. "
        "Bewoners willen een buurt waar je elkaar kent, waar kinderen veilig buiten spelen en "
        "waar hulp dichtbij is.\n\n"
        "In de innovatielabs bedenken bewoners en partners samen wat beter kan. Wij kiezen "
        "voor vier dingen: meer ontmoeten, gezond opgroeien, veilige straten en goede "
        "huizen. Op deze pagina ziet u wat we doen en hoe ver we zijn."
    ),
    items=(
        ItemSpec(
            "huiskamer",
            "samenleven-ontmoeten",
            AMBITION,
            "Een huiskamer in elke buurt",
            "Bewoners willen dicht bij huis een plek om koffie te drinken en elkaar te helpen.",
            "contourdetwern",
        ),
        ItemSpec(
            "jongeren",
            "opgroeien-onderwijs",
            PARTNER,
            "Meer te doen voor jongeren na schooltijd",
            "Jongerenwerk en sportclubs zorgen voor activiteiten in de avond en het weekend.",
            "contourdetwern",
        ),
        ItemSpec(
            "routes",
            "veiligheid",
            MUNICIPAL,
            "Veilige routes naar school en winkelcentrum",
            "De gemeente pakt gevaarlijke oversteekplekken aan.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "woningen",
            "wonen",
            PARTNER,
            "Huurwoningen beter onderhouden en zuiniger maken",
            "De corporatie verbetert woningen en helpt huurders energie te besparen.",
            "wonenbreburg",
        ),
        ItemSpec(
            "bewegen",
            "gezondheid-zorg",
            AMBITION,
            "Samen bewegen in het Wandelbos",
            "Bewoners willen wandel- en sportgroepen in het park, voor jong en oud.",
            "contourdetwern",
        ),
        ItemSpec(
            "geldzorgen",
            "werk-inkomen",
            MUNICIPAL,
            "Hulp bij geldzorgen dichtbij",
            "Wie moeite heeft met rondkomen, vindt snel hulp in de eigen wijk.",
            "de-toegang",
        ),
        ItemSpec(
            "groen",
            "leefomgeving-groen",
            AMBITION,
            "Groene en schone straten",
            "Bewoners adopteren boomvakken en houden samen hun straat schoon.",
            "gemeente-tilburg",
        ),
    ),
    plan_title="Uitvoeringsplan West 2026–2027",
    plan_description="Wat we in 2026 en 2027 doen voor de wijkagenda van West.",
    actions=(
        ActionSpec(
            "Wekelijkse buurthuiskamer in de Kruidenbuurt",
            "huiskamer",
            "contourdetwern",
            ("Mirjam Kuipers", "mirjam.kuipers@example.org"),
            IN_PROGRESS,
            60,
            -200,
            40,
            "Elke woensdag is de huiskamer open, met vrijwilligers uit de buurt.",
            location="WK085539",
            budget=12000,
            commitment="pact-aanpak-west/contourdetwern",
            updates=(
                UpdateSpec(
                    -150,
                    "De eerste vrijwilligers zijn gevonden.",
                    IN_PROGRESS,
                    20,
                    False,
                    "mirjam.kuipers@example.org",
                ),
                UpdateSpec(
                    -30,
                    "De huiskamer is nu elke woensdag open. Er komen gemiddeld 25 mensen.",
                    IN_PROGRESS,
                    60,
                    True,
                    "mirjam.kuipers@example.org",
                ),
            ),
        ),
        ActionSpec(
            "Innovatielab: drie bewonersinitiatieven op weg helpen",
            "huiskamer",
            "gemeente-tilburg",
            ("Noor Vermeulen", "noor.vermeulen@example.org"),
            DONE,
            100,
            -300,
            -30,
            "Drie ideeën uit het innovatielab krijgen hulp en een klein budget.",
            commitment="pact-aanpak-west/gemeente-tilburg",
            result="Een repaircafé, een taalmaatje-project en een buurtmoestuin zijn gestart.",
            updates=(
                UpdateSpec(
                    -35,
                    "Alle drie initiatieven draaien zelfstandig. Feest in het wijkcentrum!",
                    DONE,
                    100,
                    True,
                    "noor.vermeulen@example.org",
                ),
            ),
        ),
        ActionSpec(
            "Jongerenwerk op vrijdagavond in Het Zand",
            "jongeren",
            "contourdetwern",
            ("Sem Aydin", "sem.aydin@example.org"),
            DELAYED,
            30,
            -150,
            -10,
            location="WK085538",
            updates=(
                UpdateSpec(
                    -12,
                    "Vertraagd: we hebben nog geen geschikte ruimte. We praten met de school.",
                    DELAYED,
                    30,
                ),
            ),
        ),
        ActionSpec(
            "Oversteekplaats bij de Ringbaan-West veiliger maken",
            "routes",
            "gemeente-tilburg",
            ("Noor Vermeulen", "noor.vermeulen@example.org"),
            PLANNED,
            0,
            20,
            120,
            "Een middeneiland en betere verlichting bij de oversteek naar school.",
            location="WK085538",
            budget=85000,
        ),
        ActionSpec(
            "Energiecoach bij 200 huurwoningen",
            "woningen",
            "wonenbreburg",
            ("Daan Hoeks", "daan.hoeks@example.org"),
            IN_PROGRESS,
            45,
            -90,
            9,
            "Een energiecoach komt langs en geeft tips en gratis bespaarspullen.",
            updates=(UpdateSpec(-20, "90 huishoudens zijn bezocht.", IN_PROGRESS, 45),),
        ),
        ActionSpec(
            "Spreekuur geldzorgen in het wijkcentrum",
            "geldzorgen",
            "de-toegang",
            ("Fleur Bos", "fleur.bos@example.org"),
            STOPPED,
            20,
            -250,
            -60,
            updates=(
                UpdateSpec(
                    -70,
                    "Gestopt: er kwamen weinig mensen. De hulp zit nu in de buurthuiskamer.",
                    STOPPED,
                    20,
                ),
            ),
        ),
        ActionSpec(
            "Samen wandelen in het Wandelbos, elke zaterdag",
            "bewegen",
            "contourdetwern",
            ("Mirjam Kuipers", "mirjam.kuipers@example.org"),
            DONE,
            100,
            -120,
            -20,
            location="WK085540",
            result="Een vaste wandelgroep van 15 bewoners loopt elke zaterdag.",
            updates=(UpdateSpec(-21, "De wandelgroep gaat zelfstandig verder.", DONE, 100, True),),
        ),
    ),
    proposals=(
        ProposalSpec(
            slug="speelplek-kleurenbuurt-opnieuw-inrichten",
            title="Speelplek in de Kleurenbuurt opnieuw inrichten",
            body=(
                "De speelplek in de Kleurenbuurt is oud. We willen nieuwe toestellen, meer "
                "groen en bankjes voor ouders.\n\n"
                "**Wat vindt u ervan?** Laat het ons weten voor de reactietermijn sluit."
            ),
            status=OPEN,
            opens=-6,
            closes=15,
            items=("groen", "jongeren"),
            location="WK085540",
            author="noor.vermeulen@example.org",
            audience=Proposal.Audience.RESIDENTS,
            comments=(
                CommentSpec(
                    "hanneke.wouters@example.org",
                    "Fijn plan. Denk ook aan kinderen die niet goed kunnen lopen.",
                    days=-4,
                    reply=CommentSpec(
                        "noor.vermeulen@example.org",
                        "Goed punt. We vragen de ontwerper om een toestel dat voor iedereen werkt.",
                        is_team_response=True,
                        days=-3,
                    ),
                ),
                CommentSpec(
                    "fatima.elamrani@example.org",
                    "Mijn kinderen spelen er elke dag. Kan er een watertappunt bij komen? "
                    "In de zomer is het er heel warm.",
                    days=-2,
                    reply=CommentSpec(
                        "noor.vermeulen@example.org",
                        "We nemen een watertappunt mee in het ontwerp en laten u weten of "
                        "het past.",
                        is_team_response=True,
                        days=-1,
                    ),
                ),
            ),
            advice=AdviceSpec("wijkraad-west", deadline=20),
        ),
        ProposalSpec(
            slug="groen-en-parkeren-westermarkt",
            title="Meer groen en minder parkeerplekken bij de Westermarkt",
            body="We willen twaalf parkeerplekken vervangen door bomen en een zitplek.",
            status=DECIDED,
            opens=-120,
            closes=-90,
            items=("groen",),
            location="WK085538",
            author="noor.vermeulen@example.org",
            decision=(
                "We planten acht bomen en maken een zitplek. Er verdwijnen acht in plaats van "
                "twaalf parkeerplekken."
            ),
            input_feedback=(
                "Veel bewoners wilden meer groen, maar winkeliers maakten zich zorgen over "
                "parkeren. Daarom halen we minder plekken weg dan eerst gepland. De wijkraad "
                "vroeg om een plek voor de markt: die blijft vrij."
            ),
            decided=-60,
            comments=(
                CommentSpec(
                    "hanneke.wouters@example.org",
                    "Zorg dat de markt op woensdag genoeg ruimte houdt.",
                    days=-110,
                ),
            ),
            advice=AdviceSpec(
                "wijkraad-west",
                deadline=-85,
                verdict="conditional",
                text="Positief, als de markt genoeg ruimte houdt.",
                submitted=-92,
                submitted_by="hanneke.wouters@example.org",
                response="We houden de marktplek vrij en halen minder parkeerplekken weg.",
                responded=-60,
                responded_by="noor.vermeulen@example.org",
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            M.INNOVATIELAB,
            "Innovatielab West: wat gaan we samen doen in 2027?",
            "Bewoners en partners kiezen samen de plannen voor volgend jaar. Iedereen is welkom.",
            10,
            (19, 30),
            2,
            "Wijkcentrum in Het Zand",
            "Tilburg West",
            location="WK085538",
            sign_up=True,
            capacity=60,
        ),
        MeetingSpec(
            M.WIJKDIALOOG,
            "Wijkdialoog over de Westermarkt",
            "Gesprek over groen en parkeren bij de Westermarkt.",
            -100,
            (19, 0),
            2,
            "Wijkcentrum in Het Zand",
            "Tilburg West",
            location="WK085538",
            minutes="Ruim 40 bewoners en winkeliers praatten mee. De punten staan bij het "
            "voorstel.",
            proposals=("groen-en-parkeren-westermarkt",),
        ),
        MeetingSpec(
            M.WIJKRAAD,
            "Vergadering Wijkraad West",
            "Openbare vergadering. Op de agenda: de speelplek in de Kleurenbuurt.",
            8,
            (20, 0),
            1.5,
            "Wijkcentrum in Wandelbos",
            "Tilburg West",
            location="WK085539",
            proposals=("speelplek-kleurenbuurt-opnieuw-inrichten",),
        ),
    ),
)


GROENEWOUD = AgendaSpec(
    slug="wijkagenda-groenewoud",
    title="Wijkagenda Groenewoud",
    kind="wijk",
    gebiedsteam="oud-zuid-west-zuid",
    wijken=("WK085532",),
    summary=(
        "In Groenewoud wonen ruim 7.000 mensen. Veel gezinnen, veel jongeren en mensen uit "
        "allerlei landen. Sinds 2019 werken alle wijkpartners samen in het Pact Groenewoud.\n\n"
        "Wij werken als één team: we kijken naar de hele wijk en niet alleen naar onze eigen "
        "taak. Elke dinsdagochtend beginnen de wijkwerkers samen in het wijkcentrum. Zo weet "
        "u bij wie u terecht kunt."
    ),
    items=(
        ItemSpec(
            "kennen",
            "samenleven-ontmoeten",
            AMBITION,
            "Elkaar kennen in de straat",
            "Bewoners willen buren beter leren kennen, bijvoorbeeld met straatfeesten.",
            "contourdetwern",
        ),
        ItemSpec(
            "start",
            "opgroeien-onderwijs",
            PARTNER,
            "Elk kind een goede start",
            "Scholen, welzijn en zorg helpen ouders en kinderen vroeg.",
            "contourdetwern",
        ),
        ItemSpec(
            "overlast",
            "veiligheid",
            PARTNER,
            "Minder overlast in de Vogeltjesbuurt",
            "De wijkagent en partners pakken overlast samen met bewoners aan.",
            "politie",
        ),
        ItemSpec(
            "huurwoningen",
            "wonen",
            PARTNER,
            "Goede huurwoningen en oog voor elkaar",
            "Bij huisbezoeken let de corporatie ook op zorgen achter de voordeur.",
            "wonenbreburg",
        ),
        ItemSpec(
            "hulp",
            "gezondheid-zorg",
            MUNICIPAL,
            "Hulp dichtbij, via één aanspreekpunt",
            "Inwoners hoeven hun verhaal maar één keer te vertellen.",
            "de-toegang",
        ),
        ItemSpec(
            "werk",
            "werk-inkomen",
            MUNICIPAL,
            "Werk en vrijwilligerswerk in de wijk",
            "De gemeente zoekt samen met bewoners naar werk en vrijwilligerswerk dichtbij.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "energie",
            "energietransitie",
            PARTNER,
            "Energierekening omlaag",
            "Huurders krijgen hulp om energie te besparen.",
            "wonenbreburg",
        ),
    ),
    plan_title="Uitvoeringsplan Groenewoud 2026–2027",
    plan_description="De afspraken uit het Pact Groenewoud, uitgewerkt in acties.",
    actions=(
        ActionSpec(
            "Groenewoud Academie: elke maand een leerbijeenkomst",
            "hulp",
            "gemeente-tilburg",
            ("Bram Dekkers", "bram.dekkers@example.org"),
            IN_PROGRESS,
            70,
            -320,
            40,
            commitment="pact-groenewoud/gemeente-tilburg",
            updates=(
                UpdateSpec(
                    -25,
                    "Tien bijeenkomsten gehouden. Thema dit jaar: samen omgaan met geldzorgen.",
                    IN_PROGRESS,
                    70,
                    False,
                    "bram.dekkers@example.org",
                ),
            ),
        ),
        ActionSpec(
            "Dinsdagochtendstart in het wijkcentrum vast invoeren",
            "kennen",
            "contourdetwern",
            ("Mirjam Kuipers", "mirjam.kuipers@example.org"),
            DONE,
            100,
            -280,
            -100,
            commitment="pact-groenewoud/contourdetwern",
            location="WK085532",
            result="Elke dinsdag starten 15 tot 20 wijkwerkers samen de dag.",
            updates=(
                UpdateSpec(-100, "De dinsdagochtendstart is een vaste gewoonte.", DONE, 100, True),
            ),
        ),
        ActionSpec(
            "Achter de voordeur: 150 huisbezoeken",
            "huurwoningen",
            "wonenbreburg",
            ("Daan Hoeks", "daan.hoeks@example.org"),
            IN_PROGRESS,
            55,
            -120,
            12,
            commitment="pact-groenewoud/wonenbreburg",
            location="WK085532",
            updates=(UpdateSpec(-15, "82 huisbezoeken gedaan.", IN_PROGRESS, 55),),
        ),
        ActionSpec(
            "Spreekuur van de wijkagent in de Vogeltjesbuurt",
            "overlast",
            "politie",
            ("Wijkagent Groenewoud", "wijkagent.groenewoud@example.org"),
            DELAYED,
            25,
            -90,
            -14,
            commitment="pact-groenewoud/politie",
            updates=(
                UpdateSpec(-16, "Vertraagd door te weinig bezetting in het team.", DELAYED, 25),
            ),
        ),
        ActionSpec(
            "Ouderkamer op de basisschool",
            "start",
            "contourdetwern",
            ("Mirjam Kuipers", "mirjam.kuipers@example.org"),
            PLANNED,
            0,
            30,
            200,
        ),
        ActionSpec(
            "Zorgspreekuur op zaterdag",
            "hulp",
            "de-toegang",
            ("Fleur Bos", "fleur.bos@example.org"),
            STOPPED,
            10,
            -200,
            -40,
            commitment="pact-groenewoud/de-toegang",
            updates=(
                UpdateSpec(
                    -45,
                    "Gestopt: het vaste aanspreekpunt doordeweeks werkt beter.",
                    STOPPED,
                    10,
                ),
            ),
        ),
        ActionSpec(
            "Energiebox voor 100 huishoudens",
            "energie",
            "wonenbreburg",
            ("Daan Hoeks", "daan.hoeks@example.org"),
            DONE,
            100,
            -180,
            -50,
            budget=15000,
            result="104 huishoudens kregen een energiebox en advies.",
            updates=(UpdateSpec(-50, "Klaar: 104 energieboxen uitgedeeld.", DONE, 100, True),),
        ),
    ),
    proposals=(
        ProposalSpec(
            slug="ontmoetingsplek-visserijbuurt",
            title="Nieuwe ontmoetingsplek in de Visserijbuurt",
            body="We willen een leeg grasveld in de Visserijbuurt inrichten met bankjes, een "
            "jeu-de-boulesbaan en een plek voor buurtfeesten.",
            status=OPEN,
            opens=-3,
            closes=18,
            items=("kennen",),
            location="WK085532",
            author="bram.dekkers@example.org",
            comments=(
                CommentSpec(
                    "karim.benali@example.org",
                    "Goed idee. Kunnen er ook een paar speeltoestellen komen?",
                    days=-2,
                ),
            ),
            advice=AdviceSpec("wijkraad-groenewoud", deadline=25),
        ),
        ProposalSpec(
            slug="verkeersveiligheid-rond-de-scholen-groenewoud",
            title="Veiliger naar school in Groenewoud",
            body="We stellen voor om rond twee scholen een schoolzone te maken met lagere "
            "snelheid en een haal- en brengplek.",
            status=DECIDED,
            opens=-150,
            closes=-120,
            items=("start",),
            author="bram.dekkers@example.org",
            decision="Er komen twee schoolzones. De haal- en brengplek komt bij één school.",
            input_feedback=(
                "Ouders vroegen om oversteekhulp: die regelen we met vrijwilligers. Bewoners "
                "van de straat wilden geen extra parkeerplekken, daarom komt er bij één school "
                "geen haal- en brengplek."
            ),
            decided=-80,
            advice=AdviceSpec(
                "wijkraad-groenewoud",
                deadline=-115,
                verdict="positive",
                text="De wijkraad steunt het voorstel.",
                submitted=-118,
                submitted_by="karim.benali@example.org",
                response="Dank voor het advies. We voeren het voorstel uit.",
                responded=-80,
                responded_by="bram.dekkers@example.org",
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            M.ACADEMIE,
            "Groenewoud Academie: samen leren",
            "Maandelijkse bijeenkomst van de wijkwerkers over het Pact Groenewoud.",
            12,
            (9, 0),
            3,
            "Wijkcentrum Groenewoud",
            "Groenewoud, Tilburg",
            location="WK085532",
        ),
        MeetingSpec(
            M.ACADEMIE,
            "Groenewoud Academie: geldzorgen herkennen",
            "Wijkwerkers oefenen met het herkennen van geldzorgen.",
            -18,
            (9, 0),
            3,
            "Wijkcentrum Groenewoud",
            "Groenewoud, Tilburg",
            location="WK085532",
            minutes="Afspraak: elke partner vraagt bij huisbezoeken naar rondkomen.",
        ),
        MeetingSpec(
            M.INLOOP,
            "Inloop: praat mee over de ontmoetingsplek",
            "Loop binnen, bekijk de tekeningen en zeg wat u ervan vindt.",
            5,
            (15, 0),
            2,
            "Wijkcentrum Groenewoud",
            "Groenewoud, Tilburg",
            location="WK085532",
            proposals=("ontmoetingsplek-visserijbuurt",),
        ),
    ),
)


NOORD = AgendaSpec(
    slug="wijkagenda-noord-heikant-quirijnstok-stokhasselt",
    title="Wijkagenda Noord: Heikant, Quirijnstok en Stokhasselt",
    kind="wijk",
    gebiedsteam="noord",
    wijken=("WK085543", "WK085544", "WK085542"),
    summary=(
        "In Heikant, Quirijnstok en Stokhasselt wonen bijna 24.000 mensen. Er wonen veel "
        "kinderen en jongeren. Noord hoort bij de Kernalliantie: partners investeren hier "
        "extra en voor lange tijd.\n\n"
        "Wij werken aan drie dingen: kinderen goed laten opgroeien, een veilige buurt en "
        "betere woningen. In Berkdijk werkt een Dichtbijteam samen met de basisscholen."
    ),
    items=(
        ItemSpec(
            "jeugd",
            "opgroeien-onderwijs",
            PARTNER,
            "Jeugd in Berkdijk: samen met de basisscholen",
            "Scholen en wijkpartners signaleren zorgen vroeg en pakken ze samen op.",
            "basisscholen-berkdijk",
        ),
        ItemSpec(
            "veilig",
            "veiligheid",
            PARTNER,
            "Minder overlast en criminaliteit",
            "Politie en gemeente pakken overlast en ondermijning aan.",
            "politie",
        ),
        ItemSpec(
            "vernieuwing",
            "wonen",
            PARTNER,
            "Portiekwoningen in Stokhasselt vernieuwen",
            "De corporatie vernieuwt woningen en praat met bewoners over de plannen.",
            "wonenbreburg",
        ),
        ItemSpec(
            "ypelaer",
            "samenleven-ontmoeten",
            AMBITION,
            "De Ypelaer als plek voor iedereen",
            "Bewoners willen dat het wijkcentrum ook 's avonds open is.",
            "contourdetwern",
        ),
        ItemSpec(
            "banen",
            "werk-inkomen",
            MUNICIPAL,
            "Van uitkering naar werk, dichtbij huis",
            "De gemeente helpt mensen in de wijk aan werk of een opleiding.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "park",
            "leefomgeving-groen",
            AMBITION,
            "Quirijnstokpark: groen om in te bewegen",
            "Bewoners willen meer plekken om te sporten en te spelen in het park.",
            "gemeente-tilburg",
        ),
    ),
    plan_title="Uitvoeringsplan Noord 2026–2027",
    plan_description="Wat partners in Noord afspraken in de pact-aanpak.",
    actions=(
        ActionSpec(
            "Dichtbijteam Berkdijk: elke week casusoverleg",
            "jeugd",
            "gemeente-tilburg",
            ("Ilse van Gorp", "ilse.vangorp@example.org"),
            IN_PROGRESS,
            50,
            -240,
            60,
            commitment="pact-aanpak-noord/gemeente-tilburg",
            updates=(
                UpdateSpec(
                    -10,
                    "35 gezinnen kregen hulp via het Dichtbijteam.",
                    IN_PROGRESS,
                    50,
                    True,
                    "ilse.vangorp@example.org",
                ),
            ),
        ),
        ActionSpec(
            "Huiswerkbegeleiding in De Ypelaer",
            "jeugd",
            "contourdetwern",
            ("Mirjam Kuipers", "mirjam.kuipers@example.org"),
            DONE,
            100,
            -200,
            -40,
            location="WK085542",
            result="Elke week krijgen 40 kinderen huiswerkhulp van vrijwilligers.",
            updates=(UpdateSpec(-40, "De huiswerkklas loopt vast.", DONE, 100, True),),
        ),
        ActionSpec(
            "Cameratoezicht bij winkelcentrum Heikant evalueren",
            "veilig",
            "politie",
            ("Wijkagent Noord", "wijkagent.noord@example.org"),
            DELAYED,
            40,
            -100,
            -7,
            commitment="pact-aanpak-noord/politie",
            location="WK085543",
            updates=(UpdateSpec(-9, "Vertraagd: de cijfers komen later.", DELAYED, 40),),
        ),
        ActionSpec(
            "Banenmarkt in het VerHalenHuis",
            "banen",
            "gemeente-tilburg",
            ("Ilse van Gorp", "ilse.vangorp@example.org"),
            PLANNED,
            10,
            -20,
            7,
            "Werkgevers uit de regio zoeken nieuwe collega's in de wijk.",
        ),
        ActionSpec(
            "Renovatie van 120 portiekwoningen in Stokhasselt",
            "vernieuwing",
            "wonenbreburg",
            ("Daan Hoeks", "daan.hoeks@example.org"),
            IN_PROGRESS,
            35,
            -160,
            300,
            commitment="pact-aanpak-noord/wonenbreburg",
            location="WK085542",
            budget=4800000,
            updates=(UpdateSpec(-30, "De eerste 40 woningen zijn klaar.", IN_PROGRESS, 35),),
        ),
        ActionSpec(
            "Moestuin in het Quirijnstokpark",
            "park",
            "contourdetwern",
            ("Sem Aydin", "sem.aydin@example.org"),
            STOPPED,
            15,
            -180,
            -30,
            location="WK085544",
            updates=(
                UpdateSpec(
                    -60,
                    "Gestopt: de groep tuinders gaat verder bij de schooltuin.",
                    STOPPED,
                    15,
                ),
            ),
        ),
    ),
    proposals=(
        ProposalSpec(
            slug="speelveld-heikant-nieuwe-inrichting",
            title="Nieuwe inrichting van het speelveld in Heikant",
            body="Het speelveld krijgt een pannakooi, een klimrek en meer bomen.",
            status=OPEN,
            opens=-2,
            closes=19,
            items=("park", "jeugd"),
            location="WK085543",
            author="ilse.vangorp@example.org",
            audience=Proposal.Audience.EVERYONE,
            comments=(
                CommentSpec(
                    "yara.desmet@example.org",
                    "Kan de pannakooi ver genoeg van de huizen? Anders geeft het geluidsoverlast.",
                    days=-1,
                ),
                CommentSpec(
                    "joost.vanrijn@example.org",
                    "Ik woon aan het speelveld. Een klimrek is mooi, maar graag verlichting die "
                    "om tien uur uitgaat.",
                    days=-1,
                ),
            ),
            advice=AdviceSpec("wijkraad-noord", deadline=24),
        ),
        ProposalSpec(
            slug="ypelaer-ook-s-avonds-open",
            title="De Ypelaer ook 's avonds open",
            body="Het wijkcentrum gaat op dinsdag en donderdag open tot 22.00 uur.",
            status=DECIDED,
            opens=-140,
            closes=-110,
            items=("ypelaer",),
            author="ilse.vangorp@example.org",
            decision="De Ypelaer is vanaf nu op dinsdag en donderdag open tot 22.00 uur.",
            input_feedback=(
                "Bewoners vroegen ook om de vrijdag. Daar is nu geen geld voor; we kijken "
                "er na een half jaar opnieuw naar. De wijkraad vroeg om een vaste beheerder: "
                "die is er gekomen."
            ),
            decided=-70,
            advice=AdviceSpec(
                "wijkraad-noord",
                deadline=-105,
                verdict="conditional",
                text="Positief, als er 's avonds een vaste beheerder is.",
                submitted=-108,
                submitted_by="yara.desmet@example.org",
                response="Er is een vaste beheerder in de avond.",
                responded=-70,
                responded_by="ilse.vangorp@example.org",
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            M.WIJKDIALOOG,
            "Wijkdialoog Noord: wat heeft de jeugd nodig?",
            "Jongeren, ouders en partners praten over wat er beter kan.",
            14,
            (19, 0),
            2,
            "Wijkcentrum De Ypelaer",
            "Corellistraat 10, Tilburg",
            location="WK085542",
        ),
        MeetingSpec(
            M.INLOOP,
            "Inloop in het VerHalenHuis",
            "Vragen over de wijk? Het gebiedsteam Noord is er voor u.",
            3,
            (10, 0),
            2,
            "VerHalenHuis",
            "Wagnerplein 4, Tilburg",
        ),
        MeetingSpec(
            M.WIJKRAAD,
            "Vergadering Wijkraad Noord",
            "Openbare vergadering over de openingstijden van De Ypelaer.",
            -115,
            (19, 30),
            2,
            "Wijkcentrum De Ypelaer",
            "Corellistraat 10, Tilburg",
            location="WK085542",
            minutes="De wijkraad geeft positief advies met een voorwaarde: een vaste beheerder.",
            proposals=("ypelaer-ook-s-avonds-open",),
        ),
    ),
)


UDENHOUT = AgendaSpec(
    slug="dorpsagenda-udenhout",
    title="Dorpsagenda Udenhout",
    kind="dorp",
    gebiedsteam="dorpen",
    wijken=("WK085567",),
    summary=(
        "Udenhout is een dorp met bijna 9.000 inwoners, veel verenigingen en veel groen "
        "eromheen. Inwoners willen dat het dorp levendig blijft, voor jong en oud.\n\n"
        "Daarom werken we aan woningen voor starters en ouderen, veilige fietsroutes, "
        "sterke verenigingen en zorg dichtbij."
    ),
    items=(
        ItemSpec(
            "woningen",
            "wonen",
            AMBITION,
            "Woningen voor jongeren en ouderen in het dorp",
            "Jongeren en ouderen willen in Udenhout kunnen blijven wonen.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "fiets",
            "leefomgeving-groen",
            MUNICIPAL,
            "Veilige fietsroute naar Tilburg",
            "Betere verlichting en een breder fietspad naar de stad.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "verenigingen",
            "samenleven-ontmoeten",
            AMBITION,
            "Sterke verenigingen en vrijwilligers",
            "Het dorp draait op vrijwilligers. Zij verdienen steun en waardering.",
            "contourdetwern",
        ),
        ItemSpec(
            "zorg",
            "gezondheid-zorg",
            PARTNER,
            "Zorg dichtbij voor ouderen",
            "Ouderen krijgen hulp en dagbesteding in het eigen dorp.",
            "de-toegang",
        ),
        ItemSpec(
            "zon",
            "energietransitie",
            AMBITION,
            "Zonnedaken op gebouwen in het dorp",
            "Inwoners willen samen zonne-energie opwekken.",
            "gemeente-tilburg",
        ),
    ),
    plan_title="Uitvoeringsplan Udenhout 2026–2027",
    plan_description="Wat we samen met de dorpsraad doen in 2026 en 2027.",
    actions=(
        ActionSpec(
            "Verkenning van een plek voor starterswoningen",
            "woningen",
            "gemeente-tilburg",
            ("Ruud Smits", "ruud.smits@example.org"),
            IN_PROGRESS,
            40,
            -180,
            90,
            updates=(
                UpdateSpec(
                    -40,
                    "Drie mogelijke plekken zijn onderzocht.",
                    IN_PROGRESS,
                    40,
                    False,
                    "ruud.smits@example.org",
                ),
            ),
        ),
        ActionSpec(
            "Verlichting op het fietspad naar Tilburg",
            "fiets",
            "gemeente-tilburg",
            ("Ruud Smits", "ruud.smits@example.org"),
            DELAYED,
            20,
            -120,
            -21,
            location="WK085567",
            budget=140000,
            updates=(UpdateSpec(-25, "Vertraagd: de aannemer begint later.", DELAYED, 20),),
        ),
        ActionSpec(
            "Vrijwilligersavond voor alle verenigingen",
            "verenigingen",
            "contourdetwern",
            ("Sem Aydin", "sem.aydin@example.org"),
            DONE,
            100,
            -90,
            -45,
            result="Ruim 120 vrijwilligers werden in het zonnetje gezet.",
            updates=(UpdateSpec(-45, "Geslaagde avond in het dorpshuis.", DONE, 100, True),),
        ),
        ActionSpec(
            "Dagbesteding voor ouderen in het dorpshuis",
            "zorg",
            "de-toegang",
            ("Fleur Bos", "fleur.bos@example.org"),
            PLANNED,
            5,
            -10,
            12,
            location="WK085567",
        ),
        ActionSpec(
            "Zonnepanelen op de sporthal",
            "zon",
            "gemeente-tilburg",
            ("Ruud Smits", "ruud.smits@example.org"),
            STOPPED,
            0,
            -200,
            -100,
            updates=(
                UpdateSpec(
                    -110,
                    "Gestopt: het dak is te zwak. We zoeken een ander dak.",
                    STOPPED,
                    0,
                ),
            ),
        ),
    ),
    proposals=(
        ProposalSpec(
            slug="verkeersmaatregelen-dorpskern-udenhout",
            title="Verkeersmaatregelen in de dorpskern",
            body="We stellen voor om in de dorpskern 30 km per uur in te voeren en twee "
            "drempels te plaatsen.",
            status=OPEN,
            opens=-5,
            closes=16,
            items=("fiets",),
            location="WK085567",
            author="ruud.smits@example.org",
            advice=AdviceSpec("dorpsraad-udenhout", deadline=21),
        ),
        ProposalSpec(
            slug="locatie-seniorenwoningen-udenhout",
            title="Plek voor nieuwe seniorenwoningen",
            body="Er is ruimte voor ongeveer 24 seniorenwoningen. We stellen twee plekken voor.",
            status=DECIDED,
            opens=-200,
            closes=-170,
            items=("woningen",),
            author="ruud.smits@example.org",
            decision="De seniorenwoningen komen op de plek dicht bij de winkels.",
            input_feedback=(
                "De meeste reacties kozen voor de plek dicht bij de winkels en de huisarts. "
                "Omwonenden vroegen om groen tussen de gebouwen: dat nemen we op in het plan."
            ),
            decided=-120,
            advice=AdviceSpec(
                "dorpsraad-udenhout",
                deadline=-165,
                verdict="positive",
                text="De dorpsraad kiest ook voor de plek bij de winkels.",
                submitted=-168,
                submitted_by="gerard.pijnappels@example.org",
                response="We volgen het advies van de dorpsraad.",
                responded=-120,
                responded_by="ruud.smits@example.org",
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            M.WIJKRAAD,
            "Openbare vergadering Dorpsraad Udenhout",
            "Op de agenda: verkeer in de dorpskern.",
            9,
            (20, 0),
            2,
            "Dorpshuis Udenhout",
            "Udenhout",
            location="WK085567",
            proposals=("verkeersmaatregelen-dorpskern-udenhout",),
        ),
        MeetingSpec(
            M.INLOOP,
            "Inloopavond seniorenwoningen",
            "Bekijk de twee plekken en geef uw mening.",
            -185,
            (19, 0),
            2,
            "Dorpshuis Udenhout",
            "Udenhout",
            location="WK085567",
            minutes="Ongeveer 80 inwoners kwamen langs.",
            proposals=("locatie-seniorenwoningen-udenhout",),
        ),
    ),
)


BINNENSTAD = AgendaSpec(
    slug="wijkagenda-binnenstad",
    title="Wijkagenda Binnenstad",
    kind="wijk",
    gebiedsteam="binnenstad",
    wijken=("WK085510",),
    summary=(
        "In de binnenstad wonen ruim 8.000 mensen, tussen winkels, horeca en kantoren. "
        "Bewoners willen een binnenstad die levendig is, maar ook rustig genoeg om te "
        "wonen.\n\n"
        "Wij werken aan meer groen en schaduw, uitgaan zonder overlast, wonen boven winkels "
        "en minder lege panden."
    ),
    items=(
        ItemSpec(
            "boven",
            "wonen",
            MUNICIPAL,
            "Wonen boven winkels",
            "De gemeente helpt eigenaren om lege verdiepingen om te bouwen tot woningen.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "uitgaan",
            "veiligheid",
            PARTNER,
            "Uitgaan zonder overlast",
            "Afspraken met horeca, politie en bewoners over rust in de nacht.",
            "politie",
        ),
        ItemSpec(
            "schaduw",
            "leefomgeving-groen",
            AMBITION,
            "Meer groen en schaduw",
            "Bewoners willen bomen en geveltuinen tegen de hitte in de zomer.",
            "gemeente-tilburg",
        ),
        ItemSpec(
            "buren",
            "samenleven-ontmoeten",
            AMBITION,
            "Buren leren elkaar kennen",
            "Ook in de binnenstad willen bewoners weten wie hun buren zijn.",
            "contourdetwern",
        ),
        ItemSpec(
            "leegstand",
            "werk-inkomen",
            MUNICIPAL,
            "Minder lege winkels",
            "Lege panden krijgen snel een nieuwe bestemming.",
            "gemeente-tilburg",
        ),
    ),
    plan_title="Uitvoeringsplan Binnenstad 2026–2027",
    plan_description="Wat we in de binnenstad doen in 2026 en 2027.",
    actions=(
        ActionSpec(
            "Vijftig geveltuinen in de Oude Dijk",
            "schaduw",
            "gemeente-tilburg",
            ("Lotte Maas", "lotte.maas@example.org"),
            DONE,
            100,
            -150,
            -60,
            location="WK085510",
            result="53 geveltuinen aangelegd, samen met bewoners.",
            updates=(UpdateSpec(-60, "Klaar: 53 geveltuinen!", DONE, 100, True),),
        ),
        ActionSpec(
            "Nachtafspraken met horeca rond de Heuvel",
            "uitgaan",
            "politie",
            ("Wijkagent Binnenstad", "wijkagent.binnenstad@example.org"),
            IN_PROGRESS,
            65,
            -100,
            5,
            location="WK085510",
        ),
        ActionSpec(
            "Regeling wonen boven winkels",
            "boven",
            "gemeente-tilburg",
            ("Lotte Maas", "lotte.maas@example.org"),
            DELAYED,
            30,
            -200,
            -5,
            updates=(
                UpdateSpec(-8, "Vertraagd: de regeling gaat eerst naar de raad.", DELAYED, 30),
            ),
        ),
        ActionSpec(
            "Burendag in de binnenstad",
            "buren",
            "contourdetwern",
            ("Sem Aydin", "sem.aydin@example.org"),
            PLANNED,
            0,
            60,
            150,
        ),
        ActionSpec(
            "Pop-upwinkels in lege panden",
            "leegstand",
            "gemeente-tilburg",
            ("Lotte Maas", "lotte.maas@example.org"),
            STOPPED,
            50,
            -300,
            -90,
            updates=(
                UpdateSpec(
                    -95,
                    "Gestopt: de meeste panden zijn weer verhuurd.",
                    STOPPED,
                    50,
                ),
            ),
        ),
    ),
    proposals=(
        ProposalSpec(
            slug="bomen-en-bankjes-oude-dijk",
            title="Bomen en bankjes in de Oude Dijk",
            body="We willen zes bomen en vier bankjes plaatsen. Daarvoor verdwijnen vier "
            "parkeerplekken.",
            status=OPEN,
            opens=-1,
            closes=20,
            items=("schaduw",),
            location="WK085510",
            author="lotte.maas@example.org",
            comments=(
                # The moderation queue's one open report.
                CommentSpec(
                    "anouk.vandijk@example.org",
                    "Die bankjes worden toch weer de hangplek van de jongens van nummer 14. "
                    "Iedereen in de straat weet wie dat zijn.",
                    days=-1,
                    report=ReportSpec(
                        "tom.bakker@example.org",
                        "Deze reactie wijst buren aan met hun huisnummer.",
                        days=-1,
                    ),
                ),
            ),
            advice=AdviceSpec("wijkraad-binnenstad", deadline=25),
        ),
        ProposalSpec(
            slug="fietsparkeren-heuvel",
            title="Meer fietsparkeerplekken bij de Heuvel",
            body="We stellen een bewaakte fietsenstalling voor bij de Heuvel.",
            status=DECIDED,
            opens=-160,
            closes=-130,
            items=("uitgaan",),
            author="lotte.maas@example.org",
            decision="Er komt een bewaakte stalling, open tot 03.00 uur.",
            input_feedback=(
                "Uitgaanspubliek vroeg om langere openingstijden: de stalling blijft open "
                "tot 03.00 uur. Bewoners vroegen om rekken uit de looproute te halen: dat "
                "doen we."
            ),
            decided=-90,
            comments=(
                CommentSpec(
                    "anouk.vandijk@example.org",
                    "Graag ook plek voor bakfietsen.",
                    days=-150,
                    reply=CommentSpec(
                        "lotte.maas@example.org",
                        "Er komen tien plekken voor bakfietsen.",
                        is_team_response=True,
                        days=-148,
                    ),
                ),
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            M.WIJKDIALOOG,
            "Wijkdialoog: wonen en uitgaan in de binnenstad",
            "Bewoners en horeca zoeken samen naar afspraken.",
            21,
            (19, 30),
            2,
            "Stadhuis",
            "Stadhuisplein 130, Tilburg",
            location="WK085510",
        ),
        MeetingSpec(
            M.INLOOP,
            "Inloop gebiedsteam Binnenstad",
            "Stel uw vragen aan het gebiedsteam.",
            -14,
            (13, 0),
            2,
            "Stadhuis",
            "Stadhuisplein 130, Tilburg",
            location="WK085510",
            minutes="Vragen gingen vooral over fietsparkeren en geluid in de nacht.",
        ),
    ),
)

AGENDAS: tuple[AgendaSpec, ...] = (WEST, GROENEWOUD, NOORD, UDENHOUT, BINNENSTAD)
