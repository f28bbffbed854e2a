"""Reminders: find what is due, record one Reminder per address, queue, claim and send.

A sweep (one per kind, run by beat or `manage.py run_sweep`) finds the due subjects and
records one Reminder row per (kind, subject, address, due moment) with
`bulk_create(ignore_conflicts=True)`: the unique constraint `agendas_reminder_once` makes a
re-run, a moved clock or a second concurrent sweep a no-op. Then it queues one
`followup.send_reminder` task per reminder that nobody is working on.

The life of a reminder, in three columns:

- `queued_at`: set by the sweep with a conditional UPDATE before it queues the task (on
  commit), so two concurrent sweeps never queue the same reminder twice.
- `claimed_at`: the send task claims the reminder with a conditional UPDATE
  (`filter(pk=..., sent_at=None, claimed_at=None).update(claimed_at=now)`); 0 rows means
  another worker has it, and the task returns. This is STYLE's optimistic lock, on
  `claimed_at` rather than `sent_at` so that "claimed" and "sent" can be told apart.
- `sent_at`: set with a conditional UPDATE (`sent_at IS NULL`) in the transaction that writes
  the e-mail to the outbox and the in-app notification; the outbox sends the mail, with its
  own retries for 48 hours while the mail server is away (accounts/outbox.py).

Failures:

- A lost message (broker down while queueing, see wijkportaal.celery) or a worker killed
  between claim and send: the reminder stays queued or claimed without `sent_at`. A claim
  or queueing older than WIJKPORTAAL_REMINDER_RETRY_MINUTES (longer than the task time
  limit, so no live worker can still hold it) counts as lost: the next sweep queues it again
  and the new task may take over the stale claim. With acks_late Redis also redelivers an
  unacknowledged message after its visibility timeout; that task finds the reminder sent
  or claimed and does nothing.
- `attempts` counts claims; a reminder claimed MAX_ATTEMPTS times is given up (an address
  that keeps failing is not mailed every quarter of an hour for ever).

A worker killed between its claim and that transaction leaves nothing half done: the
reminder is taken over after the retry interval. Exactly once up to the outbox, whose own
claim leaves one window: a sender killed after the SMTP server accepted the mail but before
it recorded it sends that mail again (SMTP has no transaction to join).

Nobody is reminded of what they may not see (the subject's `visible_to`): the sweep
records no reminder for them, and the send task checks again at the moment of sending and
drops a reminder whose recipient lost sight of its subject meanwhile (a meeting closed, an
agenda back to draft). Should the subject become visible to them again while it is still
due, the next sweep records the reminder anew.

Recipients with an account also get an in-app notification (kind REMINDER); a user who set
REMINDER notifications to "off" gets no e-mail but still the in-app notification. Digest
frequencies are not applied to reminders: a reminder is about a moment and goes out at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Follow, User
from accounts.visibility import visible_ids
from agendas.models import Action, Status, Wijkagenda
from areas.models import CORE_ROLES, CouncilMembership, Gebiedsteam, TeamMembership, Wijk
from followup.models import Reminder
from followup.services.delivery import retry_after
from followup.tasks import send_reminder
from meetings.models import Meeting, Registration
from pacts.models import OrganisationMembership, PartnerOrganisation
from participation.models import Advice, Comment, Initiative, Proposal

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
MAX_ATTEMPTS = 20

# An address to remind: (e-mail, user id or None).
Person = tuple[str, int | None]


@dataclass(frozen=True)
class Due:
    subject: models.Model
    due_moment: dt.datetime
    people: list[Person]


def _moment(day: dt.date | None) -> dt.datetime:
    """A date as the start of that day in the portal's time zone.

    The sweeps pass dates their queries filtered on, so never an empty one.
    """
    assert day is not None, "a sweep found an object without the date it filtered on"
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _local_date(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def _team(gebiedsteam_ids: Iterable[int]) -> dict[int, list[Person]]:
    people: dict[int, list[Person]] = defaultdict(list)
    for team_id, email, user_id in TeamMembership.objects.filter(
        gebiedsteam_id__in=set(gebiedsteam_ids), user__is_active=True
    ).values_list("gebiedsteam_id", "user__email", "user_id"):
        people[team_id].append((email, user_id))
    return people


# --- Finding what is due ------------------------------------------------------------------


def _action_people(actions: list[Action]) -> dict[int, list[Person]]:
    """Who reports on each action: the staff of its owner organisation, and its contact
    e-mail. The municipality owns actions in every gebied; of its staff only those in the
    action's gebiedsteam report on it (docs/roles.md), so only they are reminded."""
    staff: dict[int, list[tuple[str, int, bool]]] = defaultdict(list)
    for org_id, kind, email, user_id in OrganisationMembership.objects.filter(
        organisation_id__in={a.owner_organisation_id for a in actions}, user__is_active=True
    ).values_list("organisation_id", "organisation__kind", "user__email", "user_id"):
        staff[org_id].append((email, user_id, kind == PartnerOrganisation.Kind.MUNICIPALITY))
    municipal = {user_id for people in staff.values() for __, user_id, m in people if m}
    gebied_of: dict[int, int] = {}
    teams_of: dict[int, set[int]] = defaultdict(set)
    if municipal:
        gebied_of = dict(
            Action.objects.filter(pk__in=[a.pk for a in actions]).values_list(
                "pk", "plan__wijkagenda__gebiedsteam_id"
            )
        )
        for user_id, team_id in TeamMembership.objects.filter(user_id__in=municipal).values_list(
            "user_id", "gebiedsteam_id"
        ):
            teams_of[user_id].add(team_id)
    return {
        a.pk: [
            (email, user_id)
            for email, user_id, is_municipal in staff[a.owner_organisation_id]
            if not is_municipal or gebied_of.get(a.pk) in teams_of[user_id]
        ]
        + ([(a.contact_email, None)] if a.contact_email else [])
        for a in actions
    }


