"""Questionnaire scoring: plain data in, plain data out. No ORM, no request.

The formula
-----------
* **Raw score.** A *scenario* question: the chosen option gives each role the
  points the editors set for it (0 to 5; a role not named gets 0). An
  *agreement* statement: the answer ``s`` is -2 (strongly disagree) … +2
  (strongly agree) and each role gets ``weight * s / 2``.
* **Why raw scores are unfair.** A role named in 16 questions and one named in
  6 have raw scores on different scales, and "a share of the best attainable"
  makes thinly covered roles swing more. So raw scores are never compared.
* **Normalisation** (:class:`Norm`). For each role, the exact distribution of
  its raw score under *random answering* (every option or scale point equally
  likely, questions independent) is computed by convolution. A respondent's
  raw score becomes its mid-percentile in that distribution, then a z value
  (``NormalDist().inv_cdf``): "how far above chance do your answers point to
  this role". A role's coverage no longer matters: for every role a random
  respondent's z is (close to) standard normal.
* **Calibration.** Percentiles alone leave small biases (roles that share
  options are correlated, sparse roles have coarse distributions), so each
  role gets an offset fitted on simulated random respondents (seeded,
  deterministic) until every role is the top role equally often. The audit
  (``quiz_audit``) checks the result on a *different* seed.
* **Match** shown to readers is ``Φ(z) × 100``: 50 is what random answers give,
  90 means your answers point to the role more strongly than 9 random answer
  sets in 10. There is no cliff at 0.
* **Verdict** (:func:`verdict`): the top role is named only when its z is at
  least :data:`CLEAR_Z` and it leads the second by at least :data:`CLOSE_Z`;
  otherwise the result is "between A and B" (close) or "no clear match" (weak).
* **Why**: for each role, the answers that added most to its raw score
  (largest first, ties by question order), at most three.
"""

from __future__ import annotations

import bisect
import enum
import math
import operator
import random
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from statistics import NormalDist
from typing import NamedTuple

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

#: The top role is a clear match only from this z (about the 90th percentile
#: of random answering) ...
CLEAR_Z = 1.28
#: ... and only when it leads the second role by at least this much z.
CLOSE_Z = 0.35
#: Simulated random respondents used to fit the per-role offsets.
CALIBRATION_SAMPLE = 10_000  # at least; 1000 per role for larger catalogues
CALIBRATION_PER_ROLE = 1000
# Respondents × roles simulated at most: the 16-role questionnaire gets its
# full 16,000 respondents; a 200-role catalogue gets 1,280 instead of 200,000
# (minutes of work on the first request after every edit). Its offsets are
# then coarser; the exact percentiles are unchanged.
CALIBRATION_BUDGET = 1_000_000
CALIBRATION_SEED = 20261128
CALIBRATION_ROUNDS = 60

_NORMAL = NormalDist()
# z is kept finite: a mid-percentile is never exactly 0 or 1, but guard anyway.
_Z_LIMIT = 6.0


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
        """Each named role's best contribution from this question."""
        return _question_bests(self)

    @property
    def answer_values(self) -> list[int]:
        """Every possible answer: option indexes, or the scale values."""
        if self.kind == SCENARIO:
            return list(range(len(self.options)))
        return list(SCALE)

    def roles(self) -> set[str]:
        """The roles this question can give points to."""
        if self.kind == SCENARIO:
            return {r for o in self.options for r, p in o.points.items() if p}
        return {r for r, w in self.weights.items() if w}

    @cached_property
    def _points_by_answer(self) -> dict[int, dict[str, float]]:
        if self.kind == SCENARIO:
            return {
                i: {r: float(p) for r, p in o.points.items() if p}
                for i, o in enumerate(self.options)
            }
        return {s: {r: w * s / 2 for r, w in self.weights.items() if w} for s in SCALE}

    def points_for(self, answer: int) -> dict[str, float]:
        """Raw points per role for one answer (only roles that get some).
        Callers must not change the dict: it is shared."""
        return self._points_by_answer[answer]

    def answer_text(self, answer: int) -> str:
        if self.kind == SCENARIO:
            return self.options[answer].text
        return SCALE[answer]


class Contribution(NamedTuple):
    question_key: str
    question_text: str
    answer_text: str
    points: float


class RoleScore(NamedTuple):
    role: str
    score: float  # raw points
    z: float  # normalised and calibrated
    match: int  # Φ(z) × 100, what readers see
    rank: int
    tied: bool
    why: tuple[Contribution, ...]


class Verdict(enum.StrEnum):
    CLEAR = "clear"
    BETWEEN = "between"
    NO_CLEAR_MATCH = "none"


class AnswerError(ValueError):
    """An answer that does not fit its question."""


# --- raw scores -------------------------------------------------------------------


