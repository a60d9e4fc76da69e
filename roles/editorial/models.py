"""Staged changes: a draft of one record's content, reviewed and published
(now or at a set time) without touching the live record until then."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from roles.publishing.models import TimeStampedModel
from roles.publishing.registry import not_content


class DraftKind(models.TextChoices):
    """The content-document section a draft belongs to."""

    ROLE = "roles", "Role"
    COMPARISON = "comparisons", "Comparison"
    QUESTION = "questions", "Question"


class DraftState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Awaiting review"
    REJECTED = "rejected", "Changes requested"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


OPEN_STATES = (
    DraftState.DRAFT,
    DraftState.IN_REVIEW,
    DraftState.REJECTED,
    DraftState.SCHEDULED,
)


class DraftQuerySet(models.QuerySet):
    def open(self) -> DraftQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def for_record(self, kind: str, object_id: int) -> DraftQuerySet:
        return self.filter(kind=kind, object_id=object_id)


@not_content(
    reason="Not public until published, and publishing writes content models.",
    editors="edit",
    scheduled=(("go_live_at", Q(state=DraftState.SCHEDULED)),),
)
class Draft(TimeStampedModel):
    """The whole content document of one record (as export and import use it),
    staged. The live record keeps serving until the draft is published."""

    #: Not stored: the schedule a save just took this draft off (draft_save).
    unscheduled_at: dt.datetime | None = None

    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    object_id = models.PositiveBigIntegerField(
        help_text="The live record this draft changes."
    )
    title = models.CharField(max_length=200, help_text="The record's name, for lists.")
    doc = models.JSONField("content", help_text="The record's content document.")
    state = models.CharField(
        max_length=20, choices=DraftState.choices, default=DraftState.DRAFT
    )
    saved_at = models.DateTimeField(
        "last saved",
        default=timezone.now,
        help_text="When its content was last saved (not when it was last "
        "submitted, sent back, discarded or restored).",
    )
    go_live_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="When a scheduled draft replaces the live version.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(
        blank=True, help_text="Why a reviewer sent the draft back."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last discarded the draft.",
    )
    discarded_at = models.DateTimeField(null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last reopened the draft after it was discarded.",
    )
    restored_at = models.DateTimeField(null=True, blank=True)
    base_version = models.DateTimeField(
        "started from the live version of",
        null=True,
        blank=True,
        help_text="When the live record this draft started from was last saved.",
    )
    base_doc = models.JSONField(
        "live content when started",
        null=True,
        blank=True,
        help_text="The live record's content when the draft was started: what "
        "the draft changed, and what changed live since, are measured from it.",
    )

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("publish_draft", "Can publish or schedule content")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(state__in=OPEN_STATES),
                name="draft_one_open_per_record",
            ),
            models.CheckConstraint(
                condition=~Q(state=DraftState.SCHEDULED) | Q(go_live_at__isnull=False),
                name="draft_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("admin:roles_draft_change", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def lock_lifetime() -> dt.timedelta:
    """How long a lock holds without its editor showing signs of life (opening
    a save, the keep-alive): ``settings.EDITORIAL_LOCK_MINUTES``."""
    return dt.timedelta(minutes=settings.EDITORIAL_LOCK_MINUTES)


class EditLockQuerySet(models.QuerySet):
    def held(self) -> EditLockQuerySet:
        """Not released: in force, or lapsed and not taken over yet."""
        return self.filter(released_at__isnull=True)

    def in_force(self, now: dt.datetime | None = None) -> EditLockQuerySet:
        """Held and refreshed within the lock lifetime: these block others."""
        now = now or timezone.now()
        return self.held().filter(active_at__gt=now - lock_lifetime())


@not_content(reason="Who is editing a record now; no public content.")
class EditLock(TimeStampedModel):
    """An editor's lock on one record: others can read it but not save it
    until the lock is released, broken by a publisher with a note, or lapses
    (not refreshed for ``EDITORIAL_LOCK_MINUTES``) and is taken over."""

    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    object_id = models.PositiveBigIntegerField()
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    break_note = models.TextField(
        blank=True, help_text="Why a publisher broke the lock, for its holder."
    )
    active_at = models.DateTimeField(
        "last active",
        default=timezone.now,
        help_text="When its holder last saved or kept the lock alive; it lapses "
        "EDITORIAL_LOCK_MINUTES later.",
    )
    lapsed_at = models.DateTimeField(
        "lapsed at",
        null=True,
        blank=True,
        help_text="Set when the lock had lapsed and another editor took the "
        "record over (broken_by is who did).",
    )

    objects = EditLockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(released_at__isnull=True),
                name="editlock_one_held_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} locked by {self.locked_by}"

    @property
    def lapses_at(self) -> dt.datetime:
        return self.active_at + lock_lifetime()

    def has_lapsed(self, now: dt.datetime | None = None) -> bool:
        return self.lapses_at <= (now or timezone.now())


@not_content(reason="An editor's typed values kept after a refused save.")
class AutosavedCopy(TimeStampedModel):
    """What an editor typed into a record's form when the save was refused
    (someone else saved first, or holds the lock): kept so it can be restored
    into the form, never thrown away."""

    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(help_text="The posted form, field name to values.")
    reason = models.CharField(max_length=200)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "autosaved copies"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}: copy by {self.user}"


class OrderHow(models.TextChoices):
    """How a sortable list's order was changed."""

    DRAG = "drag", "Dragged"
    TYPED = "typed", "Typed order"
    MOVED = "moved", "Moved to another page"
    RESTORED = "restored", "Restored from the history"


class OrderChangeQuerySet(models.QuerySet):
    def for_model(self, model: type[models.Model]) -> OrderChangeQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(model))


@not_content(
    reason="Who reordered a sortable list and the order before and after; the "
    "order itself lives on the content rows."
)
class OrderChange(models.Model):
    """One change of a sortable list's order (the questions, the themes...),
    whoever made it and however: the order before and after as the rows'
    ids, so the history can name them and a publisher can put an earlier
    order back (django-reversion's history is per record, not per list)."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="list",
        help_text="The list whose order changed.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who changed the order.",
    )
    changed_at = models.DateTimeField("changed at", default=timezone.now)
    how = models.CharField(max_length=10, choices=OrderHow.choices)
    before = models.JSONField(
        "order before", help_text="The rows' ids in their order before the change."
    )
    after = models.JSONField(
        "order after", help_text="The rows' ids in their order after the change."
    )
    restored_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a restore: the change whose earlier order was put back.",
    )

    objects = OrderChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "-changed_at"], name="orderchange_list_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type} order: {self.get_how_display()} by {self.user}"
