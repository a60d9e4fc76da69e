"""A questionnaire step is drawn from a frame rendered once per question and
content version (roles/core/frames.py) and a form drawn without the crispy
tag (roles/core/crispy.form_html): the same bytes as the templates would
give, nothing of one visitor's page in another's, and a content change seen
at once."""

import re

import pytest
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.utils.safestring import mark_safe

from roles import models as m
from roles.core.crispy import form_html
from roles.core.frames import Frame, render_frame
from roles.publishing import cache as page_cache
from roles.publishing.signals import staging
from roles.publishing.version import bump_content_version
from roles.questionnaire import scoring, views
from roles.questionnaire.forms import ActionForm, StepForm, StepFormFrame
from roles.questionnaire.results import question_option_order
from roles.questionnaire.selectors import published_questionnaire

from .test_quiz_flow import _begin

LOCMEM = {
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "page.html": (
                        "<title>{{ a }} · {{ site }}</title>\n<h1>{{ a }}</h1>"
                        "{% if flag %}<p>on</p>{% endif %}<main>{{ body }}</main>"
                    ),
                    "filtered.html": "<p>{{ a|upper }}</p>{{ body }}",
                    "unused.html": "<p>{{ body }}</p>",
                },
            )
        ]
    },
}


@pytest.mark.parametrize(
    "a, body",
    [
        ("Plain", mark_safe("<b>safe</b>")),
        ("<Q & A> \"quoted\" 'single'", "<i>not safe</i>"),
        ("", ""),
        (7, mark_safe("")),
        (1234567, None),
        (12.5, 0),
    ],
)
@pytest.mark.parametrize("separators", [False, True])
def test_a_filled_frame_is_the_templates_own_output(a, body, separators, settings):
    # Through the settings fixture, not override_settings on the test: the
    # two undone out of order left these templates in place for the rest of
    # the worker's tests (a crispy template then "did not exist").
    settings.TEMPLATES = [LOCMEM]
    settings.USE_THOUSAND_SEPARATOR = separators
    fixed = {"site": "R & G", "flag": True}
    frame = render_frame("page.html", fixed, None, slots=("a", "body"))
    direct = (
        engines["django"]
        .get_template("page.html")
        .render({**fixed, "a": a, "body": body})
    )
    assert frame.fill({"a": a, "body": body}) == direct
    # One frame serves every value: rendered once, filled many times.
    assert frame.fill({"a": "x", "body": "y"}).count("x") == 2


@override_settings(TEMPLATES=[LOCMEM])
def test_a_slot_that_a_filter_changes_is_refused_one_not_output_is_left_out():
    with pytest.raises(ValueError, match="filter"):
        render_frame("filtered.html", {}, None, slots=("a", "body"))
    frame = render_frame("unused.html", {}, None, slots=("a", "body"))
    assert frame.slots == ("body",)
    assert frame.fill({"a": "x", "body": "<i>"}) == "<p>&lt;i&gt;</p>"


def test_a_frame_has_one_more_chunk_than_slots():
    with pytest.raises(ValueError):
        Frame(["a", "b"], ["x", "y"])


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _crispy(form, request) -> str:
    return (
        engines["django"]
        .from_string("{% load crispy_forms_tags %}{% crispy form %}")
        .render({"form": form}, request)
    )


def _step_forms(questionnaire):
    scenario = next(q for q in questionnaire.questions if q.kind == scoring.SCENARIO)
    agreement = next(
        (q for q in questionnaire.questions if q.kind == scoring.AGREEMENT), scenario
    )
    for question in (scenario, agreement):
        for finish in (False, True):
            for data in (None, {"answer": "nonsense"}, {"answer": "1"}):
                yield StepForm(
                    data,
                    question=question,
                    hint="A hint <with> markup & more",
                    order=None,
                    action=f"/quiz/q/{question.key}/",
                    finish=finish,
                )


