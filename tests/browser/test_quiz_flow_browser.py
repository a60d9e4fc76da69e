"""The adaptive questionnaire, one question per page, in real Chromium: three
visitors at once (scripts off, keyboard only, a phone), each reaching a
result; axe on the start, step and result pages; Start and the first question
in the first screen of small phones."""

import re

import pytest
from playwright.sync_api import expect

from roles import models as m
from roles.questionnaire import scoring
from roles.questionnaire.selectors import published_questionnaire

from .conftest import _page, assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.django_db(transaction=True)

RESULT = re.compile(r"/quiz/results/[0-9a-f-]+/$")


def _context(browser, *, javascript=True, width=1280, height=900):
    return _page(browser, javascript, width, height)


def _in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= height


def _key(page) -> str:
    return page.url.rstrip("/").rsplit("/", 1)[-1]


class Visitor:
    """One person taking the questionnaire, one step at a time."""

    def __init__(self, name, page, answers=None, keyboard=False):
        self.name = name
        self.page = page
        self.answers = answers
        self.keyboard = keyboard
        self.steps = 0

    @property
    def done(self) -> bool:
        return bool(RESULT.search(self.page.url))

    def start(self, url):
        self.page.goto(url + "/quiz/")
        start = self.page.get_by_role("button", name="Start now")
        expect(start).to_be_visible()
        if self.keyboard:
            start.focus()
            self.page.keyboard.press("Enter")
        else:
            start.click()
        expect(self.page.locator(".quiz-step-heading")).to_be_visible()

    def step(self):
        page = self.page
        self.steps += 1
        number = page.locator(".quiz-progress-text")
        expect(number).to_contain_text(f"Question {self.steps}")
        before = page.url
        if self.keyboard:
            # Tab to the question's options, choose with Space, send with Enter.
            for _ in range(60):
                if page.evaluate(
                    "document.activeElement && document.activeElement.name === 'answer'"
                ):
                    break
                page.keyboard.press("Tab")
            else:
                raise AssertionError("Tab never reached the options")
            page.keyboard.press("Space")
            page.keyboard.press("Enter")
        else:
            value = self.answers[_key(page)]
            page.locator(f'label:has(input[name="answer"][value="{value}"])').click()
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: url != before, wait_until="commit")


def test_three_visitors_at_once_each_reach_their_result(site, browser, screenshot_dir):
    questionnaire = published_questionnaire()
    ideal = {
        role: scoring.ideal_answers(questionnaire.questions, role)
        for role in ("scrum-master", "product-manager")
    }
    contexts = []
    try:
        nojs_ctx, nojs = _context(browser, javascript=False)
        keys_ctx, keys = _context(browser)
        phone_ctx, phone = _context(browser, width=375, height=667)
        contexts = [nojs_ctx, keys_ctx, phone_ctx]
        visitors = [
            Visitor("no-js", nojs, ideal["scrum-master"]),
            Visitor("keyboard", keys, keyboard=True),
            Visitor("phone", phone, ideal["product-manager"]),
        ]
        for visitor in visitors:
            visitor.start(site.url)
        assert_accessible(phone)  # a step page, on a phone
        phone.screenshot(path=str(screenshot_dir / "flow-step-375.png"))
        # Taking turns, a step each, until all three are done.
        for _ in range(60):
            active = [v for v in visitors if not v.done]
            if not active:
                break
            for visitor in active:
                visitor.step()
        assert all(v.done for v in visitors), [(v.name, v.page.url) for v in visitors]
        assert m.Submission.objects.count() == 3
        total = len(questionnaire.questions)
        for visitor in visitors:
            expect(visitor.page.locator("h1")).to_be_visible()
            based = visitor.page.locator("#adaptive-heading")
            expect(based).to_have_text(f"Based on {visitor.steps} of {total} questions")
            # The nav says where the visitor is.
            current = visitor.page.locator('nav a[aria-current="page"]')
            expect(current).to_have_text("Which role am I?")
        expect(nojs.locator("h1")).to_have_text("Clear match: Scrum Master")
        expect(phone.locator("h1")).to_have_text("Clear match: Product Manager")
        assert_accessible(phone)  # the result
        phone.screenshot(
            path=str(screenshot_dir / "flow-result-375.png"), full_page=True
        )
        for visitor in visitors[1:]:
            assert_no_console_errors(visitor.page)
        # Answer more: back into the flow at an unasked question.
        phone.get_by_role("button", name="Answer more questions").click()
        expect(phone.locator(".quiz-progress-text")).to_contain_text(
            f"Question {visitors[2].steps + 1}"
        )
        expect(phone.get_by_role("button", name="See my result now")).to_be_visible()
    finally:
        for context in contexts:
            context.close()


