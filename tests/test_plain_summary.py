"""A role's summary is plain text: shown exactly as typed on its page, in
lists, search results and link previews (the meta description and JSON-LD
say the same words), and every write path (the model, so the admin, import
and seed) refuses Markdown or HTML in it with a message naming what to
remove. Markdown is for the fields that say so (MARKDOWN_HELP)."""

import json
import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from roles import models as m
from roles.core.markdown import markup_in_plain_text, validate_plain_text

from .factories import RoleFactory

ROLES = Path(__file__).resolve().parent.parent / "roles" / "content" / "roles"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Leads *teams* well.", "*emphasis*"),
        ("Leads **teams** well.", "**bold**"),
        ("Leads <b>teams</b> well.", "HTML <b>"),
        ("Leads [teams](https://example.org/) well.", "a link [text](address)"),
        ("Leads `teams` well.", "`code`"),
        ("# Leads teams", "a # heading"),
        ("Helps ![a chart](x.png) ship.", "an image ![text](address)"),
        ("Writes specs\n---", "a heading underlined with --- or ==="),
        ("Leads _teams_ well.", "*emphasis*"),
    ],
)
def test_markup_in_a_plain_text_is_named(text, named):
    assert named in markup_in_plain_text(text)
    with pytest.raises(ValidationError) as excinfo:
        validate_plain_text(text)
    message = " ".join(excinfo.value.messages)
    assert "Plain text only" in message and named in message


def test_an_escape_or_entity_is_markup_too():
    """Shown as typed, "AT&amp;T" and "\\*" would appear as those symbols."""
    assert markup_in_plain_text("AT&amp;T") != []
    assert markup_in_plain_text(r"Leads \*all\* teams.") != []


@pytest.mark.parametrize(
    "text",
    [
        "Owns R&D budgets, 2 < 3 and 5 > 4, in C++ and C#.",
        "Product Owner (PO): 50% of the time on snake_case and a - b.",
        "Multiplies 3 * 4 and writes “quotes” and it's fine.",
        # Stars and underscores inside a word, found refused by a tester:
        # shown as typed, nobody meant them as emphasis.
        "Rate: 5*3*2 per team_lead_name.",
        "A a*b*c product and x_y_z.",
    ],
)
def test_ordinary_sentences_are_plain_text(text):
    assert markup_in_plain_text(text) == []
    validate_plain_text(text)


def test_every_summary_in_the_seed_content_is_plain_text():
    summaries = [
        yaml.safe_load(path.read_text())["summary"]
        for path in sorted(ROLES.glob("*.yaml"))
    ]
    assert summaries
    assert {
        s: markup_in_plain_text(s) for s in summaries if markup_in_plain_text(s)
    } == {}


@pytest.mark.django_db
def test_a_role_with_markup_in_its_summary_is_refused_with_a_message():
    role = RoleFactory.build(summary="Leads *teams* and <b>people</b>.")
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    message = " ".join(excinfo.value.message_dict["summary"])
    assert "Plain text only" in message
    assert "*emphasis*" in message and "HTML <b>" in message


@pytest.mark.django_db
def test_the_admin_names_the_markup_in_a_summary_and_keeps_the_old_one(staff_client):
    from django.urls import reverse

    from .admin_forms import admin_form_data

    role = RoleFactory()
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = admin_form_data(staff_client.get(url))
    data.update({"summary": "Leads [teams](https://example.org/).", "_continue": "1"})
    response = staff_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plain text only" in html
    assert "a link [text](address)" in unescape(html)
    assert m.Role.objects.get(pk=role.pk).summary == role.summary


def test_import_refuses_markup_in_a_summary_and_says_why(seeded, tmp_path):
    out = StringIO()
    call_command("export_content", stdout=out)
    doc = json.loads(out.getvalue())
    doc["roles"][0]["summary"] = "Leads **teams** well."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    message = str(excinfo.value)
    assert "Plain text only" in message and "**bold**" in message
    assert not m.Role.objects.filter(summary="Leads **teams** well.").exists()


def _lead_and_meta(html: str) -> tuple[str, str]:
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    meta = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert lead and meta
    return unescape(lead.group(1)).strip(), unescape(meta.group(1))


@pytest.mark.django_db
def test_the_page_and_its_meta_description_show_the_same_summary(client):
    """A summary stored before the rule (or written past it) is still plain
    text: the page and the meta description both show it as typed, never
    one escaped and the other stripped of its symbols."""
    typed = "Leads *teams*, [a](b) & <b>people</b>."
    role = RoleFactory(summary=typed)  # saved without full_clean
    html = client.get(role.get_absolute_url()).content.decode()
    assert _lead_and_meta(html) == (typed, typed)
    assert "<b>people</b>" not in html  # escaped, never markup


@pytest.mark.django_db
def test_a_plain_summary_reads_the_same_on_the_page_and_in_its_meta(client):
    typed = "Owns R&D budgets for “the product”, 2 < 3."
    role = RoleFactory(summary=typed)
    html = client.get(role.get_absolute_url()).content.decode()
    assert _lead_and_meta(html) == (typed, typed)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Leads *teams* and <b>people</b> well.", ["“*teams*”", "“<b>people</b>”"]),
        (
            "Leads **teams**, **people** and **budgets**.",
            ["“**teams**”", "“**people**”", "“**budgets**”"],
        ),
        (
            "See [the guide](https://example.org/a) now.",
            ["“[the guide](https://example.org/a)”"],
        ),
        ("Uses `git` and ![a chart](x.png).", ["“`git`”", "“![a chart](x.png)”"]),
        ("Writes specs\n# Ships them", ["“# Ships them”"]),
        ("Facilitates\n\n- Budgets\n- People", ["“- Budgets”"]),
        ("Owns AT&amp;T and \\*this\\*.", ["“&amp;”", "“\\*”"]),
        ("Leads a __very good__ team.", ["“__very good__”"]),
    ],
)
def test_the_refusal_quotes_each_piece_of_markup_as_typed(text, quoted):
    with pytest.raises(ValidationError) as excinfo:
        validate_plain_text(text)
    message = " ".join(excinfo.value.messages)
    assert [q for q in quoted if q not in message] == []


@pytest.mark.parametrize(
    "text",
    [
        "Python's __init__ and __main__ run first.",
        "Edits __init__.py, calls obj.__dict__ and __str__().",
        "PHP's __DIR__ and a snake__case name.",
        "Uses *args and **kwargs.",
    ],
)
def test_names_in_double_underscores_are_plain_text(text):
    """A single word in double underscores renders bold in Markdown, but in a
    plain field it is shown as typed, which is what a name like ``__init__``
    means; the site's Markdown help teaches ``**bold**``, and a phrase in
    double underscores (with a space) is still refused."""
    assert markup_in_plain_text(text) == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Leads a __very good__ team.", "**bold**"),
        ("Leads **init** well.", "**bold**"),
        ("Leads _teams_ well.", "*emphasis*"),
    ],
)
def test_bold_that_is_not_a_name_is_still_refused(text, named):
    assert named in markup_in_plain_text(text)
