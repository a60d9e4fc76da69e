"""Issue 15: the structured guide and glossary in seed, import and export."""

import copy
from pathlib import Path

import pytest
import reversion
import yaml
from reversion.models import Version

from roles import models as m
from roles.content_io.schema import (
    export_document,
    load_seed_files,
    role_guide_problems,
)
from roles.content_io.services import ContentError, content_import
from roles.publishing import registry

pytestmark = pytest.mark.django_db

CONTENT_MODELS = registry.content_models()


def role_record(slug: str, *, related, paths, status="published") -> dict:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "family": "product",
        "summary": f"What the {slug} does.",
        "overview": "An overview.",
        "status": status,
        "responsibilities": [{"theme": "backlog", "text": "Orders the backlog."}],
        "sources": [
            {"title": f"Source {i}", "url": f"https://example.org/{slug}/{i}"}
            for i in range(3)
        ],
        "dimensions": {"focus": "The backlog"},
        "skills": [
            {"name": f"Skill {i}", "level": "practitioner", "note": "A note."}
            for i in range(5)
        ],
        "ways_in": [
            {"title": f"Route {i}", "text": "From a *neighbouring* role."}
            for i in range(2)
        ],
        "typical_week": [
            {"activity": f"Activity {i}", "hours": 4 + i, "text": "Time on it."}
            for i in range(4)
        ],
        "anti_patterns": [{"name": f"Trap {i}", "text": "It hurts."} for i in range(3)],
        "related_roles": related,
        "career_paths": [
            {
                "to": to,
                "summary": f"From {slug} to {to}.",
                "new_responsibilities": ["Owning strategy", "Market analysis"],
                "skills_to_build": ["Discovery", "Business cases"],
            }
            for to in paths
        ],
    }


def document() -> dict:
    return {
        "format": 1,
        "themes": [{"slug": "backlog", "name": "Backlog"}],
        "dimensions": [{"slug": "focus", "name": "Focus"}],
        # "alpha" names "charlie" before "charlie" is written: links wait for
        # every role to exist.
        "roles": [
            role_record("alpha", related=["bravo", "charlie"], paths=["charlie"]),
            role_record("bravo", related=["alpha", "charlie"], paths=["alpha"]),
            role_record(
                "charlie", related=["alpha", "bravo"], paths=["alpha", "bravo"]
            ),
        ],
        "glossary": [
            {
                "slug": "product-goal",
                "term": "Product Goal",
                "abbreviation": "",
                "aliases": ["product goals"],
                "definition": "The long-term objective for the Scrum Team.",
                "source": {
                    "title": "The Scrum Guide (2020 edition)",
                    "url": "https://scrumguides.org/scrum-guide.html",
                    "publisher": "Ken Schwaber and Jeff Sutherland",
                },
                "related_roles": ["alpha"],
            }
        ],
    }


def errors_of(doc: dict) -> str:
    with pytest.raises(ContentError) as excinfo:
        content_import(doc=doc)
    return "\n".join(excinfo.value.errors)


def test_import_writes_every_guide_part_and_links_roles_named_later():
    content_import(doc=document())
    alpha = m.Role.objects.get(slug="alpha")
    assert [s.name for s in alpha.skills.all()] == [f"Skill {i}" for i in range(5)]
    assert alpha.ways_in.count() == 2
    assert [a.hours for a in alpha.typical_week.all()] == [4, 5, 6, 7]
    assert alpha.anti_patterns.count() == 3
    assert [r.related.slug for r in alpha.related_links.all()] == ["bravo", "charlie"]
    (path,) = alpha.paths_out.all()
    assert path.to_role.slug == "charlie"
    assert path.new_responsibility_list == ["Owning strategy", "Market analysis"]
    assert sorted(p.from_role.slug for p in alpha.paths_in.all()) == [
        "bravo",
        "charlie",
    ]
    term = m.GlossaryTerm.objects.get(slug="product-goal")
    assert term.spellings == ["Product Goal", "product goals"]
    assert [r.slug for r in term.related_roles.all()] == ["alpha"]


