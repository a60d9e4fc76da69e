"""The role map on a phone: no sideways scroll, every dot a link to its guide,
and text a person can read (it was a 36rem-wide drawing that scrolled and
whose 15-unit labels would shrink to 8 px if it were simply scaled down)."""

import itertools

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


# What a result's map draws: the axis labels, "You" and the roles' visible text.
DRAWN = """() => {
  const svg = document.querySelector('svg[data-role-map]');
  const shown = el => getComputedStyle(el).display !== 'none';
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const you = svg.querySelector('g[data-slug="you"]');
  const pins = [...svg.querySelectorAll('g[data-slug]')].filter(g => g !== you);
  const label = you.querySelector('.map-you-label');
  const key = document.querySelector('.role-map-you-key');
  return {
    axes: [...svg.querySelectorAll('.map-axis-label')].filter(shown).map(t => [t.textContent, box(t)]),
    you_under_roles: pins.every(g => you.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING),
    you_label: shown(label) ? box(label) : null,
    role_texts: pins.flatMap(g => [...g.querySelectorAll('text')].filter(shown).map(t => [t.textContent, box(t)])),
    key_shown: !!key && key.getBoundingClientRect().height > 0,
    you_disc: [...you.querySelectorAll('circle')].filter(shown).map(c => {
      const r = c.getBoundingClientRect();
      return [(r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width / 2];
    })[0],
    discs: pins.flatMap(g => [...g.querySelectorAll('circle')].filter(shown).map(c => {
      const r = c.getBoundingClientRect();
      return [g.dataset.slug, (r.left + r.right) / 2, (r.top + r.bottom) / 2, r.width / 2];
    })),
  };
}"""


def _overlap(a, b, slack=1.0) -> bool:
    return (
        min(a[2], b[2]) - max(a[0], b[0]) > slack
        and min(a[3], b[3]) - max(a[1], b[1]) > slack
    )


def test_on_every_roles_result_the_maps_words_do_not_overlap_and_you_hides_no_role(
    site, browser
):
    """The result page's map, for a respondent answering as each role would:
    the axis labels never run into each other (on a phone the vertical one
    had "Team and delivery" over "Market and product"), "You" is drawn under
    the roles so it never hides a name or a number, its label (wide screens)
    covers no role's text, and on a phone, where the dots carry numbers, a
    key says which disc is you, and no numbered disc lies on another or under
    "you"."""
    from django.test import Client

    from roles.questionnaire import scoring
    from roles.questionnaire.selectors import published_questionnaire

    questionnaire = published_questionnaire()
    client = Client()
    results = []
    for role in questionnaire.role_slugs:
        answers = scoring.ideal_answers(questionnaire.questions, role)
        data = {f"q-{key}": str(value) for key, value in answers.items()}
        response = client.post("/quiz/all/", data)
        assert response.status_code == 302, role
        results.append((role, response["Location"]))
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for role, url in results:
            page.goto(site.url + url)
            drawn = page.evaluate(DRAWN)
            where = (role, width)
            assert len(drawn["axes"]) == 4, where
            for (text_a, a), (text_b, b) in itertools.combinations(drawn["axes"], 2):
                assert not _overlap(a, b), (where, text_a, text_b)
            assert drawn["you_under_roles"], where
            if width < 640:
                assert drawn["key_shown"] and drawn["you_label"] is None, where
                # Every numbered disc readable: none lies on another.
                for a, b in itertools.combinations(drawn["discs"], 2):
                    apart = ((a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2) ** 0.5
                    assert apart >= a[3] + b[3] - 0.5, (where, a[0], b[0])
                # Nor does "you"'s larger disc lie on one (it hid numbers).
                x, y, r = drawn["you_disc"]
                for slug, dx, dy, dr in drawn["discs"]:
                    apart = ((x - dx) ** 2 + (y - dy) ** 2) ** 0.5
                    assert apart >= r + dr - 0.5, (where, slug)
            else:
                assert drawn["you_label"] and not drawn["key_shown"], where
                for text, box in drawn["role_texts"]:
                    assert not _overlap(drawn["you_label"], box), (where, text)
        context.close()


NUMBERS = """() => [...document.querySelectorAll('svg[data-role-map] g[data-slug]')]
  .filter(g => g.dataset.slug !== 'you').map(g => {
    const num = g.querySelector('.map-role-num');
    const disc = g.querySelector('circle.map-narrow');
    return [num.textContent, num.getBBox().width, 2 * disc.r.baseVal.value];
  })"""


def test_on_a_phone_every_number_sits_inside_its_disc(site, browser):
    """Two-digit numbers (10 to 16) were as wide as their disc: the digits
    touched or crossed its edge."""
    context = browser.new_context(viewport={"width": 320, "height": 900})
    page = context.new_page()
    page.goto(site.url + "/roles/")
    numbers = page.evaluate(NUMBERS)
    assert len(numbers) >= 10
    for text, width, diameter in numbers:
        assert width <= diameter - 8, (text, width, diameter)
    context.close()
