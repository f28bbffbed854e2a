from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django import forms
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from agendas.models import Action
from tests.factories import (
    ActionFactory,
    ChangeRecordFactory,
    WijkagendaFactory,
    WijkFactory,
)
from web import editing
from web.editing import (
    Conflict,
    EditPage,
    FieldChange,
    StaleEditError,
    conflict_of,
    edit_response,
    field_changes,
    field_label,
    readable_value,
    shown_value,
    with_revision,
)

pytestmark = [pytest.mark.django_db, pytest.mark.english]

SQUARE = {"type": "Polygon", "coordinates": [[[5, 51], [5.1, 51], [5.1, 51.1], [5, 51]]]}


# ---- Values ---------------------------------------------------------------------------------


def test_field_label_is_the_verbose_name_capitalised_or_as_written():
    assert (
        field_label(Action, "progress"),
        field_label(Action, "progress", capitalise=False),
    ) == ("Progress (%)", "progress (%)")


def test_field_label_of_a_field_the_model_no_longer_has_is_its_name():
    assert (field_label(Action, "removed_field"), field_label(None, "title")) == (
        "removed_field",
        "title",
    )


def test_shown_value_reads_choices_relations_dates_and_decimals():
    action = ActionFactory(status=Action.Status.DELAYED, budget=Decimal("1250.50"))

    assert [
        shown_value(action, name)
        for name in ("status", "owner_organisation", "due_date", "budget", "progress")
    ] == ["delayed", str(action.owner_organisation), "2026-06-30", "1250.50", 40]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (["Het Zand", "De Reit"], "Het Zand, De Reit"),
        ([], None),
        (SQUARE, "a drawn area"),
        ({"type": "MultiPolygon", "coordinates": []}, "a drawn area"),
        ({"type": "Point"}, {"type": "Point"}),
        ("tekst", "tekst"),
        (None, None),
    ],
)
def test_readable_value_joins_lists_and_names_a_drawn_area(value, shown):
    assert readable_value(value) == shown


def test_field_changes_follow_the_model_field_order_with_readable_values():
    changes = {
        "progress": {"old": 40, "new": 60},
        "area": {"old": None, "new": SQUARE},
        "title": {"old": "Oud", "new": "Nieuw"},
        "gone": {"old": 1, "new": 2},
        "wijken": ["not", "a", "change"],
    }

    assert field_changes(changes, Action) == [
        FieldChange("Title", "Oud", "Nieuw"),
        FieldChange("Progress (%)", 40, 60),
        FieldChange("Area", None, "a drawn area"),
        FieldChange("gone", 1, 2),
    ]


# ---- The conflict ---------------------------------------------------------------------------


def test_conflict_of_names_the_other_change_and_the_current_values(staff):
    action = ActionFactory(title="Bankjes plaatsen", progress=60, area=SQUARE, description="")
    record = ChangeRecordFactory(
        action=action,
        author=staff,
        changes={"progress": {"old": 40, "new": 60}, "area": {"old": None, "new": SQUARE}},
    )

    conflict = conflict_of(
        StaleEditError(current=action, other_change=record),
        ["title", "description", "progress", "area"],
        capitalise=False,
    )

    assert conflict == Conflict(
        author=str(staff),
        when=record.created_at,
        changes=[
            FieldChange("progress (%)", 40, 60),
            FieldChange("area", None, "a drawn area"),
        ],
        current=[
            ("title", "Bankjes plaatsen"),
            ("description", None),
            ("progress (%)", 60),
            ("area", "a drawn area"),
        ],
    )


def test_conflict_of_shows_a_many_to_many_field_by_name():
    agenda = WijkagendaFactory(
        title="Wijkagenda West", wijken=[WijkFactory(name="De Reit"), WijkFactory(name="Het Zand")]
    )

    conflict = conflict_of(StaleEditError(current=agenda, other_change=None), ["title", "wijken"])

    assert conflict == Conflict(
        author=None,
        when=None,
        changes=[],
        current=[("Title", "Wijkagenda West"), ("Wijken", "De Reit, Het Zand")],
    )


def test_with_revision_sets_the_current_revision_in_a_copy():
    data = QueryDict("title=Nieuw&revision=2&action-7-revision=2")

    plain = with_revision(data, 5)
    prefixed = with_revision(data, 5, "action-7")

    assert (plain["revision"], plain["title"], prefixed["action-7-revision"]) == ("5", "Nieuw", "5")
    assert data["revision"] == "2"


# ---- The flow -------------------------------------------------------------------------------


class TitleForm(forms.Form):
    title = forms.CharField()
    revision = forms.IntegerField()


class Thing:
    def __init__(self, title: str, revision: int) -> None:
        self.title, self.revision = title, revision