def find_action_due_soon(now: dt.datetime) -> Iterator[Due]:
    today = _local_date(now)
    actions = list(
        Action.objects.open().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(7))
    )
    people = _action_people(actions)
    for action in actions:
        yield Due(action, _moment(action.due_date), people[action.pk])


def find_action_overdue(now: dt.datetime) -> Iterator[Due]:
    actions = list(Action.objects.open().filter(due_date__lt=_local_date(now)))
    people = _action_people(actions)
    for action in actions:
        yield Due(action, _moment(action.due_date), people[action.pk])


def find_action_stalled(now: dt.datetime) -> Iterator[Due]:
    """Open actions without an update for WIJKPORTAAL_STALLED_WEEKS weeks; the due moment is
    the last sign of life, so a new update followed by a new silence gives a new reminder."""
    cutoff = now - dt.timedelta(weeks=settings.WIJKPORTAAL_STALLED_WEEKS)
    actions = list(
        Action.objects.open().filter(
            Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True, created_at__lt=cutoff)
        )
    )
    people = _action_people(actions)
    for action in actions:
        yield Due(action, action.last_progress_at or action.created_at, people[action.pk])


def find_proposal_closing(now: dt.datetime) -> Iterator[Due]:
    """Open proposals closing within 48 hours: the members of the wijkraden of their wijken
    who have not commented."""
    proposals = list(
        Proposal.objects.filter(
            status=Proposal.Status.OPEN,
            closes_at__gt=now,
            closes_at__lte=now + dt.timedelta(hours=48),
        ).prefetch_related("wijken")
    )
    ids = [p.pk for p in proposals]
    commented: dict[int, set[int]] = defaultdict(set)
    for proposal_id, author_id in Comment.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "author_id"
    ):
        commented[proposal_id].add(author_id)
    members_of_wijk: dict[int, set[Person]] = defaultdict(set)
    for wijk_id, email, user_id in CouncilMembership.objects.filter(
        wijkraad__wijken__proposals__in=ids, user__is_active=True
    ).values_list("wijkraad__wijken", "user__email", "user_id"):
        members_of_wijk[wijk_id].add((email, user_id))
    for proposal in proposals:
        people = {
            person
            for wijk in proposal.wijken.all()
            for person in members_of_wijk[wijk.pk]
            if person[1] not in commented[proposal.pk]
        }
        yield Due(proposal, proposal.closes_at, sorted(people))


