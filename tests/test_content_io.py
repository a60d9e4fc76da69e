import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roles import models as m
from roles.content_io.schema import export_document

pytestmark = pytest.mark.django_db


def export_json() -> dict:
    out = StringIO()
    call_command("export_content", stdout=out)
    return json.loads(out.getvalue())


def wipe():
    m.Submission.objects.all().delete()
    for model in (
        m.Comparison,
        m.Question,
        m.Role,
        m.Theme,
        m.Dimension,
        m.ContextFactor,
        m.GlossaryTerm,
        m.SeedRecord,
    ):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_gives_equal_content(
    seeded, tmp_path
):
    m.Role.objects.filter(slug="scrum-master").update(status=m.Status.DRAFT)
    first = export_json()
    path = tmp_path / "content.json"
    path.write_text(json.dumps(first))
    wipe()
    assert export_document()["roles"] == []
    call_command("import_content", str(path), stdout=StringIO())
    again = export_json()
    # The same content, stamped anew: made later, each record as it was.
    assert (
        again.pop("exported")["fingerprints"] == first.pop("exported")["fingerprints"]
    )
    assert again == first


def test_import_dry_run_lists_changes_and_writes_nothing(seeded, tmp_path):
    doc = export_json()
    doc["roles"][0]["summary"] = "Changed by import."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    out = StringIO()
    call_command("import_content", str(path), "--dry-run", stdout=out)
    assert f"updated: role {doc['roles'][0]['slug']}" in out.getvalue()
    assert "nothing was written" in out.getvalue()
    assert not m.Role.objects.filter(summary="Changed by import.").exists()


def test_import_of_an_inconsistent_file_writes_nothing_and_says_why(seeded, tmp_path):
    doc = export_json()
    doc["roles"][0]["summary"] = "Would be written if the file were valid."
    doc["roles"][1]["responsibilities"][0]["theme"] = "no-such-theme"
    doc["comparisons"][0]["roles"] = ["product-owner", "product-owner"]
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    message = str(excinfo.value)
    assert "Nothing was imported" in message
    assert "no-such-theme" in message
    assert "Each role can appear only once in a comparison." in message
    assert not m.Role.objects.filter(summary__startswith="Would be written").exists()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"roles": 3}',
        '{"roles": [1]}',
        '{"surprise": []}',
        '{"questions": [{"key": "k", "options": [{"text": "a", "points": {"x": "lots"}}]}]}',
    ],
)
def test_malformed_import_files_give_a_clear_error(db, tmp_path, content):
    path = tmp_path / "content.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("import_content", str(path), stdout=StringIO())
    assert m.Role.objects.count() == 0


def test_missing_import_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_content", "/nonexistent/content.json")


def test_import_validates_field_rules(seeded, tmp_path):
    doc = export_json()
    doc["roles"][0]["slug"] = "bad-vs-slug"
    doc["questions"][0]["options"][0]["points"] = {"product-owner": 9}
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    assert "-vs-" in str(excinfo.value)
    assert "points" in str(excinfo.value)


@pytest.mark.parametrize("kind", ["roles", "comparisons", "questions", "glossary"])
def test_an_unknown_field_is_refused_by_name_not_dropped(seeded, tmp_path, kind):
    """A misspelt optional field ("orign") was imported as if absent: the
    text in it silently lost. Refused, naming the field; nothing written."""
    doc = export_json()
    if not doc.get(kind):
        pytest.skip(f"the seeded content has no {kind} to change")
    doc[kind][0]["orign"] = "Typed into a field that does not exist."
    doc["roles"][-1]["summary"] = "Would be written if the file were valid."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    assert "orign" in str(excinfo.value)
    assert not m.Role.objects.filter(summary__startswith="Would be written").exists()


def test_a_misspelt_role_in_a_comparison_is_named_before_anything_it_causes(
    seeded, tmp_path
):
    """A typo in a comparison's role list was reported only as "Who it suits
    names roles that are not compared" (the correct slug, under suits), which
    sends the editor to the wrong field. The unknown role is named first."""
    doc = export_json()
    comparison = next(c for c in doc["comparisons"] if c["suits"])
    right = next(iter(comparison["suits"]))
    comparison["roles"] = [
        "prodcut-owner" if slug == right else slug for slug in comparison["roles"]
    ]
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    message = str(excinfo.value)
    assert "Role “prodcut-owner” does not exist." in message
    if "Who it suits" in message:
        assert message.index("does not exist") < message.index("Who it suits")


@pytest.mark.parametrize("kind", ["roles", "comparisons", "questions", "glossary"])
def test_a_record_twice_in_a_file_is_refused_not_the_last_copy_kept(
    seeded, tmp_path, kind
):
    doc = export_json()
    copy = json.loads(json.dumps(doc[kind][0]))
    if kind == "comparisons":
        copy["roles"] = list(reversed(copy["roles"]))  # the same comparison
    doc[kind].append(copy)
    doc["roles"][-1]["summary"] = "Would be written if the file were valid."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    assert "appears 2 times" in str(excinfo.value)
    assert not m.Role.objects.filter(summary__startswith="Would be written").exists()


def test_a_field_written_twice_in_one_record_is_refused(seeded, tmp_path):
    doc = export_json()
    text = json.dumps(doc)
    slug = doc["roles"][0]["slug"]
    text = text.replace(
        f'"slug": "{slug}"',
        f'"slug": "{slug}", "summary": "Second.", "summary": "Third."',
        1,
    )
    path = tmp_path / "content.json"
    path.write_text(text)
    with pytest.raises(CommandError, match="“summary” twice"):
        call_command("import_content", str(path), stdout=StringIO())


def test_a_published_question_that_scores_nothing_is_refused(seeded, tmp_path):
    """The admin refuses it (it cannot change anyone's result); import took it."""
    doc = export_json()
    question = next(q for q in doc["questions"] if q["kind"] == "scenario")
    for option in question["options"]:
        option["points"] = {}
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), stdout=StringIO())
    assert question["key"] in str(excinfo.value)
    assert "cannot change anyone's result" in str(excinfo.value)


def test_the_report_names_glossary_terms_as_such(seeded, tmp_path):
    doc = export_json()
    doc["glossary"][0]["definition"] += " Changed."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    out = StringIO()
    call_command("import_content", str(path), stdout=out)
    assert f"updated: glossary term {doc['glossary'][0]['slug']}" in out.getvalue()
