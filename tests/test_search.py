"""Site search: relevance, coverage, states and bad input."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from roles import models as m
from roles.search.matching import MAX_HITS
from roles.search.selectors import search

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


def test_a_misspelt_role_name_is_found(catalogue):
    assert titles("Prodcut Ownr")[0] == "Product Owner"
    assert titles("scrum mastr")[0] == "Scrum Master"


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
    "q", ["<script>alert(1)</script>", "%", "_", "'; drop table x; --", "\x00", "a" * 200, "!!! & | :*"]
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


def test_seed_catalogue_tolerates_a_misspelling(seeded):
    assert titles("Prodcut Ownr")[0] == "Product Owner"
    assert titles("delivry manager")[0] == "Delivery Manager"


def test_seed_glossary_terms_are_found(seeded):
    hits = search("RACI").hits
    assert hits[0].kind == "term"


# --- every word must match (issue 23 item 4) ------------------------------------


@pytest.mark.parametrize("query", ["zebra banana", "qwerty asdfgh", "a b", "a", "the"])
def test_nonsense_finds_nothing_in_the_seed_catalogue(seeded, query):
    assert titles(query) == []


def test_each_word_of_a_nonsense_query_alone_finds_nothing_so_together_neither(
    seeded,
):
    assert titles("zebra") == titles("banana") == []
    assert titles("backlog zebra") == []


def test_po_is_a_whole_word_never_a_prefix(seeded):
    found = titles("PO")
    assert found[0] == "Product Owner"
    assert not [t for t in found if "Positioning" in t]
    for hit in search("PO").hits:
        assert hit.exact or hit.kind != "term" or "PO" in hit.title


def test_every_word_must_match_the_same_result(seeded):
    both = set(titles("scrum backlog"))
    assert "Scrum Master" in both
    assert "Scrum Master" not in titles("scrum zebra")


def test_a_word_in_the_content_is_never_corrected_as_a_typo(catalogue):
    # "team" is in the content: it must not also match "tear" or "teams".
    RoleFactory(name="Tear Down Specialist", summary="Tears things down.")
    assert "Tear Down Specialist" not in titles("team")


def test_results_are_cached_per_content_version_and_normalised_query(
    catalogue, django_assert_max_num_queries
):
    search("Product  OWNER")  # fills the cache
    # At most the content version (none while its cached mirror is fresh).
    with django_assert_max_num_queries(1):
        assert search("product owner").hits[0].title == "Product Owner"
    RoleFactory(name="Product Owner Coach", summary="Coaches product owners.")
    assert "Product Owner Coach" in titles("product owner")


def test_drafts_and_expired_roles_stay_out_of_the_cached_index(catalogue):
    assert "Scrum Master" in titles("impediments")
    m.Role.objects.filter(slug="scrum-master").update(status=m.Status.DRAFT)
    assert "Scrum Master" not in titles("impediments")


def test_no_result_page_offers_a_corrected_query_that_finds_something(
    client, catalogue
):
    html = client.get(reverse("roles:search"), {"q": "bcaklgo ordering"}).content
    page = html.decode()
    assert "Nothing matched" in page
    assert 'href="/search/?q=backlog%20ordering"' in page or (
        'href="/search/?q=backlog+ordering"' in page
    )


def test_the_search_page_has_one_search_landmark(client, catalogue):
    for params in ({}, {"q": "PO"}, {"q": "zebra"}):
        html = client.get(reverse("roles:search"), params).content.decode()
        assert html.count('role="search"') == 1, params


# --- a production endpoint (issue 20 item 4) --------------------------------------


def test_a_query_over_200_characters_gets_the_sites_400_page(client, catalogue):
    response = client.get(reverse("roles:search"), {"q": "a" * 201})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 200 characters" in page
    assert 'class="site-search"' in page  # the site's own page, with its header
    assert client.get(reverse("roles:search"), {"q": "a" * 200}).status_code == 200


def test_searches_are_rate_limited_per_client(client, catalogue, settings):
    settings.SEARCH_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get(reverse("roles:search"), {"q": "PO"}).status_code == 200
    response = client.get(reverse("roles:search"), {"q": "PO"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "many searches" in response.content.decode()
    # The empty page is not a search and is still served.
    assert client.get(reverse("roles:search")).status_code == 200
    other = client.get(reverse("roles:search"), {"q": "PO"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_a_limited_client_may_search_again_once_its_retry_after_has_passed(
    client, catalogue, settings, rate_clock
):
    """Retry-After is exact: one second sooner is still refused, and at it the
    search is served, wherever in the minute the client's window ends."""
    settings.SEARCH_RATE_LIMIT = (2, 60)
    for n, offset in enumerate((0, 0.5, 13.25, 29.9, 44, 59.75)):
        rate_clock.advance(offset)
        address = f"198.51.100.{n + 1}"

        def search(address=address):
            return client.get(reverse("roles:search"), {"q": "PO"}, REMOTE_ADDR=address)

        assert [search().status_code for _ in range(3)] == [200, 200, 429]
        wait = int(search()["Retry-After"])
        assert 1 <= wait <= 60
        rate_clock.advance(wait - 1)
        assert search().status_code == 429, offset
        rate_clock.advance(1)
        assert search().status_code == 200, offset


