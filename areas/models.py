"""The territory and the teams working in it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Revisioned, TimeStampedModel, is_functional_admin
from areas.geometry import Footprint

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class GeometrySource(models.TextChoices):
    FILE = "file", _("boundary file")
    PDOK = "pdok", _("PDOK")
    SCHEMATIC = "schematic", _("schematic shape")
    DRAWN = "drawn", _("drawn by hand")


class GebiedsteamQuerySet(models.QuerySet["Gebiedsteam"]):
    def of_user(
        self, user: User | AnonymousUser, *, roles: Iterable[str] | None = None
    ) -> GebiedsteamQuerySet:
        """The teams the user is a member of (in one of `roles`, if given)."""
        return self.filter(pk__in=team_ids_of(user, roles=roles))

    def with_wijk_counts(self) -> GebiedsteamQuerySet:
        # wijk_count is declared on the model, for the pages that read it.
        return self.annotate(  # type: ignore[no-redef]
            wijk_count=models.Count("wijken", distinct=True),
            inhabitants=models.Sum("wijken__inhabitants"),
        )

    def visible_to(self, user: User | AnonymousUser) -> GebiedsteamQuerySet:
        """Every gebiedsteam is public; views still start here (STYLE.md: visible_to first).

        The user is not even looked at, so public map answers do not vary by cookie.
        """
        return self.all()

    def for_list(self) -> GebiedsteamQuerySet:
        """With wijk count and inhabitants, without the map outline, in their order.

        The order is explicit: Django leaves Meta.ordering out of queries with GROUP BY.
        """
        return self.defer("outline").with_wijk_counts().order_by("position", "name")

    def for_map(self) -> GebiedsteamQuerySet:
        """With the outline and the wijk count, in their order."""
        return self.with_wijk_counts().order_by("position", "name")

    def for_detail(self) -> GebiedsteamQuerySet:
        """With counts, the wijken, werkplekken and members (name and role only) prefetched."""
        return self.for_list().prefetch_related(
            models.Prefetch("wijken", queryset=Wijk.objects.for_list()),
            "werkplekken",
            models.Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user")
                .only("role", "gebiedsteam", "user__full_name")
                .order_by("role", "user__full_name", "pk"),
            ),
        )


class Gebiedsteam(TimeStampedModel):
    """One of the municipality's gebiedsteams; its gebied is the union of its wijken."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1f6f8b", help_text=_("Hex colour on maps.")
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    focus = models.BooleanField(
        _("focus area"),
        default=False,
        help_text=_("The gebied needs extra investment (Kernalliantie)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Simplified union of the wijken, for maps."),
    )

    objects = GebiedsteamQuerySet.as_manager()
    # Set by GebiedsteamQuerySet.with_wijk_counts().
    wijk_count: int

    class Meta:
        verbose_name = _("gebiedsteam")
        verbose_name_plural = _("gebiedsteams")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:gebiedsteam-detail", kwargs={"slug": self.slug})

    def has_member(self, user: User | AnonymousUser) -> bool:
        if not user.is_authenticated:
            return False
        return self.memberships.filter(user=user).exists()


