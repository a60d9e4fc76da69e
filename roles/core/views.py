"""The site's own error pages where Django needs a view for them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid token: most often a page left open until the
    session expired, or cookies blocked. Says how to recover; logs nothing of
    the token."""
    return render(
        request,
        "403.html",
        {
            "heading": "That form has expired",
            "message": "The form was sent without a valid security token, usually "
            "because the page was open for a long time or cookies are blocked. "
            "Go back, reload the page and send it again.",
        },
        status=403,
    )


# The error handlers (config/urls.py's handler400/403/404). Django's own are
# wrapped in requires_csrf_token, which runs the CSRF check again: on a POST
# whose body cannot be read that raises once more and turns a 400 into a 500.
# These only render the page: they never read the request body.


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    context = {"exception": str(exception)} if exception else {}
    return render(request, "403.html", context, status=403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "404.html", status=404)
