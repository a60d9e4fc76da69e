"""The Content-Security-Policy header (roles.core.middleware
.ContentSecurityPolicyMiddleware): the site's policy, built once per process
for responses that change nothing about it, and django-csp's own handling for
those that do (a decorator's update, a nonce)."""

import pytest
from csp.constants import HEADER, NONCE
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from roles.core import middleware

pytestmark = pytest.mark.django_db

PAGES = ["/", "/roles/", "/roles/product-owner/", "/quiz/", "/glossary/", "/nope/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_django_csps_policy(client, seeded, path):
    response = client.get(path)
    assert response[HEADER] == build_policy()
    assert "unsafe-inline" not in response[HEADER]


def test_the_policy_is_built_once_not_per_response(client, seeded, monkeypatch):
    middleware._site_policies.cache_clear()
    calls = []
    real = middleware.build_policy
    monkeypatch.setattr(
        middleware, "build_policy", lambda **kw: calls.append(kw) or real(**kw)
    )
    for _ in range(3):
        for path in PAGES:
            client.get(path)
    assert len(calls) == 2  # the enforced policy and the report-only one


def _through(response: HttpResponse, request=None) -> HttpResponse:
    request = request or RequestFactory().get("/")
    csp = middleware.ContentSecurityPolicyMiddleware(lambda r: response)
    csp.process_request(request)
    return csp.process_response(request, response)


def test_a_responses_own_update_still_applies():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://example.org"]}
    header = _through(response)[HEADER]
    assert "img-src 'self' data: https://example.org" in header
    assert header != build_policy()


def test_an_exempt_response_gets_no_header():
    response = HttpResponse()
    response._csp_exempt = True
    assert HEADER not in _through(response)


def test_a_nonce_used_by_the_page_is_in_its_header():
    policy = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        request = RequestFactory().get("/")
        response = HttpResponse()
        csp = middleware.ContentSecurityPolicyMiddleware(lambda r: response)
        csp.process_request(request)
        nonce = str(request.csp_nonce)
        header = csp.process_response(request, response)[HEADER]
    assert f"script-src 'self' 'nonce-{nonce}'" in header.split("; ")


def test_a_nonce_asked_for_after_the_header_is_written_fails():
    request = RequestFactory().get("/")
    _through(HttpResponse(), request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_header_set_by_the_view_is_kept():
    response = HttpResponse()
    response[HEADER] = "default-src 'self'"
    assert _through(response)[HEADER] == "default-src 'self'"


def test_changed_settings_change_the_header():
    before = _through(HttpResponse())[HEADER]
    policy = {"DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert _through(HttpResponse())[HEADER] == "default-src 'self'"
    assert _through(HttpResponse())[HEADER] == before


def test_excluded_paths_are_left_to_django_csp():
    policy = {
        "DIRECTIVES": {"default-src": ["'self'"]},
        "EXCLUDE_URL_PREFIXES": ["/open/"],
    }
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert HEADER not in _through(HttpResponse(), RequestFactory().get("/open/x"))
        assert HEADER in _through(HttpResponse(), RequestFactory().get("/other/"))
