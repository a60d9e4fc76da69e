from __future__ import annotations

from datetime import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from roles.publishing.version import bump_content_version


def normalise_newlines(text: str) -> str:
    """Browsers submit textareas with CRLF line ends; store LF only, so a diff
    between two versions shows real changes and not every line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@receiver(pre_save, dispatch_uid="roles-normalise-newlines")
def _normalise_text_fields(sender, instance, **kwargs) -> None:
    if sender._meta.app_label != "roles":
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and "\r" in value:
                setattr(instance, field.attname, normalise_newlines(value))


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
    def published(self, at: datetime | None = None) -> Self:
        """What the public may see: published, and its publish time (if any) has
        passed. Scheduling needs no cron job: the comparison happens per query."""
        now = at or timezone.now()
        return self.filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=now),
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Status.PUBLISHED,
        )

    def visible_to(self, user) -> Self:
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
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        help_text="Optional. The page goes offline at this time (it stays in the "
        "admin as it is). Times are in the site's time zone.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == Status.DRAFT and self.publish_at:
            errors["publish_at"] = (
                "A draft is never published, so this time would do nothing. Set "
                "Status to Published to schedule it, or clear the time."
            )
        if (
            self.publish_at
            and self.unpublish_at
            and self.unpublish_at <= self.publish_at
        ):
            errors["unpublish_at"] = "Unpublish after the publish time."
        if (
            "publish_at" not in errors
            and self.pk
            and self.publish_at
            and self.publish_at > timezone.now()
        ):
            stored = type(self)._default_manager.filter(pk=self.pk).first()
            if stored is not None and stored.is_published():
                errors["publish_at"] = (
                    "This page is live now: a later “Publish from” would take it "
                    "offline until then. To change it at a set time, save a draft "
                    "and schedule it; to take it offline, use “Unpublish at”."
                )
        if errors:
            raise ValidationError(errors)

    def is_published(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def state(self) -> str:
        if self.status == Status.DRAFT:
            return "Draft"
        now = timezone.now()
        if self.publish_at and self.publish_at > now:
            return "Scheduled"
        if self.unpublish_at and self.unpublish_at <= now:
            return "Expired"
        return "Published"
