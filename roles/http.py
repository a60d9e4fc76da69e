"""Request plumbing shared by the middleware, the rate limiter and axes."""

from __future__ import annotations

import contextvars
import ipaddress
import json
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

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
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and
    the traceback for errors. Request bodies and headers are never logged."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        status = getattr(record, "status_code", None)
        if status:
            entry["status"] = status
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
