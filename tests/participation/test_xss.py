from __future__ import annotations

from html.parser import HTMLParser

import pytest

from areas.models import CouncilMembership
from participation.models import Comment
from tests.factories import CouncilMembershipFactory, ProposalFactory, WijkFactory, WijkraadFactory

pytestmark = [pytest.mark.django_db, pytest.mark.english]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    "![x](https://evil.example/x.png)",
    '<a href="jAvAsCrIpT:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "[x](&#106;avascript:alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<a href=" javascript:alert(1)" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>hover</p>",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "[x](  javascript:alert(1)  )",
]
FORBIDDEN_IN_COMMENTS = {"script", "iframe", "img", "svg", "style", "form", "math", "object"}
FORBIDDEN_IN_COMMENTS |= {"embed", "button"}


class Inspector(HTMLParser):
    """Every element of a page with its attributes, and which of them sit in a comment."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.in_comment: list[str] = []
        self.comment_bodies = 0
        self.stack: list[bool] = []  # per open element: is it (inside) a comment body

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        inside = bool(self.stack and self.stack[-1])
        if inside:
            self.in_comment.append(tag)
        is_body = "comment__body" in attributes.get("class", "").split()
        self.comment_bodies += is_body
        if tag not in {"br", "hr", "img", "input", "meta", "link"}:
            self.stack.append(inside or is_body)

    def handle_endtag(self, tag):
        if tag not in {"br", "hr", "img", "input", "meta", "link"} and self.stack:
            self.stack.pop()


def inspect(content: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(content)
    return inspector


@pytest.fixture
def poster(gebiedsteam, monkeypatch):
    wijk = WijkFactory(gebiedsteam=gebiedsteam)
    council = WijkraadFactory()
    council.wijken.add(wijk)
    ProposalFactory(gebiedsteam=gebiedsteam, wijken=[wijk], slug="speelveld")
    # All payloads come from one person; the flood limit is not what is tested here.
    monkeypatch.setattr("participation.services.comments.MAX_COMMENTS_PER_WINDOW", 1000)
    return CouncilMembershipFactory(wijkraad=council, role=CouncilMembership.Role.MEMBER).user


def test_xss_payloads_posted_as_comments_render_inert(client, poster):
    client.force_login(poster)
    for payload in PAYLOADS:
        response = client.post("/voorstellen/speelveld/reacties/", {"body": payload})
        assert response.status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("body", flat=True)) == [
        payload.strip() for payload in PAYLOADS
    ]

    pages = {
        "page": client.get("/voorstellen/speelveld/").content.decode(),
        "fragment": client.get(
            "/voorstellen/speelveld/reacties/", HTTP_HX_REQUEST="true"
        ).content.decode(),
        "anonymous page": "",
    }
    client.logout()
    pages["anonymous page"] = client.get("/voorstellen/speelveld/").content.decode()

    for name, content in pages.items():
        found = inspect(content)
        assert found.comment_bodies == len(PAYLOADS), name
        handlers = [
            (tag, attr) for tag, attrs in found.elements for attr in attrs if attr.startswith("on")
        ]
        assert handlers == [], name
        assert sorted(set(found.in_comment) & FORBIDDEN_IN_COMMENTS) == [], name
        scripted = [
            value
            for _, attrs in found.elements
            for attr, value in attrs.items()
            if attr in {"href", "src", "action", "data", "formaction", "xlink:href"}
            and "".join(value.split()).lower().startswith("javascript:")
        ]
        assert scripted == [], name
        assert "evil.example/x.png" not in content


def test_xss_edited_comment_renders_inert(client, poster):
    client.force_login(poster)
    client.post("/voorstellen/speelveld/reacties/", {"body": "Eerst netjes"})
    comment = Comment.objects.get()

    response = client.post(
        f"/reacties/{comment.pk}/bewerken/",
        {"revision": 0, "body": "<img src=x onerror=alert(1)>[x](javascript:alert(1))"},
        HTTP_HX_REQUEST="true",
    )

    found = inspect(response.content.decode())
    assert found.comment_bodies == 1
    assert [tag for tag in found.in_comment] == ["p", "a"]
    assert [attrs for tag, attrs in found.elements if tag == "a"][0] == {
        "rel": "noopener noreferrer nofollow"
    }
