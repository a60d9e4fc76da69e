"""A per-process "Redis is down" switch for django-redis.

django-redis (IGNORE_EXCEPTIONS) already turns a failed cache call into a miss
or a dropped write; but each call still waits for its connect or socket
timeout, so a dead or hung Redis costs every request its timeouts. This client
remembers the failure: for ``settings.CACHE_RETRY_SECONDS`` after one, every
call of this process fails at once (a miss, a dropped write), and the first
call after that tries Redis again."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

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