def test_js_moves_between_steps_without_reloading_and_focuses_the_question(
    site, browser
):
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/")
        page.get_by_role("button", name="Start now").click()
        first = page.url
        page.evaluate("window.__sameDocument = true")
        page.locator("label.option-card").first.click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: url != first, wait_until="commit")
        expect(page.locator(".quiz-progress-text")).to_contain_text("Question 2")
        # No full load happened, and the new question has focus.
        assert page.evaluate("window.__sameDocument") is True
        assert page.evaluate(
            "document.activeElement.classList.contains('quiz-step-heading')"
        )
        # Continue without an answer: the error summary, focused.
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#error-summary")).to_be_focused()
        # The 400 is the error page's status, logged by Chromium; nothing else.
        assert all("400" in e for e in page.console_errors), page.console_errors
        page.console_errors.clear()
        assert_accessible(page)
        # The browser's Back returns to question 1 with its answer.
        page.go_back()
        expect(page.locator(".quiz-progress-text")).to_contain_text("Question 1")
        assert page.locator('input[name="answer"]:checked').count() == 1
        assert page.evaluate("window.__sameDocument") is True
        assert_no_console_errors(page)
    finally:
        context.close()


def test_in_page_links_stay_in_the_page_with_scripts_on(site, browser):
    """A link to a place in the same page (the skip link, an error summary's
    link to its field) is no step: it reloaded the start page, and on a step
    fetched it again, wiping the error and moving focus to the heading."""
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/")
        page.evaluate("window.__sameDocument = true")
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(site.url + "/quiz/#main")
        page.wait_for_timeout(300)  # a reload, if one came, would have begun
        assert page.evaluate("window.__sameDocument") is True
        page.get_by_role("button", name="Start now").click()
        expect(page.locator(".quiz-step-heading")).to_be_focused()
        step = page.url
        page.get_by_role("button", name="Continue").click()  # nothing chosen
        expect(page.locator("#error-summary")).to_be_focused()
        page.console_errors.clear()  # the 400 of the refused step
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.locator("#error-summary a").first.click()
        expect(page.locator("#id_answer_0")).to_be_focused()
        page.wait_for_timeout(300)
        assert requests == []
        expect(page.locator("#error-summary")).to_be_visible()
        assert page.url == step + "#id_answer_0"
        # Back from the fragment stays on the same step, still in the page.
        page.go_back()
        page.wait_for_timeout(300)
        assert requests == []
        expect(page.locator("#error-summary")).to_be_visible()
        assert page.evaluate("window.__sameDocument") is True
    finally:
        context.close()


def test_the_skip_link_leaves_the_full_questionnaire_where_it_is(site, browser):
    """/quiz/all/ with scripts: the skip link started the questionnaire from
    its introduction, and mid-way showed question 1 again."""
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/all/")
        start = page.locator("[data-quiz-start]")
        expect(start).to_be_visible()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page).to_have_url(site.url + "/quiz/all/#main")
        page.wait_for_timeout(300)
        expect(start).to_be_visible()
        expect(page.locator("fieldset.quiz-question:visible")).to_have_count(0)
        start.click()
        page.locator("fieldset.quiz-question:visible label").first.click()
        page.get_by_role("button", name="Next").click()
        expect(page.locator(".quiz-progress-text")).to_contain_text("Question 2")
        page.locator(".skip-link").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        expect(page.locator(".quiz-progress-text")).to_contain_text("Question 2")
    finally:
        context.close()


