"""Import refuses what it cannot read faithfully: a value of the wrong type, a
file of another format. Each refusal names the record (kind and key) and the
field, and nothing is written."""

import copy
import json
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from roles import models as m
from roles.content_io import schema as cd
from roles.content_io.services import ContentError, content_import

pytestmark = pytest.mark.django_db

CHANGED = "Would be written if the file were valid."


def import_file(tmp_path, doc: Any, *args: str) -> str:
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(tmp_path, doc: Any) -> str:
    """The import's message for a file it refuses, once nothing was written."""
    with pytest.raises(CommandError) as excinfo:
        import_file(tmp_path, doc)
    assert not m.Role.objects.filter(summary=CHANGED).exists()
    return str(excinfo.value)


def with_a_valid_change(doc: dict) -> dict:
    """A change that would be written if the rest of the file were valid."""
    doc["roles"][-1]["summary"] = CHANGED
    return doc


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("name", 123, "“name” must be text, not a number."),
        ("name", True, "“name” must be text, not true/false."),
        ("summary", ["a", "b"], "“summary” must be text, not a list."),
        ("overview", {"text": "x"}, "“overview” must be text, not an object."),
        (
            "responsibilities",
            "Orders the backlog.\nTalks to customers.",
            "“responsibilities” must be a list, not text.",
        ),
        ("also_known_as", "PO\nProduct lead", "“also_known_as” must be a list"),
        ("related_roles", "scrum-master", "“related_roles” must be a list"),
        ("map_x", "50", "“map_x” must be a whole number, not text."),
        ("last_reviewed", 20240101, "“last_reviewed” must be a date"),
        ("dimensions", ["a"], "“dimensions” must be an object, not a list."),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_converted(
    seeded, tmp_path, field, value, said
):
    doc = with_a_valid_change(cd.export_document())
    role = doc["roles"][0]
    role[field] = value
    message = refusal(tmp_path, doc)
    assert f"role “{role['slug']}”: {said}" in message


def test_the_example_from_the_report(seeded, tmp_path):
    doc = with_a_valid_change(cd.export_document())
    role = next(r for r in doc["roles"] if r["slug"] == "product-owner")
    role["name"] = 123
    message = refusal(tmp_path, doc)
    assert "role “product-owner”: “name” must be text, not a number." in message
    assert m.Role.objects.get(slug="product-owner").name != "123"


def test_a_nested_value_of_the_wrong_type_names_its_place_in_the_record(
    seeded, tmp_path
):
    doc = with_a_valid_change(cd.export_document())
    role = doc["roles"][0]
    role["responsibilities"][1]["text"] = ["Orders", "the backlog"]
    role["typical_week"][0]["hours"] = "6"
    question = doc["questions"][0]
    question["options"][0]["points"] = {"product-owner": "3"}
    message = refusal(tmp_path, doc)
    slug = role["slug"]
    assert f"role “{slug}”: “responsibilities[1].text” must be text" in message
    assert f"role “{slug}”: “typical_week[0].hours” must be a whole number" in message
    assert (
        f"question “{question['key']}”: “options[0].points.product-owner” must be "
        "a whole number, not text." in message
    )


def test_every_problem_in_the_file_is_listed_at_once(seeded, tmp_path):
    doc = with_a_valid_change(cd.export_document())
    doc["roles"][0]["name"] = 1
    doc["glossary"][0]["aliases"] = "one string"
    message = refusal(tmp_path, doc)
    assert f"role “{doc['roles'][0]['slug']}”: “name”" in message
    assert f"glossary term “{doc['glossary'][0]['slug']}”: “aliases”" in message


@pytest.mark.parametrize("record", [5, "product-owner", ["a"], None])
def test_a_record_that_is_not_an_object_is_refused_by_its_place(
    seeded, tmp_path, record
):
    doc = with_a_valid_change(cd.export_document())
    doc["roles"].insert(2, record)
    message = refusal(tmp_path, doc)
    assert "role number 3 in the file must be an object" in message