def test_form_html_draws_what_the_crispy_tag_draws(seeded):
    forms = [
        *_step_forms(published_questionnaire()),
        ActionForm(action="/quiz/start/", label="Start now", css_class="btn"),
        ActionForm(
            action="/quiz/more/", label="More <now>", css_class="b", form_id="more"
        ),
    ]
    for form in forms:
        request = RequestFactory().get("/")
        by_tag = _crispy(form, request)
        assert "<form" in by_tag
        ours = form_html(form, get_token(request))
        # The tag masks the token afresh each time it draws it.
        assert ours == by_tag.replace(_token(by_tag), _token(ours)), form


def test_form_html_refuses_a_form_it_would_draw_differently(seeded):
    form = ActionForm(action="/quiz/start/", label="Start now", css_class="btn")
    form.helper.form_method = "get"
    with pytest.raises(ValueError):
        form_html(form, "token")
    form = ActionForm(action="/quiz/start/", label="Start now", css_class="btn")
    form.helper.form_tag = False
    with pytest.raises(ValueError):
        form_html(form, "token")


def _frame_and_forms(question, *, hint: str, finish: bool, nonces: list[str]):
    """The question's form frame, and the forms it stands for: every order
    the nonces give, with no answer and with each answer checked."""
    action = f"/quiz/q/{question.key}/"
    helper = StepForm.build_helper(question, action, finish=finish)
    frame = StepFormFrame(
        question, hint=hint, action=action, finish=finish, helper=helper
    )
    orders = {question_option_order(question, nonce) for nonce in nonces}
    for order in orders:
        for previous in (None, *question.answer_values):
            form = StepForm(
                None,
                initial=None if previous is None else {"answer": str(previous)},
                question=question,
                hint=hint,
                order=order,
                action=action,
                finish=finish,
                helper=helper,
            )
            yield frame, order, previous, form


def test_a_step_forms_frame_draws_what_form_html_draws(seeded):
    """For every question of the seeded questionnaire, with and without the
    "See my result now" button, in several visitors' orders, with no answer
    and with each answer checked: the form cut once and joined per request
    is byte for byte the form built and drawn for that visitor."""
    questionnaire = published_questionnaire()
    assert len(questionnaire.questions) > 20
    checked = 0
    for question in questionnaire.questions:
        for finish in (False, True):
            for frame, order, previous, form in _frame_and_forms(
                question,
                hint=questionnaire.hints.get(question.key, ""),
                finish=finish,
                nonces=["a", "b", "c"],
            ):
                token = f"tok{checked}"
                assert frame.fill(token, order, previous) == form_html(form, token)
                checked += 1
    assert checked > 500


def test_a_step_forms_frame_keeps_markup_in_its_texts_escaped():
    """Texts that look like the frame's own cut points (a quoted card id, a
    checked attribute) or like markup stay text."""
    question = scoring.QuestionSpec(
        key="tricky",
        kind=scoring.SCENARIO,
        text='Which "id_answer_0" <b>is</b> it?',
        options=[
            scoring.OptionSpec('Say "id_answer_1" & <i>more</i>', {"a": 2}),
            scoring.OptionSpec('checked required id="id_answer_0"', {"b": 2}),
            scoring.OptionSpec("Plain", {"a": 1}),
        ],
    )
    cases = list(
        _frame_and_forms(question, hint="<hint>", finish=True, nonces=["x", "y", "z"])
    )
    for frame, order, previous, form in cases:
        drawn = frame.fill('t"<', order, previous)
        assert drawn == form_html(form, 't"<')
        assert "<b>" not in drawn and "<i>" not in drawn
    assert {c[2] for c in cases} == {None, 0, 1, 2}


def _forms_built(monkeypatch) -> list[str]:
    """The question keys of the StepForms built from now on."""
    built: list[str] = []
    real = StepForm.__init__

    def counted(self, *args, **kwargs):
        built.append(kwargs["question"].key)
        real(self, *args, **kwargs)

    monkeypatch.setattr(StepForm, "__init__", counted)
    return built


