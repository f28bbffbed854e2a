"""Who may react is the team's choice per proposal (`Proposal.audience`): the wijkraden only,
the residents of its wijken, or everyone with an account. Councils and the team keep their
say under every audience; the page says who can react and how; residents' reactions are
comments like the councils', refused with a reason where they may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Notification, OutgoingMail
from participation.models import Comment, InputOutcome, Proposal
from participation.services import proposals as proposal_services
from tests.factories import (
    CommentFactory,
    ProposalFactory,
    ResidenceFactory,
    UserFactory,
)
from tests.helpers import errors_of, signed_in, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]

RESIDENTS = Proposal.Audience.RESIDENTS
EVERYONE = Proposal.Audience.EVERYONE
WIJKRADEN = Proposal.Audience.WIJKRADEN


@pytest.fixture
def neighbour(wijk):
    """A confirmed resident of the proposal's wijk."""
    return ResidenceFactory(
        wijk=wijk, user__full_name="Buurvrouw Bep", user__email="bep@example.org"
    ).user


@pytest.fixture
def outsider(other_wijk):
    """A confirmed resident of a wijk the proposal is not for."""
    return ResidenceFactory(wijk=other_wijk, user__full_name="Elders Els").user


@pytest.fixture
def homeless_resident(db):
    """A confirmed resident who did not say where they live."""
    return UserFactory(full_name="Zonder Wijk", is_resident=True, email_confirmed_at=timezone.now())


def _proposal(gebiedsteam, wijk, audience, **fields):
    return ProposalFactory(
        gebiedsteam=gebiedsteam,
        wijken=[wijk],
        slug="speelveld",
        title="Speelveld",
        audience=audience,
        **fields,
    )


def post_comment(client, body, *, parent=None):
    data = {"body": body}
    if parent is not None:
        data["parent"] = str(parent.pk)
    return client.post("/voorstellen/speelveld/reacties/", data)


# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (
            WIJKRADEN,
            {
                "neighbour": False,
                "outsider": False,
                "homeless": False,
                "unconfirmed": False,
                "partner": False,
                "council": True,
                "team": True,
                "other_team": False,
                "admin": True,
            },
        ),
        (
            RESIDENTS,
            {
                "neighbour": True,
                "outsider": False,
                "homeless": False,
                "unconfirmed": False,
                "partner": False,
                "council": True,
                "team": True,
                "other_team": False,
                "admin": True,
            },
        ),
        (
            EVERYONE,
            {
                "neighbour": True,
                "outsider": True,
                "homeless": True,
                "unconfirmed": False,
                "partner": True,
                "council": True,
                "team": True,
                "other_team": True,
                "admin": True,
            },
        ),
    ],
)
def test_who_may_comment_follows_the_audience(
    gebiedsteam,
    wijk,
    neighbour,
    outsider,
    homeless_resident,
    owner_staff,
    council_member,
    team_member,
    other_team_member,
    staff,
    audience,
    expected,
):
    proposal = _proposal(gebiedsteam, wijk, audience)
    # Active (say, made by the administrator) but the address never confirmed.
    unconfirmed = UserFactory(is_resident=True, email_confirmed_at=None)
    ResidenceFactory(user=unconfirmed, wijk=wijk)
    people = {
        "neighbour": neighbour,
        "outsider": outsider,
        "homeless": homeless_resident,
        "unconfirmed": unconfirmed,
        "partner": owner_staff,
        "council": council_member,
        "team": team_member,
        "other_team": other_team_member,
        "admin": staff,
    }

    allowed = {
        name: person.has_perm("participation.add_comment", proposal)
        for name, person in people.items()
    }

    assert allowed == expected


def test_nobody_outside_the_team_and_councils_comments_once_the_period_is_over(
    gebiedsteam, wijk, neighbour
):
    now = timezone.now()
    proposal = _proposal(
        gebiedsteam,
        wijk,
        EVERYONE,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )

    assert not neighbour.has_perm("participation.add_comment", proposal)


