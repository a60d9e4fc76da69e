from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Self, cast

from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.dispatch import Signal

from roles.core.markdown import (
    MAX_MARKDOWN_CHARS,
    validate_markdown,
    validate_plain_text,
)
from roles.core.sources import validate_source_url
from roles.core.urls import slug_url
from roles.publishing.models import (
    ContentQuerySet,
    Publishable,
    PublishableQuerySet,
    Status,
    TimeStampedModel,
)
from roles.publishing.registry import content_model, not_content

SOURCE_URL_HELP = (
    "A specific public https:// page (not a home page, a shop or a readers' catalogue)."
)


ROLE_SLUG_PATTERN = r"^(?!vs-)(?!vs$)(?!.*-vs-)(?!.*-vs$)[a-z0-9]+(?:-[a-z0-9]+)*$"
role_slug_validator = RegexValidator(
    ROLE_SLUG_PATTERN,
    "Use lowercase letters, digits and single hyphens. A slug may not contain "
    "“-vs-” (it separates roles in comparison addresses).",
)

MARKDOWN_VALIDATORS: list[Callable[[Any], None]] = [
    MaxLengthValidator(MAX_MARKDOWN_CHARS),
    validate_markdown,
]

MARKDOWN_HELP = (
    "Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), "
    "## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) "
    "is removed."
)


class Family(models.TextChoices):
    PRODUCT = "product", "Product"
    DELIVERY = "delivery", "Agile delivery"
    PROJECT = "project", "Projects and programmes"
    ANALYSIS = "analysis", "Business analysis"
    DESIGN = "design", "Design"
    ENGINEERING = "engineering", "Engineering"
    MARKETING = "marketing", "Marketing"