def _council_officers(wijkraad_ids: Iterable[int]) -> dict[int, list[Person]]:
    people: dict[int, list[Person]] = defaultdict(list)
    for raad_id, email, user_id in CouncilMembership.objects.filter(
        wijkraad_id__in=set(wijkraad_ids),
        role__in=[CouncilMembership.Role.CHAIR, CouncilMembership.Role.SECRETARY],
        user__is_active=True,
    ).values_list("wijkraad_id", "user__email", "user_id"):
        people[raad_id].append((email, user_id))
    return people


def find_advice_deadline(now: dt.datetime) -> Iterator[Due]:
    """Advice not yet given whose deadline is within 5 days: the chair and secretary."""
    advices = list(
        Advice.objects.filter(
            submitted_at=None, deadline__gt=now, deadline__lte=now + dt.timedelta(days=5)
        ).exclude(proposal__status=Proposal.Status.WITHDRAWN)
    )
    officers = _council_officers(a.wijkraad_id for a in advices)
    for advice in advices:
        yield Due(advice, advice.deadline, officers[advice.wijkraad_id])


def find_proposal_undecided(now: dt.datetime) -> Iterator[Due]:
    """Comment period closed 14 days ago or longer, still no decision: the team."""
    proposals = list(
        Proposal.objects.filter(
            status__in=[Proposal.Status.OPEN, Proposal.Status.CONSIDERATION],
            decided_at=None,
            closes_at__lte=now - dt.timedelta(days=14),
        )
    )
    team = _team(p.gebiedsteam_id for p in proposals)
    for proposal in proposals:
        yield Due(proposal, proposal.closes_at, team[proposal.gebiedsteam_id])


def find_advice_unanswered(now: dt.datetime) -> Iterator[Due]:
    """Advice given 14 days ago or longer without a response: the team of the proposal."""
    advices = list(
        Advice.objects.filter(
            submitted_at__lte=now - dt.timedelta(days=14), responded_at=None
        ).select_related("proposal")
    )
    team = _team(a.proposal.gebiedsteam_id for a in advices)
    for advice in advices:
        # The query asked for a submission date, so there is one.
        assert advice.submitted_at is not None
        yield Due(advice, advice.submitted_at, team[advice.proposal.gebiedsteam_id])


def find_agenda_review(now: dt.datetime) -> Iterator[Due]:
    """Wijkagenda's (not archived) whose review date is within 30 days: the team."""
    today = _local_date(now)
    agendas = list(
        Wijkagenda.objects.exclude(status=Status.ARCHIVED).filter(
            review_date__gte=today, review_date__lte=today + dt.timedelta(days=30)
        )
    )
    team = _team(a.gebiedsteam_id for a in agendas)
    for agenda in agendas:
        yield Due(agenda, _moment(agenda.review_date), team[agenda.gebiedsteam_id])


