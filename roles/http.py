"""Request plumbing shared by the middleware, the rate limiter and axes."""

from __future__ import annotations

import codecs
import contextvars
import ipaddress
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_ratelimit.core import ALL, get_usage
from pythonjsonlogger import json as jsonlogger

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted_proxy(address) -> bool:
    for network in settings.TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address. X-Forwarded-For counts only when the request
    comes straight from one of our own proxies (``TRUSTED_PROXIES``); then the
    client is the entry ``TRUSTED_PROXY_COUNT`` places from the right (the one
    our outermost proxy wrote); anything further left was written by the
    client. Otherwise, and whenever that entry is not an address, REMOTE_ADDR.
    None when there is no valid address (a log-in made without a request).

    The standard trusted-proxy walk (nginx's realip does the same); python-
    ipware's proxy-count model reads from the left, which the client writes."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0 and _trusted_proxy(remote):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h for h in forwarded.split(",") if h.strip()]
        if len(hops) >= count and (client := _address(hops[-count])) is not None:
            return str(client)
    return str(remote)


def _rate_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def rate_limit_wait(
    request: HttpRequest, *, group: str, limit: int, window: int
) -> int | None:
    """Seconds until this client may go on, or None. A fixed window per client
    address (``client_ip``) in the shared cache (django-ratelimit), so it holds
    across processes and containers; it fails open while the cache is away."""
    usage = get_usage(
        request,
        group=group,
        key=_rate_key,
        rate=f"{limit}/{window}s",
        method=ALL,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


class RequestIdMiddleware:
    """Tags each request with an id (the proxy's X-Request-ID when well-formed,
    else a new one) for the logs and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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


def health_response() -> JsonResponse:
    """Liveness with the state of each dependency. The database is required
    (503 without it); the shared cache is not: pages are rendered uncached
    while it is away, so its outage reports "degraded" with a 200, and a
    shared Redis blip does not pull every instance out of the load balancer."""
    log = logging.getLogger("roles.health")
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy, never a 500
        log.error("Database check failed: %s", exc)
        checks["database"] = "error"
    try:
        probe = uuid.uuid4().hex
        cache.set("healthz", probe, timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == probe else "error"
    except Exception as exc:
        log.warning("Cache check failed: %s", exc)
        checks["cache"] = "error"
    if checks["database"] != "ok":
        status, code = "error", 503
    elif checks["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, **checks}, status=code)
    response["Cache-Control"] = "no-store"
    return response


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record: the one of the request being
    handled, or - for Django's own 4xx/5xx lines, logged after the middleware
    returned - the one on the request the record carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or request_id_var.get()
        return True


class JsonFormatter(jsonlogger.JsonFormatter):
    """One JSON object per line (python-json-logger): time, level, logger,
    message, request id, status where known, and the traceback for errors.
    Request bodies and headers are never logged."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
        )
        kwargs.setdefault(
            "rename_fields",
            {"asctime": "time", "levelname": "level", "name": "logger"},
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.pop("request", None)
        if "exc_info" in log_data:
            log_data["traceback"] = log_data.pop("exc_info")
        status = getattr(record, "status_code", None)
        if status:
            log_data["status"] = status
        if not log_data.get("request_id"):
            log_data["request_id"] = "-"