def test_gunicorn_lets_a_long_query_reach_the_site_for_its_400_page():
    """gunicorn's default request-line limit (4094) answers a 5,000-character
    search with its own bare 414 before the site sees it."""
    import runpy
    from pathlib import Path

    config = runpy.run_path(
        str(Path(__file__).resolve().parents[1] / "config" / "gunicorn.py")
    )
    assert config["limit_request_line"] >= len("GET /search/?q=" + "a" * 5000)


def test_a_visitors_search_page_is_served_from_the_cache_until_content_changes(
    client, catalogue, django_assert_max_num_queries
):
    url = reverse("roles:search")
    first = client.get(url, {"q": "coaches"}).content
    with django_assert_max_num_queries(1):  # the content version, nothing else
        assert client.get(url, {"q": "coaches"}).content == first
    RoleFactory(name="Agile Coach", slug="agile-coach", summary="Coaches teams.")
    assert (
        'href="/roles/agile-coach/"'
        in client.get(url, {"q": "coaches"}).content.decode()
    )


def test_every_search_the_site_suggests_finds_something(seeded):
    from roles.search.views import SUGGESTIONS

    for query in SUGGESTIONS:
        assert titles(query), query


def test_career_paths_and_ways_in_are_searched_and_said(seeded):
    hits = search("career path").hits
    assert hits and hits[0].kind == "role"
    assert any(hit.matched.startswith("Career path: on to ") for hit in hits)


@pytest.mark.parametrize(
    "q", ["\u200b", " \u200b\u200d ", "\ufeff", "\u2060\u00a0", "\u3000"]
)  # fmt: skip
def test_a_query_of_invisible_characters_is_an_empty_search(client, catalogue, q):
    """Nothing a reader can see is nothing typed: not 'Nothing matched “”'."""
    html = client.get(reverse("roles:search"), {"q": q}).content.decode()
    assert "Type a word or two" in html
    assert "Nothing matched" not in html


def test_invisible_characters_inside_a_word_do_not_split_it(client, catalogue):
    plain = client.get(reverse("roles:search"), {"q": "owner"}).content.decode()
    hidden = client.get(reverse("roles:search"), {"q": "own\u200ber"}).content.decode()
    assert 'href="/roles/product-owner/"' in plain
    assert 'href="/roles/product-owner/"' in hidden


@pytest.mark.parametrize("window", [40, 3600])
def test_the_429_page_heading_and_text_give_the_same_real_wait(
    client, catalogue, settings, window
):
    """The heading said "Please wait a few minutes" above "Wait 40 seconds"."""
    from roles.core.client import wait_in_words

    settings.SEARCH_RATE_LIMIT = (1, window)
    client.get(reverse("roles:search"), {"q": "PO"})
    response = client.get(reverse("roles:search"), {"q": "PO"})
    assert response.status_code == 429
    words = wait_in_words(int(response["Retry-After"]))
    page = response.content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S)[1]
    assert heading == f"Please wait {words}"
    assert f"Wait {words} and search again" in page
    assert "few minutes" not in page


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (40, "40 seconds"), (60, "1 minute"), (61, "2 minutes")],
)
def test_a_wait_in_words_never_promises_less_than_the_real_wait(seconds, words):
    from roles.core.client import wait_in_words

    assert wait_in_words(seconds) == words


@pytest.mark.parametrize("path", ["/", "/search/", "/glossary/", "/quiz/"])
def test_every_search_box_takes_as_many_characters_as_the_server(
    client, catalogue, path
):
    """The header's box had maxlength="100", the search page's and the
    server 200."""
    from roles.search.selectors import MAX_QUERY

    page = client.get(path).content.decode()
    boxes = re.findall(r'<input type="search"[^>]*>', page)
    assert boxes, path
    for box in boxes:
        assert f'maxlength="{MAX_QUERY}"' in box, box


