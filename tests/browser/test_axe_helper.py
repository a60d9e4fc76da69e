"""The browser tests' accessibility check itself: it must judge the page as a
reader gets it, not a page whose stylesheet is still on its way."""

import pytest

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
CSS_DELAY_MS = 3000


def test_axe_waits_for_a_slow_stylesheet_before_checking(site, page):
    """CI once ran axe on a draft preview straight after the click that opened
    it: the stylesheet had not arrived, every link was 17 px high, and the
    target-size rule failed a page that is fine once styled."""

    def slow_stylesheet(route):
        page.wait_for_timeout(CSS_DELAY_MS)  # yields: the test goes on meanwhile
        route.continue_()

    page.goto(site.url + "/roles/product-owner/")
    page.route("**/*.css", slow_stylesheet)
    # Leave the way a click does: back as soon as the next page has committed.
    page.goto(site.url + "/compare/", wait_until="commit")
    assert_accessible(page)
    # The stylesheet did apply: a styled page, not an unstyled one that passed.
    display = page.evaluate(
        "getComputedStyle(document.querySelector('.site-brand')).display"
    )
    assert display != "inline", "the stylesheet never applied"