def test_a_council_only_proposal_cannot_be_open_to_residents_in_the_database(gebiedsteam, wijk):
    with pytest.raises(IntegrityError), transaction.atomic():
        _proposal(gebiedsteam, wijk, RESIDENTS, council_only=True)

    assert Proposal.objects.count() == 0


# --- reacting -------------------------------------------------------------------------------


def test_a_resident_of_the_wijk_reacts_and_the_reaction_shows_as_a_residents(
    gebiedsteam, wijk, neighbour
):
    _proposal(gebiedsteam, wijk, RESIDENTS)
    client = signed_in(neighbour)

    response = post_comment(client, "Graag een **bankje** bij het speelveld.")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/voorstellen/speelveld/#comment-{comment.pk}"
    assert (comment.author, comment.body, comment.is_team_response) == (
        neighbour,
        "Graag een **bankje** bij het speelveld.",
        False,
    )
    page = Client().get("/voorstellen/speelveld/")
    assert texts_of(page, "comment__body") == ["Graag een bankje bij het speelveld."]
    assert "<strong>bankje</strong>" in page.content.decode()
    assert texts_of(page, "meta")[-1].startswith("Buurvrouw Bep Resident ·")


def test_a_resident_replies_to_a_council_member_who_is_told(
    gebiedsteam, wijk, neighbour, council_member
):
    proposal = _proposal(gebiedsteam, wijk, RESIDENTS)
    top = CommentFactory(proposal=proposal, author=council_member, body="Wat vinden bewoners?")

    response = post_comment(signed_in(neighbour), "Prima plan.", parent=top)

    assert response.status_code == 302
    assert list(Comment.objects.filter(parent=top).values_list("author_id", flat=True)) == [
        neighbour.pk
    ]
    assert list(
        Notification.objects.filter(recipient=council_member).values_list("kind", flat=True)
    ) == [Notification.Kind.COMMENT_REPLY]
    page = Client().get("/voorstellen/speelveld/")
    assert [text.split(" ·")[0] for text in texts_of(page, "meta")[-2:]] == [
        "Raadslid Ria Wijkraad",
        "Buurvrouw Bep Resident",
    ]


def test_a_resident_reports_anothers_reaction(gebiedsteam, wijk, neighbour, outsider):
    proposal = _proposal(gebiedsteam, wijk, EVERYONE)
    comment = CommentFactory(proposal=proposal, author=outsider, body="Onzin.")

    reported = signed_in(neighbour).post(f"/reacties/{comment.pk}/melden/", {"reason": "Onaardig"})

    assert reported.status_code == 302
    assert list(comment.reports.values_list("reporter_id", flat=True)) == [neighbour.pk]


# --- bad input ------------------------------------------------------------------------------

OUTSIDE_MESSAGE = (
    "Only residents of Quirijnstok can react to this proposal. According to Mijn account you "
    "live in another wijk."
)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("outsider", OUTSIDE_MESSAGE),
        (
            "homeless",
            "Only residents of Quirijnstok can react to this proposal. Say on Mijn account in "
            "which wijk you live.",
        ),
        (
            "unconfirmed",
            "Confirm your e-mail address first: follow the link in the e-mail we sent you when "
            "you created your account.",
        ),
    ],
)
def test_a_reaction_from_outside_the_audience_is_refused(
    gebiedsteam, wijk, outsider, homeless_resident, who, message
):
    _proposal(gebiedsteam, wijk, RESIDENTS)
    unconfirmed = UserFactory(is_resident=True, email_confirmed_at=None)
    ResidenceFactory(user=unconfirmed, wijk=wijk)
    person = {"outsider": outsider, "homeless": homeless_resident, "unconfirmed": unconfirmed}[who]

    response = post_comment(signed_in(person), "Mag ik ook?")

    assert response.status_code == 403
    assert texts_of(response, "refusal") == [message]
    assert Comment.objects.count() == 0