@pytest.fixture
def rendered(monkeypatch) -> list[tuple[str, dict[str, Any], int]]:
    """What the flow rendered, instead of rendering templates."""
    calls: list[tuple[str, dict[str, Any], int]] = []

    def fake_render(request, template_name, context, status=200):
        calls.append((template_name, context, status))
        return HttpResponse(status=status)

    monkeypatch.setattr(editing, "render", fake_render)
    monkeypatch.setattr("web.http.render", fake_render)
    return calls


def request_for(method: str, data: dict[str, str] | None = None, *, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    factory = RequestFactory()
    request = (
        factory.get("/", headers=headers)
        if method == "GET"
        else factory.post("/", data or {}, headers=headers)
    )
    request.htmx = HtmxDetails(request)
    return request


def flow(request, *, save, **kwargs):
    thing = Thing("Oud", 3)
    form = TitleForm(request.POST if request.method == "POST" else None)
    return edit_response(
        request,
        page=EditPage("thing.html", "form", **kwargs.pop("page_options", {})),
        obj=thing,
        form=form,
        context=lambda shown, form, **extra: {"thing": shown, "form": form, **extra},
        save=save,
        saved=lambda thing: HttpResponse(f"saved {thing.title}"),
        conflict_fields=["title"],
        rebind=lambda current, data: TitleForm(data),
        **kwargs,
    )


def refuse() -> Any:
    action = ActionFactory(title="Nu zo")
    raise StaleEditError(current=action, other_change=None)


@pytest.mark.parametrize(
    ("htmx", "options", "template"),
    [
        (False, {}, "thing.html"),
        (True, {}, "thing.html#form"),
        (True, {"whole_page_on_get": True}, "thing.html"),
    ],
)
def test_edit_response_get_shows_the_form(rendered, htmx, options, template):
    response = flow(request_for("GET", htmx=htmx), save=refuse, page_options=options)

    [(name, context, status)] = rendered
    assert (response.status_code, name, status, context["thing"].title) == (
        200,
        template,
        200,
        "Oud",
    )
    assert context["form"].is_bound is False


def test_edit_response_invalid_post_shows_the_errors_with_400(rendered):
    response = flow(request_for("POST", {"title": ""}, htmx=True), save=refuse)

    [(name, context, status)] = rendered
    assert (response.status_code, name, status) == (400, "thing.html#form", 400)
    assert context["form"].errors == {
        "title": ["This field is required."],
        "revision": ["This field is required."],
    }


def test_edit_response_stale_save_shows_the_conflict_and_the_rebound_form_with_409(rendered):
    response = flow(request_for("POST", {"title": "Mijn titel", "revision": "0"}), save=refuse)

    [(name, context, status)] = rendered
    assert (response.status_code, name, status) == (409, "thing.html", 409)
    assert context["conflict"].current == [("Title", "Nu zo")]
    assert context["thing"].title == "Nu zo"
    assert (context["form"].data["title"], context["form"].data["revision"]) == ("Mijn titel", "0")


def test_edit_response_stale_save_rebinds_with_the_current_revision(rendered):
    def refuse_at_revision_4() -> Any:
        action = ActionFactory()
        Action.objects.filter(pk=action.pk).update(revision=4)
        action.refresh_from_db()
        raise StaleEditError(current=action, other_change=None)

    flow(request_for("POST", {"title": "Mijn titel", "revision": "3"}), save=refuse_at_revision_4)

    [(_name, context, _status)] = rendered
    assert context["form"].data["revision"] == "4"


def test_edit_response_asks_current_for_the_object_as_it_is_now(rendered):
    now = Thing("Zo is het nu", 7)

    flow(
        request_for("POST", {"title": "x", "revision": "3"}),
        save=refuse,
        current=lambda error: now,
    )

    [(_name, context, _status)] = rendered
    assert (context["thing"], context["form"].data["revision"]) == (now, "7")


def test_edit_response_save_answers_with_the_saved_object(rendered):
    response = flow(
        request_for("POST", {"title": "Nieuw", "revision": "3"}), save=lambda: Thing("Nieuw", 4)
    )

    assert (response.status_code, response.content, rendered) == (200, b"saved Nieuw", [])


def test_edit_response_lets_the_view_answer_invalid_and_refused_itself():
    def refused(error: StaleEditError, conflict: Conflict) -> HttpResponse:
        return HttpResponse(f"refused: {conflict.current}", status=HTTPStatus.CONFLICT)

    def answer(data: dict[str, str], save) -> HttpResponse:
        return edit_response(
            request_for("POST", data),
            form=TitleForm(data),
            save=save,
            saved=lambda thing: HttpResponse("saved"),
            conflict_fields=["title"],
            invalid=lambda: HttpResponse("invalid", status=HTTPStatus.BAD_REQUEST),
            refused=refused,
        )

    invalid = answer({}, refuse)
    stale = answer({"title": "x", "revision": "1"}, refuse)

    assert (invalid.status_code, invalid.content) == (400, b"invalid")
    assert (stale.status_code, stale.content) == (409, b"refused: [('Title', 'Nu zo')]")
