"""Pure: the questionnaire as plain data (``Questionnaire``, ``RoleInfo``),
scoring answers into a stored result of a typed shape, per-respondent option
order and the time estimate. No ORM, no request."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import Any

from roles.questionnaire import adaptive, scoring


@dataclass(frozen=True)
class RoleInfo:
    slug: str
    name: str
    summary: str
    map_x: int | None = None
    map_y: int | None = None


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[scoring.QuestionSpec, ...]
    roles: tuple[RoleInfo, ...]
    hints: dict[str, str]

    @property
    def role_slugs(self) -> list[str]:
        return [r.slug for r in self.roles]

    @cached_property
    def model(self) -> scoring.Model:
        """Fitted once, then cached (pickled) with the questionnaire."""
        return scoring.build_model(self.questions, self.role_slugs)

    @cached_property
    def adaptive(self) -> adaptive.Adaptive:
        """The adaptive flow's tables, built with the model and cached with it."""
        return adaptive.Adaptive.build(self.questions, self.model)

    @cached_property
    def by_key(self) -> dict[str, scoring.QuestionSpec]:
        """Each question by its key (built once, cached with the questionnaire)."""
        return {q.key: q for q in self.questions}

    def role(self, slug: str) -> RoleInfo | None:
        return next((r for r in self.roles if r.slug == slug), None)

    def score(self, answers: dict[str, int]) -> list[scoring.RoleScore]:
        return scoring.score(self.questions, answers, self.role_slugs, self.model)

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "roles": [asdict(r) for r in self.roles],
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
    """A questionnaire as stored with a submission (any version: fields added
    later have defaults)."""
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
        roles=tuple(
            RoleInfo(**{k: v for k, v in r.items() if k in RoleInfo.__annotations__})
            for r in snapshot["roles"]
        ),
        hints={},
    )


# --- option order -----------------------------------------------------------------

NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def is_way_out(option: scoring.OptionSpec) -> bool:
    """An option that gives no points ("None of these")."""
    return not any(option.points.values())


def option_order(
    questionnaire: Questionnaire, nonce: str
) -> dict[str, tuple[int, ...]]:
    """The order one respondent sees each scenario's options in, derived from
    the form's one-time nonce (so a re-shown form keeps it). A last option
    that gives no points ("None of these") stays last."""
    order: dict[str, tuple[int, ...]] = {}
    for question in questionnaire.questions:
        shown = question_option_order(question, nonce)
        if shown is not None:
            order[question.key] = shown
    return order


def question_option_order(
    question: scoring.QuestionSpec, nonce: str
) -> tuple[int, ...] | None:
    """One question's part of :func:`option_order` (what a step of the
    adaptive flow needs, without shuffling every other question's options):
    None for a statement, whose scale keeps its order."""
    if question.kind != scoring.SCENARIO:
        return None
    indexes = list(range(len(question.options)))
    fixed = (
        [indexes.pop()] if len(indexes) > 2 and is_way_out(question.options[-1]) else []
    )
    random.Random(f"{nonce}:{question.key}").shuffle(indexes)
    return (*indexes, *fixed)


# --- time estimate ----------------------------------------------------------------

#: Adults' average silent reading speed for English non-fiction, words per
#: minute (Brysbaert 2019, a meta-analysis of 190 studies).
READING_WPM = 238
#: Choosing and clicking, per question, seconds.
ANSWER_SECONDS = 4
#: Scanning the five-point scale's labels once it is familiar, seconds.
SCALE_SECONDS = 2


def _words(text: str) -> int:
    return len(text.split())


def estimated_seconds(questions: tuple[scoring.QuestionSpec, ...]) -> int:
    """Reading every word of the published items at READING_WPM, plus a fixed
    time to choose each answer."""
    seconds = 0.0
    for q in questions:
        words = _words(q.text) + sum(_words(o.text) for o in q.options)
        seconds += words * 60 / READING_WPM + ANSWER_SECONDS
        if q.kind == scoring.AGREEMENT:
            seconds += SCALE_SECONDS
    return math.ceil(seconds)


def estimated_minutes(questions: tuple[scoring.QuestionSpec, ...]) -> int:
    return max(1, math.ceil(estimated_seconds(questions) / 60))


# --- stored results ---------------------------------------------------------------

#: 1: match as a share of the best score; 2: match as Φ(z) × 100;
#: 3: the posterior probability of each role (see scoring's docstring);
#: 4: the same from the adaptive flow, scored from the questions asked.
RESULT_VERSION = 3
ADAPTIVE_RESULT_VERSION = 4
#: Before version 2, a result named "between A and B" within this many points.
V1_BETWEEN_POINTS = 10