def test_a_step_builds_no_form_for_a_visitor_once_its_frame_is_cut(seeded, monkeypatch):
    """The form of a question is cut once per process and content version;
    after that a visitor's step builds no form of its own (a sent answer
    still does: it is checked)."""
    built = _forms_built(monkeypatch)
    visitors = [Client() for _ in range(3)]
    keys = [_begin(visitor) for visitor in visitors]
    assert len(set(keys)) == 1
    pages = [_step(visitor, keys[0]) for visitor in visitors]
    question = published_questionnaire().by_key[keys[0]]
    # Cut once: the plain form and one with each answer checked.
    assert built == [keys[0]] * (1 + len(question.answer_values))
    built.clear()
    again = _step(visitors[0], keys[0])
    assert again == pages[0].replace(_token(pages[0]), _token(again))
    assert built == []
    response = visitors[0].post(f"/quiz/q/{keys[0]}/", {"answer": "0"})
    assert response.status_code == 302 and built == [keys[0]]


def test_where_nothing_is_kept_a_step_builds_one_form_and_cuts_none(
    client, seeded, settings, monkeypatch
):
    """With DEBUG on (as for a previewing editor or a staged draft) nothing
    is kept between requests: a step draws the visitor's own form once
    rather than cutting a frame (a form per answer) for this request alone."""
    settings.DEBUG = True
    built = _forms_built(monkeypatch)
    key = _begin(client)
    for _ in range(2):
        built.clear()
        page = _step(client, key)
        assert built == [key]
        assert 'name="answer"' in page


def test_every_framed_page_is_its_templates_own_render(client, seeded, monkeypatch):
    """Whatever the frame's key and slots, each questionnaire page drawn as
    a frame (the start page and the steps) is what rendering its template
    with the same values gives: a slot used in a filter, or a value that
    decides a branch left out of the key, would differ."""
    seen = []
    real_frame, real_fill = views._frame, Frame.fill

    def spy_frame(memo, request, template_name, **kwargs):
        seen.append(
            {"request": request, "template": template_name, "fixed": kwargs["fixed"]}
        )
        return real_frame(memo, request, template_name, **kwargs)

    def spy_fill(self, values):
        seen[-1]["values"] = values
        return real_fill(self, values)

    monkeypatch.setattr(views, "_frame", spy_frame)
    monkeypatch.setattr(Frame, "fill", spy_fill)
    pages = [client.get("/quiz/")]
    key = _begin(client)
    pages.append(client.get(f"/quiz/q/{key}/"))
    pages.append(client.post(f"/quiz/q/{key}/", {"answer": "999"}))
    for _ in range(views.MIN_QUESTIONS + 1):
        response = client.post(f"/quiz/q/{key}/", {"answer": "0"})
        if not response["Location"].startswith("/quiz/q/"):
            break
        key = response["Location"].split("/")[3]
        pages.append(client.get(f"/quiz/q/{key}/"))
    pages.append(client.post(f"/quiz/q/{key}/", {"answer": "x"}))
    # Back at the start with answers given: "Continue where you left off".
    pages.append(client.get("/quiz/"))
    # A cookie that is not ours: the start page with its problem.
    client.cookies[views.FLOW_COOKIE] = "tampered"
    pages.append(client.get(f"/quiz/q/{key}/"))
    assert len(pages) == len(seen) >= 7
    shapes = set()
    for page, call in zip(pages, seen, strict=True):
        fixed = call["fixed"]
        shapes.add(
            (
                call["template"],
                *sorted((k, v) for k, v in fixed.items() if isinstance(v, bool)),
            )
        )
        expected = render_to_string(
            call["template"], {**fixed, **call["values"]}, call["request"]
        )
        assert page.content.decode() == expected
    steps = [dict(s[1:]) for s in shapes if s[0] == "roles/quiz_step.html"]
    starts = [dict(s[1:]) for s in shapes if s[0] == "roles/quiz_start.html"]
    # Error and not, Back to the introduction and to a question, were drawn;
    # the start page plain, with "Continue", and after a bad cookie.
    assert {s["error"] for s in steps} == {False, True}
    assert {s["back_to_start"] for s in steps} == {False, True}
    assert {s["resume"] for s in starts} == {False, True}
    assert "could not be restored" in pages[-1].content.decode()
    assert "Continue where you left off" in pages[-2].content.decode()


