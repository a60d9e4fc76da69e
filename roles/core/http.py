"""How the site's pages answer HTTP methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

V = TypeVar("V", bound=Callable[..., object])


def read_only(view: V) -> V:
    """A page without a form: GET and HEAD, and the site's 405 for any other
    method. Without the CSRF check: it ran first, so a stray POST was told
    "That form has expired" (403) on a page that has no form; nothing is
    written here whatever the method, so there is nothing for it to guard."""
    return csrf_exempt(require_safe(view))
