"""The result's "Does this result fit you?" answers are controls a person can
read and hit: each answer a target at least 44 px high and the text at the
page's reading size, at a desktop's and a phone's width (they were 1 em
native radios with 17 px labels beside them)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _take_the_questionnaire(page, url: str) -> None:
    page.goto(url + "/quiz/all/")
    # Without scripts every question is on the page: pick each one's first answer.
    page.evaluate(
        """() => document.querySelectorAll('#quiz-form fieldset').forEach(f => {
             const radio = f.querySelector('input[type=radio]');
             if (radio) radio.checked = true;
           })"""
    )
    page.locator("#quiz-form [type=submit]").last.click()
    page.wait_for_url("**/quiz/results/**")


@pytest.mark.parametrize("width", [1280, 375])
def test_feedback_answers_are_large_readable_targets(site, browser, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    _take_the_questionnaire(page, site.url)
    answers = page.locator("#feedback-form input[type=radio]")
    assert answers.count() == 2
    for n in range(2):
        radio = answers.nth(n)
        label = page.locator(f"label[for='{radio.get_attribute('id')}']")
        target = label.bounding_box()
        assert target["height"] >= 44 and target["width"] >= 88, target
        size = float(label.evaluate("l => getComputedStyle(l).fontSize")[:-2])
        assert size >= 16, size
        # The whole target answers: a click on the label's far edge checks it.
        label.click(position={"x": target["width"] - 4, "y": target["height"] / 2})
        assert radio.is_checked()
    context.close()
