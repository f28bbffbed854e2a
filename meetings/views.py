"""Planning and editing meetings of a gebied."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from accounts.http import AuthenticatedHttpRequest
from areas.forms_location import location_wijk, wijken_geojson
from areas.models import Gebiedsteam, Wijk
from meetings import services
from meetings.calendar import calendar_bytes, calendar_response
from meetings.forms import MeetingForm
from meetings.models import Meeting, Registration
from participation.models import Initiative
from web.editing import EditPage, edit_response
from web.http import posted, render_page_or_fragment

if TYPE_CHECKING:
    from accounts.models import User
    from meetings.models import MeetingQuerySet


MEETING_TEMPLATE = "meetings/meeting_form.html"
MEETINGS_PER_PAGE = 20
# A calendar feed: every public meeting still to come and those of the last FEED_RECENT_DAYS
# days, at most FEED_LIMIT (calendar apps fetch the whole file again every few hours).
FEED_RECENT_DAYS = 90
FEED_LIMIT = 300


def _meeting_context(
    *, gebiedsteam: Gebiedsteam, meeting: Meeting | None, form: MeetingForm, **extra: Any
) -> dict[str, Any]:
    return {
        "gebiedsteam": gebiedsteam,
        "meeting": meeting,
        "form": form,
        "located_wijk": location_wijk(form, meeting or Meeting(gebiedsteam=gebiedsteam)),
        "picker_wijken": wijken_geojson(Wijk.objects.for_gebiedsteam(gebiedsteam).for_map()),
        "breadcrumbs": [
            (gebiedsteam.name, gebiedsteam.get_absolute_url()),
            (meeting.title if meeting else _("New meeting"), None),
        ],
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def meeting_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    if not request.user.has_perm("meetings.add_meeting", team):
        raise PermissionDenied
    form = MeetingForm(posted(request), instance=Meeting(gebiedsteam=team), gebiedsteam=team)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            meeting = services.create_meeting(
                gebiedsteam=team,
                values=form.changed_values(),
                wijken=form.cleaned_data["wijken"],
                initiatives=form.cleaned_data["initiatives"],
                by=request.user,
            )
            url = reverse("meetings:meeting-edit", kwargs={"pk": meeting.pk})
            if not request.htmx:
                messages.success(request, _("The meeting has been added."))
                return redirect(url)
            fresh = MeetingForm(instance=meeting, gebiedsteam=team)
            context = _meeting_context(gebiedsteam=team, meeting=meeting, form=fresh, saved=True)
            response = render_page_or_fragment(request, MEETING_TEMPLATE, "form", context)
            return push_url(response, url)
        status = HTTPStatus.BAD_REQUEST
    context = _meeting_context(gebiedsteam=team, meeting=None, form=form)
    return render_page_or_fragment(request, MEETING_TEMPLATE, "form", context, status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user)
        .select_related("gebiedsteam")
        .defer("gebiedsteam__outline"),
        pk=pk,
    )
    if not request.user.has_perm("meetings.change_meeting", meeting):
        raise PermissionDenied
    team = meeting.gebiedsteam
    form = MeetingForm(posted(request), instance=copy.copy(meeting), gebiedsteam=team)

    def context(shown: Meeting, form: MeetingForm, **extra: Any) -> dict[str, Any]:
        return _meeting_context(gebiedsteam=team, meeting=shown, form=form, **extra)

    def save() -> Meeting:
        services.update_meeting(
            meeting=meeting,
            values=form.changed_values(),
            wijken=form.cleaned_data["wijken"],
            initiatives=form.cleaned_data["initiatives"],
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
        )
        return meeting

    def saved(meeting: Meeting) -> HttpResponse:
        if not request.htmx:
            messages.success(request, _("The meeting has been saved."))
            return redirect("meetings:meeting-edit", pk=meeting.pk)
        fresh = context(meeting, MeetingForm(instance=meeting, gebiedsteam=team), saved=True)
        return render_page_or_fragment(request, MEETING_TEMPLATE, "form", fresh)

    return edit_response(
        request,
        page=EditPage(MEETING_TEMPLATE, "form", whole_page_on_get=True),
        obj=meeting,
        form=form,
        context=context,
        save=save,
        saved=saved,
        conflict_fields=MeetingForm.Meta.fields,
        current=lambda error: Meeting.objects.select_related("gebiedsteam").get(pk=pk),
        rebind=lambda current, data: MeetingForm(data, instance=current, gebiedsteam=team),
        capitalise_labels=False,
    )


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's page: when, where (with a small map), what, its minutes, and the proposals
    and initiatives discussed."""
    user = request.user
    meeting = get_object_or_404(Meeting.objects.visible_to(user).for_detail(), pk=pk)
    wijken = list(meeting.wijken.visible_to(user).for_list())
    proposals = meeting.proposals.visible_to(user).for_cards()
    # Only the initiatives this reader may see: one not yet public stays its submitter's
    # and the team's, whichever meeting links it.
    initiatives = Initiative.objects.visible_to(user).filter(meetings=meeting).for_list()
    gebiedsteam = meeting.gebiedsteam
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "gebiedsteam": gebiedsteam,
            "wijken": wijken,
            "proposals": proposals,
            "initiatives": initiatives,
            "places": Places.of(meeting, user),
            "sign_in_url": (
                f"{reverse('accounts:login')}?"
                f"{urlencode({'next': meeting.get_absolute_url() + '#sign-up'})}"
            ),
            "has_ended": meeting.has_ended(),
            "map_layers": _map_layers(meeting, wijken) if meeting.has_location else [],
            "breadcrumbs": [
                (gebiedsteam.name, gebiedsteam.get_absolute_url()),
                (
                    _("Meetings"),
                    reverse("meetings:gebied-meetings", kwargs={"slug": gebiedsteam.slug}),
                ),
                (meeting.title, None),
            ],
        },
    )


