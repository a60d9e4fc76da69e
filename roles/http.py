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


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address. Behind ``TRUSTED_PROXY_COUNT`` proxies that each
    append to X-Forwarded-For, the client is the entry the outermost trusted
    proxy added; anything further left was written by the client and is not
    trusted. With no trusted proxy, REMOTE_ADDR. None when there is no valid
    address (e.g. a log-in made without a request)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [
            h.strip()
            for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if h.strip()
        ]
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None


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
    """Answers /healthz/ before host validation and HTTPS redirects, so a
    container or load-balancer probe on the container's own address works."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != "/healthz/":
            return self.get_response(request)
        return health_response()


def health_response() -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy, never a 500
        logging.getLogger("roles.health").error("Database check failed: %s", exc)
        checks["database"] = "error"
    try:
        probe = uuid.uuid4().hex
        cache.set("healthz", probe, timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == probe else "error"
    except Exception as exc:
        logging.getLogger("roles.health").error("Cache check failed: %s", exc)
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **checks},
        status=200 if healthy else 503,
    )
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
