"""The API docs' explorer in use, in both colour schemes: an operation open,
"Try it out" pressed and the request sent, so the controls Swagger UI draws
only then (Cancel, Execute, the parameter's field, the response's Download)
are on screen. The page-type sweeps (test_axe_everywhere.py,
test_control_contrast.py) see the docs with every operation closed."""

from itertools import pairwise

import pytest

from .sweep import View, new_context, run_axe, visit
from .test_control_contrast import MEASURE
from .test_design import _luminance, _rgb

pytestmark = pytest.mark.django_db(transaction=True)

# Every heading the explorer shows, with whether it sits inside an operation.
HEADINGS = """() => [...document.querySelectorAll('#swagger-ui :is(h1, h2, h3, h4, h5, h6)')]
  .filter((h) => h.getClientRects().length)
  .map((h) => [Number(h.tagName[1]), h.textContent.trim(), !!h.closest('.opblock')])"""

# What pokes out of the right edge of its operation's box.
OUTSIDE = """() => [...document.querySelectorAll('#swagger-ui .opblock.is-open')]
  .flatMap((op) => [...op.querySelectorAll('button, input, select, pre, code')]
    .filter((el) => el.getClientRects().length
      && el.getBoundingClientRect().right > op.getBoundingClientRect().right + 0.5)
    .map((el) => el.outerHTML.slice(0, 80)))"""


def _try_it_out(page) -> None:
    """Open the one-role operation, press "Try it out", fill in the slug and
    send the request: the explorer's every kind of control is on screen."""
    operation = page.locator(".swagger-ui .opblock", has_text="/api/v1/roles/{slug}/")
    operation.locator(".opblock-summary-control").click()
    operation.locator(".try-out__btn").click()
    field = operation.locator("input[placeholder=slug]")
    field.fill("product-owner")
    # Swagger UI reads the field 300 ms after typing stops, or when it loses
    # focus: Tab, as a keyboard user would, before Execute.
    field.press("Tab")
    operation.locator(".btn.execute").click()
    operation.locator(".live-responses-table .response-col_status").first.wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 320])
def test_the_explorer_in_use_passes_axe_in_both_schemes(site, browser, scheme, width):
    shown = View(width, True)
    context = new_context(browser, shown, scheme)
    page = context.new_page()
    visit(page, site.url + "/api/v1/docs/", shown)
    _try_it_out(page)

    # Every rule axe has (heading-order and the other best practices too).
    results = run_axe(page, shown)
    assert results.violations_count == 0, results.generate_report()

    # Every control: a boundary of 3:1 and text of 4.5:1 (axe measures text only).
    weak = [
        c
        for c in page.evaluate(MEASURE)
        if c["boundary"] < 3 or (c["text"] is not None and c["text"] < 4.5)
    ]
    assert weak == []

    # Nothing scrolls sideways (WCAG 1.4.10), the curl command and the
    # controls stay inside their operation's box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    outside = page.evaluate(OUTSIDE)
    assert outside == [], outside

    # The explorer wears the page's scheme: dark in the dark one.
    panel = page.locator("#swagger-ui").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert (_luminance(_rgb(panel)) < 0.2) == (scheme == "dark"), panel

    # Its sections are subsections of "Endpoints" (h2): each outside an
    # operation an h3, and no heading deeper than the one before it plus one.
    headings = page.evaluate(HEADINGS)
    assert {level for level, _, inside in headings if not inside} == {3}, headings
    levels = [2] + [level for level, _, _ in headings]
    assert all(b <= a + 1 for a, b in pairwise(levels)), headings
    context.close()
