"""Forms in the portal's style: NL Design System (Utrecht) classes on every input, the shared
field template, date inputs the browser understands, the hidden revision of edit forms, and the
textarea of public texts with its plain-language advice.

`{{ form }}` of a styled form renders `includes/_form_fields.html`: each visible field as a
Utrecht form field (label, help text, errors next to the field, input), then the hidden ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

FieldT = TypeVar("FieldT", bound=forms.Field)

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
FORM_FIELD_INPUT = "utrecht-form-field__input"

# The Utrecht classes of each kind of widget: the first kind that matches wins, and any other
# widget is a textbox. A widget made of several inputs (the checkboxes of a multiple choice,
# radio buttons) gets none: Django puts the class on the <div> around the inputs as well as
# on each of them, and that <div> would be drawn as one more checkbox.
WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.HiddenInput, ""),
    (forms.RadioSelect, ""),  # and CheckboxSelectMultiple, its subclass
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
)

FIELDS_TEMPLATE = "includes/_form_fields.html"


def widget_classes(widget: forms.Widget) -> str:
    """The Utrecht classes for `widget`, or "" when it gets none."""
    css = next((css for kind, css in WIDGET_CLASSES if isinstance(widget, kind)), TEXTBOX)
    return f"{css} {FORM_FIELD_INPUT}" if css else ""


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget of `form` the Utrecht classes of its kind.

    Classes a widget already has are kept, and styling twice adds nothing, so a form may call
    this again after adding fields of its own.
    """
    for field in form.fields.values():
        widget = field.widget
        have = widget.attrs.get("class", "").split()
        wanted = [css for css in widget_classes(widget).split() if css not in have]
        if wanted:
            widget.attrs["class"] = " ".join([*have, *wanted])


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The field `name` of `form`, checked to be a `kind`: to set the choices or queryset of
    a field the form declares (`form.fields` only promises a Field)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is no {kind.__name__}")
    return field


# Seen by the type checker as a form, so that the mixin may call the form's methods.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class StyledFormMixin(_FormBase):
    """A form whose widgets carry the Utrecht classes and whose `{{ form }}` renders the
    shared field template; mix it in before Django's form class."""

    template_name = FIELDS_TEMPLATE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        return self.cleaned_data


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    """A date picker: the browser's own, which reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class NameChoiceIterator(ModelChoiceIterator):
    """The choices as (key, name) pairs from one `values_list` query: no count first, no
    server-side cursor and no model object per choice (for the 59 wijken that was most of
    the time of a page with a wijk filter)."""

    field: NameChoiceField

    def __init__(self, field: NameChoiceField) -> None:
        super().__init__(field)
        self.choices: list[tuple[Any, Any]] | None = None

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        # Read once: a template's {% for %} asks for the length before it loops.
        if self.choices is None:
            field = self.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            pairs = self.queryset.values_list(field.to_field_name or "pk", field.name_field)
            self.choices = [*empty, *pairs]
        return iter(self.choices)

    def __len__(self) -> int:
        return len(list(iter(self)))


class NameChoiceField(forms.ModelChoiceField):
    """A choice of one object, listed by its `name_field` (cleaned to the object itself)."""

    iterator = NameChoiceIterator

    def __init__(self, *args: Any, name_field: str = "name", **kwargs: Any) -> None:
        self.name_field = name_field
        super().__init__(*args, **kwargs)


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes as Django's `attrs.html` writes them: True bare, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class CheckboxList(forms.CheckboxSelectMultiple):
    """Django's CheckboxSelectMultiple with the same HTML as its templates, built in Python:
    the templates take about half a millisecond a checkbox, so a meeting's list of 500
    linkable initiatives took a quarter of a second. Tested against the templates
    (tests/web/test_forms.py)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        box_id = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{conditional_escape(box_id)}"' if box_id else "",
            f' class="{conditional_escape(css)}"' if css else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            for option in options:
                parts.append("<div>\n    ")
                parts.append(self._option(option))
                parts.append("</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped

    @staticmethod
    def _option(option: dict[str, Any]) -> str:
        option_attrs = option["attrs"]
        value = option["value"]
        value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
        # The line ends are those of the template files (input.html, input_option.html and
        # checkbox_option.html each end in one).
        box = (
            f'<input type="{option["type"]}" name="{conditional_escape(option["name"])}"'
            f"{value_attr}{_attributes(option_attrs)}>\n"
        )
        if not option["wrap_label"]:
            return f"{box}\n\n"
        label_for = (
            f' for="{conditional_escape(option_attrs["id"])}"' if option_attrs.get("id") else ""
        )
        return f"<label{label_for}>{box} {conditional_escape(option['label'])}</label>\n\n"


class RevisionField(forms.IntegerField):
    """The revision the object had when the form was opened (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, **kwargs)


class RevisionForm(StyledForm):
    """Only the revision the object had when the page was opened (move, remove, publish)."""

    revision = RevisionField()


class EditForm(StyledModelForm):
    """A ModelForm of the portal; the edit form of an existing object carries its `revision`.

    A form for a new object has no revision to check, so its `revision` field is dropped.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Models without revisions (proposals) have no revision field.
        if "revision" in self.fields:
            if self.instance.pk is None:
                del self.fields["revision"]
            else:
                self.fields["revision"].initial = self.instance.revision

    def changed_values(self) -> dict[str, Any]:
        """The cleaned values of the model fields, for the service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


def _input_html(field: forms.BoundField) -> SafeString:
    """The widget of `field` as its template renders it, built in Python (select, number,
    text and hidden inputs); any other widget through its template."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({**widget.attrs, "id": field.auto_id})
    value = field.value()
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, mark_safe(" selected") if str(choice) == chosen else "", label)  # noqa: S308
                for choice, label in field.field.choices  # type: ignore[attr-defined]
            ),
        )
        return format_html(
            "<select name={}{}>{}</select>", _quoted(field.html_name), flatatt(attrs), options
        )
    plain_input = isinstance(widget, forms.widgets.Input)
    if plain_input and widget.input_type in {"number", "text", "hidden"}:
        shown = widget.format_value(value)
        value_attr = format_html(" value={}", _quoted(shown)) if shown is not None else ""
        return format_html(
            "<input type={} name={}{}{}>",
            _quoted(widget.input_type),
            _quoted(field.html_name),
            value_attr,
            flatatt(attrs),
        )
    return field.as_widget()


