import pytest

from .conftest import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/roles/",
    "/roles/product-owner/",
    "/roles/product-manager/",
    "/compare/",
    "/compare/product-manager-vs-product-owner/",
    "/compare/product-manager-vs-product-owner/?diff=1",
    "/compare/business-analyst-vs-product-owner-vs-scrum-master/",
    "/compare/delivery-manager-vs-engineering-manager-vs-product-designer-vs-program-manager-vs-scrum-master/",
    "/quiz/",
]


def test_every_public_page_is_accessible_and_error_free(site, page):
    for path in PAGES:
        response = page.goto(site.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    assert_no_console_errors(page)


def test_error_pages_are_accessible(site, page):
    for path, status in [
        ("/roles/nope/", 404),
        ("/compare/product-owner-vs-product-owner/", 400),
    ]:
        response = page.goto(site.url + path)
        assert response.status == status
        assert_accessible(page)


def test_pages_are_readable_at_320_pixels_without_sideways_scrolling(site, phone_page):
    for path in PAGES:
        phone_page.goto(site.url + path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)


def test_skip_link_moves_focus_to_the_main_content(site, page):
    page.goto(site.url + "/roles/product-owner/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_pages_are_complete_without_javascript(site, nojs_page):
    nojs_page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    assert nojs_page.get_by_role(
        "heading", name="The difference at a glance"
    ).is_visible()
    assert nojs_page.locator("table.compare-table tbody tr").count() >= 10


def test_every_role_guide_and_curated_comparison_is_accessible(site, page):
    from roles.models import Comparison, Role

    urls = [r.get_absolute_url() for r in Role.objects.published()]
    urls += [c.get_absolute_url() for c in Comparison.objects.published()]
    assert len(urls) >= 18
    for path in urls:
        assert page.goto(site.url + path).status == 200, path
        assert_accessible(page)