def test_export_then_import_is_lossless_and_a_second_import_changes_nothing():
    content_import(doc=document())
    first = export_document()
    assert first["roles"][0]["career_paths"][0]["to"] == "charlie"
    assert first["glossary"][0]["source"]["publisher"].startswith("Ken")
    report = content_import(doc=copy.deepcopy(first))
    assert not report.changed
    for model in (m.Role, m.GlossaryTerm, m.Theme, m.Dimension):
        model.objects.all().delete()
    content_import(doc=copy.deepcopy(first))
    assert export_document() == first


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["roles"][0]["related_roles"].append("zulu"), "related_roles[2]: role “zulu” does not exist"),
        (lambda d: d["roles"][0]["career_paths"][0].update(to="zulu"), "career_paths[0].to: role “zulu” does not exist"),
        (lambda d: d["roles"][0]["skills"][0].update(level="guru"), "skills[0].level: “guru” is not one of"),
        (lambda d: d["roles"][0]["typical_week"][1].update(hours=30), "typical_week[1].hours: 30 is outside 1–20"),
        (lambda d: d["roles"][0]["sources"].pop(), "sources: a published guide needs 3"),
        (lambda d: d["roles"][0]["sources"][0].update(url="https://www.svpg.com/"), "sources[0].url: “https://www.svpg.com/” is a site's home page"),
        (lambda d: d["roles"][0]["related_roles"].append("alpha"), "related_roles: a role cannot be related to itself"),
        (lambda d: d["roles"][0]["career_paths"][0].update(to="alpha"), "career_paths[0].to: a path cannot lead to the same role"),
        (lambda d: d["roles"][0]["skills"].append(dict(d["roles"][0]["skills"][0])), "skills: “Skill 0” appears twice"),
        (lambda d: d["roles"][0]["career_paths"][0]["skills_to_build"].pop(), "career_paths[0].skills_to_build: needs 2 to 4"),
        (lambda d: d["glossary"][0]["related_roles"].append("zulu"), "term “product-goal”: related_roles[1]: role “zulu” does not exist"),
    ],
)  # fmt: skip
def test_bad_guide_data_is_rejected_naming_the_record_and_field(change, expected):
    doc = document()
    change(doc)
    message = errors_of(doc)
    assert expected in message
    assert "role “alpha”" in message or "term “product-goal”" in message
    assert not m.Role.objects.exists()


def test_a_draft_guide_may_be_incomplete_but_not_wrong():
    draft = role_record("delta", related=[], paths=[], status="draft")
    draft.update(skills=[], ways_in=[], typical_week=[], anti_patterns=[], sources=[])
    assert role_guide_problems(draft) == []
    draft["skills"] = [{"name": "Skill", "level": "guru", "note": ""}]
    assert role_guide_problems(draft) == [
        "skills[0].level: “guru” is not one of foundation, practitioner, expert."
    ]


def test_hours_that_are_not_a_number_are_a_clear_error():
    doc = document()
    doc["roles"][1]["typical_week"][0]["hours"] = "lots"
    assert "role “bravo”: “typical_week[0].hours” must be a whole number" in (
        errors_of(doc)
    )


def _seed_dir(tmp_path: Path) -> Path:
    doc = document()
    (tmp_path / "roles").mkdir()
    (tmp_path / "comparisons").mkdir()
    (tmp_path / "taxonomy.yaml").write_text(
        yaml.safe_dump({k: doc[k] for k in ("themes", "dimensions")})
    )
    for record in doc["roles"]:
        (tmp_path / "roles" / f"{record['slug']}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True)
        )
    (tmp_path / "glossary.yaml").write_text(
        yaml.safe_dump({"terms": doc["glossary"]}, allow_unicode=True)
    )
    return tmp_path


def test_seed_files_load_with_the_glossary(tmp_path):
    doc = load_seed_files(_seed_dir(tmp_path))
    assert [t["slug"] for t in doc["glossary"]] == ["product-goal"]
    assert doc["roles"][0]["skills"][0]["level"] == "practitioner"


def test_a_type_error_in_a_seed_file_names_the_file(tmp_path):
    directory = _seed_dir(tmp_path)
    path = directory / "roles" / "bravo.yaml"
    record = yaml.safe_load(path.read_text())
    record["typical_week"][2]["hours"] = "four"
    path.write_text(yaml.safe_dump(record))
    with pytest.raises(
        ValueError, match=r"roles/bravo\.yaml: “typical_week\[2\]\.hours” must be"
    ):
        load_seed_files(directory)