@dataclass(frozen=True)
class Places:
    """Signing up for a meeting, as its page shows it to this visitor."""

    open: bool
    capacity: int | None
    taken: int
    # The visitor's own sign-up (None: not signed up, or not signed in), and their place on
    # the waiting list (1 is the first).
    mine: Registration | None = None
    waiting_position: int | None = None
    # For those who plan the meeting: everyone signed up, with a place and waiting.
    registrations: list[Registration] = field(default_factory=list)

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @classmethod
    def of(cls, meeting: Meeting, user: User | AnonymousUser) -> Places | None:
        if not meeting.sign_up:
            return None
        taken = services.places_taken(meeting)
        mine, position, everyone = None, None, []
        if user.is_authenticated:
            mine = meeting.registrations.filter(user=user).first()
            if mine is not None and mine.waiting:
                position = (
                    1
                    + meeting.registrations.waiting_list()
                    .filter(
                        Q(created_at__lt=mine.created_at)
                        | Q(created_at=mine.created_at, pk__lt=mine.pk)
                    )
                    .count()
                )
            if user.has_perm("meetings.change_meeting", meeting):
                everyone = list(
                    meeting.registrations.select_related("user").order_by(
                        "waiting", "created_at", "pk"
                    )
                )
        return cls(
            open=meeting.takes_sign_ups(),
            capacity=meeting.capacity,
            taken=taken,
            mine=mine,
            waiting_position=position,
            registrations=everyone,
        )


@require_POST
@login_required
def meeting_sign_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Sign up for a meeting: a place, or the waiting list when asked for (`waiting_list`)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("meetings.sign_up", meeting):
        raise PermissionDenied
    try:
        registration = services.sign_up(
            meeting=meeting,
            user=request.user,
            waiting_list=request.POST.get("waiting_list") == "1",
        )
    except services.SignUpRefused as refused:
        full = isinstance(refused, services.MeetingFull)
        return render(
            request,
            "meetings/sign_up_refused.html",
            {
                "meeting": meeting,
                "message": refused.message,
                "full": full,
                "breadcrumbs": [(meeting.title, meeting.get_absolute_url()), (_("Sign up"), None)],
            },
            status=HTTPStatus.CONFLICT if full else HTTPStatus.BAD_REQUEST,
        )
    if registration.waiting:
        messages.success(
            request, _("You are on the waiting list. We let you know when a place comes free.")
        )
    else:
        messages.success(request, _("You have signed up. See you there!"))
    return redirect(meeting)


@require_POST
@login_required
def meeting_sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take one's sign-up back (a place or the waiting list)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    if services.sign_off(meeting=meeting, user=request.user):
        messages.success(request, _("You have signed off."))
    else:
        messages.info(request, _("You had not signed up for this meeting."))
    return redirect(meeting)


