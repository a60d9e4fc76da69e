"""The content version: one database row that every content change bumps in the
same transaction as the change itself.

Cached pages and data are keyed by it. Because it lives in the database, not
the cache, nothing that happens to the cache (a flush, a restart, a restore from
an older snapshot, a second process with its own local-memory cache) can bring
an older page back: every process reads the one committed number."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import F

from roles.publishing.registry import not_content

SINGLETON = 1


@not_content(reason="The version itself: bumping it must not bump it again.")
class ContentVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    value = models.PositiveBigIntegerField(default=1)
    # When the next scheduled change (a publish or expiry time) falls due; it
    # is worked out lazily after each bump (schedule_known False until then).
    next_change_at = models.DateTimeField(null=True, blank=True)
    schedule_known = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"Content version {self.value}"


def bump_content_version() -> None:
    """Move the content version on, inside the caller's transaction, so the new
    number becomes visible exactly when the change it stands for does."""
    updated = ContentVersion.objects.filter(pk=SINGLETON).update(
        value=F("value") + 1, schedule_known=False, next_change_at=None
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=SINGLETON, defaults={"value": 2})


def read_content_version() -> tuple[int, bool, datetime | None]:
    """(version, schedule known, next scheduled change) in one query."""
    row = (
        ContentVersion.objects.filter(pk=SINGLETON)
        .values_list("value", "schedule_known", "next_change_at")
        .first()
    )
    if row is None:
        ContentVersion.objects.get_or_create(pk=SINGLETON)
        return 1, False, None
    return row


def record_schedule(version: int, next_change_at: datetime | None) -> None:
    """Remember the next scheduled change for ``version``; a no-op if content
    changed meanwhile (the newer version works out its own)."""
    ContentVersion.objects.filter(pk=SINGLETON, value=version).update(
        schedule_known=True, next_change_at=next_change_at
    )


def bump_if_due(version: int) -> bool:
    """Bump once when a scheduled time has passed: only the first process to
    see it moves the version on (the update is conditional on the number)."""
    return bool(
        ContentVersion.objects.filter(pk=SINGLETON, value=version).update(
            value=F("value") + 1, schedule_known=False, next_change_at=None
        )
    )


def schedule_changed() -> None:
    """A scheduled time was set or cleared without a content change (a draft
    scheduled or withdrawn): work the next scheduled change out again."""
    ContentVersion.objects.filter(pk=SINGLETON).update(
        schedule_known=False, next_change_at=None
    )