def best_attainable(questions: Sequence[QuestionSpec], role: str) -> float:
    return sum(q.bests.get(role, 0.0) for q in questions)


def moves(question: QuestionSpec, role: str) -> bool:
    """Whether the answer to the question changes the role's points (a
    question that gives a role the same points whatever the answer says
    nothing about it)."""
    if role not in question.roles():
        return False
    return (
        len({question.points_for(a).get(role, 0.0) for a in question.answer_values}) > 1
    )


def coverage(questions: Sequence[QuestionSpec], role: str) -> int:
    """How many questions can move the role's score."""
    return sum(1 for q in questions if moves(q, role))


def contribution(question: QuestionSpec, answer: int, role: str) -> float:
    _check_answer(question, answer)
    return question.points_for(answer).get(role, 0.0)


def _check_answer(question: QuestionSpec, answer: object) -> None:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise AnswerError(f"{answer!r} is not an answer to {question.key!r}.")
    if question.kind == SCENARIO:
        if not 0 <= answer < len(question.options):
            raise AnswerError(f"No option {answer} in question {question.key!r}.")
    elif answer not in SCALE:
        raise AnswerError(f"{answer!r} is not on the scale for {question.key!r}.")


def _question_bests(question: QuestionSpec) -> dict[str, float]:
    bests: dict[str, float] = {}
    for answer in question.answer_values:
        for role, points in question.points_for(answer).items():
            bests[role] = max(bests.get(role, 0.0), points)
    return bests


def raw_scores(
    questions: Sequence[QuestionSpec], answers: Mapping[str, int], roles: Iterable[str]
) -> dict[str, float]:
    totals = dict.fromkeys(roles, 0.0)
    for question in questions:
        for role, points in question.points_for(answers[question.key]).items():
            if role in totals:
                totals[role] += points
    return totals


# --- normalisation ----------------------------------------------------------------


class RoleNorm(NamedTuple):
    """One role's null distribution: sorted distinct raw scores (in half
    points) and the mid-percentile of each, plus its calibration offset."""

    values: tuple[int, ...]
    mid: tuple[float, ...]
    offset: float

    def z(self, raw: float) -> float:
        """The calibrated z of a raw score."""
        if not self.values:
            return -_Z_LIMIT  # a role no question can score is never a match
        half = round(raw * 2)
        i = bisect.bisect_left(self.values, half)
        if i < len(self.values) and self.values[i] == half:
            p = self.mid[i]
        else:  # not attainable by random answering; place it between neighbours
            below = self.mid[i - 1] if i else 0.0
            above = self.mid[i] if i < len(self.mid) else 1.0
            p = (below + above) / 2
        return _to_z(p) + self.offset


