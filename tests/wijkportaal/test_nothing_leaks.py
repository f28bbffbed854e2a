"""Nothing of a closed meeting, a council-only proposal or an unpublished initiative leaks.

Issue 15's promise, through every channel at once: the lists of the wijk and the gebied, the
proposals' list, the city map's list and its GeoJSON, the calendar and Atom feeds, the
search, the sitemap and the notification list, for a visitor, a resident and a member of another
gebied's team. Beside each hidden item stands a public twin of the same kind in the same
place, which each channel does show: so an absence means hidden, not a channel that shows
nothing. The single channels have their own, finer tests (tests/meetings/test_calendar.py,
tests/portal/test_maps.py, tests/portal/test_feeds.py, tests/participation/test_initiatives.py,
tests/accounts/test_notification_visibility.py).
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from tests.factories import (
    CouncilMembershipFactory,
    InitiativeFactory,
    MeetingFactory,
    ProposalFactory,
    WijkraadFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

HIDDEN = ("Besloten teamoverleg", "Alleen voor de raad", "Nog niet openbaar")
TWINS = ("Open wijkdialoog", "Voorstel voor iedereen", "Openbaar initiatief")
PLACE = {"longitude": 5.05, "latitude": 51.55}


@pytest.fixture
def world(gebiedsteam, wijk, resident):
    """Each hidden item with its public twin, all in the wijk and on the map."""
    closed, meeting = (
        MeetingFactory(gebiedsteam=gebiedsteam, title=title, public=public, **PLACE)
        for title, public in ((HIDDEN[0], False), (TWINS[0], True))
    )
    for item in (closed, meeting):
        item.wijken.set([wijk])
    council_only = ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title=HIDDEN[1], council_only=True, **PLACE
    )
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title=TWINS[1], **PLACE)
    unpublished = InitiativeFactory(wijk=wijk, title=HIDDEN[2], **PLACE)
    initiative = InitiativeFactory(
        wijk=wijk, title=TWINS[2], status="conversation", published_at=timezone.now(), **PLACE
    )
    # Each public page links the hidden item of the other kind beside its public twin.
    meeting.initiatives.set([unpublished, initiative])
    initiative.meetings.add(closed)
    council = WijkraadFactory()
    council.wijken.set([wijk])
    member = CouncilMembershipFactory(wijkraad=council).user
    return {
        "hidden": [closed, council_only, unpublished],
        "twins": [meeting, proposal, initiative],
        "council_member": member,
    }


def channels(wijk, gebiedsteam, world) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each channel: its address, and the twins it shows."""
    meeting, _proposal, initiative = world["twins"]
    return {
        "meeting page": (meeting.get_absolute_url(), (TWINS[0], TWINS[2])),
        "initiative page": (initiative.get_absolute_url(), (TWINS[0], TWINS[2])),
        "home": ("/", TWINS[:2]),
        "wijk page": (f"/wijken/{wijk.slug}/", TWINS),
        "gebied page": (f"/gebieden/{gebiedsteam.slug}/", TWINS[:1]),
        "wijk initiatives": (f"/wijken/{wijk.slug}/initiatieven/", (TWINS[2],)),
        "wijk meetings": (f"/wijken/{wijk.slug}/bijeenkomsten/", (TWINS[0],)),
        "gebied meetings": (f"/gebieden/{gebiedsteam.slug}/bijeenkomsten/", (TWINS[0],)),
        "proposals": ("/voorstellen/", (TWINS[1],)),
        "city map list": (f"/kaart/?wijk={wijk.slug}", TWINS),
        "map GeoJSON": (f"/kaart/locaties.geojson?wijk={wijk.slug}", TWINS),
        "wijk feed": (f"/wijken/{wijk.slug}/bijeenkomsten.ics", (TWINS[0],)),
        "gebied feed": (f"/gebieden/{gebiedsteam.slug}/bijeenkomsten.ics", (TWINS[0],)),
        "wijk Atom feed": (f"/wijken/{wijk.slug}/feeds/voorstellen.xml", (TWINS[1],)),
        "gebied Atom feed": (f"/gebieden/{gebiedsteam.slug}/feeds/voorstellen.xml", (TWINS[1],)),
        "search": ("/zoeken/?q=teamoverleg+or+wijkdialoog+or+raad+or+iedereen", TWINS[:2]),
        "search, meetings": (
            "/zoeken/?q=teamoverleg+or+wijkdialoog&soort=bijeenkomsten",
            (TWINS[0],),
        ),
        "search, proposals": ("/zoeken/?q=raad+or+iedereen&soort=voorstellen", (TWINS[1],)),
    }


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_team_member"])
def test_nothing_hidden_leaks_through_any_channel(request, who, world, wijk, gebiedsteam):
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    shown = {}
    for name, (url, twins) in channels(wijk, gebiedsteam, world).items():
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, name
        text = response.content.decode()
        shown[name] = (
            [title for title in HIDDEN if title in text],
            [title for title in twins if title in text],
        )

    assert shown == {
        name: ([], list(twins))
        for name, (_url, twins) in channels(wijk, gebiedsteam, world).items()
    }
    for item in world["hidden"]:
        assert client.get(item.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_the_sitemap_names_the_twins_and_none_of_the_hidden(world):
    sections = ["bijeenkomsten", "voorstellen", "initiatieven"]
    text = "".join(Client().get(f"/sitemap-{name}.xml").content.decode() for name in sections)

    def listed(items):
        return [item.title for item in items if f"{item.get_absolute_url()}</loc>" in text]

    assert (listed(world["hidden"]), listed(world["twins"])) == ([], list(TWINS))


def test_the_hidden_items_do_show_to_who_may_read_them(world, wijk, team_member):
    """The same channels, as the gebied's team and the wijkraad: the closed meeting in the
    team's lists and on the initiative's page, the unpublished initiative in the wijk's list
    and on the meeting's page (never on the map, which shows what is public), the
    council-only proposal to its council, list and map."""
    team, council = Client(), Client()
    team.force_login(team_member)
    council.force_login(world["council_member"])

    meeting, _proposal, initiative = world["twins"]
    meeting_page = team.get(meeting.get_absolute_url()).content.decode()
    initiative_page = team.get(initiative.get_absolute_url()).content.decode()
    meetings = team.get(f"/wijken/{wijk.slug}/bijeenkomsten/").content.decode()
    initiatives = team.get(f"/wijken/{wijk.slug}/initiatieven/").content.decode()
    feed = team.get(f"/wijken/{wijk.slug}/bijeenkomsten.ics").content.decode()
    proposals = council.get("/voorstellen/").content.decode()
    geojson = council.get(f"/kaart/locaties.geojson?wijk={wijk.slug}").json()

    assert HIDDEN[0] in meetings
    assert HIDDEN[0] in initiative_page
    assert HIDDEN[2] in meeting_page
    assert HIDDEN[2] in initiatives
    # A feed is a public address that calendars fetch without signing in: never closed ones.
    assert HIDDEN[0] not in feed
    assert HIDDEN[1] in proposals
    assert sorted(f["properties"]["title"] for f in geojson["features"]) == sorted(
        [*TWINS, HIDDEN[1]]
    )


@pytest.mark.parametrize("who", ["resident", "other_team_member"])
def test_notifications_about_hidden_items_are_not_listed_or_opened(request, who, world):
    """Notifications made while the items could be read (or by mistake): the list shows only
    those about what the recipient may read now, and a hidden one does not open."""
    user = request.getfixturevalue(who)
    made = {
        item.title: Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.UPDATE,
            title=f"Nieuws: {item.title}",
            url=item.get_absolute_url(),
            subject_type=ContentType.objects.get_for_model(item),
            subject_id=item.pk,
        )
        for item in [*world["hidden"], *world["twins"]]
    }
    client = Client()
    client.force_login(user)

    response = client.get("/account/meldingen/")

    assert sorted(n.title for n in response.context["page_obj"]) == sorted(
        f"Nieuws: {title}" for title in TWINS
    )
    assert [
        client.get(f"/account/meldingen/{made[title].pk}/").status_code for title in HIDDEN
    ] == [HTTPStatus.NOT_FOUND] * 3
