from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Notification
from areas.models import CouncilMembership, TeamMembership
from participation.models import Advice, InputOutcome, Proposal, TransitionRefused
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    AgendaItemFactory,
    CommentFactory,
    CouncilMembershipFactory,
    InputOutcomeFactory,
    PlanFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserFactory,
    WijkagendaFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import revision_in, square

pytestmark = [pytest.mark.django_db, pytest.mark.english]

INSIDE = ("5.05", "51.55")  # in the square of `wijk`
ELSEWHERE = ("5.25", "51.55")  # in the wijk of the other gebied

OPENS = "2030-05-01T09:00"
CLOSES = "2030-06-01T17:00"
DEADLINE = "2030-06-15T17:00"


def local(value: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(value))


@pytest.fixture
def second_wijk(gebiedsteam):
    return WijkFactory(
        name="Heikant",
        slug="heikant",
        gebiedsteam=gebiedsteam,
        geometry=square(5.1),
        geometry_simplified=square(5.1),
    )


@pytest.fixture
def council(wijk):
    council = WijkraadFactory(name="Wijkraad Quirijnstok")
    council.wijken.set([wijk])
    return council


@pytest.fixture
def second_council(second_wijk):
    council = WijkraadFactory(name="Wijkraad Heikant")
    council.wijken.set([second_wijk])
    return council


def council_user(council, role, email):
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    CouncilMembershipFactory(user=user, wijkraad=council, role=role)
    return user


@pytest.fixture
def chair(council):
    return council_user(council, CouncilMembership.Role.CHAIR, "voorzitter@example.org")


@pytest.fixture
def secretary(council):
    return council_user(council, CouncilMembership.Role.SECRETARY, "secretaris@example.org")


@pytest.fixture
def council_member(council):
    return council_user(council, CouncilMembership.Role.MEMBER, "raadslid@example.org")


@pytest.fixture
def agenda(gebiedsteam, wijk):
    return WijkagendaFactory(title="Wijkagenda Quirijnstok", gebiedsteam=gebiedsteam, wijken=[wijk])


@pytest.fixture
def item(agenda):
    return AgendaItemFactory(wijkagenda=agenda, title="Meer groen")


@pytest.fixture
def draft(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        title="Speelveld Quirijnstok",
        slug="speelveld-quirijnstok",
        status=Proposal.Status.DRAFT,
    )


@pytest.fixture
def open_proposal(gebiedsteam, wijk):
    return ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], title="Open voorstel", slug="open-voorstel"
    )


@pytest.fixture
def closed_proposal(gebiedsteam, wijk):
    now = timezone.now()
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        title="Gesloten voorstel",
        slug="gesloten-voorstel",
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=1),
        status=Proposal.Status.CONSIDERATION,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def proposal_data(wijken, **overrides) -> dict:
    data = {
        "title": "  Nieuw   speelveld ",
        "body": "We leggen een **nieuw** speelveld aan.",
        "wijken": [w.pk for w in wijken],
        "agenda_items": [],
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "council_only": "",
        "longitude": "",
        "latitude": "",
        "advice_from": [],
        "advice_deadline": "",
        # The revision the edit form was opened at (a new draft's form has none).
        "revision": 0,
    }
    data.update(overrides)
    return data


def notifications() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("recipient__email", "kind"))


def error_of(response, field: str) -> list[str]:
    form = response.context["form"]
    return [str(message) for message in form.errors.get(field, [])]


# ---- Create -----------------------------------------------------------------------------


def test_create_saves_a_draft_with_its_wijken_items_and_advice(team_member, wijk, item, council):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/",
        proposal_data(
            [wijk],
            agenda_items=[item.pk],
            council_only="on",
            longitude=INSIDE[0],
            latitude=INSIDE[1],
            advice_from=[council.pk],
            advice_deadline=DEADLINE,
        ),
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == "/voorstellen/nieuw-speelveld/bewerken/"
    assert proposal.title == "Nieuw speelveld"
    assert proposal.slug == "nieuw-speelveld"
    assert proposal.body == "We leggen een **nieuw** speelveld aan."
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.council_only is True
    assert (proposal.longitude, proposal.latitude) == (5.05, 51.55)
    assert proposal.opens_at == local(OPENS)
    assert proposal.closes_at == local(CLOSES)
    assert proposal.author == team_member
    assert proposal.gebiedsteam_id == wijk.gebiedsteam_id
    assert list(proposal.wijken.all()) == [wijk]
    assert list(proposal.agenda_items.all()) == [item]
    assert list(proposal.advices.values_list("wijkraad_id", "deadline", "submitted_at")) == [
        (council.pk, local(DEADLINE), None)
    ]
    assert Notification.objects.count() == 0


def test_create_asks_for_the_gebied_when_the_user_works_in_several(team_member, other_gebiedsteam):
    TeamMembershipFactory(user=team_member, gebiedsteam=other_gebiedsteam)

    response = signed_in(team_member).get("/voorstellen/nieuw/")

    links = re.findall(r'href="/voorstellen/nieuw/\?gebied=([\w-]+)"', response.content.decode())
    assert response.status_code == 200
    assert links == ["noord", "reeshof"]
    assert "form" not in response.context


