"""The site's own django-crispy-forms template pack, ``roleguides``
(templates/roleguides/): every public form is rendered through it, in the
design system's markup (option cards, form-check, form-label/-select/-text,
field-error) rather than Bootstrap's.

These layout objects are the pack's vocabulary beyond crispy's own (Layout,
Hidden, HTML). ``Control`` renders the pack's field template; ``ChoiceFieldset``
and ``SubmitButton`` build in Python what their templates (kept as their
specification: layout/choice_fieldset.html with choices/<style>.html, and
layout/submit.html) would draw, byte for byte:

- ``ChoiceFieldset``: a radio or checkbox group as a ``<fieldset>`` whose
  ``<legend>`` is the question, then its hint, then its error (which the
  fieldset's ``aria-describedby`` names), then the choices drawn as
  ``cards`` (div.option-list), ``card_list`` (ul of option cards) or
  ``checks`` (div.form-check rows).
- ``Control``: one label + control (+ help, + error) in a wrapper element.
- ``SubmitButton``: a ``<button type="submit">``, optionally in a wrapper div.

CSRF: the pack writes ``{% csrf_token %}`` itself in POST forms it draws
with their ``<form>`` tag, so page templates never add one.

May import: Django and third-party packages only."""

from __future__ import annotations

import html
from collections.abc import Mapping

from crispy_forms.layout import Field
from crispy_forms.utils import TEMPLATE_PACK, flatatt
from django.forms.boundfield import BoundWidget
from django.forms.widgets import CheckboxSelectMultiple, RadioSelect
from django.template import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

#: The pack's name: CRISPY_TEMPLATE_PACK and the folder under templates/.
PACK = "roleguides"

CHOICE_STYLES = ("cards", "card_list", "checks")


class ChoiceFieldset(Field):
    """A RadioSelect or CheckboxSelectMultiple field as a fieldset."""

    def __init__(
        self,
        field: str,
        *,
        choices: str = "checks",
        css_class: str = "",
        css_id: str = "",
        options_class: str = "",
        hint_class: str = "form-text",
        error_class: str = "field-error",
        error_id: str = "",
        legend_heading: str = "",
        **attrs,
    ):
        if choices not in CHOICE_STYLES:
            raise ValueError(f"choices must be one of {CHOICE_STYLES}, not {choices!r}")
        super().__init__(field)
        self.choices = choices
        self.fieldset = {
            "css_class": css_class,
            "css_id": css_id,
            "options_class": options_class,
            "hint_class": hint_class,
            "error_class": error_class,
            # A page whose one question is the page: the legend holds its <h1>
            # (GOV.UK's pattern), with this class.
            "legend_heading": legend_heading,
            # data_kind="x" becomes data-kind="x" on the <fieldset>.
            "fieldset_attrs": flatatt(attrs),
        }
        self.error_id = error_id

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        # Drawn here rather than by the pack's two templates (tests hold this
        # output byte-equal to theirs): rendering them cost a one-question
        # page about a third of its time.
        name = self.fields[0]
        field = form[name]
        if hasattr(form, "rendered_fields"):
            form.rendered_fields.add(name)
        return choice_fieldset_html(
            field,
            style=self.choices,
            error_id=self.error_id or f"{field.auto_id}_error",
            show_errors=bool(context.get("form_show_errors")),
            fieldset=self.fieldset,
        )


class Control(Field):
    """One field drawn as label, control, help text and error inside
    ``wrapper_tag`` (``div`` by default; ``p`` where the page had a paragraph).
    Help and error carry Django's ids (``<id>_helptext``, ``<id>_error``),
    which Django's widgets already name in ``aria-describedby``."""

    def __init__(self, field: str, *, wrapper_tag: str = "div", **kwargs):
        super().__init__(field, **kwargs)
        self.wrapper_tag = wrapper_tag

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        extra = {"wrapper_tag": self.wrapper_tag}  # Field adds wrapper_class
        return super().render(
            form, context, template_pack=template_pack, extra_context=extra, **kwargs
        )


