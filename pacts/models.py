"""Who commits to what: partner organisations and their staff, pacts, alliances, collaborations."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeStampedModel
from areas.models import Gebiedsteam, Wijk, gebied_visibility, is_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from agendas.models import Action


class PartnerOrganisationQuerySet(models.QuerySet["PartnerOrganisation"]):
    def visible_to(self, user: User | AnonymousUser) -> PartnerOrganisationQuerySet:
        """Every partner organisation is public (the list of organisations shows them all);
        views still start here (STYLE.md: visible_to first)."""
        return self.all()


class PartnerOrganisation(TimeStampedModel):
    class Kind(models.TextChoices):
        HOUSING = "housing", _("housing corporation")
        WELFARE = "welfare", _("welfare organisation")
        POLICE = "police", _("police")
        MUNICIPALITY = "municipality", _("municipality")
        SCHOOL = "school", _("school")
        HEALTH = "health", _("health care")
        RESIDENTS = "residents", _("residents' organisation")
        BUSINESS = "business", _("business")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "housing",
                        "welfare",
                        "police",
                        "municipality",
                        "school",
                        "health",
                        "residents",
                        "business",
                    ]
                ),
                name="pacts_partnerorganisation_kind_known",
                violation_error_message=_("Unknown kind of organisation."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:organisation-detail", kwargs={"slug": self.slug})


class OrganisationMembershipQuerySet(models.QuerySet["OrganisationMembership"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationMembershipQuerySet:
        """The staff lists a user may read (with e-mail addresses): every one for the
        functional administrator, their own organisations' for a staff administrator."""
        if is_admin(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            organisation_id__in=OrganisationMembership.objects.filter(
                user_id=user.pk, is_staff_administrator=True
            ).values("organisation_id")
        )

    def for_organisation(self, organisation: PartnerOrganisation) -> OrganisationMembershipQuerySet:
        return self.filter(organisation=organisation)

    def administrators(self) -> OrganisationMembershipQuerySet:
        return self.filter(is_staff_administrator=True)

    def for_list(self) -> OrganisationMembershipQuerySet:
        """With the person, by name: the staff page's list."""
        return self.select_related("user").order_by("user__full_name", "user__email", "pk")


class OrganisationMembership(TimeStampedModel):
    """Partner staff: the people who report on the actions their organisation owns.

    Granted and revoked in the portal by the organisation's own staff administrators (those
    with `is_staff_administrator`) or by the functional administrator (pacts.services).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    is_staff_administrator = models.BooleanField(
        _("staff administrator"),
        default=False,
        help_text=_("Grants and revokes this organisation's staff in the portal."),
    )

    objects = OrganisationMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="pacts_organisationmembership_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}"


class PactQuerySet(models.QuerySet["Pact"]):
    def published(self) -> PactQuerySet:
        return self.exclude(status=Pact.Status.DRAFT)

    def visible_to(self, user: User | AnonymousUser) -> PactQuerySet:
        """Published pacts for everyone; drafts for the team of the pact's gebied and admins."""
        return self.filter(gebied_visibility(user, public=~Q(status=Pact.Status.DRAFT)))

    def for_wijk(self, wijk: Wijk) -> PactQuerySet:
        return self.filter(wijken=wijk)

    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> PactQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def for_list(self) -> PactQuerySet:
        return self.select_related("gebiedsteam").prefetch_related("wijken")

    def annotate_commitment_count(self) -> PactQuerySet:
        return self.annotate(commitment_count=models.Count("commitments", distinct=True))

    def for_overview(self) -> PactQuerySet:
        """With the team and the wijken (without their boundaries), for lists and page headers."""
        return (
            self.select_related("gebiedsteam")
            .defer("gebiedsteam__outline")
            .prefetch_related(models.Prefetch("wijken", queryset=Wijk.objects.for_list()))
        )

    def with_organisation(self, organisation: PartnerOrganisation) -> PactQuerySet:
        """The pacts this organisation committed to (one commitment per pact and organisation)."""
        return self.filter(commitments__organisation=organisation)

    def with_commitments(self, user: User | AnonymousUser) -> PactQuerySet:
        """Each pact's commitments by organisation, with the actions the user may see.

        The actions come as `visible_actions` on each commitment. Action lives in `agendas`, a
        layer above this app, so it is reached through the reverse relation
        `PactCommitment.actions` instead of an import (the one under TYPE_CHECKING only names
        its type).
        """
        action_model = cast("type[Action]", PactCommitment.actions.field.model)
        actions = (
            action_model.objects.visible_to(user)
            .select_related("owner_organisation")
            .order_by("due_date", "pk")
        )
        commitments = (
            PactCommitment.objects.select_related("organisation")
            .prefetch_related(
                models.Prefetch("actions", queryset=actions, to_attr="visible_actions")
            )
            .order_by("organisation__name", "pk")
        )
        return self.prefetch_related(models.Prefetch("commitments", queryset=commitments))


