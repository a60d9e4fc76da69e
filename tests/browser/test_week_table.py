"""A typical week's column headers are words, never broken inside: "Hours"
once wrapped as "Hour/s" (the table lets long words in its cells wrap
anywhere, and its hours column was narrower than the word)."""

import pytest

from roles.catalogue.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

# Each header's words, and how many lines each is drawn on.
HEADERS = """() => [...document.querySelectorAll('.week-table thead th')].map(th => {
  const range = document.createRange();
  return th.textContent.trim().split(/\\s+/).map(word => {
    const node = [...th.childNodes].find(n => n.textContent.includes(word));
    const start = node.textContent.indexOf(word);
    range.setStart(node.firstChild || node, start);
    range.setEnd(node.firstChild || node, start + word.length);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [word, lines.size];
  });
}).flat()"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_week_table_headers_are_never_broken_inside_a_word(site, browser, width):
    slugs = [r.slug for r in Role.objects.published() if r.typical_week.exists()]
    assert slugs, "no seeded guide has a typical week"
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for slug in slugs:
        page.goto(f"{site.url}/roles/{slug}/")
        words = page.evaluate(HEADERS)
        assert ["Hours", 1] in words, (slug, words)
        assert all(lines == 1 for _, lines in words), (slug, words)
    context.close()


# Each activity's words (the row headers), and how many lines each is on: a
# word may break at its hyphen ("re-/planning"), never inside a part.
ROW_WORDS = HEADERS.replace(".week-table thead th", ".week-table tbody th").replace(
    "split(/\\s+/)", "split(/[\\s-]+/)"
)


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_no_activity_is_broken_inside_a_word(site, browser, width):
    """At 320 px the three columns left the activity 98 px: "Stakeho/lder
    conver/sations". On a phone each activity is a row of its own, its hours
    beside it and what it involves below, as a table still to assistive
    technology."""
    from .conftest import assert_accessible

    slugs = [r.slug for r in Role.objects.published() if r.typical_week.exists()]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for slug in slugs:
        page.goto(f"{site.url}/roles/{slug}/")
        words = page.evaluate(ROW_WORDS)
        assert words and all(lines == 1 for _, lines in words), (slug, words)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Still a table of rows and cells, with its column headers.
        table = page.get_by_role("table", name="Typical week")
        assert table.get_by_role("columnheader").count() == 3, slug
        assert table.get_by_role("rowheader").count() >= 4, slug
    assert_accessible(page)
    context.close()
