from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from participation.models import Proposal
from tests.factories import (
    AdviceFactory,
    CommentFactory,
    CouncilMembershipFactory,
    ProposalFactory,
    UserFactory,
    WijkFactory,
    WijkraadFactory,
)
from tests.helpers import count_queries, texts_of

pytestmark = [pytest.mark.django_db, pytest.mark.english]


def test_proposal_list_orders_open_then_consideration_then_decided(client, gebiedsteam):
    now = timezone.now()
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        title="Besloten",
        status=Proposal.Status.DECIDED,
        input_feedback="Meegenomen.",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
    )
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        title="In behandeling",
        status=Proposal.Status.CONSIDERATION,
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=1),
    )
    ProposalFactory(gebiedsteam=gebiedsteam, title="Sluit later", closes_at=now + dt.timedelta(9))
    ProposalFactory(gebiedsteam=gebiedsteam, title="Sluit eerst", closes_at=now + dt.timedelta(3))
    ProposalFactory(gebiedsteam=gebiedsteam, title="Concept", status=Proposal.Status.DRAFT)
    ProposalFactory(gebiedsteam=gebiedsteam, title="Alleen raad", council_only=True)

    response = client.get("/voorstellen/")

    assert [p.title for p in response.context["page_obj"]] == [
        "Sluit eerst",
        "Sluit later",
        "In behandeling",
        "Besloten",
    ]


def test_proposal_list_shows_a_countdown_for_open_proposals(client, gebiedsteam):
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        closes_at=timezone.now() + dt.timedelta(days=3, minutes=30),
    )

    response = client.get("/voorstellen/")

    assert re.findall(r"<strong>([^<]*)</strong>", response.content.decode()) == [
        "Still 3\xa0days to respond"
    ]


def test_proposal_detail_shows_a_countdown_while_open(client, gebiedsteam):
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="speelveld",
        closes_at=timezone.now() + dt.timedelta(days=3, minutes=30),
    )

    response = client.get("/voorstellen/speelveld/")

    assert re.findall(r"<p><strong>([^<]*)</strong>", response.content.decode()) == [
        "Closes in 3\xa0days"
    ]


def test_proposal_detail_says_when_comments_open(client, gebiedsteam):
    ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="speelveld",
        opens_at=timezone.now() + dt.timedelta(days=2, minutes=30),
        closes_at=timezone.now() + dt.timedelta(days=20),
    )

    response = client.get("/voorstellen/speelveld/")

    assert re.findall(r"<p><strong>([^<]*)</strong></p>", response.content.decode()) == [
        "Opens in 2\xa0days"
    ]


def test_proposal_list_bad_page_number_shows_the_first_page(client, gebiedsteam):
    ProposalFactory(gebiedsteam=gebiedsteam, title="Speelveld")

    response = client.get("/voorstellen/", {"page": "twee"})

    assert response.status_code == 200
    assert [p.title for p in response.context["page_obj"]] == ["Speelveld"]


def test_proposal_detail_shows_body_advice_and_decision(client, gebiedsteam):
    wijk = WijkFactory(gebiedsteam=gebiedsteam, name="Heikant")
    proposal = ProposalFactory(
        gebiedsteam=gebiedsteam,
        slug="speelveld",
        wijken=[wijk],
        body="Een *nieuw* speelveld.",
        status=Proposal.Status.DECIDED,
        decision="We leggen het speelveld aan.",
        input_feedback="De oversteek komt er ook.",
        decided_at=timezone.now(),
    )
    AdviceFactory(
        proposal=proposal,
        wijkraad=WijkraadFactory(name="Wijkraad Heikant"),
        deadline=dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC),
        verdict="conditional",
        text="Alleen met oversteek.",
        submitted_at=timezone.now(),
        response="Akkoord, de oversteek komt.",
    )
    AdviceFactory(
        proposal=proposal,
        wijkraad=WijkraadFactory(name="Wijkraad Noord"),
        deadline=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC),
    )

    response = client.get("/voorstellen/speelveld/")
    content = response.content.decode()

    assert [w.name for w in response.context["wijken"]] == ["Heikant"]
    assert "<p>Een <em>nieuw</em> speelveld.</p>" in content
    rows = re.findall(r"<tr>(.*?)</tr>", content.split("<tbody>")[1], re.S)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert cells == [
        "Wijkraad Heikant 1 May 2025 Positive with conditions Alleen met oversteek. "
        "Akkoord, de oversteek komt.",
        "Wijkraad Noord 1 June 2025 Not given yet. No response yet.",
    ]
    decision = content.split('<h2 id="decision-heading">Decision</h2>')[1].split("</section>")[0]
    assert (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", decision))
        .strip()
        .endswith(
            "We leggen het speelveld aan. What we did with your input De oversteek komt er ook."
        )
    )


