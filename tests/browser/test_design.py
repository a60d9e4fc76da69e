"""The finished look, checked in the browser: every page type at a phone's and
a desktop's width in both colour schemes (screenshots written for a person to
look at with $SCREENSHOT_DIR, never compared as golden files), the compact
five-role comparison, one focus ring, visible control borders, the CSS budget,
no web fonts and no layout shift."""

import os
import re
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db(transaction=True)

FIVE = "/compare/delivery-manager-vs-engineering-manager-vs-product-designer-vs-program-manager-vs-scrum-master/"
PAGE_TYPES = {
    "home": "/",
    "role-list": "/roles/",
    "role": "/roles/product-owner/",
    "compare-index": "/compare/",
    "picker-error": "/compare/?roles=scrum-master",
    "compare-2": "/compare/product-manager-vs-product-owner/",
    "compare-3": "/compare/business-analyst-vs-product-owner-vs-scrum-master/",
    "compare-5": FIVE,
    "quiz": "/quiz/all/",
    "not-found": "/roles/nope/",
}
# A page type that answers other than 200: a bad choice of roles, no page.
STATUS = {"picker-error": 400, "not-found": 404}
CSS_BUDGET_BROTLI = 12 * 1024


def _context(browser, scheme: str, width: int):
    return browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(n) for n in re.findall(r"[\d.]+", css)[:3])


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_in_both_schemes_at_phone_and_desktop_widths(
    site, browser, scheme
):
    """Every page type opens in the scheme asked for, at a phone's and a
    desktop's width. With $SCREENSHOT_DIR set, a full-page screenshot of each
    is written there for a person to look at (never compared as golden
    files); without it none is taken - they cost a third of this test's time
    and nobody opens a CI run's temporary folder. axe looks at every page
    type in both schemes in tests/browser/test_axe_everywhere.py."""
    out = os.environ.get("SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context = _context(browser, scheme, width)
        page = context.new_page()
        for name, path in PAGE_TYPES.items():
            response = page.goto(site.url + path)
            assert response.status == STATUS.get(name, 200), path
            assert page.evaluate(
                "matchMedia('(prefers-color-scheme: dark)').matches"
            ) == (scheme == "dark")
            background = page.evaluate(
                "getComputedStyle(document.body).backgroundColor"
            )
            # The dark scheme's page is dark, the light one's light.
            assert (_luminance(_rgb(background)) < 0.2) == (scheme == "dark"), (
                path,
                background,
            )
            if out:
                page.screenshot(
                    path=Path(out) / f"{name}-{width}-{scheme}.png", full_page=True
                )
        context.close()
    print(
        f"screenshots in {out}"
        if out
        else "no screenshots: set SCREENSHOT_DIR to a folder to get them"
    )


def test_five_role_comparison_fits_a_desktop_and_is_cards_on_a_phone(site, browser):
    context = _context(browser, "light", 1280)
    page = context.new_page()
    page.goto(site.url + FIVE)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    # The header row stays in view while the table scrolls past.
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.compare-table thead th')).position"
        )
        == "sticky"
    )
    context.close()
    context = _context(browser, "light", 375)
    page = context.new_page()
    page.goto(site.url + FIVE)
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.compare-table tbody tr')).display"
        )
        == "block"
    )
    # Empty cells take no room on a phone.
    assert page.locator(".theme-table td.is-empty").first.is_hidden()
    assert (
        page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
    )
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_one_focus_ring_and_visible_control_borders(site, browser, scheme):
    context = _context(browser, scheme, 1280)
    page = context.new_page()
    page.goto(site.url + "/compare/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    rings = set()
    for selector in (
        "a.site-brand",
        ".site-nav-links a",
        "input[type=checkbox]",
        "button[type=submit]",
    ):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; })()"
        )
        assert style[0] == "solid" and float(style[1][:-2]) >= 3, (selector, style)
        assert contrast(style[2], background) >= 3, (selector, style)
        rings.add(tuple(style))
    assert len(rings) == 1, rings  # the same ring everywhere
    border = page.evaluate(
        "getComputedStyle(document.querySelector('input[type=checkbox]')).borderTopColor"
    )
    assert contrast(border, background) >= 3, border
    page.locator("input[type=checkbox]").first.check()
    tick = page.evaluate(
        "getComputedStyle(document.querySelector('input[type=checkbox]:checked')).backgroundImage"
    )
    assert "url(" in tick, tick  # a checked box shows its tick in both schemes
    page.goto(site.url + "/quiz/all/")
    border = page.evaluate(
        "getComputedStyle(document.querySelector('#quiz-form .option-card'))"
        ".borderTopColor"
    )
    assert contrast(border, background) >= 3, border
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_css_budget_no_web_fonts_and_no_layout_shift(site, browser, width):
    context = _context(browser, "light", width)
    page = context.new_page()
    page.add_init_script(
        "window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});"
    )
    for name, path in PAGE_TYPES.items():
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        hrefs = page.evaluate(
            "[...document.querySelectorAll('link[rel=stylesheet]')].filter(l => l.media !== 'print').map(l => new URL(l.href).pathname)"
        )
        total = 0
        for href in hrefs:
            found = finders.find(href.removeprefix("/static/"))
            assert found, href
            total += len(brotli.compress(Path(found).read_bytes()))
        assert total <= CSS_BUDGET_BROTLI, (name, total)
        fonts = page.evaluate(
            "performance.getEntriesByType('resource').filter(r => /\\.(woff2?|ttf|otf)(\\?|$)/.test(r.name)).length"
        )
        assert fonts == 0, name
        page.wait_for_timeout(200)
        assert page.evaluate("window.__cls") < 0.02, name
    context.close()


def test_prose_lines_stay_under_75_characters(site, browser):
    """The measure: no paragraph of a guide or a comparison is wider than 75
    of its own font's average characters (the width of 75 "0"s)."""
    context = _context(browser, "light", 1280)
    page = context.new_page()
    for path in ("/roles/product-owner/", "/compare/product-manager-vs-product-owner/"):
        page.goto(site.url + path)
        widest = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll('main p, main li')]
                .filter(el => el.getClientRects().length && !el.closest('table, nav, .card-grid, .family-grid'))
                .map(el => {
                    const probe = document.createElement('span');
                    probe.textContent = '0'.repeat(75);
                    probe.style.position = 'absolute';  // its own width, even in a flex box
                    el.appendChild(probe);
                    const limit = probe.getBoundingClientRect().width;
                    probe.remove();
                    return el.getBoundingClientRect().width / limit;
                }))"""
        )
        assert widest <= 1.0, (path, widest)
    context.close()
