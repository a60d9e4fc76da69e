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

from django.db import transaction
from django.utils import timezone

from roles.editorial.models import Draft, DraftState
from roles.editorial.workflow import drafts_publish_due, notify_live
from roles.publishing import registry
from roles.publishing.cache import next_scheduled_change, prime_version
from roles.publishing.models import Publishable
from roles.publishing.version import bump_if_due, read_content_version, record_schedule


@dataclass(frozen=True)
class DueRun:
    drafts_published: int
    version_moved: bool


def publications_due_run(*, now: datetime | None = None) -> DueRun:
    now = now or timezone.now()
    version, schedule_known, next_change_at, unknown_since = read_content_version()
    if not schedule_known:
        # A time that passed while the schedule was waiting to be worked out
        # again is still due: a scheduled draft (scheduled, then no request
        # until its time), or a publish or expiry time set seconds ahead, with
        # a page cached before it. The soonest future time alone misses both.
        since = min(unknown_since or now, now)
        next_change_at = drafts_overdue_since(now) or next_scheduled_change(since)
        record_schedule(version, next_change_at)
    if next_change_at is None or next_change_at > now:
        prime_version(version)
        return DueRun(0, False)
    # Due drafts are written first (their writes move the version on); the
    # conditional bump covers publish and unpublish times.
    published = drafts_publish_due(now)
    version = read_content_version()[0]
    with transaction.atomic():
        moved = bump_if_due(version)
        if moved:
            # Only the process that moved the version on mails, once.
            for obj in records_gone_live(since=next_change_at, now=now):
                notify_live(obj=obj, user=None)
    return DueRun(published, moved)


def drafts_overdue_since(now: datetime) -> datetime | None:
    """The earliest time of a scheduled draft that is due and not published."""
    return (
        Draft.objects.filter(state=DraftState.SCHEDULED, go_live_at__lte=now)
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )


def records_gone_live(*, since: datetime, now: datetime) -> list[Publishable]:
    """Content whose publish time came in ``[since, now]``: it went live
    without anyone saving it. ``since`` is the scheduled change that was due,
    the soonest one when the schedule was last worked out."""
    found: list[Publishable] = []
    for model, field, q in registry.scheduled_fields():
        if field != "publish_at" or not issubclass(model, Publishable):
            continue
        gone = model._default_manager.filter(
            q, publish_at__gte=since, publish_at__lte=now
        )
        found.extend(obj for obj in gone if obj.is_published(now))
    return found
