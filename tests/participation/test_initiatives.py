from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.follows import follow, is_following
from accounts.models import Notification
from areas.models import TeamMembership
from followup.models import Reminder
from followup.sweeps import sweep_reminders
from participation.models import Initiative, InitiativeStep, TransitionRefused
from participation.services.initiatives import answer_initiative, submit_initiative
from tests.factories import (
    ActionFactory,
    InitiativeFactory,
    PartnerOrganisationFactory,
    PlanFactory,
    ResidenceFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkagendaFactory,
)
from web import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.english]

CREATE = "/initiatieven/nieuw/"
MAX_HTML = 60 * 1024


def valid_post(place, **extra):
    return {
        "wijk": str(place.pk),
        "title": "  Moestuin   op het grasveld ",
        "body": "We willen **samen** groente kweken.",
        "group_name": "Buurtvereniging De Tuin",
        "help_space": "on",
        "help_permits": "on",
        "longitude": "5.05",
        "latitude": "51.55",
        **extra,
    }


def answer_url(initiative):
    return reverse("participation:initiative-answer", kwargs={"pk": initiative.pk})


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The submission throttle counts per client address in the cache: start afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner_representative(gebiedsteam):
    user = UserFactory(email="partner@example.org")
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam, role=TeamMembership.Role.PARTNER)
    return user


@pytest.fixture
def received(wijk, resident):
    return InitiativeFactory(wijk=wijk, submitted_by=resident, title="Geheime moestuin")


# ---- Submitting -------------------------------------------------------------------------


def test_a_resident_submits_an_initiative_and_follows_it(client, wijk, resident, team_member):
    client.force_login(resident)

    response = client.post(CREATE, valid_post(wijk))

    initiative = Initiative.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/initiatieven/{initiative.pk}/"
    assert (
        initiative.title,
        initiative.body,
        initiative.group_name,
        initiative.wijk,
        initiative.gebiedsteam,
        initiative.submitted_by,
        initiative.status,
        initiative.published_at,
        (initiative.longitude, initiative.latitude),
        initiative.help_asked,
    ) == (
        "Moestuin op het grasveld",
        "We willen **samen** groente kweken.",
        "Buurtvereniging De Tuin",
        wijk,
        wijk.gebiedsteam,
        resident,
        "received",
        None,
        (5.05, 51.55),
        ["a space", "permits"],
    )
    assert list(InitiativeStep.objects.values_list("status", "by")) == [("received", resident.pk)]
    assert is_following(resident, initiative)
    assert list(Notification.objects.values_list("recipient", "title")) == [
        (team_member.pk, "New initiative for Quirijnstok: Moestuin op het grasveld")
    ]


def test_the_form_chooses_the_wijk_the_resident_lives_in(client, wijk, resident):
    ResidenceFactory(user=resident, wijk=wijk)
    client.force_login(resident)

    response = client.get(CREATE)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"]["wijk"].value() == wijk.pk


def test_anonymous_visitors_are_asked_to_sign_in(client, wijk):
    response = client.post(CREATE, valid_post(wijk))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/account/inloggen/?next={CREATE}"
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"wijk": ""}, "wijk", "Choose the wijk your initiative is for."),
        ({"wijk": "999999"}, "wijk", "Choose a wijk from the list."),
        ({"title": "   "}, "title", "Give your initiative a title."),
        ({"body": ""}, "body", "Describe your initiative."),
        (
            {"body": "x" * 5001},
            "body",
            "The description can be at most 5000 characters long; yours has 5001.",
        ),
        ({"longitude": "5.35"}, "longitude", "This location lies outside the chosen wijk."),
        ({"latitude": ""}, "latitude", "Give both longitude and latitude, or neither."),
        ({"help_other": "on"}, "help_other_text", "Say what other help you need."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, wijk, resident, change, field, message
):
    client.force_login(resident)

    response = client.post(CREATE, valid_post(wijk, **change))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors[field] == [message]
    assert (Initiative.objects.count(), InitiativeStep.objects.count()) == (0, 0)
    assert Notification.objects.count() == 0


