"""One factory per model, with no surprising behaviour."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Follow, Notification, User
from agendas.models import (
    Action,
    AgendaItem,
    ChangeRecord,
    Plan,
    ProgressUpdate,
    Theme,
    Vision,
    Wijkagenda,
)
from areas.models import (
    Buurt,
    CouncilMembership,
    Gebiedsteam,
    Residence,
    Stadsdeel,
    TeamMembership,
    Werkplek,
    Wijk,
    Wijkraad,
)
from followup.models import Reminder, Report
from meetings.models import Meeting
from pacts.models import (
    Alliance,
    Collaboration,
    OrganisationMembership,
    Pact,
    PactCommitment,
    PartnerOrganisation,
)
from participation.models import (
    Advice,
    Comment,
    CommentReport,
    Initiative,
    InputOutcome,
    ModerationLog,
    Proposal,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 51.5], [5.1, 51.5], [5.1, 51.6], [5.0, 51.6], [5.0, 51.5]]],
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.django.Password("wachtwoord-voor-tests")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.UPDATE
    title = factory.Sequence(lambda n: f"Melding {n}")


class GebiedsteamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebiedsteam

    name = factory.Sequence(lambda n: f"Gebied {n}")
    slug = factory.Sequence(lambda n: f"gebied-{n}")
    position = factory.Sequence(int)


class StadsdeelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stadsdeel

    name = factory.Sequence(lambda n: f"Stadsdeel {n}")
    slug = factory.Sequence(lambda n: f"stadsdeel-{n}")


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    code = factory.Sequence(lambda n: f"WK{n:06d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    inhabitants = 1000
    dwellings = 450


class BuurtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buurt

    code = factory.Sequence(lambda n: f"BU{n:08d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    wijk = factory.SubFactory(WijkFactory)


class WerkplekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werkplek

    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    name = factory.Sequence(lambda n: f"Wijkcentrum {n}")
    address = "Stadhuisplein 130, Tilburg"


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    user = factory.SubFactory(UserFactory)
    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    role = TeamMembership.Role.WIJKREGISSEUR


class WijkraadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijkraad

    name = factory.Sequence(lambda n: f"Wijkraad {n}")
    slug = factory.Sequence(lambda n: f"wijkraad-{n}")


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    user = factory.SubFactory(UserFactory)
    wijkraad = factory.SubFactory(WijkraadFactory)
    role = CouncilMembership.Role.MEMBER


class ResidenceFactory(factory.django.DjangoModelFactory):
    """A confirmed resident living in a wijk."""

    class Meta:
        model = Residence

    user = factory.SubFactory(
        UserFactory, is_resident=True, email_confirmed_at=factory.LazyFunction(timezone.now)
    )
    wijk = factory.SubFactory(WijkFactory)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    kind = PartnerOrganisation.Kind.WELFARE


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)


class PactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pact

    name = factory.Sequence(lambda n: f"Pact {n}")
    slug = factory.Sequence(lambda n: f"pact-{n}")
    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    status = Pact.Status.ACTIVE
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2027, 12, 31)


class PactCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PactCommitment

    pact = factory.SubFactory(PactFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    text = "Wij zetten twee wijkwerkers in."


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliantie {n}")
    slug = factory.Sequence(lambda n: f"alliantie-{n}")


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaboration

    name = factory.Sequence(lambda n: f"Samenwerking {n}")
    slug = factory.Sequence(lambda n: f"samenwerking-{n}")
    kind = Collaboration.Kind.INNOVATIELAB
    gebiedsteam = factory.SubFactory(GebiedsteamFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    position = factory.Sequence(int)


class WijkagendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijkagenda
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Wijkagenda {n}")
    slug = factory.Sequence(lambda n: f"wijkagenda-{n}")
    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2027, 12, 31)
    summary = "Samen maken we de wijk groener en veiliger."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def wijken(self, create: bool, extracted: list[Wijk] | None, **kwargs: object) -> None:
        if create and extracted:
            self.wijken.set(extracted)


class VisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vision

    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    title = factory.Sequence(lambda n: f"Visie {n}")
    body = "Over tien jaar is het gebied een plek waar iedereen meedoet."
    horizon_year = 2034
    status = "published"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    wijkagenda = factory.SubFactory(WijkagendaFactory)
    theme = factory.SubFactory(ThemeFactory)
    kind = AgendaItem.Kind.AMBITION
    title = factory.Sequence(lambda n: f"Ambitie {n}")
    position = factory.Sequence(int)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    wijkagenda = factory.SubFactory(WijkagendaFactory)
    title = factory.Sequence(lambda n: f"Uitvoeringsplan {n}")
    period_start = dt.date(2025, 1, 1)
    period_end = dt.date(2026, 12, 31)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    agenda_item = factory.SubFactory(
        AgendaItemFactory, wijkagenda=factory.SelfAttribute("..plan.wijkagenda")
    )
    title = factory.Sequence(lambda n: f"Actie {n}")
    owner_organisation = factory.SubFactory(PartnerOrganisationFactory)
    status = Action.Status.IN_PROGRESS
    progress = 40
    start_date = dt.date(2025, 3, 1)
    due_date = dt.date(2026, 6, 30)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    text = "De eerste bijeenkomst is gehouden."
    status = Action.Status.IN_PROGRESS
    progress = 50


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    title = factory.Sequence(lambda n: f"Voorstel {n}")
    slug = factory.Sequence(lambda n: f"voorstel-{n}")
    body = "We stellen voor het speelveld opnieuw in te richten."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=11))
    status = Proposal.Status.OPEN

    @factory.post_generation
    def wijken(self, create: bool, extracted: list[Wijk] | None, **kwargs: object) -> None:
        if create and extracted:
            self.wijken.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "Goed plan, maar denk aan de oversteek bij de school."


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    proposal = factory.SubFactory(ProposalFactory)
    wijkraad = factory.SubFactory(WijkraadFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    kind = Meeting.Kind.WIJKDIALOOG
    title = factory.Sequence(lambda n: f"Wijkdialoog {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=5))
    ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=5, hours=2))
    location_name = "Wijkcentrum De Ypelaer"


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)


class ChangeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRecord
        exclude = ["action"]

    action = factory.SubFactory(ActionFactory)
    gebiedsteam = factory.SelfAttribute("action.plan.wijkagenda.gebiedsteam")
    wijkagenda = factory.SelfAttribute("action.plan.wijkagenda")
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Action))
    object_id = factory.SelfAttribute("action.pk")
    object_label = factory.SelfAttribute("action.title")
    kind = ChangeRecord.Kind.CHANGED
    revision = 1
    changes = factory.LazyAttribute(lambda o: {"progress": {"old": 40, "new": 60}})


class InputOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InputOutcome

    comment = factory.SubFactory(CommentFactory)
    proposal = factory.SelfAttribute("comment.proposal")
    outcome = InputOutcome.Outcome.ADOPTED
    reason = "We leggen een zebrapad aan bij de school."


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReport

    comment = factory.SubFactory(CommentFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Deze reactie noemt een buurman bij naam."


class ModerationLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationLog

    comment = factory.SubFactory(CommentFactory)
    moderator = factory.SubFactory(UserFactory)
    act = ModerationLog.Act.DISMISS
    reason = "Geen regel overtreden."


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    kind = Reminder.Kind.ACTION_OVERDUE
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Action))
    object_id = factory.LazyFunction(lambda: ActionFactory().pk)
    recipient = factory.SubFactory(UserFactory)
    recipient_email = factory.SelfAttribute("recipient.email")
    due_moment = factory.LazyFunction(timezone.now)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    gebiedsteam = factory.SubFactory(GebiedsteamFactory)
    period = Report.Period.MONTH
    start = dt.date(2025, 5, 1)
    end = dt.date(2025, 5, 31)
    requested_by = factory.SubFactory(UserFactory)


def action_in(gebiedsteam, *, status: str = "published", **kwargs):
    """An action under a new wijkagenda of the gebiedsteam, published unless told otherwise."""
    published_at = None if status == "draft" else dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, status=status, published_at=published_at)
    return ActionFactory(plan=PlanFactory(wijkagenda=agenda), **kwargs)


def draft_agenda(gebiedsteam, **kwargs) -> Wijkagenda:
    return WijkagendaFactory(gebiedsteam=gebiedsteam, status="draft", published_at=None, **kwargs)


def build_agenda_world(gebiedsteam, *, scale: int, prefix: str) -> Wijkagenda:
    """An agenda with `scale` of everything its page shows, and published `scale + 1` times."""
    wijken = [WijkFactory(gebiedsteam=gebiedsteam) for _ in range(scale)]
    agenda = WijkagendaFactory(
        gebiedsteam=gebiedsteam,
        slug=f"{prefix}-agenda",
        title=f"{prefix} agenda",
        status="draft",
        published_at=None,
        wijken=wijken,
    )
    agenda.publish(by=None, change_summary="Eerste versie.")
    for number in range(scale):
        organisation = PartnerOrganisationFactory()
        item = AgendaItemFactory(
            wijkagenda=agenda, theme=ThemeFactory(), lead_organisation=organisation
        )
        plan = PlanFactory(wijkagenda=agenda)
        done = ActionFactory(
            plan=plan, agenda_item=item, owner_organisation=organisation, status="done"
        )
        ActionFactory(plan=plan, agenda_item=item)
        ProgressUpdateFactory(action=done, is_result=True)
        ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijken[number]])
        agenda.publish(by=None, change_summary=f"Versie {number + 2}.")
    return agenda


class InitiativeFactory(factory.django.DjangoModelFactory):
    """Received (not public) unless `status` and `published_at` say otherwise; its gebiedsteam
    is its wijk's."""

    class Meta:
        model = Initiative

    wijk = factory.SubFactory(WijkFactory)
    gebiedsteam = factory.LazyAttribute(lambda o: o.wijk.gebiedsteam)
    title = factory.Sequence(lambda n: f"Initiatief {n}")
    body = "We willen met de buurt een moestuin beginnen op het grasveld."
    submitted_by = factory.SubFactory(UserFactory)
    status = Initiative.Status.RECEIVED