class Stadsdeel(TimeStampedModel):
    """The historical city district grouping (Centrum, Noord, Oud-Noord, …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("stadsdeel")
        verbose_name_plural = _("stadsdelen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WijkQuerySet(models.QuerySet["Wijk"]):
    def visible_to(self, user: User | AnonymousUser) -> WijkQuerySet:
        """Every wijk is public; views still start here (STYLE.md: visible_to first)."""
        return self.all()

    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> WijkQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def search(self, query: str) -> WijkQuerySet:
        """Wijken whose name contains the query, ignoring case."""
        return self.filter(name__icontains=query)

    def by_gebiedsteam(self) -> WijkQuerySet:
        """In the order of the gebiedsteams, then by name: for lists grouped by team."""
        return self.order_by("gebiedsteam__position", "gebiedsteam__name", "name", "pk")

    def with_geometry(self) -> WijkQuerySet:
        return self.filter(geometry__isnull=False)

    def for_map(self) -> WijkQuerySet:
        """Only what a map feature needs: the simplified boundary and a few properties."""
        return self.select_related("gebiedsteam").only(
            "code",
            "name",
            "slug",
            "kind",
            "inhabitants",
            "geometry_simplified",
            "gebiedsteam__name",
            "gebiedsteam__slug",
            "gebiedsteam__colour",
        )

    def for_detail(self) -> WijkQuerySet:
        """With gebiedsteam and stadsdeel, without the (large) boundaries."""
        return self.select_related("gebiedsteam", "stadsdeel").defer(
            "geometry", "geometry_simplified", "gebiedsteam__outline"
        )

    def for_list(self) -> WijkQuerySet:
        return self.select_related("gebiedsteam", "stadsdeel").defer(
            "geometry", "geometry_simplified", "gebiedsteam__outline"
        )

    def in_bbox(
        self, min_lon: float, min_lat: float, max_lon: float, max_lat: float
    ) -> WijkQuerySet:
        """Wijken whose box overlaps the given box."""
        return self.filter(
            min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat
        )


class Wijk(TimeStampedModel):
    """A CBS wijk (WK + 6 digits): a wijk, dorp, business park or rural area."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("wijk")
        DORP = "dorp", _("dorp")
        BEDRIJVENTERREIN = "bedrijventerrein", _("business park")
        BUITENGEBIED = "buitengebied", _("rural area")

    code = models.CharField(_("CBS code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WIJK)
    gebiedsteam = models.ForeignKey(
        Gebiedsteam, verbose_name=_("gebiedsteam"), on_delete=models.PROTECT, related_name="wijken"
    )
    stadsdeel = models.ForeignKey(
        Stadsdeel,
        verbose_name=_("stadsdeel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijken",
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    dwellings = models.PositiveIntegerField(_("dwellings"), null=True, blank=True)
    area_land_ha = models.PositiveIntegerField(_("land area (ha)"), null=True, blank=True)
    population_density = models.PositiveIntegerField(
        _("inhabitants per km²"), null=True, blank=True
    )
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"), null=True, blank=True)
    geometry = models.JSONField(_("boundary"), null=True, blank=True)
    geometry_simplified = models.JSONField(null=True, blank=True, editable=False)
    geometry_source = models.CharField(
        _("boundary source"), max_length=10, choices=GeometrySource, blank=True
    )
    boundary_year = models.PositiveSmallIntegerField(_("boundary year"), null=True, blank=True)
    min_lon = models.FloatField(null=True, editable=False)
    min_lat = models.FloatField(null=True, editable=False)
    max_lon = models.FloatField(null=True, editable=False)
    max_lat = models.FloatField(null=True, editable=False)
    label_lon = models.FloatField(_("label longitude"), null=True, blank=True)
    label_lat = models.FloatField(_("label latitude"), null=True, blank=True)

    objects = WijkQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^WK[0-9]{6}$"),
                name="areas_wijk_code_format",
                violation_error_message=_("A CBS wijk code is WK followed by six digits."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["wijk", "dorp", "bedrijventerrein", "buitengebied"]),
                name="areas_wijk_kind_known",
                violation_error_message=_("Unknown kind of wijk."),
            ),
        ]
        indexes = [
            # Used by the bounding-box query of the map endpoints (WijkQuerySet.in_bbox).
            models.Index(
                fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="areas_wijk_bbox_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:wijk-detail", kwargs={"slug": self.slug})

    def apply_footprint(self, footprint: Footprint, *, source: str, year: int | None) -> None:
        """Take a validated boundary; the caller saves."""
        apply_footprint(self, footprint, source=source, year=year)


class BuurtQuerySet(models.QuerySet["Buurt"]):
    def for_wijk(self, wijk: Wijk) -> BuurtQuerySet:
        return self.filter(wijk=wijk)

    def with_geometry(self) -> BuurtQuerySet:
        return self.filter(geometry__isnull=False)

    def for_list(self) -> BuurtQuerySet:
        return self.defer("geometry", "geometry_simplified")

    def for_map(self) -> BuurtQuerySet:
        """Only what a map feature needs: the simplified boundary, name and code."""
        return self.only("code", "name", "geometry_simplified")


class Buurt(TimeStampedModel):
    """A CBS buurt (BU + 8 digits) inside a wijk."""

    code = models.CharField(_("CBS code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="buurten"
    )
    geometry = models.JSONField(_("boundary"), null=True, blank=True)
    geometry_simplified = models.JSONField(null=True, blank=True, editable=False)
    geometry_source = models.CharField(
        _("boundary source"), max_length=10, choices=GeometrySource, blank=True
    )
    boundary_year = models.PositiveSmallIntegerField(_("boundary year"), null=True, blank=True)
    min_lon = models.FloatField(null=True, editable=False)
    min_lat = models.FloatField(null=True, editable=False)
    max_lon = models.FloatField(null=True, editable=False)
    max_lat = models.FloatField(null=True, editable=False)
    label_lon = models.FloatField(_("label longitude"), null=True, blank=True)
    label_lat = models.FloatField(_("label latitude"), null=True, blank=True)

    objects = BuurtQuerySet.as_manager()

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^BU[0-9]{8}$"),
                name="areas_buurt_code_format",
                violation_error_message=_("A CBS buurt code is BU followed by eight digits."),
            ),
        ]
        indexes = [
            # Used by the bounding-box query of the map endpoints.
            models.Index(
                fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="areas_buurt_bbox_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def apply_footprint(self, footprint: Footprint, *, source: str, year: int | None) -> None:
        """Take a validated boundary; the caller saves."""
        apply_footprint(self, footprint, source=source, year=year)


GEOMETRY_FIELDS = [
    "geometry",
    "geometry_simplified",
    "geometry_source",
    "boundary_year",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "label_lon",
    "label_lat",
]


def apply_footprint(
    area: Wijk | Buurt, footprint: Footprint, *, source: str, year: int | None
) -> None:
    area.geometry = footprint.geometry
    area.geometry_simplified = footprint.simplified
    area.geometry_source = source
    area.boundary_year = year
    area.min_lon, area.min_lat, area.max_lon, area.max_lat = footprint.bbox
    if area.label_lon is None or area.label_lat is None:
        area.label_lon, area.label_lat = footprint.label


class LocationFields:
    """Helpers shared by the located models (a point as two nullable, range-checked columns)."""

    @staticmethod
    def constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(longitude__isnull=True, latitude__isnull=True)
                | Q(
                    longitude__gte=-180,
                    longitude__lte=180,
                    latitude__gte=-90,
                    latitude__lte=90,
                ),
                name=f"{prefix}_location_valid",
                violation_error_message=_("A location needs both coordinates, within range."),
            )
        ]


class WerkplekQuerySet(models.QuerySet["Werkplek"]):
    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> WerkplekQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)


class Werkplek(Revisioned):
    """A place in the gebied that the team works from; its edit form carries its revision."""

    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        related_name="werkplekken",
    )
    wijk = models.ForeignKey(
        Wijk,
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="werkplekken",
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)

    objects = WerkplekQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkplek")
        verbose_name_plural = _("werkplekken")
        ordering = ["name"]
        constraints = LocationFields.constraints("areas_werkplek")

    def __str__(self) -> str:
        return self.name