@pytest.mark.parametrize("size", [(375, 667), (320, 568)])
def test_the_full_questionnaire_starts_in_the_first_screen_and_fits_a_phone(
    site, browser, size
):
    """/quiz/all/ on a small phone: Start in the first screen (it was below
    the introduction's list, at 966 px), and once started the sticky Back,
    Next and Start over bar fits the width (Start over stuck out 23 px and the
    page scrolled sideways)."""
    width, height = size
    context, page = _context(browser, width=width, height=height)
    try:
        page.goto(site.url + "/quiz/all/")
        start = page.locator("[data-quiz-start]")
        assert _in_first_screen(page, start)
        start.click()
        expect(page.locator(".quiz-nav")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for button in page.locator(".quiz-nav button").all():
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
                button.inner_text()
            )
            assert box["height"] >= 24
        # Back and Next keep their word whole (not "Bac / k").
        for name in ("Back", "Next"):
            button = page.locator(".quiz-nav").get_by_role("button", name=name)
            assert button.evaluate("b => b.getClientRects().length") == 1
            assert button.evaluate("b => b.scrollWidth <= b.clientWidth")
            assert button.bounding_box()["height"] < 56, name
    finally:
        context.close()


def test_js_start_moves_to_the_first_question_without_reloading(
    site, browser, screenshot_dir
):
    """Start, with scripts on, is the same fetch and swap as a step: no full
    load, the first question's heading focused, a history entry (Back
    returns to the introduction). Without scripts it is an ordinary post
    (test_three_visitors_at_once_each_reach_their_result's no-js visitor)."""
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/")
        page.evaluate("window.__sameDocument = true")
        page.get_by_role("button", name="Start now").click()
        expect(page).to_have_url(re.compile(r"/quiz/q/[a-z0-9-]+/$"))
        expect(page.locator(".quiz-step-heading")).to_be_focused()
        expect(page.locator(".quiz-progress-text")).to_contain_text("Question 1")
        expect(page).to_have_title(re.compile(r"^Question 1: "))
        # The step as a full load draws it: no introduction, no breadcrumbs.
        expect(page.locator(".breadcrumbs")).to_have_count(0)
        expect(page.locator("#about-heading")).to_have_count(0)
        assert page.evaluate("window.__sameDocument") is True
        assert_accessible(page)
        page.screenshot(path=str(screenshot_dir / "flow-started-with-js.png"))
        # The history entry: the browser's Back returns to the introduction.
        page.go_back()
        expect(page).to_have_url(site.url + "/quiz/")
        expect(page.locator("#quiz-heading")).to_have_text("Which role am I?")
        assert_no_console_errors(page)
    finally:
        context.close()


def test_a_result_the_database_cannot_store_is_sent_again_from_the_503_page(
    site, browser, monkeypatch, screenshot_dir
):
    """With scripts on, the last answer posted while the database cannot
    store the result: the site's 503 page (shown in place of the step),
    saying the answers are kept; its button sends the answer again, and once
    the database is back that shows the result."""
    from django.db import OperationalError

    from roles.questionnaire import views

    store = views.submission_create

    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "submission_create", down)
    answers = scoring.ideal_answers(published_questionnaire().questions, "scrum-master")
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/")
        page.get_by_role("button", name="Start now").click()
        unavailable = page.get_by_role("heading", name="We will be back in a moment")
        progress = page.locator(".quiz-progress-text")
        for number in range(1, 60):
            expect(progress).to_contain_text(f"Question {number} ")
            value = answers[_key(page)]
            page.locator(f'label:has(input[name="answer"][value="{value}"])').click()
            page.get_by_role("button", name="Continue").click()
            following = page.locator(
                ".quiz-progress-text", has_text=f"Question {number + 1} "
            )
            expect(following.or_(unavailable)).to_be_visible()
            if unavailable.is_visible():
                break
        expect(
            page.get_by_text("Your answers are kept in this browser")
        ).to_be_visible()
        assert_accessible(page)
        page.screenshot(path=str(screenshot_dir / "flow-result-unavailable.png"))
        # The 503 is the page's status, logged by Chromium; nothing else.
        assert all("503" in e for e in page.console_errors), page.console_errors
        page.console_errors.clear()
        assert m.Submission.objects.count() == 0

        monkeypatch.setattr(views, "submission_create", store)
        page.get_by_role("button", name="Show my result").click()
        expect(page).to_have_url(RESULT)
        expect(page.locator("h1")).to_have_text("Clear match: Scrum Master")
        assert m.Submission.objects.count() == 1
        assert_no_console_errors(page)
    finally:
        context.close()


