from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar, Self

from django.db import models
from django.dispatch import receiver
from django.utils import timezone

from roles.catalogue.models import (
    MARKDOWN_HELP,
    MARKDOWN_VALIDATORS,
    Role,
    role_name_changed,
    role_slug_renamed,
)
from roles.core.markdown import MAX_MARKDOWN_CHARS, validate_plain_text
from roles.core.urls import slug_url
from roles.publishing.models import ContentQuerySet, Publishable, PublishableQuerySet
from roles.publishing.registry import content_model

MAX_COMPARED_ROLES = 5
#: The rule in the house wording, for every message that states it (the
#: picker, the home page and the index say it in the same words).
TWO_TO_FIVE_ROLES = "two to five roles"
SEPARATOR = "-vs-"


def comparison_key(slugs: Sequence[str]) -> str:
    """The canonical address part for a set of roles: slugs sorted, joined by -vs-."""
    return SEPARATOR.join(sorted(slugs))


def comparison_rules(slugs: Sequence[str], *, suits: Iterable[str] = ()) -> list[str]:
    """Every rule for the set of roles in a curated comparison, written once:
    the admin, import, seed and publishing a draft all call this."""
    errors = []
    if len(set(slugs)) != len(slugs):
        errors.append("Each role can appear only once in a comparison.")
    if not 2 <= len(slugs) <= MAX_COMPARED_ROLES:
        errors.append(f"A comparison needs {TWO_TO_FIVE_ROLES}; it has {len(slugs)}.")
    unknown = sorted(set(suits) - set(slugs))
    if unknown:
        errors.append(
            f"“Who it suits” names roles that are not compared: {', '.join(unknown)}."
        )
    return errors


def comparison_clash(slugs: Sequence[str], *, exclude_pk: int | None) -> str | None:
    """The message if another curated comparison already has these roles."""
    clash = (
        Comparison.objects.filter(key=comparison_key(slugs))
        .exclude(pk=exclude_pk)
        .only("title")
        .first()
    )
    if clash is None:
        return None
    return f"“{clash.title}” already compares these roles; edit that one instead."


