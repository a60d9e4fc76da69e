"""How the site's pages answer HTTP methods, and how the open data API
answers what its views never see (an unknown address, a method it does not
take, the database away)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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


def allowed_methods(view: Callable[..., Any]) -> frozenset[str] | None:
    """The methods a view takes, read from its decorators without calling it:
    each ``require_http_methods`` (require_GET, require_POST, require_safe ...)
    in its chain of ``functools.wraps`` wrappers and a class view's handlers,
    HEAD with GET (HeadAsGetMiddleware answers it); None when nothing in the
    chain says (the view takes any method it likes). So the method is checked
    before the CSRF check, which told a PUT "That form has expired"."""
    allowed: frozenset[str] | None = None
    current: Any = view
    while current is not None:
        found = _declared(current)
        if found is not None:
            allowed = found if allowed is None else allowed & found
        current = getattr(current, "__wrapped__", None)
    if allowed is not None and "GET" in allowed:
        allowed |= {"HEAD"}
    return allowed


def _declared(view: Any) -> frozenset[str] | None:
    code = getattr(view, "__code__", None)
    # require_http_methods' wrapper holds its list in a closure cell: Django
    # keeps it nowhere else.
    if code is not None and "request_method_list" in code.co_freevars:
        cell = view.__closure__[code.co_freevars.index("request_method_list")]
        return frozenset(method.upper() for method in cell.cell_contents)
    if (cls := getattr(view, "view_class", None)) is not None:
        return frozenset(
            name.upper() for name in cls.http_method_names if hasattr(cls, name)
        )
    return None


def allow_header(methods: frozenset[str]) -> str:
    """An Allow header in a steady order (GET first, as Django writes it)."""
    order = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
    return ", ".join(
        sorted(methods, key=lambda m: (order.index(m) if m in order else 99, m))
    )


#: The licence of everything the API serves, named on every response of it.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'

API_PREFIX = "/api/"


def api_error(detail: str, status: int) -> JsonResponse:
    """An API error as its clients read every answer: JSON, with the licence."""
    response = JsonResponse({"detail": detail}, status=status)
    response["Link"] = LICENCE_LINK
    return response