def _map_layers(meeting: Meeting, wijken: list[Wijk]) -> list[dict[str, Any]]:
    """The place of the meeting as a point, inside the outline of its wijk (or its gebied when
    it is for several wijken or none), which the map is fitted around."""
    if len(wijken) == 1:
        outline = {
            "url": f"{reverse('areas:wijken-geojson')}?wijk={wijken[0].slug}",
            "kind": "outline",
            "fit": True,
            "legend": _("Boundary of %(name)s") % {"name": wijken[0].name},
        }
    else:
        team = meeting.gebiedsteam
        outline = {
            "url": f"{reverse('areas:gebieden-geojson')}?gebied={team.slug}",
            "kind": "outline",
            "fit": True,
            "legend": _("Boundary of gebied %(name)s") % {"name": team.name},
        }
    point = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [meeting.longitude, meeting.latitude]},
        "properties": {"name": meeting.location_name or meeting.title},
    }
    return [
        outline,
        {"kind": "points", "data": {"type": "FeatureCollection", "features": [point]}},
    ]


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add to calendar": the meeting as an iCalendar file."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).for_detail(), pk=pk)
    return calendar_response(
        calendar_bytes([meeting], name=meeting.title), filename=f"bijeenkomst-{meeting.pk}.ics"
    )


def _meetings_page(
    request: HttpRequest, meetings: MeetingQuerySet, context: dict[str, Any]
) -> HttpResponse:
    paginator = Paginator(meetings.for_archive(), MEETINGS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page_obj": page_obj, **context})


@require_safe
def wijk_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """All meetings of a wijk, page by page: coming ones first, then those that took place."""
    wijk = get_object_or_404(Wijk.objects.visible_to(request.user).for_detail(), slug=slug)
    team = wijk.gebiedsteam
    meetings = Meeting.objects.visible_to(request.user).for_wijk(wijk)
    return _meetings_page(
        request,
        meetings,
        {
            "place_name": wijk.name,
            "place_url": wijk.get_absolute_url(),
            "calendar_url": reverse("meetings:wijk-calendar", kwargs={"slug": wijk.slug}),
            "breadcrumbs": [
                (team.name, team.get_absolute_url()),
                (wijk.name, wijk.get_absolute_url()),
                (_("Meetings"), None),
            ],
        },
    )


@require_safe
def gebied_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """All meetings of a gebied's team, page by page, as for a wijk."""
    team = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    meetings = Meeting.objects.visible_to(request.user).for_gebiedsteam(team)
    return _meetings_page(
        request,
        meetings,
        {
            "place_name": team.name,
            "place_url": team.get_absolute_url(),
            "calendar_url": reverse("meetings:gebied-calendar", kwargs={"slug": team.slug}),
            "breadcrumbs": [(team.name, team.get_absolute_url()), (_("Meetings"), None)],
        },
    )


@require_safe
def wijk_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The calendar feed of a wijk: what a visitor who is not signed in may read, whoever
    asks. Calendar apps fetch it without signing in, and a link to it gets passed on."""
    wijk = get_object_or_404(Wijk.objects.visible_to(request.user).for_detail(), slug=slug)
    meetings = (
        Meeting.objects.visible_to(AnonymousUser())
        .for_wijk(wijk)
        .for_feed(recent_days=FEED_RECENT_DAYS, limit=FEED_LIMIT)
    )
    name = _("Meetings in %(name)s") % {"name": wijk.name}
    return calendar_response(
        calendar_bytes(meetings, name=name), filename=f"bijeenkomsten-{wijk.slug}.ics"
    )


@require_safe
def gebied_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The calendar feed of a gebied: the public meetings of its team."""
    team = get_object_or_404(
        Gebiedsteam.objects.visible_to(request.user).defer("outline"), slug=slug
    )
    meetings = (
        Meeting.objects.visible_to(AnonymousUser())
        .for_gebiedsteam(team)
        .for_feed(recent_days=FEED_RECENT_DAYS, limit=FEED_LIMIT)
    )
    name = _("Meetings in gebied %(name)s") % {"name": team.name}
    return calendar_response(
        calendar_bytes(meetings, name=name), filename=f"bijeenkomsten-{team.slug}.ics"
    )
