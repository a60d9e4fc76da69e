"""Crafted and malformed requests get the site's own 4xx page, never a 500."""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import RoleFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _assert_site_error_page(response, status: int) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert '<main id="main"' in html, "the site's own error page"
    assert "<style" not in html and "style=" not in html, "nothing inline (CSP)"
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)", html)


@pytest.mark.parametrize(
    "host",
    ["evil.example", "localhost:31337.evil", "bad host!", "[::1", "a" * 300, "..."],
)
def test_a_disallowed_or_malformed_host_gets_400(client, host):
    RoleFactory(slug="product-owner")
    for url in ["/", "/roles/product-owner/", "/quiz/", "/quiz/all/", "/nope/"]:
        _assert_site_error_page(client.get(url, HTTP_HOST=host), 400)


@given(host=st.text(min_size=0, max_size=80))
@FUZZ
def test_random_host_headers_never_cause_a_500(host):
    try:
        response = Client().get("/", HTTP_HOST=host)
    except UnicodeEncodeError:
        return  # not representable in an HTTP header at all
    assert response.status_code in (200, 400), (host, response.status_code)


CHARSETS = ["utf-16", "utf-32", "utf-7", "cp500", "unknown-charset", "utf-8", "latin-1"]


@pytest.mark.parametrize("charset", CHARSETS)
def test_an_undecodable_body_or_charset_gets_400_not_500(charset):
    client = Client()
    client.get("/quiz/all/")
    response = client.generic(
        "POST",
        "/quiz/all/",
        b"q-a=0&q-b=1",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code in (400, 403), (charset, response.status_code)


@given(
    charset=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=20
    ),
    body=st.binary(max_size=200),
)
@FUZZ
def test_random_bodies_and_charsets_never_cause_a_500(charset, body):
    response = Client().generic(
        "POST",
        "/quiz/all/",
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code < 500, (charset, body, response.status_code)


def test_a_csrf_failure_is_the_sites_own_page():
    response = Client(enforce_csrf_checks=True).post("/quiz/all/", {"q-a": "0"})
    _assert_site_error_page(response, 403)
    assert "expired" in response.content.decode()


def test_not_found_and_server_error_pages_are_the_sites_own(client):
    _assert_site_error_page(client.get("/no-such-page/"), 404)


def test_robots_txt_does_not_name_the_admin_path(client, settings):
    settings.ADMIN_URL = "secret-editing-room/"
    text = client.get("/robots.txt").content.decode()
    assert "secret-editing-room" not in text
    assert "admin" not in text


def test_the_picker_refuses_the_same_role_twice_with_a_message(client):
    RoleFactory(slug="product-owner", name="Product Owner")
    RoleFactory(slug="scrum-master", name="Scrum Master")
    response = client.get(
        "/compare/", {"roles": ["product-owner", "product-owner"], "compare": "1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="compare-picker"' in html, "the picker again, not an error page"
    assert "more than once" in html


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123_DEF.4", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("<script>", False),
        ("id with spaces", False),
        ("", False),
    ],
)
def test_a_request_id_from_outside_is_kept_only_if_safe(client, incoming, kept):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is kept
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", response["X-Request-ID"])


def test_healthz_carries_the_security_headers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"]


# --- Issue 20: charsets, methods, CORS (every crafted request is a 4xx) ----------

NON_UTF8_FORM_CHARSETS = ["ascii", "latin-1", "iso-8859-1", "cp1252", "us-ascii"]


@pytest.mark.parametrize("charset", NON_UTF8_FORM_CHARSETS)
def test_a_form_in_a_charset_django_cannot_decode_gets_the_sites_400(charset):
    """The issue's curl: a CSRF cookie and a form body in charset ascii (or
    latin-1, cp1252) was a bare 500 (Django refuses non-UTF-8 forms, and the
    400 handler ran the CSRF check, which read the body again)."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "abcdefghijklmnopqrstuvwxyzABCDEF"
    response = client.generic(
        "POST",
        "/quiz/all/",
        b"a=1",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    _assert_site_error_page(response, 400)


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_a_form_in_utf8_is_read_as_before(charset):
    client = Client(enforce_csrf_checks=True)
    response = client.generic(
        "POST",
        "/quiz/all/",
        b"a=1",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    _assert_site_error_page(response, 403)  # no token: the stale-form page


def test_the_error_handlers_never_run_the_csrf_check(rf):
    """handler400/403/404 render the site's page without reading the body
    (Django's own run the CSRF check, which reads it and raises again)."""
    from django.core.exceptions import BadRequest
    from django.urls import get_resolver

    for status in (400, 403, 404):
        request = rf.generic(
            "POST",
            "/quiz/all/",
            b"a=1",
            content_type="application/x-www-form-urlencoded; charset=latin-1",
        )
        request.COOKIES["csrftoken"] = "abcdefghijklmnopqrstuvwxyzABCDEF"
        view = get_resolver().resolve_error_handler(status)
        response = view(request, BadRequest("bad"))
        assert response.status_code == status
        assert '<main id="main"' in response.content.decode()


GET_ROUTES = [
    "/",
    "/roles/",
    "/roles/product-owner/",
    "/compare/",
    "/compare/product-manager-vs-product-owner/",
    "/quiz/all/",
    "/glossary/",
    "/search/",
    "/search/?q=owner",
    "/robots.txt",
    "/sitemap.xml",
    "/healthz/",
    "/api/v1/roles/",
    "/api/v1/roles/product-owner/",
    "/api/v1/comparisons/",
    "/api/v1/comparisons/product-manager-vs-product-owner/",
    "/api/v1/glossary/",
    "/api/v1/questionnaire/",
    "/api/v1/openapi.json",
    "/api/v1/docs/",
]


@pytest.mark.parametrize("path", GET_ROUTES)
def test_head_is_answered_like_get_without_a_body_on_every_get_route(
    client, seeded, path
):
    get = client.get(path)
    assert get.status_code == 200, path
    head = client.head(path)
    assert head.status_code == 200, (path, head.status_code)
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


def test_head_sends_no_body_bytes_to_the_server(seeded):
    """gunicorn does not strip a HEAD response's body (the test client and
    runserver do): the site must send none."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test.client import RequestFactory

    handler = WSGIHandler()
    # As Django's test client does: a request's start and end would close the
    # test's own database connection (on PostgreSQL, mid-transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for path in ["/glossary/", "/api/v1/roles/", "/roles/product-owner/", "/"]:
            environ = RequestFactory().head(path).environ
            # RequestFactory's environ is not a full WSGI one: add what it lacks.
            environ.setdefault("wsgi.input", io.BytesIO(b""))
            started = {}

            def start_response(status, headers, exc_info=None, started=started):
                started["status"] = status

            response = handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
            assert started["status"].startswith("200"), (path, started)
            assert body == b"", path
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_healthz_answers_get_and_head_only(client, method):
    response = client.generic(method, "/healthz/")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    assert client.head("/healthz/").status_code == 200


def test_the_api_answers_a_cors_preflight(client, seeded):
    response = client.options(
        "/api/v1/roles/",
        HTTP_ORIGIN="https://consumer.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Headers" in response
    assert "Access-Control-Max-Age" in response


def test_the_api_allows_any_origin_and_pages_do_not(client, seeded):
    api = client.get("/api/v1/roles/", HTTP_ORIGIN="https://consumer.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    assert api["Link"].endswith('rel="license"')
    page = client.get("/roles/", HTTP_ORIGIN="https://consumer.example")
    assert "Access-Control-Allow-Origin" not in page


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "application/json",
    "text/plain",
    "application/xml",
    "",
    "garbage/",
    ";;;",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO"]
POST_ROUTES = ["/quiz/all/", "/quiz/results/00000000-0000-0000-0000-000000000000/"]


@given(
    path=st.sampled_from(GET_ROUTES + POST_ROUTES + ["/nope/", "/admin/login/"]),
    method=st.sampled_from(METHODS),
    content_type=st.sampled_from(CONTENT_TYPES),
    charset=st.one_of(
        st.none(),
        st.sampled_from(NON_UTF8_FORM_CHARSETS + CHARSETS + ["", '"utf-8"']),
        st.text(
            alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=12
        ),
    ),
    body=st.one_of(st.binary(max_size=120), st.just(b"a=1&csrfmiddlewaretoken=x")),
    cookie=st.booleans(),
)
@FUZZ
def test_any_method_content_type_and_charset_on_any_route_is_never_a_5xx(
    path, method, content_type, charset, body, cookie
):
    client = Client(enforce_csrf_checks=True)
    if cookie:
        client.cookies["csrftoken"] = "abcdefghijklmnopqrstuvwxyzABCDEF"
    if charset is not None:
        content_type = f"{content_type}; charset={charset}"
    response = client.generic(method, path, body, content_type=content_type)
    assert response.status_code < 500, (
        method,
        path,
        content_type,
        response.status_code,
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/roles/"),
        ("DELETE", "/"),
        ("PUT", "/glossary/"),
        ("PATCH", "/quiz/all/"),
    ],
)
def test_a_method_a_page_does_not_take_gets_the_sites_405(client, seeded, method, path):
    response = client.generic(method, path)
    _assert_site_error_page(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in GET_ROUTES
        if p not in POST_ROUTES and "/api/" not in p and p != "/healthz/"
    ]
    + ["/quiz/", "/quiz/how-scoring-works/"],
)
def test_a_post_without_a_token_to_a_read_only_page_gets_405_not_expired_form(
    seeded, path
):
    """There is no form on these pages, so "That form has expired" (403) was
    the wrong answer to a stray POST: the method is what is wrong."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"a": "1"})
    _assert_site_error_page(response, 405)
    assert "GET" in response["Allow"]


UNICODE_DIGITS = ["²", "¹", "⁰", "②", "٣", "１", "𝟡", "99999999999999999999999"]


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
def test_a_context_choice_that_is_not_a_plain_number_is_a_bad_request(
    client, seeded, digit
):
    """str.isdigit() says yes to "²", int() says no: a 500 on every curated
    comparison. Not a number we can use: a 400 that says so, as for "x"."""
    from roles.comparisons.models import ContextNote

    note = ContextNote.objects.select_related("comparison", "factor").first()
    url = f"/compare/{note.comparison.key}/"
    response = client.get(url, {"context": f"{note.factor.slug}:{digit}"})
    assert response.status_code == 400
    assert "This comparison has no situation" in response.content.decode()


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
def test_an_admin_address_with_a_number_we_cannot_use_is_not_found(
    staff_client, seeded, digit
):
    from urllib.parse import quote

    from roles.models import Role

    role = Role.objects.first()
    for url in (
        f"/admin/roles/role/{quote(digit)}/change/",
        f"/admin/roles/comparison/{quote(digit)}/change/",
        f"/admin/roles/role/{role.pk}/change/?restore={quote(digit)}",
    ):
        response = staff_client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        if response.status_code == 302:  # Django's "does not exist" message
            assert response["Location"].startswith("/admin/"), url


# --- A method a route does not take: 405 with the route's Allow, before CSRF -----

SAMPLE_ARGUMENTS = {
    "slug": "product-owner",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "roles": "product-manager-vs-product-owner",
    "int": "1",
    "str": "x",
    "path": "x",
}
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
API_TAKES = frozenset({"GET", "HEAD", "OPTIONS"})


def _declared_methods(view) -> frozenset[str] | None:
    """The test's own reading of what a view takes: every
    require_http_methods in its decorator chain, and a class view's handlers
    (a GET route answers HEAD too, HeadAsGetMiddleware)."""
    allowed: frozenset[str] | None = None
    while view is not None:
        found = None
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            found = frozenset(cell.cell_contents)
        elif (cls := getattr(view, "view_class", None)) is not None:
            found = frozenset(
                name.upper() for name in cls.http_method_names if hasattr(cls, name)
            )
        if found is not None:
            allowed = found if allowed is None else allowed & found
        view = getattr(view, "__wrapped__", None)
    if allowed is not None and "GET" in allowed:
        allowed |= {"HEAD"}
    return allowed


def _routes():
    """(sample path, URL pattern, methods it takes) for every URL pattern
    whose methods are declared, a sample value put in for each converter."""
    from django.urls import URLResolver, get_resolver, resolve
    from django.urls.resolvers import RoutePattern

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern.pattern, RoutePattern):
                yield prefix + str(pattern.pattern), pattern

    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith("^"):
            continue  # a regular expression (the admin's catch-all): no sample
        path = "/" + re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m[1] or "str"], route
        )
        if resolve(path).func is not pattern.callback:
            continue
        if path.startswith("/api/"):
            yield path, pattern, API_TAKES
        elif (allowed := _declared_methods(pattern.callback)) is not None:
            yield path, pattern, allowed


