"""Logging helpers."""

from __future__ import annotations

import logging
import threading
import time


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
