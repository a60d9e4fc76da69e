from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .version import bump_content_version


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ContentQuerySet(models.QuerySet):
    """Bulk writes on content send no model signals, so each one bumps the
    content version itself (adminsortable2's reorder uses ``bulk_update``)."""

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows:
            bump_content_version()
        return rows

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        rows = super().bulk_update(objs, fields, batch_size=batch_size)
        if rows:
            bump_content_version()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump_content_version()
        return created


class PublishableQuerySet(ContentQuerySet):
    def published(self, at: datetime | None = None) -> PublishableQuerySet:
        """What the public may see: published, and its publish time (if any) has
        passed. Scheduling needs no cron job: the comparison happens per query."""
        now = at or timezone.now()
        return self.filter(status=Status.PUBLISHED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now)
        )

    def visible_to(self, user) -> PublishableQuerySet:
        if getattr(user, "is_staff", False):
            return self.all()
        return self.published()


class Publishable(TimeStampedModel):
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are visible only to editors (with a Draft banner). "
        "Published items are public from their publish time.",
    )
    publish_at = models.DateTimeField(
        "publish from",
        null=True,
        blank=True,
        help_text="Optional. Leave empty to publish at once; set a future time to "
        "schedule (status must be Published). Times are in the site's time zone.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_published(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.status == Status.PUBLISHED and (
            self.publish_at is None or self.publish_at <= now
        )

    def is_visible_to(self, user) -> bool:
        return self.is_published() or getattr(user, "is_staff", False)

    @property
    def state(self) -> str:
        if self.status == Status.DRAFT:
            return "Draft"
        if self.publish_at and self.publish_at > timezone.now():
            return "Scheduled"
        return "Published"
