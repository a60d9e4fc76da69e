"""URLs reversed once per process rather than on every request.

``reverse()`` walks the URLconf each time (tens of microseconds): the header's
links on every page and the questionnaire's step links are reversed again and
again with the same arguments. :func:`cached_reverse` keeps each result per
script prefix and URLconf, so a mounted site or a changed URLconf gets its own.

May import: Django only."""

from __future__ import annotations

import functools
import re

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


# Lower-case words joined by hyphens: every route's converter takes it as it
# is (slug, str, a comparison's roles) and reverse() quotes nothing in it.
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Stands for the slug in the address reversed once; a plain slug itself.
_SLOT = "0slot0"


@functools.lru_cache(maxsize=64)
def _around_slot(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    before, _slot, after = reverse(name, args=[_SLOT], urlconf=urlconf).partition(_SLOT)
    return before, after


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, args=[slug])`` for a route with one slug in it (a role's
    page, a comparison's), from the address reversed once per route, script
    prefix and URLconf. A page listing every role (the home page, the role
    list, a role's "Compare with another role") builds 216 addresses at the
    large size; reversing each cost a fifth to a third of the page. Anything
    but a plain slug is reversed as before."""
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    before, after = _around_slot(
        name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return f"{before}{slug}{after}"