def test_a_reaction_to_a_proposal_for_the_wijkraden_only_is_refused(gebiedsteam, wijk, neighbour):
    _proposal(gebiedsteam, wijk, WIJKRADEN)

    response = post_comment(signed_in(neighbour), "Mag ik ook?")

    assert response.status_code == 403
    assert texts_of(response, "refusal") == [
        "Only members of a wijkraad for the wijken of this proposal, and its gebiedsteam, "
        "can comment on it."
    ]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(("opens", "closes"), [(-10, -1), (2, 10)])
def test_a_residents_reaction_outside_the_period_is_refused(
    gebiedsteam, wijk, neighbour, opens, closes
):
    now = timezone.now()
    proposal = _proposal(
        gebiedsteam,
        wijk,
        RESIDENTS,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
    )

    response = post_comment(signed_in(neighbour), "Te laat of te vroeg")

    day = "{0.day} {0:%B %Y}".format
    assert response.status_code == 403
    assert texts_of(response, "refusal") == [
        "This proposal is not open for comments. Comments are possible from "
        f"{day(timezone.localtime(proposal.opens_at))} to "
        f"{day(timezone.localtime(proposal.closes_at))}."
    ]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  \n ", "Write your comment before you send it."),
        ("x" * 5001, "A comment can be at most 5000 characters long; yours has 5001."),
    ],
)
def test_an_empty_or_too_long_reaction_is_refused(gebiedsteam, wijk, neighbour, body, message):
    _proposal(gebiedsteam, wijk, RESIDENTS)

    response = post_comment(signed_in(neighbour), body)

    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert Comment.objects.count() == 0


def test_an_anonymous_reaction_goes_to_sign_in(gebiedsteam, wijk):
    _proposal(gebiedsteam, wijk, EVERYONE)

    response = post_comment(Client(), "Hallo")

    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/voorstellen/speelveld/reacties/"
    assert Comment.objects.count() == 0


# --- what the page says ---------------------------------------------------------------------


def test_an_anonymous_visitor_is_shown_how_to_take_part(gebiedsteam, wijk):
    _proposal(gebiedsteam, wijk, RESIDENTS)

    page = Client().get("/voorstellen/speelveld/")

    back = "next=%2Fvoorstellen%2Fspeelveld%2F%23reacties"
    assert texts_of(page, "reaction-how") == [
        "Residents of Quirijnstok can react to this proposal, as can the wijkraden of these "
        "wijken and the gebiedsteam. Do you live there? Sign in or create an account to "
        "react. Sign in · Create an account"
    ]
    body = page.content.decode()
    assert f'href="/account/inloggen/?{back}"' in body
    assert f'href="/account/aanmelden/?{back}"' in body
    assert page.context["comment_form"] is None
    assert "Set-Cookie" not in page.headers


@pytest.mark.parametrize(
    ("audience", "sentence"),
    [
        (
            WIJKRADEN,
            "Only members of the wijkraden of Quirijnstok and the gebiedsteam can react to "
            "this proposal. Are you a member of one of these wijkraden? Sign in to react. "
            "Sign in",
        ),
        (
            EVERYONE,
            "Everyone with an account on the portal can react to this proposal, as can the "
            "wijkraden of Quirijnstok and the gebiedsteam. Sign in or create an account to "
            "react. Sign in · Create an account",
        ),
    ],
)
def test_each_audience_has_its_sentence(gebiedsteam, wijk, audience, sentence):
    _proposal(gebiedsteam, wijk, audience)

    page = Client().get("/voorstellen/speelveld/")

    assert texts_of(page, "reaction-how") == [sentence]


def test_a_resident_of_another_wijk_is_told_why_and_where_to_set_their_wijk(
    gebiedsteam, wijk, outsider
):
    _proposal(gebiedsteam, wijk, RESIDENTS)

    page = signed_in(outsider).get("/voorstellen/speelveld/")

    assert texts_of(page, "reaction-how__reason") == [OUTSIDE_MESSAGE]
    assert 'href="/account/mijn-account/">Set your wijk on Mijn account</a>' in (
        page.content.decode()
    )
    assert page.context["comment_form"] is None


