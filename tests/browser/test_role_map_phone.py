"""The role map on a phone: no sideways scroll, every dot a link to its guide,
and text a person can read (it was a 36rem-wide drawing that scrolled and
whose 15-unit labels would shrink to 8 px if it were simply scaled down)."""

import pytest

from roles.catalogue.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


# Each dot's link, and the drawn size of the text that names it.
PINS = """() => [...document.querySelectorAll('svg[data-role-map] g[data-slug]')]
  .filter(g => g.dataset.slug !== 'you').map(g => {
    const link = g.closest('a');
    const shown = [...g.querySelectorAll('text')].filter(t => getComputedStyle(t).display !== 'none');
    return {
      slug: g.dataset.slug,
      href: link ? link.getAttribute('href') : null,
      name: link ? (link.getAttribute('aria-label') || link.textContent).trim() : '',
      text_px: Math.min(...shown.map(t => t.getBoundingClientRect().height)),
    };
  })"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_role_map_fits_is_legible_and_links_each_dot(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/roles/")
    figure = page.locator(".role-map-figure")
    assert figure.evaluate("f => f.scrollWidth <= f.clientWidth")  # no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    pins = page.evaluate(PINS)
    assert len(pins) == Role.objects.published().count()
    for pin in pins:
        assert pin["href"] == f"/roles/{pin['slug']}/", pin
        assert pin["name"], pin
        assert pin["text_px"] >= 11, pin  # legible: not a scaled-down 8 px label
    if width < 640:  # the numbered dots' key, as links too
        legend = page.locator(".role-map-legend a")
        assert legend.count() == len(pins)
        assert legend.first.is_visible()
    context.close()
