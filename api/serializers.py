"""What the API tells of each object: the fields an anonymous visitor's pages show.

Flat where it can be (a related object as its slug or CBS code, a point as longitude and
latitude), so that one row of a list is one row of a spreadsheet: the open-data downloads
can write these same serializers to CSV. Nothing here reads a person: no authors, no
submitters, no contact persons.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agendas.models import Action, AgendaItem, Plan, ProgressUpdate, Vision, Wijkagenda
from areas.models import Buurt, Gebiedsteam, Wijk
from meetings.models import Meeting
from pacts.models import Alliance, Pact, PactCommitment, PartnerOrganisation
from participation.models import Advice, Initiative, InputOutcome, Proposal


class PageUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", "The object's page in the portal.")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


extend_schema_field(OpenApiTypes.URI)(PageUrlField)


def codes(**kwargs: Any) -> serializers.SlugRelatedField:
    """The CBS codes of the wijken an object covers."""
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True, **kwargs)


def slug_of(source: str | None = None, **kwargs: Any) -> serializers.SlugRelatedField:
    """A related object as its slug (`source`: where it is, when not the field's name)."""
    if source is not None:
        kwargs["source"] = source
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


class GebiedsteamSerializer(serializers.ModelSerializer):
    wijk_count = serializers.IntegerField(read_only=True)
    inhabitants = serializers.IntegerField(read_only=True, allow_null=True)
    url = PageUrlField()

    class Meta:
        model = Gebiedsteam
        fields = [
            "slug",
            "name",
            "description",
            "colour",
            "focus",
            "contact_email",
            "contact_phone",
            "wijk_count",
            "inhabitants",
            "url",
        ]


class AreaGeometryMixin(serializers.Serializer):
    """The simplified boundary (GeoJSON geometry in WGS84), when the list was asked for it
    (`?geometry=true`); otherwise the field is left out."""

    geometry = serializers.JSONField(
        source="geometry_simplified",
        read_only=True,
        required=False,
        help_text="Only with ?geometry=true: the simplified boundary as a GeoJSON geometry.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.context.get("geometry"):
            self.fields.pop("geometry")


class WijkSerializer(AreaGeometryMixin, serializers.ModelSerializer):
    gebiedsteam = slug_of()
    stadsdeel = serializers.CharField(source="stadsdeel.name", read_only=True, allow_null=True)
    url = PageUrlField()

    class Meta:
        model = Wijk
        fields = [
            "code",
            "slug",
            "name",
            "kind",
            "gebiedsteam",
            "stadsdeel",
            "inhabitants",
            "dwellings",
            "area_land_ha",
            "population_density",
            "figures_year",
            "label_lon",
            "label_lat",
            "boundary_year",
            "url",
            "geometry",
        ]


class BuurtSerializer(AreaGeometryMixin, serializers.ModelSerializer):
    wijk = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Buurt
        fields = ["code", "name", "wijk", "label_lon", "label_lat", "boundary_year", "geometry"]


class PublishedItemSerializer(serializers.Serializer):
    """An agenda item as the agenda was last published (agendas/publication.py)."""

    id = serializers.IntegerField(source="pk", allow_null=True)
    theme = serializers.CharField(source="theme.name")
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices)
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown.")
    lead_organisation = serializers.CharField(
        source="lead_organisation.slug", allow_null=True, default=None
    )


class WijkagendaSerializer(serializers.ModelSerializer):
    """An agenda as its latest published version shows it (the title and period of the
    version; `listing` is set by the view from agendas.publication.listing_for)."""

    title = serializers.CharField(source="listing.title", read_only=True)
    period_start = serializers.DateField(source="listing.period_start", read_only=True)
    period_end = serializers.DateField(source="listing.period_end", read_only=True)
    item_count = serializers.IntegerField(source="listing.item_count", read_only=True)
    gebiedsteam = slug_of()
    wijken = codes()
    url = PageUrlField()

    class Meta:
        model = Wijkagenda
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "gebiedsteam",
            "wijken",
            "period_start",
            "period_end",
            "published_at",
            "version",
            "item_count",
            "url",
        ]


class PlanSummarySerializer(serializers.ModelSerializer):
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "title", "period_start", "period_end", "action_count"]


class WijkagendaDetailSerializer(serializers.ModelSerializer):
    """One agenda with its summary and items as last published (`content`, set by the view
    from agendas.publication.content_for) and its plans."""

    title = serializers.CharField(source="content.title", read_only=True)
    summary = serializers.CharField(
        source="content.summary", read_only=True, help_text="Markdown, in plain language (B1)."
    )
    period_start = serializers.DateField(source="content.period_start", read_only=True)
    period_end = serializers.DateField(source="content.period_end", read_only=True)
    review_date = serializers.DateField(
        source="content.review_date", read_only=True, allow_null=True
    )
    items = PublishedItemSerializer(source="content.items", many=True, read_only=True)
    plans = PlanSummarySerializer(many=True, read_only=True)
    gebiedsteam = slug_of()
    wijken = codes()
    url = PageUrlField()

    class Meta:
        model = Wijkagenda
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "gebiedsteam",
            "wijken",
            "period_start",
            "period_end",
            "review_date",
            "published_at",
            "version",
            "summary",
            "items",
            "plans",
            "url",
        ]


