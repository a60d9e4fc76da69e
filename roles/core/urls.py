"""URLs reversed once per process rather than on every request.

``reverse()`` walks the URLconf each time (tens of microseconds): the header's
links on every page and the questionnaire's step links are reversed again and
again with the same arguments. :func:`cached_reverse` keeps each result per
script prefix and URLconf, so a mounted site or a changed URLconf gets its own.

May import: Django only."""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=2048)
def _reversed(name: str, args: tuple[str, ...], prefix: str, urlconf: str) -> str:
    # ``prefix`` only keys the cache: reverse() reads the current one itself.
    return reverse(name, args=args, urlconf=urlconf)


def cached_reverse(name: str, *args: str) -> str:
    """``reverse(name, args=args)``, remembered. For arguments from a bounded
    set only (a published question's key, never raw input): the cache keeps
    the 2,048 most recent."""
    return _reversed(
        name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
