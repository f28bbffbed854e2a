"""The public texts' textareas carry the plain-language advice; its texts are the page's."""

from __future__ import annotations

import html as html_module
import json
import re

import pytest
from django import forms

from agendas.forms.actions import ActionForm, PlanForm
from agendas.forms.agendas import AgendaItemForm, VisionForm, WijkagendaCreateForm, WijkagendaForm
from participation.forms.proposals import DecisionForm, ProposalForm
from web.forms import PlainLanguageTextarea

pytestmark = pytest.mark.english


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        (WijkagendaCreateForm, ["summary"]),
        (WijkagendaForm, ["summary"]),
        (AgendaItemForm, ["description"]),
        (VisionForm, ["body"]),
        (PlanForm, ["description"]),
        (ActionForm, ["description"]),
        (ProposalForm, ["body"]),
        (DecisionForm, ["decision", "input_feedback"]),
    ],
)
def test_every_public_text_is_written_with_the_advice(form, fields) -> None:
    declared = form._meta.widgets  # type: ignore[attr-defined]

    assert [name for name in fields if isinstance(declared[name], PlainLanguageTextarea)] == fields


def test_the_textarea_points_at_its_advice_and_carries_its_texts() -> None:
    class Form(forms.Form):
        text = forms.CharField(widget=PlainLanguageTextarea(attrs={"aria-describedby": "hint"}))

    html = str(Form()["text"])

    assert 'aria-describedby="hint id_text-b1"' in html
    assert 'data-plain-language="id_text-b1"' in html
    output = re.search(
        r'<div class="plain-language" id="id_text-b1"[^>]*hidden data-texts="([^"]*)"', html
    )
    assert output is not None
    texts = json.loads(html_module.unescape(output.group(1)))
    assert texts["sentences"] == "Sentences of more than 20 words: {n}"
    assert (texts["sentence_words"], texts["word_letters"]) == (20, 15)