def test_create_for_a_chosen_gebied_offers_only_its_wijken(
    team_member, other_gebiedsteam, wijk, other_wijk
):
    TeamMembershipFactory(user=team_member, gebiedsteam=other_gebiedsteam)

    response = signed_in(team_member).get("/voorstellen/nieuw/?gebied=reeshof")

    assert response.status_code == 200
    assert list(response.context["form"].fields["wijken"].queryset) == [other_wijk]


@pytest.mark.parametrize("who", ["resident", "council_member"])
def test_create_is_forbidden_outside_a_gebiedsteam(request, who, wijk):
    user = request.getfixturevalue(who)

    response = signed_in(user).post("/voorstellen/nieuw/", proposal_data([wijk]))

    assert response.status_code == 403
    assert Proposal.objects.count() == 0


def test_create_for_another_gebied_is_forbidden(team_member, other_wijk):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/?gebied=reeshof", proposal_data([other_wijk])
    )

    assert response.status_code == 403
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_at": OPENS}, "closes_at", "The comment period must close after it opens."),
        ({"title": ""}, "title", "This field is required."),
        ({"body": "   "}, "body", "This field is required."),
        (
            {"longitude": ELSEWHERE[0], "latitude": ELSEWHERE[1]},
            "longitude",
            "This location lies outside the chosen wijken.",
        ),
        ({"longitude": INSIDE[0]}, "latitude", "Give both longitude and latitude, or neither."),
        ({"advice_deadline": ""}, "advice_deadline", "Give a deadline for the advice."),
        (
            {"advice_deadline": "2030-04-01T09:00"},
            "advice_deadline",
            "The deadline for the advice must lie after the comment period opens.",
        ),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(
    team_member, wijk, other_wijk, council, overrides, field, message
):
    data = proposal_data([wijk], advice_from=[council.pk], advice_deadline=DEADLINE)
    data.update(overrides)

    response = signed_in(team_member).post("/voorstellen/nieuw/", data)

    assert response.status_code == 400
    assert error_of(response, field) == [message]
    assert Proposal.objects.count() == 0
    assert Advice.objects.count() == 0


def test_create_refuses_a_wijk_of_another_gebied(team_member, other_wijk):
    response = signed_in(team_member).post("/voorstellen/nieuw/", proposal_data([other_wijk]))

    assert response.status_code == 400
    assert error_of(response, "wijken") == [
        f"Select a valid choice. {other_wijk.pk} is not one of the available choices."
    ]
    assert Proposal.objects.count() == 0


def test_create_refuses_a_choice_no_key_column_can_hold(team_member, wijk):
    # Past 64 bits: SQLite raised OverflowError on looking it up (a 500), see web.lookups.
    huge = "9" * 30

    response = signed_in(team_member).post(
        "/voorstellen/nieuw/",
        proposal_data([wijk], agenda_items=[huge], advice_from=[huge], advice_deadline=DEADLINE),
    )

    assert response.status_code == 400
    assert error_of(response, "advice_from") == [
        f"Select a valid choice. {huge} is not one of the available choices."
    ]
    assert Proposal.objects.count() == 0


def test_create_refuses_an_item_and_a_council_outside_the_chosen_wijken(
    team_member, wijk, second_wijk, second_council, gebiedsteam
):
    other_agenda = WijkagendaFactory(gebiedsteam=gebiedsteam, wijken=[second_wijk])
    other_item = AgendaItemFactory(wijkagenda=other_agenda)

    response = signed_in(team_member).post(
        "/voorstellen/nieuw/",
        proposal_data(
            [wijk],
            agenda_items=[other_item.pk],
            advice_from=[second_council.pk],
            advice_deadline=DEADLINE,
        ),
    )

    assert response.status_code == 400
    assert error_of(response, "agenda_items") == [
        "Choose items of agendas for the chosen wijken only."
    ]
    assert error_of(response, "advice_from") == [
        "These wijkraden cover none of the chosen wijken: Wijkraad Heikant."
    ]
    assert Proposal.objects.count() == 0


def test_create_with_htmx_returns_the_form_fragment(team_member, wijk):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/", proposal_data([wijk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="proposal-form"')
    assert "<html" not in body
    assert "The proposal has been saved." in body
    assert response["HX-Push-Url"] == "/voorstellen/nieuw-speelveld/bewerken/"
    # The fragment has no status panel: its next step opens the draft or leads to its page.
    assert 'action="/voorstellen/nieuw-speelveld/openen/"' in body
    assert (
        '<a class="utrecht-link utrecht-link--html-a" href="/voorstellen/nieuw-speelveld/">'
        "View the proposal</a>" in body
    )


def test_create_with_htmx_and_bad_input_returns_the_fragment_with_errors(team_member, wijk):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/", proposal_data([wijk], closes_at=OPENS), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<div id="proposal-form"')
    assert "The comment period must close after it opens." in body
    assert Proposal.objects.count() == 0


