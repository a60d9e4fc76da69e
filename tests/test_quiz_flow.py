"""The adaptive questionnaire, one question per page (issue 22 items 3 and 4):
a server-driven flow whose state is a signed cookie, so it works without
JavaScript and survives Back, reload and a second tab."""

import gzip
import json
import random
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

from roles import models as m
from roles.questionnaire import adaptive, scoring, views
from roles.questionnaire.results import result_for
from roles.questionnaire.selectors import published_questionnaire, quiz_length
from roles.questionnaire.views import FLOW_COOKIE, FLOW_SALT

from .conftest import count_queries
from .factories import RoleFactory, make_scenario, make_statement

pytestmark = pytest.mark.django_db

STEP = re.compile(r"^/quiz/q/([a-z0-9-]+)/$")


def _key(response) -> str:
    match = STEP.match(response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _state(client) -> dict:
    request = HttpRequest()
    request.COOKIES[FLOW_COOKIE] = client.cookies[FLOW_COOKIE].value
    return views.read_flow_cookie(request)


def _signed(value: str) -> str:
    """A flow cookie in the form first written (signed quoted JSON), still
    read."""
    response = HttpResponse()
    response.set_signed_cookie(FLOW_COOKIE, value, salt=FLOW_SALT)
    return response.cookies[FLOW_COOKIE].value


def _begin(client) -> str:
    response = client.post("/quiz/start/")
    assert response.status_code == 302
    return _key(response)


def _answer_until_result(client, answers: dict[str, int], first: str):
    """Answer each question asked from ``answers``; the keys asked and the
    result's address."""
    asked = []
    key = first
    while True:
        asked.append(key)
        response = client.post(f"/quiz/q/{key}/", {"answer": str(answers[key])})
        assert response.status_code == 302, response.content.decode()[:500]
        if not STEP.match(response["Location"]):
            return asked, response["Location"]
        key = _key(response)


@pytest.fixture
def ideal(seeded):
    questionnaire = published_questionnaire()
    return scoring.ideal_answers(questionnaire.questions, "scrum-master")


def test_start_page_says_the_real_typical_length_and_offers_start(client, seeded):
    response = client.get("/quiz/")
    html = response.content.decode()
    length = quiz_length()
    total = len(published_questionnaire().questions)
    assert length.questions < total
    # The typical length, and the most it can take beside it: simulated
    # respondents of one role settle in about 13, answers that point several
    # ways go on to the ceiling (a tester's mixed answers mostly did).
    assert (
        f"It usually takes about {length.questions} questions "
        f"(about {length.minutes} minute"
    ) in html
    assert f"at most {length.most} if your answers point several ways" in html
    assert length.most == min(total, adaptive.MAX_QUESTIONS)
    assert "Most people" not in html
    assert f">Answer all {total} questions</a>" in html
    # With JavaScript the full questionnaire shows a question at a time too:
    # the offer is every question, not "one page".
    assert "on one page" not in html
    assert 'action="/quiz/start/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'href="/quiz/how-scoring-works/"' in html
    assert 'href="/quiz/all/"' in html
    assert 'href="/quiz/" aria-current="page"' in html
    assert "<fieldset" not in html  # no question yet: a short page


def test_home_page_copy_follows_the_typical_length(client, seeded):
    html = client.get("/").content.decode()
    length = quiz_length()
    assert (
        f"Usually about {length.questions} questions on the work you enjoy "
        f"(at most {length.most}), in about {length.minutes} min"
    ) in html
    # Not "… about 5 minutes about the work you enjoy" (one "about" too many).
    assert "minutes about the work" not in html


def test_typical_length_comes_from_the_adaptive_flow_not_a_constant(seeded):
    length = quiz_length()
    assert adaptive.MIN_QUESTIONS <= length.questions <= adaptive.MAX_QUESTIONS
    assert length.total == len(published_questionnaire().questions)


def test_start_redirects_to_the_most_informative_question(client, seeded):
    key = _begin(client)
    assert key == published_questionnaire().adaptive.next_question({}).key
    state = _state(client)
    assert state["a"] == {} and not state["m"]


def test_a_step_is_one_question_with_its_options_and_progress(client, seeded):
    key = _begin(client)
    response = client.get(f"/quiz/q/{key}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 1
    assert '<legend><h1 class="quiz-step-heading">' in html
    assert "Question 1" in html
    assert f'action="/quiz/q/{key}/"' in html
    assert 'href="/quiz/" aria-current="page"' in html
    assert "no-store" in response["Cache-Control"]


def test_journey_settles_and_stores_an_adaptive_result(client, ideal):
    asked, url = _answer_until_result(client, ideal, _begin(client))
    total = len(published_questionnaire().questions)
    assert adaptive.MIN_QUESTIONS <= len(asked) < total
    submission = m.Submission.objects.get()
    assert url == submission.get_absolute_url()
    assert set(submission.answers) == set(asked)
    result = submission.stored_result
    assert result.version == 4 and result.is_adaptive
    assert (result.asked, result.total) == (len(asked), total)
    assert result.top.role == "scrum-master"
    html = client.get(url).content.decode()
    assert f"Based on {len(asked)} of {total} questions" in html
    assert "Clear match: Scrum Master" in html
    assert 'action="/quiz/results/' in html and "Answer more questions" in html
    assert 'href="/quiz/" aria-current="page"' in html


def test_progress_and_back_follow_the_answers_given(client, ideal):
    first = _begin(client)
    second = _key(client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])}))
    third = _key(client.post(f"/quiz/q/{second}/", {"answer": str(ideal[second])}))
    html = client.get(f"/quiz/q/{third}/").content.decode()
    assert "Question 3" in html
    assert f'href="/quiz/q/{second}/"' in html  # Back
    # Back: the earlier question shows the answer given.
    back = client.get(f"/quiz/q/{second}/").content.decode()
    assert "Question 2" in back
    assert re.search(rf'value="{ideal[second]}"[^>]*checked', back)


