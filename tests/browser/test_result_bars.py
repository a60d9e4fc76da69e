"""The quiz result's match bars as drawn: each bar's filled width, measured in
the pixels Chromium paints, agrees with the match it stands for, at a desktop's
and a phone's width (the bars were once empty outlines: their width classes
had been purged from the stylesheet). Also the result's share card."""

import io
import os
import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from roles.questionnaire.scoring import PERCENT
from roles.questionnaire.selectors import published_questionnaire

from .conftest import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _answers_towards(role: str) -> dict[str, str]:
    answers = {}
    for q in published_questionnaire().questions:
        if q.options:
            best = max(
                range(len(q.options)), key=lambda i: q.options[i].points.get(role, 0)
            )
            answers[f"q-{q.key}"] = str(best)
        else:
            answers[f"q-{q.key}"] = "2" if q.weights.get(role, 0) > 0 else "-2"
    return answers


@pytest.fixture
def result_path(site):
    response = Client().post("/quiz/all/", _answers_towards("product-manager"))
    assert response.status_code == 302
    return response["Location"]


def _rgb(css: str) -> tuple[int, int, int]:
    css = css.strip()
    if css.startswith("#"):
        return tuple(int(css[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(n)) for n in re.findall(r"[\d.]+", css)[:3])


def _filled_pixels(png: bytes, colour: tuple[int, int, int]) -> tuple[int, int]:
    """Pixels of the fill colour along the bar's middle row, and the row's width."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    y = image.height // 2
    filled = sum(
        1
        for x in range(image.width)
        if sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), colour, strict=True))
        < 60
    )
    return filled, image.width


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 320])
def test_each_bar_is_drawn_as_wide_as_its_match(
    site, browser, result_path, width, scheme, tmp_path
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.goto(site.url + result_path)
    accent = _rgb(
        page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--rg-accent')"
        )
    )
    bars = page.locator(".result-list .result-bar")
    rows = page.locator(".result-list li")
    assert bars.count() == rows.count() > 1
    values = []
    for n in range(bars.count()):
        bar = bars.nth(n)
        value = float(bar.get_attribute("value")) * 100  # the posterior, percent
        match = rows.nth(n).locator(".result-match")
        shown = match.inner_text().split("\n")[0]
        # The bar is the number: the label is the value, honestly rounded.
        if shown == f"over 99{PERCENT}":
            assert value > 99, (shown, value)
        elif shown == f"under 1{PERCENT}":
            assert value < 1, (shown, value)
        else:
            number = float(shown.removesuffix(PERCENT))
            assert abs(number - value) <= 0.5, (shown, value)
        box = bar.bounding_box()
        assert box["width"] > 0.5 * width - 80, box  # a real bar, not a dot
        assert box["height"] >= 8, box
        filled, total = _filled_pixels(bar.screenshot(), accent)
        # Rounded ends and anti-aliasing: within 3 px of the exact width.
        assert abs(filled - total * value / 100) <= 3, (n, value, filled, total)
        values.append(value)
    assert max(values) > min(values)  # a ranking that shows differences
    assert_accessible(page)
    assert_no_console_errors(page)
    # For a person to look at: $SCREENSHOT_DIR, else this test's own folder.
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    shot = out / f"quiz-result-{width}-{scheme}.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")
    context.close()


def test_the_share_card_is_linked_and_served(site, page, result_path):
    page.goto(site.url + result_path)
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card.endswith(result_path + "card.png"), card
    response = page.request.get(site.url + result_path + "card.png")
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.body()))
    assert (image.format, image.size) == ("PNG", (1200, 630))