class Pact(TimeStampedModel):
    """A wijkpact: partners in a gebied commit themselves to a shared approach."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    gebiedsteam = models.ForeignKey(
        Gebiedsteam, verbose_name=_("gebiedsteam"), on_delete=models.PROTECT, related_name="pacts"
    )
    wijken = models.ManyToManyField(
        Wijk, verbose_name=_("wijken"), related_name="pacts", blank=True
    )
    approach = models.CharField(_("approach"), max_length=150, blank=True)
    period_start = models.DateField(_("start"), null=True, blank=True)
    period_end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="pacts_pact_period_in_order",
                violation_error_message=_("The end of the period lies before its start."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "ended"]),
                name="pacts_pact_status_known",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pacts:pact-detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PactCommitment(TimeStampedModel):
    """What one organisation commits to in a pact, signed by whom and when."""

    pact = models.ForeignKey(
        Pact, verbose_name=_("pact"), on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.TextField(_("commitment"))
    signed_by = models.CharField(_("signed by"), max_length=150, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("pact commitment")
        verbose_name_plural = _("pact commitments")
        ordering = ["pact", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "organisation"], name="pacts_pactcommitment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.pact_id}"


class AllianceQuerySet(models.QuerySet["Alliance"]):
    def roots(self) -> AllianceQuerySet:
        """The alliances that are not part of another one (the Stedelijke Alliantie)."""
        return self.filter(parent=None)

    def with_focus(self) -> AllianceQuerySet:
        """With the focus gebieden and wijken (without their boundaries)."""
        return self.prefetch_related(
            "focus_gebiedsteams", models.Prefetch("focus_wijken", queryset=Wijk.objects.for_list())
        )

    def for_overview(self) -> AllianceQuerySet:
        """With their focus, and their sub-alliances with theirs: for the list of alliances."""
        children = Alliance.objects.with_focus().order_by("name")
        return self.with_focus().prefetch_related(models.Prefetch("children", queryset=children))

    def for_detail(self) -> AllianceQuerySet:
        return self.for_overview().select_related("parent").prefetch_related("members")


class Alliance(TimeStampedModel):
    """The Stedelijke Alliantie of municipality and social partners, and its Kernalliantie."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("member organisations"),
        related_name="alliances",
        blank=True,
    )
    focus_gebiedsteams = models.ManyToManyField(
        Gebiedsteam, verbose_name=_("focus gebieden"), related_name="alliances", blank=True
    )
    focus_wijken = models.ManyToManyField(
        Wijk, verbose_name=_("focus wijken"), related_name="alliances", blank=True
    )

    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pacts:alliance-detail", kwargs={"slug": self.slug})


class CollaborationQuerySet(models.QuerySet["Collaboration"]):
    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> CollaborationQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def for_list(self) -> CollaborationQuerySet:
        return self.select_related("gebiedsteam").prefetch_related("wijken", "organisations")


class Collaboration(TimeStampedModel):
    """A standing working form in a gebied: Dichtbijteam, Innovatielab, Academie, …"""

    class Kind(models.TextChoices):
        DICHTBIJTEAM = "dichtbijteam", _("Dichtbijteam")
        INNOVATIELAB = "innovatielab", _("Innovatielab")
        ONTWIKKELGROEP = "ontwikkelgroep", _("Ontwikkelgroep")
        ACADEMIE = "academie", _("Academie")
        VIERHOEKSOVERLEG = "vierhoeksoverleg", _("vierhoeksoverleg")
        KWARTIERMAKERS = "kwartiermakers", _("kwartiermakers")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        related_name="collaborations",
    )
    wijken = models.ManyToManyField(
        Wijk, verbose_name=_("wijken"), related_name="collaborations", blank=True
    )
    organisations = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("organisations"),
        related_name="collaborations",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    rhythm = models.CharField(_("meets"), max_length=150, blank=True)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["gebiedsteam", "name"]

    def __str__(self) -> str:
        return self.name
