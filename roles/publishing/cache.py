"""Public pages and derived data served from the shared cache, never stale.

Every key carries the content version, which lives in the database (see
``publishing.version``) and moves on in the same transaction as any content
change, and again when a scheduled time passes (no cron: the next such time is
stored with the version and acted on ahead of the cache, by
``roles.editorial.middleware.DuePublicationMiddleware`` and the ``publish_due``
command). Reading the cache never writes anything. The cache is only ever a
copy: if it is flushed, restarted, restored from an old snapshot, full or down,
pages are rendered from the database instead (the Redis backend ignores its
errors, see settings), never served stale.

Only anonymous GET and HEAD requests for a page's own path are cached; a query
string bypasses the cache (it would otherwise let anyone fill it). Only complete
200 responses are stored, and never one that holds a CSRF token or a form
(it would hand one visitor's token to the next), sets a cookie, or asked not to
be stored (drafts, previews)."""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import set_response_etag

from roles.publishing import registry
from roles.publishing.signals import is_staging
from roles.publishing.version import read_content_version


def next_scheduled_change(now: datetime) -> datetime | None:
    """The soonest future time, over every registered scheduled field, at
    which what the public sees changes by itself."""
    upcoming = [
        model._default_manager.filter(q, **{f"{field}__gt": now}).aggregate(
            t=Min(field)
        )["t"]
        for model, field, q in registry.scheduled_fields()
    ]
    found = [t for t in upcoming if t is not None]
    return min(found) if found else None


# A request reads the version at most once: ContentVersionMiddleware opens a
# scope per request, and the first read in it is kept for the rest.
_request_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "content_version_scope", default=None
)


def current_version() -> int:
    """The committed content version: one query, and no write. (Scheduled
    times are acted on ahead of the page cache, by
    ``roles.editorial.middleware.DuePublicationMiddleware``.)"""
    scope = _request_scope.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    version = read_content_version()[0]
    if scope is not None:
        scope["version"] = version
    return version


def prime_version(version: int) -> None:
    """Hand the request a version just read elsewhere (the due-publication
    step), so the page cache does not read it again."""
    scope = _request_scope.get()
    if scope is not None:
        scope.setdefault("version", version)


class ContentVersionMiddleware:
    """Gives each request one reading of the content version (one query, made
    when something first needs it), so the page cache and the data cache agree
    on one version throughout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_scope.set({})
        try:
            return self.get_response(request)
        finally:
            _request_scope.reset(token)


def _page_key(request: HttpRequest, version: int) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"page:{version}:{digest}"


_STORED_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Vary", "ETag")


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and b"csrfmiddlewaretoken" not in response.content
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _uses_cache(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and not request.user.is_authenticated
    )


def public_page(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    # HttpResponseBase: a class-based view's as_view() is typed to return one.
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not _uses_cache(request):
            return view(request, *args, **kwargs)
        return _serve(view, request, current_version(), *args, **kwargs)

    return wrapped


def _serve(
    view, request: HttpRequest, version: int, *args, **kwargs
) -> HttpResponseBase:
    key = _page_key(request, version)
    hit = cache.get(key)
    if hit is not None:
        content, headers = hit
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if _cacheable(request, response):
        # Store the ETag with the page so a hit need not hash it again.
        set_response_etag(response)
        headers = {n: v for n, v in response.items() if n in _STORED_HEADERS}
        cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        response["X-Cache"] = "miss"
    return response


READS_KEY = "reads:{key}"


def count_read(key: str) -> None:
    """A soft read counter per comparison, in the shared cache (lost with it,
    which only reorders the home page's list)."""
    name = READS_KEY.format(key=key)
    try:
        cache.incr(name)
    except ValueError:
        cache.add(name, 1, timeout=None)


def reads(keys: list[str]) -> dict[str, int]:
    found = cache.get_many([READS_KEY.format(key=k) for k in keys])
    return {k: int(found.get(READS_KEY.format(key=k), 0) or 0) for k in keys}


def versioned(name: str, compute: Callable[[], object], timeout: int = 3600):
    """Data that changes only with content (the questionnaire, the list of
    dimensions), kept in the shared cache under the current content version.
    Never while a draft is staged for a preview: that data is not public."""
    if is_staging():
        return compute()
    key = f"data:{current_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
