"""A cache hit is answered near the top of the middleware stack, so it must
carry what the stack below would have given it: checked over every public
page the sitemap lists (every page type, today's and tomorrow's), as a 200
and as a 304, over HTTP and HTTPS."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from roles.publishing.cache import reset_process_memory

pytestmark = pytest.mark.django_db

PER_REQUEST = {"X-Request-ID", "X-Cache"}


@pytest.fixture
def pages(seeded, settings):
    # Scheduled times checked once a minute, as in production.
    settings.DUE_CHECK_SECONDS = 3600
    xml = Client().get("/sitemap.xml").content.decode()
    paths = sorted({urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", xml)})
    assert len(paths) > 20, "every page type of the seed content"
    return paths


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.items() if k not in PER_REQUEST}


def test_a_hit_carries_every_header_the_stack_gives_the_page(pages, settings):
    """Over HTTP, then HTTPS (HSTS on): each scheme has its own entry, so a
    plain-HTTP hit never carries HSTS and an HTTPS one always does."""
    settings.SECURE_HSTS_SECONDS = 3600
    for secure in (False, True):
        _hits_match_renders(pages, secure)


def _hits_match_renders(pages, secure: bool) -> None:
    visitor = Client()
    kinds: set[str] = set()
    checked = 0
    for path in pages:
        rendered = visitor.get(path, secure=secure)
        if "X-Cache" not in rendered:  # not a cached page (it holds a form)
            continue
        hit = visitor.get(path, secure=secure)
        assert rendered.status_code == hit.status_code == 200, path
        assert (rendered["X-Cache"], hit["X-Cache"]) == ("miss", "hit"), path
        checked += 1
        assert _headers(hit) == _headers(rendered), path
        assert hit.content == rendered.content, path
        assert hit["X-Request-ID"] != rendered["X-Request-ID"]
        assert ("Strict-Transport-Security" in hit) is secure, path
        kinds.add(path.strip("/").split("/")[0])
    assert len(kinds) >= 4 and checked >= len(pages) - 3, (kinds, checked)


def test_a_304_from_a_hit_carries_what_the_stack_gives_a_304(pages):
    visitor = Client()
    for path in pages:
        if "X-Cache" not in visitor.get(path):
            continue
        hit = visitor.get(path)
        assert hit["X-Cache"] == "hit", path
        early = visitor.get(path, HTTP_IF_NONE_MATCH=hit["ETag"])
        assert early.status_code == 304 and early.content == b"", path

        # The same 304 from the whole stack: rendered, then ConditionalGet.
        cache.clear()
        reset_process_memory()
        late = visitor.get(path, HTTP_IF_NONE_MATCH=hit["ETag"])
        assert late.status_code == 304 and "X-Cache" not in late, path
        assert _headers(early) == _headers(late), path


def test_a_plain_http_request_is_still_redirected_when_a_page_is_cached(
    pages, settings
):
    """The hit is answered above SecurityMiddleware: once HTTPS redirects are
    on, a plain-HTTP request is sent to HTTPS even for a page cached over
    plain HTTP before (an HTTPS entry is a separate one anyway)."""
    visitor = Client()
    path = pages[0]
    for secure in (False, True):
        assert visitor.get(path, secure=secure)["X-Cache"] == "miss"
        assert visitor.get(path, secure=secure)["X-Cache"] == "hit"
    settings.SECURE_SSL_REDIRECT = True
    visitor = Client()  # (SecurityMiddleware reads the setting when built)
    response = visitor.get(path)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{path}"
    assert visitor.get(path, secure=True)["X-Cache"] == "hit"


def test_a_head_of_a_hit_has_the_headers_and_no_body(pages):
    visitor = Client()
    path = pages[0]
    page = visitor.get(path)
    assert visitor.get(path)["X-Cache"] == "hit"
    head = visitor.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head["X-Cache"] == "hit"
    assert head["Content-Length"] == str(len(page.content))
    assert _headers(head) == _headers(page)


def test_a_hit_answers_if_modified_since_as_the_stack_does(pages):
    """A page that says when it last changed (the sitemap) was sent whole to
    every crawler asking If-Modified-Since once it came from the cache: the
    hit looked only at ETags."""
    visitor = Client()
    dated = 0
    for path in [*pages, "/sitemap.xml"]:
        rendered = visitor.get(path)
        if "X-Cache" not in rendered or "Last-Modified" not in rendered:
            continue
        dated += 1
        since = rendered["Last-Modified"]
        hit = visitor.get(path, HTTP_IF_MODIFIED_SINCE=since)
        assert hit.status_code == 304 and hit.content == b"", path
        cache.clear()
        reset_process_memory()
        late = visitor.get(path, HTTP_IF_MODIFIED_SINCE=since)
        assert late.status_code == 304, path
        stale = visitor.get(
            path, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT"
        )
        assert stale.status_code == 200 and stale.content, path
    assert dated >= 1
