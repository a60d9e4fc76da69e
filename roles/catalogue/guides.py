"""The structured parts of a role guide (skills, ways in, a typical week,
anti-patterns, related roles, career paths) and the glossary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from roles.catalogue.glossary import abbreviation_problem, expansion
from roles.catalogue.models import (
    MARKDOWN_HELP,
    MARKDOWN_VALIDATORS,
    SOURCE_URL_HELP,
    Role,
    validate_source_url,
)
from roles.core.markdown import validate_plain_text
from roles.publishing.models import ContentQuerySet, TimeStampedModel
from roles.publishing.registry import content_model

MIN_WEEK_HOURS = 1
MAX_WEEK_HOURS = 20
# The working week a typical week's hours are set against. Editors list the
# main activities only, so the rows rarely add up to it: the page says how many
# of these hours they cover and that the rest goes on unlisted work.
WORKING_WEEK_HOURS = 37


def lines(text: str) -> list[str]:
    """Editors type lists one item per line; blank lines are ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class WeekTotal(NamedTuple):
    listed: int  # what the rows add up to
    week: int  # the working week they are set against
    unlisted: int  # the hours of the week no row accounts for (never negative)


def week_total(hours: Iterable[int], week: int = WORKING_WEEK_HOURS) -> WeekTotal:
    """What a typical week's rows add up to against the working week, so the
    page states the real total rather than implying the rows fill the week."""
    listed = sum(hours)
    return WeekTotal(listed, week, max(week - listed, 0))


class SkillLevel(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    PRACTITIONER = "practitioner", "Practitioner"
    EXPERT = "expert", "Expert"


@content_model()
class Skill(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(
        max_length=100,
        help_text="A short noun phrase: “Ordering work by value”.",
        validators=[validate_plain_text],
    )
    level = models.CharField(
        max_length=12,
        choices=SkillLevel.choices,
        help_text="How far the role needs the skill: foundation, practitioner "
        "or expert.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence on what the skill looks like in this role.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "name"], name="skill_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.name


@content_model()
class WayIn(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="ways_in")
    title = models.CharField(
        max_length=100,
        help_text="The route, short: “From business analysis”.",
        validators=[validate_plain_text],
    )
    text = models.TextField(
        help_text="One or two sentences. " + MARKDOWN_HELP + " No headings.",
        validators=MARKDOWN_VALIDATORS,
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "way into the role"
        verbose_name_plural = "ways into the role"
        constraints = [
            models.UniqueConstraint(
                fields=["role", "title"], name="way_in_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.title


@content_model()
class WeekActivity(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="typical_week"
    )
    activity = models.CharField(
        max_length=100,
        help_text="What the time goes on: “Refinement”.",
        validators=[validate_plain_text],
    )
    hours = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(MIN_WEEK_HOURS),
            MaxValueValidator(MAX_WEEK_HOURS),
        ],
        help_text=f"Approximate hours in a 37-hour week, from {MIN_WEEK_HOURS} "
        f"to {MAX_WEEK_HOURS}.",
    )
    text = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "typical week activity"
        verbose_name_plural = "typical week"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=MIN_WEEK_HOURS) & Q(hours__lte=MAX_WEEK_HOURS),
                name="week_activity_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.hours} h)"

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.activity


@content_model()
class AntiPattern(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="anti_patterns"
    )
    name = models.CharField(
        max_length=100,
        help_text="A name readers will recognise: “The proxy PO”.",
        validators=[validate_plain_text],
    )
    text = models.TextField(
        help_text="What it looks like and why it hurts. " + MARKDOWN_HELP,
        validators=MARKDOWN_VALIDATORS,
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "anti-pattern"
        constraints = [
            models.UniqueConstraint(
                fields=["role", "name"], name="anti_pattern_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.name


@content_model()
class RelatedRole(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="related role",
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "related"], name="related_role_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role=F("related")), name="related_role_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} → {self.related}"

    identity_related = ("related",)

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.related.slug


@content_model()
class CareerPath(models.Model):
    """A move people commonly make from one role to another. Shown on both
    roles' pages: “from here people move to …” and “people move here from …”."""

    from_role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="paths_out"
    )
    to_role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="paths_in",
        verbose_name="moves to",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One sentence on the move.",
        validators=[validate_plain_text],
    )
    new_responsibilities = models.TextField(
        help_text="What is new after the move, one short phrase per line (2–4).",
        validators=[validate_plain_text],
    )
    skills_to_build = models.TextField(
        help_text="Skills to build for the move, one short phrase per line (2–4).",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_role", "to_role"], name="career_path_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_role=F("to_role")), name="career_path_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_role} → {self.to_role}"

    identity_related = ("to_role",)

    def identity(self):
        """What makes this row the same row across drafts, revisions and imports."""
        return self.to_role.slug

    @property
    def new_responsibility_list(self) -> list[str]:
        return lines(self.new_responsibilities)

    @property
    def skills_to_build_list(self) -> list[str]:
        return lines(self.skills_to_build)


@content_model()
class GlossaryTerm(TimeStampedModel):
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The term's anchor on the glossary page: /glossary/#<slug>.",
    )
    term = models.CharField(
        max_length=100, unique=True, validators=[validate_plain_text]
    )
    abbreviation = models.CharField(
        max_length=20,
        blank=True,
        help_text="Optional: “SRO”, “RTE”.",
        validators=[validate_plain_text],
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other spellings that should link to this term on pages, one per "
        "line.",
        validators=[validate_plain_text],
    )
    definition = models.TextField(
        help_text="One to three sentences in our own words. " + MARKDOWN_HELP,
        validators=MARKDOWN_VALIDATORS,
    )
    source_title = models.CharField(
        "source title", max_length=200, validators=[validate_plain_text]
    )
    source_url = models.URLField(
        "source URL",
        max_length=500,
        help_text=SOURCE_URL_HELP,
        validators=[validate_source_url],
    )
    source_publisher = models.CharField(
        "source publisher", max_length=200, blank=True, validators=[validate_plain_text]
    )
    related_roles = models.ManyToManyField(
        Role, blank=True, related_name="glossary_terms"
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("roles:glossary") + f"#{self.slug}"

    def clean(self) -> None:
        problem = abbreviation_problem(self.term, self.abbreviation, self.alias_list)
        if problem:
            raise ValidationError({"abbreviation": problem})

    @property
    def alias_list(self) -> list[str]:
        return lines(self.aliases)

    @property
    def abbreviation_title(self) -> str:
        """What the abbreviation stands for (its ``<abbr title>``)."""
        return expansion(self.abbreviation.strip(), self.term, tuple(self.alias_list))

    @property
    def spellings(self) -> list[str]:
        """Every form that should link here on a page."""
        return [
            s for s in [self.term, self.abbreviation, *self.alias_list] if s.strip()
        ]
