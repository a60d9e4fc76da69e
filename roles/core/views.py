"""The site's own error pages where Django needs a view for them."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

from roles.core.http import API_PREFIX, api_error

logger = logging.getLogger("roles.health")


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
    if request.path.startswith(API_PREFIX):
        # A disallowed Host, a malformed request: the API's clients read JSON.
        return api_error("Bad request: check the address and the Host header.", 400)
    return render(request, "400.html", status=400)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_error("Forbidden.", 403)
    context = {"exception": str(exception)} if exception else {}
    return render(request, "403.html", context, status=403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        # The API's clients read JSON, its errors included.
        return api_error(
            "No such API address: the endpoints are listed at /api/v1/.", 404
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. An uncaught error because the database is unreachable
    (a page that must be rendered, a form that must be saved, an admin save,
    from a view or a middleware) is not a bug: the site's own 503 page with
    Retry-After, logged once per interval without a traceback (the rest of
    the outage is counted, not logged). Anything else is Django's 500."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        if request.path.startswith(API_PREFIX):
            return api_error("Something went wrong on our side.", 500)
        return django_server_error(request)
    if request.path.startswith(API_PREFIX):
        return database_unavailable(error, api=True)
    resend = _resend(request)
    if resend is None:
        return database_unavailable(error)
    return database_unavailable(
        error,
        request=request,
        context={"message": CHANGES_NOT_SAVED, "resend": resend},
    )


CHANGES_NOT_SAVED = (
    "The database is briefly unavailable, so your changes were not saved. "
    "They are kept on this page: in a minute, send them again with the button "
    "below."
)


def _resend(request: HttpRequest) -> dict | None:
    """An editor's admin form that the database could not save: what was
    sent, to send again from the 503 page (nothing typed is lost). Only a
    post that passed the CSRF check (from the site's own form), never one
    with a password or files (neither can be written into a page)."""
    if request.method != "POST" or not request.path.startswith(
        f"/{settings.ADMIN_URL}"
    ):
        return None
    if not getattr(request, "csrf_processing_done", False):
        return None
    try:
        if request.FILES:
            return None
        fields = [
            (name, value)
            for name in request.POST
            if name != "csrfmiddlewaretoken"
            for value in request.POST.getlist(name)
        ]
    except Exception:  # a body that cannot be read again: nothing to offer
        return None
    if not fields or any("password" in name.lower() for name, _ in fields):
        return None
    return {
        "action": request.get_full_path(),
        "fields": fields,
        "label": "Send my changes again",
    }


def database_unavailable(
    error: Exception,
    *,
    request: HttpRequest | None = None,
    context: dict | None = None,
    api: bool = False,
) -> HttpResponse:
    """The site's 503 page. ``context``: what a view that caught the error
    itself adds (a message saying what was kept; a form to send it again,
    which needs ``request`` for its CSRF token)."""
    logger.warning("Database unavailable, answering 503: %s", error)
    response: HttpResponse
    if api:
        response = api_error(
            "The API is briefly unavailable: try again in a minute.", 503
        )
    else:
        # Standalone (not base.html): nothing in it needs the database.
        response = HttpResponse(
            render_to_string("503.html", context, request=request), status=503
        )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Already logged above, once per interval: not again, with its traceback,
    # by django.request for every request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