def test_submitting_is_limited_per_client_address(client, wijk, resident, settings):
    settings.WIJKPORTAAL_INITIATIVES_PER_ADDRESS_PER_HOUR = 2
    client.force_login(resident)
    # Refused input does not count.
    client.post(CREATE, valid_post(wijk, title=""))
    first = client.post(CREATE, valid_post(wijk))
    second = client.post(CREATE, valid_post(wijk))

    third = client.post(CREATE, valid_post(wijk))

    assert (first.status_code, second.status_code) == (HTTPStatus.FOUND, HTTPStatus.FOUND)
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert third["Retry-After"] == "3600"
    assert third.context["throttled_message"] == (
        "Too many initiatives came from your connection. Try again in 60 minutes."
    )
    assert Initiative.objects.count() == 2


# ---- Answering --------------------------------------------------------------------------


def test_taking_an_initiative_up_makes_it_public_and_tells_the_followers(
    client, received, resident, team_member
):
    follow(user=resident, subject=received)
    client.force_login(team_member)

    response = client.post(
        answer_url(received), {"status": "conversation", "note": "We bellen u deze week."}
    )

    received.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == received.get_absolute_url()
    assert received.status == "conversation"
    assert received.published_at is not None
    assert list(InitiativeStep.objects.values_list("status", "note", "by")) == [
        ("conversation", "We bellen u deze week.", team_member.pk)
    ]
    assert list(Notification.objects.values_list("recipient", "title")) == [
        (resident.pk, "The team is in conversation about: Geheime moestuin")
    ]


def test_not_supporting_needs_a_reason(client, received, team_member):
    client.force_login(team_member)

    response = client.post(answer_url(received), {"status": "not_supported", "reason": " "})

    received.refresh_from_db()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["reason"] == ["Say why the initiative is not supported."]
    assert (received.status, InitiativeStep.objects.count()) == ("received", 0)
    with pytest.raises(TransitionRefused):
        answer_initiative(initiative=received, by=team_member, status="not_supported")


def test_turned_down_straight_away_it_stays_unpublished(client, received, team_member, resident):
    follow(user=resident, subject=received)
    client.force_login(team_member)

    client.post(answer_url(received), {"status": "not_supported", "reason": "Dit is reclame."})

    received.refresh_from_db()
    assert (received.status, received.reason, received.published_at) == (
        "not_supported",
        "Dit is reclame.",
        None,
    )
    assert Initiative.objects.visible_to(AnonymousUser()).count() == 0
    assert list(Notification.objects.values_list("recipient", "title")) == [
        (resident.pk, "Initiative not supported: Geheime moestuin")
    ]
    page = client.get(received.get_absolute_url())
    assert page.content.decode().count("Dit is reclame.") == 2  # the reason and the history


def test_supporting_links_actions_and_the_partner_and_the_page_shows_them(
    client, gebiedsteam, wijk, received, team_member, resident
):
    agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk], status="published")
    action = ActionFactory(plan=PlanFactory(wijkagenda=agenda), title="Moestuinbakken plaatsen")
    draft = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[wijk], status="draft")
    hidden = ActionFactory(plan=PlanFactory(wijkagenda=draft), title="Nog geheim plan")
    partner = PartnerOrganisationFactory(name="ContourdeTwern")
    client.force_login(team_member)

    response = client.post(
        answer_url(received),
        {"status": "supported", "actions": [action.pk, hidden.pk], "partner": partner.pk},
    )

    received.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert received.status == "supported"
    assert received.published_at is not None
    assert set(received.actions.all()) == {action, hidden}
    assert received.partner == partner
    client.force_login(resident)
    page = client.get(received.get_absolute_url()).content.decode()
    assert "Moestuinbakken plaatsen" in page
    assert "ContourdeTwern" in page
    # An action of a draft agenda stays the team's.
    assert "Nog geheim plan" not in page
    # A supported initiative is final.
    client.force_login(team_member)
    again = client.post(answer_url(received), {"status": "not_supported", "reason": "Toch niet."})
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert again.context["refused"] == "This initiative has been answered: its status is final."


def test_an_action_of_another_gebied_cannot_be_linked(
    client, received, team_member, other_gebiedsteam
):
    other = ActionFactory(
        plan=PlanFactory(wijkagenda=WijkagendaFactory(gebiedsteam=other_gebiedsteam))
    )
    client.force_login(team_member)

    response = client.post(answer_url(received), {"status": "supported", "actions": [other.pk]})

    received.refresh_from_db()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.context["form"].errors) == ["actions"]
    assert (received.status, received.actions.count()) == ("received", 0)


