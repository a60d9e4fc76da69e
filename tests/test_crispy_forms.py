"""Every public form is drawn by django-crispy-forms through the site's own
template pack, "roleguides" (templates/roleguides/, roles/core/crispy.py):
the design system's markup, exactly one CSRF token per POST form, and errors
beside the control they are about, named by aria-describedby. (A choice
field's fieldset is drawn by the pack's ``ChoiceFieldset`` in Python, held
byte-equal to the pack's templates by tests/test_choice_fieldset.py, so its
templates do not show among those a response rendered.)"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client

from roles.core.crispy import PACK
from roles.questionnaire.forms import FeedbackForm

from .factories import RoleFactory, make_scenario, make_statement

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


class Forms(HTMLParser):
    """Each <form> of a page: its attributes, the csrfmiddlewaretoken inputs
    inside it, and the classes of every element inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"attrs": attrs, "tokens": 0, "classes": set()}
            self.forms.append(self._open)
        elif self._open is not None:
            if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
                self._open["tokens"] += 1
            self._open["classes"].update((attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None

    def by_id(self, form_id: str) -> dict:
        [form] = [f for f in self.forms if f["attrs"].get("id") == form_id]
        return form

    def with_class(self, css_class: str) -> dict:
        [form] = [
            f for f in self.forms if css_class in f["attrs"].get("class", "").split()
        ]
        return form


def pack_templates(response) -> set[str]:
    return {t.name for t in response.templates if t.name and t.name.startswith(PACK)}


def assert_one_token_per_post_form(html: str):
    forms = Forms(html).forms
    assert forms
    for form in forms:
        post = form["attrs"].get("method", "get").lower() == "post"
        assert form["tokens"] == (1 if post else 0), form["attrs"]


@pytest.fixture
def quiz():
    pm = RoleFactory(slug="product-manager", name="Product Manager")
    po = RoleFactory(slug="product-owner", name="Product Owner")
    make_scenario([{pm: 3}, {po: 3}], key="horizon", hint="Think of last year.")
    make_scenario([{pm: 2}, {po: 2}], key="day")
    make_statement({pm: 4}, key="customers")
    return pm, po


ANSWERS = {"q-horizon": "0", "q-day": "0", "q-customers": "2"}


def test_settings_name_the_pack_and_only_the_pack():
    assert settings.CRISPY_TEMPLATE_PACK == PACK
    assert tuple(settings.CRISPY_ALLOWED_TEMPLATE_PACKS) == (PACK,)
    assert (ROOT / "templates" / PACK / "whole_uni_form.html").exists()
    assert "crispy_bootstrap5" not in settings.INSTALLED_APPS


def test_no_page_template_writes_a_form_or_a_csrf_token_by_hand():
    """Forms on public pages come from {% crispy %}; the header's search box
    (a GET form in base.html) is the one hand-written form left."""
    for name in ("quiz", "quiz_result", "compare_index", "search"):
        html = (ROOT / "templates" / "roles" / f"{name}.html").read_text()
        assert "{% crispy " in html, name
        assert "<form" not in html and "csrf_token" not in html, name


# --- the questionnaire ------------------------------------------------------------


def test_quiz_is_drawn_by_the_pack_one_fieldset_per_question(client, quiz):
    response = client.get("/quiz/all/")
    assert "roleguides/whole_uni_form.html" in pack_templates(response)
    html = response.content.decode()
    # The pack's SubmitButton (drawn as layout/submit.html would draw it).
    assert (
        '<div class="quiz-submit"><button type="submit" class="btn btn-primary">See my result</button></div>'
        in html
    )
    form = Forms(html).by_id("quiz-form")
    assert form["attrs"]["method"] == "post"
    assert form["attrs"]["action"] == "/quiz/all/"
    assert "novalidate" in form["attrs"]
    assert form["attrs"]["aria-labelledby"] == "quiz-heading"
    fieldsets = re.findall(r"<fieldset[^>]*>.*?</fieldset>", html, re.S)
    assert len(fieldsets) == 3
    first, _, statement = fieldsets
    assert first.startswith(
        '<fieldset class="quiz-question" id="question-horizon" data-kind="scenario">'
    )
    assert re.search(r"<legend>1\. .+</legend>", first)
    assert '<p class="quiz-hint">Think of last year.</p>' in first
    assert '<div class="option-list">' in first
    assert '<div class="option-list option-list-scale">' in statement
    assert 'data-kind="agreement"' in statement
    # The ids static/js/quiz.js and the tests rely on.
    assert re.search(
        r'<label class="option-card" for="id_q-horizon_0">\s*'
        r'<input type="radio" name="q-horizon" value="\d" id="id_q-horizon_0" required>',
        first,
    )
    assert 'name="nonce"' in html
    assert (
        '<div class="quiz-submit"><button type="submit" class="btn btn-primary">'
        in html
    )
    assert_one_token_per_post_form(html)


def test_quiz_errors_sit_under_each_question_named_by_aria_describedby(client, quiz):
    response = client.post("/quiz/all/", {"q-horizon": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert_one_token_per_post_form(html)
    fieldset = re.search(r'<fieldset[^>]*id="question-day".*?</fieldset>', html, re.S)[
        0
    ]
    assert 'aria-describedby="question-day-error"' in fieldset
    error = fieldset.index('<p class="quiz-error" id="question-day-error">')
    assert fieldset.index("</legend>") < error < fieldset.index('type="radio"')
    assert "Please answer this question." in fieldset
    assert 'aria-invalid="true"' in fieldset
    # The answered question keeps its answer and has no error.
    answered = re.search(
        r'<fieldset[^>]*id="question-horizon".*?</fieldset>', html, re.S
    )[0]
    assert "aria-describedby" not in answered and "quiz-error" not in answered
    assert re.search(r'value="1" id="id_q-horizon_\d" required checked', answered)


def test_an_editors_preview_has_no_submit_button(staff_client, quiz):
    html = staff_client.get("/quiz/all/?preview=1").content.decode()
    assert html.count("<fieldset") == 3
    assert "quiz-submit" not in html and "See my result" not in html


# --- the feedback form on a result ------------------------------------------------


def test_feedback_form_is_drawn_by_the_pack_with_one_csrf_token(quiz):
    taker = Client(enforce_csrf_checks=True)
    html = taker.get("/quiz/all/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    url = taker.post("/quiz/all/", {**ANSWERS, "csrfmiddlewaretoken": token})[
        "Location"
    ]
    response = taker.get(url)
    assert {
        "roleguides/whole_uni_form.html",
        "roleguides/field.html",
    } <= pack_templates(response)
    html = response.content.decode()
    assert_one_token_per_post_form(html)
    form = Forms(html).by_id("feedback-form")
    assert form["attrs"]["action"] == url + "feedback/"
    assert form["attrs"]["class"] == "feedback-form"
    assert "<legend>Your answer</legend>" in html
    # Yes and No as option cards: the whole card is the radio's label.
    assert '<div class="option-list feedback-options">' in html
    assert re.search(
        r'<label class="option-card" for="id_fit_0">\s*<input type="radio" name="fit" '
        r'value="yes" id="id_fit_0" required>\s*<span class="option-text">Yes</span>',
        html,
    )
    assert '<label class="form-label" for="id_current_role">' in html
    assert re.search(
        r'<select name="current_role" class="form-select" '
        r'aria-describedby="id_current_role_helptext" id="id_current_role">',
        html,
    )
    assert '<span class="form-text" id="id_current_role_helptext">' in html
    # The token the pack wrote is the one the feedback view accepts.
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[-1]
    response = taker.post(
        url + "feedback/",
        {"fit": "no", "current_role": "product-owner", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    html = taker.get(response["Location"]).content.decode()
    assert '<option value="product-owner" selected>' in html
    assert_one_token_per_post_form(html)


def test_feedback_errors_are_named_by_aria_describedby():
    form = FeedbackForm(
        {"fit": "maybe", "current_role": "ceo"},
        role_choices=[("product-owner", "Product Owner")],
        action="/quiz/results/x/feedback/",
    )
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "csrf_token": "t" * 64})
    )
    assert_one_token_per_post_form(html)
    fieldset = re.search(r"<fieldset.*?</fieldset>", html, re.S)[0]
    assert fieldset.startswith('<fieldset aria-describedby="id_fit_error">')
    error = fieldset.index('<p class="field-error" id="id_fit_error">')
    assert fieldset.index("</legend>") < error < fieldset.index('type="radio"')
    select = re.search(r"<select[^>]*>", html)[0]
    assert 'aria-invalid="true"' in select
    assert 'aria-describedby="id_current_role_helptext id_current_role_error"' in select
    assert '<span class="field-error" id="id_current_role_error">' in html


# --- the comparison picker and the search box (GET forms) -------------------------


def test_compare_picker_is_drawn_by_the_pack_without_a_token(client):
    RoleFactory(slug="alpha", name="Alpha")
    RoleFactory(slug="bravo", name="Bravo")
    response = client.get("/compare/")
    assert {
        "roleguides/whole_uni_form.html",
    } <= pack_templates(response)
    html = response.content.decode()
    assert_one_token_per_post_form(html)
    form = Forms(html).by_id("compare-picker")
    assert form["attrs"] == {
        "method": "get",
        "action": "/compare/",
        "id": "compare-picker",
        "novalidate": None,
    }
    assert '<ul class="picker-options">' in html
    assert (
        '<li><label class="option-card" for="id_roles_0"><input type="checkbox" '
        'name="roles" value="alpha" class="form-check-input" id="id_roles_0"> '
    ) in html
    assert (
        '<button type="submit" class="btn btn-primary" name="compare" value="1">'
        "Compare</button>"
    ) in html
    # Without JavaScript the picker still lands on the comparison.
    assert client.get("/compare/", {"roles": ["bravo", "alpha"]}).status_code == 302


def test_compare_picker_error_is_named_by_aria_describedby(client):
    RoleFactory(slug="alpha", name="Alpha")
    RoleFactory(slug="bravo", name="Bravo")
    html = client.get("/compare/", {"roles": ["alpha"]}).content.decode()
    fieldset = re.search(r"<fieldset.*?</fieldset>", html, re.S)[0]
    assert fieldset.startswith('<fieldset aria-describedby="roles-error">')
    assert '<p class="field-error" id="roles-error">' in fieldset


def test_search_form_is_a_django_form_drawn_by_the_pack(client):
    RoleFactory(slug="product-owner", name="Product Owner", also_known_as="PO")
    response = client.get("/search/", {"q": "  PO  "})
    assert {
        "roleguides/whole_uni_form.html",
        "roleguides/field.html",
    } <= pack_templates(response)
    html = response.content.decode()
    assert_one_token_per_post_form(html)
    # The pack's SubmitButton, with no class: the design system styles it.
    search_form = html.split('class="search-form"', 1)[1].split("</form>", 1)[0]
    assert '\n<button type="submit">Search</button>\n' in search_form
    form = Forms(html).with_class("search-form")
    assert form["attrs"] == {
        "method": "get",
        "action": "/search/",
        "class": "search-form",
    }  # not a second search landmark: the header's form is the page's one
    assert '<label for="search-q">Role, job title, term or comparison</label>' in html
    # The cleaned query is shown back; the box is described by the hint.
    assert re.search(
        r'<input type="search" name="q" value="PO" aria-describedby="search-hint" '
        r'maxlength="200" id="search-q">',
        html,
    )
    assert '<button type="submit">Search</button>' in html
    assert '<p id="search-hint" class="muted">For example' in html


# --- the stylesheet knows every class the pack writes -----------------------------

#: Hooks with no rule of their own (the hand-written forms had them too).
UNSTYLED_HOOKS = {"option-text", "option-list-scale"}


def test_every_class_in_the_forms_is_in_the_built_stylesheet(client, quiz):
    path = finders.find("css/main.css")
    assert path, "css/main.css is missing: run `make css`"
    css = Path(path).read_text()
    taker = Client()
    url = taker.post("/quiz/all/", ANSWERS)["Location"]
    pages = [
        client.post("/quiz/all/", {"q-horizon": "1"}).content.decode(),
        taker.get(url).content.decode(),
        client.get("/compare/", {"roles": ["product-owner"]}).content.decode(),
        client.get("/search/", {"q": "owner"}).content.decode(),
    ]
    classes = set()
    for html in pages:
        for form in Forms(html).forms:
            if "site-search" not in form["attrs"].get("class", ""):
                classes |= form["classes"] | set(form["attrs"].get("class", "").split())
    assert {"option-card", "feedback-options", "form-select", "field-error"} <= classes
    missing = {
        c
        for c in classes - UNSTYLED_HOOKS
        if not re.search(rf"\.{re.escape(c)}(?![\w-])", css)
    }
    assert not missing, f"classes the pack writes but main.css lacks: {missing}"
