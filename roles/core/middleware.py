"""Request plumbing: HEAD answered as GET without a body, a request id on every
request, form bodies in a charset Django can read (else 400),
Cross-Origin-Resource-Policy, and /healthz/ answered before sessions and the
rest."""

from __future__ import annotations

import codecs
import re
import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from whitenoise.middleware import WhiteNoiseMiddleware

from roles.core.health import health_response
from roles.core.logging import request_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class HeadAsGetMiddleware:
    """Every GET route answers HEAD: the request goes through as a GET (so
    views, caching and ETags treat it as one) and the response keeps the GET's
    headers, Content-Length included, but sends no body. gunicorn, unlike
    runserver, does not drop a HEAD response's body itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            if hasattr(response, "close"):
                response.close()
            response.streaming_content = []
        else:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


class MethodNotAllowedPageMiddleware:
    """A page asked for a method it does not take (require_GET and the like
    answer an empty 405) gets the site's own 405 page, its Allow header kept.
    The API keeps its JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.streaming
            or response.content
            or request.path.startswith("/api/")
        ):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "GET, HEAD")
        return page


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


# The one charset a request body may declare: Django reads form bodies only in
# UTF-8 (what browsers send), and refuses any other with BadRequest. Aliases
# of it ("utf8", "UTF-8") are read as UTF-8; any other charset (ASCII,
# Latin-1, UTF-16, unknown names) is refused before anything parses the body.
BODY_CHARSET = "utf-8"


class RequestCharsetMiddleware:
    """A request body declared in a charset other than UTF-8 gets the site's
    400 page here, before the CSRF check or a view reads it (Django would
    raise BadRequest there, and again in any handler that reads the body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = (
            request.content_params.get("charset") if request.content_params else None
        )
        if charset is None:
            return self.get_response(request)
        if _codec_name(charset) != BODY_CHARSET:
            return render(
                request,
                "400.html",
                {"message": "The form was sent in a character set we do not accept."},
                status=400,
            )
        request.encoding = BODY_CHARSET  # "utf8", "UTF-8": Django wants "utf-8"
        return self.get_response(request)


def _codec_name(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


MANIFEST_NAME = "staticfiles.json"


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, except that the static files' manifest (every file's
    hashed name, written by collectstatic into STATIC_ROOT) is not served:
    it is for the storage, not for visitors."""

    def _is_manifest(self, url: str) -> bool:
        return url == self.static_prefix + MANIFEST_NAME

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not self._is_manifest(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        return None if self._is_manifest(url) else super().find_file(url)


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
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"detail": "Method not allowed."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return health_response()
