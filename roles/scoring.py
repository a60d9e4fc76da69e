"""Questionnaire scoring: plain data in, plain data out. No ORM, no request.

The formula
-----------
* A **scenario** question: the chosen option gives each role the points the
  editors set for that option (0 to 5; a role not named gets 0).
* An **agreement** statement: the reader answers on a 5-point scale, mapped to
  ``s`` = -2 (strongly disagree), -1, 0 (neutral), +1, +2 (strongly agree). Each
  role gets ``weight * s / 2``: agreeing adds up to the full weight, neutral adds
  nothing, and disagreeing *takes away* up to the full weight — saying "this is
  not me" is evidence against the roles the statement describes.
* A role's **best attainable** score is the sum, over all questions, of its best
  option's points (scenario) or its full weight (agreement).
* Its **match** is ``max(score, 0) / best * 100`` (0 when nothing is attainable),
  rounded to a whole percentage for display and ranking.
* **Ranking**: by match; roles with the same match share a rank (shown as a
  tie), listed by raw score and then by key so the order is deterministic.
* **Why**: for each role, the answers that added most to its score (largest
  contribution first, ties by question order), at most three.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

SCALE: dict[int, str] = {
    -2: "Strongly disagree",
    -1: "Disagree",
    0: "Neither agree nor disagree",
    1: "Agree",
    2: "Strongly agree",
}
SCENARIO = "scenario"
AGREEMENT = "agreement"
WHY_LIMIT = 3


@dataclass(frozen=True)
class OptionSpec:
    text: str
    points: Mapping[str, int]


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: str
    options: Sequence[OptionSpec] = ()
    weights: Mapping[str, int] = field(default_factory=dict)

    @cached_property
    def bests(self) -> dict[str, float]:
        """Each named role's best contribution from this question; computed
        once per question (the questionnaire is cached with it)."""
        return _question_bests(self)


@dataclass(frozen=True)
class Contribution:
    question_key: str
    question_text: str
    answer_text: str
    points: float


@dataclass(frozen=True)
class RoleScore:
    role: str
    score: float
    best: float
    match: int
    rank: int
    tied: bool
    why: tuple[Contribution, ...]


class AnswerError(ValueError):
    """An answer that does not fit its question."""


def best_attainable(questions: Sequence[QuestionSpec], role: str) -> float:
    total = 0.0
    for question in questions:
        if question.kind == SCENARIO:
            total += max((o.points.get(role, 0) for o in question.options), default=0)
        else:
            total += question.weights.get(role, 0)
    return total


def contribution(question: QuestionSpec, answer: int, role: str) -> float:
    if question.kind == SCENARIO:
        if not 0 <= answer < len(question.options):
            raise AnswerError(f"No option {answer} in question {question.key!r}.")
        return float(question.options[answer].points.get(role, 0))
    if answer not in SCALE:
        raise AnswerError(f"{answer!r} is not on the scale for {question.key!r}.")
    return question.weights.get(role, 0) * answer / 2


def match_percent(score: float, best: float) -> int:
    if best <= 0:
        return 0
    return round(max(score, 0.0) / best * 100)


def _question_bests(question: QuestionSpec) -> dict[str, float]:
    """Each named role's best contribution from one question (roles not named
    can get 0 at best). Sparse: only roles the question mentions."""
    if question.kind != SCENARIO:
        return {role: float(weight) for role, weight in question.weights.items()}
    bests: dict[str, float] = {}
    mentions: dict[str, int] = {}
    for option in question.options:
        for role, points in option.points.items():
            mentions[role] = mentions.get(role, 0) + 1
            if role not in bests or points > bests[role]:
                bests[role] = float(points)
    for role, count in mentions.items():
        if count < len(question.options) and bests[role] < 0:
            bests[role] = 0.0  # an option that does not name the role gives 0
    return bests


def score(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
) -> list[RoleScore]:
    """Score every role. ``answers`` maps question key to the option index
    (scenario) or the scale value -2..2 (agreement); every question must be
    answered. Works on the points that exist (questions name few roles), so
    100 questions and 200 roles take about a millisecond."""
    missing = [q.key for q in questions if q.key not in answers]
    if missing:
        raise AnswerError(f"Unanswered: {', '.join(missing)}.")
    totals = dict.fromkeys(roles, 0.0)
    bests = dict.fromkeys(roles, 0.0)
    gains: dict[str, list] = {role: [] for role in roles}
    for position, question in enumerate(questions):
        answer = answers[question.key]
        if question.kind == SCENARIO:
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise AnswerError(f"{answer!r} is not an option of {question.key!r}.")
            if not 0 <= answer < len(question.options):
                raise AnswerError(f"No option {answer} in question {question.key!r}.")
            chosen = question.options[answer]
            given = {r: float(p) for r, p in chosen.points.items()}
            text = chosen.text
        else:
            if isinstance(answer, bool) or answer not in SCALE:
                raise AnswerError(
                    f"{answer!r} is not on the scale for {question.key!r}."
                )
            given = {r: w * answer / 2 for r, w in question.weights.items()}
            text = SCALE[answer]
        for role, points in given.items():
            if role in totals and points:
                totals[role] += points
                if points > 0:
                    gains[role].append((-points, position, question, text, points))
        for role, best in question.bests.items():
            if role in bests:
                bests[role] += best
    rows = []
    for role in roles:
        top = sorted(gains[role], key=lambda g: (g[0], g[1]))[:WHY_LIMIT]
        why = [(g[0], g[1], Contribution(g[2].key, g[2].text, g[3], g[4])) for g in top]
        total, best = totals[role], bests[role]
        rows.append((role, total, best, match_percent(total, best), why))
    return rank(rows)


def rank(rows) -> list[RoleScore]:
    """Order by match, then raw score, then role key (deterministic). Ranks
    follow the match the reader sees: equal matches share a rank (a tie)."""
    ordered = sorted(rows, key=lambda r: (-r[3], -r[1], r[0]))
    counts: dict[int, int] = {}
    for row in ordered:
        counts[row[3]] = counts.get(row[3], 0) + 1
    result: list[RoleScore] = []
    current_rank = 0
    previous: int | None = None
    for position, (role, total, best, match, why) in enumerate(ordered, start=1):
        if match != previous:
            current_rank, previous = position, match
        result.append(
            RoleScore(
                role=role,
                score=total,
                best=best,
                match=match,
                rank=current_rank,
                tied=counts[match] > 1,
                why=tuple(c for _, _, c in why),
            )
        )
    return result


def is_discriminating(question: QuestionSpec, roles: Sequence[str]) -> bool:
    """False when every answer gives every role the same points: the question
    cannot move one role above another."""
    if question.kind == SCENARIO:
        vectors = {tuple(o.points.get(r, 0) for r in roles) for o in question.options}
        return any(len(set(v)) > 1 for v in vectors)
    return len({question.weights.get(r, 0) for r in roles}) > 1


def _answers_for(question: QuestionSpec) -> list[int]:
    if question.kind == SCENARIO:
        return list(range(len(question.options)))
    return list(SCALE)


def margin(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    role: str,
    bests: Mapping[str, float],
) -> float:
    """How far ``role``'s match lies above the best other role's (unrounded)."""
    totals = dict.fromkeys(roles, 0.0)
    for question in questions:
        for r in roles:
            totals[r] += contribution(question, answers[question.key], r)

    def pct(r: str) -> float:
        return max(totals[r], 0) / bests[r] * 100 if bests[r] > 0 else 0.0

    others = [pct(r) for r in roles if r != role]
    return pct(role) - max(others, default=0.0)


def find_top_answers(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    role: str,
    *,
    rounds: int = 6,
) -> tuple[dict[str, int], float]:
    """Search for an answer set that makes ``role`` the top result: start from
    the answers that favour it most, then improve one question at a time
    (coordinate ascent) on its lead over the best other role. Returns the answers
    and the lead in percentage points; a positive lead proves reachability."""
    bests = {r: best_attainable(questions, r) for r in roles}
    answers: dict[str, int] = {}
    for question in questions:
        options = _answers_for(question)
        answers[question.key] = max(
            options,
            key=lambda a, q=question: (
                contribution(q, a, role) * len(roles)
                - sum(contribution(q, a, r) for r in roles)
            ),
        )
    best_margin = margin(questions, answers, roles, role, bests)
    for _ in range(rounds):
        improved = False
        for question in questions:
            for candidate in _answers_for(question):
                if candidate == answers[question.key]:
                    continue
                trial = {**answers, question.key: candidate}
                value = margin(questions, trial, roles, role, bests)
                if value > best_margin + 1e-9:
                    answers, best_margin, improved = trial, value, True
        if not improved:
            break
    return answers, best_margin
