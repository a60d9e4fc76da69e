"""/healthz/: 200 when the database answers ("degraded" when only the cache
fails), 503 when it does not."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


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