def _to_z(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return max(-_Z_LIMIT, min(_Z_LIMIT, _NORMAL.inv_cdf(p)))


def _null_distribution(
    questions: Sequence[QuestionSpec], role: str
) -> dict[int, float]:
    """Exact distribution of a role's raw score (in half points) when every
    question is answered at random, by convolution."""
    dist: dict[int, float] = {0: 1.0}
    for question in questions:
        if role not in question.roles():
            continue
        values = question.answer_values
        step: dict[int, float] = {}
        for answer in values:
            half = round(question.points_for(answer).get(role, 0.0) * 2)
            step[half] = step.get(half, 0.0) + 1 / len(values)
        merged: dict[int, float] = {}
        for a, pa in dist.items():
            for b, pb in step.items():
                merged[a + b] = merged.get(a + b, 0.0) + pa * pb
        dist = merged
    return dist


def _role_norm(dist: Mapping[int, float], covered: bool) -> RoleNorm:
    if not covered:
        return RoleNorm((), (), 0.0)
    values = tuple(sorted(dist))
    mids = []
    below = 0.0
    for v in values:
        mids.append(below + dist[v] / 2)
        below += dist[v]
    return RoleNorm(values, tuple(mids), 0.0)


@dataclass(frozen=True)
class Norm:
    """What turns raw scores into comparable z values, for one questionnaire."""

    roles: Mapping[str, RoleNorm]

    def z(self, role: str, raw: float) -> float:
        return self.roles[role].z(raw)

    def offsets(self) -> dict[str, float]:
        return {role: n.offset for role, n in self.roles.items()}


def random_answers(
    questions: Sequence[QuestionSpec], rng: random.Random
) -> dict[str, int]:
    answers = {}
    for q in questions:
        values = q.answer_values
        answers[q.key] = values[int(rng.random() * len(values))]
    return answers


def calibration_sample(scorable_roles: int) -> int:
    """How many random respondents calibrate the offsets: more with more
    roles, within CALIBRATION_BUDGET."""
    wanted = max(CALIBRATION_SAMPLE, CALIBRATION_PER_ROLE * scorable_roles)
    return min(
        wanted, max(CALIBRATION_SAMPLE, CALIBRATION_BUDGET // max(scorable_roles, 1))
    )


def build_norm(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    *,
    sample: int | None = None,
    seed: int = CALIBRATION_SEED,
    rounds: int = CALIBRATION_ROUNDS,
) -> Norm:
    """Exact percentiles per role, then offsets fitted so that over ``sample``
    simulated random respondents every (scorable) role is top equally often.
    By default the sample grows with the number of roles, so that each role's
    share is measured as precisely in a larger catalogue, up to a fixed amount
    of work (CALIBRATION_BUDGET)."""
    base = {
        role: _role_norm(
            _null_distribution(questions, role),
            any(moves(q, role) for q in questions),
        )
        for role in roles
    }
    scorable = [r for r in roles if base[r].values]
    if sample is None:
        sample = calibration_sample(len(scorable))
    if len(scorable) < 2 or sample <= 0:
        return Norm(base)
    rng = random.Random(seed)
    # z before offsets, for each simulated respondent and scorable role.
    # Random answering only reaches values of the null distribution: look up.
    tables = [
        {v: _to_z(p) for v, p in zip(base[r].values, base[r].mid, strict=True)}
        for r in scorable
    ]
    # Each answer's points as (role position, half points), worked out once:
    # a respondent is then one random draw per question and a few integer
    # additions (the same draws, in the same order, as random_answers and
    # raw_scores would make; points are whole or half, so sums are exact).
    position = {role: i for i, role in enumerate(scorable)}
    plan = [
        (
            len(values),
            [
                [
                    (position[r], round(p * 2))
                    for r, p in q.points_for(v).items()
                    if r in position
                ]
                for v in values
            ],
        )
        for q in questions
        for values in (q.answer_values,)
    ]
    zero = [0] * len(scorable)
    # Identical rows (common in small questionnaires) are counted once.
    rows: dict[tuple[float, ...], int] = {}
    for _ in range(sample):
        halves = zero.copy()
        for count, per_answer in plan:
            for i, half in per_answer[int(rng.random() * count)]:
                halves[i] += half
        row = tuple(t[h] for t, h in zip(tables, halves, strict=True))
        rows[row] = rows.get(row, 0) + 1
    weighted = list(rows.items())
    offsets = [0.0] * len(scorable)
    fair = sample / len(scorable)
    indexes = range(len(scorable))
    best_offsets, best_gap, stale = offsets, math.inf, 0
    for step in range(rounds):
        counts = [0.0] * len(scorable)
        for row, weight in weighted:
            shifted = list(map(operator.add, row, offsets))
            top = max(shifted)
            first = shifted.index(top)
            shifted[first] = -math.inf
            if max(shifted) < top - 1e-9:  # one winner: the common case
                counts[first] += weight
                continue
            shifted[first] = top
            winners = [i for i in indexes if shifted[i] >= top - 1e-9]
            for i in winners:  # a tie is broken at random (see _tie_break)
                counts[i] += weight / len(winners)
        gap = max(abs(c - fair) for c in counts) / fair
        if gap < best_gap:
            best_offsets, best_gap, stale = offsets, gap, 0
        else:
            stale += 1
        if gap <= 0.02 or stale >= 8:
            break
        rate = 0.5 / (1 + step / 10)
        # Move towards the fair share on the log scale; a role never top still
        # moves up a fixed step.
        offsets = [
            o - rate * math.log(max(c, 0.5) / fair)
            for o, c in zip(offsets, counts, strict=True)
        ]
    offsets = best_offsets
    centre = sum(offsets) / len(offsets)
    return Norm(
        {
            role: base[role]._replace(offset=offsets[scorable.index(role)] - centre)
            if role in scorable
            else base[role]
            for role in roles
        }
    )


def match_percent(z: float) -> int:
    return round(_NORMAL.cdf(z) * 100)


# --- scoring one respondent ---------------------------------------------------------


class _Gain(NamedTuple):
    points: float
    position: int
    contribution: Contribution


def score(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    norm: Norm | None = None,
) -> list[RoleScore]:
    """Score and rank every role. ``answers`` maps question key to the option
    index (scenario) or the scale value -2..2 (agreement); every question must
    be answered. ``norm`` is the questionnaire's normalisation (built here when
    not given; callers cache it with the questionnaire)."""
    missing = [q.key for q in questions if q.key not in answers]
    if missing:
        raise AnswerError(f"Unanswered: {', '.join(missing)}.")
    for question in questions:
        _check_answer(question, answers[question.key])
    if norm is None:
        norm = build_norm(questions, roles)
    totals = dict.fromkeys(roles, 0.0)
    gains: dict[str, list[_Gain]] = {role: [] for role in roles}
    for position, question in enumerate(questions):
        answer = answers[question.key]
        text = question.answer_text(answer)
        for role, points in question.points_for(answer).items():
            if role not in totals:
                continue
            totals[role] += points
            if points > 0:
                gains[role].append(
                    _Gain(
                        points,
                        position,
                        Contribution(question.key, question.text, text, points),
                    )
                )
    rows = []
    for role in roles:
        top = sorted(gains[role], key=lambda g: (-g.points, g.position))[:WHY_LIMIT]
        z = norm.z(role, totals[role])
        rows.append((role, totals[role], z, tuple(g.contribution for g in top)))
    return rank(rows, tie_break=_tie_break(answers))


def _tie_break(answers: Mapping[str, int]) -> Callable[[str], int]:
    """Orders roles with equal z by a hash of the answers and the role: the
    same answers always give the same order, but over many respondents no
    role is listed first more often than another (ordering ties by name would
    favour early names)."""
    seed = ",".join(f"{k}={answers[k]}" for k in sorted(answers))
    return lambda role: zlib.crc32(f"{seed}|{role}".encode())


def rank(
    rows: Iterable[tuple[str, float, float, tuple[Contribution, ...]]],
    tie_break: Callable[[str], int] = lambda role: 0,
) -> list[RoleScore]:
    """Order by z, then the tie-break, then role key. Ranks follow the match
    the reader sees: equal matches share a rank (a tie)."""
    # z rounded once, for both order and match: equal z values computed by
    # different float paths must not straddle a rounding boundary of the match.
    rows = [(role, total, round(z, 9), why) for role, total, z, why in rows]
    ordered = sorted(rows, key=lambda r: (-r[2], tie_break(r[0]), r[0]))
    matches = [match_percent(z) for _, _, z, _ in ordered]
    counts: dict[int, int] = {}
    for m in matches:
        counts[m] = counts.get(m, 0) + 1
    result: list[RoleScore] = []
    current_rank = 0
    previous: int | None = None
    for position, ((role, total, z, why), match) in enumerate(
        zip(ordered, matches, strict=True), start=1
    ):
        if match != previous:
            current_rank, previous = position, match
        result.append(
            RoleScore(
                role, total, round(z, 4), match, current_rank, counts[match] > 1, why
            )
        )
    return result


def verdict(ranking: Sequence[RoleScore]) -> Verdict:
    """Name a winner only when the top match is strong and clearly ahead."""
    if not ranking or ranking[0].z < CLEAR_Z:
        return Verdict.NO_CLEAR_MATCH
    if len(ranking) > 1 and ranking[0].z - ranking[1].z < CLOSE_Z:
        return Verdict.BETWEEN
    return Verdict.CLEAR


def is_discriminating(question: QuestionSpec, roles: Sequence[str]) -> bool:
    """False when every answer gives every role the same points: the question
    cannot move one role above another."""
    if question.kind == SCENARIO:
        vectors = {tuple(o.points.get(r, 0) for r in roles) for o in question.options}
        return any(len(set(v)) > 1 for v in vectors)
    return len({question.weights.get(r, 0) for r in roles}) > 1


def separation(question: QuestionSpec, a: str, b: str) -> float:
    """How much a question can tell role ``a`` from role ``b``: the mean, over
    its answers, of the absolute difference in the points they give each."""
    values = question.answer_values
    total = 0.0
    for answer in values:
        points = question.points_for(answer)
        total += abs(points.get(a, 0.0) - points.get(b, 0.0))
    return total / len(values)


# --- reachability (the health panel) -------------------------------------------------


def margin(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    role: str,
    norm: Norm,
) -> float:
    """How far ``role``'s z lies above the best other role's."""
    totals = raw_scores(questions, answers, roles)
    others = [norm.z(r, totals[r]) for r in roles if r != role]
    return norm.z(role, totals[role]) - max(others, default=-_Z_LIMIT)


def find_top_answers(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    role: str,
    *,
    norm: Norm | None = None,
    rounds: int = 4,
) -> tuple[dict[str, int], float]:
    """Search for an answer set that makes ``role`` the top result: start from
    the answers that favour it most, then improve one question at a time
    (coordinate ascent) on its lead. Returns the answers and the lead in z; a
    positive lead proves reachability."""
    if norm is None:
        norm = build_norm(questions, roles)
    answers: dict[str, int] = {}
    for question in questions:
        answers[question.key] = max(
            question.answer_values,
            key=lambda a: (
                contribution(question, a, role) * len(roles)
                - sum(question.points_for(a).values())
            ),
        )
    best_margin = margin(questions, answers, roles, role, norm)
    for _ in range(rounds):
        improved = False
        for question in questions:
            for candidate in question.answer_values:
                if candidate == answers[question.key]:
                    continue
                trial = {**answers, question.key: candidate}
                value = margin(questions, trial, roles, role, norm)
                if value > best_margin + 1e-9:
                    answers, best_margin, improved = trial, value, True
        if not improved:
            break
    return answers, best_margin