# ---- Edit -------------------------------------------------------------------------------


def test_edit_saves_the_draft_and_the_councils_asked(
    team_member, draft, wijk, second_wijk, council, second_council
):
    AdviceFactory(proposal=draft, wijkraad=council)

    response = signed_in(team_member).post(
        f"/voorstellen/{draft.slug}/bewerken/",
        proposal_data(
            [wijk, second_wijk],
            title="Speelveld en plein",
            advice_from=[second_council.pk],
            advice_deadline=DEADLINE,
        ),
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/voorstellen/speelveld-quirijnstok/bewerken/"
    assert draft.title == "Speelveld en plein"
    assert draft.slug == "speelveld-quirijnstok"
    assert draft.status == Proposal.Status.DRAFT
    assert sorted(w.slug for w in draft.wijken.all()) == ["heikant", "quirijnstok"]
    assert list(draft.advices.values_list("wijkraad_id", "deadline")) == [
        (second_council.pk, local(DEADLINE))
    ]


def test_edit_of_another_gebieds_draft_is_not_found(other_team_member, draft, wijk):
    client = signed_in(other_team_member)

    assert client.get(f"/voorstellen/{draft.slug}/bewerken/").status_code == 404
    assert (
        client.post(f"/voorstellen/{draft.slug}/bewerken/", proposal_data([wijk])).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.title == "Speelveld Quirijnstok"


@pytest.mark.parametrize("who", ["resident", "council_member", "other_team_member"])
def test_edit_of_a_visible_proposal_is_forbidden(request, who, open_proposal, wijk):
    user = request.getfixturevalue(who)

    response = signed_in(user).post(
        f"/voorstellen/{open_proposal.slug}/bewerken/", proposal_data([wijk])
    )

    open_proposal.refresh_from_db()
    assert response.status_code == 403
    assert open_proposal.title == "Open voorstel"


def test_edit_of_an_open_proposal_is_refused_with_a_message(team_member, open_proposal, wijk):
    response = signed_in(team_member).post(
        f"/voorstellen/{open_proposal.slug}/bewerken/", proposal_data([wijk])
    )

    open_proposal.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == "Only a draft proposal can be changed."
    assert open_proposal.title == "Open voorstel"


def test_edit_with_htmx_returns_the_form_fragment(team_member, draft, wijk):
    response = signed_in(team_member).post(
        f"/voorstellen/{draft.slug}/bewerken/",
        proposal_data([wijk], title="Met htmx"),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    draft.refresh_from_db()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="proposal-form"')
    assert "<html" not in body
    assert draft.title == "Met htmx"


def test_edit_in_two_tabs_refuses_the_later_save_and_keeps_the_first(
    team_member, gebiedsteam, draft, wijk
):
    url = f"/voorstellen/{draft.slug}/bewerken/"
    first, second = signed_in(team_member), signed_in(supporter(gebiedsteam))
    opened = [revision_in(tab.get(url)) for tab in (first, second)]

    saved = first.post(url, proposal_data([wijk], title="Eerste versie", revision=opened[0]))
    refused = second.post(url, proposal_data([wijk], title="Tweede versie", revision=opened[1]))

    draft.refresh_from_db()
    assert opened == [0, 0]
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert (draft.title, draft.revision) == ("Eerste versie", 1)
    assert "Someone else saved this in the meantime" in refused.content.decode()
    assert ("Title", "Eerste versie") in refused.context["conflict"].current
    assert refused.context["form"]["title"].value() == "Tweede versie"
    assert revision_in(refused) == 1


def test_edit_refused_as_stale_with_htmx_answers_the_form_fragment(team_member, draft, wijk):
    client = signed_in(team_member)
    url = f"/voorstellen/{draft.slug}/bewerken/"
    client.post(url, proposal_data([wijk], title="Eerste versie"))

    refused = client.post(url, proposal_data([wijk], title="Oud tabblad"), HTTP_HX_REQUEST="true")

    draft.refresh_from_db()
    assert refused.status_code == 409
    assert refused.content.decode().lstrip().startswith('<div id="proposal-form"')
    assert draft.title == "Eerste versie"


def next_step(response) -> dict:
    """What the section "Next step" of a saved draft offers."""
    body = response.content.decode()
    section = re.search(r'<section class="next-step".*?</section>', body, re.S)
    assert section, "no next step after the save"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section.group(0))).strip()
    return {
        "text": text,
        "forms": re.findall(r'<form method="post" action="([^"]+)"', section.group(0)),
        "links": re.findall(r'<a [^>]*href="([^"]+)"', section.group(0)),
    }


def supporter(gebiedsteam):
    user = UserFactory(email="ondersteuner@example.org", full_name="Ondersteuner Olga")
    TeamMembershipFactory(user=user, gebiedsteam=gebiedsteam, role=TeamMembership.Role.ONDERSTEUNER)
    return user


def test_a_saved_new_draft_offers_to_open_it_to_who_may(team_member, wijk):
    response = signed_in(team_member).post(
        "/voorstellen/nieuw/", proposal_data([wijk]), HTTP_HX_REQUEST="true"
    )

    assert next_step(response) == {
        "text": "Next step Is the draft ready? Open it for comments: the wijkraden of its "
        "wijken are told, and residents' representatives can react. Open for comments "
        "View the proposal",
        "forms": ["/voorstellen/nieuw-speelveld/openen/"],
        "links": ["/voorstellen/nieuw-speelveld/"],
    }


def test_a_saved_draft_asks_who_may_not_open_it_to_ask_the_wijkregisseur(gebiedsteam, draft, wijk):
    response = signed_in(supporter(gebiedsteam)).post(
        f"/voorstellen/{draft.slug}/bewerken/",
        proposal_data([wijk], title="Door de ondersteuner"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert next_step(response) == {
        "text": "Next step Is the draft ready? Ask the wijkregisseur or omgevingsmanager of "
        "your gebiedsteam to open it for comments. Until then only your team sees it. "
        "View the proposal",
        "forms": [],
        "links": [f"/voorstellen/{draft.slug}/"],
    }


def test_the_next_step_opens_the_draft_and_shows_the_proposal(team_member, draft, wijk):
    client = signed_in(team_member)
    saved = client.post(
        f"/voorstellen/{draft.slug}/bewerken/", proposal_data([wijk]), HTTP_HX_REQUEST="true"
    )

    opened = client.post(next_step(saved)["forms"][0])

    draft.refresh_from_db()
    assert (opened.status_code, opened["Location"]) == (302, f"/voorstellen/{draft.slug}/")
    assert draft.status == Proposal.Status.OPEN


def test_a_draft_page_just_opened_offers_no_next_step_yet(team_member, draft):
    body = signed_in(team_member).get(f"/voorstellen/{draft.slug}/bewerken/").content.decode()

    assert 'class="next-step"' not in body


# ---- Opening ----------------------------------------------------------------------------


def test_open_notifies_the_covering_councils_and_the_officers_asked_for_advice(
    team_member, draft, wijk, council, chair, secretary, council_member, second_council
):
    AdviceFactory(proposal=draft, wijkraad=council)
    bystander = council_user(second_council, CouncilMembership.Role.CHAIR, "ander@example.org")
    team_in_council = CouncilMembershipFactory(user=team_member, wijkraad=council).user

    response = signed_in(team_member).post(f"/voorstellen/{draft.slug}/openen/")

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/voorstellen/speelveld-quirijnstok/"
    assert draft.status == Proposal.Status.OPEN
    assert notifications() == [
        ("raadslid@example.org", "proposal_opened"),
        ("secretaris@example.org", "advice_requested"),
        ("secretaris@example.org", "proposal_opened"),
        ("voorzitter@example.org", "advice_requested"),
        ("voorzitter@example.org", "proposal_opened"),
    ]
    assert set(Notification.objects.values_list("url", flat=True)) == {
        "/voorstellen/speelveld-quirijnstok/"
    }
    assert not Notification.objects.filter(recipient__in=[bystander, team_in_council]).exists()


def test_open_is_refused_for_a_proposal_that_is_not_a_draft(team_member, open_proposal, chair):
    response = signed_in(team_member).post(f"/voorstellen/{open_proposal.slug}/openen/")

    assert response.status_code == 400
    assert response.context["error"] == "Only a draft proposal can be opened for comments."
    assert Notification.objects.count() == 0


def test_open_is_refused_when_the_period_is_over(team_member, draft, chair):
    Proposal.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=2),
    )

    response = signed_in(team_member).post(f"/voorstellen/{draft.slug}/openen/")

    draft.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == (
        "The comment period has already ended. Change the period first."
    )
    assert draft.status == Proposal.Status.DRAFT
    assert Notification.objects.count() == 0


def test_open_of_another_gebieds_draft_is_not_found(other_team_member, draft):
    response = signed_in(other_team_member).post(f"/voorstellen/{draft.slug}/openen/")

    draft.refresh_from_db()
    assert response.status_code == 404
    assert draft.status == Proposal.Status.DRAFT


@pytest.mark.parametrize("who", ["resident", "council_member", "other_team_member"])
def test_state_changes_on_a_visible_proposal_are_forbidden(request, who, open_proposal):
    client = signed_in(request.getfixturevalue(who))

    for path in ("openen", "in-behandeling", "intrekken"):
        assert client.post(f"/voorstellen/{open_proposal.slug}/{path}/").status_code == 403
    open_proposal.refresh_from_db()
    assert open_proposal.status == Proposal.Status.OPEN


def test_open_with_htmx_returns_the_status_fragment(team_member, draft):
    response = signed_in(team_member).post(
        f"/voorstellen/{draft.slug}/openen/", HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="proposal-status"')
    assert "<html" not in body
    assert "The proposal is open for comments. The wijkraden have been told." in body


def test_refused_change_with_htmx_returns_the_status_fragment_with_the_reason(
    team_member, closed_proposal
):
    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/openen/", HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<section id="proposal-status"')
    assert "Only a draft proposal can be opened for comments." in body


# ---- Consideration and withdrawal ------------------------------------------------------


def test_consideration_before_the_period_closes_needs_an_explicit_choice(
    team_member, open_proposal
):
    response = signed_in(team_member).post(f"/voorstellen/{open_proposal.slug}/in-behandeling/")

    open_proposal.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == (
        "The comment period has not closed yet. Choose to close it early."
    )
    assert open_proposal.status == Proposal.Status.OPEN


def test_consideration_early_closes_the_period_now(team_member, open_proposal):
    before = timezone.now()

    response = signed_in(team_member).post(
        f"/voorstellen/{open_proposal.slug}/in-behandeling/", {"early": "on"}
    )

    open_proposal.refresh_from_db()
    assert response.status_code == 302
    assert open_proposal.status == Proposal.Status.CONSIDERATION
    assert before <= open_proposal.closes_at <= timezone.now()


def test_consideration_after_the_period_needs_no_choice(team_member, closed_proposal):
    Proposal.objects.filter(pk=closed_proposal.pk).update(status=Proposal.Status.OPEN)
    closes_at = Proposal.objects.get(pk=closed_proposal.pk).closes_at

    response = signed_in(team_member).post(f"/voorstellen/{closed_proposal.slug}/in-behandeling/")

    closed_proposal.refresh_from_db()
    assert response.status_code == 302
    assert closed_proposal.status == Proposal.Status.CONSIDERATION
    assert closed_proposal.closes_at == closes_at


def test_consideration_of_a_draft_is_refused(team_member, draft):
    response = signed_in(team_member).post(
        f"/voorstellen/{draft.slug}/in-behandeling/", {"early": "on"}
    )

    assert response.status_code == 400
    assert response.context["error"] == "Only a proposal open for comments can be considered."


@pytest.mark.parametrize("status", ["draft", "open", "consideration"])
def test_withdraw_before_the_decision(team_member, open_proposal, status):
    Proposal.objects.filter(pk=open_proposal.pk).update(status=status)

    response = signed_in(team_member).post(f"/voorstellen/{open_proposal.slug}/intrekken/")

    open_proposal.refresh_from_db()
    assert response.status_code == 302
    assert open_proposal.status == Proposal.Status.WITHDRAWN


@pytest.mark.parametrize("status", ["decided", "withdrawn"])
def test_withdraw_after_the_decision_is_refused(team_member, open_proposal, status):
    Proposal.objects.filter(pk=open_proposal.pk).update(status=status, input_feedback="Gedaan.")

    response = signed_in(team_member).post(f"/voorstellen/{open_proposal.slug}/intrekken/")

    open_proposal.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == "A decided or withdrawn proposal cannot be withdrawn."
    assert open_proposal.status == status


def test_transitions_only_accept_post(team_member, draft):
    assert signed_in(team_member).get(f"/voorstellen/{draft.slug}/openen/").status_code == 405


# ---- Decision ---------------------------------------------------------------------------


@pytest.fixture
def inputs(closed_proposal, council, chair, council_member, team_member):
    """Two top-level comments (one with a reply), a hidden one, a team response, and one
    submitted and one unsubmitted advice."""
    first = CommentFactory(proposal=closed_proposal, author=council_member, body="Eerste")
    replier = UserFactory(email="replier@example.org")
    CommentFactory(proposal=closed_proposal, parent=first, author=replier, body="Reactie")
    second = CommentFactory(
        proposal=closed_proposal, author=UserFactory(email="tweede@example.org"), body="Tweede"
    )
    CommentFactory(
        proposal=closed_proposal,
        author=UserFactory(email="verborgen@example.org"),
        moderation="hidden",
        moderation_reason="Scheldwoorden",
    )
    CommentFactory(
        proposal=closed_proposal, author=team_member, is_team_response=True, body="Van het team"
    )
    advice = AdviceFactory(
        proposal=closed_proposal,
        wijkraad=council,
        verdict=Advice.Verdict.CONDITIONAL,
        text="Alleen met een zebrapad.",
        submitted_at=timezone.now() - dt.timedelta(days=2),
        submitted_by=chair,
    )
    AdviceFactory(proposal=closed_proposal, wijkraad=WijkraadFactory())
    return {"first": first, "second": second, "advice": advice}


def decision_data(outcomes, **overrides) -> dict:
    data = {
        "decision": "We leggen het speelveld aan.",
        "input_feedback": "We hebben de reacties gewogen.",
        "actions": [],
        "outcome-TOTAL_FORMS": len(outcomes),
        "outcome-INITIAL_FORMS": 0,
        "outcome-MIN_NUM_FORMS": len(outcomes),
        "outcome-MAX_NUM_FORMS": len(outcomes),
    }
    for index, (key, outcome, reason) in enumerate(outcomes):
        data[f"outcome-{index}-input_key"] = key
        data[f"outcome-{index}-outcome"] = outcome
        data[f"outcome-{index}-reason"] = reason
    data.update(overrides)
    return data


def all_outcomes(inputs) -> list[tuple[str, str, str]]:
    return [
        (f"comment-{inputs['first'].pk}", "adopted", "Komt er."),
        (f"comment-{inputs['second'].pk}", "not_adopted", "Past niet."),
        (f"advice-{inputs['advice'].pk}", "partly", "Zebrapad later."),
    ]


def test_decide_records_every_outcome_links_actions_and_notifies(
    team_member, closed_proposal, inputs, agenda, chair, council_member
):
    action = ActionFactory(plan=PlanFactory(wijkagenda=agenda), title="Speelveld aanleggen")
    ActionFactory(title="Elders")  # of another agenda: not offered

    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/",
        decision_data(all_outcomes(inputs), actions=[action.pk]),
    )

    closed_proposal.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/voorstellen/gesloten-voorstel/"
    assert closed_proposal.status == Proposal.Status.DECIDED
    assert closed_proposal.decision == "We leggen het speelveld aan."
    assert closed_proposal.input_feedback == "We hebben de reacties gewogen."
    assert closed_proposal.decided_at is not None
    assert list(closed_proposal.actions.all()) == [action]
    assert list(
        InputOutcome.objects.order_by("pk").values_list(
            "comment_id", "advice_id", "outcome", "reason"
        )
    ) == [
        (inputs["first"].pk, None, "adopted", "Komt er."),
        (inputs["second"].pk, None, "not_adopted", "Past niet."),
        (None, inputs["advice"].pk, "partly", "Zebrapad later."),
    ]
    # Commenters (replies too) and the adviser; not the hidden comment's author, not the
    # team member deciding.
    assert notifications() == [
        ("raadslid@example.org", "decision_published"),
        ("replier@example.org", "decision_published"),
        ("tweede@example.org", "decision_published"),
        ("voorzitter@example.org", "decision_published"),
    ]
    # The authors of the comments that got an outcome are sent to their comment's page.
    assert set(Notification.objects.values_list("recipient__email", "url")) == {
        ("raadslid@example.org", f"/reacties/{inputs['first'].pk}/antwoorden/"),
        ("tweede@example.org", f"/reacties/{inputs['second'].pk}/antwoorden/"),
        ("replier@example.org", "/voorstellen/gesloten-voorstel/"),
        ("voorzitter@example.org", "/voorstellen/gesloten-voorstel/"),
    }


def test_decide_offers_only_the_actions_of_the_proposals_wijken(
    team_member, closed_proposal, agenda
):
    action = ActionFactory(plan=PlanFactory(wijkagenda=agenda))
    ActionFactory(title="Elders")

    response = signed_in(team_member).get(f"/voorstellen/{closed_proposal.slug}/besluiten/")

    assert response.status_code == 200
    assert list(response.context["form"].fields["actions"].queryset) == [action]
    assert [form.input.key for form in response.context["formset"]] == []


def test_decide_form_has_one_outcome_form_per_input(team_member, closed_proposal, inputs):
    response = signed_in(team_member).get(f"/voorstellen/{closed_proposal.slug}/besluiten/")

    assert [form.input.key for form in response.context["formset"]] == [
        key for key, __, __ in all_outcomes(inputs)
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda data: data.pop("outcome-1-outcome"), {1: {"outcome": ["This field is required."]}}),
        (
            lambda data: data.update({"outcome-2-reason": "  "}),
            {2: {"reason": ["This field is required."]}},
        ),
        (
            lambda data: data.update({"outcome-0-outcome": "maybe"}),
            {0: {"outcome": ["Select a valid choice. maybe is not one of the available choices."]}},
        ),
    ],
)
def test_decide_requires_an_outcome_and_reason_for_every_input(
    team_member, closed_proposal, inputs, change, expected
):
    data = decision_data(all_outcomes(inputs))
    change(data)

    response = signed_in(team_member).post(f"/voorstellen/{closed_proposal.slug}/besluiten/", data)

    closed_proposal.refresh_from_db()
    errors = {i: f.errors for i, f in enumerate(response.context["formset"]) if f.errors}
    assert response.status_code == 400
    assert errors == expected
    assert closed_proposal.status == Proposal.Status.CONSIDERATION
    assert InputOutcome.objects.count() == 0
    assert Notification.objects.count() == 0


