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
