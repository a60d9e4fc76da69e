import re

import pytest
from playwright.sync_api import expect

from roles import models as m
from roles.questionnaire.scoring import PERCENT

from .conftest import assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__cls += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def _phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=False)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return context, page


def _in_viewport(locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _current(page):
    return page.locator("#quiz-form fieldset.is-current")


def test_phone_flow_question_and_next_in_view_enter_moves_on_start_over(site, browser):
    context, page = _phone(browser)
    total = m.Question.objects.published().count()
    page.goto(site.url + "/quiz/all/")
    progress = page.locator(".quiz-progress-text")
    assert page.locator("#quiz-form").is_hidden()  # the introduction comes first
    assert_accessible(page)

    page.get_by_role("button", name="Start").click()
    assert progress.inner_text() == f"Question 1 of {total}"
    assert page.locator("#quiz-form fieldset:visible").count() == 1
    assert _in_viewport(_current(page).locator("legend"))
    assert _in_viewport(page.get_by_role("button", name="Next"))
    assert page.locator(".quiz-intro").is_hidden()
    assert_accessible(page)

    # Next without an answer says so and stays.
    page.get_by_role("button", name="Next").click()
    assert page.get_by_text("Choose an answer to go on").is_visible()
    assert_accessible(page)

    # Keyboard only: Space chooses, Enter moves to the next question.
    _current(page).locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    assert progress.inner_text() == f"Question 2 of {total}"
    assert m.Submission.objects.count() == 0  # Enter did not submit the form
    assert _in_viewport(_current(page).locator("legend"))
    assert _in_viewport(page.get_by_role("button", name="Next"))
    # Enter with nothing chosen stays, with the hint.
    _current(page).locator("input[type=radio]").first.focus()
    page.keyboard.press("Enter")
    assert progress.inner_text() == f"Question 2 of {total}"
    _current(page).locator("input[type=radio]").nth(1).check()
    page.keyboard.press("Enter")
    assert progress.inner_text() == f"Question 3 of {total}"

    # Back keeps the answer; a refresh loses nothing, not even the option order.
    page.get_by_role("button", name="Back").click()
    assert _current(page).locator("input[type=radio]").nth(1).is_checked()
    order = (
        _current(page)
        .locator("input[type=radio]")
        .evaluate_all("inputs => inputs.map(i => i.value)")
    )
    page.reload()
    assert progress.inner_text() == f"Question 2 of {total}"
    assert _current(page).locator("input[type=radio]").nth(1).is_checked()
    assert order == _current(page).locator("input[type=radio]").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )

    # Start over clears every answer and the stored state.
    page.get_by_role("button", name="Start over").click()
    assert progress.inner_text() == f"Question 1 of {total}"
    assert page.locator("#quiz-form input:checked").count() == 0
    assert_accessible(page)
    assert page.evaluate("window.sessionStorage.getItem('role-guides-quiz')") in (
        None,
        '{"answers":{},"started":true,"step":0}',
    )

    # Finish, with a click per question.
    while page.get_by_role("button", name="Next").is_visible():
        _current(page).locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Next").click()
    _current(page).locator("input[type=radio]").first.check()
    assert_accessible(page)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r".*/quiz/results/[0-9a-f-]{36}/$"))
    assert page.locator(".result-list li").count() == m.Role.objects.published().count()
    assert page.locator(".result-list a").count() == m.Role.objects.published().count()
    assert page.get_by_role(
        "link", name=re.compile("Compare your top two")
    ).is_visible()
    assert page.get_by_role("button", name="Copy link").is_visible()
    assert_accessible(page)
    page.get_by_text("The role map as a table").click()
    assert_accessible(page)
    assert_no_console_errors(page)

    # Feedback, with the optional current role.
    page.get_by_label("Yes").check()
    page.get_by_label(re.compile("Which role do you do now")).select_option(
        "product-owner"
    )
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you")).to_be_visible()
    submission = m.Submission.objects.get()
    assert (submission.fit, submission.stated_role_slug) == (True, "product-owner")
    assert set(submission.snapshot["option_order"]) == {
        q.key for q in m.Question.objects.published().filter(kind="scenario")
    }

    # Taking it again starts afresh, not at the last question with old answers.
    page.get_by_role("link", name="Take the questionnaire again").click()
    # The Start button is shown by quiz.js once the new page has loaded: wait
    # for it instead of reading its visibility the moment navigation commits.
    # (It leads to the adaptive questionnaire's start page: a fresh flow.)
    page.wait_for_url(re.compile(r".*/quiz/$"))
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    page.get_by_role("button", name="Start now").click()
    expect(page.locator(".quiz-progress-text")).to_contain_text("Question 1 ")
    assert page.locator('input[name="answer"]:checked').count() == 0
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_quiz_has_no_layout_shift(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 667})
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    page.goto(site.url + "/quiz/all/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Start").click()
    _current(page).locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_timeout(300)
    cls = page.evaluate("window.__cls")
    assert cls < 0.05, cls
    context.close()


