"""Public pages and derived data served from the shared cache, never stale.

Every key carries the content version, which lives in the database (see
``publishing.version``) and moves on in the same transaction as any content
change, and again when a scheduled time passes (no cron: the next such time is
stored with the version and acted on ahead of the cache, by
``roles.editorial.middleware.DuePublicationMiddleware`` and the ``publish_due``
command). Reading the cache never writes anything. The cache is only ever a
copy: if it is flushed, restarted, restored from an old snapshot, full or down,
pages are rendered from the database instead (the Redis backend ignores its
errors, see settings), never served stale. Keys carry the release too
(``roles.core.release``): a deploy never serves the previous one's pages.

Only anonymous GET and HEAD requests for a page's own path are cached; a query
string bypasses the cache (it would otherwise let anyone fill it). Only complete
200 responses are stored, and never one that holds a CSRF token or a form
(it would hand one visitor's token to the next), sets a cookie, or asked not to
be stored (drafts, previews)."""

from __future__ import annotations

import contextvars
import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    transaction,
)
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

from roles.core.cache_client import (
    UNCHANGED,
    cache_down,
    get_value,
    mirror_and_page,
)
from roles.core.release import release_id
from roles.publishing import registry
from roles.publishing import version as version_module
from roles.publishing.signals import is_staging
from roles.publishing.version import (
    LAST_KNOWN_KEY,
    VERSION_MIRROR_KEY,
    mirror_prime,
    mirrored_version,
    read_version_value,
    uncommitted_change,
)


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


# Each process keeps this many pages of its own (a few MB): the ones it served
# from the shared cache, so a hit need not fetch the page again while the
# version mirror is unchanged, and the ones it rendered while Redis was down,
# so an outage costs a query per page, not a render.
PROCESS_PAGES = 200


class _ProcessMemory:
    """What this process remembers between requests (reset by the tests)."""

    def __init__(self) -> None:
        # The highest version this process has seen: a mirror below it is a
        # cache restored from an older snapshot, and is not trusted.
        self.highest = 0
        # versioned() data: name -> (version, value), so a Redis outage never
        # means a rebuild per request.
        self.data: dict[str, tuple[int, object]] = {}
        # Pages (key -> the version mirror's bytes when the page was last
        # confirmed current, or None; the entry), the most recent
        # PROCESS_PAGES only: served from the shared cache, or rendered
        # while it was down (then they stand in for it).
        self.pages: OrderedDict[str, tuple[bytes | None, tuple]] = OrderedDict()

        # When each kind of derived data was last seen in (or put back into)
        # the shared cache by this process (time.monotonic()).
        self.shared_at: dict[str, float] = {}

        self._lock = threading.Lock()

    def keep_page(self, key: str, entry: tuple, seen: bytes | None = None) -> None:
        with self._lock:
            self.pages[key] = (seen, entry)
            self.pages.move_to_end(key)
            while len(self.pages) > PROCESS_PAGES:
                self.pages.popitem(last=False)

    def saw(self, version: int, *, from_database: bool = False) -> None:
        # The database is the truth: it may set the number back (a restore).
        self.highest = version if from_database else max(self.highest, version)


_memory = _ProcessMemory()


def reset_process_memory() -> None:
    global _memory
    _memory = _ProcessMemory()


# A request reads the version at most once: ContentVersionMiddleware opens a
# scope per request, and the first read in it is kept for the rest.
_request_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "content_version_scope", default=None
)

logger = logging.getLogger("roles.health")
# One message for pages and derived data served while the database is down:
# logged once per interval per process (settings.LOGGING), not per kind.
SERVING_CACHED = "Database unavailable, serving cached pages and data: %s"


def _trusted(mirror: object) -> int | None:
    version = mirrored_version(mirror)
    if version is None or version < _memory.highest:
        return None
    _memory.saw(version)
    return version


def _version_from_database() -> int:
    version = read_version_value()
    if uncommitted_change():
        # This transaction's own number: shown to no other process (nor kept
        # as this one's "last known") until it commits - _mirror_committed.
        return version
    _memory.saw(version, from_database=True)
    if not cache_down():  # (while it is, every page reads the database)
        mirror_prime(version)
    return version


def _last_known_version() -> int:
    """The newest version this process, or the shared cache, has seen (0:
    none). Only for while the database cannot say it."""
    shared = cache.get(LAST_KNOWN_KEY)
    return max(_memory.highest, shared if isinstance(shared, int) else 0)


def current_version() -> int:
    """The committed content version: the cache's mirror of it when that is
    fresh (no query), else one query, which puts the mirror back. No write to
    the database."""
    scope = _request_scope.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    version = None if cache_down() else _trusted(get_value(cache, VERSION_MIRROR_KEY))
    if version is None:
        version = _version_from_database()
    if scope is not None:
        scope["version"] = version
    return version


