"""A per-process "Redis is down" switch for django-redis.

django-redis (IGNORE_EXCEPTIONS) already turns a failed cache call into a miss
or a dropped write; but each call still waits for its connect or socket
timeout, so a dead or hung Redis costs every request its timeouts. This client
remembers the failure: for ``settings.CACHE_RETRY_SECONDS`` after one, every
call of this process fails at once (a miss, a dropped write), and the first
call after that tries Redis again."""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

# What django-redis takes for Redis gone (its _main_exceptions), for the call
# below that talks to redis-py directly: a miss, and Redis left alone a while.
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ResponseError, socket.timeout)

# The calls that reach Redis (the ones the site and its libraries make).
_CALLS = (
    "get",
    "get_many",
    "set",
    "set_many",
    "add",
    "delete",
    "delete_many",
    "incr",
    "decr",
    "has_key",
    "touch",
    "expire",
    "ttl",
    "clear",
)


class _Switch:
    down_until = 0.0


switch = _Switch()


def reset() -> None:
    switch.down_until = 0.0


def cache_down() -> bool:
    """True while this process has switched Redis off after a failure."""
    return time.monotonic() < switch.down_until


def _guarded(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if time.monotonic() < switch.down_until:
            raise ConnectionInterrupted(connection=None)
        try:
            return method(self, *args, **kwargs)
        except ConnectionInterrupted:
            switch.down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
            raise

    return call


class RetryLaterClient(DefaultClient):
    pass


for _name in _CALLS:
    setattr(RetryLaterClient, _name, _guarded(getattr(DefaultClient, _name)))


class _Held(threading.local):
    """Each thread's own connection for :func:`mirror_and_page`, made with
    the pool's settings (address, timeouts) and the process it was made in."""

    pool: object = None
    pid = 0
    connection = None


_held = _Held()


def _own_connection(pool):
    """This thread's connection to the pool's Redis, made at its first use,
    and again in a process forked since (gunicorn's workers) or for another
    pool (settings changed in tests). Never shared: a thread sends a command
    and reads its reply before anything else uses it, so nothing is checked
    out or returned. After an error it is disconnected, and redis-py
    connects it again at the next command."""
    if _held.connection is None or _held.pool is not pool or _held.pid != os.getpid():
        _held.connection = pool.connection_class(**pool.connection_kwargs)
        _held.pool, _held.pid = pool, os.getpid()
    return _held.connection


#: What :func:`mirror_and_page` returns for a page the caller's copy stands for.
UNCHANGED = object()

logger = logging.getLogger("roles.cache")


def mirror_and_page(
    backend: BaseCache, mirror: str, page: str, seen: bytes | None
) -> tuple[object, bytes | None, object]:
    """The version mirror (its value and raw bytes) and a page, for a lookup
    in the page cache. The page is :data:`UNCHANGED` when the mirror's bytes
    are ``seen``, those the caller saw when it kept its own copy of the page:
    then only the mirror is read (one small round trip, no page sent). With
    no copy both are read in one ``MGET``; a copy under an older mirror costs
    a second read, for the page. On a cache other than django-redis's (the
    local-memory cache of development and tests) ``get_many`` reads both and
    no bytes are known. A Redis that is down or hung is a miss, and is left
    alone for a while, as for every other call.

    This talks to a redis-py connection directly, one of each thread's own
    (:func:`_own_connection`): the full client's command path (retries,
    events, metrics) and the pool's check-out and return cost a cache hit
    more than the round trip itself."""
    client = getattr(backend, "client", None)
    if not isinstance(client, RetryLaterClient):
        return _get_many(backend, mirror, page)
    if cache_down():
        return None, None, None
    mirror_key, page_key = client.make_key(mirror), client.make_key(page)

    def exchange(connection):
        if seen is None:
            connection.send_command("MGET", mirror_key, page_key)
            return connection.read_response()
        connection.send_command("GET", mirror_key)
        raw = connection.read_response()
        if raw == seen:
            return raw, UNCHANGED
        connection.send_command("GET", page_key)
        return raw, connection.read_response()

    raw, raw_page = _exchange(client, exchange) or (None, None)
    value = None if raw is None else client.decode(raw)
    if raw_page is UNCHANGED:
        return value, raw, UNCHANGED
    return value, raw, None if raw_page is None else client.decode(raw_page)


def get_value(backend: BaseCache, key: str) -> object:
    """``backend.get(key)`` in one round trip over this thread's own
    connection, as :func:`mirror_and_page` reads: for the one key every
    uncached request reads (the content version's mirror), whose read
    through the full client cost about as much as the rest of a
    questionnaire step. A Redis that is down or hung is a miss, and is left
    alone a while; a cache other than django-redis's is asked as it is."""
    client = getattr(backend, "client", None)
    if not isinstance(client, RetryLaterClient):
        return backend.get(key)
    if cache_down():
        return None
    cache_key = client.make_key(key)

    def exchange(connection):
        connection.send_command("GET", cache_key)
        return connection.read_response()

    raw = _exchange(client, exchange)
    return None if raw is None else client.decode(raw)


def _exchange(client: RetryLaterClient, talk):
    """``talk(connection)`` on this thread's own connection to the client's
    Redis; None, with Redis switched off a while, if it is down or hung. A
    connection the server has closed since its last use (a restart, a
    failover, an idle timeout) is connected again and asked once more, as
    the pool does with its own before it hands one out: only a Redis that
    refuses that too is taken for down. (The reads here can be repeated.)"""
    try:
        connection = _own_connection(client.get_client(write=False).connection_pool)
        was_open = getattr(connection, "_sock", None) is not None
        for retry in (was_open, False):
            try:
                return talk(connection)
            except BaseException as exc:
                connection.disconnect()  # a reply may be left unread
                if not (retry and isinstance(exc, RedisConnectionError)):
                    raise
    except _REDIS_DOWN:
        switch.down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
        logger.exception("Exception ignored")  # as django-redis logs its own
        return None


def _get_many(
    backend: BaseCache, mirror: str, page: str
) -> tuple[object, None, object]:
    found = backend.get_many([mirror, page])
    return found.get(mirror), None, found.get(page)
