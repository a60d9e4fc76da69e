from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from roles.catalogue.models import Role
from roles.core.markdown import validate_plain_text
from roles.publishing.models import ContentQuerySet, Publishable
from roles.publishing.registry import content_model, not_content
from roles.questionnaire.results import StoredResult

MIN_POINTS = 0
MAX_POINTS = 5
POINTS_HELP = f"From {MIN_POINTS} to {MAX_POINTS}."


class QuestionKind(models.TextChoices):
    SCENARIO = "scenario", "Scenario (pick one option)"
    AGREEMENT = "agreement", "Agreement statement (5-point scale)"


def question_rules(
    kind: str, option_texts: Sequence[str], *, weighted: bool
) -> list[str]:
    """Every rule for a question's options, written once: the admin, import,
    seed and publishing a draft all call this."""
    errors = []
    if kind == QuestionKind.SCENARIO and len(option_texts) < 2:
        errors.append(
            "A scenario question needs at least two options for readers to choose from."
        )
    if kind == QuestionKind.AGREEMENT and option_texts:
        errors.append(
            "An agreement statement has no options: readers answer on the "
            "agree–disagree scale. Delete the options or make it a scenario."
        )
    if kind == QuestionKind.SCENARIO and weighted:
        errors.append("A scenario question gives points through its options.")
    if duplicate_options(option_texts):
        errors.append(DUPLICATE_OPTIONS)
    return errors


DUPLICATE_OPTIONS = "Two options have the same text; make each one different."
#: Said on each row whose text another option has too (the admin's inline).
DUPLICATE_OPTION = "Another option has the same text; make each one different."


def duplicate_options(option_texts: Sequence[str]) -> list[int]:
    """The positions of the options whose text another option has too, read
    the same whatever their case or spacing."""
    readings = [" ".join(t.split()).casefold() for t in option_texts]
    return [i for i, r in enumerate(readings) if readings.count(r) > 1]


NO_POINTS = (
    "This question gives no role any points that depend on the answer, so it "
    "cannot change anyone's result: give some options points for a role (or "
    "the statement a weight), or save it unpublished for now."
)


@content_model(
    follow=("options", "statement_points"),
    draft_kind="questions",
    scheduled=("publish_at", "unpublish_at"),
)
class Question(Publishable):
    key = models.SlugField(
        max_length=80,
        unique=True,
        help_text="A short unique name for the question, used in exports and analytics.",
    )
    kind = models.CharField(
        max_length=10,
        choices=QuestionKind.choices,
        default=QuestionKind.SCENARIO,
        help_text="Scenario: readers pick one option, each option gives points. "
        "Agreement: readers rate a statement from strongly disagree to strongly "
        "agree; the statement's weights are scaled by the answer.",
    )
    text = models.CharField(max_length=300, validators=[validate_plain_text])
    hint = models.CharField(
        "help text",
        max_length=300,
        blank=True,
        help_text="Optional: shown under the question.",
        validators=[validate_plain_text],
    )
    order = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


@content_model(follow=("points",))
class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(max_length=300, validators=[validate_plain_text])
    order = models.PositiveIntegerField(default=0, db_index=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.text


class _Points(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    points = models.SmallIntegerField(
        validators=[MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)],
        help_text=POINTS_HELP,
    )

    objects = ContentQuerySet.as_manager()
    identity_related = ("role",)

    class Meta:
        abstract = True

    def identity(self):
        """What makes this row the same row across revisions and imports."""
        return self.role.slug


@content_model()
class OptionPoints(_Points):
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="points")

    class Meta:
        ordering = ["option", "role"]
        verbose_name_plural = "option points"
        constraints = [
            models.UniqueConstraint(
                fields=["option", "role"], name="option_points_unique"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=MIN_POINTS) & Q(points__lte=MAX_POINTS),
                name="option_points_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.points} to {self.role}"


@content_model()
class StatementPoints(_Points):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="statement_points"
    )

    class Meta:
        ordering = ["question", "role"]
        verbose_name_plural = "statement points"
        constraints = [
            models.UniqueConstraint(
                fields=["question", "role"], name="statement_points_unique"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=MIN_POINTS) & Q(points__lte=MAX_POINTS),
                name="statement_points_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.points} to {self.role}"


@not_content(
    reason="A reader's answers and result: private, never on a public page.",
    editors="view",
)
class Submission(models.Model):
    """One completed questionnaire. Holds no personal data: the answers, and a
    snapshot of the questions, points and roles as they were, so its result page
    never changes when editors later change the questionnaire."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answers = models.JSONField(help_text="Question key → option index or scale value.")
    snapshot = models.JSONField(help_text="Questions, options and points as answered.")
    result = models.JSONField(help_text="Scores and ranking at submission time.")
    top_role_slug = models.CharField(max_length=60, blank=True, db_index=True)
    fit = models.BooleanField(
        "result fits", null=True, blank=True, help_text="The reader's own verdict."
    )
    stated_role_slug = models.CharField(
        "current role (stated)",
        max_length=60,
        blank=True,
        help_text="The role the reader says they do now, if they said (calibration).",
    )
    nonce = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="The form's one-time value: a replayed form finds this result "
        "instead of storing a second one.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nonce"],
                condition=~Q(nonce=""),
                name="submission_nonce_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Result {self.id}"

    def get_absolute_url(self) -> str:
        return reverse("roles:quiz_result", kwargs={"pk": self.id})

    @property
    def stored_result(self):
        return StoredResult.from_json(self.result)
