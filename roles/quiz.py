"""Loading the published questionnaire into the plain data ``scoring`` works
on; a stored result's typed shape; per-respondent option order; the audit."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import Prefetch

from roles import scoring
from roles.models import Option, OptionPoints, Question, QuestionKind, Role


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
    def norm(self) -> scoring.Norm:
        """Computed once, then cached (pickled) with the questionnaire."""
        return scoring.build_norm(self.questions, self.role_slugs)

    def role(self, slug: str) -> RoleInfo | None:
        return next((r for r in self.roles if r.slug == slug), None)

    def score(self, answers: dict[str, int]) -> list[scoring.RoleScore]:
        return scoring.score(self.questions, answers, self.role_slugs, self.norm)

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
        if question.kind != scoring.SCENARIO:
            continue
        indexes = list(range(len(question.options)))
        fixed = (
            [indexes.pop()]
            if len(indexes) > 2 and is_way_out(question.options[-1])
            else []
        )
        random.Random(f"{nonce}:{question.key}").shuffle(indexes)
        order[question.key] = (*indexes, *fixed)
    return order


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

RESULT_VERSION = 2
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
    z: float | None = None


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
        return f"Your best match: {top.name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "verdict": str(self.verdict),
            "you": asdict(self.you) if self.you else None,
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
        )


def place_you(
    ranking: list[scoring.RoleScore], roles: tuple[RoleInfo, ...]
) -> MapPoint | None:
    """Where the respondent sits on the role map: the average position of the
    placed roles, weighted by how strongly the answers point to each (a
    softmax of z, so the top roles dominate)."""
    where = {r.slug: r for r in roles if r.map_x is not None and r.map_y is not None}
    weighted = [
        (math.exp(2 * row.z), where[row.role]) for row in ranking if row.role in where
    ]
    total = sum(w for w, _ in weighted)
    if not weighted or total <= 0:
        return None
    return MapPoint(
        round(sum(w * r.map_x for w, r in weighted) / total, 1),
        round(sum(w * r.map_y for w, r in weighted) / total, 1),
    )


def result_for(questionnaire: Questionnaire, answers: dict[str, int]) -> StoredResult:
    ranking = questionnaire.score(answers)
    names = {r.slug: r for r in questionnaire.roles}
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
                z=row.z,
            )
            for row in ranking
        ),
        verdict=scoring.verdict(ranking),
        you=place_you(ranking, questionnaire.roles),
    )


def published_questionnaire() -> Questionnaire:
    """The public questionnaire, cached until the content changes."""
    from roles.caching import versioned

    return versioned("questionnaire", load_questionnaire)


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
    questionnaire.norm  # noqa: B018 - computed now, so it is cached with the rest
    return questionnaire


# --- the audit (quiz_audit and the health panel) ------------------------------------

#: A role's share of top results over random respondents must lie within these
#: multiples of its fair share (1 / number of scorable roles).
FAIR_LOW, FAIR_HIGH = 0.8, 1.2
AUDIT_RESPONDENTS = 10_000
#: Deliberately not the calibration seed: the audit checks on fresh respondents.
AUDIT_SEED = 1


@dataclass(frozen=True)
class QuestionHealth:
    key: str
    text: str
    discriminating: bool


@dataclass(frozen=True)
class RoleHealth:
    slug: str
    name: str
    coverage: int
    best: float
    reachable: bool | None
    lead: float | None
    top_count: int
    share: float
    ratio: float

    @property
    def fair(self) -> bool:
        return self.coverage > 0 and FAIR_LOW <= self.ratio <= FAIR_HIGH


@dataclass(frozen=True)
class Separator:
    key: str
    text: str
    separation: float


@dataclass(frozen=True)
class ConfusablePair:
    a: str
    b: str
    a_name: str
    b_name: str
    correlation: float
    separators: tuple[Separator, ...]


@dataclass(frozen=True)
class Audit:
    respondents: int
    seed: int
    question_count: int
    minutes: int
    roles: tuple[RoleHealth, ...]
    questions: tuple[QuestionHealth, ...]
    pairs: tuple[ConfusablePair, ...]
    verdicts: dict[str, int]
    chi_square: float

    @property
    def unfair(self) -> list[RoleHealth]:
        return [r for r in self.roles if not r.fair]

    @property
    def unreachable(self) -> list[RoleHealth]:
        return [r for r in self.roles if r.reachable is False]

    @property
    def flat(self) -> list[QuestionHealth]:
        return [q for q in self.questions if not q.discriminating]

    @property
    def passed(self) -> bool:
        return not (self.unfair or self.unreachable or self.flat)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["bounds"] = [FAIR_LOW, FAIR_HIGH]
        for role, row in zip(data["roles"], self.roles, strict=True):
            role["fair"] = row.fair
        return data


def _correlation(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0


def audit(
    questionnaire: Questionnaire,
    *,
    respondents: int = AUDIT_RESPONDENTS,
    seed: int = AUDIT_SEED,
    pair_count: int = 5,
    separator_count: int = 3,
    reachability: bool = True,
) -> Audit:
    """Coverage, best attainable score, reachability and the random-respondent
    distribution of the top role per role; the most confusable role pairs
    (most correlated scores over random respondents) and the questions that
    separate them best."""
    questions = questionnaire.questions
    slugs = questionnaire.role_slugs
    names = {r.slug: r.name for r in questionnaire.roles}
    norm = questionnaire.norm
    rng = random.Random(seed)
    tops: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    samples: dict[str, list[float]] = {s: [] for s in slugs}
    for _ in range(respondents if questions and slugs else 0):
        answers = scoring.random_answers(questions, rng)
        ranking = scoring.score(questions, answers, slugs, norm)
        tops[ranking[0].role] += 1
        verdicts[str(scoring.verdict(ranking))] += 1
        for row in ranking:
            samples[row.role].append(row.z)
    scorable = [s for s in slugs if scoring.coverage(questions, s)]
    fair = respondents / len(scorable) if scorable else 0
    chi = sum((tops[s] - fair) ** 2 / fair for s in scorable) if fair else 0.0
    roles = []
    for slug in slugs:
        lead = None
        if reachability and questions and len(slugs) > 1:
            _, lead = scoring.find_top_answers(questions, slugs, slug, norm=norm)
        roles.append(
            RoleHealth(
                slug=slug,
                name=names[slug],
                coverage=scoring.coverage(questions, slug),
                best=scoring.best_attainable(questions, slug),
                reachable=None if lead is None else lead > 0,
                lead=None if lead is None else round(lead, 2),
                top_count=tops[slug],
                share=round(tops[slug] / respondents, 4) if respondents else 0.0,
                ratio=round(tops[slug] / fair, 3) if fair else 0.0,
            )
        )
    pairs = []
    if respondents > 1:
        for i, a in enumerate(scorable):
            for b in scorable[i + 1 :]:
                pairs.append((_correlation(samples[a], samples[b]), a, b))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    confusable = tuple(
        ConfusablePair(
            a,
            b,
            names[a],
            names[b],
            round(corr, 3),
            tuple(
                Separator(q.key, q.text, round(sep, 2))
                for sep, q in sorted(
                    ((scoring.separation(q, a, b), q) for q in questions),
                    key=lambda item: -item[0],
                )[:separator_count]
                if sep > 0
            ),
        )
        for corr, a, b in pairs[:pair_count]
    )
    return Audit(
        respondents=respondents,
        seed=seed,
        question_count=len(questions),
        minutes=estimated_minutes(questions),
        roles=tuple(roles),
        questions=tuple(
            QuestionHealth(q.key, q.text, scoring.is_discriminating(q, slugs))
            for q in questions
        ),
        pairs=confusable,
        verdicts=dict(verdicts),
        chi_square=round(chi, 1),
    )


IMPACT_SAMPLE = 5000


def stored_results(
    question_key: str,
) -> list[tuple[dict[str, Any], dict[str, int], str]]:
    from roles.models import Submission

    rows = (
        Submission.objects.filter(answers__has_key=question_key)
        .order_by("-created_at")
        .values_list("snapshot", "answers", "top_role_slug")[:IMPACT_SAMPLE]
    )
    return list(rows)


# --- calibration from real people ---------------------------------------------------


class CalibrationRow(NamedTuple):
    """One result whose reader told us the role they do now."""

    stated: str
    result: str
    answers: dict[str, int]


@dataclass(frozen=True)
class ConfusedPair:
    stated: str
    result: str
    count: int


@dataclass(frozen=True)
class QuestionDiscrimination:
    key: str
    text: str
    respondents: int
    #: Mean points the answer gave the reader's own role minus the mean it gave
    #: the other roles: above 0, the question points people to their own role.
    value: float


@dataclass(frozen=True)
class Calibration:
    roles: tuple[RoleInfo, ...]
    #: matrix[i][j]: readers who said they are roles[i] and got roles[j] on top.
    matrix: tuple[tuple[int, ...], ...]
    total: int
    correct: int
    confused: tuple[ConfusedPair, ...]
    questions: tuple[QuestionDiscrimination, ...]

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.total * 100, 1) if self.total else None

    def rows(self) -> list[tuple[RoleInfo, tuple[int, ...]]]:
        return list(zip(self.roles, self.matrix, strict=True))


def calibration(
    questionnaire: Questionnaire, rows: list[CalibrationRow], *, pairs: int = 5
) -> Calibration:
    """Quiz result against the role readers say they do: a confusion matrix,
    accuracy, the most confused pairs and each question's discrimination."""
    roles = questionnaire.roles
    index = {r.slug: i for i, r in enumerate(roles)}
    matrix = [[0] * len(roles) for _ in roles]
    confused: Counter[tuple[str, str]] = Counter()
    usable = [r for r in rows if r.stated in index and r.result in index]
    for row in usable:
        matrix[index[row.stated]][index[row.result]] += 1
        if row.stated != row.result:
            confused[(row.stated, row.result)] += 1
    discrimination = []
    others = len(roles) - 1
    for question in questionnaire.questions:
        values = []
        for row in usable:
            answer = row.answers.get(question.key)
            if answer not in question.answer_values:
                continue
            points = question.points_for(answer)
            own = points.get(row.stated, 0.0)
            rest = sum(v for r, v in points.items() if r != row.stated and r in index)
            values.append(own - (rest / others if others else 0.0))
        discrimination.append(
            QuestionDiscrimination(
                question.key,
                question.text,
                len(values),
                round(sum(values) / len(values), 2) if values else 0.0,
            )
        )
    return Calibration(
        roles=roles,
        matrix=tuple(tuple(r) for r in matrix),
        total=len(usable),
        correct=sum(1 for r in usable if r.stated == r.result),
        confused=tuple(
            ConfusedPair(a, b, n)
            for (a, b), n in sorted(confused.items(), key=lambda i: (-i[1], i[0]))[
                :pairs
            ]
        ),
        questions=tuple(sorted(discrimination, key=lambda q: q.value)),
    )


def calibration_rows(limit: int = 20_000) -> list[CalibrationRow]:
    from roles.models import Submission

    return [
        CalibrationRow(stated, top, answers)
        for stated, top, answers in Submission.objects.exclude(stated_role_slug="")
        .order_by("-created_at")
        .values_list("stated_role_slug", "top_role_slug", "answers")[:limit]
    ]
