"""A source is the work, not a shop's or a readers' catalogue's listing of it:
the content rules (seed, import and the editors' saves all call them) refuse
Goodreads and Amazon addresses, and the seed content has none. Every model
field holding a source's address refuses what the import refuses."""

import copy

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from roles import models as m
from roles.content_io.schema import (
    glossary_problems,
    is_refused_source,
    is_specific_page,
    load_seed_files,
    role_guide_problems,
)
from roles.core import sources

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


# --- every model field that holds a source's address, as the importer does -------------

#: Addresses the importer refuses (and the admin took for a glossary term).
NOT_SPECIFIC = [
    "http://example.org/page",
    "https://example.org/",
    "https://localhost/x",
]


def _source_url_fields() -> list[models.Field]:
    """Every field of the project's models that holds an address: an URLField,
    or a text field named like one (so a CharField added for a source's
    address is found too)."""
    found = []
    for model in apps.get_app_config("roles").get_models():
        for field in model._meta.concrete_fields:
            named = field.name == "url" or field.name.endswith("_url")
            if isinstance(field, models.URLField) or (
                named and isinstance(field, models.CharField)
            ):
                found.append(field)
    return found


def _label(field) -> str:
    return f"{field.model.__name__}.{field.name}"


def test_the_source_address_fields_are_found():
    assert {_label(f) for f in _source_url_fields()} >= {
        "Source.url",
        "GlossaryTerm.source_url",
    }


@pytest.mark.parametrize("field", _source_url_fields(), ids=_label)
@pytest.mark.parametrize("url", [*NOT_SPECIFIC, *REFUSED[:3], *ACCEPTED])
def test_every_source_address_field_refuses_what_the_import_refuses(field, url):
    """The admin saved addresses the importer then refused, so an export of
    the site could not be imported again."""
    record = copy.deepcopy(DOC["glossary"][0])
    record["source"]["url"] = url
    import_refuses = bool(glossary_problems(record))
    assert import_refuses == (not is_specific_page(url) or is_refused_source(url))
    try:
        field.clean(url, None)
    except ValidationError:
        refused = True
    else:
        refused = False
    assert refused == import_refuses, (url, import_refuses)


@pytest.mark.django_db
@pytest.mark.parametrize("url", NOT_SPECIFIC)
def test_the_glossary_admin_refuses_an_address_the_import_would(staff_client, url):
    response = staff_client.post(
        reverse("admin:roles_glossaryterm_add"),
        {
            "term": "Backlog refinement",
            "slug": "backlog-refinement",
            "definition": "Keeping the backlog ready to work on.",
            "source_title": "The Scrum Guide",
            "source_url": url,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "“" + url + "”" in response.content.decode()
    assert not m.GlossaryTerm.objects.exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://example.org/x", "starts with http://: use the https:// address"),
        ("ftp://example.org/x", "is not a web page's address: use https://"),
        ("https://example.org/", "is a site's home page: cite the page"),
        ("https://localhost/x", "is not a public address"),
        ("example.org/x", "is not a web page's address: use https://"),
    ],
)
def test_a_refused_address_is_told_what_is_wrong_with_it(url, says):
    # Found by a tester: http://example.org/x was called "not a specific
    # https:// page (a home page or a malformed address)", neither of which
    # it is; the one thing wrong was http.
    problem = sources.source_url_problem(url)
    assert problem is not None and says in problem