def test_decide_refuses_a_formset_that_leaves_out_an_input(team_member, closed_proposal, inputs):
    outcomes = all_outcomes(inputs)[:2]

    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/", decision_data(outcomes)
    )

    assert response.status_code == 400
    assert response.context["formset"].non_form_errors() == ["Please submit at least 3 forms."]
    assert InputOutcome.objects.count() == 0


def test_decide_refuses_outcomes_for_inputs_swapped_around(team_member, closed_proposal, inputs):
    outcomes = all_outcomes(inputs)
    outcomes[0], outcomes[1] = outcomes[1], outcomes[0]

    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/", decision_data(outcomes)
    )

    assert response.status_code == 400
    assert response.context["formset"].non_form_errors() == [
        "The comments or advice changed while you were deciding. Check the list again."
    ]
    assert InputOutcome.objects.count() == 0


@pytest.mark.parametrize("field", ["decision", "input_feedback"])
def test_decide_requires_the_decision_and_the_feedback(team_member, closed_proposal, field):
    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/", decision_data([], **{field: " "})
    )

    closed_proposal.refresh_from_db()
    assert response.status_code == 400
    assert error_of(response, field) == ["This field is required."]
    assert closed_proposal.status == Proposal.Status.CONSIDERATION


@pytest.mark.parametrize("status", ["draft", "decided", "withdrawn"])
def test_decide_is_refused_in_the_wrong_state(team_member, closed_proposal, status):
    Proposal.objects.filter(pk=closed_proposal.pk).update(status=status, input_feedback="X")

    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/", decision_data([])
    )

    assert response.status_code == 400
    assert response.context["error"] == (
        "A proposal can be decided once its comment period is over."
    )


