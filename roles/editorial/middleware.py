"""Runs the due-publication step ahead of the page cache, so a request never
publishes anything from inside a cache lookup (see ``roles.editorial.due``)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from roles.editorial.due import publications_due_run

logger = logging.getLogger("roles.health")


class DuePublicationMiddleware:
    """At most once per ``settings.DUE_CHECK_SECONDS`` per process (0: every
    request), before the view and its page cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._next_check = 0.0
        self._lock = threading.Lock()

    def _due(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next_check:
                return False
            self._next_check = now + settings.DUE_CHECK_SECONDS
            return True

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._due():
            try:
                publications_due_run()
            except DatabaseError:
                # The page may still be served from the cache; try again at
                # the next request rather than in a minute.
                self._next_check = 0.0
                logger.warning("Scheduled publications not checked: database error")
        return self.get_response(request)
