"""Every form control can be seen in both colour schemes, at a desktop's and a
phone's width, at 320 px, and with JavaScript off: each visible input,
button and select has a boundary (its border, or its own fill) at least 3:1
against what surrounds it (WCAG 1.4.11, non-text contrast) and its text at
least 4.5:1 against its own background (1.4.3). axe does not test non-text
contrast; the header's search box was once a white border and white text on a
white header, so this measures the computed colours on every page type."""

import pytest
from django.test import Client

from .sweep import CONTRAST_LOOKS, looks, new_context, visit
from .test_result_bars import _answers_towards

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/roles/",
    "/roles/product-manager/",
    "/compare/",
    "/compare/?roles=scrum-master",
    "/compare/product-manager-vs-product-owner/",
    "/compare/business-analyst-vs-product-manager-vs-product-owner-vs-project-manager-vs-scrum-master/",
    "/glossary/",
    "/search/",
    "/search/?q=product",
    # Nothing matched, and the query said back is one 99-letter word: it
    # must wrap at 320 px (it made the page 1,039 px wide).
    "/search/?q=" + "zq" * 49 + "z",
    "/quiz/",
    "/quiz/all/",
    "/api/v1/docs/",
    "/no-such-page/",
    "/quiz/q/no-such-question/",
]

# Runs in the page: the controls, each with its boundary and text contrast.
MEASURE = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The colour painted behind an element: its ancestors' backgrounds, composited.
  const behind = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let colour = parse(getComputedStyle(document.documentElement).colorScheme === "dark" ? "rgb(0,0,0)" : "rgb(255,255,255)");
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const out = [];
  for (const el of document.querySelectorAll("input, button, select, textarea")) {
    if (el.type === "hidden") continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 2 || box.height <= 2 || style.visibility === "hidden" || style.display === "none") continue;
    const around = behind(el.parentElement);
    const fill = over(parse(style.backgroundColor) || {r: 0, g: 0, b: 0, a: 0}, around);
    let boundary = ratio(fill, around);
    for (const side of ["Top", "Right", "Bottom", "Left"]) {
      const border = parse(style["border" + side + "Color"]);
      if (border && parseFloat(style["border" + side + "Width"]) >= 1 && style["border" + side + "Style"] !== "none") {
        boundary = Math.max(boundary, ratio(over(border, around), around));
      }
    }
    const textual = !["checkbox", "radio", "range"].includes(el.type);
    const text = textual ? ratio(over(parse(style.color), fill), fill) : null;
    out.push({
      control: el.outerHTML.slice(0, 120), boundary: Math.round(boundary * 100) / 100,
      text: text === null ? null : Math.round(text * 100) / 100,
    });
  }
  return out;
}"""


@pytest.fixture
def result_path(site):
    response = Client().post("/quiz/all/", _answers_towards("product-manager"))
    assert response.status_code == 302
    return response["Location"]


# No style rule changes between 320 and 375 px (tests/test_design.py checks
# it): the narrowest width stands for both phones. Every pair of scheme, width
# and scripts on/off is looked at (tests/browser/sweep.py).
@pytest.mark.parametrize(("scheme", "shown"), looks(*CONTRAST_LOOKS))
def test_every_control_has_a_visible_boundary_and_readable_text(
    site, browser, result_path, scheme, shown
):
    context = new_context(browser, shown, scheme)
    page = context.new_page()
    failures, measured = [], 0
    for path in [*PAGES, result_path]:
        visit(page, site.url + path, shown)  # scripts' controls
        for control in page.evaluate(MEASURE):
            measured += 1
            if control["boundary"] < 3 or (
                control["text"] is not None and control["text"] < 4.5
            ):
                failures.append((path, control))
    context.close()
    assert measured > len(PAGES)  # the header search alone is two per page
    assert failures == [], "\n".join(map(str, failures))
