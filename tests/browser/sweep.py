"""The ways a page-type sweep looks at the site: a colour scheme, a width, with
scripts on or off. The axe, control-contrast and width sweeps parametrise over
these, one test per view, so pytest-xdist spreads them over the workers.

A sweep does not look at every combination of the three: it looks at every
*pair* (``covering``): each scheme at each width, each scheme with scripts on
and off, each width with scripts on and off. The scheme changes colours, the
width the layout and scripts the page's controls; a fault that needs all
three at once would need a style rule that depends on all three. Six looks
instead of ten for axe, four instead of eight for the controls' contrast:
the suite is CPU-bound, and each look is some 16 page loads and axe runs.
tests/browser/test_sweep.py checks that each sweep covers every pair."""

from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import pytest


class View(NamedTuple):
    width: int
    javascript: bool


def view(width: int, javascript: bool = True) -> object:
    return pytest.param(
        View(width, javascript), id=f"{width}{'' if javascript else '-nojs'}"
    )


Look = tuple[str, int, bool]  # colour scheme, width, scripts on


def looks(*chosen: Look) -> list:
    """Parameters ("scheme", "shown") for a sweep's looks."""
    return [
        pytest.param(
            scheme, View(width, js), id=f"{scheme}-{width}{'' if js else '-nojs'}"
        )
        for scheme, width, js in chosen
    ]


def pairs(chosen: list[Look]) -> set[tuple]:
    """Every pair of factor values the looks show together."""
    return {
        ((i, look[i]), (j, look[j]))
        for look in chosen
        for i, j in combinations(range(3), 2)
    }


def covering(all_looks: list[Look], chosen: list[Look]) -> bool:
    """Whether ``chosen`` shows every pair that ``all_looks`` (the full
    combination of the factors) shows."""
    return pairs(all_looks) <= pairs(chosen)


# Axe: both schemes at a desktop's, a tablet's (where the comparison tables
# scroll sideways) and the narrowest phone's width; scripts off at the
# desktop's and the phone's widths.
AXE_ALL: list[Look] = [
    (scheme, width, js)
    for scheme in ("light", "dark")
    for width, js in (
        (1280, True),
        (768, True),
        (320, True),
        (1280, False),
        (320, False),
    )
]
AXE_LOOKS: list[Look] = [
    ("light", 1280, True),
    ("dark", 1280, False),
    ("light", 320, False),
    ("dark", 320, True),
    ("light", 768, True),
    ("dark", 768, True),
]
# The controls' boundaries and text: both schemes at the desktop's and the
# phone's widths, scripts on and off.
CONTRAST_ALL: list[Look] = [
    (scheme, width, js)
    for scheme in ("light", "dark")
    for width in (1280, 320)
    for js in (True, False)
]
CONTRAST_LOOKS: list[Look] = [
    ("light", 1280, True),
    ("dark", 1280, False),
    ("light", 320, False),
    ("dark", 320, True),
]


# A page whose script fetches after "load" and draws what it fetched: the
# element that shows the drawing is done. Every other page's scripts are
# deferred, so they have run (and drawn their controls) by "load"; waiting for
# network idle instead would add half a second of quiet to every page.
DRAWN_AFTER_LOAD = {"#swagger-ui": "#swagger-ui .opblock-tag"}


def visit(page, url: str, view: View):
    """Open url and return once the page is as a visitor sees it."""
    response = page.goto(url, wait_until="load")
    if view.javascript:
        for container, drawn in DRAWN_AFTER_LOAD.items():
            if page.locator(container).count():
                page.locator(drawn).first.wait_for()
    return response


def new_context(browser, view: View, scheme: str = "light"):
    return browser.new_context(
        viewport={"width": view.width, "height": 900},
        color_scheme=scheme,
        java_script_enabled=view.javascript,
    )


# With scripts off Chromium runs no timer, so axe.run (which defers its work
# with setTimeout) would never finish: while axe runs, a timer runs its
# callback as a microtask. Only axe's own code is affected: the page's scripts
# never ran, so the page is exactly what a visitor without JavaScript gets.
_TIMERS_AS_MICROTASKS = """() => {
  window.setTimeout = (callback, _ms, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""


def run_axe(page, view: View, options: dict | None = None):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")  # styled, as conftest.assert_accessible
    if not view.javascript:
        page.evaluate(_TIMERS_AS_MICROTASKS)
    if options is None:
        return Axe().run(page)
    return Axe().run(page, options=options)
