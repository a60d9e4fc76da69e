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
    for url in ["/", "/roles/product-owner/", "/quiz/", "/nope/"]:
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
    client.get("/quiz/")
    response = client.generic(
        "POST",
        "/quiz/",
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
        "/quiz/",
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code < 500, (charset, body, response.status_code)


def test_a_csrf_failure_is_the_sites_own_page():
    response = Client(enforce_csrf_checks=True).post("/quiz/", {"q-a": "0"})
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
