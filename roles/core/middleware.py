"""Request plumbing: HEAD answered as GET without a body, a request id on every
request, form bodies in a charset Django can read (else 400),
Cross-Origin-Resource-Policy, the Content-Security-Policy header, and /healthz/
answered before sessions and the rest."""

from __future__ import annotations

import codecs
import functools
import re
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from whitenoise.middleware import WhiteNoiseMiddleware

from roles.core.health import health_response
from roles.core.http import (
    API_PREFIX,
    LICENCE_LINK,
    allow_header,
    allowed_methods,
    api_error,
)
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


#: What the read-only open data API takes, on every route of it.
API_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class MethodNotAllowedPageMiddleware:
    """A method a route does not take gets 405 with the route's own Allow
    header here, before the CSRF check (which told a PUT to a form "That form
    has expired"): the methods are read from the resolved view's decorators
    or class (``allowed_methods``). A page gets the site's own 405 page (an
    empty 405 from a view, too); the read-only API answers in JSON, an OPTIONS
    request to it with 204 and its Allow header (a CORS preflight is
    django-cors-headers', above), and every API response, a 304 included
    (ConditionalGetMiddleware keeps only a few headers), names the licence."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        api = request.path.startswith(API_PREFIX)
        if api and request.method not in API_METHODS:
            return _api_refusal()
        response = self.get_response(request)
        if api:
            response["Link"] = LICENCE_LINK
            return response
        if response.status_code != 405 or response.streaming or response.content:
            return response
        return _refusal_page(request, response.get("Allow", "GET, HEAD"))

    def process_view(
        self, request: HttpRequest, view_func, view_args, view_kwargs
    ) -> HttpResponseBase | None:
        if request.path.startswith(API_PREFIX):
            if request.method != "OPTIONS":
                return None
            answer = HttpResponse(status=204)
            answer["Allow"] = allow_header(API_METHODS)
            return answer
        allowed = allowed_methods(view_func)
        if allowed is None or request.method in allowed:
            return None
        return _refusal_page(request, allow_header(allowed))


def _api_refusal() -> HttpResponse:
    refused = api_error("This API is read-only: use GET (or HEAD, OPTIONS).", 405)
    refused["Allow"] = allow_header(API_METHODS)
    return refused


def _refusal_page(request: HttpRequest, allow: str) -> HttpResponse:
    page = render(request, "405.html", status=405)
    page["Allow"] = allow
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
            if request.path.startswith(API_PREFIX):
                return api_error("A request body must be in UTF-8.", 400)
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


# What a view or decorator (csp_update, csp_replace, csp_exempt ...) can set on
# a response to change its policy.
_CSP_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def _site_policies() -> tuple[str, str] | None:
    """The headers of a response that changes nothing about the policy, built
    from the settings once per process; None when the settings exclude paths
    (then django-csp decides per request)."""
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _policy_settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, except that a response which neither changes
    its policy nor used a nonce gets the site's policy built once per process:
    building it per response was a third of a page-cache hit's time. Anything
    else (a decorator's change, a nonce, an excluded path) is django-csp's."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policies = _site_policies()
        if (
            policies is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_PER_RESPONSE)
        ):
            return super().process_response(request, response)
        enforced, report_only = policies
        if enforced:
            response.setdefault(HEADER, enforced)
        if report_only:
            response.setdefault(HEADER_REPORT_ONLY, report_only)
        # As django-csp: a nonce asked for after the header is written fails.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


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