def _label_text(field: forms.BoundField) -> str:
    """The label with the form's suffix, as `BoundField.label_tag` writes it: none after a
    label that ends in punctuation."""
    label = str(field.label)
    suffix = field.field.label_suffix
    suffix = field.form.label_suffix if suffix is None else suffix
    if suffix and label and label[-1] not in ":?.!":
        return f"{label}{suffix}"
    return label


def _quoted(text: str) -> SafeString:
    return format_html('"{}"', text)


def compact_fields(form: forms.BaseForm) -> SafeString:
    """An unbound form's fields as `includes/_form_fields.html` shows them (a Utrecht form
    field with label and input each, then the hidden inputs), built in Python.

    For lists with a small form on every row (the status of each action on the werkplek):
    the template renderer takes milliseconds a form, a select rendering each of its options
    through a template of its own. Fields with help texts, and bound forms (which may show
    errors), go through the template as always."""
    if form.is_bound or any(field.help_text for field in form.visible_fields()):
        return render_to_string(FIELDS_TEMPLATE, {"form": form})
    visible = format_html_join(
        "",
        '<div class="utrecht-form-field"><label for="{}">{}</label>{}</div>',
        (
            (field.id_for_label, _label_text(field), _input_html(field))
            for field in form.visible_fields()
        ),
    )
    hidden = format_html_join("", "{}", ((_input_html(field),) for field in form.hidden_fields()))
    return format_html("{}{}", visible, hidden)


# The limits of the plain-language advice (static/js/plain-language.js), after the usual B1
# guidance for Dutch: sentences of at most 20 words, words shorter than 15 letters.
PLAIN_SENTENCE_WORDS = 20
PLAIN_WORD_LETTERS = 15


class PlainLanguageTextarea(forms.Textarea):
    """A textarea for a text the public reads, with advice against language level B1 while
    one types: long sentences, long words and the passive voice (static/js/plain-language.js,
    loaded for everyone signed in). Advice only, below the field: it never stops a save, and
    without JavaScript the field is a plain textarea."""

    template_name = "web/widgets/plain_language_textarea.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        advice_id = f"{widget['attrs'].get('id') or name}-b1"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {advice_id}".strip()
        widget["attrs"]["data-plain-language"] = advice_id
        widget["advice_id"] = advice_id
        widget["advice_texts"] = json.dumps(
            {
                "title": gettext("Readability (language level B1)"),
                "fine": gettext("No long sentences, long words or passive voice."),
                "sentences": gettext("Sentences of more than %(words)d words: {n}")
                % {"words": PLAIN_SENTENCE_WORDS},
                "words": gettext("Words of %(letters)d letters or more: {n} ({examples})")
                % {"letters": PLAIN_WORD_LETTERS},
                "passive": gettext("Passive voice (“wordt … gedaan”): {n}"),
                "sentence_words": PLAIN_SENTENCE_WORDS,
                "word_letters": PLAIN_WORD_LETTERS,
            }
        )
        return context