def test_reload_shows_the_same_question_in_the_same_order(client, seeded):
    key = _begin(client)
    one = client.get(f"/quiz/q/{key}/").content.decode()
    two = client.get(f"/quiz/q/{key}/").content.decode()
    values = re.compile(r'name="answer" value="(-?\d+)"')
    assert values.findall(one) == values.findall(two) != []


def test_a_second_tab_answering_an_earlier_question_only_changes_it(client, ideal):
    first = _begin(client)
    second = _key(client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])}))
    client.post(f"/quiz/q/{second}/", {"answer": str(ideal[second])})
    other = next(v for v in _values(first) if v != ideal[first])
    client.post(f"/quiz/q/{first}/", {"answer": str(other)})
    state = _state(client)
    assert list(state["a"]) == [first, second]
    assert state["a"][first] == other


def test_showing_a_question_leaves_the_cookie_as_it_is(client, ideal):
    """A GET changes nothing, so it sends no new cookie (signing it again cost
    every step); Back and reload still find the answers."""
    first = _begin(client)
    second = _key(client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])}))
    before = client.cookies[FLOW_COOKIE].value
    for key in (second, first, second):
        response = client.get(f"/quiz/q/{key}/")
        assert response.status_code == 200
        assert FLOW_COOKIE not in response.cookies
        assert "no-store" in response["Cache-Control"]
    assert client.cookies[FLOW_COOKIE].value == before
    assert list(_state(client)["a"]) == [first]


def test_showing_a_question_drops_answers_to_questions_withdrawn_since(client, ideal):
    """An editor withdraws a question mid-flow: the next page shown writes the
    state without its answer, so the result never counts it."""
    first = _begin(client)
    second = _key(client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])}))
    third = _key(client.post(f"/quiz/q/{second}/", {"answer": str(ideal[second])}))
    withdrawn = m.Question.objects.get(key=first)
    withdrawn.status = m.Status.DRAFT
    withdrawn.save()
    response = client.get(f"/quiz/q/{third}/")
    assert response.status_code == 200
    assert FLOW_COOKIE in response.cookies
    assert list(_state(client)["a"]) == [second]


def _values(key: str) -> list[int]:
    return published_questionnaire().adaptive.question(key).answer_values


def test_a_tampered_cookie_starts_again_with_a_message(client, seeded):
    key = _begin(client)
    client.cookies[FLOW_COOKIE] = client.cookies[FLOW_COOKIE].value[:-3] + "xyz"
    for response in (
        client.get(f"/quiz/q/{key}/"),
        client.post(f"/quiz/q/{key}/", {"answer": "0"}),
    ):
        assert response.status_code == 400
        assert "could not read your saved answers" in response.content.decode()
        assert response.cookies[FLOW_COOKIE].value == ""  # deleted
    client.cookies[FLOW_COOKIE] = "garbage"
    assert client.get("/quiz/").status_code == 400


def test_a_signed_cookie_that_is_not_a_state_is_refused(client, seeded):
    key = _begin(client)
    for bad in ('{"n": "short"}', "[]", '{"n": "abcdefghijklmnopqr", "a": {"x": "1"}}'):
        client.cookies[FLOW_COOKIE] = _signed(bad)
        assert client.get(f"/quiz/q/{key}/").status_code == 400