def _step(client, key: str) -> str:
    response = client.get(f"/quiz/q/{key}/")
    assert response.status_code == 200
    return response.content.decode()


def test_two_visitors_at_one_question_share_nothing_of_their_own(seeded):
    first, second = Client(), Client()
    key = _begin(first)
    assert _begin(second) == key
    # The first answers and comes back: the answer shows as chosen, to it.
    first.post(f"/quiz/q/{key}/", {"answer": "0"})
    mine, theirs = _step(first, key), _step(second, key)
    assert mine.count(" checked") == 1
    assert " checked" not in theirs
    assert _token(mine) != _token(theirs)
    # Everything around the question is the same page.
    assert (
        mine.split('<div class="quiz-step"')[0]
        == theirs.split('<div class="quiz-step"')[0]
    )
    assert mine.split("</main>")[1] == theirs.split("</main>")[1]


def test_an_error_page_and_the_question_after_it(client, seeded):
    key = _begin(client)
    refused = client.post(f"/quiz/q/{key}/", {"answer": "999"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert re.search(r"<title>Error: Question 1: ", html)
    assert 'class="error-summary"' in html
    again = _step(client, key)
    assert re.search(r"<title>Question 1: ", again)
    assert "error-summary" not in again


def test_a_question_edited_since_is_shown_as_it_is_now(client, seeded):
    key = _begin(client)
    before = _step(client, key)
    question = m.Question.objects.get(key=key)
    assert question.text[:30] in before
    question.text = "Which of these tasks would you pick first, today?"
    question.save()
    after = _step(client, key)
    assert "<title>Question 1: Which of these tasks would you pick first" in after
    assert (
        '<h1 class="quiz-step-heading">Which of these tasks would you pick first,'
        " today?</h1>" in after
    )


def test_a_previewing_editors_page_is_never_kept_for_visitors(client, seeded):
    key = _begin(client)
    request = RequestFactory().get(f"/quiz/q/{key}/")
    request.editor_preview = True
    assert views._quiz_memo(request) == {}
    assert views._quiz_memo(request) is not views._quiz_memo(request)
    del request.editor_preview
    assert views._quiz_memo(request) is views._quiz_memo(request)


def test_with_debug_on_an_edited_template_shows_at_once(client, seeded, settings):
    """runserver reloads a template edited on disk without a restart: with
    DEBUG on no frame is kept, so the next step shows the edit."""
    settings.DEBUG = True
    request = RequestFactory().get("/quiz/")
    assert views._quiz_memo(request) is not views._quiz_memo(request)
    settings.DEBUG = False
    assert views._quiz_memo(request) is views._quiz_memo(request)


def test_the_process_memo_lasts_one_content_version(seeded):
    memo = page_cache.versioned_memo("test-memo")
    memo["k"] = 1
    assert page_cache.versioned_memo("test-memo") is memo
    with staging():
        assert page_cache.versioned_memo("test-memo") == {}
    bump_content_version()
    assert page_cache.versioned_memo("test-memo") == {}


def test_the_process_memo_starts_again_when_full(seeded, monkeypatch):
    monkeypatch.setattr(page_cache, "MEMO_ENTRIES", 3)
    memo = page_cache.versioned_memo("test-memo-full")
    memo.update(a=1, b=2, c=3)
    assert page_cache.versioned_memo("test-memo-full") == {}