class PlanSerializer(serializers.ModelSerializer):
    wijkagenda = slug_of()
    action_count = serializers.IntegerField(read_only=True)
    url = PageUrlField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "wijkagenda",
            "title",
            "description",
            "period_start",
            "period_end",
            "action_count",
            "url",
        ]


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    wijkagenda = slug_of("plan.wijkagenda")
    agenda_item = serializers.CharField(
        source="agenda_item.title", read_only=True, allow_null=True, default=None
    )
    theme = serializers.CharField(
        source="agenda_item.theme.name", read_only=True, allow_null=True, default=None
    )
    owner_organisation = slug_of()
    url = PageUrlField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "wijkagenda",
            "agenda_item",
            "theme",
            "title",
            "description",
            "owner_organisation",
            "status",
            "progress",
            "start_date",
            "due_date",
            "longitude",
            "latitude",
            "budget",
            "result",
            "last_progress_at",
            "url",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    action = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "action", "created_at", "text", "status", "progress", "is_result"]


class VisionSerializer(serializers.ModelSerializer):
    gebiedsteam = slug_of()

    class Meta:
        model = Vision
        fields = ["id", "gebiedsteam", "title", "body", "horizon_year", "status"]


class OutcomeSerializer(serializers.ModelSerializer):
    """What was done with one comment or one advice when the proposal was decided."""

    input = serializers.SerializerMethodField(help_text="comment or advice")
    wijkraad = serializers.CharField(
        source="advice.wijkraad.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = InputOutcome
        fields = ["input", "wijkraad", "outcome", "reason"]

    def get_input(self, outcome: InputOutcome) -> str:
        return "comment" if outcome.comment_id else "advice"


class ProposalSerializer(serializers.ModelSerializer):
    gebiedsteam = slug_of()
    wijken = codes()
    outcomes = OutcomeSerializer(source="public_outcomes", many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="The actions carrying out the decision (those on published agendas)."
    )
    url = PageUrlField()

    class Meta:
        model = Proposal
        fields = [
            "slug",
            "title",
            "body",
            "gebiedsteam",
            "wijken",
            "status",
            "audience",
            "opens_at",
            "closes_at",
            "longitude",
            "latitude",
            "decision",
            "input_feedback",
            "decided_at",
            "outcomes",
            "actions",
            "url",
        ]

    def get_actions(self, proposal: Proposal) -> list[int]:
        return [action.pk for action in proposal.public_actions]  # type: ignore[attr-defined]


class AdviceSerializer(serializers.ModelSerializer):
    """A wijkraad's advice; its verdict and text only once submitted, as on the proposal's
    page (before that they are the council's draft)."""

    proposal = slug_of()
    wijkraad = slug_of()
    verdict = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Advice
        fields = [
            "id",
            "proposal",
            "wijkraad",
            "deadline",
            "submitted_at",
            "verdict",
            "text",
            "response",
            "responded_at",
        ]

    def get_verdict(self, advice: Advice) -> str | None:
        return advice.verdict if advice.submitted_at else None

    def get_text(self, advice: Advice) -> str | None:
        return advice.text if advice.submitted_at else None


class MeetingSerializer(serializers.ModelSerializer):
    gebiedsteam = slug_of()
    wijken = codes()
    proposals = serializers.SerializerMethodField(
        help_text="The slugs of the proposals discussed (the public ones)."
    )
    initiatives = serializers.SerializerMethodField(
        help_text="The ids of the residents' initiatives discussed (the published ones)."
    )
    url = PageUrlField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "gebiedsteam",
            "wijken",
            "starts_at",
            "ends_at",
            "location_name",
            "address",
            "longitude",
            "latitude",
            "minutes",
            "proposals",
            "initiatives",
            "url",
        ]

    def get_proposals(self, meeting: Meeting) -> list[str]:
        return [proposal.slug for proposal in meeting.public_proposals]  # type: ignore[attr-defined]

    def get_initiatives(self, meeting: Meeting) -> list[int]:
        return [initiative.pk for initiative in meeting.public_initiatives]  # type: ignore[attr-defined]


class InitiativeSerializer(serializers.ModelSerializer):
    wijk = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gebiedsteam = slug_of()
    partner = slug_of(allow_null=True)
    url = PageUrlField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "body",
            "group_name",
            "wijk",
            "gebiedsteam",
            "status",
            "reason",
            "published_at",
            "longitude",
            "latitude",
            "help_space",
            "help_money",
            "help_contacts",
            "help_permits",
            "help_other",
            "help_other_text",
            "partner",
            "url",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = PartnerOrganisation
        fields = ["slug", "name", "kind", "website", "description", "url"]


class CommitmentSerializer(serializers.ModelSerializer):
    organisation = slug_of()
    actions = serializers.SerializerMethodField(
        help_text="The actions carrying out the commitment (those on published agendas)."
    )

    class Meta:
        model = PactCommitment
        fields = ["organisation", "text", "signed_by", "signed_on", "actions"]

    def get_actions(self, commitment: PactCommitment) -> list[int]:
        return [action.pk for action in commitment.visible_actions]  # type: ignore[attr-defined]


class PactSerializer(serializers.ModelSerializer):
    gebiedsteam = slug_of()
    wijken = codes()
    commitments = CommitmentSerializer(many=True, read_only=True)
    url = PageUrlField()

    class Meta:
        model = Pact
        fields = [
            "slug",
            "name",
            "gebiedsteam",
            "wijken",
            "approach",
            "period_start",
            "period_end",
            "status",
            "summary",
            "text",
            "commitments",
            "url",
        ]


class AllianceSerializer(serializers.ModelSerializer):
    parent = slug_of(allow_null=True)
    members = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    focus_gebieden = serializers.SlugRelatedField(
        source="focus_gebiedsteams", slug_field="slug", many=True, read_only=True
    )
    focus_wijken = codes()
    url = PageUrlField()

    class Meta:
        model = Alliance
        fields = [
            "slug",
            "name",
            "parent",
            "description",
            "members",
            "focus_gebieden",
            "focus_wijken",
            "url",
        ]