class HiddenValue:
    """``<input type="hidden">`` with a value fixed when the layout is built,
    drawn here as the pack's baseinput.html would (no template per form)."""

    def __init__(self, name: str, value: str):
        self.name = name
        self.value = value

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return mark_safe(  # each value escaped by _attr
            f'<input type="hidden"{_attr("name", self.name)}'
            f"{_attr('value', self.value)}>\n"
        )


class SubmitButton:
    """``<button type="submit">``; no name unless given, so it adds nothing to
    the data."""

    def __init__(
        self,
        label: str,
        *,
        css_class: str = "btn btn-primary",
        wrapper_class: str = "",
        name: str = "",
    ):
        self.label = label
        self.css_class = css_class
        self.wrapper_class = wrapper_class
        # A second button that says which it was (name=value "1") when named.
        self.name = name

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        # What layout/submit.html (its specification) draws, built here: a
        # button is on every step of the questionnaire, and rendering its
        # template cost more than the rest of the step's layout.
        named = f'{_attr("name", self.name)} value="1"' if self.name else ""
        button = (
            f'<button type="submit"{_attr("class", self.css_class)}{named}>'
            f"{_escape(self.label)}</button>"
        )
        if self.wrapper_class:
            button = f"<div{_attr('class', self.wrapper_class)}>{button}</div>"
        return mark_safe(button + "\n")  # the template's last line ends


# The option templates of Django's own radio and checkbox widgets, which
# :func:`option_input` draws without rendering them.
_OPTION_TEMPLATES = frozenset(
    {RadioSelect.option_template_name, CheckboxSelectMultiple.option_template_name}
)


def _escape(value: object) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a fifth of the
    full questionnaire's render, called a few times per option): safe text
    as it is, anything else through the standard library's ``html.escape``,
    which is what Django's ``escape`` calls."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def option_input(choice: BoundWidget) -> SafeString:
    """One radio or checkbox of a choice field - ``choice.tag()``, the same
    ``<input>`` (type, name, value, then every attribute: ``True`` bare,
    ``False`` left out, the rest as text, escaped) - built here rather than
    by rendering Django's option templates once per option, which cost the
    full questionnaire (about a thousand options) most of its time. An
    option with a template of its own is still rendered by it."""
    data = choice.data
    if choice.template_name not in _OPTION_TEMPLATES:
        return choice.tag()
    parts: list[str] = [
        f'<input type="{_escape(data["type"])}" name="{_escape(data["name"])}"'
    ]
    if data["value"] is not None:
        parts.append(f' value="{_escape(str(data["value"]))}"')
    for name, value in data["attrs"].items():
        if value is True:
            parts.append(f" {_escape(name)}")
        elif value is not False:
            parts.append(f' {_escape(name)}="{_escape(str(value))}"')
    parts.append(">")
    return mark_safe("".join(parts))  # each part was escaped above


def _attr(name: str, value: object) -> str:
    return f' {name}="{_escape(value)}"' if value else ""


def card_html(choice: BoundWidget) -> str:
    """One option of a ``cards`` choice fieldset (choices/cards.html's loop
    body)."""
    return (
        f'\n  <label class="option-card" for="{_escape(choice.id_for_label)}">'
        f"\n    {option_input(choice)}"
        f'\n    <span class="option-text">{_escape(choice.choice_label)}</span>'
        "\n  </label>\n  "
    )


def cards_html(cards: str, options_class: str) -> str:
    """A ``cards`` choice fieldset's options: ``cards`` (each drawn by
    :func:`card_html`) in choices/cards.html's container."""
    return f'\n\n<div class="{_escape(options_class or "option-list")}">\n  {cards}\n</div>\n'


