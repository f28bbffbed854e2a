"""Workflows of the areas app that touch several models."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from areas.boundaries import FIGURES, BoundaryError, BoundaryFeature, parse_features
from areas.geometry import covers, outline
from areas.models import (
    GEOMETRY_FIELDS,
    Buurt,
    CouncilMembership,
    Gebiedsteam,
    GeometrySource,
    TeamMembership,
    Werkplek,
    Wijk,
    Wijkraad,
    apply_footprint,
)
from web.editing import save_at_revision

if TYPE_CHECKING:
    from accounts.models import Invitation, User

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)

FIGURE_FIELDS = [*FIGURES.values(), "figures_year"]


@dataclass
class BoundaryReport:
    """What a boundary import changed."""

    wijken_updated: int = 0
    buurten_created: int = 0
    buurten_updated: int = 0
    # CBS codes of the features that came without geometry (stored, but not on the map).
    without_geometry: list[str] = field(default_factory=list)
    outlines_refreshed: int = 0


@transaction.atomic
def import_boundaries(
    *,
    wijken: Mapping[str, Any] | None = None,
    buurten: Mapping[str, Any] | None = None,
    source: str = GeometrySource.FILE,
    year: int | None = None,
    update_figures: bool = True,
) -> BoundaryReport:
    """Store CBS wijk and buurt boundaries (GeoJSON FeatureCollections), matched on CBS code.

    Wijk features update existing wijken only: which wijken the portal has, and their
    gebiedsteam, are decisions the municipality makes, not CBS. Buurt features update their
    buurt or create it under its wijk (`WK` + the buurt code's digits 3–8). `year` overrides
    the features' own `boundary_year`. Every feature is validated before anything is
    written, and the whole import is one transaction: a BoundaryError leaves the database
    as it was. Writes are bulk, so the number of queries does not grow per feature.
    """
    if wijken is None and buurten is None:
        raise BoundaryError("Nothing to import: give wijken, buurten or both.")
    if source not in GeometrySource.values:
        raise BoundaryError(f"Unknown boundary source {source!r}.")
    wijk_features = parse_features(wijken, layer="wijken") if wijken is not None else []
    buurt_features = parse_features(buurten, layer="buurten") if buurten is not None else []

    report = BoundaryReport()
    now = timezone.now()
    codes = {f.code for f in wijk_features} | {f.wijk_code for f in buurt_features}
    wijken_by_code = {wijk.code: wijk for wijk in Wijk.objects.filter(code__in=codes)}

    updated_wijken: list[Wijk] = []
    for feature in wijk_features:
        wijk = wijken_by_code.get(feature.code)
        if wijk is None:
            raise feature.error("no wijk with this CBS code")
        _apply_boundary(wijk, feature, source=source, year=year, now=now, report=report)
        if update_figures and feature.figures:
            for name, value in feature.figures.items():
                setattr(wijk, name, value)
            wijk.figures_year = year if year is not None else feature.year
        updated_wijken.append(wijk)

    existing = {b.code: b for b in Buurt.objects.filter(code__in=[f.code for f in buurt_features])}
    new_buurten: list[Buurt] = []
    updated_buurten: list[Buurt] = []
    for feature in buurt_features:
        wijk = wijken_by_code.get(feature.wijk_code)
        if wijk is None:
            raise feature.error(f"its wijk {feature.wijk_code} does not exist")
        buurt = existing.get(feature.code)
        if buurt is None:
            buurt = Buurt(code=feature.code, name=feature.name, wijk=wijk)
            new_buurten.append(buurt)
        else:
            buurt.name = feature.name
            buurt.wijk = wijk
            updated_buurten.append(buurt)
        _apply_boundary(buurt, feature, source=source, year=year, now=now, report=report)

    wijk_fields = [*GEOMETRY_FIELDS, "updated_at"]
    if update_figures:
        wijk_fields += FIGURE_FIELDS
    Wijk.objects.bulk_update(updated_wijken, wijk_fields, batch_size=100)
    Buurt.objects.bulk_create(new_buurten, batch_size=100)
    Buurt.objects.bulk_update(
        updated_buurten, [*GEOMETRY_FIELDS, "name", "wijk", "updated_at"], batch_size=100
    )
    report.wijken_updated = len(updated_wijken)
    report.buurten_created = len(new_buurten)
    report.buurten_updated = len(updated_buurten)
    report.outlines_refreshed = refresh_outlines()
    return report


def _apply_boundary(
    area: Wijk | Buurt,
    feature: BoundaryFeature,
    *,
    source: str,
    year: int | None,
    now: dt.datetime,
    report: BoundaryReport,
) -> None:
    """Put a feature's boundary on a wijk or buurt; the caller saves.

    A label point someone chose stays while it lies inside the new boundary; otherwise the
    feature's own label point is taken if it lies inside, else a point inside the area.
    """
    year = year if year is not None else feature.year
    area.updated_at = now
    old_lon, old_lat = area.label_lon, area.label_lat
    if feature.footprint is None:
        area.geometry = None
        area.geometry_simplified = None
        area.geometry_source = ""
        area.boundary_year = year
        area.min_lon = area.min_lat = area.max_lon = area.max_lat = None
        if (old_lon is None or old_lat is None) and feature.label is not None:
            area.label_lon, area.label_lat = feature.label
        report.without_geometry.append(feature.code)
        return
    geometry = feature.footprint.geometry
    apply_footprint(area, feature.footprint, source=source, year=year)
    if old_lon is not None and old_lat is not None and covers(geometry, old_lon, old_lat):
        area.label_lon, area.label_lat = old_lon, old_lat
    elif feature.label is not None and covers(geometry, *feature.label):
        area.label_lon, area.label_lat = feature.label
    else:
        area.label_lon, area.label_lat = feature.footprint.label


@transaction.atomic
def refresh_outlines() -> int:
    """Recompute every gebiedsteam's outline, the simplified union of its wijken.

    Run after boundaries change. Returns the number of gebiedsteams.
    """
    # The ignore: django-stubs 5.2.9 loses Prefetch's type variables when prefetch_related
    # is called on a manager (fixed upstream in typeddjango/django-stubs#3263).
    teams = Gebiedsteam.objects.prefetch_related(
        Prefetch("wijken", queryset=Wijk.objects.only("pk", "gebiedsteam_id", "geometry"))  # type: ignore[arg-type]
    )
    count = 0
    for team in teams:
        team.outline = outline(wijk.geometry for wijk in team.wijken.all())
        team.save(update_fields=["outline", "updated_at"])
        count += 1
    return count


# Team management: invitations to a gebiedsteam or wijkraad, and the werkplekken.

TEAM_INVITATION = "team"
COUNCIL_INVITATION = "council"


def invite_to_gebiedsteam(
    *,
    gebiedsteam: Gebiedsteam,
    email: str,
    role: str,
    invited_by: User,
    base_url: str = "",
) -> Invitation:
    """Invite a person to a gebiedsteam with a role; accepting runs `join_gebiedsteam`.

    The invitation grants the team membership only. A partner representative's place on
    their organisation's staff is granted by that organisation's staff administrator (or the
    functional administrator) in the pacts app, not by whoever runs a team.
    """
    purpose: dict[str, Any] = {"kind": TEAM_INVITATION, "gebiedsteam": gebiedsteam.pk, "role": role}
    return account_services.invite(
        email=email, invited_by=invited_by, purpose=purpose, base_url=base_url
    )


def invite_to_wijkraad(
    *, wijkraad: Wijkraad, email: str, role: str, invited_by: User, base_url: str = ""
) -> Invitation:
    """Invite a person to a wijkraad with a council role."""
    purpose = {"kind": COUNCIL_INVITATION, "wijkraad": wijkraad.pk, "role": role}
    return account_services.invite(
        email=email, invited_by=invited_by, purpose=purpose, base_url=base_url
    )


def _invited_to(model: type[M], purpose: Mapping[str, Any], key: str) -> M | None:
    """The team or council an invitation's purpose names under `key`, or None if it is gone.

    The purpose is the invitation's stored JSON: a missing id counts as a deleted row.
    """
    pk = purpose.get(key)
    return model._default_manager.filter(pk=pk).first() if pk is not None else None


def join_gebiedsteam(*, user: User, purpose: Mapping[str, Any]) -> None:
    """Carry out an accepted team invitation: the membership with the invited role.

    Only the team and the role are read: an organisation that invitations sent before
    December 2026 may still name grants nothing. A member already in the team gets the
    invited role. If the team was removed since the invitation was sent, there is nothing to
    join; the account is still made.
    """
    gebiedsteam = _invited_to(Gebiedsteam, purpose, "gebiedsteam")
    if gebiedsteam is None:
        logger.warning("Invitation for gebiedsteam %s, which is gone.", purpose.get("gebiedsteam"))
        return
    TeamMembership.objects.update_or_create(
        user=user, gebiedsteam=gebiedsteam, defaults={"role": purpose["role"]}
    )


def join_wijkraad(*, user: User, purpose: Mapping[str, Any]) -> None:
    """Carry out an accepted council invitation: the council membership with its role."""
    wijkraad = _invited_to(Wijkraad, purpose, "wijkraad")
    if wijkraad is None:
        logger.warning("Invitation for wijkraad %s, which is gone.", purpose.get("wijkraad"))
        return
    CouncilMembership.objects.update_or_create(
        user=user, wijkraad=wijkraad, defaults={"role": purpose["role"]}
    )


def describe_team_invitation(purpose: Mapping[str, Any]) -> str:
    gebiedsteam = _invited_to(Gebiedsteam, purpose, "gebiedsteam")
    if gebiedsteam is None:
        return ""
    return _("join gebiedsteam %(team)s as %(role)s") % {
        "team": gebiedsteam.name,
        "role": _role_label(TeamMembership.Role, purpose.get("role")),
    }


def describe_council_invitation(purpose: Mapping[str, Any]) -> str:
    wijkraad = _invited_to(Wijkraad, purpose, "wijkraad")
    if wijkraad is None:
        return ""
    return _("join %(wijkraad)s as %(role)s") % {
        "wijkraad": wijkraad.name,
        "role": _role_label(CouncilMembership.Role, purpose.get("role")),
    }


def _role_label(roles: type[models.TextChoices], value: Any) -> str:
    return str(roles(value).label) if value in roles.values else str(value)


WERKPLEK_FIELDS = ["name", "address", "opening_hours", "wijk", "longitude", "latitude"]


@transaction.atomic
def create_werkplek(*, gebiedsteam: Gebiedsteam, data: Mapping[str, Any]) -> Werkplek:
    """A new werkplek of the gebiedsteam, from a validated WerkplekForm's cleaned data."""
    werkplek = Werkplek(gebiedsteam=gebiedsteam)
    for name in WERKPLEK_FIELDS:
        setattr(werkplek, name, data[name])
    werkplek.save()
    return werkplek


@transaction.atomic
def update_werkplek(
    *, werkplek: Werkplek, data: Mapping[str, Any], expected_revision: int
) -> Werkplek:
    """Change a werkplek's name, address, hours, wijk and location, unless someone saved it
    since `expected_revision` (then StaleEditError, nothing saved)."""
    for name in WERKPLEK_FIELDS:
        setattr(werkplek, name, data[name])
    save_at_revision(werkplek, fields=WERKPLEK_FIELDS, expected_revision=expected_revision)
    return werkplek
