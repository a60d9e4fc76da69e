"""axe-core finds nothing on any page type, in either colour scheme, at a
desktop's, a tablet's and the narrowest phone's (320 px) width, and
with JavaScript off at the widest and the narrowest, with every rule axe has
(not only the WCAG tags: best practices such as landmark-unique, heading-order
and scrollable-region-focusable too). The comparison tables scroll sideways
only between the phone and desktop layouts, so the tablet width is where a
scrollable region that keys cannot reach shows up. At 320 px no page type
scrolls sideways (WCAG 1.4.10, reflow), with scripts on or off."""

import pytest
from django.test import Client

from .sweep import AXE_LOOKS, looks, new_context, run_axe, view, visit
from .test_control_contrast import PAGES
from .test_result_bars import _answers_towards

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def result_path(site):
    response = Client().post("/quiz/all/", _answers_towards("product-owner"))
    assert response.status_code == 302
    return response["Location"]


# No style rule changes between 320 and 375 px (tests/test_design.py checks
# it): the narrowest width stands for both phones. Every pair of scheme, width
# and scripts on/off is looked at (tests/browser/sweep.py).
@pytest.mark.parametrize(("scheme", "shown"), looks(*AXE_LOOKS))
def test_axe_finds_nothing_on_any_page(site, browser, result_path, scheme, shown):
    context = new_context(browser, shown, scheme)
    page = context.new_page()
    found = {}
    for path in [*PAGES, result_path]:
        visit(page, site.url + path, shown)
        results = run_axe(page, shown)
        if results.violations_count:
            found[path] = results.generate_report()
    context.close()
    assert found == {}, "\n\n".join(f"{p}\n{r}" for p, r in found.items())


# What is wider than the viewport, outermost first: the element to fix.
WIDER = """(limit) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > limit + 0.5
    && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5))
  .slice(0, 5)
  .map((el) => el.outerHTML.slice(0, 100))"""


@pytest.mark.parametrize("shown", [view(320), view(320, False)])
def test_no_page_scrolls_sideways_at_320_px(site, browser, result_path, shown):
    context = new_context(browser, shown)
    page = context.new_page()
    wide = {}
    for path in [*PAGES, result_path]:
        visit(page, site.url + path, shown)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > shown.width:
            wide[path] = (width, page.evaluate(WIDER, shown.width))
    context.close()
    assert wide == {}, "\n".join(f"{p}: {w}px {els}" for p, (w, els) in wide.items())
