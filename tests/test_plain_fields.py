"""Every text an editor types into content is either Markdown (rendered by the
sanitising renderer, validated by MARKDOWN_VALIDATORS) or plain text (shown
escaped, exactly as typed, validated by validate_plain_text). A plain field
that took ``*emphasis*`` or ``<b>`` showed readers the symbols; now every write
path (the model, so the admin, import and seed) refuses them with a message
naming what to remove."""

import json
from html import unescape
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models

from roles import models as m
from roles.catalogue.models import MARKDOWN_VALIDATORS
from roles.core.markdown import validate_markdown, validate_plain_text
from roles.publishing.registry import content_models

from .factories import ResponsibilityFactory, RoleFactory

#: Text fields of content models that are neither Markdown nor plain text
#: for readers, and why.
NOT_PROSE = {
    "Role.slug": "an address, checked by its slug pattern",
    "FormerSlug.slug": "an old address, written by the app when a slug changes",
    "Theme.slug": "a key in seed and export files",
    "Dimension.slug": "a key in seed and export files",
    "ContextFactor.slug": "a key in seed and export files and in ?context=",
    "GlossaryTerm.slug": "the term's anchor on the glossary page",
    "Question.key": "a key in exports and analytics",
    "Comparison.key": "the roles' slugs, worked out by the app (not editable)",
    "Role.status": "a choice from Status",
    "Comparison.status": "a choice from Status",
    "Question.status": "a choice from Status",
    "Role.family": "a choice from Family",
    "Skill.level": "a choice from SkillLevel",
    "Question.kind": "a choice from QuestionKind",
    "Source.url": "an address, checked by validate_source_url",
    "GlossaryTerm.source_url": "an address, checked by validate_source_url",
}


def _text_fields():
    return [
        (f"{model.__name__}.{field.name}", field)
        for model in content_models()
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField)) and field.concrete
    ]


def _is_markdown(field) -> bool:
    return all(v in field.validators for v in MARKDOWN_VALIDATORS)


def _is_plain(field) -> bool:
    return validate_plain_text in field.validators


def test_every_text_field_of_content_is_markdown_or_plain_text():
    fields = _text_fields()
    assert len(fields) > 40
    neither = [
        name
        for name, field in fields
        if name not in NOT_PROSE and not _is_markdown(field) and not _is_plain(field)
    ]
    both = [name for name, field in fields if _is_plain(field) and _is_markdown(field)]
    assert (neither, both) == ([], [])


def test_the_exceptions_are_real_fields_and_take_no_text_rules():
    """A stale entry or one that is prose after all fails here."""
    fields = dict(_text_fields())
    assert set(NOT_PROSE) <= set(fields)
    assert [
        name
        for name in NOT_PROSE
        if validate_markdown in fields[name].validators or _is_plain(fields[name])
    ] == []


def test_a_field_with_markdown_validation_is_the_one_the_site_renders():
    """The fields rendered through the Markdown filter are exactly the ones
    validated as Markdown (nothing else is passed through it)."""
    markdown = {name for name, field in _text_fields() if _is_markdown(field)}
    assert markdown == {
        "Role.overview",
        "WayIn.text",
        "AntiPattern.text",
        "GlossaryTerm.definition",
        "Comparison.tldr",
        "Comparison.body",
        "ComparisonRole.suits",
        "ContextNote.note",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Owns R&D budgets, 2 < 3 and 5 > 4, in C++ and C#.",
        "Multiplies 3 * 4 and writes “quotes”.",
        "Product lead\nPO (in some companies)\nSAFe® Product Owner",
    ],
)
def test_ordinary_text_and_one_item_a_line_are_plain(text):
    validate_plain_text(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "text", "named"),
    [
        (m.Responsibility, "text", "Orders the **backlog**.", "**bold**"),
        (m.CareerPath, "summary", "Moves to <u>design</u>.", "HTML <u>"),
        (m.CareerPath, "skills_to_build", "- Facilitation\n- Budgets", "a list"),
        (m.Role, "origin", "[Scrum](https://scrum.org/)", "a link [text](address)"),
        (m.Skill, "note", "Uses `git` daily.", "`code`"),
        (m.Option, "text", "I *enjoy* it.", "*emphasis*"),
    ],
)
def test_markup_in_a_plain_field_is_refused_and_named(model, field, text, named):
    with pytest.raises(ValidationError) as excinfo:
        model._meta.get_field(field).clean(text, model())
    message = " ".join(excinfo.value.messages)
    assert "Plain text only" in message and named in message


@pytest.mark.django_db
def test_the_admin_names_markup_in_a_responsibility_and_keeps_the_old_text(
    staff_client,
):
    from django.urls import reverse

    from .admin_forms import admin_form_data

    role = RoleFactory()
    duty = ResponsibilityFactory(role=role)
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(staff_client.get(url))
    assert data["responsibilities-0-text"] == duty.text
    data.update(
        {"responsibilities-0-text": "Orders the <b>backlog</b>.", "_continue": "1"}
    )
    response = staff_client.post(url, data)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Plain text only" in html and "HTML <b>" in html
    inlines = {
        i.formset.prefix: i.formset for i in response.context["inline_admin_formsets"]
    }
    errors = " ".join(inlines["responsibilities"].forms[0].errors["text"])
    assert "Plain text only" in errors and "HTML <b>" in errors
    assert m.Responsibility.objects.get(pk=duty.pk).text == duty.text


def test_import_refuses_markup_in_a_career_path_and_says_why(seeded, tmp_path):
    out = StringIO()
    call_command("export_content", stdout=out)
    doc = json.loads(out.getvalue())
    role = next(r for r in doc["roles"] if r.get("career_paths"))
    role["career_paths"][0]["summary"] = "A *common* move."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    message = str(excinfo.value)
    assert "Plain text only" in message and "*emphasis*" in message
    assert not m.CareerPath.objects.filter(summary="A *common* move.").exists()


def _plain_fields():
    return [(name, field) for name, field in _text_fields() if _is_plain(field)]


def _field_id(field) -> str:
    return f"{field.model.__name__}.{field.name}"


def _fitting(field, text: str, *, before: str = "", after: str = "") -> str:
    """``text`` with as much of ``before`` and ``after`` around it as the
    field holds, so the markup sits in the middle of a long text."""
    room = (field.max_length or 2_000) - len(text)
    return before[-(room // 2) :] + text + after[: room - room // 2]


@pytest.mark.django_db
@pytest.mark.parametrize("field", [f for _, f in _plain_fields()], ids=_field_id)
def test_a_refusal_quotes_the_markup_as_typed_in_every_plain_field(field):
    """In a long text the editor has to find what to remove: the message
    quotes it as typed, not only the kind of markup."""
    words = "Plain words that are fine, one after another. " * 40
    text = _fitting(field, "**backlog**", before=words, after=" " + words)
    with pytest.raises(ValidationError) as excinfo:
        field.clean(text, field.model())
    message = " ".join(excinfo.value.messages)
    assert "Plain text only" in message and "**bold**" in message
    assert "“**backlog**”" in message


@pytest.mark.django_db
@pytest.mark.parametrize("field", [f for _, f in _plain_fields()], ids=_field_id)
def test_names_written_with_double_underscores_are_plain_in_every_plain_field(field):
    """``__init__`` is how Python names things; shown as typed in a plain
    field it is what the editor meant, and refusing it left no way to write
    it (a backslash escape is refused too)."""
    field.clean("Calls __init__.", field.model())
    field.clean("a snake__case", field.model())