def test_decide_while_comments_are_still_open_is_refused(team_member, open_proposal):
    response = signed_in(team_member).post(
        f"/voorstellen/{open_proposal.slug}/besluiten/", decision_data([])
    )

    open_proposal.refresh_from_db()
    assert response.status_code == 400
    assert open_proposal.status == Proposal.Status.OPEN


def test_decide_of_another_gebieds_draft_is_not_found(other_team_member, draft):
    response = signed_in(other_team_member).get(f"/voorstellen/{draft.slug}/besluiten/")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["resident", "council_member", "chair", "other_team_member"])
def test_decide_is_forbidden_for_others(request, who, closed_proposal):
    response = signed_in(request.getfixturevalue(who)).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/", decision_data([])
    )

    closed_proposal.refresh_from_db()
    assert response.status_code == 403
    assert closed_proposal.status == Proposal.Status.CONSIDERATION


def test_decide_with_htmx_returns_the_fragment(team_member, closed_proposal):
    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/",
        decision_data([]),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="decision-form"')
    assert "<html" not in body
    assert "The decision has been published." in body


def test_decide_with_htmx_and_bad_input_returns_the_fragment_with_errors(
    team_member, closed_proposal
):
    response = signed_in(team_member).post(
        f"/voorstellen/{closed_proposal.slug}/besluiten/",
        decision_data([], decision=""),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<div id="decision-form"')
    assert "This field is required." in body


def test_model_decide_refuses_an_empty_feedback(closed_proposal):
    with pytest.raises(TransitionRefused) as refused:
        closed_proposal.decide(by=None, decision="Ja", input_feedback=" ")

    assert str(refused.value.message) == (
        "A decision needs its text and what was done with the input."
    )


# ---- Response to advice -----------------------------------------------------------------


@pytest.fixture
def submitted_advice(open_proposal, council, chair):
    return AdviceFactory(
        proposal=open_proposal,
        wijkraad=council,
        verdict=Advice.Verdict.NEGATIVE,
        text="Te weinig groen.",
        submitted_at=timezone.now(),
        submitted_by=chair,
    )


def test_respond_saves_the_response_and_tells_chair_and_secretary(
    team_member, submitted_advice, chair, secretary, council_member
):
    response = signed_in(team_member).post(
        f"/adviezen/{submitted_advice.pk}/antwoorden/",
        {"revision": 0, "response": " We planten bomen. "},
    )

    submitted_advice.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/voorstellen/open-voorstel/"
    assert submitted_advice.response == "We planten bomen."
    assert submitted_advice.responded_by == team_member
    assert submitted_advice.responded_at is not None
    assert notifications() == [
        ("secretaris@example.org", "advice_answered"),
        ("voorzitter@example.org", "advice_answered"),
    ]


def test_respond_to_advice_not_yet_submitted_is_refused(team_member, open_proposal, council):
    advice = AdviceFactory(proposal=open_proposal, wijkraad=council)

    response = signed_in(team_member).post(
        f"/adviezen/{advice.pk}/antwoorden/", {"revision": 0, "response": "Dank."}
    )

    advice.refresh_from_db()
    assert response.status_code == 400
    assert response.context["error"] == "This advice has not been submitted yet."
    assert advice.response == ""


def test_respond_with_an_empty_response_is_refused(team_member, submitted_advice, chair):
    response = signed_in(team_member).post(
        f"/adviezen/{submitted_advice.pk}/antwoorden/", {"revision": 0, "response": "  "}
    )

    submitted_advice.refresh_from_db()
    assert response.status_code == 400
    assert error_of(response, "response") == ["This field is required."]
    assert submitted_advice.responded_at is None
    assert Notification.objects.count() == 0


def test_respond_on_another_gebieds_draft_is_not_found(other_team_member, draft, council):
    advice = AdviceFactory(proposal=draft, wijkraad=council)

    response = signed_in(other_team_member).get(f"/adviezen/{advice.pk}/antwoorden/")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["resident", "chair", "other_team_member"])