def test_who_may_answer(client, received, partner_representative, other_team_member, resident):
    client.force_login(partner_representative)
    assert client.get(answer_url(received)).status_code == HTTPStatus.NOT_FOUND
    client.force_login(other_team_member)
    assert client.get(answer_url(received)).status_code == HTTPStatus.NOT_FOUND
    client.force_login(resident)
    assert client.get(answer_url(received)).status_code == HTTPStatus.FORBIDDEN


# ---- Visibility -------------------------------------------------------------------------


def test_an_unpublished_initiative_leaks_nowhere(client, wijk, received, resident, team_member):
    url = received.get_absolute_url()
    lists = [
        f"/wijken/{wijk.slug}/initiatieven/",
        f"/wijken/{wijk.slug}/",
        f"/kaart/?wijk={wijk.slug}",
        f"/kaart/locaties.geojson?wijk={wijk.slug}",
    ]
    received.longitude, received.latitude = 5.05, 51.55
    received.save()
    stranger = UserFactory(email="vreemde@example.org")

    for user in (None, stranger):
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        for page in lists:
            assert "Geheime moestuin" not in client.get(page).content.decode(), (user, page)
    for user in (resident, team_member):
        client.force_login(user)
        assert client.get(url).status_code == HTTPStatus.OK
        assert "Geheime moestuin" in client.get(lists[0]).content.decode()
        # Not on the map even for them: the map shows what is public.
        assert "Geheime moestuin" not in client.get(lists[3]).content.decode()


def test_the_public_list_and_map_show_a_published_initiative(client, wijk, received):
    received.longitude, received.latitude = 5.05, 51.55
    received.status, received.published_at = "conversation", timezone.now()
    received.save()

    listing = client.get(f"/wijken/{wijk.slug}/initiatieven/")
    geojson = client.get(f"/kaart/locaties.geojson?wijk={wijk.slug}&soort=initiatief").json()

    assert listing.status_code == HTTPStatus.OK
    assert [i.title for i in listing.context["page_obj"]] == ["Geheime moestuin"]
    assert [f["properties"] for f in geojson["features"]] == [
        {
            "kind": "initiatief",
            "kind_label": "Initiative",
            "title": "Geheime moestuin",
            "url": received.get_absolute_url(),
            "status": "conversation",
            "status_label": "in conversation",
            "wijk": "Quirijnstok",
            "area": False,
        }
    ]


def test_the_werkplek_lists_initiatives_waiting_for_an_answer(
    client, received, team_member, partner_representative
):
    client.force_login(team_member)
    team = client.get("/werkplek/")
    client.force_login(partner_representative)
    partner = client.get("/werkplek/")

    section = team.content.decode().split('id="section-initiatives"')[1].split("</section>")[0]
    titles = re.findall(r'<h3 class="utrecht-heading-3"><a [^>]*>([^<]*)</a></h3>', section)
    assert titles == ["Geheime moestuin"]
    assert 'id="section-initiatives"' not in partner.content.decode()


# ---- Reminders --------------------------------------------------------------------------


def test_the_team_is_reminded_of_an_initiative_waiting_too_long(
    wijk,
    team_member,
    partner_representative,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS = 10
    now = timezone.now()
    waiting = InitiativeFactory(wijk=wijk, title="Bankjes", created_at=now - dt.timedelta(days=11))
    InitiativeFactory(wijk=wijk, created_at=now - dt.timedelta(days=9))

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_reminders.delay(names=["initiative_waiting"]).get()

    assert result == {"initiative_waiting": 1}
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["regisseur@example.org"], "The initiative “Bankjes” is waiting for an answer")
    ]
    assert list(Reminder.objects.values_list("object_id", "recipient")) == [
        (waiting.pk, team_member.pk)
    ]
    assert "Quirijnstok" in mailoutbox[0].body


# ---- Notifications ----------------------------------------------------------------------


def test_followers_hear_of_each_step_only_while_they_may_see_it(
    wijk, received, resident, team_member
):
    follow(user=resident, subject=received)
    follower = UserFactory(email="volger@example.org")
    answer_initiative(initiative=received, by=team_member, status="conversation")
    follow(user=follower, subject=received)

    answer_initiative(initiative=received, by=team_member, status="supported")

    titles = sorted(Notification.objects.values_list("recipient__email", "title"))
    assert titles == [
        ("bewoner@example.org", "Initiative supported: Geheime moestuin"),
        ("bewoner@example.org", "The team is in conversation about: Geheime moestuin"),
        ("volger@example.org", "Initiative supported: Geheime moestuin"),
    ]


