"""Request plumbing: a request id on every request, form bodies in a charset
Django can read (else 400), Cross-Origin-Resource-Policy, and /healthz/
answered before sessions and the rest."""

from __future__ import annotations

import codecs
import re
import uuid

from django.http import HttpRequest, HttpResponse

from roles.core.health import health_response
from roles.core.logging import request_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class IdentifiedRequest(HttpRequest):
    """A request as RequestIdMiddleware leaves it (for type checking: at run
    time it is Django's own HttpRequest, tagged with ``id``)."""

    id: str


class RequestIdMiddleware:
    """Tags each request with an id (the proxy's X-Request-ID when well-formed,
    else a new one) for the logs and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: IdentifiedRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


# Charsets a form body may be sent in: the ones browsers use for forms. Others
# (UTF-16, UTF-7, EBCDIC, unknown names) are refused before anything parses it.
FORM_CHARSETS = {"utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"}


class RequestCharsetMiddleware:
    """A request body in a charset nobody's browser sends, or one Python does
    not know, gets the site's 400 page instead of an exception while Django
    (or its error reporter) decodes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = (
            request.content_params.get("charset") if request.content_params else None
        )
        if charset and not _known_form_charset(charset):
            from django.shortcuts import render

            return render(
                request,
                "400.html",
                {"message": "The form was sent in a character set we do not accept."},
                status=400,
            )
        return self.get_response(request)


def _known_form_charset(name: str) -> bool:
    try:
        return codecs.lookup(name).name in FORM_CHARSETS
    except LookupError:
        return False


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class HealthCheckMiddleware:
    """Answers /healthz/ before host validation and HTTPS redirects (so a
    container or load-balancer probe on the container's own address works),
    but after the security-header middleware (so it carries them too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != "/healthz/":
            return self.get_response(request)
        return health_response()