@dataclass(frozen=True)
class Reason:
    question: str
    answer: str
    points: float


@dataclass(frozen=True)
class ResultRow:
    role: str
    name: str
    summary: str
    match: int
    rank: int
    tied: bool
    why: tuple[Reason, ...] = ()
    z: float | None = None  # version 2
    probability: float | None = None  # version 3 on
    label: str = ""  # version 3 on: the posterior as shown ("37 %")


@dataclass(frozen=True)
class Settler:
    """A question that would settle a "between" or unclear result."""

    key: str
    text: str


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float


@dataclass(frozen=True)
class StoredResult:
    """What a result page shows, as stored with the submission. Reads both the
    current shape and results stored before it (version 1, no verdict)."""

    rows: tuple[ResultRow, ...]
    verdict: scoring.Verdict
    version: int = RESULT_VERSION
    you: MapPoint | None = None
    #: Version 3 on: the questions that best separate the top two roles.
    settlers: tuple[Settler, ...] = ()
    #: Version 4: how many questions were answered, of how many published.
    asked: int = 0
    total: int = 0

    def settling(self, answered: Iterable[str]) -> list[tuple[Settler, bool]]:
        """The settling questions, each with whether the respondent answered it
        (an adaptive result's are mostly questions the flow never asked)."""
        keys = set(answered)
        return [(q, q.key in keys) for q in self.settlers]

    @property
    def is_adaptive(self) -> bool:
        return self.version >= ADAPTIVE_RESULT_VERSION

    @property
    def top(self) -> ResultRow | None:
        return self.rows[0] if self.rows else None

    @property
    def runner_up(self) -> ResultRow | None:
        return self.rows[1] if len(self.rows) > 1 else None

    @property
    def is_clear(self) -> bool:
        return self.verdict == scoring.Verdict.CLEAR

    @property
    def is_between(self) -> bool:
        return self.verdict == scoring.Verdict.BETWEEN

    @property
    def is_unclear(self) -> bool:
        return self.verdict == scoring.Verdict.NO_CLEAR_MATCH

    def headline(self) -> str:
        top, second = self.top, self.runner_up
        if top is None:
            return "Your result"
        if self.is_between and second:
            return f"Between {top.name} and {second.name}"
        if self.is_unclear:
            return "No clear match"
        if self.version >= 3:
            return f"Clear match: {top.name}"
        return f"Your best match: {top.name}"

    @property
    def confidence(self) -> str:
        """Version 3 on: how sure the result is, in plain words that agree
        with the verdict (only a clear match is "sure")."""
        top = self.top
        if top is None or top.probability is None:
            return ""
        return scoring.confidence_words(self.verdict, top.probability)

    def to_json(self) -> dict[str, Any]:
        extra = {"asked": self.asked, "total": self.total} if self.is_adaptive else {}
        return {
            **extra,
            "version": self.version,
            "verdict": str(self.verdict),
            "you": asdict(self.you) if self.you else None,
            "settlers": [asdict(q) for q in self.settlers],
            "ranking": [
                {**asdict(row), "why": [asdict(r) for r in row.why]}
                for row in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredResult:
        rows = tuple(
            ResultRow(
                role=row["role"],
                name=row["name"],
                summary=row.get("summary", ""),
                match=int(row["match"]),
                rank=int(row["rank"]),
                tied=bool(row["tied"]),
                why=tuple(
                    Reason(r["question"], r["answer"], float(r["points"]))
                    for r in row.get("why", ())
                ),
                z=row.get("z"),
                probability=row.get("probability"),
                label=row.get("label", ""),
            )
            for row in data.get("ranking", ())
        )
        version = int(data.get("version", 1))
        if version >= 2:
            verdict = scoring.Verdict(data["verdict"])
        elif len(rows) >= 2 and rows[0].match - rows[1].match <= V1_BETWEEN_POINTS:
            verdict = scoring.Verdict.BETWEEN
        else:
            verdict = scoring.Verdict.CLEAR
        you = data.get("you")
        return cls(
            rows=rows,
            verdict=verdict,
            version=version,
            you=MapPoint(you["x"], you["y"]) if you else None,
            settlers=tuple(
                Settler(q["key"], q["text"]) for q in data.get("settlers", ())
            ),
            asked=int(data.get("asked", 0)),
            total=int(data.get("total", 0)),
        )


def place_you(
    ranking: list[scoring.RoleScore], roles: tuple[RoleInfo, ...]
) -> MapPoint | None:
    """Where the respondent sits on the role map: the average position of the
    placed roles, weighted by each role's posterior probability."""
    where = {
        r.slug: (r.map_x, r.map_y)
        for r in roles
        if r.map_x is not None and r.map_y is not None
    }
    weighted = [
        (row.probability, where[row.role]) for row in ranking if row.role in where
    ]
    total = sum(w for w, _ in weighted)
    if not weighted or total <= 0:
        return None
    return MapPoint(
        round(sum(w * x for w, (x, _) in weighted) / total, 1),
        round(sum(w * y for w, (_, y) in weighted) / total, 1),
    )


def result_for(questionnaire: Questionnaire, answers: dict[str, int]) -> StoredResult:
    """The full questionnaire's result (version 3): every question answered."""
    return _result(questionnaire, questionnaire.score(answers), questionnaire.questions)


def adaptive_result_for(
    questionnaire: Questionnaire, answers: dict[str, int]
) -> StoredResult:
    """The adaptive flow's result (version 4): scored from the questions asked
    only, with the model's fitted temperatures. What would settle a close
    result are the separating questions not asked yet, then the asked ones
    (whose answers the respondent may want to look at again)."""
    ranking = adaptive.score(
        questionnaire.questions, answers, questionnaire.role_slugs, questionnaire.model
    )
    unasked = [q for q in questionnaire.questions if q.key not in answers]
    asked = [q for q in questionnaire.questions if q.key in answers]
    result = _result(questionnaire, ranking, (*unasked, *asked))
    return replace(
        result,
        version=ADAPTIVE_RESULT_VERSION,
        asked=len(asked),
        total=len(questionnaire.questions),
    )


def _result(
    questionnaire: Questionnaire,
    ranking: list[scoring.RoleScore],
    settler_pool: tuple[scoring.QuestionSpec, ...],
) -> StoredResult:
    names = {r.slug: r for r in questionnaire.roles}
    model = questionnaire.model
    outcome = scoring.verdict(ranking, model.clear)
    settlers: tuple[Settler, ...] = ()
    if outcome != scoring.Verdict.CLEAR and len(ranking) > 1:
        settlers = tuple(
            Settler(q.key, q.text)
            for q in scoring.separators(
                settler_pool, model, ranking[0].role, ranking[1].role
            )
        )
    return StoredResult(
        rows=tuple(
            ResultRow(
                role=row.role,
                name=names[row.role].name,
                summary=names[row.role].summary,
                match=row.match,
                rank=row.rank,
                tied=row.tied,
                why=tuple(
                    Reason(c.question_text, c.answer_text, c.points) for c in row.why
                ),
                probability=row.probability,
                label=row.label,
            )
            for row in ranking
        ),
        verdict=outcome,
        you=place_you(ranking, questionnaire.roles),
        settlers=settlers,
    )


# --- the adaptive flow's typical length ------------------------------------------

#: Simulated respondents per role for the typical length shown to visitors.
LENGTH_PER_ROLE = 8
#: ... and at most this many in all, so the figure costs the same few seconds
#: with 200 roles as with 16 (a mean of whole questions needs no more).
LENGTH_RESPONDENTS = 128
LENGTH_SEED = 22


@dataclass(frozen=True)
class TypicalLength:
    """How long the adaptive flow usually takes, over simulated respondents
    of every role: the mean number of questions and of minutes."""

    questions: int
    minutes: int
    total: int
    #: The most it can take without asking for more: the flow's ceiling.
    most: int = 0

    @property
    def shorter(self) -> bool:
        return self.questions < self.total


def typical_length(
    questionnaire: Questionnaire,
    per_role: int = LENGTH_PER_ROLE,
    seed: int = LENGTH_SEED,
    limit: int = LENGTH_RESPONDENTS,
) -> TypicalLength:
    """Run the adaptive flow on ``per_role`` simulated respondents of every
    role (``limit`` in all at most) and average what they were asked (reading
    time as in :func:`estimated_seconds`)."""
    total = len(questionnaire.questions)
    flow = questionnaire.adaptive
    people = adaptive.simulated_population(flow, per_role, seed, limit) if total else []
    most = min(total, adaptive.MAX_QUESTIONS)
    if not people:
        return TypicalLength(
            total, estimated_minutes(questionnaire.questions), total, total
        )
    by_key = questionnaire.by_key
    count = 0
    seconds = 0
    for answers in people:
        asked = flow.run_known(answers)
        count += len(asked)
        seconds += estimated_seconds(tuple(by_key[k] for k in asked))
    n = len(people)
    return TypicalLength(
        questions=max(1, round(count / n)),
        minutes=max(1, math.ceil(seconds / n / 60)),
        total=total,
        most=most,
    )
