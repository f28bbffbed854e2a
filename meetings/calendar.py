"""Meetings as iCalendar (RFC 5545): one meeting's "add to calendar" file and the feeds of a
wijk and a gebied.

The icalendar library writes the file: it escapes commas, semicolons and newlines in texts,
folds long lines and writes times in UTC (the database keeps them in UTC; every calendar
shows them in its own zone). The UID of a meeting stays the same across downloads and
feeds, so a calendar that fetches the feed again updates the event instead of adding one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import Meeting

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Wijkportaal//Bijeenkomsten//NL"


def site_domain() -> str:
    """The portal's host name, from its public address (WIJKPORTAAL_BASE_URL)."""
    return urlsplit(settings.WIJKPORTAAL_BASE_URL).hostname or "wijkportaal"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_domain()}"


def _location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.location_name, meeting.address) if part)


def meeting_event(meeting: Meeting, *, stamp: dt.datetime) -> Event:
    """One meeting as a VEVENT: title, times, place, the description and its page."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    url = settings.WIJKPORTAAL_BASE_URL + meeting.get_absolute_url()
    event.add("url", url)
    description = meeting.description.strip()
    event.add("description", f"{description}\n\n{url}" if description else url)
    location = _location(meeting)
    if location:
        event.add("location", location)
    if meeting.has_location:
        event.add("geo", (meeting.latitude, meeting.longitude))
    event.add("categories", [str(meeting.get_kind_display())])
    event.add("class", "PUBLIC" if meeting.public else "PRIVATE")
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """The VCALENDAR of these meetings, named `name` in the calendar apps that show it."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
    return calendar.to_ical()


def calendar_response(content: bytes, *, filename: str) -> HttpResponse:
    """The calendar file with its type and a file name for whoever saves it."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
