"""Site search: relevance, coverage, states and bad input."""

import pytest
from django.db import connection
from django.urls import reverse

from roles import models as m
from roles.search.selectors import clean_query, exact_boost, search, substring_score

from .factories import (
    GlossaryTermFactory,
    ResponsibilityFactory,
    RoleFactory,
    make_comparison,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    po = RoleFactory(
        name="Product Owner",
        slug="product-owner",
        also_known_as="PO",
        summary="Maximises the value of the product by ordering the Product Backlog.",
        overview="Owns the Product Backlog and the Product Goal.",
    )
    for text in (
        "Orders the Product Backlog so the team knows what comes next.",
        "Refines backlog items with the Developers.",
        "Sets the Product Goal.",
    ):
        ResponsibilityFactory(role=po, text=text)
    pm = RoleFactory(
        name="Product Manager",
        slug="product-manager",
        summary="Decides what to build and why, from discovery to launch.",
        overview="Works with the PO where there is one; owns the product strategy.",
    )
    ResponsibilityFactory(role=pm, text="Shares the roadmap, which feeds the backlog.")
    sm = RoleFactory(
        name="Scrum Master",
        slug="scrum-master",
        summary="Helps the Scrum Team work well.",
        overview="Coaches the team on Scrum.",
    )
    ResponsibilityFactory(role=sm, text="Coaches the team and removes impediments.")
    rte = RoleFactory(
        name="Release Train Engineer",
        slug="release-train-engineer",
        also_known_as="RTE",
        summary="Servant leader of an Agile Release Train in SAFe.",
        overview="Facilitates PI Planning.",
    )
    ResponsibilityFactory(role=rte, text="Facilitates PI Planning for the train.")
    RoleFactory(
        name="Secret Draft Role",
        slug="secret-draft-role",
        summary="Orders the backlog in secret.",
        status=m.Status.DRAFT,
    )
    GlossaryTermFactory(
        term="Responsible, Accountable, Consulted, Informed",
        slug="raci",
        abbreviation="RACI",
        definition="A matrix saying who does what for each task.",
    )
    make_comparison([po, pm], title="Product Owner vs Product Manager")
    return po, pm, sm, rte


def titles(query):
    return [hit.title for hit in search(query).hits]


def test_po_finds_the_product_owner_first(catalogue):
    assert titles("PO")[0] == "Product Owner"
    assert titles("po")[0] == "Product Owner"


def test_backlog_finds_the_product_owner_first(catalogue):
    found = titles("backlog")
    assert found[0] == "Product Owner"
    assert "Product Manager" in found


def test_an_abbreviation_finds_its_role(catalogue):
    assert titles("RTE")[0] == "Release Train Engineer"


def test_a_responsibility_finds_its_role_and_says_what_matched(catalogue):
    hits = search("impediments").hits
    assert hits[0].title == "Scrum Master"
    assert (
        hits[0].matched == "Responsibility: Coaches the team and removes impediments."
    )


def test_skills_and_anti_patterns_find_their_role_and_say_what_matched(catalogue):
    _, _, sm, rte = catalogue
    m.Skill.objects.create(
        role=sm, name="Facilitation", note="Runs workshops without taking sides."
    )
    m.AntiPattern.objects.create(
        role=rte, name="The train conductor", text="Dictates instead of serving."
    )
    hits = search("workshops").hits
    assert hits[0].title == "Scrum Master"
    assert hits[0].matched == "Skill: Facilitation"
    hits = search("conductor").hits
    assert [h.title for h in hits] == ["Release Train Engineer"]
    assert hits[0].matched == "Anti-pattern: The train conductor"


def test_search_takes_the_same_queries_whatever_the_catalogue_size(catalogue):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        search("team")
    for n in range(5):
        role = RoleFactory(name=f"Team role {n}", summary="Works with the team.")
        ResponsibilityFactory(role=role, text="Helps the team.")
        m.Skill.objects.create(role=role, name="Teamwork")
        m.AntiPattern.objects.create(role=role, name="Team hero", text="Does it all.")
    with CaptureQueriesContext(connection) as large:
        assert len(search("team").hits) >= 5
    assert len(large) == len(small)


def test_glossary_terms_and_comparisons_are_found(catalogue):
    raci = search("RACI").hits[0]
    assert raci.kind == "term"
    assert raci.url == "/glossary/#raci"
    assert "Product Owner vs Product Manager" in titles("Product Owner")


def test_an_exact_term_comes_first_and_roles_before_partial_term_matches(catalogue):
    GlossaryTermFactory(term="Product Backlog", slug="product-backlog")
    GlossaryTermFactory(term="Backlog", slug="backlog")
    hits = search("backlog").hits
    assert [(h.kind, h.title) for h in hits[:2]] == [
        ("term", "Backlog"),
        ("role", "Product Owner"),
    ]
    assert hits[-1].title == "Product Backlog"


def test_drafts_are_never_found(catalogue):
    assert "Secret Draft Role" not in titles("secret")
    assert "Secret Draft Role" not in titles("backlog")


def test_a_misspelt_role_name_is_found_on_postgresql(catalogue):
    if connection.vendor != "postgresql":
        pytest.skip(
            "typo tolerance uses pg_trgm; run with DATABASE_URL=postgres://… "
            "(SQLite has substring matching only)"
        )
    assert titles("Prodcut Ownr")[0] == "Product Owner"
    assert titles("scrum mastr")[0] == "Scrum Master"


def test_exact_boost_and_substring_score_are_pure():
    assert exact_boost("po", ["Product Owner", "PO"]) == 10.0
    assert exact_boost("p", ["PO"]) == 0.0
    assert substring_score("backlog", {"name": "", "summary": "backlog backlogs"}) == 6
    assert substring_score("po", {"name": "Senior Responsible Owner"}) == 0
    assert clean_query("  a\x00b   c ") == "a b c"
    assert len(clean_query("x" * 500)) == 100


def test_results_page_lists_hits_with_their_kind(client, catalogue):
    response = client.get(reverse("roles:search"), {"q": "PO"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert 'value="PO"' in html
    assert "Role guide" in html
    first = html.index('href="/roles/product-owner/"')
    assert first < html.index('href="/roles/product-manager/"')
    assert "Also known as PO" in html


def test_empty_query_helps_the_reader_start(client, catalogue):
    html = client.get(reverse("roles:search")).content.decode()
    assert "Type a word or two" in html
    assert 'href="/search/?q=PO"' in html


def test_no_result_page_suggests_what_to_try(client, catalogue):
    html = client.get(reverse("roles:search"), {"q": "zzqx"}).content.decode()
    assert "Nothing matched “zzqx”" in html
    assert 'href="/roles/"' in html and 'href="/glossary/"' in html


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", "%", "_", "'; drop table x; --", "\x00", "a" * 5000, "!!! & | :*"]
)  # fmt: skip
def test_odd_queries_never_fail(client, catalogue, q):
    response = client.get(reverse("roles:search"), {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_every_page_has_a_search_form_that_works_without_javascript(client, catalogue):
    html = client.get(reverse("roles:home")).content.decode()
    assert (
        '<form role="search" class="site-search" action="/search/" method="get">'
        in html
    )
    assert 'name="q"' in html


# --- the real catalogue ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("PO", "Product Owner"),
        ("backlog", "Product Owner"),
        ("RTE", "Release Train Engineer"),
        ("Scrum Master", "Scrum Master"),
    ],
)
def test_seed_catalogue_relevance(seeded, query, first):
    assert titles(query)[0] == first


def test_seed_catalogue_tolerates_a_misspelling_on_postgresql(seeded):
    if connection.vendor != "postgresql":
        pytest.skip("typo tolerance uses pg_trgm; run with DATABASE_URL=postgres://…")
    assert titles("Prodcut Ownr")[0] == "Product Owner"
    assert titles("delivry manager")[0] == "Delivery Manager"


def test_seed_glossary_terms_are_found(seeded):
    hits = search("RACI").hits
    assert hits[0].kind == "term"