def test_an_unpublished_question_is_not_found(client, seeded):
    _begin(client)
    assert client.get("/quiz/q/no-such-question/").status_code == 404
    draft = make_scenario([{}, {}], key="a-draft-question", status=m.Status.DRAFT)
    assert client.get(f"/quiz/q/{draft.key}/").status_code == 404
    assert client.post(f"/quiz/q/{draft.key}/", {"answer": "0"}).status_code == 404


def test_a_missing_or_foreign_answer_shows_the_question_again(client, seeded):
    key = _begin(client)
    for data in ({}, {"answer": "99"}, {"answer": "x"}):
        response = client.post(f"/quiz/q/{key}/", data)
        html = response.content.decode()
        assert response.status_code == 400
        assert 'class="error-summary"' in html and "There is a problem" in html
        assert 'href="#id_answer_0"' in html
        assert "<title>Error: " in html
    assert _state(client)["a"] == {}


def test_a_step_without_a_flow_goes_back_to_the_start(client, seeded):
    key = published_questionnaire().questions[0].key
    assert client.get(f"/quiz/q/{key}/")["Location"] == "/quiz/"


def test_answer_more_continues_past_the_stopping_rule(client, ideal):
    asked, url = _answer_until_result(client, ideal, _begin(client))
    more = client.post(url + "continue/")
    key = _key(more)
    assert key not in asked
    assert _state(client)["m"] is True
    html = client.get(f"/quiz/q/{key}/").content.decode()
    assert f"Question {len(asked) + 1}" in html
    assert "See my result now" in html
    response = client.post(
        f"/quiz/q/{key}/", {"answer": str(ideal[key]), "finish": "1"}
    )
    assert m.Submission.objects.count() == 2
    newer = m.Submission.objects.order_by("-created_at").first()
    assert response["Location"] == newer.get_absolute_url()
    assert newer.stored_result.asked == len(asked) + 1


def test_see_my_result_now_needs_no_answer_to_the_question_on_screen(client, ideal):
    """Asked for more, a visitor who would rather stop presses "See my result
    now" without choosing: the result of the answers already given, not a
    400 asking them to answer one more. Its answer is not made up."""
    _asked, url = _answer_until_result(client, ideal, _begin(client))
    key = _key(client.post(url + "continue/"))
    response = client.post(f"/quiz/q/{key}/", {"finish": "1", "shown": ""})
    assert response.status_code == 302
    assert response["Location"] == url  # the same answers: the same result
    assert m.Submission.objects.count() == 1
    assert key not in _state(client)["a"]
    assert _state(client)["f"] is True
    # Where the button is not offered, an empty answer is still asked again.
    client.cookies.clear()
    first = _begin(client)
    refused = client.post(f"/quiz/q/{first}/", {"finish": "1"})
    assert refused.status_code == 400