def _choices_html(field, style: str, options_class: str) -> str:
    if style == "cards":
        return cards_html("".join(card_html(c) for c in field), options_class)
    if style == "card_list":
        items = "".join(
            f'\n    <li><label class="option-card" for="{_escape(c.id_for_label)}">'
            f'{option_input(c)} <span class="option-text">{_escape(c.choice_label)}</span>'
            "</label></li>\n  "
            for c in field
        )
        return f'\n\n<ul class="{_escape(options_class or "picker-options")}">\n  {items}\n</ul>\n'
    return (
        "\n\n"
        + "".join(
            f'<div class="form-check">{option_input(c)} <label class="form-check-label"'
            f' for="{_escape(c.id_for_label)}">{_escape(c.choice_label)}</label></div>'
            for c in field
        )
        + "\n"
    )


def choice_fieldset_html(
    field,
    *,
    style: str,
    error_id: str,
    show_errors: bool,
    fieldset: Mapping[str, str],
) -> SafeString:
    """What ``layout/choice_fieldset.html`` with ``choices/<style>.html``
    draws for a bound choice field, built directly (every value escaped as
    the templates' autoescaping would)."""
    errors = show_errors and field.errors
    css_class, css_id = fieldset["css_class"], fieldset["css_id"]
    legend_heading, attrs = fieldset["legend_heading"], fieldset["fieldset_attrs"]
    hint_class = fieldset["hint_class"] or "form-text"
    error_class = fieldset["error_class"] or "field-error"
    label = _escape(field.label)
    legend = (
        f'<h1 class="{_escape(legend_heading)}">{label}</h1>'
        if legend_heading
        else label
    )
    parts = [
        f"<fieldset{_attr('class', css_class)}{_attr('id', css_id)}{attrs}"
        f"{_attr('aria-describedby', error_id) if errors else ''}>",
        f"\n  <legend>{legend}</legend>\n  ",
    ]
    if field.help_text:
        parts.append(f'<p class="{_escape(hint_class)}">{_escape(field.help_text)}</p>')
    parts.append("\n  ")
    if errors:
        joined = " ".join(_escape(e) for e in field.errors)
        parts.append(
            f'<p class="{_escape(error_class)}" id="{_escape(error_id)}">{joined}</p>'
        )
    parts.append("\n  ")
    parts.append(_choices_html(field, style, fieldset["options_class"]))
    parts.append("\n</fieldset>\n")
    return mark_safe("".join(parts))  # each value was escaped above


def form_html(form, csrf_token: str, *, attributes: dict | None = None) -> SafeString:
    """What ``{% crispy form %}`` draws for a POST form whose helper has a
    layout of this pack's objects - the pack's whole_uni_form.html with
    display_form.html and errors.html (their specification; tests hold the
    two byte-equal) - built directly. The tag copies the page's whole
    template context twice and renders three templates around the layout:
    on a questionnaire step that was most of the form's time. A form the
    templates would draw differently (no form tag, another method, inputs,
    multipart) is refused, not guessed at: draw it with the tag.
    ``attributes``: the helper's ``get_attributes()``, from a caller that
    keeps a helper it never changes for many forms (a questionnaire step)."""
    helper = form.helper
    attrs = attributes or helper.get_attributes(template_pack=PACK)
    if (
        not attrs["form_tag"]
        or attrs["form_method"] != "post"
        or attrs["disable_csrf"]
        or attrs.get("inputs")
        or form.is_multipart()
        or helper.layout is None
    ):
        raise ValueError("form_html draws POST forms with a layout only")
    media = str(form.media) if attrs["include_media"] else ""
    show_errors = attrs["form_show_errors"]
    layout = helper.render_layout(
        form, Context({"form_show_errors": show_errors}), template_pack=PACK
    )
    # The lines of whole_uni_form.html, display_form.html and errors.html.
    errors = (
        "".join(
            f'<p class="field-error">{_escape(e)}</p>\n'
            for e in form.non_field_errors()
        )
        + "\n"
        if show_errors
        else ""
    )
    token = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token
    )
    return mark_safe(  # the layout is safe, the rest escaped here
        f'\n<form method="post"{attrs["flat_attrs"]}>\n{token}\n'
        f"{media}\n{errors}\n{layout}\n\n\n</form>\n"
    )
