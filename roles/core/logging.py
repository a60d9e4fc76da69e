"""Logging: the request id on every record, JSON lines, and a filter that
keeps an outage from flooding the log."""

from __future__ import annotations

import contextvars
import logging
import logging.config
import threading
import time

from pythonjsonlogger import json as jsonlogger


def configure(config: dict) -> None:
    """LOGGING_CONFIG: Django's dictConfig, and Python's warnings captured
    into the logging system (the py.warnings logger), so a deprecation warning
    is a log line in the configured format, not bare text on stderr."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


class OncePerInterval(logging.Filter):
    """Lets one record per logger and message through per interval: an outage
    (Redis down for every request) is logged once a minute, not a thousand
    times a second. Counts what it held back and says so on the next one."""

    def __init__(self, seconds: float = 60.0):
        super().__init__()
        self.seconds = seconds
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this since the last report)"
        return True


request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)


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
