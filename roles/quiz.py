"""Loading the published questionnaire into the plain data ``scoring`` works on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from . import scoring
from .models import Option, OptionPoints, Question, QuestionKind, Role


@dataclass(frozen=True)
class RoleInfo:
    slug: str
    name: str
    summary: str


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[scoring.QuestionSpec, ...]
    roles: tuple[RoleInfo, ...]
    hints: dict[str, str]

    @property
    def role_slugs(self) -> list[str]:
        return [r.slug for r in self.roles]

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "roles": [r.__dict__ for r in self.roles],
            "questions": [
                {
                    "key": q.key,
                    "kind": q.kind,
                    "text": q.text,
                    "options": [
                        {"text": o.text, "points": dict(o.points)} for o in q.options
                    ],
                    "weights": dict(q.weights),
                }
                for q in self.questions
            ],
        }


def from_snapshot(snapshot: dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        questions=tuple(
            scoring.QuestionSpec(
                key=q["key"],
                kind=q["kind"],
                text=q["text"],
                options=tuple(
                    scoring.OptionSpec(o["text"], o["points"]) for o in q["options"]
                ),
                weights=q["weights"],
            )
            for q in snapshot["questions"]
        ),
        roles=tuple(RoleInfo(**r) for r in snapshot["roles"]),
        hints={},
    )


def published_questionnaire() -> Questionnaire:
    """The public questionnaire, cached until the content changes."""
    from .caching import versioned

    return versioned("questionnaire", load_questionnaire)


def load_questionnaire(*, include_drafts: bool = False) -> Questionnaire:
    """The published questions (or all, for the admin's health panel) and the
    published roles, in five queries whatever their number."""
    roles = Role.objects.all() if include_drafts else Role.objects.published()
    role_list = list(roles.only("slug", "name", "summary").order_by("name"))
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
    return Questionnaire(
        questions=tuple(specs),
        roles=tuple(RoleInfo(r.slug, r.name, r.summary) for r in role_list),
        hints=hints,
    )


@dataclass(frozen=True)
class QuestionHealth:
    key: str
    text: str
    discriminating: bool


@dataclass(frozen=True)
class RoleHealth:
    slug: str
    name: str
    best: float
    reachable: bool
    lead: float


def health(
    questionnaire: Questionnaire,
) -> tuple[list[RoleHealth], list[QuestionHealth]]:
    questions = questionnaire.questions
    slugs = questionnaire.role_slugs
    roles = []
    for info in questionnaire.roles:
        if questions:
            _, lead = scoring.find_top_answers(questions, slugs, info.slug)
        else:
            lead = 0.0
        roles.append(
            RoleHealth(
                info.slug,
                info.name,
                scoring.best_attainable(questions, info.slug),
                lead > 0,
                round(lead, 1),
            )
        )
    checks = [
        QuestionHealth(q.key, q.text, scoring.is_discriminating(q, slugs))
        for q in questions
    ]
    return roles, checks


IMPACT_SAMPLE = 5000


def top_role_changes(
    proposed: scoring.QuestionSpec,
    submissions: list[tuple[dict[str, Any], dict[str, int], str]],
) -> tuple[int, int]:
    """How many stored results would get a different top role if ``proposed``
    replaced the question with its key. Each submission is (snapshot, answers,
    top role) and is re-scored against its own snapshot with only that one
    question changed; results that did not answer it are unaffected."""
    changed = affected = 0
    for snapshot, answers, top in submissions:
        questionnaire = from_snapshot(snapshot)
        keys = [q.key for q in questionnaire.questions]
        if proposed.key not in keys:
            continue
        answer = answers.get(proposed.key)
        if proposed.kind == scoring.SCENARIO and not (
            isinstance(answer, int) and 0 <= answer < len(proposed.options)
        ):
            continue
        if proposed.kind == scoring.AGREEMENT and answer not in scoring.SCALE:
            continue
        affected += 1
        questions = [
            proposed if q.key == proposed.key else q for q in questionnaire.questions
        ]
        try:
            ranking = scoring.score(questions, answers, questionnaire.role_slugs)
        except scoring.AnswerError:
            continue
        if ranking and ranking[0].role != top:
            changed += 1
    return changed, affected


def stored_results(
    question_key: str,
) -> list[tuple[dict[str, Any], dict[str, int], str]]:
    from .models import Submission

    rows = (
        Submission.objects.filter(answers__has_key=question_key)
        .order_by("-created_at")
        .values_list("snapshot", "answers", "top_role_slug")[:IMPACT_SAMPLE]
    )
    return list(rows)