def find_meeting_soon(now: dt.datetime) -> Iterator[Due]:
    """Meetings starting within 48 hours: who signed up and has a place, and who follows the
    meeting, its gebied or its wijken (not those on the waiting list: no place, no reminder)."""
    meetings = list(
        Meeting.objects.filter(
            starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=48)
        ).prefetch_related("wijken")
    )
    types = ContentType.objects.get_for_models(Meeting, Gebiedsteam, Wijk)
    keys = {
        m.pk: {(types[Meeting].pk, m.pk), (types[Gebiedsteam].pk, m.gebiedsteam_id)}
        | {(types[Wijk].pk, w.pk) for w in m.wijken.all()}
        for m in meetings
    }
    wanted = set().union(*keys.values()) if keys else set()
    followers: dict[tuple[int, int], set[Person]] = defaultdict(set)
    query = Q()
    for type_id in {t for t, _i in wanted}:
        query |= Q(content_type_id=type_id, object_id__in={i for t, i in wanted if t == type_id})
    if wanted:
        for type_id, object_id, email, user_id in Follow.objects.filter(
            query, user__is_active=True
        ).values_list("content_type_id", "object_id", "user__email", "user_id"):
            followers[(type_id, object_id)].add((email, user_id))
    signed_up: dict[int, set[Person]] = defaultdict(set)
    for meeting_id, email, user_id in (
        Registration.objects.with_place()
        .filter(meeting__in=meetings, user__is_active=True)
        .values_list("meeting_id", "user__email", "user_id")
    ):
        signed_up[meeting_id].add((email, user_id))
    for meeting in meetings:
        people = signed_up[meeting.pk].union(*(followers[key] for key in keys[meeting.pk]))
        yield Due(meeting, meeting.starts_at, sorted(people))


def find_initiative_waiting(now: dt.datetime) -> Iterator[Due]:
    """Initiatives still "received" WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS after they were
    submitted: the core team of their gebied, who answer them (the partner representatives
    may not read an unpublished initiative, and answer none)."""
    cutoff = now - dt.timedelta(days=settings.WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS)
    initiatives = list(Initiative.objects.awaiting_answer().filter(created_at__lte=cutoff))
    core: dict[int, list[Person]] = defaultdict(list)
    for team_id, email, user_id in TeamMembership.objects.filter(
        gebiedsteam_id__in={i.gebiedsteam_id for i in initiatives},
        role__in=CORE_ROLES,
        user__is_active=True,
    ).values_list("gebiedsteam_id", "user__email", "user_id"):
        core[team_id].append((email, user_id))
    for initiative in initiatives:
        yield Due(initiative, initiative.created_at, core[initiative.gebiedsteam_id])


@dataclass(frozen=True)
class Sweep:
    kind: str
    find: Callable[[dt.datetime], Iterable[Due]]


SWEEPS: dict[str, Sweep] = {
    Kind.ACTION_DUE_SOON: Sweep(Kind.ACTION_DUE_SOON, find_action_due_soon),
    Kind.ACTION_OVERDUE: Sweep(Kind.ACTION_OVERDUE, find_action_overdue),
    Kind.ACTION_STALLED: Sweep(Kind.ACTION_STALLED, find_action_stalled),
    Kind.PROPOSAL_CLOSING: Sweep(Kind.PROPOSAL_CLOSING, find_proposal_closing),
    Kind.ADVICE_DEADLINE: Sweep(Kind.ADVICE_DEADLINE, find_advice_deadline),
    Kind.PROPOSAL_UNDECIDED: Sweep(Kind.PROPOSAL_UNDECIDED, find_proposal_undecided),
    Kind.ADVICE_UNANSWERED: Sweep(Kind.ADVICE_UNANSWERED, find_advice_unanswered),
    Kind.AGENDA_REVIEW: Sweep(Kind.AGENDA_REVIEW, find_agenda_review),
    Kind.MEETING_SOON: Sweep(Kind.MEETING_SOON, find_meeting_soon),
    Kind.INITIATIVE_WAITING: Sweep(Kind.INITIATIVE_WAITING, find_initiative_waiting),
}


# --- Recording and queueing ---------------------------------------------------------------


def _resolve_users(people: Iterable[Person]) -> dict[str, int]:
    """Account ids for the addresses that came without one (an action's contact e-mail)."""
    emails = {email for email, user_id in people if user_id is None}
    if not emails:
        return {}
    return {
        email.lower(): pk
        for email, pk in User.objects.filter(is_active=True)
        .annotate(lower=models.functions.Lower("email"))
        .filter(lower__in={e.lower() for e in emails})
        .values_list("email", "pk")
    }