def test_respond_is_forbidden_for_others(request, who, submitted_advice):
    response = signed_in(request.getfixturevalue(who)).post(
        f"/adviezen/{submitted_advice.pk}/antwoorden/", {"revision": 0, "response": "Nee."}
    )

    submitted_advice.refresh_from_db()
    assert response.status_code == 403
    assert submitted_advice.response == ""


def test_respond_with_htmx_returns_the_fragment(team_member, submitted_advice):
    response = signed_in(team_member).post(
        f"/adviezen/{submitted_advice.pk}/antwoorden/",
        {"revision": 0, "response": "We planten bomen."},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="advice-response"')
    assert "<html" not in body
    assert "The response has been saved. The wijkraad has been told." in body


def test_respond_in_two_tabs_refuses_the_later_response_and_keeps_the_first(
    team_member, submitted_advice
):
    url = f"/adviezen/{submitted_advice.pk}/antwoorden/"
    first, second = signed_in(team_member), signed_in(team_member)
    opened = [revision_in(tab.get(url)) for tab in (first, second)]

    saved = first.post(url, {"revision": opened[0], "response": "We planten bomen."})
    refused = second.post(url, {"revision": opened[1], "response": "Het kan niet."})

    submitted_advice.refresh_from_db()
    assert opened == [0, 0]
    assert (saved.status_code, refused.status_code) == (302, 409)
    assert (submitted_advice.response, submitted_advice.revision) == ("We planten bomen.", 1)
    assert submitted_advice.responded_by == team_member
    body = refused.content.decode()
    assert "Someone else saved this in the meantime" in body
    assert refused.context["conflict"].current[:2] == [
        ("Response of the municipality", "We planten bomen."),
        ("Responded by", str(team_member)),
    ]
    assert refused.context["form"]["response"].value() == "Het kan niet."
    assert revision_in(refused) == 1
    # Only the first response told the council (its chair; no secretary in this test).
    assert notifications() == [("voorzitter@example.org", "advice_answered")]


# ---- Public pages -----------------------------------------------------------------------


def test_list_filters_by_wijk_with_open_ones_first(gebiedsteam, wijk, second_wijk, client):
    decided = ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        status=Proposal.Status.DECIDED,
        input_feedback="Gedaan.",
        title="Besloten",
    )
    opened = ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], title="Open")
    ProposalFactory(gebiedsteam=gebiedsteam, wijken=[second_wijk], title="Elders")
    ProposalFactory(
        gebiedsteam=gebiedsteam, wijken=[wijk], status=Proposal.Status.DRAFT, title="Concept"
    )

    response = client.get("/voorstellen/?wijk=quirijnstok")

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [opened, decided]
    assert [w.slug for w in response.context["wijken"]] == ["heikant", "quirijnstok"]