@content_model()
class ContextFactor(models.Model):
    name = models.CharField(
        max_length=80, unique=True, validators=[validate_plain_text]
    )
    slug = models.SlugField(unique=True, help_text="Used in the seed and export files.")
    description = models.CharField(
        max_length=250, blank=True, validators=[validate_plain_text]
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "context factor"

    def __str__(self) -> str:
        return self.name


class ComparisonQuerySet(PublishableQuerySet):
    def published(self, at: datetime | None = None) -> Self:
        """Public now: published itself, and every one of its roles public at
        the same moment. A role that is unpublished or expires takes its
        comparisons with it (pages, sitemap, search and API all read this),
        at the same time (the role's times are in the schedule)."""
        now = at or timezone.now()
        return self._published_itself(now).exclude(self._with_offline_role(now))

    def dark(self, at: datetime | None = None) -> Self:
        """Published in their own right but offline because one of their
        roles is: what the editors' dashboard lists."""
        now = at or timezone.now()
        return self._published_itself(now).filter(self._with_offline_role(now))

    def _published_itself(self, now: datetime) -> Self:
        return super().published(now)

    @staticmethod
    def _with_offline_role(now: datetime) -> models.Exists:
        return models.Exists(
            ComparisonRole.objects.filter(comparison=models.OuterRef("pk")).exclude(
                role__in=Role.objects.published(now).values("pk")
            )
        )

    def with_roles(self) -> Self:
        return self.prefetch_related(
            models.Prefetch(
                "comparison_roles",
                queryset=ComparisonRole.objects.select_related("role").order_by(
                    "order", "id"
                ),
            )
        )


# The manager class as_manager() builds, named for the annotation on
# Comparison.objects.
ComparisonManager = models.Manager.from_queryset(ComparisonQuerySet)


@content_model(
    follow=("comparison_roles", "context_notes"),
    draft_kind="comparisons",
    scheduled=("publish_at", "unpublish_at"),
)
class Comparison(Publishable):
    """Editorial content for one set of roles. The comparison page itself works for
    any set of published roles; this adds the editor's words on top."""

    key = models.CharField(
        max_length=320,
        unique=True,
        editable=False,
        help_text="The roles' slugs in alphabetical order, joined by -vs-.",
    )
    title = models.CharField(
        max_length=150,
        help_text="As readers search for it, in the order you want: "
        "“Product Owner vs Product Manager”.",
        validators=[validate_plain_text],
    )
    tldr = models.TextField(
        "difference at a glance",
        max_length=MAX_MARKDOWN_CHARS,
        validators=MARKDOWN_VALIDATORS,
        help_text="Two to four sentences. " + MARKDOWN_HELP,
    )
    body = models.TextField(
        blank=True,
        max_length=MAX_MARKDOWN_CHARS,
        validators=MARKDOWN_VALIDATORS,
        help_text=MARKDOWN_HELP,
    )
    last_reviewed = models.DateField(null=True, blank=True)

    objects: ClassVar[ComparisonManager] = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "curated comparison"

    def __str__(self) -> str:
        return self.title

    def glossary_texts(self) -> list[str]:
        """The Markdown texts its page passes through the glossary linker, in
        page order (roles/compare.html): what the glossary's "Used in" is
        worked out from."""
        return [self.tldr, self.body]

    def get_absolute_url(self) -> str:
        return slug_url("roles:compare", self.key)

    def is_published(self, at: datetime | None = None) -> bool:
        """As ``ComparisonQuerySet.published``: itself and all its roles."""
        now = at or timezone.now()
        return super().is_published(now) and all(
            member.role.is_published(now) for member in self.comparison_roles.all()
        )

    def refresh_key(self) -> None:
        """The key follows the roles' slugs; the only place it is computed."""
        key = comparison_key(
            [
                member.role.slug
                for member in self.comparison_roles.select_related("role")
            ]
        )
        if key != self.key:
            self.key = key
            self.save(update_fields=["key", "updated_at"])


@content_model()
class ComparisonRole(models.Model):
    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="comparison_roles"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    suits = models.TextField(
        "who it suits",
        max_length=MAX_MARKDOWN_CHARS,
        validators=MARKDOWN_VALIDATORS,
        blank=True,
        help_text="One to three sentences: the kind of person who thrives in this role. "
        + MARKDOWN_HELP,
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "role in comparison"
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "role"], name="comparison_roles_distinct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} in {self.comparison}"

    identity_related = ("role",)

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.role.slug


@content_model()
class ContextNote(models.Model):
    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="context_notes"
    )
    factor = models.ForeignKey(
        ContextFactor, on_delete=models.PROTECT, related_name="notes"
    )
    label = models.CharField(
        max_length=100,
        help_text="The situation, as a reader would pick it: “Start-up, one product”.",
        validators=[validate_plain_text],
    )
    note = models.TextField(
        max_length=MAX_MARKDOWN_CHARS,
        validators=MARKDOWN_VALIDATORS,
        help_text="How the split between the roles shifts there. " + MARKDOWN_HELP,
    )
    order = models.PositiveIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["comparison", "factor__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "factor", "label"],
                name="context_note_unique_label",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.label}"

    identity_related = ("factor",)

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return (self.factor.slug, self.label)


@receiver(role_slug_renamed, dispatch_uid="comparisons-follow-role-slug")
def _role_slug_renamed(sender, *, role: Role, old: str, **kwargs) -> None:
    """Curated comparisons keep their roles: a comparison is its set of roles,
    and its key follows their slugs."""
    for comparison in Comparison.objects.filter(comparison_roles__role=role):
        comparison.refresh_key()


def title_renaming(title: str, old: str, new: str) -> str:
    """``title`` with the role name ``old`` (whole words, as written) now ``new``."""
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", lambda _: new, title)


@receiver(role_name_changed, dispatch_uid="comparisons-follow-role-name")
def _role_name_changed(sender, *, role: Role, old: str, **kwargs) -> None:
    """A curated comparison's title names its roles: where it names this one by
    its old name, it takes the new one (and so its history records the change)."""
    limit = Comparison._meta.get_field("title").max_length or 0
    for comparison in Comparison.objects.filter(comparison_roles__role=role):
        title = title_renaming(comparison.title, old, role.name)
        if title != comparison.title and len(title) <= limit:
            comparison.title = title
            comparison.save(update_fields=["title", "updated_at"])