def _key(subject: models.Model) -> tuple[type[models.Model], Any]:
    return type(subject), subject.pk


def _who_may_see(dues: list[Due], accounts: dict[str, int]) -> Callable[[Due, int | None], bool]:
    """Whether the person (an account id, or None for an address without one) may see the
    due subject (its model's `visible_to`), decided for all dues in a bounded number of
    queries: one per model for what the public sees, and for the subjects the public may
    not see (a closed meeting, an action of a draft agenda) one per account reminded of them.

    Nobody is reminded of what they cannot open: a follower of a wijk of a closed meeting,
    the partner staff of an action on a draft agenda. The send task checks again, for what
    changed in between.
    """
    by_model: dict[type[models.Model], set[Any]] = defaultdict(set)
    for due in dues:
        by_model[type(due.subject)].add(due.subject.pk)
    public = {
        (model, pk) for model, ids in by_model.items() for pk in visible_ids(None, model, ids)
    }
    hidden: dict[int, dict[type[models.Model], set[Any]]] = defaultdict(lambda: defaultdict(set))
    for due in dues:
        if _key(due.subject) in public:
            continue
        for email, user_id in due.people:
            account = user_id or accounts.get(email.strip().lower())
            if account is not None:
                hidden[account][type(due.subject)].add(due.subject.pk)
    users = User.objects.in_bulk(list(hidden)) if hidden else {}
    seen_by = {
        (account, model, pk)
        for account, per_model in hidden.items()
        if account in users
        for model, ids in per_model.items()
        for pk in visible_ids(users[account], model, ids)
    }

    def may_see(due: Due, account: int | None) -> bool:
        model, pk = _key(due.subject)
        return (model, pk) in public or (account, model, pk) in seen_by

    return may_see


def record(kind: str, dues: Iterable[Due]) -> int:
    """Create the missing Reminder rows for the people who may see their subject; returns
    how many rows were offered."""
    dues = list(dues)
    users = _resolve_users(p for due in dues for p in due.people)
    may_see = _who_may_see(dues, users)
    rows = []
    for due in dues:
        content_type = ContentType.objects.get_for_model(due.subject)
        seen: set[str] = set()
        for email, user_id in due.people:
            address = email.strip().lower()
            if not address or address in seen:
                continue
            seen.add(address)
            if not may_see(due, user_id or users.get(address)):
                continue
            rows.append(
                Reminder(
                    kind=kind,
                    content_type=content_type,
                    object_id=due.subject.pk,
                    recipient_id=user_id or users.get(address),
                    recipient_email=address,
                    due_moment=due.due_moment,
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def queue_due(*, kind: str, now: dt.datetime) -> int:
    """Queue one send task per reminder of this kind that nobody is working on.

    Each reminder is marked queued with a conditional UPDATE first, so of two concurrent
    sweeps only one queues it. The task is queued on commit.
    """
    wait = retry_after()
    queued = 0
    candidates = Reminder.objects.filter(kind=kind, attempts__lt=MAX_ATTEMPTS).to_queue(
        now=now, retry_after=wait
    )
    for pk in candidates.values_list("pk", flat=True).order_by("pk"):
        if (
            Reminder.objects.filter(pk=pk, attempts__lt=MAX_ATTEMPTS)
            .to_queue(now=now, retry_after=wait)
            .update(queued_at=now)
        ):
            send_reminder.delay_on_commit(reminder_id=pk)
            queued += 1
    return queued


@transaction.atomic
def run_sweep(name: str, *, now: dt.datetime | None = None) -> int:
    """Find what is due for this sweep, record the reminders, queue them; returns how many
    send tasks were queued (new reminders and lost ones queued again)."""
    sweep = SWEEPS[name]
    now = now or timezone.now()
    record(sweep.kind, sweep.find(now))
    return queue_due(kind=sweep.kind, now=now)


# --- Sending ------------------------------------------------------------------------------
