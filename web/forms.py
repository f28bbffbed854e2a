"""Forms in the portal's style: NL Design System (Utrecht) classes on every input, the shared
field template, date inputs the browser understands, and the hidden revision of edit forms.

`{{ form }}` of a styled form renders `includes/_form_fields.html`: each visible field as a
Utrecht form field (label, help text, errors next to the field, input), then the hidden ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django import forms

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