# The members of a team or council as they are listed: by role, then by name.
MEMBERS_ORDER = ("role", "user__full_name", "user__email", "pk")


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def for_gebiedsteam(self, gebiedsteam: Gebiedsteam) -> TeamMembershipQuerySet:
        return self.filter(gebiedsteam=gebiedsteam)

    def for_list(self) -> TeamMembershipQuerySet:
        return self.select_related("user").order_by(*MEMBERS_ORDER)


class TeamMembership(TimeStampedModel):
    class Role(models.TextChoices):
        WIJKREGISSEUR = "wijkregisseur", _("wijkregisseur")
        OMGEVINGSMANAGER = "omgevingsmanager", _("omgevingsmanager")
        ONDERSTEUNER = "ondersteuner", _("gebiedsmanagementondersteuner")
        PARTNER = "partner", _("partner representative")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    gebiedsteam = models.ForeignKey(
        Gebiedsteam,
        verbose_name=_("gebiedsteam"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["gebiedsteam", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "gebiedsteam"], name="areas_teammembership_once"
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=["wijkregisseur", "omgevingsmanager", "ondersteuner", "partner"]
                ),
                name="areas_teammembership_role_known",
                violation_error_message=_("Unknown team role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.gebiedsteam_id} ({self.role})"


# The team roles, by what they allow (docs/roles.md). Everyone in a team reads what the team
# reads (its drafts, closed meetings, reports). The core team (the municipality's people)
# prepares the agenda, plans, proposals and meetings; the leads publish, decide and speak for
# the municipality; the wijkregisseur invites. A partner representative sits in the team for
# their organisation and does none of these.
TEAM_ROLES = frozenset(TeamMembership.Role)
CORE_ROLES = frozenset(
    {
        TeamMembership.Role.WIJKREGISSEUR,
        TeamMembership.Role.OMGEVINGSMANAGER,
        TeamMembership.Role.ONDERSTEUNER,
    }
)
LEAD_ROLES = frozenset({TeamMembership.Role.WIJKREGISSEUR, TeamMembership.Role.OMGEVINGSMANAGER})
INVITER_ROLES = frozenset({TeamMembership.Role.WIJKREGISSEUR})


class WijkraadQuerySet(models.QuerySet["Wijkraad"]):
    def visible_to(self, user: User | AnonymousUser) -> WijkraadQuerySet:
        """Every wijkraad and dorpsraad is public; views still start here (STYLE.md)."""
        return self.all()

    def for_wijk(self, wijk: Wijk) -> WijkraadQuerySet:
        return self.filter(wijken=wijk)

    def with_wijken(self) -> WijkraadQuerySet:
        """With their wijken (name and slug only, not the boundaries), by name: one query
        for the wijken of all councils together."""
        return self.prefetch_related(
            models.Prefetch("wijken", queryset=Wijk.objects.only("pk", "name", "slug"))
        )


class Wijkraad(TimeStampedModel):
    """A wijkraad or dorpsraad: the standing partner of a team, giving advice on proposals."""

    class Kind(models.TextChoices):
        WIJKRAAD = "wijkraad", _("wijkraad")
        DORPSRAAD = "dorpsraad", _("dorpsraad")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.WIJKRAAD)
    wijken = models.ManyToManyField(Wijk, verbose_name=_("wijken"), related_name="wijkraden")
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = WijkraadQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijkraad")
        verbose_name_plural = _("wijkraden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:wijkraad-detail", kwargs={"slug": self.slug})


class CouncilMembershipQuerySet(models.QuerySet["CouncilMembership"]):
    def for_wijkraad(self, wijkraad: Wijkraad) -> CouncilMembershipQuerySet:
        return self.filter(wijkraad=wijkraad)

    def for_list(self) -> CouncilMembershipQuerySet:
        return self.select_related("user").order_by(*MEMBERS_ORDER)

    def shown_publicly(self) -> CouncilMembershipQuerySet:
        """The members who agreed to be named on the council's public page, and have a name."""
        return self.filter(shown_publicly=True, user__is_active=True).exclude(user__full_name="")


class CouncilMembership(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="council_memberships",
    )
    wijkraad = models.ForeignKey(
        Wijkraad, verbose_name=_("wijkraad"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    # The member's own choice (on "My account"; an administrator can set it too): only then is
    # their name on the council's public page.
    shown_publicly = models.BooleanField(
        _("shown publicly"),
        default=False,
        help_text=_("The member agreed to have their name on the public page of the council."),
    )

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "wijkraad"], name="areas_councilmembership_once"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "secretary", "member"]),
                name="areas_councilmembership_role_known",
                violation_error_message=_("Unknown council role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.wijkraad_id} ({self.role})"


def team_ids_of(
    user: User | AnonymousUser, *, roles: Iterable[str] | None = None
) -> models.QuerySet[Any]:
    """Ids of the gebiedsteams a user belongs to (in one of `roles`, if given), as a
    subquery; none for anonymous users."""
    if not user.is_authenticated:
        return TeamMembership.objects.none().values("gebiedsteam_id")
    memberships = TeamMembership.objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.values("gebiedsteam_id")


def is_admin(user: User | AnonymousUser) -> bool:
    """The functional administrator: sees and manages everything of every gebied."""
    return is_functional_admin(user)


def gebied_visibility(user: User | AnonymousUser, *, public: Q) -> Q:
    """The condition for what a user may see of a gebiedsteam's objects.

    Admins see everything; members of a team also see everything of their own teams (its
    drafts, closed meetings); everyone else sees what `public` lets through. The model
    filtered on needs a `gebiedsteam` field.
    """
    if is_admin(user):
        return Q()
    if not user.is_authenticated:
        return public
    return public | Q(gebiedsteam_id__in=team_ids_of(user))


class Residence(TimeStampedModel):
    """The wijk a resident says they live in: only the wijk, never the address, postcode or
    point they may have found it with (areas/residences.py; the privacy statement)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="residence",
    )
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="residences"
    )

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.wijk_id}"