@content_model()
class Theme(models.Model):
    name = models.CharField(
        max_length=80, unique=True, validators=[validate_plain_text]
    )
    slug = models.SlugField(unique=True, help_text="Used in the seed and export files.")
    description = models.CharField(
        max_length=200, blank=True, validators=[validate_plain_text]
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


#: Sent after a role's slug changed (``role``, ``old``): what is keyed by the
#: role's slug elsewhere (curated comparisons) follows it.
role_slug_renamed = Signal()

#: Sent after a role's name changed (``role``, ``old``): text that names the
#: role (curated comparisons' titles) follows it.
role_name_changed = Signal()


class RoleQuerySet(PublishableQuerySet):
    def for_guide(self) -> Self:
        """Everything a role page shows, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("theme").order_by(
                    "theme__order", "theme__name", "order", "id"
                ),
            ),
            "sources",
            *guide_prefetches(),
        )


# The manager class as_manager() builds, named for the annotation on Role.objects.
RoleManager = models.Manager.from_queryset(RoleQuerySet)


def guide_prefetches() -> list[models.Prefetch]:
    """The structured guide (issue 15): skills, ways in, a typical week,
    anti-patterns, and the related roles and career paths the public may see
    (both ends published)."""

    def rows(relation: str) -> models.Manager:
        # The related model through Role's own field: catalogue.guides
        # imports this module, not the other way round.
        # Each relation here is a reverse foreign key, so related_model is a
        # model class (the stubs allow "self" and None for other fields).
        related = cast(
            "type[models.Model]", Role._meta.get_field(relation).related_model
        )
        return related._default_manager

    public_roles = Role.objects.published().values("pk")
    return [
        models.Prefetch("skills", queryset=rows("skills").order_by("order", "id")),
        models.Prefetch("ways_in", queryset=rows("ways_in").order_by("order", "id")),
        models.Prefetch(
            "typical_week", queryset=rows("typical_week").order_by("order", "id")
        ),
        models.Prefetch(
            "anti_patterns", queryset=rows("anti_patterns").order_by("order", "id")
        ),
        models.Prefetch(
            "related_links",
            queryset=rows("related_links")
            .filter(related__in=public_roles)
            .select_related("related")
            .order_by("order", "id"),
            to_attr="public_related",
        ),
        models.Prefetch(
            "paths_out",
            queryset=rows("paths_out")
            .filter(to_role__in=public_roles)
            .select_related("to_role")
            .order_by("order", "id"),
            to_attr="public_paths_out",
        ),
        models.Prefetch(
            "paths_in",
            queryset=rows("paths_in")
            .filter(from_role__in=public_roles)
            .select_related("from_role")
            .order_by("from_role__name", "id"),
            to_attr="public_paths_in",
        ),
    ]


@content_model(
    follow=(
        "responsibilities",
        "sources",
        "dimension_values",
        "skills",
        "ways_in",
        "typical_week",
        "anti_patterns",
        "related_links",
        "paths_out",
    ),
    draft_kind="roles",
    scheduled=("publish_at", "unpublish_at"),
)
class Role(Publishable):
    name = models.CharField(
        max_length=100,
        unique=True,
        help_text="As readers know it: “Product Owner”.",
        validators=[validate_plain_text],
    )
    slug = models.SlugField(
        max_length=60,
        unique=True,
        validators=[role_slug_validator],
        help_text="The address of the guide: /roles/‹slug›/. If you change it, "
        "the old address redirects to the new one.",
    )
    family = models.CharField(
        max_length=20,
        choices=Family.choices,
        help_text="Groups related roles on the home page.",
    )
    summary = models.CharField(
        max_length=200,
        validators=[validate_plain_text],
        help_text="One sentence saying what the role is for, in plain text (no "
        "Markdown or HTML): shown exactly as typed in lists, search results and "
        "link previews.",
    )
    overview = models.TextField(
        max_length=MAX_MARKDOWN_CHARS,
        validators=MARKDOWN_VALIDATORS,
        help_text=MARKDOWN_HELP,
    )
    also_known_as = models.TextField(
        "also known as",
        blank=True,
        help_text="Other job titles for this role, one per line.",
        validators=[validate_plain_text],
    )
    origin = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the role comes from, for example “Scrum”.",
        validators=[validate_plain_text],
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last checked the whole guide against its sources.",
    )
    map_x = models.PositiveSmallIntegerField(
        "time horizon (role map)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Where the role sits on the role map, 0 to 100: 0 = this week's "
        "work, 100 = years ahead. Leave empty to keep the role off the map.",
    )
    map_y = models.PositiveSmallIntegerField(
        "focus (role map)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Where the role sits on the role map, 0 to 100: 0 = the team and "
        "how it delivers, 100 = the market and the product.",
    )

    objects: ClassVar[RoleManager] = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__contains="-vs-"), name="role_slug_without_vs"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("roles:role_detail", self.slug)

    def save(self, *args, **kwargs) -> None:
        previous, previous_name = (
            Role.objects.filter(pk=self.pk).values_list("slug", "name").first()
            if self.pk
            else None
        ) or (None, None)
        super().save(*args, **kwargs)
        if previous_name and previous_name != self.name:
            role_name_changed.send(sender=Role, role=self, old=previous_name)
        if previous and previous != self.slug:
            self._slug_renamed(previous)
        elif self.status == Status.PUBLISHED:
            # A published role takes over a slug another role once had: its
            # address is this role's now (until then it still redirects).
            FormerSlug.objects.filter(slug=self.slug).exclude(role=self).delete()

    def _slug_renamed(self, old: str) -> None:
        """Old addresses keep working (301) and curated comparisons keep their
        roles: a comparison is its set of roles, its key follows their slugs."""
        FormerSlug.objects.filter(slug=self.slug).delete()
        FormerSlug.objects.update_or_create(slug=old, defaults={"role": self})
        role_slug_renamed.send(sender=Role, role=self, old=old)

    @property
    def aliases(self) -> list[str]:
        return [
            line.strip() for line in self.also_known_as.splitlines() if line.strip()
        ]

    def glossary_texts(self) -> list[str]:
        """The Markdown texts its page passes through the glossary linker, in
        page order (roles/role_detail.html, roles/includes/_guide.html): what
        the glossary's "Used in" is worked out from. Reads ``ways_in`` and
        ``anti_patterns``, prefetched for many roles."""
        return [
            self.overview,
            *(way.text for way in self.ways_in.all()),
            *(trap.text for trap in self.anti_patterns.all()),
        ]


@content_model(history=False, editors="none")
class FormerSlug(models.Model):
    """A slug a role had before: its old addresses redirect to the new ones."""

    slug = models.SlugField(max_length=60, unique=True)
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="former_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.slug} → {self.role.slug}"


def current_slugs(slugs: list[str]) -> list[str]:
    """The slugs with any former slug replaced by the role's slug now."""
    moved = dict(
        FormerSlug.objects.filter(slug__in=slugs).values_list("slug", "role__slug")
    )
    return [moved.get(slug, slug) for slug in slugs]


@content_model()
class Responsibility(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="responsibilities"
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        help_text="Comparison pages compute shared and distinct work from themes.",
    )
    text = models.CharField(
        max_length=300,
        help_text="One sentence: a concrete thing the role does.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["role", "text"], name="responsibility_unique_per_role"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.text


@content_model()
class Source(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200, validators=[validate_plain_text])
    url = models.URLField(
        "URL",
        max_length=500,
        help_text=SOURCE_URL_HELP,
        validators=[validate_source_url],
    )
    publisher = models.CharField(
        max_length=200, blank=True, validators=[validate_plain_text]
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional: what this source supports.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "url"], name="source_unique_per_role"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.url


@content_model()
class Dimension(models.Model):
    name = models.CharField(
        max_length=80, unique=True, validators=[validate_plain_text]
    )
    slug = models.SlugField(unique=True, help_text="Used in the seed and export files.")
    description = models.CharField(
        "help text",
        max_length=200,
        blank=True,
        help_text="Explains the row to readers of a comparison table.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@content_model()
class DimensionValue(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="dimension_values"
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="values"
    )
    value = models.CharField(
        max_length=200,
        help_text="Short: it appears in a table cell.",
        validators=[validate_plain_text],
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["dimension__order", "dimension__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "dimension"], name="dimension_value_unique_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.dimension}"

    identity_related = ("dimension",)

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.dimension.slug


@not_content(
    reason="What the seed last wrote, so it never overwrites an editor's change."
)
class SeedRecord(TimeStampedModel):
    """What ``seed_content`` last wrote for one top-level record, so a later seed
    can tell an editor's change (kept) from an untouched record (updated)."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="seed_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