def test_an_unknown_field_inside_a_record_is_refused_by_name(seeded, tmp_path):
    doc = with_a_valid_change(cd.export_document())
    role = doc["roles"][0]
    role["responsibilities"][0]["txt"] = "Typed into a field that does not exist."
    message = refusal(tmp_path, doc)
    assert f"role “{role['slug']}”: “responsibilities[0]”: unknown field(s): txt" in (
        message
    )


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "The file has no “format”"),
        (2, "“format” is 2: this site reads and writes format 1 only."),
        ("1", "“format” must be the number 1, not text."),
        (True, "“format” must be the number 1, not true/false."),
    ],
)
def test_a_file_of_another_format_or_none_is_refused(seeded, tmp_path, value, said):
    doc = with_a_valid_change(cd.export_document())
    if value is None:
        del doc["format"]
    else:
        doc["format"] = value
    assert said in refusal(tmp_path, doc)


# --- every field of the format, generically ------------------------------------


def _paths(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every place in a record (``responsibilities[0].text``) with its value."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, f"{path}[{index}]")


def _shape(path: str) -> str:
    """A place without its list positions and map keys' values: one of each
    shape is enough (``responsibilities[].text``)."""
    return re.sub(r"\[\d+\]", "[]", path)


def _wrong_values(value: Any) -> list[Any]:
    """Values of another type than ``value``'s (and than a null field's)."""
    if isinstance(value, bool):
        return ["yes", 1]
    if isinstance(value, int):
        return ["12", True, 1.5]
    if isinstance(value, str):
        return [123, ["text"], {"text": "x"}]
    if isinstance(value, list):
        return ["one\ntwo", {"a": "b"}]
    if isinstance(value, dict):
        return ["text", ["a"]]
    return [{"a": "b"}, ["a"]]  # null: a date, a number or text when set


def _set(record: dict, path: str, value: Any) -> None:
    steps = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    target: Any = record
    for step in steps[:-1]:
        target = target[int(step[1:-1])] if step.startswith("[") else target[step]
    last = steps[-1]
    if last.startswith("["):
        target[int(last[1:-1])] = value
    else:
        target[last] = value


def exported_places(doc: dict) -> Iterator[tuple[str, int, str, Any]]:
    """(kind, record index, place, value) for one record holding each shape
    of place of each kind: every field the export writes, nested ones too."""
    for kind in cd.KINDS:
        seen: set[str] = set()
        for index, record in enumerate(doc[kind]):
            for path, value in _paths(record, ""):
                if path and _shape(path) not in seen:
                    seen.add(_shape(path))
                    yield kind, index, path, value


def test_every_field_of_an_export_refuses_a_value_of_another_type(seeded):
    """Driven by the export, not by the list of types: a field added to the
    format later is covered here the day it is exported."""
    exported = cd.export_document()
    places = list(exported_places(exported))
    assert {kind for kind, *_ in places} == set(cd.KINDS)
    failures = []
    for kind, index, path, value in places:
        record = exported[kind][index]
        key_place = path.split(".")[0].split("[")[0] == cd.key_field(kind)
        label = (
            f"{cd.NOUNS[kind]} number {index + 1} in the file"
            if key_place
            else cd.record_label(kind, cd.record_key(kind, record))
        )
        for wrong in _wrong_values(value):
            doc = copy.deepcopy(exported)
            _set(doc[kind][index], path, wrong)
            try:
                content_import(doc=doc, dry_run=True)
            except ContentError as exc:
                message = "\n".join(exc.errors)
                if f"{label}: “{path}” must be" not in message:
                    failures.append(f"{kind} {path} = {wrong!r}: {message[:200]}")
            else:
                failures.append(f"{kind} {path} = {wrong!r}: accepted")
        whole = copy.deepcopy(exported)
        whole[kind][index] = "not a record"
        with pytest.raises(ContentError, match=f"{cd.NOUNS[kind]} number"):
            content_import(doc=whole, dry_run=True)
    assert failures == []


def test_the_types_describe_exactly_the_fields_the_export_writes(seeded):
    """A field described but never written (or the reverse) is a mistake in
    one of the two."""
    exported = cd.export_document()
    described: set[str] = set()

    def walk(spec: cd.Spec, path: str) -> None:
        if path:
            described.add(path)
        if isinstance(spec, cd.ListOf):
            walk(spec.item, f"{path}[]")
        elif isinstance(spec, cd.Fields):
            for name, inner in spec.fields.items():
                walk(inner, f"{path}.{name}" if path else name)

    for kind, spec in cd.TYPES.items():
        for name, inner in spec.fields.items():
            walk(inner, f"{kind}.{name}")
    written = {
        f"{kind}.{_shape(path)}"
        for kind, _, path, _ in exported_places(exported)
        if not _is_map_entry(kind, path)
    }
    # Fields only written when set, or in every record empty in the seed.
    assert written <= described
    assert {p for p in described if "[]" not in p} - written <= {
        f"{kind}.unpublish_at" for kind in ("roles", "comparisons", "questions")
    }


def _is_map_entry(kind: str, path: str) -> bool:
    """A place under a map (``dimensions.autonomy``): its key is content."""
    spec: Any = cd.TYPES[kind]
    for step in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if isinstance(spec, cd.MapOf):
            return True
        spec = spec.item if step.startswith("[") else spec.fields[step]
    return False


def test_the_seed_files_pass_the_same_type_check(db):
    """The seed is read as strictly as an import: its files are well typed."""
    doc = cd.load_seed_files()
    assert all(doc[kind] for kind in ("roles", "questions", "glossary"))


# --- every refusal names the record and the field -------------------------------

FIELD_AT = re.compile(r"^“?(?P<field>[a-z_]+)(?:[\[.”:]|$)")


def _bad_values(value: Any) -> list[Any]:
    """Values of the right type that a record may refuse: empty, too long, a
    slug that names nothing, a number out of range."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [-1, 10**6]
    if isinstance(value, str):
        return ["", "x" * 3000, "no-such-thing"]
    if isinstance(value, list):
        return [[]]
    return []


def test_every_refusal_names_the_record_and_the_field(seeded):
    """For each field of an export, values a record may refuse: each message
    of each refusal starts with the record (its kind and key) and then names
    the field changed, never a position in the file (``roles[3]``)."""
    exported = cd.export_document()
    failures: list[str] = []
    refused = 0
    for kind, index, path, value in exported_places(exported):
        top = re.split(r"[.\[]", path)[0]
        if top == cd.key_field(kind) or _is_map_entry(kind, path):
            continue  # another key is another record; a map's keys are content
        label = cd.record_label(kind, cd.record_key(kind, exported[kind][index]))
        for bad in _bad_values(value):
            record = copy.deepcopy(exported[kind][index])
            _set(record, path, bad)
            try:
                content_import(doc={"format": 1, kind: [record]}, dry_run=True)
            except ContentError as exc:
                refused += 1
                for line in exc.errors:
                    rest = line.removeprefix(f"{label}: ")
                    match = FIELD_AT.match(rest)
                    if rest == line or not match or match["field"] != top:
                        failures.append(f"{kind} {path} = {bad!r:.20}: {line}")
    assert refused > 50  # the values above are refused in many places
    import pathlib

    pathlib.Path("/tmp/failures.txt").write_text("\n".join(failures))
    assert failures == []


# --- an old export does not undo what editors wrote since -----------------------


def exported_file(tmp_path, suffix: str = ".json") -> Any:
    """export_content's output, as JSON or (converted) as YAML."""
    out = StringIO()
    call_command("export_content", stdout=out)
    path = tmp_path / f"content{suffix}"
    if suffix == ".json":
        path.write_text(out.getvalue())
    else:
        path.write_text(yaml.safe_dump(json.loads(out.getvalue()), allow_unicode=True))
    return path


def edit_in_the_site(slug: str, summary: str) -> None:
    """What an editor's save in the admin does to a role."""
    role = m.Role.objects.get(slug=slug)
    role.summary = summary
    role.full_clean()
    role.save()


def run_import(path, *args: str) -> str:
    out = StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_fresh_export_imports_as_nothing_changed_and_no_conflict(
    seeded, tmp_path, suffix
):
    path = exported_file(tmp_path, suffix)
    out = run_import(path)
    assert "0 created, 0 updated," in out
    assert "overwrote" not in out


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_an_old_export_does_not_undo_a_change_made_since(seeded, tmp_path, suffix):
    path = exported_file(tmp_path, suffix)
    edit_in_the_site("product-owner", "Written by an editor after the export.")
    with pytest.raises(CommandError) as excinfo:
        run_import(path)
    message = str(excinfo.value)
    assert "role “product-owner”: changed since the file was exported" in message
    assert "--overwrite" in message
    assert m.Role.objects.get(slug="product-owner").summary == (
        "Written by an editor after the export."
    )


def test_the_conflict_says_when_the_record_changed(seeded, tmp_path):
    path = exported_file(tmp_path)
    edit_in_the_site("product-owner", "Written by an editor after the export.")
    changed = m.Role.objects.get(slug="product-owner").updated_at
    with pytest.raises(CommandError) as excinfo:
        run_import(path)
    assert f"(changed {timezone.localtime(changed):%Y-%m-%d %H:%M}" in str(
        excinfo.value
    )


def test_only_the_changed_records_conflict_and_nothing_is_written(seeded, tmp_path):
    path = exported_file(tmp_path)
    doc = json.loads(path.read_text())
    with_a_valid_change(doc)  # a change made in the file: not a conflict
    path.write_text(json.dumps(doc))
    edit_in_the_site("scrum-master", "Written by an editor after the export.")
    with pytest.raises(CommandError) as excinfo:
        run_import(path)
    message = str(excinfo.value)
    assert "role “scrum-master”: changed since" in message
    assert message.count(": changed since the file was exported") == 1
    assert not m.Role.objects.filter(summary=CHANGED).exists()


def test_a_dry_run_reports_the_conflicts_too(seeded, tmp_path):
    path = exported_file(tmp_path)
    edit_in_the_site("product-owner", "Written by an editor after the export.")
    with pytest.raises(CommandError, match="role “product-owner”: changed since"):
        run_import(path, "--dry-run")
    out = run_import(path, "--dry-run", "--overwrite")
    assert "overwrote changes made since the export: role product-owner" in out
    assert "nothing was written" in out
    assert m.Role.objects.get(slug="product-owner").summary == (
        "Written by an editor after the export."
    )


def test_overwrite_imports_and_lists_what_it_wrote_over(seeded, tmp_path):
    path = exported_file(tmp_path)
    before = m.Role.objects.get(slug="product-owner").summary
    edit_in_the_site("product-owner", "Written by an editor after the export.")
    out = run_import(path, "--overwrite")
    assert "overwrote changes made since the export: role product-owner" in out
    assert "updated: role product-owner" not in out  # said once, as overwritten
    assert "0 created, 1 updated, 1 of them over changes made since" in out
    assert m.Role.objects.get(slug="product-owner").summary == before


def test_a_record_created_in_the_site_since_the_export_is_a_conflict(seeded, tmp_path):
    path = exported_file(tmp_path)
    doc = json.loads(path.read_text())
    term = copy.deepcopy(doc["glossary"][0])
    term.update(slug="written-in-the-file", definition="From the file.")
    doc["glossary"].append(term)
    path.write_text(json.dumps(doc))
    m.GlossaryTerm.objects.create(
        slug="written-in-the-file",
        term="Made in the site",
        definition="Written by an editor after the export.",
    )
    with pytest.raises(CommandError) as excinfo:
        run_import(path)
    assert "glossary term “written-in-the-file”: created since" in str(excinfo.value)


def test_a_file_without_stamps_is_imported_as_before(seeded, tmp_path):
    """A hand-written file (or one exported before exports were stamped)
    cannot tell a change made since from none: it overwrites, as before."""
    doc = cd.export_document()
    assert cd.EXPORTED not in doc
    before = next(r for r in doc["roles"] if r["slug"] == "product-owner")["summary"]
    edit_in_the_site("product-owner", "Written by an editor after the export.")
    out = import_file(tmp_path, doc)
    assert "updated: role product-owner" in out
    assert m.Role.objects.get(slug="product-owner").summary == before


@pytest.mark.parametrize(
    ("section", "said"),
    [
        ("yesterday", "“exported” must be an object, not text."),
        ({"at": "soon", "fingerprints": {}}, "“exported.at”: 'soon' is not a date"),
        ({"fingerprints": {"roles": ["a"]}}, "“exported.fingerprints.roles” must"),
        ({"fingerprints": {"people": {}}}, "unknown kind(s): people"),
        ({"fingerprints": {}, "by": "me"}, "“exported”: unknown field(s): by"),
    ],
)
def test_a_malformed_stamp_is_refused_by_name(seeded, tmp_path, section, said):
    doc = with_a_valid_change(cd.export_document())
    doc[cd.EXPORTED] = section
    assert said in refusal(tmp_path, doc)