def test_a_capped_result_list_says_how_many_matched_and_how_to_narrow(client, seeded):
    """Found by a tester: "product" said "30 results for …" when many more
    matched (the list stops at MAX_HITS, with no next page)."""
    results = search("product")
    assert results.total > MAX_HITS == len(results.hits)
    html = client.get(reverse("roles:search"), {"q": "product"}).content.decode()
    assert f"Showing the first {MAX_HITS} of {results.total} results" in html
    assert f"{MAX_HITS} results for" not in html
    assert "narrow" in html


def test_a_capped_result_list_still_shows_the_glossary_terms_that_match(seeded):
    """Found by a tester: "product" showed no glossary entry, though several
    match it: roles and comparisons filled all 30 places."""
    results = search("product")
    assert "term" in {hit.kind for hit in results.hits}


def test_an_uncapped_result_list_gives_its_count(client, catalogue):
    html = client.get(reverse("roles:search"), {"q": "RACI"}).content.decode()
    assert "1 result for “RACI”." in html
    assert "Showing the first" not in html


# --- comparisons by their roles' names and abbreviations ---------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("PO vs PM", "Product Owner vs Product Manager"),
        ("po vs pm", "Product Owner vs Product Manager"),
        ("PO PM", "Product Owner vs Product Manager"),
        ("PM PO", "Product Owner vs Product Manager"),
        ("PO versus PM", "Product Owner vs Product Manager"),
        ("scrum master vs agile coach", "Scrum Master vs Agile Coach"),
        ("agile coach scrum master", "Scrum Master vs Agile Coach"),
        ("SM vs RTE", "Scrum Master vs Release Train Engineer"),
    ],
)
def test_a_comparison_is_found_first_by_its_roles_names_or_abbreviations(
    seeded, query, first
):
    assert titles(query)[0] == first


# --- an abbreviation that names several roles ("PM") --------------------------------


def test_pm_lists_both_roles_it_names_then_their_comparisons(seeded):
    hits = search("PM").hits
    assert [(h.title, h.exact) for h in hits[:2]] == [
        ("Product Manager", True),
        ("Project Manager", True),
    ]
    rest = hits[2:]
    assert not [h.title for h in rest if h.exact]
    theirs = [
        h.title
        for h in rest
        if h.kind == "comparison"
        and (
            "Product Manager" in h.title.split(" vs ")
            or "Project Manager" in h.title.split(" vs ")
        )
    ]
    assert theirs and [h.title for h in rest[: len(theirs)]] == theirs
    assert rest[0].title == "Product Manager vs Project Manager"
    # A role whose text merely mentions PM comes after them.
    titles_after = [h.title for h in rest[len(theirs) :]]
    assert "Product Marketing Manager" in titles_after


@pytest.mark.parametrize(
    ("query", "role"), [("PO", "Product Owner"), ("SM", "Scrum Master")]
)
def test_an_abbreviation_of_one_role_lists_it_then_its_comparisons(seeded, query, role):
    hits = search(query).hits
    assert (hits[0].title, hits[0].exact) == (role, True)
    comparisons = [h for h in hits[1:] if h.kind == "comparison"]
    assert comparisons and all(role in h.title.split(" vs ") for h in comparisons)
    assert not any(h.exact for h in hits[1:])


@pytest.mark.parametrize(
    ("query", "first_three"),
    [
        (
            "PO vs PM",
            ["Product Owner vs Product Manager", "Product Owner", "Product Manager"],
        ),
        (
            "product manager vs project manager",
            [
                "Product Manager vs Project Manager",
                "Product Manager",
                "Project Manager",
            ],
        ),
        (
            "PM vs PM",
            [
                "Product Manager vs Project Manager",
                "Product Manager",
                "Project Manager",
            ],
        ),
    ],
)
def test_a_comparison_the_query_names_comes_first_then_its_roles(
    seeded, query, first_three
):
    hits = search(query).hits
    assert [h.title for h in hits[:3]] == first_three
    assert hits[0].exact and not any(h.exact for h in hits[1:])


def test_the_page_says_what_an_ambiguous_abbreviation_can_mean(client, seeded):
    html = client.get(reverse("roles:search"), {"q": "PM"}).content.decode()
    assert "“PM” can mean Product Manager or Project Manager." in html
    assert html.index("can mean") < html.index('class="search-results"')
    for query in ("PO", "product manager", "PO vs PM"):
        html = client.get(reverse("roles:search"), {"q": query}).content.decode()
        assert "can mean" not in html, query