def test_a_follower_who_cannot_see_it_is_not_told(wijk, received, resident, team_member):
    # A follow made while it was public (say, by a former submitter's colleague) of an
    # initiative that is still unpublished: only readers are told.
    outsider = UserFactory(email="buiten@example.org")
    follow(user=outsider, subject=received)
    follow(user=resident, subject=received)

    answer_initiative(
        initiative=received, by=team_member, status="not_supported", reason="Dubbel ingediend."
    )

    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "bewoner@example.org"
    ]


def test_submit_service_keeps_other_help_text_only_with_other_help(wijk, resident):
    initiative = submit_initiative(
        wijk=wijk,
        by=resident,
        values={"title": "Bankjes", "body": "Tekst", "help_other_text": "Een aanhanger"},
    )

    assert (initiative.help_other, initiative.help_other_text) == (False, "")


# ---- Bounded pages ----------------------------------------------------------------------


def _block(lon, lat):
    """A drawn area of 0.001° square with its corner at (lon, lat)."""
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _published(wijk, count):
    """`count` public initiatives; every other one is about an area (at its label point)."""
    Initiative.objects.bulk_create(
        Initiative(
            wijk=wijk,
            gebiedsteam=wijk.gebiedsteam,
            title=f"Initiatief {number:03}",
            body="Een plan van bewoners.",
            status="conversation",
            published_at=timezone.now(),
            longitude=5.01 + (number % 90) / 1000,
            latitude=51.51 + (number % 80) / 1000,
            area=(
                _block(5.0095 + (number % 90) / 1000, 51.5095 + (number % 80) / 1000)
                if number % 2
                else None
            ),
        )
        for number in range(count)
    )
    pagecache.bump_now()


def _queries(client, url):
    """The queries and size of the page rendered whole: no part of it kept from the last
    request (web.sections; tests.helpers.count_queries)."""
    pagecache.bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries), len(response.content)


def test_a_wijk_with_500_initiatives_costs_the_same_queries_as_with_3(client, wijk, team_member):
    pages = [f"/wijken/{wijk.slug}/initiatieven/", f"/wijken/{wijk.slug}/"]
    geojson = f"/kaart/locaties.geojson?wijk={wijk.slug}&soort=initiatief"
    client.force_login(team_member)
    _published(wijk, 3)
    for url in [*pages, geojson]:  # warm the per-process caches (content types)
        client.get(url)
    few = [_queries(client, url) for url in [*pages, geojson]]
    _published(wijk, 297)
    at_cap = _queries(client, geojson)
    _published(wijk, 200)
    many = [_queries(client, url) for url in [*pages, geojson]]

    assert [count for count, _size in many[:2]] == [count for count, _size in few[:2]]
    assert all(size < MAX_HTML for _count, size in many[:2]), many
    # The map answers up to CAP (300) points in as many queries as 3; above it, clusters
    # counted by the database: one query more, however many there are (portal/maps.py).
    assert at_cap[0] == few[2][0]
    assert many[2][0] == few[2][0] + 1
    # Areas among them (1 of 3, 148 of 297, 100 of 200) change none of the counts.
    assert Initiative.objects.filter(area__isnull=False).count() == 249


def test_the_location_picker_draws_only_the_wijk_chosen(client, wijk, other_wijk, resident):
    client.force_login(resident)

    without = client.get(CREATE).context["picker_wijken"]["features"]
    chosen = client.get(f"{CREATE}?wijk={other_wijk.slug}").context["picker_wijken"]["features"]
    posted = client.post(CREATE, valid_post(wijk, title="")).context["picker_wijken"]["features"]

    assert without == []
    assert [feature["properties"]["name"] for feature in chosen] == ["Reeshof-Oost"]
    assert [feature["properties"]["name"] for feature in posted] == ["Quirijnstok"]


def test_a_public_initiative_page_sets_no_cookie_and_may_be_cached(client, received):
    received.status, received.published_at = "conversation", timezone.now()
    received.save()

    response = client.get(received.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert response.cookies == {}
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
