"""Reads: the published questionnaire (cached per content version), the role
map's roles, and stored submissions for the impact preview and calibration."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from roles.catalogue.models import Role
from roles.core import yamltext
from roles.publishing.cache import register_derived, versioned
from roles.questionnaire import personas, scoring
from roles.questionnaire.audit import CalibrationRow
from roles.questionnaire.models import (
    Option,
    OptionPoints,
    Question,
    QuestionKind,
    Submission,
)
from roles.questionnaire.results import (
    Questionnaire,
    RoleInfo,
    TypicalLength,
    typical_length,
)
from roles.questionnaire.role_map import MapRole


def published_questionnaire() -> Questionnaire:
    """The public questionnaire, cached until the content changes."""
    return versioned("questionnaire", load_questionnaire)


def quiz_length() -> TypicalLength:
    """How long the adaptive flow usually takes (simulated respondents), built
    once per content version with the questionnaire and shared by workers."""
    return versioned("quiz-length", _load_quiz_length)


def _load_quiz_length() -> TypicalLength:
    return typical_length(
        published_questionnaire(), per_role=settings.QUIZ_LENGTH_PER_ROLE
    )


def load_questionnaire(*, include_drafts: bool = False) -> Questionnaire:
    """The published questions (or all, for the admin's health panel) and the
    published roles, in five queries whatever their number."""
    roles = Role.objects.all() if include_drafts else Role.objects.published()
    role_list = list(
        roles.only("slug", "name", "summary", "map_x", "map_y").order_by("name")
    )
    visible = {r.pk: r.slug for r in role_list}
    questions = (
        Question.objects.all() if include_drafts else Question.objects.published()
    )
    questions = questions.prefetch_related(
        Prefetch(
            "options",
            queryset=Option.objects.order_by("order", "id").prefetch_related(
                Prefetch("points", queryset=OptionPoints.objects.all())
            ),
        ),
        "statement_points",
    ).order_by("order", "id")
    specs = []
    hints = {}
    for question in questions:
        if question.kind == QuestionKind.SCENARIO:
            options = tuple(
                scoring.OptionSpec(
                    option.text,
                    {
                        visible[p.role_id]: p.points
                        for p in option.points.all()
                        if p.role_id in visible and p.points
                    },
                )
                for option in question.options.all()
            )
            if len(options) < 2:
                continue
            weights: dict[str, int] = {}
        else:
            options = ()
            weights = {
                visible[p.role_id]: p.points
                for p in question.statement_points.all()
                if p.role_id in visible and p.points
            }
        specs.append(
            scoring.QuestionSpec(
                question.key, question.kind, question.text, options, weights
            )
        )
        hints[question.key] = question.hint
    for spec in specs:
        spec.bests  # noqa: B018 - computed now, so it is cached with the questionnaire
    questionnaire = Questionnaire(
        questions=tuple(specs),
        roles=tuple(
            RoleInfo(r.slug, r.name, r.summary, r.map_x, r.map_y) for r in role_list
        ),
        hints=hints,
    )
    questionnaire.model  # noqa: B018 - computed now, so it is cached with the rest
    questionnaire.adaptive  # noqa: B018 - likewise
    return questionnaire


#: The blind personas: a regression fixture (see roles/questionnaire/personas.py).
PERSONAS_FILE = (
    Path(__file__).resolve().parent.parent / "content" / "quiz_personas.yaml"
)


def blind_personas(path: Path = PERSONAS_FILE) -> list[personas.Persona]:
    """The blind personas kept with the seed content (none when the file is
    absent, as in a site whose questionnaire was written from scratch)."""
    if not path.exists():
        return []
    return personas.parse(yamltext.safe_load(path.read_text(encoding="utf-8")) or {})


IMPACT_SAMPLE = 5000


def stored_results(
    question_key: str,
) -> list[tuple[dict[str, Any], dict[str, int], str]]:
    rows = (
        Submission.objects.filter(answers__has_key=question_key)
        .order_by("-created_at")
        .values_list("snapshot", "answers", "top_role_slug")[:IMPACT_SAMPLE]
    )
    return list(rows)


def calibration_rows(
    submissions: QuerySet[Submission] | None = None, limit: int = 20_000
) -> list[CalibrationRow]:
    rows = Submission.objects.all() if submissions is None else submissions
    return [
        CalibrationRow(stated, top, answers)
        for stated, top, answers in rows.exclude(stated_role_slug="")
        .order_by("-created_at")
        .values_list("stated_role_slug", "top_role_slug", "answers")[:limit]
    ]


def submission_for_nonce(nonce: str) -> Submission | None:
    """The result already stored for this form's (or answer set's) nonce."""
    if not nonce:
        return None
    return Submission.objects.filter(nonce=nonce).only("id").first()


def question_withdrawn(key: str) -> bool:
    """Whether a question with this key exists, unpublished (withdrawn or
    never published), rather than no question at all."""
    return Question.objects.filter(key=key).exists()


def role_map_roles() -> list[MapRole]:
    """Every published role with its map position, cached with the content."""
    return versioned("role-map", _load_role_map)


def role_map_former(slugs: Collection[str]) -> list[MapRole]:
    """Roles an old result names that are no longer published, with their
    positions: its map still shows them (unlinked). One query."""
    return [
        MapRole(slug, name, x, y, linked=False)
        for slug, name, x, y in Role.objects.filter(slug__in=list(slugs))
        .exclude(pk__in=Role.objects.published())
        .values_list("slug", "name", "map_x", "map_y")
    ]


def _load_role_map() -> list[MapRole]:
    return [
        MapRole(slug, name, x, y)
        for slug, name, x, y in Role.objects.published()
        .order_by("name")
        .values_list("slug", "name", "map_x", "map_y")
    ]


# Rebuilt after each content write and at deploy (roles.publishing.cache).
register_derived("questionnaire", load_questionnaire)
register_derived("role-map", _load_role_map)
register_derived("quiz-length", _load_quiz_length)