def prime_version(version: int) -> None:
    """Hand the request a version just read from the database elsewhere (the
    due-publication step), so the page cache does not read it again."""
    _memory.saw(version, from_database=True)
    scope = _request_scope.get()
    if scope is not None:
        scope.setdefault("version", version)


class ContentVersionMiddleware:
    """Gives each request one reading of the content version (made when
    something first needs it), so the page cache and the data cache agree on
    one version throughout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_scope.set({})
        try:
            return self.get_response(request)
        finally:
            _request_scope.reset(token)


def _page_key(request: HttpRequest) -> str:
    # The scheme too: over HTTPS the stored headers include HSTS. The release
    # too: after a deploy, a page the previous one rendered is not served.
    digest = hashlib.sha256(f"{request.scheme}:{request.path}".encode()).hexdigest()
    return f"page:{release_id()}:{digest[:32]}"


# A stored page keeps every header the stack gave it (security headers, CSP,
# ETag ...) except those set per request: the request id (set above the page
# cache) and the cache's own verdict.
_PER_REQUEST_HEADERS = frozenset({"x-request-id", "x-cache", "set-cookie"})
# The request headers that can make a stored page's answer a 304 or a 412.
_CONDITIONAL_HEADERS = frozenset(
    {
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_MATCH",
        "HTTP_IF_UNMODIFIED_SINCE",
    }
)
# A 304 keeps the page's headers but those that describe a body.
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-language"})


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
        settings.PAGE_CACHE_SECONDS > 0  # 0: the page cache is off
        and request.method in ("GET", "HEAD")
        and not request.GET
        and not request.user.is_authenticated
    )


def _rendered_at(entry: object) -> int | None:
    return entry[0] if isinstance(entry, tuple) and len(entry) == 3 else None


def _hit(entry: object, version: int | None) -> HttpResponse | None:
    """The stored page as a response, if ``entry`` is one rendered at
    ``version`` (None: at any version not older than this process has seen,
    which is what an outage of the database can still tell)."""
    if not (isinstance(entry, tuple) and len(entry) == 3):
        return None
    rendered_at, content, headers = entry
    if version is None:
        if rendered_at < _memory.highest:
            return None
    elif rendered_at != version:
        return None
    response = HttpResponse(content)
    # The stored headers are the items of a response the stack built (each
    # checked then, when it was set): they are put back as they were, not
    # checked again one by one (a third of the cost of a hit).
    response.headers._store = {
        name.lower(): (name, value) for name, value in headers.items()
    }
    response["X-Cache"] = "hit"
    return response


def _lookup(request: HttpRequest) -> HttpResponse | None:
    """At most one cache round trip: the version (the request's own reading,
    else the mirror) and this path's page, read together - the page only if
    this process holds no copy of it confirmed under the same mirror (then
    the copy is the page; a hit moves a few hundred bytes). A page is a hit
    when it was rendered at that version. With no fresh mirror the database
    says the version; when it cannot (it is down), the stored page is served
    if this process knows of no newer content, and the request goes on
    otherwise (to the 503 page, if it needs the database)."""
    key = _page_key(request)
    scope = _request_scope.get()
    kept = _memory.pages.get(key)
    if not cache_down():
        version: int | None
        seen: bytes | None = None
        if scope is not None and "version" in scope:
            version = scope["version"]
            if kept is not None and _rendered_at(kept[1]) == version:
                return _hit(kept[1], version)
            entry = cache.get(key)
        else:
            mirror, seen, entry = mirror_and_page(
                cache, VERSION_MIRROR_KEY, key, kept[0] if kept else None
            )
            if entry is UNCHANGED and kept is not None:
                entry = kept[1]
            version = _trusted(mirror)
        if not cache_down():  # it answered
            if version is None:
                try:
                    version = _version_from_database()
                except (OperationalError, InterfaceError) as exc:
                    logger.warning(SERVING_CACHED, exc)
                    served = _hit(entry, None)
                    if served is not None:
                        # Kept, unconfirmed (no mirror it was read under): if
                        # Redis fails this process too, the copy stands in.
                        assert isinstance(entry, tuple)  # _hit took it
                        _memory.keep_page(key, entry)
                    return served
            if scope is not None:
                scope["version"] = version
            hit = _hit(entry, version)
            if hit is not None and seen is not None:
                assert isinstance(entry, tuple)  # _hit took it
                _memory.keep_page(key, entry, seen)
            return hit
    # Redis is down (known before, or found just now): no round trip to it;
    # this process's own pages stand in, at the version the database says
    # (while it cannot say, as above). Without one, nothing is asked: what
    # needs neither store (robots.txt) is still answered.
    if kept is None:
        return None
    local = kept[1]
    try:
        version = current_version()
    except (OperationalError, InterfaceError) as exc:
        logger.warning(SERVING_CACHED, exc)
        return _hit(local, None)
    return _hit(local, version)


def public_page(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    # HttpResponseBase: a class-based view's as_view() is typed to return one.
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not _uses_cache(request):
            return view(request, *args, **kwargs)
        # PageCacheMiddleware has looked already: no second round trip.
        looked = getattr(request, "page_cache_missed", False)
        if not looked and (hit := _lookup(request)) is not None:
            return hit
        return _render_and_store(view, request, *args, **kwargs)

    return wrapped


def _render_and_store(view, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
    # The version first: the page is stored under the version read before
    # it was rendered, so it can only be newer than its key says, never older.
    version = current_version()
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if _cacheable(request, response):
        # Store the ETag with the page so a hit need not hash it again.
        set_response_etag(response)
        response["X-Cache"] = "miss"
        # Stored by PageCacheMiddleware on the way out, with every header the
        # middleware below it adds.
        response.page_cache_entry = (_page_key(request), version)
    return response


def _store(response: HttpResponse) -> None:
    key, version = response.page_cache_entry  # type: ignore[attr-defined]
    headers = {
        name: value
        for name, value in response.items()
        if name.lower() not in _PER_REQUEST_HEADERS
    }
    entry = (version, response.content, headers)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    if cache_down():
        _memory.keep_page(key, entry)


def _conditional(request: HttpRequest, hit: HttpResponse) -> HttpResponseBase:
    """The hit, or a 304 for a visitor who holds it (If-None-Match), with the
    page's headers but those of a body - what the stack below would send."""
    if not _CONDITIONAL_HEADERS.intersection(request.META):
        return hit
    response = get_conditional_response(
        request,
        etag=hit.get("ETag"),
        # A page that says when it last changed (the sitemap) is also
        # answered by date, as ConditionalGetMiddleware answers it rendered.
        last_modified=parse_http_date_safe(hit.get("Last-Modified", "")),
        response=hit,
    )
    if response is None:  # (only without a response to fall back on)
        return hit
    if response is not hit:
        for name, value in hit.items():
            if name.lower() not in _BODY_HEADERS and name not in response:
                response[name] = value
    return response