def test_a_result_address_with_its_id_in_capitals_leads_to_the_result(client, ideal):
    """A result link retyped or passed through a tool that changes case: the
    same result, at its one address, not "page not found"."""
    _asked, url = _answer_until_result(client, ideal, _begin(client))
    pk = url.split("/")[-2]
    response = Client().get(f"/quiz/results/{pk.upper()}/?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == f"{url}?utm_source=x"
    assert Client().get(f"/quiz/results/{pk[:-1]}G/").status_code == 404


def test_a_step_sent_with_two_answers_is_refused(client, ideal):
    """A forged form with two answers kept the last one silently."""
    key = _begin(client)
    response = client.post(f"/quiz/q/{key}/", {"answer": ["0", "1"]})
    assert response.status_code == 400
    assert "Choose one answer" in response.content.decode()
    assert key not in _state(client)["a"]


def test_settle_links_restore_the_answers_and_ask_those_questions(client, seeded):
    questionnaire = published_questionnaire()
    # Answers between two roles: each question answered as one or the other
    # would, the first such mix whose result is not clear.
    dm = scoring.ideal_answers(questionnaire.questions, "delivery-manager")
    sm = scoring.ideal_answers(questionnaire.questions, "scrum-master")
    for seed in range(200):
        rng = random.Random(seed)
        mixed = {k: (dm if rng.random() < 0.5 else sm)[k] for k in dm}
        if result_for(questionnaire, mixed).settlers:
            break
    response = client.post("/quiz/all/", {f"q-{k}": str(v) for k, v in mixed.items()})
    submission = m.Submission.objects.get()
    result = submission.stored_result
    html = client.get(response["Location"]).content.decode()
    assert result.settlers, result.headline()
    settler = result.settlers[-1].key
    link = f"/quiz/results/{submission.pk}/continue/?q={settler}"
    assert f'href="{link}"' in html
    assert _key(client.get(link)) == settler
    state = _state(client)
    assert state["a"] == mixed
    assert state["q"][0] == settler
    step = client.get(f"/quiz/q/{settler}/").content.decode()
    assert re.search(rf'value="{mixed[settler]}"[^>]*checked', step)


def test_only_the_browser_that_took_it_continues_from_a_result(client, ideal):
    _, url = _answer_until_result(client, ideal, _begin(client))
    stranger = Client()
    assert stranger.post(url + "continue/")["Location"] == "/quiz/"
    assert FLOW_COOKIE not in stranger.cookies


def test_the_same_answers_posted_twice_store_one_result(client, ideal):
    asked, url = _answer_until_result(client, ideal, _begin(client))
    again = client.post(f"/quiz/q/{asked[-1]}/", {"answer": str(ideal[asked[-1]])})
    assert again["Location"] == url
    assert m.Submission.objects.count() == 1


def _progress_text(html: str) -> str:
    match = re.search(r'<p class="quiz-progress-text"[^>]*>(.*?)</p>', html, re.S)
    assert match, html[:500]
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def _bar(html: str) -> tuple[int, int]:
    match = re.search(r'<progress max="(\d+)" value="(\d+)"', html)
    assert match
    return int(match.group(2)), int(match.group(1))


def test_a_step_revisited_from_a_result_says_the_result_is_ready(client, ideal):
    """Back (the link, or the browser's, which reloads the step) from a
    result: the last question said "at most 11 more" with the bar short of
    full, though nothing was left to ask and Continue went straight back to
    the same result. It says the result is ready and that changing the answer
    updates it; the bar stays full on every answer revisited."""
    first = _begin(client)
    asked = [first]
    bars = []
    key = first
    while True:
        bars.append(_bar(client.get(f"/quiz/q/{key}/").content.decode()))
        response = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
        if not STEP.match(response["Location"]):
            url = response["Location"]
            break
        key = _key(response)
        asked.append(key)
    last_before = bars[-1][0] / bars[-1][1]
    for n, key in reversed(list(enumerate(asked, start=1))):
        html = client.get(f"/quiz/q/{key}/").content.decode()
        text = _progress_text(html)
        assert "more" not in text, text
        assert f"Question {n} of {len(asked)} answered" in text, text
        assert "your result is ready" in text and "updates it" in text, text
        value, most = _bar(html)
        assert value == most and value / most >= last_before
        assert re.search(rf'value="{ideal[key]}"[^>]*checked', html)
    # The same answer sent again: the same result, not another.
    again = client.post(f"/quiz/q/{asked[-1]}/", {"answer": str(ideal[asked[-1]])})
    assert again["Location"] == url
    assert m.Submission.objects.count() == 1


def test_a_changed_answer_after_a_result_updates_it(client, ideal):
    asked, url = _answer_until_result(client, ideal, _begin(client))
    first = asked[0]
    other = next(v for v in _values(first) if v != ideal[first])
    response = client.post(f"/quiz/q/{first}/", {"answer": str(other)})
    # A new result straight away, or the questions that settle it first.
    key = None
    while STEP.match(response["Location"]):
        key = _key(response)
        html = client.get(f"/quiz/q/{key}/").content.decode()
        assert "your result is ready" not in _progress_text(html)
        response = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
    assert response["Location"] != url
    assert m.Submission.objects.count() == 2
    assert m.Submission.objects.latest("created_at").answers[first] == other


def test_a_finished_flow_progress_is_full_and_ready():
    from roles.questionnaire import flow

    answers = {f"q{i}": 0 for i in range(12)}
    done = flow.FlowState("a" * 32, answers, done=True)
    for n in (1, 6, 12):
        shown = flow.progress(done, f"q{n - 1}", typical=12, total=43)
        assert shown.ready and shown.number == n and shown.of_answered == 12
        assert (shown.to_go, shown.usual) == (0, 0)
        assert shown.done == shown.of
    assert flow.FlowState.from_json(done.to_json()) == done
    # The same answer again keeps it finished; another one does not.
    q = scoring.QuestionSpec("q0", scoring.AGREEMENT, "A statement", ())
    assert done.answer(q, 0).done
    assert not done.answer(q, 1).done
    assert not flow.progress(
        flow.FlowState("n", answers), "q3", typical=12, total=43
    ).ready


def _store_fails(monkeypatch):
    """The database refuses to store a result; returns the real writer."""
    from django.db import OperationalError

    def down(**kwargs):
        raise OperationalError("connection refused")

    store = views.submission_create
    monkeypatch.setattr(views, "submission_create", down)
    return store


def _answer_until_refused(client, ideal):
    """Answers as ``ideal`` until a step is not a redirect: its key and response."""
    key = _begin(client)
    while True:
        response = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
        if response.status_code != 302:
            return key, response
        key = _key(response)


def test_a_result_the_database_cannot_store_keeps_the_last_answer(
    client, ideal, monkeypatch
):
    """The database down at the last answer: the site's 503 page says the
    answers are kept, offers to send it again, and the flow's cookie holds
    that answer, so the same step finishes once the database is back."""
    store = _store_fails(monkeypatch)
    key, response = _answer_until_refused(client, ideal)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    assert "Your answers are kept in this browser" in html
    assert f'action="/quiz/q/{key}/"' in html
    assert f'name="answer" value="{ideal[key]}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert _state(client)["a"][key] == ideal[key]
    assert m.Submission.objects.count() == 0

    monkeypatch.setattr(views, "submission_create", store)
    page = client.get(f"/quiz/q/{key}/").content.decode()
    assert re.search(rf'value="{ideal[key]}"[^>]*checked', page)
    response = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
    assert response["Location"] == m.Submission.objects.get().get_absolute_url()


@override_settings(QUIZ_RATE_LIMIT=(1, 600))
def test_finishing_is_rate_limited(client, ideal):
    asked, _ = _answer_until_result(client, ideal, _begin(client))
    # A different answer to the last question: a new answer set to store.
    last = asked[-1]
    changed = {**ideal, last: next(v for v in _values(last) if v != ideal[last])}
    key = last
    while True:
        response = client.post(f"/quiz/q/{key}/", {"answer": str(changed[key])})
        if response.status_code != 302 or not STEP.match(response["Location"]):
            break
        key = _key(response)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert m.Submission.objects.count() == 1
    # "Your answers were not lost": the answer that met the limit is kept.
    assert _state(client)["a"][key] == changed[key]
    assert "Your answers were not lost" in response.content.decode()


@override_settings(QUIZ_RATE_LIMIT=(1, 600))
def test_the_same_answers_sent_again_at_the_limit_find_their_result(client, ideal):
    """Back from a result and Continue with the same answer (or a double
    click) stores nothing new: it finds the result, even with the limit
    reached, and does not count against it."""
    asked, url = _answer_until_result(client, ideal, _begin(client))
    last = asked[-1]
    again = client.post(f"/quiz/q/{last}/", {"answer": str(ideal[last])})
    assert again.status_code == 302
    assert again["Location"] == url
    assert m.Submission.objects.count() == 1


@override_settings(QUIZ_RATE_LIMIT=(2, 600))
def test_finding_an_earlier_result_does_not_count_against_the_limit(client, ideal):
    asked, url = _answer_until_result(client, ideal, _begin(client))
    last = asked[-1]
    for _ in range(3):
        client.post(f"/quiz/q/{last}/", {"answer": str(ideal[last])})
    # A different answer to the last question: a second result, within two.
    changed = {**ideal, last: next(v for v in _values(last) if v != ideal[last])}
    key = last
    while True:
        response = client.post(f"/quiz/q/{key}/", {"answer": str(changed[key])})
        assert response.status_code == 302, "a second result is within a limit of two"
        if not STEP.match(response["Location"]):
            break
        key = _key(response)
    assert response["Location"] != url
    assert m.Submission.objects.count() == 2


def test_a_step_is_small_when_compressed(client, seeded):
    key = _begin(client)
    html = client.get(f"/quiz/q/{key}/").content
    assert len(gzip.compress(html)) <= 10 * 1024
    error = client.post(f"/quiz/q/{key}/", {}).content
    assert len(gzip.compress(error)) <= 10 * 1024


def _questionnaire(size: int, prefix: str) -> None:
    roles = [RoleFactory() for _ in range(size)]
    for i in range(size * 3):
        make_scenario(
            [{roles[i % size]: 3}, {roles[(i + 1) % size]: 3}], key=f"{prefix}-s-{i}"
        )
        make_statement({roles[i % size]: 2}, key=f"{prefix}-a-{i}")


def test_a_step_page_takes_the_same_queries_at_two_sizes(client):
    _questionnaire(2, "small")
    small = count_queries(client, f"/quiz/q/{_begin(client)}/")
    _questionnaire(6, "large")
    large = count_queries(client, f"/quiz/q/{_begin(client)}/")
    assert small == large, (small, large)


@override_settings(QUIZ_RATE_LIMIT=(1, 600))
def test_results_the_database_could_not_store_do_not_count_towards_the_limit(
    client, ideal, monkeypatch
):
    """Resending the last answer while the database is down (the 503 page's
    button), then once it is back: the result is stored, not refused as one
    submission too many."""
    store = _store_fails(monkeypatch)
    key, response = _answer_until_refused(client, ideal)
    for _ in range(3):  # the visitor tries again while it is still down
        again = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
        assert again.status_code == 503
    monkeypatch.setattr(views, "submission_create", store)
    response = client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == m.Submission.objects.get().get_absolute_url()


@override_settings(QUIZ_RATE_LIMIT=(1, 600))
def test_full_questionnaire_submissions_the_database_refused_do_not_count(
    seeded, monkeypatch
):
    answers = {
        f"q-{q.key}": "0" if q.kind == "scenario" else "1"
        for q in published_questionnaire().questions
    }
    store = _store_fails(monkeypatch)
    visitor = Client(raise_request_exception=False)  # the site's 503 page
    for _ in range(2):
        assert visitor.post("/quiz/all/", answers).status_code == 503
    monkeypatch.setattr(views, "submission_create", store)
    assert visitor.post("/quiz/all/", answers).status_code == 302
    changed = {**answers, next(iter(answers)): "1"}
    assert visitor.post("/quiz/all/", changed).status_code == 429


def _scenario_answered_past_first_option(client, ideal) -> tuple[str, str]:
    """Start, answer questions until a scenario with three options or more
    is answered with its second option (so removing the first moves the
    answer onto another option); the key and the next question's key."""
    key = _begin(client)
    while True:
        question = m.Question.objects.get(key=key)
        scenario = question.kind == "scenario" and question.options.count() > 2
        value = 1 if scenario else ideal[key]
        following = _key(client.post(f"/quiz/q/{key}/", {"answer": str(value)}))
        if scenario:
            return key, following
        key = following


def test_an_answer_whose_option_an_editor_removed_is_asked_again(client, ideal):
    """Answers are kept by position: removing an earlier option moved a
    visitor's answer onto the next option, which the result then counted."""
    key, following = _scenario_answered_past_first_option(client, ideal)
    assert key in _state(client)["a"]
    m.Question.objects.get(key=key).options.order_by("order").first().delete()
    response = client.get(f"/quiz/q/{following}/")
    assert response.status_code == 200
    assert key not in _state(client)["a"]
    page = client.get(f"/quiz/q/{key}/").content.decode()
    assert " checked" not in page  # nothing chosen for them


def test_an_edited_option_keeps_no_answer_given_to_its_old_text(client, ideal):
    key, following = _scenario_answered_past_first_option(client, ideal)
    option = m.Question.objects.get(key=key).options.order_by("order")[1]
    option.text = "A different thing to do altogether."
    option.save()
    client.get(f"/quiz/q/{following}/")
    assert key not in _state(client)["a"]


def test_answer_more_after_an_option_was_removed_does_not_shift_answers(client, ideal):
    answers = dict(ideal)
    for question in m.Question.objects.filter(kind="scenario"):
        if question.options.count() > 2:
            answers[question.key] = 1  # the second option: not last either
    asked, url = _answer_until_result(client, answers, _begin(client))
    submission = m.Submission.objects.get()
    moved = next(
        k
        for k in asked
        if m.Question.objects.get(key=k).kind == "scenario"
        and m.Question.objects.get(key=k).options.count() > 2
    )
    kept = next(k for k in asked if k != moved)
    m.Question.objects.get(key=moved).options.order_by("order").first().delete()
    client.post(url + "continue/")
    state = _state(client)["a"]
    assert moved not in state
    assert state[kept] == submission.answers[kept]


def test_a_question_withdrawn_while_on_it_says_so_and_leads_on(client, ideal):
    """A visitor answers a question an editor withdrew meanwhile: not the
    site's generic 'could not find that page', but what happened and the way
    on, their answers kept."""
    first = _begin(client)
    second = _key(client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])}))
    withdrawn = m.Question.objects.get(key=second)
    withdrawn.status = m.Status.DRAFT
    withdrawn.save()
    response = client.post(f"/quiz/q/{second}/", {"answer": "0"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "no longer" in html and "could not find that page" not in html
    following = re.search(r'href="/quiz/q/([^/"]+)/"', html).group(1)
    assert following not in (first, second)
    assert list(_state(client)["a"]) == [first]
    assert client.get(f"/quiz/q/{following}/").status_code == 200


def test_a_made_up_question_address_mid_flow_is_not_called_withdrawn(client, ideal):
    """A mistyped or forged question address, mid-flow: no question ever had
    that key, so the page does not say it "was taken out ... after it was
    shown to you"; it still leads on to the next question, answers kept."""
    first = _begin(client)
    client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])})
    response = client.get("/quiz/q/no-such-question/")
    assert response.status_code == 404
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "taken out" not in text and "no longer asked" not in text
    assert "There is no such question" in text
    assert "Your answers so far are kept" in text
    following = re.search(r'href="/quiz/q/([^/"]+)/"', response.content.decode())
    assert following and following.group(1) != first


