import re

import pytest

from roles import models as m

from .conftest import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _choose_first(page, fieldset):
    fieldset.locator("input[type=radio]").first.check()


def test_quiz_with_javascript_one_question_at_a_time(site, page):
    page.goto(site.url + "/quiz/")
    total = m.Question.objects.published().count()
    progress = page.locator(".quiz-progress-text")
    assert progress.inner_text() == f"Question 1 of {total}"
    assert page.locator("#quiz-form fieldset:visible").count() == 1
    assert_accessible(page)

    # Next without an answer says so and stays.
    page.get_by_role("button", name="Next").click()
    assert page.get_by_text("Choose an answer to go on").is_visible()
    assert progress.inner_text() == f"Question 1 of {total}"

    first = page.locator("#quiz-form fieldset:visible")
    first.locator("input[type=radio]").nth(1).check()
    page.get_by_role("button", name="Next").click()
    assert progress.inner_text() == f"Question 2 of {total}"

    # Back keeps the answer.
    page.get_by_role("button", name="Back").click()
    assert progress.inner_text() == f"Question 1 of {total}"
    assert (
        page.locator("#quiz-form fieldset:visible input[type=radio]")
        .nth(1)
        .is_checked()
    )
    page.get_by_role("button", name="Next").click()

    # Answer a few with the keyboard only.
    for _ in range(2):
        page.locator("#quiz-form fieldset:visible input[type=radio]").first.focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Next").focus()
        page.keyboard.press("Enter")
    assert progress.inner_text() == f"Question 4 of {total}"

    # A refresh loses nothing.
    page.reload()
    assert progress.inner_text() == f"Question 4 of {total}"
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    assert (
        page.locator("#quiz-form fieldset:visible input[type=radio]")
        .nth(1)
        .is_checked()
    )

    # The browser's Back button goes to the previous question, answers kept.
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.go_back()
    assert progress.inner_text() == f"Question 2 of {total}"
    page.go_forward()

    # Finish.
    while page.get_by_role("button", name="Next").is_visible():
        visible = page.locator("#quiz-form fieldset:visible")
        if not visible.locator("input:checked").count():
            _choose_first(page, visible)
        page.get_by_role("button", name="Next").click()
    _choose_first(page, page.locator("#quiz-form fieldset:visible"))
    assert_accessible(page)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r".*/quiz/results/[0-9a-f-]{36}/$"))
    assert page.locator("h1").inner_text().startswith("Your best match:")
    assert page.locator(".ranking li").count() == m.Role.objects.published().count()
    assert_accessible(page)
    assert_no_console_errors(page)

    # Feedback.
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Thank you").is_visible()
    assert m.Submission.objects.get().fit is True


def test_quiz_without_javascript_is_one_form(site, nojs_page):
    nojs_page.goto(site.url + "/quiz/")
    fieldsets = nojs_page.locator("#quiz-form fieldset")
    total = fieldsets.count()
    assert total == m.Question.objects.published().count()
    assert all(fieldsets.nth(i).is_visible() for i in range(total))
    # Answer all but the last two: the form names what is missing, keeps the rest.
    for i in range(total - 2):
        fieldsets.nth(i).locator("input[type=radio]").first.check()
    nojs_page.get_by_role("button", name="See my result").click()
    assert nojs_page.get_by_text("Please answer 2 more questions").is_visible()
    fieldsets = nojs_page.locator("#quiz-form fieldset")
    assert fieldsets.nth(0).locator("input[type=radio]").first.is_checked()
    for i in (total - 2, total - 1):
        fieldsets.nth(i).locator("input[type=radio]").last.check()
    nojs_page.get_by_role("button", name="See my result").click()
    nojs_page.wait_for_url(re.compile(r".*/quiz/results/[0-9a-f-]{36}/$"))
    assert "% match" in nojs_page.locator(".ranking").inner_text()


def test_quiz_error_page_is_accessible(site, page):
    page.goto(site.url + "/quiz/")
    with page.expect_navigation():
        page.evaluate("document.getElementById('quiz-form').submit()")
    assert page.locator("#error-summary").is_visible()
    assert "more question" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