@pytest.mark.parametrize("size", [(375, 667), (320, 568)])
def test_start_and_the_first_question_are_in_the_first_screen(
    site, browser, size, screenshot_dir
):
    width, height = size
    context, page = _context(browser, width=width, height=height)
    try:
        page.goto(site.url + "/quiz/")
        start = page.get_by_role("button", name="Start now")
        expect(start).to_be_visible()
        assert _in_first_screen(page, start)
        assert_accessible(page)
        page.screenshot(path=str(screenshot_dir / f"flow-start-{width}.png"))
        start.click()
        heading = page.locator(".quiz-step-heading")
        expect(heading).to_be_visible()
        assert _in_first_screen(page, heading)
        assert _in_first_screen(page, page.locator("label.option-card").first)
        page.screenshot(path=str(screenshot_dir / f"flow-step-{width}-first.png"))
    finally:
        context.close()


def test_desktop_screenshots(site, browser, screenshot_dir):
    """Start, a step and an adaptive result at 1280 wide, for a person to see."""
    questionnaire = published_questionnaire()
    answers = scoring.ideal_answers(questionnaire.questions, "business-analyst")
    context, page = _context(browser)
    try:
        page.goto(site.url + "/quiz/")
        page.screenshot(path=str(screenshot_dir / "flow-start-1280.png"))
        visitor = Visitor("desktop", page, answers)
        visitor.start(site.url)
        page.screenshot(path=str(screenshot_dir / "flow-step-1280.png"))
        while not visitor.done:
            visitor.step()
        expect(page.locator("#adaptive-heading")).to_be_visible()
        page.screenshot(
            path=str(screenshot_dir / "flow-result-1280.png"), full_page=True
        )
        assert_no_console_errors(page)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_from_a_result_says_the_result_is_ready(site, browser, javascript):
    """Back from a result (the browser's, then the step's link) showed the
    last question with "at most 11 more" and the bar short of full, though
    nothing was left to ask; with scripts on (quiz-step.js fetches the step
    the link names) it says the same as without."""
    answers = scoring.ideal_answers(published_questionnaire().questions, "scrum-master")
    context, page = _context(browser, javascript=javascript)
    try:
        visitor = Visitor("back", page, answers)
        visitor.start(site.url)
        while not visitor.done:
            visitor.step()
        result = page.url
        n = visitor.steps
        # A step only waits for the next address; let the result page load
        # before going back (Back during its load was "not attached").
        page.wait_for_load_state("load")
        expect(page.locator("main h1")).to_be_visible()
        progress = page.locator(".quiz-progress-text")
        page.go_back()
        expect(progress).to_have_text(
            f"Question {n} of {n} answered · your result is ready; "
            "changing this answer updates it"
        )
        assert page.locator("progress").get_attribute("value") == "100"
        page.locator("a.back-link").click()
        expect(progress).to_contain_text(f"Question {n - 1} of {n} answered")
        assert "more" not in progress.inner_text()
        assert page.locator("progress").get_attribute("value") == "100"
        # The same answer again: back to the same result.
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(result)
        assert m.Submission.objects.count() == 1
        if javascript:
            assert_no_console_errors(page)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_see_my_result_now_with_nothing_chosen_shows_the_result(
    site, browser, javascript
):
    """After "Answer more questions", a visitor who would rather stop presses
    "See my result now" without choosing: the result of the answers given
    (it was a 400 asking for one more answer, with scripts on and off)."""
    answers = scoring.ideal_answers(published_questionnaire().questions, "scrum-master")
    context, page = _context(browser, javascript=javascript)
    try:
        visitor = Visitor("more", page, answers)
        visitor.start(site.url)
        while not visitor.done:
            visitor.step()
        result = page.url
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Answer more questions").click()
        expect(page.locator(".quiz-step-heading")).to_be_visible()
        page.get_by_role("button", name="See my result now").click()
        page.wait_for_url(result)
        expect(page.locator("main h1")).to_have_text("Clear match: Scrum Master")
        assert m.Submission.objects.count() == 1
        if javascript:
            assert_no_console_errors(page)
    finally:
        context.close()
