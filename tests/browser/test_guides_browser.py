"""Issue 15 pages in a real browser: axe on the guide, glossary, search and a
comparison with sources; the header search works without JavaScript."""

import datetime as dt

import pytest

from roles import models as m
from tests.factories import (
    GlossaryTermFactory,
    ResponsibilityFactory,
    RoleFactory,
    SourceFactory,
    make_comparison,
    make_guide,
)

from .conftest import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guides(live_server):
    po = RoleFactory(
        name="Product Owner",
        slug="product-owner",
        also_known_as="PO",
        overview="The Product Goal is the PO's to set. The SRO is elsewhere.",
        last_reviewed=dt.date(2026, 11, 26),
    )
    pm = RoleFactory(name="Product Manager", slug="product-manager")
    ba = RoleFactory(name="Business Analyst", slug="business-analyst")
    for role in (po, pm, ba):
        ResponsibilityFactory(role=role, text=f"Orders the backlog for {role.name}.")
        SourceFactory(role=role)
    make_guide(po, others=[pm], n=5)
    m.RelatedRole.objects.create(role=po, related=ba, order=3)
    GlossaryTermFactory(term="Product Goal", slug="product-goal").related_roles.add(po)
    GlossaryTermFactory(term="Senior Responsible Owner", slug="sro", abbreviation="SRO")
    comparison = make_comparison([po, pm], title="Product Owner vs Product Manager")
    comparison.last_reviewed = dt.date(2026, 11, 20)
    comparison.save()
    return live_server


PAGES = [
    "/roles/product-owner/",
    "/roles/product-manager/",
    "/glossary/",
    "/search/",
    "/search/?q=PO",
    "/search/?q=zzqx",
    "/compare/product-manager-vs-product-owner/",
]


def test_new_pages_are_accessible(guides, page, screenshot_dir):
    for path in PAGES:
        response = page.goto(guides.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        # One search landmark per page, /search/ included (axe landmark-unique).
        assert page.get_by_role("search").count() == 1, path
        assert_accessible(page)
        name = path.strip("/").replace("/", "_").replace("?q=", "-") or "home"
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
    assert_no_console_errors(page)


def test_header_search_works_without_javascript(guides, nojs_page):
    nojs_page.goto(guides.url + "/roles/")
    nojs_page.get_by_label("Search roles, terms and comparisons").fill("PO")
    nojs_page.get_by_role("button", name="Search").first.click()
    nojs_page.wait_for_url("**/search/?q=PO")
    first = nojs_page.locator(".search-result h2 a").first
    assert first.inner_text() == "Product Owner"
    first.click()
    assert nojs_page.locator("h1").inner_text() == "Product Owner"


def test_glossary_link_goes_to_the_term(guides, page):
    page.goto(guides.url + "/roles/product-owner/")
    page.locator("a.glossary-term", has_text="Product Goal").click()
    page.wait_for_url("**/glossary/#product-goal")
    assert page.locator("#product-goal").is_visible()


@pytest.mark.parametrize(
    "path", ["/roles/product-owner/", "/search/?q=backlog", "/glossary/"]
)
def test_new_pages_fit_320_pixels(guides, phone_page, path, screenshot_dir):
    phone_page.goto(guides.url + path)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, path
    phone_page.screenshot(
        path=screenshot_dir / f"phone-{path.strip('/').replace('/', '_')}.png",
        full_page=True,
    )


def test_api_docs_page_runs_under_the_strict_csp(guides, page, screenshot_dir):
    """Swagger UI is self-hosted (django-ninja's static files) and runs from
    script files only: the site-wide CSP needs no exception for it."""
    response = page.goto(guides.url + "/api/v1/docs/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock-tag").first.wait_for()
    # The site's header and footer, its link colour, and the licence said once
    # (Swagger UI's information block repeats the OpenAPI description: hidden).
    assert page.locator("header.site-header form[role=search]").is_visible()
    assert page.locator("footer.site-footer").is_visible()
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--bs-link-color-rgb')"
    )
    link = page.locator("main .prose a").first
    assert link.evaluate("a => getComputedStyle(a).color") == f"rgb({accent.strip()})"
    assert page.locator("main").inner_text().count("CC BY 4.0") == 1
    page.screenshot(path=screenshot_dir / "api-docs.png", full_page=True)
    assert_no_console_errors(page)
    assert_accessible(page)


def test_api_docs_fit_320_pixels_with_every_operation_open(
    guides, phone_page, screenshot_dir
):
    """An expanded operation's tables (responses with their codes) wrap to the
    screen: the page never scrolls sideways on a phone."""
    phone_page.emulate_media(color_scheme="dark")
    phone_page.goto(guides.url + "/api/v1/docs/")
    toggles = phone_page.locator(".swagger-ui .opblock-summary-control")
    toggles.first.wait_for()
    for i in range(toggles.count()):
        toggles.nth(i).click()
    phone_page.locator(".swagger-ui .responses-table").last.wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    phone_page.screenshot(path=screenshot_dir / "phone-api-docs-open.png")
    assert width <= 320
    # In the dark scheme too, the explorer's text keeps its contrast.
    assert_accessible(phone_page)
