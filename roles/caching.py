"""Public pages served from the shared cache, never stale.

Every cache key carries the content version. Any change to content bumps it
after the transaction commits (see ``signals``), and so does a scheduled publish
time passing: the next such time is remembered per version and checked on each
request. Only anonymous GETs are cached, only complete 200 responses, and never
one that used a CSRF token (it would hand one visitor's token to another) or
that asked not to be stored (drafts, previews)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag

from .signals import CONTENT_VERSION_KEY, bump_content_version

NEXT_PUBLISH_KEY = "next-publish"
NO_SCHEDULE = "none"


def _next_publish_time() -> float | str:
    from .models import Comparison, Question, Role

    now = timezone.now()
    times = [
        model.objects.filter(**{f"{field}__gt": now}).aggregate(t=Min(field))["t"]
        for model in (Role, Comparison, Question)
        for field in ("publish_at", "unpublish_at")
    ]
    upcoming = [t for t in times if t is not None]
    return min(upcoming).timestamp() if upcoming else NO_SCHEDULE


def current_version(prefetched: dict | None = None) -> int:
    """The content version, bumped first if a scheduled item went live since.
    One cache round trip in the common case: the version and the next publish
    time (remembered with the version it was computed for) come together, and
    callers may pass what they already fetched with one get_many."""
    found = (
        prefetched
        if prefetched is not None
        else cache.get_many([CONTENT_VERSION_KEY, NEXT_PUBLISH_KEY])
    )
    version = found.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, 1, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, 1)
    schedule = found.get(NEXT_PUBLISH_KEY)
    if not schedule or schedule[0] != version:
        schedule = (version, _next_publish_time())
        cache.set(NEXT_PUBLISH_KEY, schedule, timeout=None)
    upcoming = schedule[1]
    if upcoming != NO_SCHEDULE and timezone.now().timestamp() >= float(upcoming):
        bump_content_version()
        return current_version()
    return int(version)


# The version this process saw last: only a guess that lets one MGET fetch the
# version and the page together. The page is used only when the version read
# in that same (atomic) MGET matches the guess, so it is never stale.
_last_seen: dict[str, int] = {}


def _lookup(request: HttpRequest) -> tuple[int, object]:
    guess = _last_seen.get("version")
    keys = [CONTENT_VERSION_KEY, NEXT_PUBLISH_KEY]
    if guess is not None:
        keys.append(_page_key(request, guess))
    found = cache.get_many(keys)
    version = current_version(found)
    _last_seen["version"] = version
    if version == guess:
        return version, found.get(_page_key(request, version))
    return version, cache.get(_page_key(request, version))


def _page_key(request: HttpRequest, version: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}:{request.method}:{digest}"


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        version, hit = _lookup(request)
        key = _page_key(request, version)
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
            headers = {
                name: value
                for name, value in response.items()
                if name
                in ("Content-Type", "Content-Language", "X-Robots-Tag", "Vary", "ETag")
            }
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    return wrapped


READS_KEY = "reads:{key}"


def count_read(key: str) -> None:
    """A soft read counter per comparison, in the shared cache."""
    name = READS_KEY.format(key=key)
    if hasattr(cache, "incr_or_create"):  # Redis: one round trip
        cache.incr_or_create(name)
        return
    try:
        cache.incr(name)
    except ValueError:
        cache.add(name, 1, timeout=None)


def reads(keys: list[str]) -> dict[str, int]:
    found = cache.get_many([READS_KEY.format(key=k) for k in keys])
    return {k: int(found.get(READS_KEY.format(key=k), 0)) for k in keys}


def versioned(name: str, compute: Callable[[], object], timeout: int = 3600):
    """Data that changes only with content (the questionnaire, the list of
    dimensions), kept in the shared cache under the current content version."""
    key = f"data:{current_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
