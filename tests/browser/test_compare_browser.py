import pytest

from .conftest import assert_accessible, assert_no_console_errors
from .sweep import new_context, run_axe, view, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_picker_without_javascript_lands_on_the_canonical_url(site, nojs_page):
    nojs_page.goto(site.url + "/compare/")
    nojs_page.get_by_label("Scrum Master").check()
    nojs_page.get_by_label("Product Owner").check()
    nojs_page.get_by_role("button", name="Compare").click()
    nojs_page.wait_for_url("**/compare/product-owner-vs-scrum-master/")
    assert nojs_page.locator("h1").inner_text() == "Product Owner vs Scrum Master"


def test_picker_with_one_role_explains_what_is_wrong(site, page):
    page.goto(site.url + "/compare/")
    page.get_by_label("Scrum Master").check()
    page.get_by_role("button", name="Compare").click()
    error = page.locator("#roles-error")
    assert error.is_visible() and "Choose at least two roles" in error.inner_text()
    # Beside the choices it is about, not a screen away from them.
    gap = page.evaluate(
        "document.querySelector('.picker-options').getBoundingClientRect().top"
        " - document.querySelector('#roles-error').getBoundingClientRect().bottom"
    )
    assert 0 <= gap < 50
    assert_accessible(page)


def _make_one_row_the_same():
    """Seeded roles differ on every dimension; make one row identical, so the
    switch has something to hide."""
    from roles.models import Dimension, DimensionValue
    from roles.publishing.signals import bump_content_version

    DimensionValue.objects.filter(
        dimension=Dimension.objects.first(),
        role__slug__in=["product-manager", "product-owner"],
    ).update(value="The same for both")
    bump_content_version()


def test_differences_switch_is_absent_when_every_row_differs(site, page):
    page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    assert page.locator("[data-diff-toggle]").count() == 0


def test_differences_switch_with_javascript_hides_rows_in_place(site, page):
    _make_one_row_the_same()
    page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    rows = page.locator("table.compare-table tbody tr")
    total = rows.count()
    same = page.locator("table.compare-table tbody tr.is-same").count()
    page.get_by_role("button", name="Show differences only").click()
    visible = page.locator("table.compare-table tbody tr:visible").count()
    assert visible == total - same
    assert "diff=1" in page.url
    page.get_by_role("button", name="Show all rows").click()
    assert page.locator("table.compare-table tbody tr:visible").count() == total
    assert_no_console_errors(page)


def test_differences_switch_without_javascript_is_a_link(site, nojs_page):
    _make_one_row_the_same()
    nojs_page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    nojs_page.get_by_role("link", name="Show differences only").click()
    nojs_page.wait_for_url("**diff=1**")
    assert nojs_page.get_by_role("link", name="Show all rows").is_visible()


def _note(page, text):
    return page.locator(".context-note", has_text=text)


def _group_with_choices(page):
    """The first context factor with at least two notes to choose between
    (which factors a comparison covers is up to its content)."""
    groups = page.locator("[id^='ctx-']").filter(
        has=page.locator(".context-choices li:nth-child(2) a")
    )
    assert groups.count() >= 1
    return groups.first


def test_context_switch_with_javascript_shows_the_chosen_note(site, page):
    page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    group = _group_with_choices(page)
    links = group.locator(".context-choices a")
    assert links.count() >= 2
    second_label = links.nth(1).inner_text()
    first_note = group.locator(".context-note").nth(0)
    second_note = group.locator(".context-note").nth(1)
    assert first_note.is_visible() and not second_note.is_visible()
    links.nth(1).click()
    assert second_note.is_visible() and not first_note.is_visible()
    assert second_label in second_note.inner_text()
    assert links.nth(1).get_attribute("aria-current") == "true"
    assert_accessible(page)
    assert_no_console_errors(page)


def test_context_switch_without_javascript_uses_links(site, nojs_page):
    nojs_page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    group_id = _group_with_choices(nojs_page).get_attribute("id")
    factor = group_id.removeprefix("ctx-")
    nojs_page.locator(f"#{group_id} .context-choices a").nth(1).click()
    nojs_page.wait_for_url(f"**context={factor}:1**")
    group = nojs_page.locator(f"#{group_id}")
    assert group.locator(".context-note").nth(1).is_visible()
    assert not group.locator(".context-note").nth(0).is_visible()


def test_comparison_prints_without_navigation(site, page):
    page.goto(site.url + "/compare/product-manager-vs-product-owner/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("table.compare-table").first.is_visible()
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 15 mm margins
    overflow = page.evaluate(
        "document.querySelector('table.compare-table').scrollWidth"
        " - document.querySelector('main').clientWidth"
    )
    assert overflow <= 0
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


@pytest.mark.parametrize("shown", [view(320), view(320, False)])
def test_context_factors_with_one_situation_read_as_notes_at_320_px(
    site, browser, shown
):
    """A factor with one situation is a heading and its note, shown at once
    with or without scripts; only factors with a choice offer one."""
    context = new_context(browser, shown)
    page = context.new_page()
    visit(page, site.url + "/compare/product-manager-vs-product-owner/", shown)
    singles = page.locator(".context-group:not([data-context-group])")
    assert singles.count() >= 1
    for index in range(singles.count()):
        group = singles.nth(index)
        assert group.locator(".context-choices").count() == 0
        assert group.locator(".context-note").is_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    results = run_axe(page, shown)
    assert results.violations_count == 0, results.generate_report()
    context.close()
