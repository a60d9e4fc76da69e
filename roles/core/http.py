"""How the site's pages answer HTTP methods, and how the open data API
answers what its views never see (an unknown address, a method it does not
take, the database away)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

V = TypeVar("V", bound=Callable[..., object])


def read_only(view: V) -> V:
    """A page without a form: GET and HEAD, and the site's 405 for any other
    method. Without the CSRF check: it ran first, so a stray POST was told
    "That form has expired" (403) on a page that has no form; nothing is
    written here whatever the method, so there is nothing for it to guard."""
    return csrf_exempt(require_safe(view))


#: The licence of everything the API serves, named on every response of it.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'

API_PREFIX = "/api/"


def api_error(detail: str, status: int) -> JsonResponse:
    """An API error as its clients read every answer: JSON, with the licence."""
    response = JsonResponse({"detail": detail}, status=status)
    response["Link"] = LICENCE_LINK
    return response