def test_proposal_detail_shows_comments_with_moderation_placeholders(client, gebiedsteam):
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, slug="speelveld")
    base = timezone.now() - dt.timedelta(days=2)
    first = CommentFactory(
        proposal=proposal,
        author=UserFactory(full_name="Raadslid Ria"),
        body="Denk aan de oversteek.",
        created_at=base,
    )
    CommentFactory(
        proposal=proposal,
        parent=first,
        author=UserFactory(full_name="Regisseur Rina"),
        is_team_response=True,
        body="Die nemen we mee.",
        created_at=base + dt.timedelta(hours=1),
    )
    CommentFactory(
        proposal=proposal,
        body="Scheldwoord",
        moderation="hidden",
        moderation_reason="Beledigend",
        created_at=base + dt.timedelta(hours=2),
    )
    CommentFactory(
        proposal=proposal,
        body="Toch niet",
        moderation="removed",
        created_at=base + dt.timedelta(hours=3),
    )

    response = client.get("/voorstellen/speelveld/")
    content = response.content.decode()

    reply_day = _day(base + dt.timedelta(hours=1))
    assert texts_of(response, "comment") == [
        f"Raadslid Ria · {_day(base)} Denk aan de oversteek.",
        f"Regisseur Rina Response of the gebiedsteam · {reply_day} Die nemen we mee.",
        "This comment was hidden by a moderator.",
        "This comment was removed by its author.",
    ]
    assert "Scheldwoord" not in content
    assert "Beledigend" not in content
    assert "Toch niet" not in content


def test_proposal_detail_paginates_comments_by_twenty(client, gebiedsteam):
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, slug="speelveld")
    base = timezone.now() - dt.timedelta(days=1)
    for number in range(21):
        CommentFactory(
            proposal=proposal, body=f"Reactie {number}", created_at=base + dt.timedelta(number)
        )

    first = client.get("/voorstellen/speelveld/")
    second = client.get("/voorstellen/speelveld/", {"pagina": "2"})
    beyond = client.get("/voorstellen/speelveld/", {"pagina": "x"})

    assert [c.body for c in first.context["page_obj"]] == [f"Reactie {n}" for n in range(20)]
    assert [c.body for c in second.context["page_obj"]] == ["Reactie 20"]
    assert beyond.context["page_obj"].number == 1


def test_proposal_detail_unknown_slug_is_404(client):
    response = client.get("/voorstellen/bestaat-niet/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 404),
        ("other_team_member", 404),
        ("other_council_member", 404),
        ("council_member", 200),
        ("team_member", 200),
        ("staff", 200),
    ],
)
def test_proposal_detail_council_only_does_not_leak(
    client, request, gebiedsteam, role, expected_status
):
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    council = WijkraadFactory()
    council.wijken.add(wijk)
    ProposalFactory(
        gebiedsteam=gebiedsteam, slug="raad", title="Alleen raad", wijken=[wijk], council_only=True
    )
    users = {
        "council_member": lambda: CouncilMembershipFactory(wijkraad=council).user,
        "other_council_member": lambda: CouncilMembershipFactory().user,
    }
    if role in users:
        client.force_login(users[role]())
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    detail = client.get("/voorstellen/raad/")
    listed = client.get("/voorstellen/")

    assert detail.status_code == expected_status
    assert [p.title for p in listed.context["page_obj"]] == (
        ["Alleen raad"] if expected_status == 200 else []
    )


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [("anonymous", 404), ("other_team_member", 404), ("team_member", 200), ("staff", 200)],
)
def test_proposal_detail_draft_is_visible_to_its_team_and_staff_only(
    client, request, gebiedsteam, role, expected_status
):
    ProposalFactory(gebiedsteam=gebiedsteam, slug="concept", status=Proposal.Status.DRAFT)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get("/voorstellen/concept/")

    assert response.status_code == expected_status
    assert [t.name for t in response.templates][0] == (
        "participation/proposal_detail.html" if expected_status == 200 else "404.html"
    )


def test_proposal_list_query_count_does_not_grow_with_the_data(
    client, gebiedsteam, signed_in_team_member
):

    build_proposal_world(gebiedsteam, scale=1, prefix="een")
    at_1 = count_queries(client, "/voorstellen/")
    for number in range(9):
        build_proposal_world(gebiedsteam, scale=2, prefix=f"meer{number}")

    at_10 = count_queries(client, "/voorstellen/")

    assert Proposal.objects.count() == 30
    assert at_10 == at_1


def test_proposal_detail_query_count_does_not_grow_with_the_data(client, gebiedsteam):
    build_proposal_world(gebiedsteam, scale=1, prefix="een")
    build_proposal_world(gebiedsteam, scale=10, prefix="tien")

    at_1 = count_queries(client, "/voorstellen/een-voorstel/")
    at_10 = count_queries(client, "/voorstellen/tien-voorstel/")

    assert at_10 == at_1


def _day(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def build_proposal_world(gebiedsteam, *, scale: int, prefix: str) -> Proposal:
    wijken = [WijkFactory(gebiedsteam=gebiedsteam) for _ in range(scale)]
    proposal = ProposalFactory(gebiedsteam=gebiedsteam, slug=f"{prefix}-voorstel", wijken=wijken)
    for _ in range(scale):
        comment = CommentFactory(proposal=proposal)
        CommentFactory(proposal=proposal, parent=comment, is_team_response=True)
        CommentFactory(proposal=proposal, moderation="hidden", moderation_reason="Beledigend")
        AdviceFactory(proposal=proposal)
    for status in ["consideration", "decided"]:
        ProposalFactory(
            gebiedsteam=gebiedsteam, wijken=wijken, status=status, input_feedback="Gedaan."
        )
    return proposal


def test_proposal_list_ignores_a_wijk_filter_with_a_nul(client, gebiedsteam):
    ProposalFactory(gebiedsteam=gebiedsteam, title="Een bankje")

    response = client.get("/voorstellen/", {"wijk": "\x00"})

    assert response.status_code == 200
    assert [p.title for p in response.context["page_obj"]] == ["Een bankje"]
