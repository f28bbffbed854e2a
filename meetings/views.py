"""Planning and editing meetings of a gebied."""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from accounts.http import AuthenticatedHttpRequest
from areas.forms_location import location_wijk, wijken_geojson
from areas.models import Gebiedsteam, Wijk
from meetings import services
from meetings.forms import MeetingForm
from meetings.models import Meeting
from web.editing import EditPage, edit_response
from web.http import posted, render_page_or_fragment

if TYPE_CHECKING:
    pass


MEETING_TEMPLATE = "meetings/meeting_form.html"


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
