"""Scheduled times, acted on in one explicit place.

Publish and unpublish times and scheduled drafts change what the public sees
without anyone saving anything. The content version row remembers the next
such time; when it has passed, ``publications_due_run`` publishes the due
drafts (their writes move the version on) and moves the version on once for
the rest, so no cached page outlives its content. It runs ahead of the page
cache (``DuePublicationMiddleware``, at most once per ``DUE_CHECK_SECONDS``
per process) and from ``manage.py publish_due``; never inside a cache lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from roles.editorial.workflow import drafts_publish_due
from roles.publishing.cache import next_scheduled_change, prime_version
from roles.publishing.version import bump_if_due, read_content_version, record_schedule


@dataclass(frozen=True)
class DueRun:
    drafts_published: int
    version_moved: bool


def publications_due_run(*, now: datetime | None = None) -> DueRun:
    now = now or timezone.now()
    version, schedule_known, next_change_at = read_content_version()
    if not schedule_known:
        next_change_at = next_scheduled_change(now)
        record_schedule(version, next_change_at)
    if next_change_at is None or next_change_at > now:
        prime_version(version)
        return DueRun(0, False)
    # Due drafts are written first (their writes move the version on); the
    # conditional bump covers publish and unpublish times.
    published = drafts_publish_due(now)
    version = read_content_version()[0]
    return DueRun(published, bump_if_due(version))