class PageCacheMiddleware:
    """Answers a cache hit as early as its headers allow: near the top of the
    stack, before the security headers, CSP, whitenoise, sessions, CSRF and
    the rest. A page is stored here on its way out, once the middleware below
    has added its headers, and a hit is answered with them (and can be a 304).
    Looked up: an anonymous GET (HEAD arrives as one) of a path without a
    query string, from a visitor with no session cookie - one cache round
    trip and no query. Anything else, and a miss, goes on down the stack,
    where ``public_page`` renders it (without a second look). Left alone: the
    API (its view rate-limits first), the admin, static files, /healthz/,
    and a plain-HTTP request that SecurityMiddleware redirects to HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_prefixes = (
            "/api/",
            "/" + settings.ADMIN_URL,
            settings.STATIC_URL or "/static/",
            "/healthz/",
        )

    def _looks_up(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0  # 0: the page cache is off
            and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.skip_prefixes)
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._looks_up(request):
            request.get_host()  # a host not allowed is a 400, as further down
            hit = _lookup(request)
            if hit is not None:
                return _conditional(request, hit)
            request.page_cache_missed = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code == 200 and hasattr(response, "page_cache_entry"):
            _store(cast(HttpResponse, response))
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
    dimensions), kept in the shared cache under the current content version,
    and in this process's memory too (the last version of each), so it is
    built once per version and not again while Redis is away. Workers that
    miss it at the same moment wait for the one building it (up to
    ``DERIVED_BUILD_WAIT_SECONDS``) instead of each building it. Never while
    a draft is staged for a preview, nor inside a write not yet committed:
    that data is not public (yet)."""
    if is_staging() or uncommitted_change():
        return compute()
    version = _version_for_data()
    key = f"data:{release_id()}:{version}:{name}"
    remembered = _memory.data.get(name)
    if remembered is not None and remembered[0] == version:
        _share_again(name, key, remembered[1], timeout)
        return remembered[1]
    value = cache.get(key)
    if value is None:
        value = _build_once(key, compute, timeout)
    _memory.data[name] = (version, value)
    _memory.shared_at[name] = time.monotonic()
    return value


def _share_again(name: str, key: str, value: object, timeout: int) -> None:
    """Redis lost its data (a restart, an eviction) while this process kept
    the value in memory: put it back, checking at most once a minute per kind
    (``DERIVED_SHARE_AGAIN_SECONDS``), so a worker started since finds it
    there instead of building it - which a database outage makes impossible."""
    every = float(getattr(settings, "DERIVED_SHARE_AGAIN_SECONDS", 60))
    now = time.monotonic()
    if now - _memory.shared_at.get(name, -math.inf) < every or cache_down():
        return
    _memory.shared_at[name] = now
    if not cache.has_key(key):
        cache.add(key, value, timeout)


