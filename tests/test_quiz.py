import uuid

import pytest
from django.test import override_settings

from roles import models as m
from roles.quiz import health, load_questionnaire

from .conftest import count_queries
from .factories import RoleFactory, make_scenario, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_roles():
    pm = RoleFactory(slug="product-manager", name="Product Manager")
    po = RoleFactory(slug="product-owner", name="Product Owner")
    return pm, po


@pytest.fixture
def questions(quiz_roles):
    pm, po = quiz_roles
    q1 = make_scenario([{pm: 3}, {po: 3}], key="horizon")
    q2 = make_scenario([{pm: 2}, {po: 2}, {pm: 1, po: 1}], key="day")
    s1 = make_statement({pm: 4}, key="customers")
    return q1, q2, s1


def answer_all(pm_side=True):
    return {
        "q-horizon": "0" if pm_side else "1",
        "q-day": "0" if pm_side else "1",
        "q-customers": "2" if pm_side else "-2",
    }


def test_intro_explains_the_questionnaire(client, questions):
    html = client.get("/quiz/").content.decode()
    assert "not a test" in html
    assert "not for hiring" in html
    assert "3 questions" in html
    assert html.count("<fieldset") == 3
    assert html.count("<legend") == 3
    assert 'name="csrfmiddlewaretoken"' in html


def test_submitting_redirects_to_a_permanent_result(client, questions):
    response = client.post("/quiz/", answer_all())
    assert response.status_code == 302
    submission = m.Submission.objects.get()
    assert response["Location"] == f"/quiz/results/{submission.pk}/"
    assert submission.top_role_slug == "product-manager"
    html = client.get(response["Location"]).content.decode()
    assert "Your best match: Product Manager" in html
    assert "100% match" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'property="og:title"' in html
    assert 'href="/roles/product-manager/"' in html


def test_result_explains_why_with_the_answers_that_counted(client, questions):
    response = client.post("/quiz/", answer_all())
    html = client.get(response["Location"]).content.decode()
    assert "Why" in html
    assert "Strongly agree" in html


def test_close_result_says_you_sit_between_and_links_the_comparison(client, questions):
    response = client.post(
        "/quiz/", {"q-horizon": "0", "q-day": "1", "q-customers": "0"}
    )
    html = client.get(response["Location"]).content.decode()
    assert "You sit between" in html
    assert 'href="/compare/product-manager-vs-product-owner/"' in html


def test_missing_answers_are_named_and_given_answers_kept(client, questions):
    response = client.post("/quiz/", {"q-horizon": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer 2 more questions" in html
    assert (
        'value="1"  id="id_q-horizon_1" required checked' in html or "checked" in html
    )
    assert m.Submission.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"q-horizon": "7", "q-day": "0", "q-customers": "0"},
        {"q-horizon": "-1", "q-day": "0", "q-customers": "0"},
        {"q-horizon": "zero", "q-day": "0", "q-customers": "0"},
        {"q-horizon": "0", "q-day": "0", "q-customers": "3"},
        {"q-horizon": "0.5", "q-day": "0", "q-customers": "1"},
        {"q-horizon": "\x00", "q-day": "0", "q-customers": "1"},
        {"unknown": "1"},
    ],
)
def test_tampered_answers_are_a_form_error_not_a_500(client, questions, data):
    response = client.post("/quiz/", data)
    assert response.status_code == 400
    assert m.Submission.objects.count() == 0


def test_duplicate_values_for_one_question_are_rejected_or_take_one(client, questions):
    response = client.post(
        "/quiz/", {"q-horizon": ["0", "1"], "q-day": "0", "q-customers": "0"}
    )
    assert response.status_code in (302, 400)
    assert m.Submission.objects.count() <= 1


def test_oversized_payload_is_refused(client, questions):
    response = client.post("/quiz/", {**answer_all(), "padding": "x" * 50_000})
    assert response.status_code == 413
    assert m.Submission.objects.count() == 0


