"""Random input at every public form and URL: never a 500, and no change to
stored content beyond what a valid questionnaire submission makes."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles import models as m
from roles.content_io.schema import export_document

from .factories import RoleFactory, make_scenario, make_statement

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80
)


@pytest.fixture
def catalogue():
    roles = [RoleFactory(slug=s, name=s.title()) for s in ("alpha", "bravo", "charlie")]
    make_scenario([{roles[0]: 3}, {roles[1]: 3}, {roles[2]: 2}], key="first")
    make_statement({roles[0]: 2, roles[2]: 4}, key="second")
    return roles


def _ok(response) -> None:
    assert response.status_code < 500, response.status_code


slug_like = st.one_of(
    st.sampled_from(
        ["alpha", "bravo", "charlie", "delta", "", "-", "vs", "ALPHA", "a" * 300]
    ),
    st.from_regex(r"[a-z0-9-]{0,20}", fullmatch=True),
    text,
)


@FUZZ
@given(parts=st.lists(slug_like, min_size=0, max_size=7), query=text)
def test_comparison_urls_never_500(catalogue, parts, query):
    before = export_document()
    path = "/compare/" + quote("-vs-".join(parts), safe="") + "/"
    _ok(Client().get(path, {"context": query, "diff": query}))
    assert export_document() == before


@FUZZ
@given(
    roles=st.lists(slug_like, max_size=8), extra=st.dictionaries(text, text, max_size=3)
)
def test_compare_picker_never_500(catalogue, roles, extra):
    response = Client().get("/compare/", {"roles": roles, **extra})
    _ok(response)
    if response.status_code == 302:
        assert response["Location"].startswith("/compare/")


@FUZZ
@given(path=st.one_of(text, st.from_regex(r"[a-z0-9/._%-]{0,60}", fullmatch=True)))
def test_public_urls_never_500(catalogue, path):
    for prefix in ("/roles/", "/quiz/results/", "/compare/", "/"):
        _ok(Client().get(prefix + quote(path, safe="/")))


answer_values = st.one_of(
    st.sampled_from(["0", "1", "2", "-1", "-2", "3", "99", "", " 1", "1.0", "١"]),
    text,
    st.integers().map(str),
)
field_names = st.one_of(
    st.sampled_from(["q-first", "q-second", "q-missing", "csrfmiddlewaretoken"]), text
)


@FUZZ
@given(
    fields=st.dictionaries(
        field_names, st.lists(answer_values, min_size=1, max_size=3), max_size=6
    )
)
def test_quiz_post_never_500_and_only_valid_answers_store(catalogue, fields):
    before = export_document()
    submissions = m.Submission.objects.count()
    response = Client().post("/quiz/all/", fields)
    _ok(response)
    assert export_document() == before
    stored = m.Submission.objects.count() - submissions
    if response.status_code == 302:
        assert stored == 1
        submission = m.Submission.objects.order_by("-created_at").first()
        assert set(submission.answers) == {"first", "second"}
    else:
        assert stored == 0


@FUZZ
@given(
    body=st.binary(max_size=3000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/json",
            "text/plain; charset=latin-1",
        ]
    ),
)
def test_quiz_raw_bodies_never_500(catalogue, body, content_type):
    _ok(Client().generic("POST", "/quiz/all/", body, content_type=content_type))
    assert m.Submission.objects.count() == 0


@FUZZ
@given(fit=st.one_of(text, st.sampled_from(["yes", "no", "", "YES"])))
def test_feedback_never_500(catalogue, fit):
    client = Client()
    url = client.post("/quiz/all/", {"q-first": "0", "q-second": "1"})["Location"]
    response = client.post(url + "feedback/", {"fit": fit})
    stored = m.Submission.objects.get(pk=url.split("/")[-2]).fit
    # FeedbackForm takes exactly "yes" or "no"; anything else is refused (400)
    # and the submission keeps no verdict.
    if fit in ("yes", "no"):
        assert response.status_code == 302, response.status_code
        assert stored is (fit == "yes")
    else:
        assert response.status_code == 400, (fit, response.status_code)
        assert stored is None


@FUZZ
@given(
    query=st.one_of(
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
            max_size=260,
        ),
        st.lists(st.sampled_from(["po", "a", "backlog", "zebra", "the"])).map(" ".join),
    )
)
def test_search_answers_any_query_with_results_or_the_400_page(catalogue, query):
    response = Client().get("/search/", {"q": query})
    cleaned = " ".join(query.replace("\x00", " ").split())
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert len(cleaned) > 200
