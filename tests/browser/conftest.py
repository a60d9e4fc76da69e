"""Browser tests: Playwright (Python) driving Debian's Chromium against a live
server. Skipped, with the reason printed, where Chromium is not installed;
.ci/run installs it, so they always run in CI."""

import os
from pathlib import Path

import pytest

# Debian's headless shell (package chromium-headless-shell) where it is
# installed: the same Chromium build and Blink engine without the desktop
# browser around it - what Playwright itself runs for headless tests - and
# half the CPU per page of the full browser, which is most of this CPU-bound
# suite's time. Else Debian's full Chromium; CHROMIUM_PATH names another.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (path for path in CHROMIUM_CANDIDATES if os.path.exists(path)),
    CHROMIUM_CANDIDATES[-1],
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# What every axe run of the suite asks for: the WCAG 2.0-2.2 A and AA rules,
# and only the violations' details (axe still runs every check on every
# element; it just stops describing each element that passed, which took
# about half of a run on a long admin form, and the suite reads violations
# only: https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#options-parameter).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}

# Playwright's sync API runs an event loop in this thread; the live server's
# database access from the test itself is synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y "
            "chromium-headless-shell` (.ci/run does) to run the browser tests."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, seeded):
    """The live server, with the seed content (loaded once: tests/conftest.py)."""
    return live_server


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where a test saves screenshots for a person to look at: $SCREENSHOT_DIR
    if set, else the test's own temporary folder (never a path that another
    test, xdist worker or checkout writes too)."""
    chosen = os.environ.get("SCREENSHOT_DIR")
    out = Path(chosen) if chosen else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def _page(browser, javascript: bool, width: int = 1280, height: int = 900):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser):
    context, page = _page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, javascript=True, width=320)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.0–2.2 A and AA rules) finds no violation. axe runs with
    scripts on even for no-JS pages: it inspects the page, it does not change it."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    # The page as readers see it: after a click, Playwright returns once the
    # next page has committed, and its stylesheet may still be loading (CI saw
    # every link measured 17 px high by axe's target-size rule). "load" waits
    # for the stylesheet and for the deferred scripts.
    page.wait_for_load_state("load")
    # A draft preview runs axe itself (static/js/preview-check.js); one axe
    # run at a time per page, so wait for the page's own to finish.
    # A locator, not page.wait_for_function: a string predicate is evaluated
    # with eval(), which the site's CSP (no 'unsafe-eval') refuses in Chromium.
    expect(page.locator(".preview-checks[data-axe=running]")).to_have_count(0)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def assert_no_console_errors(page) -> None:
    assert page.console_errors == [], page.console_errors
