"""A source is the work, not a shop's or a readers' catalogue's listing of it:
the content rules (seed, import and the editors' saves all call them) refuse
Goodreads and Amazon addresses, and the seed content has none."""

import copy

import pytest

from roles.content_io.schema import (
    glossary_problems,
    is_refused_source,
    load_seed_files,
    role_guide_problems,
)

DOC = load_seed_files()
ROLE = next(r for r in DOC["roles"] if r["slug"] == "product-operations-manager")

REFUSED = [
    "https://www.goodreads.com/book/show/199368360-product-operations",
    "https://goodreads.com/book/show/1",
    "https://www.amazon.com/dp/1950509625",
    "https://amazon.com/Product-Operations/dp/1950509625",
    "https://www.amazon.co.uk/dp/1950509625",
    "https://www.amazon.de/dp/1950509625",
    "https://www.amazon.com.au/dp/1950509625",
    "https://smile.amazon.com/dp/1950509625",
    "https://amzn.to/3abcdef",
    "https://a.co/d/abcdef",
    "https://WWW.AMAZON.COM./dp/1950509625",
]
ACCEPTED = [
    "https://www.holloway.com/b/product-operations",
    "https://docs.aws.amazon.com/wellarchitected/latest/framework/welcome.html",
    "https://aws.amazon.com/devops/what-is-devops/",
    "https://www.notamazon.com/page",
    "https://goodreads.example.org/page",
    "https://scrumguides.org/scrum-guide.html",
]


@pytest.mark.parametrize("url", REFUSED)
def test_goodreads_and_amazon_addresses_are_refused(url):
    assert is_refused_source(url)


@pytest.mark.parametrize("url", ACCEPTED)
def test_other_addresses_on_similar_hosts_are_accepted(url):
    assert not is_refused_source(url)


@pytest.mark.parametrize("url", REFUSED[:4])
def test_a_role_citing_a_shop_is_a_content_problem_that_names_the_field(url):
    record = copy.deepcopy(ROLE)
    record["sources"][1]["url"] = url
    problems = role_guide_problems(record)
    assert problems == [
        f"sources[1].url: “{url}” is a shop or a readers' catalogue (Goodreads, "
        "Amazon): cite the publisher's or the author's page for the work."
    ]
    assert role_guide_problems(ROLE) == []


def test_a_glossary_term_citing_a_shop_is_a_content_problem():
    term = copy.deepcopy(DOC["glossary"][0])
    assert glossary_problems(term) == []
    term["source"]["url"] = REFUSED[2]
    [problem] = glossary_problems(term)
    assert problem.startswith(f"source.url: “{REFUSED[2]}” is a shop")


def test_the_seed_content_cites_no_shop_or_catalogue():
    urls = [s["url"] for r in DOC["roles"] for s in r["sources"]]
    urls += [t["source"]["url"] for t in DOC["glossary"]]
    urls += [s["url"] for c in DOC["comparisons"] for s in c.get("sources") or [] if s]
    assert len(urls) > 50
    assert [u for u in urls if is_refused_source(u)] == []
    assert "https://www.holloway.com/b/product-operations" in {
        s["url"] for s in ROLE["sources"]
    }
