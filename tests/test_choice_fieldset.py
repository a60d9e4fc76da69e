"""``ChoiceFieldset`` draws its fieldset and choices in Python rather than by
rendering the pack's two templates (``layout/choice_fieldset.html`` and
``choices/<style>.html``), which stay as the specification: the output must be
exactly what they render, for every choice style and every part a field can
have (hint, errors, heading legend, attributes, awkward characters); likewise
``SubmitButton`` and ``layout/submit.html``."""

import itertools

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template.loader import render_to_string

from roles.core.crispy import CHOICE_STYLES, PACK, ChoiceFieldset, SubmitButton

CHOICES = [("0", "Zero"), ("1", "One & <only>"), ("a&b", 'Quote " here')]


def _form(*, widget, data, help_text, label):
    field_class = (
        forms.MultipleChoiceField
        if widget is forms.CheckboxSelectMultiple
        else forms.ChoiceField
    )

    class Form(forms.Form):
        answer = field_class(
            choices=CHOICES,
            widget=widget(attrs={"class": "x"}),
            help_text=help_text,
            label=label,
            error_messages={"required": "Choose one <please> & go on."},
        )

    form = Form(data=data)
    form.is_bound and form.is_valid()
    return form


OPTIONS = [
    {},
    {
        "css_class": "quiz-question quiz-step-question",
        "css_id": "question-x",
        "error_id": "answer-error",
        "hint_class": "quiz-hint",
        "error_class": "quiz-error",
        "legend_heading": "quiz-step-heading",
        "options_class": "option-list option-list-scale",
        "data_kind": 'scen"ario',
    },
    {"options_class": "", "hint_class": "", "error_class": ""},
]


def _by_templates(layout_object, form, show_errors):
    """The pack's templates, with the context crispy's Field.render gave them."""
    field = form[layout_object.fields[0]]
    return render_to_string(
        f"{PACK}/layout/choice_fieldset.html",
        {
            "field": field,
            "form_show_errors": show_errors,
            **layout_object.fieldset,
            "error_id": layout_object.error_id or f"{field.auto_id}_error",
            "choices_template": f"{PACK}/choices/{layout_object.choices}.html",
        },
    )


@pytest.mark.parametrize("style", CHOICE_STYLES)
@pytest.mark.parametrize("widget", [forms.RadioSelect, forms.CheckboxSelectMultiple])
def test_the_fieldset_is_exactly_what_the_pack_templates_render(style, widget):
    compared = 0
    for options, data, help_text, label, show_errors in itertools.product(
        OPTIONS,
        [None, {}, {"answer": "1"}, {"answer": "nope"}],
        ["", "Pick the closest <one> & move on."],
        ["Which one?", "Fish & <chips>?"],
        [True, False],
    ):
        form = _form(widget=widget, data=data, help_text=help_text, label=label)
        layout_object = ChoiceFieldset("answer", choices=style, **options)
        helper = FormHelper()
        helper.form_tag = False
        helper.form_show_errors = show_errors
        helper.layout = Layout(layout_object)
        drawn = render_crispy_form(form, helper)
        expected = _by_templates(layout_object, form, show_errors)
        assert expected.strip() in drawn, (style, options, data, show_errors)
        compared += 1
    assert compared == len(OPTIONS) * 4 * 2 * 2 * 2


def test_the_rendered_field_is_not_rendered_again_as_unmentioned():
    form = _form(widget=forms.RadioSelect, data=None, help_text="", label="Q")
    helper = FormHelper()
    helper.form_tag = False
    helper.render_unmentioned_fields = True
    helper.layout = Layout(ChoiceFieldset("answer", choices="cards"))
    assert render_crispy_form(form, helper).count('name="answer"') == len(CHOICES)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"css_class": "", "wrapper_class": "quiz-submit"},
        {
            "css_class": 'btn "x" & <y>',
            "wrapper_class": "a&b",
            "name": 'fin"ish',
        },
        {"css_class": "btn btn-outline-primary", "name": "finish"},
    ],
)
@pytest.mark.parametrize("label", ["Continue", 'See "my" result & <more>'])
def test_the_submit_button_is_exactly_what_its_template_renders(options, label):
    """``SubmitButton`` builds what layout/submit.html draws, for every
    combination of class, wrapper and name, awkward characters escaped alike."""
    button = SubmitButton(label, **options)
    spec = render_to_string(
        f"{PACK}/layout/submit.html",
        {
            "label": label,
            "css_class": options.get("css_class", "btn btn-primary"),
            "wrapper_class": options.get("wrapper_class", ""),
            "name": options.get("name", ""),
        },
    )
    assert button.render(None, {}, PACK) == spec
