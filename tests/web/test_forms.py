from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.html import parse_html

from agendas.forms.actions import ActionStatusForm
from agendas.models import Plan
from tests.factories import ActionFactory
from web.forms import (
    CheckboxList,
    DateInput,
    DateTimeInput,
    EditForm,
    RevisionField,
    RevisionForm,
    StyledForm,
    compact_fields,
    style_widgets,
    widget_classes,
)

pytestmark = pytest.mark.english

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input utrecht-form-field__input"


class Everything(StyledForm):
    name = forms.CharField()
    email = forms.EmailField()
    text = forms.CharField(widget=forms.Textarea(attrs={"class": "short", "rows": 2}))
    kind = forms.ChoiceField(choices=[("a", "A")])
    kinds = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    verdict = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    agree = forms.BooleanField()
    key = forms.CharField(widget=forms.HiddenInput)


def classes_of(form: forms.BaseForm) -> dict[str, str | None]:
    return {name: field.widget.attrs.get("class") for name, field in form.fields.items()}


def test_styled_form_gives_each_kind_of_widget_its_utrecht_classes():
    assert classes_of(Everything()) == {
        "name": TEXTBOX,
        "email": TEXTBOX,
        "text": "short utrecht-textarea utrecht-textarea--html-textarea utrecht-form-field__input",
        "kind": "utrecht-select utrecht-select--html-select utrecht-form-field__input",
        # The class would land on the <div> around the inputs as well as on each input.
        "kinds": None,
        "verdict": None,
        "agree": "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input",
        "key": None,
    }


def test_style_widgets_twice_adds_nothing():
    form = Everything()
    before = classes_of(form)

    style_widgets(form)

    assert classes_of(form) == before


def test_widget_classes_of_a_subclass_follow_its_kind():
    class Picker(forms.NumberInput):
        pass

    assert (widget_classes(Picker()), widget_classes(forms.SelectMultiple())) == (
        TEXTBOX,
        "utrecht-select utrecht-select--html-select utrecht-form-field__input",
    )


def test_styled_form_renders_the_shared_field_template():
    html = str(RevisionForm(initial={"revision": 3}))

    assert html.strip() == '<input type="hidden" name="revision" value="3" id="id_revision">'


def test_date_inputs_are_the_browsers_own_with_iso_values():
    date = DateInput().render("d", dt.date(2025, 3, 1))
    moment = DateTimeInput().render("m", dt.datetime(2025, 3, 1, 9, 30))  # noqa: DTZ001

    assert date == '<input type="date" name="d" value="2025-03-01">'
    assert moment == '<input type="datetime-local" name="m" value="2025-03-01T09:30">'


def test_revision_field_is_hidden_and_refuses_a_negative_revision():
    form = RevisionForm({"revision": "-1"})

    assert isinstance(RevisionField().widget, forms.HiddenInput)
    assert form.errors == {"revision": ["Ensure this value is greater than or equal to 0."]}


class PlanEditForm(EditForm):
    revision = RevisionField()

    class Meta:
        model = Plan
        fields = ["title"]


def test_edit_form_carries_the_revision_of_an_existing_object_only():
    existing = PlanEditForm(instance=Plan(pk=7, title="Plan", revision=4))
    new = PlanEditForm(instance=Plan(title="Plan"))

    assert existing.fields["revision"].initial == 4
    assert "revision" not in new.fields


def test_edit_form_changed_values_are_the_cleaned_model_fields():
    form = PlanEditForm({"title": "Nieuw", "revision": "4"}, instance=Plan(pk=7, revision=4))

    assert form.is_valid(), form.errors
    assert form.changed_values() == {"title": "Nieuw"}


# ---- Fields built in Python for lists of small forms ------------------------------------


class Small(StyledForm):
    """What compact_fields builds itself: a select, a number, a text and a hidden input."""

    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")], initial="b")
    count = forms.IntegerField(min_value=0, max_value=100, initial=7)
    name = forms.CharField(max_length=20, required=False, initial='Say "hi"')
    revision = RevisionField(initial=3)


class Asking(StyledForm):
    """A label that ends in a question mark gets no colon after it, as with label_tag."""

    consent = forms.ChoiceField(label="Mag dit?", choices=[("y", "Ja")])


class WithHelp(StyledForm):
    name = forms.CharField(help_text="What the team calls it.")


def template_fields(form: forms.BaseForm) -> str:
    return render_to_string("includes/_form_fields.html", {"form": form})


def test_compact_fields_give_the_html_of_the_field_template() -> None:
    form = Small(prefix="row-4")

    assert parse_html(compact_fields(form)) == parse_html(template_fields(form))
    assert '<option value="b" selected>&lt;b&gt;</option>' in compact_fields(form)
    assert parse_html(compact_fields(Asking())) == parse_html(template_fields(Asking()))
    assert '<label for="id_consent">Mag dit?</label>' in compact_fields(Asking())


def test_compact_fields_give_an_action_status_form_as_the_template_does(db) -> None:
    action = ActionFactory(status="done", progress=100)
    form = ActionStatusForm(instance=action, prefix=f"action-{action.pk}")

    assert parse_html(compact_fields(form)) == parse_html(template_fields(form))


def test_compact_fields_leave_bound_forms_and_help_texts_to_the_template() -> None:
    bound = Small({"row-4-kind": "x", "row-4-count": "-1"}, prefix="row-4")
    helped = WithHelp()

    assert compact_fields(bound) == template_fields(bound)
    assert "errorlist" in compact_fields(bound)
    assert compact_fields(helped) == template_fields(helped)


CHOICES = [
    ("1", "Moestuin <Noord> & zo"),
    ("Gebied West", [("2", "Speeltuin"), ("3", 'Bankje "bij" de vijver')]),
    (4, "Vier"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        (["2", "4"], {"id": "id_kinds"}),
        (["1"], {"id": "id_kinds", "class": "lijst", "required": True, "disabled": False}),
        ([], {"aria-describedby": "id_kinds_helptext x<y"}),
    ],
)
def test_the_checkbox_list_writes_what_djangos_templates_write(value, attrs) -> None:
    ours = CheckboxList(choices=CHOICES).render("kinds", value, attrs)
    djangos = forms.CheckboxSelectMultiple(choices=CHOICES).render("kinds", value, attrs)

    assert str(ours) == str(djangos)