def test_editing_points_after_a_submission_leaves_its_result_unchanged(
    client, questions, quiz_roles
):
    pm, po = quiz_roles
    url = client.post("/quiz/", answer_all())["Location"]

    def result_part():
        html = client.get(url).content.decode()
        return html[html.index("<h1") : html.index('id="feedback"')]

    before = result_part()
    assert "Product Manager" in before
    m.OptionPoints.objects.all().update(points=0)
    m.StatementPoints.objects.all().delete()
    m.Question.objects.filter(key="horizon").update(text="Rewritten question")
    m.OptionPoints.objects.update_or_create(
        option=m.Option.objects.last(), role=po, defaults={"points": 5}
    )
    m.Role.objects.filter(pk=pm.pk).update(name="Renamed role")
    assert result_part() == before


def test_unknown_result_is_404(client):
    assert client.get(f"/quiz/results/{uuid.uuid4()}/").status_code == 404
    assert client.get("/quiz/results/not-a-uuid/").status_code == 404


def test_feedback_is_recorded(client, questions):
    url = client.post("/quiz/", answer_all())["Location"]
    response = client.post(url + "feedback/", {"fit": "no"})
    assert response.status_code == 302
    assert m.Submission.objects.get().fit is False
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_bad_feedback_is_400(client, questions):
    url = client.post("/quiz/", answer_all())["Location"]
    assert client.post(url + "feedback/", {"fit": "maybe"}).status_code == 400
    assert m.Submission.objects.get().fit is None


def test_quiz_post_needs_a_csrf_token(questions):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/quiz/", answer_all()).status_code == 403


@override_settings(QUIZ_RATE_LIMIT=(2, 600))
def test_submissions_are_rate_limited_with_a_friendly_429(client, questions):
    assert client.post("/quiz/", answer_all()).status_code == 302
    assert client.post("/quiz/", answer_all()).status_code == 302
    response = client.post("/quiz/", answer_all())
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 600


@override_settings(QUIZ_RATE_LIMIT=(3, 600))
def test_a_spoofed_forwarded_for_does_not_escape_the_rate_limit(client, questions):
    codes = [
        client.post(
            "/quiz/", answer_all(), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(6)
    ]
    assert codes == [302, 302, 302, 429, 429, 429]
    assert m.Submission.objects.count() == 3


def test_draft_questions_are_not_asked(client, questions):
    m.Question.objects.filter(key="day").update(status=m.Status.DRAFT)
    html = client.get("/quiz/").content.decode()
    assert html.count("<fieldset") == 2


def _queries(client, method, url, data=None) -> int:
    return count_queries(client, url, method, data)


def test_quiz_and_result_query_counts_do_not_grow_with_questions(client, quiz_roles):
    pm, po = quiz_roles
    for i in range(3):
        make_scenario([{pm: 1}, {po: 1}], key=f"few-{i}")
    few_form = _queries(client, "get", "/quiz/")
    url = client.post("/quiz/", {f"q-few-{i}": "0" for i in range(3)})["Location"]
    few_result = _queries(client, "get", url)
    for i in range(30):
        make_scenario([{pm: 1}, {po: 1}, {pm: 2}], key=f"many-{i}")
        make_statement({po: 2}, key=f"stmt-{i}")
    many_form = _queries(client, "get", "/quiz/")
    data = {f"q-few-{i}": "0" for i in range(3)}
    data |= {f"q-many-{i}": "0" for i in range(30)} | {
        f"q-stmt-{i}": "1" for i in range(30)
    }
    url = client.post("/quiz/", data)["Location"]
    many_result = _queries(client, "get", url)
    assert few_form == many_form
    assert few_result == many_result


def test_seeded_questionnaire_is_healthy(seeded):
    questionnaire = load_questionnaire()
    assert len(questionnaire.questions) >= 20
    roles, checks = health(questionnaire)
    assert len(roles) >= 10
    unreachable = [r.name for r in roles if not r.reachable]
    assert unreachable == []
    assert [c.key for c in checks if not c.discriminating] == []


def test_seeded_questionnaire_separates_product_manager_from_product_owner(seeded):
    questionnaire = load_questionnaire()
    separating = 0
    for q in questionnaire.questions:
        if q.kind == "scenario":
            if any(
                o.points.get("product-manager", 0) != o.points.get("product-owner", 0)
                for o in q.options
            ):
                separating += 1
        elif q.weights.get("product-manager", 0) != q.weights.get("product-owner", 0):
            separating += 1
    assert separating >= 12