@pytest.mark.parametrize(
    "address", ["%C3%A9t%C3%A9", "Free-Week", "a%20b", "x.y", "a%00b", "k" * 300]
)
def test_any_made_up_question_address_gets_the_quiz_own_page(client, ideal, address):
    """Not only slugs: an address with accents, capitals or other characters
    is one more made-up question, answered by the quiz's own 404 that leads
    on to the next question, not the site's general one."""
    first = _begin(client)
    client.post(f"/quiz/q/{first}/", {"answer": str(ideal[first])})
    response = client.get(f"/quiz/q/{address}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no such question" in html
    assert "Your answers so far are kept" in html


def test_an_unknown_question_without_a_flow_points_to_the_start(client, seeded):
    response = client.get("/quiz/q/no-such-question/")
    assert response.status_code == 404
    assert 'href="/quiz/"' in response.content.decode()


def _shown(page: str) -> str:
    match = re.search(r'name="shown" value="([^"]+)"', page)
    assert match, "the step form says which version of its question it shows"
    return match.group(1)


@pytest.mark.parametrize("edit", ["remove an option", "reword an option"])
def test_an_answer_to_a_question_changed_while_on_it_is_asked_again(
    client, ideal, edit
):
    """The step posts an option's position: an editor removing an earlier
    option while a visitor had the page open recorded the next option, one
    they never saw chosen, and nothing said so. The form says which version
    of the question it showed; a changed one is shown again as it is now."""
    key = _begin(client)
    while not (
        m.Question.objects.get(key=key).kind == "scenario"
        and m.Question.objects.get(key=key).options.count() > 2
    ):
        key = _key(client.post(f"/quiz/q/{key}/", {"answer": str(ideal[key])}))
    shown = _shown(client.get(f"/quiz/q/{key}/").content.decode())
    options = m.Question.objects.get(key=key).options.order_by("order")
    if edit == "remove an option":
        options.first().delete()
    else:
        option = options[1]
        option.text = "A different thing to do altogether."
        option.save()
    response = client.post(f"/quiz/q/{key}/", {"answer": "1", "shown": shown})
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed while you were answering it" in page
    assert _shown(page) != shown  # the question as it is now, to answer
    assert " checked" not in page
    assert key not in _state(client)["a"]
    again = client.post(f"/quiz/q/{key}/", {"answer": "1", "shown": _shown(page)})
    assert again.status_code == 302
    assert key in _state(client)["a"]


def test_see_my_result_now_is_only_taken_where_it_is_offered(client, ideal):
    """The button appears once the stopping rule has had its minimum of
    questions and the visitor asked for more; posting it by hand with the
    first answer stored a shareable result "based on 1 of 67 questions"."""
    key = _begin(client)
    response = client.post(
        f"/quiz/q/{key}/", {"answer": str(ideal[key]), "finish": "1"}
    )
    assert response.status_code == 302
    assert STEP.match(response["Location"]), response["Location"]
    assert not m.Submission.objects.exists()


def test_progress_after_a_settling_link_counts_what_can_follow():
    """Following "what would settle it" asks the queued questions, then the
    adaptive flow goes on only until it settles, and never past its ceiling:
    the ceiling shown is that, not every question left in the questionnaire."""
    from roles.questionnaire import flow

    answered = {f"q{i}": 0 for i in range(10)}
    state = flow.FlowState("n", answered, queue=("s1", "s2"))
    first = flow.progress(state, "s1", typical=12, total=43)
    # s2, then at most MAX_QUESTIONS - 12 adaptive ones.
    assert first.to_go == 1 + adaptive.MAX_QUESTIONS - 12
    assert 0 < first.done < first.of and first.usual == 0
    # A queued question answered before (asked again) adds nothing to the
    # count, and is numbered on from the answers given: never back to 4 (its
    # first place), with Back to the last other answer, not the introduction.
    again = flow.FlowState("n", answered, queue=("q3", "s2"))
    second = flow.progress(again, "q3", typical=12, total=43)
    assert second.number == 10
    assert second.to_go == 1 + adaptive.MAX_QUESTIONS - 11
    assert again.previous("q3") == "q9"
    assert again.position("s2") == 11
    assert again.position("q2") == 3  # Back to an earlier answer: its place
    # q3 answered again: the next queued question follows on from it.
    after = flow.FlowState("n", {**answered, "q3": 1}, queue=("s2",))
    assert after.position("s2") == 11
    # Past the ceiling already: only the queue is left.
    many = flow.FlowState("n", {f"q{i}": 0 for i in range(30)}, queue=("s1",))
    assert flow.progress(many, "s1", typical=12, total=43).to_go == 0
    # "Answer more questions" goes on to every question: that is the ceiling.
    more = flow.FlowState("n", answered, more=True)
    assert flow.progress(more, "q99", typical=12, total=43).to_go == 43 - 11


def test_the_scoring_page_states_the_flows_real_stopping_rule(client, seeded):
    """ "How is this scored?" says when the one-at-a-time flow stops, with the
    numbers it really uses: the fewest questions, the settling bar (never
    below the clear-match bar), the cap and the full count."""
    questionnaire = published_questionnaire()
    html = re.sub(r"\s+", " ", client.get("/quiz/how-scoring-works/").content.decode())
    settle = round(questionnaire.adaptive.settle * 100)
    assert questionnaire.adaptive.settle >= questionnaire.model.clear
    assert f"After at least {adaptive.MIN_QUESTIONS} questions" in html
    assert f"reaches {settle}&nbsp;%" in html
    assert f"after {adaptive.MAX_QUESTIONS} questions at most" in html
    assert f"up to all {len(questionnaire.questions)}" in html


@pytest.mark.parametrize("typical", [1, 8, 13, 24])
def test_progress_never_goes_back_nor_promises_an_end_it_moves(typical):
    """Along one respondent's flow (no links followed): the bar only moves
    on, and ends full at the ceiling; what is left is always said as the most
    there can be, counting down by one, and a typical figure is only ever
    given beside it ("usually about 1 more, at most 12"). It said "about 1
    more to go" at question 12, then "at most 11 more" with the bar going from
    11/13 back to 12/24."""
    from roles.questionnaire import flow

    total = 67
    ceiling = min(total, adaptive.MAX_QUESTIONS)
    answers: dict[str, int] = {}
    bars, left = [], []
    for n in range(1, ceiling + 1):
        state = flow.FlowState("n", dict(answers))
        shown = flow.progress(state, f"q{n}", typical=typical, total=total)
        assert shown.number == n
        assert shown.to_go == ceiling - n
        assert shown.usual == (typical - n if n < typical else 0)
        assert 0 <= shown.done <= shown.of
        bars.append(shown.done / shown.of)
        left.append(shown.to_go)
        answers[f"q{n}"] = 0
    assert bars == sorted(bars) and bars[0] < 0.1
    assert left == sorted(left, reverse=True) and left[-1] == 0
    # Near the typical length the bar is well on, not at a third.
    if 1 < typical < ceiling:
        assert bars[typical - 1] >= 0.6


def test_a_step_says_usually_and_at_most_together(client, seeded):
    key = _begin(client)
    html = re.sub(r"\s+", " ", client.get(f"/quiz/q/{key}/").content.decode())
    length = quiz_length()
    most = min(len(published_questionnaire().questions), adaptive.MAX_QUESTIONS) - 1
    assert f"usually about {length.questions - 1} more, at most {most}" in html
    assert re.search(r'<progress max="100" value="\d+"', html)


COOKIE_OCTETS = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+")  # RFC 6265


def test_the_flow_cookie_is_cookie_octets_and_survives_a_jar_that_sends_it_verbatim(
    client, seeded
):
    """The cookie was quoted JSON with \\" and \\054 escapes: Python's cookie
    jar (requests) sent it back as written, quotes and all, and every step
    after /quiz/start/ said "Your answers could not be restored"."""
    response = client.post("/quiz/start/")
    key = _key(response)
    set_cookie = response.cookies[FLOW_COOKIE].OutputString()
    raw = set_cookie.split(";", 1)[0].split("=", 1)[1]
    assert COOKIE_OCTETS.fullmatch(raw), raw
    verbatim = Client(HTTP_COOKIE=f"{FLOW_COOKIE}={raw}")
    assert verbatim.get(f"/quiz/q/{key}/").status_code == 200


def test_a_flow_cookie_in_the_old_quoted_json_form_is_still_read(client, seeded):
    key = _begin(client)
    state = _state(client)
    client.cookies[FLOW_COOKIE] = _signed(json.dumps(state, separators=(",", ":")))
    assert client.cookies[FLOW_COOKIE].value.startswith("{")  # the old form
    response = client.get(f"/quiz/q/{key}/")
    assert response.status_code == 200