def test_a_resident_of_the_wijk_gets_the_form(gebiedsteam, wijk, neighbour):
    _proposal(gebiedsteam, wijk, RESIDENTS)

    page = signed_in(neighbour).get("/voorstellen/speelveld/")

    assert page.context["can_comment"] is True
    assert texts_of(page, "reaction-how__reason") == []
    assert 'id="comment-form"' in page.content.decode()


def test_the_card_says_residents_can_react(gebiedsteam, wijk):
    _proposal(gebiedsteam, wijk, RESIDENTS)

    page = Client().get("/voorstellen/")

    assert "Residents can react" in texts_of(page, "proposal-card")[0]


# --- the team's form ------------------------------------------------------------------------


def _draft_data(wijk, **extra):
    now = timezone.localtime()
    return {
        "title": "Speelveld",
        "body": "Een nieuw speelveld.",
        "wijken": [wijk.pk],
        "opens_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def test_the_team_opens_a_draft_to_residents(gebiedsteam, wijk, signed_in_team_member, client):
    response = client.post(
        f"/voorstellen/nieuw/?gebied={gebiedsteam.slug}", _draft_data(wijk, audience="residents")
    )

    assert response.status_code == 302, errors_of(response)
    assert list(Proposal.objects.values_list("audience", flat=True)) == ["residents"]


def test_a_council_only_proposal_open_to_residents_is_refused(
    gebiedsteam, wijk, signed_in_team_member, client
):
    response = client.post(
        f"/voorstellen/nieuw/?gebied={gebiedsteam.slug}",
        _draft_data(wijk, audience="everyone", council_only="on"),
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "A proposal only the wijkraden can read is reacted to by the wijkraden only. Choose "
        "“the wijkraden only”, or make the proposal public."
    ]
    assert Proposal.objects.count() == 0


def test_an_unknown_audience_is_refused(gebiedsteam, wijk, signed_in_team_member, client):
    response = client.post(
        f"/voorstellen/nieuw/?gebied={gebiedsteam.slug}", _draft_data(wijk, audience="buren")
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "Select a valid choice. buren is not one of the available choices."
    ]
    assert Proposal.objects.count() == 0


# --- the decision ---------------------------------------------------------------------------


def test_the_decision_tells_each_resident_what_became_of_their_reaction(
    gebiedsteam, wijk, neighbour, council_member, team_member
):
    now = timezone.now()
    proposal = _proposal(
        gebiedsteam,
        wijk,
        RESIDENTS,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now - dt.timedelta(days=1),
    )
    resident_comment = CommentFactory(proposal=proposal, author=neighbour, body="Een bankje.")
    CommentFactory(proposal=proposal, author=council_member, body="Eens.")
    inputs = proposal_services.inputs_of(proposal)

    proposal_services.decide_proposal(
        proposal=proposal,
        by=team_member,
        decision="Het speelveld komt er.",
        input_feedback="Alle reacties zijn gewogen.",
        outcomes=[
            (inputs[0], InputOutcome.Outcome.ADOPTED, "Het bankje komt er."),
            (inputs[1], InputOutcome.Outcome.NOT_ADOPTED, "Past niet."),
        ],
        actions=[],
    )

    told = {
        (n.recipient_id, n.kind, n.title, n.url)
        for n in Notification.objects.filter(kind=Notification.Kind.DECISION_PUBLISHED)
    }
    assert told == {
        (
            neighbour.pk,
            "decision_published",
            "Decision on “Speelveld”: what we did with your comment",
            f"/reacties/{resident_comment.pk}/antwoorden/",
        ),
        (
            council_member.pk,
            "decision_published",
            "Decision on “Speelveld”: what we did with your comment",
            f"/reacties/{inputs[1].comment.pk}/antwoorden/",
        ),
    }
    assert OutgoingMail.objects.filter(to="bep@example.org").count() == 1
    page = Client().get(f"/reacties/{resident_comment.pk}/antwoorden/")
    assert texts_of(page, "comment__outcome") == [
        "What we did with it: Adopted Het bankje komt er."
    ]