#: At most this many entries in one versioned_memo (a guard: its keys come
#: from published content, so there are only as many as it has).
MEMO_ENTRIES = 2000


class Throwaway(dict):
    """A memo that is not kept: what is put in it is gone with the request
    (a caller may skip building what only pays off when kept)."""


def versioned_memo(name: str) -> dict:
    """A dict in this process's memory only, for the current content version:
    a new, empty one once the version moves on. For derived values cheap
    enough to build again in each worker but wanted on every request (a
    page's frame), which the shared cache would only slow down. While a draft
    is staged for a preview, or inside a write not yet committed, a
    :class:`Throwaway` dict: what is built then is not public."""
    if is_staging() or uncommitted_change():
        return Throwaway()
    version = _version_for_data()
    key = f"memo:{name}"
    remembered = _memory.data.get(key)
    if remembered is not None and remembered[0] == version:
        memo = cast(dict, remembered[1])
        if len(memo) < MEMO_ENTRIES:
            return memo
    memo = {}
    _memory.data[key] = (version, memo)
    return memo


def _version_for_data() -> int:
    """The current version; while the database is down, the last one known
    (the data kept under it is what the site last served, and nothing can
    change while the database is away), so what needs only derived data (a
    questionnaire step) still works. Kept for the rest of the request."""
    try:
        return current_version()
    except (OperationalError, InterfaceError) as exc:
        # Inside a transaction the failure has spoilt it: the error stands.
        if transaction.get_connection().in_atomic_block:
            raise
        known = _last_known_version()
        if not known:
            raise
        logger.warning(SERVING_CACHED, exc)
        scope = _request_scope.get()
        if scope is not None:
            scope["version"] = known
        return known


def _build_once(key: str, compute: Callable[[], object], timeout: int) -> object:
    """Build ``key`` in one worker at a time: the first to claim the build
    computes and stores it; the others poll the cache for its result, and
    build it themselves only if it does not come in time (a builder that
    died, or Redis gone: a failed claim answers None, not False). A build
    that fails (the database went away) gives its claim up, so those waiting
    stop at once and try for themselves rather than wait out the time."""
    wait = float(getattr(settings, "DERIVED_BUILD_WAIT_SECONDS", 10))
    claim = f"build:{key}"
    claimed = cache.add(claim, 1, max(1, int(wait) + 1))
    if claimed is False:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and not cache_down():
            time.sleep(0.05)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(claim) is None:
                break  # the builder gave up or finished without storing it
    try:
        value = compute()
    except BaseException:
        if claimed:
            cache.delete(claim)
        raise
    cache.set(key, value, timeout)  # before the claim goes: nobody builds twice
    if claimed:
        cache.delete(claim)
    return value


# Derived data a content change makes stale, by name: built again after each
# write (in the writer's process, settings.DERIVED_PREBUILD) and by
# ``manage.py warm_cache`` at deploy, so visitors find it ready.
_derived: dict[str, Callable[[], object]] = {}


def register_derived(name: str, compute: Callable[[], object]) -> None:
    _derived[name] = compute


def unregister_derived(name: str) -> None:
    _derived.pop(name, None)


def derived_names() -> list[str]:
    return sorted(_derived)


def _prebuild_after_commit() -> None:
    """After a write commits, build the derived data of the new version here,
    in the writer's process (an editor's save, an import), so the first
    visitor after it finds the data ready. Off unless DERIVED_PREBUILD."""
    if getattr(settings, "DERIVED_PREBUILD", False):
        try:
            warm_derived()
        except (OperationalError, InterfaceError):  # the write is already safe
            logger.warning("derived data not prebuilt: the database is unavailable")


version_module.after_commit_hooks.append(_prebuild_after_commit)


def warm_derived() -> list[str]:
    """Build every registered kind of derived data for the current version
    (a no-op for those already built); the names built or found."""
    for name, compute in list(_derived.items()):
        versioned(name, compute)
    return derived_names()


def warm_process() -> list[str]:
    """Called once where gunicorn loads the application, before it forks
    its workers (config/wsgi.py, preload_app): the current version's derived
    data - found in the shared cache, or built - in this process's memory,
    which every worker then starts with. So the first visitors after a start
    wait for no build, and a Redis outage soon after it costs no worker a
    rebuild. The database connection is closed again (a forked worker must
    not share it). If the database cannot answer (not there yet, not
    migrated), nothing is built: the first request that needs it builds it."""
    try:
        return warm_derived()
    except DatabaseError as exc:
        logger.warning("derived data not built at start: %s", exc)
        return []
    finally:
        connections.close_all()
