"""Error pages name no canonical address: a 404 (or any error) that says
"this page is the canonical copy of itself" invites search engines to index the
mistyped address, and its og:url would be shared as if it were a page."""

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db

ERROR_TEMPLATES = [
    "400.html",
    "403.html",
    "404.html",
    "405.html",
    "429.html",
    "500.html",
]


@pytest.mark.parametrize("name", ERROR_TEMPLATES)
def test_error_template_has_no_canonical_link_or_og_url(name):
    request = RequestFactory().get("/no-such-page/")
    html = render_to_string(name, request=request)
    assert "<h1" in html  # a real page was rendered
    assert 'rel="canonical"' not in html
    assert "og:url" not in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/no-such-page/", 404), ("post", "/roles/", 405)],
)
def test_error_responses_have_no_canonical_link_or_og_url(method, path, status):
    response = getattr(Client(), method)(path)
    assert response.status_code == status
    html = response.content.decode()
    assert 'rel="canonical"' not in html
    assert "og:url" not in html


def test_pages_keep_their_canonical_link_and_og_url():
    html = Client().get("/roles/").content.decode()
    assert 'rel="canonical" href="http' in html
    assert '<meta property="og:url" content="http' in html
