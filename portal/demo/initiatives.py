"""Residents' initiatives of the demo: a handful, in every state of the team's answer.

Kept apart from the loader (which is long enough): `load_initiatives` is called after the
agendas are loaded, because a supported initiative links to an action of one, and an
initiative to a meeting where it is discussed. Like the rest of the demo, loading again
changes nothing: each initiative is found by its wijk and title, and its history is written
only when it is new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from accounts.models import User
from agendas.models import Action
from areas.models import Wijk
from meetings.models import Meeting
from pacts.models import PartnerOrganisation
from participation.models import Initiative, InitiativeStep

RECEIVED = Initiative.Status.RECEIVED
CONVERSATION = Initiative.Status.CONVERSATION
SUPPORTED = Initiative.Status.SUPPORTED
NOT_SUPPORTED = Initiative.Status.NOT_SUPPORTED


class StepSpec(NamedTuple):
    days: int  # relative to today
    status: str
    note: str = ""
    by: str | None = None  # e-mail of a demo person


class InitiativeSpec(NamedTuple):
    wijk: str  # CBS code
    title: str
    body: str
    submitter: str  # e-mail of a demo person
    steps: tuple[StepSpec, ...]  # the first is the submission (status received)
    group_name: str = ""
    help: tuple[str, ...] = ()  # field names: help_space, help_money, …
    help_other_text: str = ""
    located: bool = True
    action: str | None = None  # title of the action that carries it out
    partner: str | None = None  # slug of the partner organisation that helps
    meeting: str | None = None  # title of a meeting of the wijk's gebied that discusses it


RESIDENT = "tom.bakker@example.org"
NOORD_REGISSEUR = "ilse.vangorp@example.org"

INITIATIVES: tuple[InitiativeSpec, ...] = (
    InitiativeSpec(
        "WK085544",
        "Moestuinbakken in het Quirijnstokpark",
        "Met tien buren willen we groente kweken in bakken op het grasveld bij de speeltuin. "
        "Kinderen van de basisschool doen mee. We zoeken een plek voor de bakken en hulp "
        "bij de aanvraag.",
        RESIDENT,
        (
            StepSpec(-40, RECEIVED),
            StepSpec(-33, CONVERSATION, "We komen op 12 maart langs in het park.", NOORD_REGISSEUR),
            StepSpec(
                -20,
                SUPPORTED,
                "De gemeente plaatst de bakken; ContourdeTwern helpt met de planning.",
                NOORD_REGISSEUR,
            ),
        ),
        group_name="Tuinclub Quirijnstok",
        help=("help_space", "help_permits"),
        action="Moestuin in het Quirijnstokpark",
        partner="contourdetwern",
    ),
    InitiativeSpec(
        "WK085543",
        "Buurtbarbecue op het Heikantplein",
        "Elk jaar in juni een barbecue voor de hele buurt, zodat nieuwe bewoners elkaar leren "
        "kennen. We vragen een bijdrage voor het vlees en de huur van de tafels.",
        RESIDENT,
        (
            StepSpec(-12, RECEIVED),
            StepSpec(
                -8, CONVERSATION, "We bellen u om de begroting door te nemen.", NOORD_REGISSEUR
            ),
        ),
        help=("help_money",),
        meeting="Inloop in het VerHalenHuis",
    ),
    InitiativeSpec(
        "WK085542",
        "Jeu-de-boulesbaan bij de Kruidenbuurt",
        "Ouderen uit de buurt willen een jeu-de-boulesbaan aanleggen, met een bankje ernaast.",
        RESIDENT,
        (StepSpec(-20, RECEIVED),),
        group_name="Bewoners Kruidenbuurt",
        help=("help_space", "help_money", "help_other"),
        help_other_text="Iemand die de baan kan aanleggen",
    ),
    InitiativeSpec(
        "WK085543",
        "Tweede parkeerplaats voor mijn busje",
        "Ik wil een extra parkeervak voor mijn bedrijfsbusje voor de deur.",
        RESIDENT,
        (
            StepSpec(-30, RECEIVED),
            StepSpec(
                -25,
                NOT_SUPPORTED,
                "Dit is een aanvraag voor één huishouden, geen initiatief voor de buurt. Een "
                "parkeervergunning vraagt u aan bij de gemeente.",
                NOORD_REGISSEUR,
            ),
        ),
        help=("help_permits",),
        located=False,
    ),
    InitiativeSpec(
        "WK085544",
        "Opruimochtend langs de Piushaven-route",
        "Eén keer per maand ruimen we met buren zwerfafval op. We vragen grijpers en zakken.",
        RESIDENT,
        (StepSpec(-3, RECEIVED),),
        help=("help_other",),
        help_other_text="Grijpers en vuilniszakken",
    ),
)


def load_initiatives(
    *,
    wijken: Mapping[str, Wijk],
    people: Mapping[str, User],
    organisations: Mapping[str, PartnerOrganisation],
    moment: Callable[[int], dt.datetime],
    upsert: Callable[[type[Initiative], Mapping[str, Any], Mapping[str, Any]], Initiative],
) -> int:
    """Create or bring up to date the demo's initiatives (`upsert` writes only what
    differs); returns how many there are."""
    for spec in INITIATIVES:
        wijk = wijken[spec.wijk]
        final = spec.steps[-1]
        published_at = next(
            (moment(step.days) for step in spec.steps if step.status in (CONVERSATION, SUPPORTED)),
            None,
        )
        values = {
            "gebiedsteam": wijk.gebiedsteam,
            "body": spec.body,
            "group_name": spec.group_name,
            "submitted_by": people.get(spec.submitter),
            "longitude": wijk.label_lon if spec.located else None,
            "latitude": wijk.label_lat if spec.located else None,
            "help_space": "help_space" in spec.help,
            "help_money": "help_money" in spec.help,
            "help_contacts": "help_contacts" in spec.help,
            "help_permits": "help_permits" in spec.help,
            "help_other": "help_other" in spec.help,
            "help_other_text": spec.help_other_text,
            "status": final.status,
            "reason": final.note if final.status == NOT_SUPPORTED else "",
            "published_at": published_at,
            "partner": organisations[spec.partner] if spec.partner else None,
            "created_at": moment(spec.steps[0].days),
        }
        initiative = upsert(Initiative, {"wijk": wijk, "title": spec.title}, values)
        if spec.action:
            initiative.actions.set(
                Action.objects.filter(
                    title=spec.action, plan__wijkagenda__gebiedsteam_id=wijk.gebiedsteam_id
                )
            )
        if spec.meeting:
            initiative.meetings.set(
                Meeting.objects.filter(title=spec.meeting, gebiedsteam_id=wijk.gebiedsteam_id)
            )
        if not initiative.steps.exists():
            InitiativeStep.objects.bulk_create(
                InitiativeStep(
                    initiative=initiative,
                    status=step.status,
                    note=step.note,
                    by=people.get(step.by or spec.submitter),
                    created_at=moment(step.days),
                )
                for step in spec.steps
            )
    return len(INITIATIVES)