def test_list_with_an_unknown_wijk_shows_none(open_proposal, client):
    response = client.get("/voorstellen/?wijk=nergens")

    assert list(response.context["page_obj"]) == []
    assert "There are no proposals for this wijk." in response.content.decode()


def test_detail_shows_the_team_controls_only_to_the_team(team_member, open_proposal, resident):
    team_page = signed_in(team_member).get(open_proposal.get_absolute_url())
    public_page = signed_in(resident).get(open_proposal.get_absolute_url())

    assert 'id="proposal-status"' in team_page.content.decode()
    assert 'id="proposal-status"' not in public_page.content.decode()
    assert public_page.context["status_panel"] is None


def test_detail_does_not_quote_a_hidden_comment_in_the_decision(closed_proposal, client):
    hidden = CommentFactory(
        proposal=closed_proposal, body="Geheim", moderation="hidden", moderation_reason="Spam"
    )
    InputOutcomeFactory(comment=hidden, reason="Niet relevant.")
    Proposal.objects.filter(pk=closed_proposal.pk).update(
        status=Proposal.Status.DECIDED, decision="Besloten.", input_feedback="Gewogen."
    )

    response = client.get(closed_proposal.get_absolute_url())

    assert response.context["outcome_counts"] == []
    assert "Niet relevant." not in response.content.decode()


# ---- Rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("resident", False),
        ("council_member", False),
        ("chair", False),
        ("team_member", True),
        ("other_team_member", False),
        ("staff", True),
    ],
)
def test_decide_and_respond_permissions_per_role(request, who, allowed, submitted_advice):
    user = request.getfixturevalue(who)

    assert user.has_perm("participation.decide_proposal", submitted_advice.proposal) is allowed
    assert user.has_perm("participation.respond_to_advice", submitted_advice) is allowed


def test_create_with_a_gebied_with_a_nul_asks_for_the_gebied(team_member, other_gebiedsteam, wijk):
    TeamMembershipFactory(user=team_member, gebiedsteam=other_gebiedsteam)
    client = signed_in(team_member)

    shown = client.get("/voorstellen/nieuw/?gebied=%00")
    posted = client.post("/voorstellen/nieuw/?gebied=%00", proposal_data([wijk]))

    assert (shown.status_code, posted.status_code) == (200, 200)
    assert "form" not in shown.context
    assert Proposal.objects.count() == 0