ROUTE_METHODS = [
    pytest.param(path, method, allowed, id=f"{method} {path}")
    for path, _pattern, allowed in _routes()
    for method in ALL_METHODS
    if method not in allowed
]


def test_every_public_route_declares_the_methods_it_takes():
    declared = {path for path, _pattern, _allowed in _routes()}
    for expected in ["/", "/roles/", "/favicon.ico", "/quiz/start/", "/api/v1/"]:
        assert expected in declared
    assert len(ROUTE_METHODS) > 50


@pytest.mark.parametrize(("path", "method", "allowed"), ROUTE_METHODS)
def test_a_method_a_route_does_not_take_gets_405_with_its_allow_before_csrf(
    seeded, path, method, allowed
):
    """PUT /quiz/all/, DELETE /quiz/q/<key>/, POST /favicon.ico ... were told
    "That form has expired" (403): the CSRF check ran before the view's method
    check. OPTIONS /favicon.ico redirected; TRACE named every method."""
    response = Client(enforce_csrf_checks=True).generic(method, path, "a=1")
    assert response.status_code == 405, response.content[:200]
    assert {m.strip() for m in response["Allow"].split(",")} == set(allowed)
    if method == "HEAD":
        assert not response.content
    elif path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    else:
        _assert_site_error_page(response, 405)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"])
def test_the_favicon_address_takes_get_and_head_only(client, method):
    response = client.generic(method, "/favicon.ico")
    _assert_site_error_page(response, 405)
    assert response["Allow"] == "GET, HEAD"
    assert client.get("/favicon.ico").status_code == 301
