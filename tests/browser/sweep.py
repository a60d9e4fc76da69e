"""The ways a page-type sweep looks at the site: a width, with scripts on or
off. The axe, control-contrast and width sweeps parametrise over these, one
test per view (and scheme), so pytest-xdist spreads them over the workers."""

from __future__ import annotations

from typing import NamedTuple

import pytest


class View(NamedTuple):
    width: int
    javascript: bool

    @property
    def wait_until(self) -> str:
        # Without scripts nothing loads after "load"; with them, the scripts'
        # controls and the API docs' fetches are in place at network idle.
        return "networkidle" if self.javascript else "load"


def view(width: int, javascript: bool = True) -> object:
    return pytest.param(
        View(width, javascript), id=f"{width}{'' if javascript else '-nojs'}"
    )


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

    if not view.javascript:
        page.evaluate(_TIMERS_AS_MICROTASKS)
    if options is None:
        return Axe().run(page)
    return Axe().run(page, options=options)
