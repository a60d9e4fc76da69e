"""Seam: every class a public page can emit exists in a stylesheet the page
loads. The built stylesheet (assets/build/css/main.css) is purged of every
selector whose class name is not written literally in templates/, static/js or
roles/ (assets/build.mjs), so a class built from data in a template
(``w-{{ row.match }}``) silently loses its rule; this renders every public page
type with the seeded content and holds each class attribute value against the
selectors of the stylesheets it links.

The page types come from the URLconf: every public route is either rendered
here (PAGES) or named in NOT_PAGES with the reason, so a new page type fails
test_every_public_route_is_rendered_or_named until it is added."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from roles.catalogue.guides import GlossaryTerm
from roles.catalogue.models import Role
from roles.comparisons.models import Comparison
from roles.questionnaire import scoring
from roles.questionnaire.models import Submission
from roles.questionnaire.selectors import published_questionnaire

pytestmark = pytest.mark.django_db

# Routes that answer something other than an HTML page, with why.
NOT_PAGES = {
    "sitemap": "XML",
    "robots_txt": "plain text",
    "favicon.ico": "a redirect to the SVG icon",
    "api-v1:api-root": "django-ninja's own root, shadowed by api-v1:index",
    "api-v1:index": "JSON (the API's index)",
    "api-v1:openapi-json": "JSON",
    "api-v1:roles": "JSON",
    "api-v1:role": "JSON",
    "api-v1:comparisons": "JSON",
    "api-v1:comparison": "JSON",
    "api-v1:glossary": "JSON",
    "api-v1:term": "JSON",
    "api-v1:questionnaire": "JSON",
    "roles:quiz_feedback": "POST only: redirects back to the result page",
    "roles:quiz_begin": "POST only: redirects to the first question",
    "roles:quiz_continue": "redirects from a result into the flow",
    "roles:quiz_result_image": "a PNG (checked in test_quiz.py)",
    "roles:quiz_result_any_case": "a redirect to the result's lower-case address",
}

# Classes no stylesheet needs to style, each with why. None may be built from
# data unless its pattern is written here, and an entry that gains a rule (or
# is no longer emitted) fails test_allowlist_is_not_stale, so the list cannot
# hide a purged rule.
#
# Hooks that static/js looks for, and nothing else (checked to be in static/js):
JS_HOOKS: dict[str, str] = {}
# Names for a part of the page (for print.css, tests and readers of the HTML)
# that the design deliberately leaves to the base styles:
NO_RULE: dict[str, str] = {
    "guide": "wraps a role guide's parts; the parts are styled",
    "guide-skills": "the skills section of a guide",
    "career-paths": "the career paths section of a guide",
    "glossary": "the glossary page's main section (tests find it by this)",
    "curated-body": "a curated comparison's Markdown body",
    "reviewed": "the 'reviewed on' line of a comparison",
    "option-list-scale": "the agreement scale's option list (.option-list styles it)",
    "option-text": "an option card's text (.option-card styles it)",
    "result-top": "the quiz result's summary section",
    "result-name": "a ranked role's name on the quiz result",
}
# Built from data in a template, unstyled; a rule for any of them would also
# need the pattern in build.mjs's safelist, or the purge strips it.
NO_RULE_PATTERNS: dict[str, str] = {
    r"level-[a-z]+": "skill-level level-{{ skill.level }} (the level is printed)",
    r"roles-[23]": "roles-{{ n }} on comparison tables: only 4 and 5 roles are denser",
}

# Pages that answer with an error on purpose (the form shown again with its error).
INVALID = {"/compare/?roles=scrum-master"}

FIVE = "delivery-manager-vs-engineering-manager-vs-product-designer-vs-program-manager-vs-scrum-master"


def _public_routes() -> dict[str, str]:
    """namespace:name -> pattern, for every route outside the admin."""
    routes: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                path = prefix + str(p.pattern)
                if path.startswith(settings.ADMIN_URL) or (namespace or "") == "admin":
                    continue  # the admin: Django's own stylesheets, not the site's
                name = p.name or path
                routes[f"{namespace}:{name}" if namespace else name] = path

    walk(get_resolver().url_patterns, "", None)
    return routes


def _result_urls(client: Client) -> list[str]:
    """Three stored results, taken through the questionnaire as a reader does:
    a clear match, a close call between two roles and no clear match (each
    checked to be what it stands for: a "close call" made of alternate
    answers was a clear match, and that page's classes went unchecked)."""
    import random

    from roles.questionnaire.results import result_for

    questionnaire = published_questionnaire()
    questions = questionnaire.questions
    pm = scoring.ideal_answers(questions, "product-manager")
    po = scoring.ideal_answers(questions, "product-owner")

    def neutral() -> dict[str, int]:
        answers = {}
        for q in questions:
            empty = [i for i, o in enumerate(q.options) if not o.points]
            answers[q.key] = (empty[-1] if empty else 0) if q.options else 0
        return answers

    def between() -> dict[str, int]:
        for seed in range(500):
            rng = random.Random(seed)
            mixed = {k: (pm if rng.random() < 0.5 else po)[k] for k in pm}
            if result_for(questionnaire, mixed).verdict == scoring.Verdict.BETWEEN:
                return mixed
        raise AssertionError("no mix of PM and PO answers is a close call")

    urls = []
    for answers, verdict in (
        (pm, scoring.Verdict.CLEAR),
        (between(), scoring.Verdict.BETWEEN),
        (neutral(), scoring.Verdict.NO_CLEAR_MATCH),
    ):
        response = client.post(
            "/quiz/all/", {f"q-{k}": str(v) for k, v in answers.items()}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        pk = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        stored = Submission.objects.get(pk=pk).stored_result
        assert stored.verdict == verdict, (verdict, stored.headline())
        urls.append(response["Location"])
    return urls


def _step_urls(client: Client) -> list[str]:
    """A step of the adaptive flow, its error state and an adaptive (v4)
    result, reached as a visitor reaches them (the state is a cookie)."""
    from roles.questionnaire import scoring
    from roles.questionnaire.selectors import published_questionnaire

    questionnaire = published_questionnaire()
    answers = scoring.ideal_answers(questionnaire.questions, "product-owner")
    first = client.post("/quiz/start/")["Location"]
    second = client.post(first, {"answer": str(answers[first.split("/")[3]])})
    assert client.post(second["Location"], {}).status_code == 400
    return [first, second["Location"]]


def _adaptive_result_url(client: Client) -> str:
    from roles.questionnaire import scoring
    from roles.questionnaire.selectors import published_questionnaire

    questionnaire = published_questionnaire()
    answers = scoring.ideal_answers(questionnaire.questions, "business-analyst")
    url = client.post("/quiz/start/")["Location"]
    while url.startswith("/quiz/q/"):
        url = client.post(url, {"answer": str(answers[url.split("/")[3]])})["Location"]
    return url


def _pages(client: Client) -> dict[str, list[str]]:
    """Route name -> the addresses rendering it with the seeded content."""
    pair = Comparison.objects.published().filter(key="product-manager-vs-product-owner")
    assert pair.exists(), "the seed's curated pair is gone"
    term = GlossaryTerm.objects.order_by("slug").first()
    return {
        "roles:home": ["/"],
        "roles:role_list": ["/roles/"],
        "roles:role_detail": [
            r.get_absolute_url() for r in Role.objects.published().order_by("slug")
        ],
        "roles:compare_index": ["/compare/", "/compare/?roles=scrum-master"],
        "roles:compare": [
            pair.get().get_absolute_url(),
            "/compare/business-analyst-vs-product-owner-vs-scrum-master/",
            f"/compare/{FIVE}/",
        ],
        "roles:glossary": ["/glossary/"],
        "roles:search": [
            "/search/?q=product",
            f"/search/?q={term.term}",
            "/search/?q=zzzzqqq",  # no results
            "/search/",
        ],
        "roles:quiz": ["/quiz/"],
        "roles:quiz_all": ["/quiz/all/"],
        "roles:quiz_step": _step_urls(client),
        "roles:quiz_scoring": ["/quiz/how-scoring-works/"],
        "roles:quiz_result": [*_result_urls(client), _adaptive_result_url(client)],
        "api-v1:openapi-view": ["/api/v1/docs/"],
    }


PAGE_ROUTES = {
    "roles:home",
    "roles:role_list",
    "roles:role_detail",
    "roles:compare_index",
    "roles:compare",
    "roles:glossary",
    "roles:search",
    "roles:quiz",
    "roles:quiz_all",
    "roles:quiz_step",
    "roles:quiz_scoring",
    "roles:quiz_result",
    "api-v1:openapi-view",
}


# --- reading classes --------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.classes: set[str] = set()
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("class"):
            self.classes.update(a["class"].split())
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split():
            self.stylesheets.append(a["href"])

    handle_startendtag = handle_starttag


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@cache
def _selector_classes(path: str) -> frozenset[str]:
    """The class names used in the selectors (not the declarations) of one
    stylesheet: the text before each '{' that is not an at-rule."""
    css = re.sub(r"/\*.*?\*/", "", Path(path).read_text(encoding="utf-8"), flags=re.S)
    css = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', css)  # strings
    classes: set[str] = set()
    for prelude in re.findall(r"(?:^|(?<=[{};]))([^{};]+)\{", css):
        if prelude.lstrip().startswith("@"):
            continue
        prelude = re.sub(r"\[[^\]]*\]", "", prelude)  # attribute selectors
        classes.update(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", prelude))
    return frozenset(classes)


def _stylesheet_file(href: str) -> str:
    assert href.startswith(settings.STATIC_URL), href
    found = finders.find(href[len(settings.STATIC_URL) :].split("?")[0])
    assert found, f"{href} is linked but not found: run `make css`?"
    return found


def _missing(html: str) -> tuple[set[str], list[str]]:
    page = _read(html)
    assert page.stylesheets, "the page links no stylesheet"
    known: set[str] = set()
    for href in page.stylesheets:
        known |= _selector_classes(_stylesheet_file(href))
    unstyled = set(JS_HOOKS) | set(NO_RULE)
    missing = {
        c
        for c in page.classes - known - unstyled
        if not any(re.fullmatch(p, c) for p in NO_RULE_PATTERNS)
    }
    return missing, page.stylesheets


# --- the tests -----------------------------------------------------------------


def test_the_selector_reader_sees_classes_only_in_selectors(tmp_path):
    css = tmp_path / "x.css"
    css.write_text(
        "/* .commented */@media (min-width:1px){.a,.b:not(.c)>p{background:url(x.svg)}}"
        '.d[data-x=".e"]::before{content:".f"}@font-face{src:url(y.woff2)}.g{width:.5rem}'
    )
    assert _selector_classes(str(css)) == {"a", "b", "c", "d", "g"}


def test_every_public_route_is_rendered_or_named(db):
    routes = _public_routes()
    unknown = set(routes) - PAGE_ROUTES - set(NOT_PAGES)
    assert not unknown, (
        f"new routes {sorted(unknown)}: add them to _pages() and PAGE_ROUTES in "
        "this file (an HTML page) or to NOT_PAGES with the reason"
    )
    assert not (PAGE_ROUTES | set(NOT_PAGES)) - set(routes), "stale entries"
    # What NOT_PAGES says is not a page is indeed not HTML.
    client = Client()
    for name, path in routes.items():
        if name in NOT_PAGES and "<" not in path:
            response = client.get("/" + path)
            if response.status_code < 300:
                assert "text/html" not in response.get("Content-Type", ""), name


def test_allowlisted_classes_have_no_rule_and_hooks_are_in_the_scripts():
    scripts = " ".join(
        p.read_text(encoding="utf-8")
        for p in (Path(settings.BASE_DIR) / "static" / "js").glob("*.js")
    )
    for name in JS_HOOKS:
        assert name in scripts, f"{name} is allowlisted as a script hook but unused"
    built = _selector_classes(_stylesheet_file(settings.STATIC_URL + "css/main.css"))
    styled = {c for c in [*JS_HOOKS, *NO_RULE] if c in built}
    styled |= {c for c in built for p in NO_RULE_PATTERNS if re.fullmatch(p, c)}
    assert not styled, f"allowlisted as unstyled but main.css has rules: {styled}"


def test_every_class_a_page_emits_exists_in_its_stylesheets(seeded):
    client = Client()
    problems = {}
    checked = 0
    emitted: set[str] = set()
    pages = _pages(client)
    assert set(pages) == PAGE_ROUTES
    for name, urls in pages.items():
        for url in urls:
            response = client.get(url)
            expected = 400 if url in INVALID else 200
            assert response.status_code == expected, (name, url, response.status_code)
            missing, sheets = _missing(response.content.decode())
            emitted |= _read(response.content.decode()).classes
            checked += 1
            if missing:
                problems[url] = (sorted(missing), sheets)
    assert checked > 20
    assert not problems, (
        "classes with no rule in the page's stylesheets:\n"
        + "\n".join(
            f"  {url}: {missing} (in {sheets})"
            for url, (missing, sheets) in problems.items()
        )
    )
    assert not set(NO_RULE) - emitted, "allowlisted classes no page emits any more"


def _error_pages() -> dict[str, object]:
    """The site's own error pages, each reached the way a reader reaches it."""

    def not_found():
        return Client().get("/roles/no-such-role/"), 404

    def csrf_failure():
        return Client(enforce_csrf_checks=True).post("/quiz/all/", {}), 403

    def bad_host():
        return Client().get("/", headers={"host": "evil.example"}), 400

    def too_many():
        client = Client()
        with override_settings(QUIZ_RATE_LIMIT=(0, 600)):
            return client.post("/quiz/all/", _result_answers()), 429

    def server_error():
        handler = get_resolver().resolve_error_handler(500)
        request = RequestFactory().get("/")
        return handler(request), 500

    return {
        "404": not_found,
        "403 (CSRF failure)": csrf_failure,
        "400 (bad Host)": bad_host,
        "429 (quiz rate limit)": too_many,
        "500": server_error,
    }


def _result_answers() -> dict[str, str]:
    return {
        f"q-{q.key}": "0" if q.options else "2"
        for q in published_questionnaire().questions
    }


def test_error_pages_classes_exist_in_their_stylesheets(seeded):
    problems = {}
    for kind, reach in _error_pages().items():
        response, status = reach()
        assert response.status_code == status, kind
        missing, sheets = _missing(response.content.decode())
        if missing:
            problems[kind] = (sorted(missing), sheets)
    assert not problems, problems