def test_quiz_without_javascript_is_one_form_with_linked_errors(site, nojs_page):
    nojs_page.goto(site.url + "/quiz/all/")
    fieldsets = nojs_page.locator("#quiz-form fieldset")
    total = fieldsets.count()
    assert total == m.Question.objects.published().count()
    assert all(fieldsets.nth(i).is_visible() for i in range(total))
    assert nojs_page.get_by_role("button", name="Start").is_hidden()
    # Answer all but the last two: the form names what is missing, keeps the rest.
    for i in range(total - 2):
        fieldsets.nth(i).locator("input[type=radio]").first.check()
    nojs_page.get_by_role("button", name="See my result").click()
    summary = nojs_page.locator("#error-summary")
    expect(summary.get_by_text("Please answer 2 more questions")).to_be_visible()
    links = summary.locator("a")
    assert links.count() == 2
    fieldsets = nojs_page.locator("#quiz-form fieldset")
    assert fieldsets.nth(0).locator("input[type=radio]").first.is_checked()
    links.nth(1).click()
    assert nojs_page.url.endswith("#" + fieldsets.nth(total - 1).get_attribute("id"))
    for i in (total - 2, total - 1):
        fieldsets.nth(i).locator("input[type=radio]").last.check()
    nojs_page.get_by_role("button", name="See my result").click()
    nojs_page.wait_for_url(re.compile(r".*/quiz/results/[0-9a-f-]{36}/$"))
    ranked = nojs_page.locator(".result-list").inner_text()
    assert "likely" in ranked
    assert (
        f"100{PERCENT}" not in ranked and "100 %" not in ranked
    )  # never rounded up to certainty
    assert (
        nojs_page.locator("#share-link")
        .input_value()
        .endswith(nojs_page.url.split("://", 1)[1].split("/", 1)[1])
    )
    # axe needs scripts (it never finishes without them): the same pages are
    # checked with scripts on in the other tests.


def test_quiz_error_state_is_accessible_and_links_the_missing_questions(site, page):
    page.goto(site.url + "/quiz/all/")
    with page.expect_navigation():
        page.evaluate("document.getElementById('quiz-form').submit()")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "more question" in summary.inner_text()
    assert_accessible(page)
    # With scripts, a link in the summary opens that question.
    summary.locator("a").nth(2).click()
    assert page.locator(".quiz-progress-text").inner_text().startswith("Question 3 of")
    assert_accessible(page)


def test_two_visitors_one_after_the_other_each_get_their_result(site, browser):
    """Issue 11: the second visitor's form must carry their own CSRF token."""
    urls = []
    for _ in range(2):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(site.url + "/quiz/all/")
        fieldsets = page.locator("#quiz-form fieldset")
        for i in range(fieldsets.count()):
            fieldsets.nth(i).locator("input[type=radio]").first.check()
        page.get_by_role("button", name="See my result").click()
        page.wait_for_url(re.compile(r".*/quiz/results/[0-9a-f-]{36}/$"))
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Thank you")).to_be_visible()
        urls.append(page.url)
        context.close()
    assert len(set(urls)) == 2
    assert m.Submission.objects.filter(fit=False).count() == 2


def test_role_list_map_is_accessible(site, page):
    page.goto(site.url + "/roles/")
    svg = page.locator("svg[data-role-map]")
    assert svg.is_visible()
    assert svg.locator("g[data-slug]").count() == m.Role.objects.published().count()
    assert_accessible(page)
    page.get_by_text("The role map as a table").click()
    assert (
        page.locator("[data-role-map-table] tbody tr").count()
        == svg.locator("g[data-slug]").count()
    )
    assert_accessible(page)


def test_scoring_explanation_is_reachable_from_the_quiz_and_accessible(site, page):
    page.goto(site.url + "/quiz/all/")
    page.get_by_role("link", name="How is this scored?").click()
    page.wait_for_url(re.compile(r".*/quiz/how-scoring-works/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "How is this scored?"
    assert_accessible(page)
    assert_no_console_errors(page)