def test_invalid_yaml_names_the_file(tmp_path):
    directory = _seed_dir(tmp_path)
    (directory / "glossary.yaml").write_text("terms: [unclosed")
    with pytest.raises(ValueError, match=r"glossary\.yaml: not valid YAML"):
        load_seed_files(directory)


def test_seed_errors_name_the_file(tmp_path, monkeypatch):
    from roles.content_io import schema as content_doc
    from roles.content_io import services

    directory = _seed_dir(tmp_path)
    path = directory / "roles" / "charlie.yaml"
    record = yaml.safe_load(path.read_text())
    record["related_roles"] = ["alpha", "nobody"]
    path.write_text(yaml.safe_dump(record))
    load = content_doc.load_seed_files
    monkeypatch.setattr(services.cd, "load_seed_files", lambda: load(directory))
    with pytest.raises(ContentError) as excinfo:
        services.content_seed()
    assert (
        "roles/charlie.yaml: related_roles[1]: role “nobody” does not exist."
        in excinfo.value.errors
    )


def test_new_models_bump_the_content_version_and_have_history():
    for model in (
        m.Skill,
        m.WayIn,
        m.WeekActivity,
        m.AntiPattern,
        m.RelatedRole,
        m.CareerPath,
        m.GlossaryTerm,
    ):
        assert model in CONTENT_MODELS
        assert reversion.is_registered(model)


def test_reverting_a_role_brings_back_its_guide():
    content_import(doc=document())
    alpha = m.Role.objects.get(slug="alpha")
    version = Version.objects.get_for_object(alpha).first()
    alpha.skills.all().delete()
    alpha.paths_out.all().delete()
    version.revision.revert(delete=True)
    assert alpha.skills.count() == 5
    assert [p.to_role.slug for p in alpha.paths_out.all()] == ["charlie"]


def _management(prefix: str, total: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def test_editors_edit_the_guide_in_the_role_admin(staff_client):
    from django.urls import reverse

    from .factories import GUIDE_INLINES, RoleFactory

    # A draft: a published guide would also need its full counts (tested in
    # test_workflow); here one of each part is enough.
    role = RoleFactory(slug="alpha", status="draft")
    other = RoleFactory(slug="bravo")
    url = reverse("admin:roles_role_change", args=[role.pk])
    html = staff_client.get(url).content.decode()
    for heading in ("Skills", "Ways into the role", "Typical week", "Anti-patterns"):
        assert heading in html
    assert "career paths out of this role" in html.lower()
    data = {
        "name": role.name,
        "slug": role.slug,
        "family": role.family,
        "summary": role.summary,
        "overview": role.overview,
        "status": "draft",
        **_management("responsibilities", 0),
        **_management("sources", 0),
        **_management("dimension_values", 0),
        **{k: v for p in GUIDE_INLINES for k, v in _management(p, 0).items()},
        **_management("skills", 1),
        "skills-0-name": "Ordering work by value",
        "skills-0-level": "expert",
        "skills-0-order": "1",
        **_management("paths_out", 1),
        "paths_out-0-to_role": other.pk,
        "paths_out-0-summary": "A common move.",
        "paths_out-0-new_responsibilities": "Strategy\nPricing",
        "paths_out-0-skills_to_build": "Discovery\nForecasting",
        "paths_out-0-order": "1",
        **_management("typical_week", 1),
        "typical_week-0-activity": "Refinement",
        "typical_week-0-hours": "25",
        "typical_week-0-order": "1",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200  # 25 hours is refused with a message
    assert "Ensure this value is less than or equal to 20." in response.content.decode()
    data["typical_week-0-hours"] = "4"
    assert staff_client.post(url, data).status_code == 302
    assert role.skills.get().level == "expert"
    assert role.paths_out.get().skills_to_build_list == ["Discovery", "Forecasting"]
    assert Version.objects.get_for_object(role).count() == 1


def test_glossary_admin_pages_render(staff_client):
    from django.urls import reverse

    assert staff_client.get(reverse("admin:roles_glossaryterm_add")).status_code == 200
    assert (
        staff_client.get(reverse("admin:roles_glossaryterm_changelist")).status_code
        == 200
    )


def test_glossary_related_roles_in_any_order_seed_once():
    doc = document()
    doc["glossary"][0]["related_roles"] = ["charlie", "alpha"]
    content_import(doc=copy.deepcopy(doc))
    assert not content_import(doc=copy.deepcopy(doc)).changed
