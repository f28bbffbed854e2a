"""Workflows for proposals: drafting, opening, considering, deciding, withdrawing, and the
municipality's response to advice; with the notifications these events cause.

The changes of state are Proposal's and Advice's own methods, which refuse a change the
current state does not allow (TransitionRefused); the services lock the row first, so that
two people pressing the same button at once cannot both pass the check, and tell the people
concerned afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify
from agendas.followers import followers_of
from agendas.models import Action, AgendaItem
from areas.models import CouncilMembership, Gebiedsteam, TeamMembership, Wijk, Wijkraad
from participation.models import Advice, Comment, InputOutcome, Proposal, TransitionRefused
from web import pagecache
from web.editing import lock_at_revision
from web.slugs import unique_slug

# Slugs that are paths of their own under /voorstellen/.
RESERVED_SLUGS = frozenset({"nieuw"})
ADVICE_OFFICERS = [CouncilMembership.Role.CHAIR, CouncilMembership.Role.SECRETARY]


@dataclass(frozen=True)
class Input:
    """One comment or one submitted advice that the decision must answer."""

    comment: Comment | None = None
    advice: Advice | None = None

    @property
    def key(self) -> str:
        if self.comment is not None:
            return f"comment-{self.comment.pk}"
        if self.advice is not None:
            return f"advice-{self.advice.pk}"
        return ""


def _sync_advice(
    proposal: Proposal, *, councils: Iterable[Wijkraad], deadline: dt.datetime | None
) -> None:
    """Ask advice of exactly these councils, all with this deadline (drafts only)."""
    wanted = {council.pk for council in councils}
    proposal.advices.exclude(wijkraad_id__in=wanted).delete()
    existing = set(proposal.advices.values_list("wijkraad_id", flat=True))
    if wanted and deadline is not None:
        proposal.advices.filter(wijkraad_id__in=wanted).update(deadline=deadline)
        Advice.objects.bulk_create(
            Advice(proposal=proposal, wijkraad_id=pk, deadline=deadline)
            for pk in sorted(wanted - existing)
        )
        pagecache.bump()  # update() and bulk_create() send no signals


@transaction.atomic
def create_proposal(
    *,
    gebiedsteam: Gebiedsteam,
    values: Mapping[str, Any],
    wijken: Iterable[Wijk],
    agenda_items: Iterable[AgendaItem],
    advice_from: Iterable[Wijkraad],
    advice_deadline: dt.datetime | None,
    by: User,
) -> Proposal:
    """Save a new draft proposal with its wijken, agenda items and requests for advice."""
    proposal = Proposal(
        gebiedsteam=gebiedsteam,
        author=by,
        slug=unique_slug(Proposal, values["title"], fallback="voorstel", reserved=RESERVED_SLUGS),
    )
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.save()
    proposal.wijken.set(wijken)
    proposal.agenda_items.set(agenda_items)
    _sync_advice(proposal, councils=advice_from, deadline=advice_deadline)
    return proposal


@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    values: Mapping[str, Any],
    wijken: Iterable[Wijk],
    agenda_items: Iterable[AgendaItem],
    advice_from: Iterable[Wijkraad],
    advice_deadline: dt.datetime | None,
    expected_revision: int,
    by: User,
) -> Proposal:
    """Save a draft unless someone saved it since `expected_revision` (StaleEditError); a
    proposal that left the draft state is refused (TransitionRefused). Nothing is saved
    then."""
    locked = lock_at_revision(proposal, expected_revision)
    if locked.status != Proposal.Status.DRAFT:
        raise TransitionRefused(_("Only a draft proposal can be changed."))
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.revision = locked.revision + 1
    proposal.save(update_fields=[*values.keys(), "revision", "updated_at"])
    proposal.wijken.set(wijken)
    proposal.agenda_items.set(agenda_items)
    _sync_advice(proposal, councils=advice_from, deadline=advice_deadline)
    return proposal


def _audience(proposal: Proposal) -> QuerySet[User, Any] | None:
    """Who may read the proposal among its followers, as a query of user ids; None for a
    public one. A council-only proposal is read by the councils of its wijken, its
    gebiedsteam and admins (as in ProposalQuerySet.visible_to); following a wijk does not
    show its council-only proposals to anyone else."""
    if not proposal.council_only:
        return None
    councils = CouncilMembership.objects.filter(wijkraad__wijken__in=proposal.wijken.all())
    team = TeamMembership.objects.filter(gebiedsteam_id=proposal.gebiedsteam_id)
    return User.objects.filter(
        Q(is_functional_admin=True)
        | Q(pk__in=councils.values("user_id"))
        | Q(pk__in=team.values("user_id"))
    ).values("pk")


def _locked(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock, its state copied onto the caller's object."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.status = locked.status
    proposal.closes_at = locked.closes_at
    return proposal


@transaction.atomic
def open_proposal(*, proposal: Proposal, by: User) -> Proposal:
    """Open a draft for comments and tell the wijkraden covering its wijken; the chairs and
    secretaries of the councils asked for advice are told that too."""
    _locked(proposal).open_for_comments(by=by)
    url = proposal.get_absolute_url()
    members = set(
        CouncilMembership.objects.filter(wijkraad__wijken__in=proposal.wijken.all()).values_list(
            "user_id", flat=True
        )
    )
    notify(
        recipients=members,
        kind=Notification.Kind.PROPOSAL_OPENED,
        title=_("Open for comments: %(title)s") % {"title": proposal.title},
        url=url,
        exclude=by,
        subject=proposal,
    )
    # Followers of its wijken who were not told above as council members.
    notify(
        recipients=followers_of(*proposal.wijken.all(), among=_audience(proposal)) - members,
        kind=Notification.Kind.UPDATE,
        title=_("Open for comments: %(title)s") % {"title": proposal.title},
        url=url,
        exclude=by,
        subject=proposal,
    )
    officers = CouncilMembership.objects.filter(
        wijkraad__advices__proposal=proposal, role__in=ADVICE_OFFICERS
    ).values_list("user_id", flat=True)
    notify(
        recipients=set(officers),
        kind=Notification.Kind.ADVICE_REQUESTED,
        title=_("Your advice is asked on: %(title)s") % {"title": proposal.title},
        url=url,
        exclude=by,
        subject=proposal,
    )
    return proposal


@transaction.atomic
def start_consideration(*, proposal: Proposal, by: User, early: bool) -> Proposal:
    """Stop taking comments and start weighing them."""
    _locked(proposal).start_consideration(by=by, early=early)
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, by: User) -> Proposal:
    _locked(proposal).withdraw(by=by)
    return proposal


def inputs_of(proposal: Proposal) -> list[Input]:
    """What the decision must answer: each top-level visible comment that is not the team's
    own response, then each submitted advice."""
    comments = (
        Comment.objects.for_proposal(proposal)
        .filter(parent=None, moderation=Comment.Moderation.VISIBLE, is_team_response=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    advices = (
        proposal.advices.filter(submitted_at__isnull=False)
        .select_related("wijkraad")
        .order_by("wijkraad__name", "pk")
    )
    return [Input(comment=c) for c in comments] + [Input(advice=a) for a in advices]


@transaction.atomic
def decide_proposal(
    *,
    proposal: Proposal,
    by: User,
    decision: str,
    input_feedback: str,
    outcomes: Iterable[tuple[Input, str, str]],
    actions: Iterable[Action],
) -> Proposal:
    """Decide, record per input what was done with it, link the actions that carry out the
    decision, and tell everyone who commented or advised (except the one deciding)."""
    outcomes = list(outcomes)
    _locked(proposal).decide(by=by, decision=decision, input_feedback=input_feedback)
    proposal.actions.set(actions)
    InputOutcome.objects.bulk_create(
        InputOutcome(
            proposal=proposal,
            comment=item.comment,
            advice=item.advice,
            outcome=outcome,
            reason=reason,
        )
        for item, outcome, reason in outcomes
    )
    pagecache.bump()  # bulk_create() sends no signal
    participants = _tell_participants(proposal, by=by, outcomes=outcomes)
    # Followers of the proposal who did not take part (those were told above).
    notify(
        recipients=followers_of(proposal, among=_audience(proposal)) - participants,
        kind=Notification.Kind.UPDATE,
        title=_("Decision on: %(title)s") % {"title": proposal.title},
        url=proposal.get_absolute_url(),
        exclude=by,
        subject=proposal,
    )
    return proposal


def _commenters_and_advisers(proposal: Proposal) -> tuple[set[int], set[int]]:
    """Who commented (a visible comment) and who submitted advice on the proposal, among
    those who may still read it."""
    audience = _audience(proposal)
    visible = Comment.objects.filter(proposal=proposal, moderation=Comment.Moderation.VISIBLE)
    if audience is not None:
        visible = visible.filter(author_id__in=audience)
    advice = proposal.advices.filter(submitted_at__isnull=False, submitted_by__isnull=False)
    if audience is not None:
        advice = advice.filter(submitted_by_id__in=audience)
    return (
        set(visible.values_list("author_id", flat=True)),
        set(advice.values_list("submitted_by_id", flat=True)),
    )


def input_givers(proposal: Proposal) -> set[int]:
    """Everyone who gave input on the proposal: its commenters and advisers."""
    commenters, advisers = _commenters_and_advisers(proposal)
    return commenters | advisers


def _tell_participants(
    proposal: Proposal, *, by: User, outcomes: Iterable[tuple[Input, str, str]]
) -> set[int]:
    """Tell everyone who commented or advised that the proposal is decided; a commenter
    (council member or resident) whose comment got an outcome is sent to that comment's own
    page, which says what was done with it. Only those who may still read the proposal (a
    former council member may not read a council-only one) are told. Returns who was told."""
    commenters, advisers = _commenters_and_advisers(proposal)
    answered: dict[int, int] = {}  # author → their first comment with an outcome
    for item, _outcome, _reason in outcomes:
        comment = item.comment
        if comment is not None and comment.author_id in commenters:
            answered.setdefault(comment.author_id, comment.pk)
    url = proposal.get_absolute_url()
    for author_id, comment_pk in answered.items():
        notify(
            recipients=[author_id],
            kind=Notification.Kind.DECISION_PUBLISHED,
            title=_("Decision on “%(title)s”: what we did with your comment")
            % {"title": proposal.title},
            url=reverse("participation:comment-replies", kwargs={"pk": comment_pk}),
            exclude=by,
            subject=proposal,
        )
    participants = commenters | advisers
    notify(
        recipients=participants - set(answered),
        kind=Notification.Kind.DECISION_PUBLISHED,
        title=_("Decision on: %(title)s") % {"title": proposal.title},
        url=url,
        exclude=by,
        subject=proposal,
    )
    return participants


@transaction.atomic
def respond_to_advice(*, advice: Advice, by: User, response: str, expected_revision: int) -> Advice:
    """Record the municipality's response and tell the council's chair and secretary;
    refused (StaleEditError, nothing saved) when someone responded since the form was opened
    at `expected_revision`."""
    current = lock_at_revision(advice, expected_revision)
    advice.submitted_at, advice.revision = current.submitted_at, current.revision
    advice.respond(by=by, response=response)
    officers = CouncilMembership.objects.filter(
        wijkraad_id=advice.wijkraad_id, role__in=ADVICE_OFFICERS
    ).values_list("user_id", flat=True)
    notify(
        recipients=set(officers),
        kind=Notification.Kind.ADVICE_ANSWERED,
        title=_("The municipality responded to your advice on: %(title)s")
        % {"title": advice.proposal.title},
        url=advice.proposal.get_absolute_url(),
        exclude=by,
        subject=advice.proposal,
    )
    return advice
