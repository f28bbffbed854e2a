"""The tools of the workspace: a way in to every task a person's roles allow.

Each tool is a link, offered only when the portal's rules (`has_perm`) let the person use
what it leads to; the template never guesses from roles. The checks read the memberships that
`areas.rules` memoises on the user object, so the tools cost a fixed number of queries
however many teams a person is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import OutgoingMail
from areas.models import Gebiedsteam, TeamMembership, Wijkraad, is_admin
from pacts.models import PartnerOrganisation
from participation.models import CommentReport

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    url: str
    note: str = ""  # what waits there, shown beside the label


@dataclass(frozen=True)
class TeamTools:
    """The tools for one team the person is in, with their role in it."""

    gebiedsteam: Gebiedsteam
    role: str
    tools: list[Tool]


@dataclass(frozen=True)
class Tools:
    gebiedsteams: list[Gebiedsteam] = field(default_factory=list)  # every team they are in
    general: list[Tool] = field(default_factory=list)
    teams: list[TeamTools] = field(default_factory=list)  # the teams they have tools for

    def __bool__(self) -> bool:
        return bool(self.general or self.teams)


def _team_tools(user: User, team: Gebiedsteam) -> list[Tool]:
    team_page = reverse("areas:team-detail", kwargs={"slug": team.slug})
    candidates = [
        ("team", "areas.view_teammembership", _("Team page"), team_page),
        # The invitation form and the report form sit on pages of their own gebied.
        (
            "invite",
            "areas.invite_to_gebiedsteam",
            _("Invite to the team"),
            f"{team_page}#invite-form",
        ),
        (
            "werkplek",
            "areas.add_werkplek",
            _("Add a werkplek"),
            reverse("areas:werkplek-create", kwargs={"slug": team.slug}),
        ),
        (
            "meeting",
            "meetings.add_meeting",
            _("Plan a meeting"),
            reverse("meetings:meeting-create", kwargs={"slug": team.slug}),
        ),
        (
            "report",
            "followup.add_report",
            _("Progress report"),
            f"{team.get_absolute_url()}#reports-heading",
        ),
    ]
    return [
        Tool(key=key, label=label, url=url)
        for key, perm, label, url in candidates
        if user.has_perm(perm, team)
    ]


def _open_reports(count: int) -> str:
    return ngettext("%(count)d open report", "%(count)d open reports", count) % {"count": count}


def _failed_mails(count: int) -> str:
    return ngettext("%(count)d failed", "%(count)d failed", count) % {"count": count}


def tools_for(user: User) -> Tools:
    """The tools `user` may use, in a fixed number of queries."""
    memberships = list(
        TeamMembership.objects.filter(user_id=user.pk)
        .select_related("gebiedsteam")
        .defer("gebiedsteam__outline")
        .order_by("gebiedsteam__position", "gebiedsteam__name")
    )
    teams = [membership.gebiedsteam for membership in memberships]
    # The functional administrator works in every gebied without being in its team.
    startable = list(Gebiedsteam.objects.defer("outline")) if is_admin(user) else teams
    general: list[Tool] = []
    if any(user.has_perm("participation.add_proposal", team) for team in startable):
        general.append(
            Tool("proposal", _("New proposal"), reverse("participation:proposal-create"))
        )
    if any(user.has_perm("agendas.add_wijkagenda", team) for team in startable):
        general.append(
            Tool("wijkagenda", _("New wijkagenda"), reverse("agendas:wijkagenda-create"))
        )
    if user.has_perm("participation.view_moderation_queue"):
        general.append(
            Tool(
                "moderation",
                _("Moderation"),
                reverse("participation:moderation-queue"),
                note=_open_reports(CommentReport.objects.visible_to(user).open().count()),
            )
        )
    if user.has_perm("followup.add_city_report"):
        general.append(
            Tool(
                "city-report",
                _("City-wide progress report"),
                reverse("followup:city-report-create"),
            )
        )
    # The e-mails that failed for good, for the functional administrator to look into.
    if user.has_perm("accounts.view_outgoingmail"):
        failed = OutgoingMail.objects.failed().count()
        general.append(
            Tool(
                "outbox",
                _("E-mails that could not be sent"),
                reverse("admin:accounts_outgoingmail_changelist") + "?state=failed",
                note=_failed_mails(failed) if failed else "",
            )
        )
    # The invitation of each wijkraad they chair.
    councils = Wijkraad.objects.filter(memberships__user_id=user.pk).order_by("name")
    general += [
        Tool(
            f"wijkraad-{wijkraad.slug}",
            _("Invite to %(wijkraad)s") % {"wijkraad": wijkraad.name},
            reverse("areas:wijkraad-invite", kwargs={"slug": wijkraad.slug}),
        )
        for wijkraad in councils
        if user.has_perm("areas.invite_to_wijkraad", wijkraad)
    ]
    # The staff page of each organisation they work for and may grant the staff of.
    organisations = PartnerOrganisation.objects.filter(memberships__user_id=user.pk).order_by(
        "name"
    )
    general += [
        Tool(
            f"organisation-{organisation.slug}",
            _("Staff of %(organisation)s") % {"organisation": organisation.name},
            reverse("pacts:organisation-staff", kwargs={"slug": organisation.slug}),
        )
        for organisation in organisations
        if user.has_perm("pacts.manage_organisation_staff", organisation)
    ]
    per_team = [
        TeamTools(membership.gebiedsteam, membership.get_role_display(), tools)
        for membership in memberships
        if (tools := _team_tools(user, membership.gebiedsteam))
    ]
    return Tools(gebiedsteams=teams, general=general, teams=per_team)
