"""The seed catalogue: ten roles, eight curated comparisons, a questionnaire
that tells them all apart."""

import re
from urllib.parse import urlparse

import pytest

from roles.content_doc import load_seed_files

DOC = load_seed_files()
ROLES = {r["slug"]: r for r in DOC["roles"]}
DIMENSIONS = [d["slug"] for d in DOC["dimensions"]]
THEMES = {t["slug"] for t in DOC["themes"]}
CONTEXTS = {c["slug"] for c in DOC["contexts"]}
REQUIRED_ROLES = {
    "product-manager",
    "product-owner",
    "scrum-master",
    "project-manager",
    "program-manager",
    "business-analyst",
    "engineering-manager",
    "product-marketing-manager",
    "product-designer",
}
REQUIRED_COMPARISONS = {
    "product-manager-vs-product-owner",
    "product-owner-vs-scrum-master",
    "product-manager-vs-project-manager",
    "program-manager-vs-project-manager",
    "business-analyst-vs-product-owner",
    "product-manager-vs-product-marketing-manager",
    "engineering-manager-vs-product-manager",
    "project-manager-vs-scrum-master",
}


def test_catalogue_has_the_ten_roles():
    assert len(ROLES) >= 10
    assert set(ROLES) >= REQUIRED_ROLES
    assert {"delivery-manager", "agile-coach"} & set(ROLES)


def test_slugs_and_keys_are_unique():
    for kind, field in [
        ("roles", "slug"),
        ("themes", "slug"),
        ("dimensions", "slug"),
        ("contexts", "slug"),
        ("questions", "key"),
    ]:
        values = [r[field] for r in DOC[kind]]
        assert len(values) == len(set(values)), kind


@pytest.mark.parametrize("slug", sorted(ROLES))
def test_every_role_is_complete(slug):
    role = ROLES[slug]
    for field in ("name", "summary", "overview", "origin", "family"):
        assert role[field], (slug, field)
    assert len(role["summary"]) <= 200
    assert role["also_known_as"], slug
    assert role["last_reviewed"], slug
    assert len(role["responsibilities"]) >= 6, slug
    assert {r["theme"] for r in role["responsibilities"]} <= THEMES
    assert sorted(role["dimensions"]) == sorted(DIMENSIONS), slug
    assert all(value.strip() for value in role["dimensions"].values()), slug
    assert len(role["sources"]) >= 2, slug
    for source in role["sources"]:
        url = urlparse(source["url"])
        assert url.scheme == "https" and url.netloc and "." in url.netloc, source["url"]
        assert source["title"], slug


COMPARISONS = {"-vs-".join(sorted(c["roles"])): c for c in DOC["comparisons"]}


def test_the_eight_curated_comparisons_exist():
    assert set(COMPARISONS) >= REQUIRED_COMPARISONS


@pytest.mark.parametrize("key", sorted(COMPARISONS))
def test_every_curated_comparison_has_all_its_parts(key):
    comparison = COMPARISONS[key]
    assert set(comparison["roles"]) <= set(ROLES)
    assert comparison["title"] and comparison["tldr"] and comparison["body"]
    assert set(comparison["suits"]) == set(comparison["roles"])
    assert all(text.strip() for text in comparison["suits"].values())
    factors = {note["context"] for note in comparison["contexts"]}
    assert factors <= CONTEXTS
    assert len(factors) >= 4, key
    for note in comparison["contexts"]:
        assert note["label"] and note["note"]
    for slug in comparison["roles"]:
        assert ROLES[slug]["name"] in comparison["title"]


def test_founding_comparison_covers_all_five_context_factors():
    comparison = COMPARISONS["product-manager-vs-product-owner"]
    assert {n["context"] for n in comparison["contexts"]} == CONTEXTS


def test_questionnaire_has_at_least_twenty_questions_for_five_to_eight_minutes():
    # Sixteen roles need more questions than ten did; at about ten seconds a
    # question, 45 is still within eight minutes.
    questions = DOC["questions"]
    assert 20 <= len(questions) <= 45
    for question in questions:
        assert question["text"]
        if question["kind"] == "scenario":
            assert len(question["options"]) >= 2
        for points in [question["points"], *[o["points"] for o in question["options"]]]:
            assert set(points) <= set(ROLES)
            assert all(0 <= v <= 5 for v in points.values())


def test_markdown_holds_no_raw_html():
    for role in DOC["roles"]:
        assert not re.search(r"<[a-z]", role["overview"]), role["slug"]
    for comparison in DOC["comparisons"]:
        assert not re.search(r"<[a-z]", comparison["body"] + comparison["tldr"])
