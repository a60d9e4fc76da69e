"""The site's choice templates draw each radio or checkbox with
``roles.core.crispy.option_input`` instead of rendering Django's option
templates once per option: it must give exactly what ``choice.tag()`` gives,
for every kind of choice field and attribute."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from roles.core.crispy import option_input

ATTRS = [
    {},
    {"class": "option", "aria-describedby": "hint error"},
    {"data-note": 'a "quoted" <b>&</b> value', "disabled": True, "hidden": False},
    {"tabindex": 0},
    {"data-safe": mark_safe("<b>already safe</b>"), "title": "x > y"},
]
CHOICES = [(0, "Zero"), (1, "One & only"), ("a&b", "Ampersand <value>")]


def _forms(widget_class, attrs):
    multiple = widget_class is forms.CheckboxSelectMultiple
    field_class = forms.MultipleChoiceField if multiple else forms.ChoiceField

    class Form(forms.Form):
        answer = field_class(choices=CHOICES, widget=widget_class(attrs=attrs))
        optional = field_class(
            choices=CHOICES, widget=widget_class(attrs=attrs), required=False
        )

    picked = ["1", "a&b"] if multiple else "a&b"
    yield Form()
    yield Form(initial={"answer": picked})
    yield Form(data={"answer": picked, "optional": picked})
    yield Form(data={}, auto_id="custom_%s")


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    "widget_class", [forms.RadioSelect, forms.CheckboxSelectMultiple]
)
def test_option_input_is_what_the_option_template_renders(widget_class, attrs):
    compared = 0
    for form in _forms(widget_class, attrs):
        form.is_bound and form.is_valid()
        for name in ("answer", "optional"):
            for choice in form[name]:
                assert option_input(choice) == str(choice.tag()).strip()
                compared += 1
    assert compared == 4 * 2 * len(CHOICES)


def test_an_option_template_of_its_own_is_still_rendered(settings, tmp_path):
    class Starred(forms.RadioSelect):
        option_template_name = "starred_option.html"

    (tmp_path / "starred_option.html").write_text("<i>{{ widget.value }}</i>")
    settings.FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    class Form(forms.Form):
        answer = forms.ChoiceField(choices=CHOICES, widget=Starred)

    choice = next(iter(Form()["answer"]))
    assert option_input(choice) == choice.tag() == "<i>0</i>"
