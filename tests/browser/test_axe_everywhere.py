"""axe-core finds nothing on any page type, in either colour scheme, at a
desktop's, a tablet's and a phone's width, with every rule axe has (not only
the WCAG tags: best practices such as landmark-unique, heading-order and
scrollable-region-focusable too). The comparison tables scroll sideways only
between the phone and desktop layouts, so the tablet width is where a
scrollable region that keys cannot reach shows up."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from .test_control_contrast import PAGES
from .test_result_bars import _answers_towards

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def result_path(site):
    response = Client().post("/quiz/", _answers_towards("product-owner"))
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("width", [1280, 768, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page(site, browser, result_path, scheme, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    found = {}
    for path in [*PAGES, result_path]:
        page.goto(site.url + path, wait_until="networkidle")
        results = Axe().run(page)
        if results.violations_count:
            found[path] = results.generate_report()
    context.close()
    assert found == {}, "\n\n".join(f"{p}\n{r}" for p, r in found.items())
