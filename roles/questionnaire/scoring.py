"""Questionnaire scoring: plain data in, plain data out. No ORM, no request.

The model
---------
* **Points.** A *scenario* question: the chosen option gives each role the
  points the editors set for it (0 to 5; a role not named gets 0). An
  *agreement* statement: the answer ``s`` is -2 (strongly disagree) … +2
  (strongly agree) and each role gets ``weight * s / 2``. A role's *raw
  score* is the sum over the questions.
* **How likely each answer is for a person in a role.** The points become
  probabilities with a softmax: ``P(a | r) = exp(β_r · points_r(a)) /
  Σ_a' exp(β_r · points_r(a'))``. A role a question does not name chooses
  its answers with equal probability. Answers are taken as independent given
  the role, so the log-likelihood of all the answers is
  ``β_r · raw_r − log Z_r`` where ``log Z_r`` (:func:`log_partition`) does not
  depend on the answers.
* **Posterior.** With a uniform prior over roles, ``P(r | answers)`` is the
  softmax of those log-likelihoods over the roles (:meth:`Model.posterior`).
  This is what readers see, as a percentage that never rounds up to
  certainty ("over 99 %", "under 1 %") and gains a decimal where unequal
  neighbours would read the same: two roles are shown tied only when their
  posteriors are equal.
* **Fitting** (:func:`build_model`, seeded and deterministic). ``β`` is the
  temperature that minimises the log loss of the true role over simulated
  respondents of every role (:func:`simulated_answers`: the role's best
  answer 45 % of the time, another answer that gives it points 20 %, at
  random 35 % — not the model's own softmax, so the fit is a real test of
  calibration). Each role then gets a factor on ``β`` so that random
  answering makes every role the most likely one equally often, whatever
  the number of questions that name it.
* **Verdict** (:func:`verdict`). "Clear match: X" when X's posterior reaches
  the fitted threshold: the lowest at which random answering is told
  "clear" at most 10 % of the time and a simulated respondent told "clear: X"
  is of role X at least 90 % of the time, for every role. Otherwise "between
  A and B" when the top two hold at least 80 % of the posterior together
  and the second at least 15 %, else "no clear match".
* **What would settle it** (:func:`separators`): the questions whose
  expected answers differ most between two roles (symmetric
  Kullback-Leibler divergence of ``P(a | A)`` and ``P(a | B)``).
* **Why**: for each role, the answers that added most to its raw score
  (largest first, ties by question order), at most three.
"""

from __future__ import annotations

import enum
import math
import random
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
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

#: The clear-match threshold before fitting (the fitted one is Model.clear).
CLEAR_DEFAULT = 0.9
#: Targets the fitted threshold meets on the fitting sample.
CLEAR_RANDOM_RATE = 0.07  # random answering told "clear" (the audit allows 10 %)
CLEAR_PRECISION = 0.92  # "clear: X" right for simulated X (the audit needs 90 %)
#: "Between A and B" when the top two hold this much of the posterior ...
BETWEEN_MASS = 0.8
#: ... and the second holds at least this much of it.
BETWEEN_SECOND = 0.15
#: Simulated respondents: best answer, another answer with points, else random.
SIM_BEST = 0.45
SIM_SECOND = 0.2
FIT_PER_ROLE = 100
FIT_RANDOM = 16000
FIT_SEED = 20261204
FIT_ROUNDS = 40
#: Work limits for large catalogues: simulated respondents × roles at most
#: (the 16-role questionnaire gets the full samples above).
FIT_SIM_BUDGET = 2000
FIT_RANDOM_BUDGET = 256_000
_PHI = (1 + math.sqrt(5)) / 2


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

    @cached_property
    def answer_values(self) -> tuple[int, ...]:
        """Every possible answer: option indexes, or the scale values (computed
        once: the model fit draws about a million answers)."""
        if self.kind == SCENARIO:
            return tuple(range(len(self.options)))
        return tuple(SCALE)

    def roles(self) -> set[str]:
        """The roles this question can give points to."""
        if self.kind == SCENARIO:
            return {r for o in self.options for r, p in o.points.items() if p}
        return {r for r, w in self.weights.items() if w}

    @cached_property
    def role_set(self) -> frozenset[str]:
        """roles(), computed once: the model fit asks "does this question name
        this role?" about a million times at the 200-role size."""
        return frozenset(self.roles())

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
    probability: float  # posterior P(role | answers)
    match: int  # the posterior in whole percent (bar length)
    label: str  # the posterior as readers see it ("37 %", "over 99 %")
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


def scores_something(question: QuestionSpec) -> bool:
    """Whether some answer moves some role's points: a question that moves
    none cannot change anyone's result (the admin and import refuse to
    publish it)."""
    return any(moves(question, role) for role in question.role_set)


def moves(question: QuestionSpec, role: str) -> bool:
    """Whether the answer to the question changes the role's points (a
    question that gives a role the same points whatever the answer says
    nothing about it)."""
    if role not in question.role_set:
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


# --- the model ----------------------------------------------------------------------


def _log_sum_exp(values: Iterable[float]) -> float:
    values = list(values)
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def log_partition(questions: Sequence[QuestionSpec], role: str, beta: float) -> float:
    """``Σ_q log Σ_a exp(β · points_r(a))``: what turns a role's raw score into
    a log-likelihood (it does not depend on the answers)."""
    total = 0.0
    for question in questions:
        if role not in question.role_set:
            total += math.log(len(question.answer_values))
            continue
        total += _log_sum_exp(
            beta * question.points_for(a).get(role, 0.0) for a in question.answer_values
        )
    return total


@dataclass(frozen=True)
class Model:
    """The fitted model of one questionnaire: the temperature of each role and
    the log partition that goes with it, and the verdict's threshold."""

    roles: tuple[str, ...]
    beta: Mapping[str, float]
    log_z: Mapping[str, float]
    clear: float = CLEAR_DEFAULT

    def log_likelihoods(self, totals: Mapping[str, float]) -> dict[str, float]:
        return {r: self.beta[r] * totals[r] - self.log_z[r] for r in self.roles}

    def posterior(self, totals: Mapping[str, float]) -> dict[str, float]:
        """P(role | answers) under a uniform prior."""
        logs = self.log_likelihoods(totals)
        if not logs:
            return {}
        norm = _log_sum_exp(logs.values())
        if norm == -math.inf:
            return dict.fromkeys(logs, 0.0)
        return {r: math.exp(v - norm) for r, v in logs.items()}

    def for_questions(self, questions: Sequence[QuestionSpec]) -> Model:
        """The same temperatures and threshold over a subset of the questions
        (an adaptive respondent's): the log partition covers only those."""
        return Model(
            self.roles,
            self.beta,
            {
                # A role the subset does not move answers it at chance; a
                # role no question of the whole questionnaire moves stays out.
                r: log_partition(questions, r, self.beta[r])
                if math.isfinite(self.log_z[r])
                else math.inf
                for r in self.roles
            },
            self.clear,
        )

    def answer_probabilities(self, question: QuestionSpec, role: str) -> list[float]:
        """P(answer | role) for each of the question's answers, in order."""
        beta = self.beta.get(role, 0.0)
        logs = [
            beta * question.points_for(a).get(role, 0.0) for a in question.answer_values
        ]
        norm = _log_sum_exp(logs)
        return [math.exp(v - norm) for v in logs]


def _model(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    beta: Mapping[str, float],
    clear: float = CLEAR_DEFAULT,
) -> Model:
    # A role no question can move is left out: its likelihood is 0, so it is
    # never a match (its log partition is infinite).
    return Model(
        tuple(roles),
        dict(beta),
        {
            r: log_partition(questions, r, beta[r])
            if any(moves(q, r) for q in questions)
            else math.inf
            for r in roles
        },
        clear,
    )


def random_answers(
    questions: Sequence[QuestionSpec], rng: random.Random
) -> dict[str, int]:
    answers = {}
    for q in questions:
        values = q.answer_values
        answers[q.key] = values[int(rng.random() * len(values))]
    return answers


def ideal_answers(questions: Sequence[QuestionSpec], role: str) -> dict[str, int]:
    """How an ideal respondent of ``role`` answers: the answer that gives the
    role most points; among equals, the one that gives the other roles least;
    then the first."""
    answers = {}
    for q in questions:
        answers[q.key] = max(
            q.answer_values,
            key=lambda a: (
                q.points_for(a).get(role, 0.0),
                -sum(p for r, p in q.points_for(a).items() if r != role),
                -q.answer_values.index(a),
            ),
        )
    return answers


def simulated_answers(
    questions: Sequence[QuestionSpec], role: str, rng: random.Random
) -> dict[str, int]:
    """A simulated respondent of ``role`` (deliberately not the model's own
    softmax): each question is answered with the role's best answer with
    probability SIM_BEST, with another answer that gives the role points with
    probability SIM_SECOND, and at random otherwise."""
    answers = {}
    for q in questions:
        values = q.answer_values
        points = [q.points_for(a).get(role, 0.0) for a in values]
        top = max(points)
        best = [a for a, p in zip(values, points, strict=True) if p == top and p > 0]
        second = [a for a, p in zip(values, points, strict=True) if 0 < p < top]
        draw = rng.random()
        if best and draw < SIM_BEST:
            answers[q.key] = best[int(rng.random() * len(best))]
        elif best and draw < SIM_BEST + SIM_SECOND:
            pool = second or best
            answers[q.key] = pool[int(rng.random() * len(pool))]
        else:
            answers[q.key] = values[int(rng.random() * len(values))]
    return answers


# The fit draws some twenty thousand respondents: these build each one's raw
# scores straight from tables made once per fit, with exactly the random draws
# and the additions (same order) of ``raw_scores(questions, random_answers(...))``
# and ``raw_scores(questions, simulated_answers(...))``, so the fit is the same
# to the last bit (tests/test_scoring_fit_pinned.py) in a fraction of the time.


class _Drawn(NamedTuple):
    """One question as the fit draws answers to it: how many answers it has,
    and the points each of them gives the roles scored (in answer order)."""

    size: int
    rows: tuple[tuple[tuple[str, float], ...], ...]


def _draw_table(
    questions: Sequence[QuestionSpec], roles: Sequence[str]
) -> list[_Drawn]:
    scored = set(roles)
    return [
        _Drawn(
            len(q.answer_values),
            tuple(
                tuple((r, p) for r, p in q.points_for(a).items() if r in scored)
                for a in q.answer_values
            ),
        )
        for q in questions
    ]


def _random_totals(
    table: Sequence[_Drawn], roles: Sequence[str], rng: random.Random
) -> dict[str, float]:
    """``raw_scores(questions, random_answers(questions, rng), roles)``."""
    totals = dict.fromkeys(roles, 0.0)
    draw = rng.random
    for size, rows in table:
        for role, points in rows[int(draw() * size)]:
            totals[role] += points
    return totals


#: Per question, for one role: the positions of its best answers and of the
#: answers a simulated respondent falls back on.
_Plan = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _simulated_plan(questions: Sequence[QuestionSpec], role: str) -> _Plan:
    plan = []
    for q in questions:
        points = [q.points_for(a).get(role, 0.0) for a in q.answer_values]
        top = max(points)
        best = tuple(i for i, p in enumerate(points) if p == top and p > 0)
        second = tuple(i for i, p in enumerate(points) if 0 < p < top)
        plan.append((best, second or best))
    return plan


def _simulated_totals(
    table: Sequence[_Drawn], plan: _Plan, roles: Sequence[str], rng: random.Random
) -> dict[str, float]:
    """``raw_scores(questions, simulated_answers(questions, role, rng), roles)``
    for the role ``plan`` was made for."""
    totals = dict.fromkeys(roles, 0.0)
    for (size, rows), (best, pool) in zip(table, plan, strict=True):
        draw = rng.random()
        if best and draw < SIM_BEST:
            index = best[int(rng.random() * len(best))]
        elif best and draw < SIM_BEST + SIM_SECOND:
            index = pool[int(rng.random() * len(pool))]
        else:
            index = int(rng.random() * size)
        for role, points in rows[index]:
            totals[role] += points
    return totals


def _partition_plan(
    questions: Sequence[QuestionSpec], role: str
) -> list[float | tuple[float, ...]]:
    """What :func:`log_partition` adds up for the role, question by question:
    the points of each answer, or the constant of a question that does not
    name the role."""
    return [
        tuple(q.points_for(a).get(role, 0.0) for a in q.answer_values)
        if role in q.role_set
        else math.log(len(q.answer_values))
        for q in questions
    ]


def _planned_partition(plan: Sequence[float | tuple[float, ...]], beta: float) -> float:
    """``log_partition(questions, role, beta)``: the same sums, in the same
    order, over :func:`_partition_plan`."""
    total = 0.0
    for entry in plan:
        if isinstance(entry, float):
            total += entry
        else:
            total += _log_sum_exp([beta * p for p in entry])
    return total


def _top_counts(model: Model, rows: Sequence[Sequence[float]]) -> dict[str, float]:
    """How often each role is the most likely, over respondents' raw scores
    given as rows in the order of ``model.roles``; a tie counts a share to
    each (breaking it by name would favour one of two symmetric roles)."""
    roles = model.roles
    counts = dict.fromkeys(roles, 0.0)
    # model.log_likelihoods(t), the same arithmetic, over columns read once.
    beta = [model.beta[r] for r in roles]
    log_z = [model.log_z[r] for r in roles]
    for row in rows:
        logs = [b * x - z for b, x, z in zip(beta, row, log_z, strict=True)]
        top = max(logs)
        winners = [r for r, v in zip(roles, logs, strict=True) if v >= top - 1e-9]
        for r in winners:
            counts[r] += 1 / len(winners)
    return counts


def build_model(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    *,
    per_role: int = FIT_PER_ROLE,
    random_sample: int = FIT_RANDOM,
    seed: int = FIT_SEED,
) -> Model:
    """Fit the model to simulated respondents (seeded, so deterministic):

    1. one temperature β for all roles, minimising the log loss of the true
       role over ``per_role`` simulated respondents of each role;
    2. a factor per role on β so that random answering makes every role the
       most likely one about equally often (a role named in many questions
       would otherwise win random answers more often);
    3. the "clear match" threshold: the lowest posterior at which random
       answering is told "clear" at most CLEAR_RANDOM_RATE of the time and a
       simulated respondent told "clear: X" is of role X at least
       CLEAR_PRECISION of the time, for every role."""
    scorable = [r for r in roles if any(moves(q, r) for q in questions)]
    if not scorable:
        return _model(questions, roles, dict.fromkeys(roles, 0.0))
    per_role = min(per_role, max(10, FIT_SIM_BUDGET // len(scorable)))
    random_sample = min(random_sample, max(1000, FIT_RANDOM_BUDGET // len(roles)))
    rng = random.Random(seed)
    table = _draw_table(questions, roles)
    sims: list[tuple[str, dict[str, float]]] = []
    for role in scorable:
        plan = _simulated_plan(questions, role)
        sims.extend(
            (role, _simulated_totals(table, plan, roles, rng)) for _ in range(per_role)
        )
    randoms = [_random_totals(table, roles, rng) for _ in range(random_sample)]
    plans = {r: _partition_plan(questions, r) for r in scorable}

    def fit_model(betas: Mapping[str, float], clear: float = CLEAR_DEFAULT) -> Model:
        """``_model(questions, roles, betas, clear)`` from the plans."""
        return Model(
            tuple(roles),
            dict(betas),
            {
                r: _planned_partition(plans[r], betas[r]) if r in plans else math.inf
                for r in roles
            },
            clear,
        )

    # Raw scores as rows in the roles' order, for the sums below.
    position = {r: i for i, r in enumerate(roles)}
    sim_rows = [(position[role], [t[r] for r in roles]) for role, t in sims]
    random_rows = [[t[r] for r in roles] for t in randoms]

    def loss(beta: float) -> float:
        m = fit_model(dict.fromkeys(roles, beta))
        # m.log_likelihoods(t), the same arithmetic, in the roles' order.
        log_z = [m.log_z[r] for r in roles]
        total = 0.0
        for i, row in sim_rows:
            logs = [beta * x - z for x, z in zip(row, log_z, strict=True)]
            total -= logs[i] - _log_sum_exp(logs)
        return total

    lo, hi = 0.02, 3.0
    a, b = hi - (hi - lo) / _PHI, lo + (hi - lo) / _PHI
    loss_a, loss_b = loss(a), loss(b)
    for _ in range(18):  # golden-section search; the loss is smooth in β
        if loss_a <= loss_b:
            hi, b, loss_b = b, a, loss_a
            a = hi - (hi - lo) / _PHI
            loss_a = loss(a)
        else:
            lo, a, loss_a = a, b, loss_b
            b = lo + (hi - lo) / _PHI
            loss_b = loss(b)
    beta = round((lo + hi) / 2, 3)
    factors = dict.fromkeys(roles, 1.0)
    fair = len(randoms) / len(scorable)
    best_factors, best_gap = dict(factors), math.inf
    for step in range(FIT_ROUNDS):
        m = fit_model({r: beta * factors[r] for r in roles})
        counts = _top_counts(m, random_rows)
        gap = max(abs(counts[r] - fair) for r in scorable) / fair
        if gap < best_gap:
            best_factors, best_gap = dict(factors), gap
        if gap <= 0.03:
            break
        # A sharper β lowers a role's likelihood for answers near chance, so
        # a role that wins random answers too often gets a larger factor.
        rate = 0.3 / (1 + step / 10)
        for r in scorable:
            factors[r] *= math.exp(rate * math.log(max(counts[r], 0.5) / fair))
    betas = {r: round(beta * best_factors[r], 4) for r in roles}
    fitted = fit_model(betas)
    return fit_model(betas, _fit_clear(fitted, sims, randoms))


def _fit_clear(
    model: Model,
    sims: Sequence[tuple[str, Mapping[str, float]]],
    randoms: Sequence[Mapping[str, float]],
) -> float:
    random_tops = sorted(max(model.posterior(t).values()) for t in randoms)
    said = [(role, model.posterior(t)) for role, t in sims]
    for step in range(50, 100):
        threshold = step / 100
        clear_rate = sum(1 for p in random_tops if p >= threshold) / len(random_tops)
        if clear_rate > CLEAR_RANDOM_RATE:
            continue
        if all(
            _precision(said, role, threshold) >= CLEAR_PRECISION for role in model.roles
        ):
            return threshold
    return 0.99


def _precision(
    said: Sequence[tuple[str, Mapping[str, float]]], role: str, threshold: float
) -> float:
    told = [truth for truth, p in said if p[role] >= threshold]
    return sum(1 for t in told if t == role) / len(told) if told else 1.0


# --- scoring one respondent ---------------------------------------------------------


def score(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    model: Model | None = None,
) -> list[RoleScore]:
    """Score and rank every role. ``answers`` maps question key to the option
    index (scenario) or the scale value -2..2 (agreement); every question must
    be answered. ``model`` is the questionnaire's fitted model (built here
    when not given; callers cache it with the questionnaire)."""
    missing = [q.key for q in questions if q.key not in answers]
    if missing:
        raise AnswerError(f"Unanswered: {', '.join(missing)}.")
    for question in questions:
        _check_answer(question, answers[question.key])
    if model is None:
        model = build_model(questions, roles)
    totals = dict.fromkeys(roles, 0.0)
    # Per role, each answer that gave it points, as (-points, position): the
    # largest first and, among equals, the earlier question. Only the top
    # WHY_LIMIT become Contributions (a 200-role questionnaire has thousands).
    gains: dict[str, list[tuple[float, int]]] = {role: [] for role in roles}
    for position, question in enumerate(questions):
        for role, points in question.points_for(answers[question.key]).items():
            if role not in totals:
                continue
            totals[role] += points
            if points > 0:
                gains[role].append((-points, position))
    posterior = model.posterior(totals)
    rows = []
    for role in roles:
        why = []
        for negative, position in sorted(gains[role])[:WHY_LIMIT]:
            question = questions[position]
            answer_text = question.answer_text(answers[question.key])
            why.append(
                Contribution(question.key, question.text, answer_text, -negative)
            )
        rows.append((role, totals[role], posterior[role], tuple(why)))
    return rank(rows, tie_break=tie_break(answers))


def tie_break(answers: Mapping[str, int]) -> Callable[[str], int]:
    """Orders roles with equal evidence by a hash of the answers and the role:
    the same answers always give the same order, but over many respondents no
    role is listed first more often than another."""
    seed = ",".join(f"{k}={answers[k]}" for k in sorted(answers))
    return lambda role: zlib.crc32(f"{seed}|{role}".encode())


# A no-break space before the sign: "84 %" never breaks across two lines.
# (Results stored before it keep their plain space: they display as they were.)
PERCENT = "\u00a0%"


def percent_label(probability: float, decimals: int = 0) -> str:
    """A probability as readers see it, never rounded up to a certainty:
    "over 99 %" and "under 1 %" at the ends, whole percentages between
    (``decimals`` more where two neighbours would otherwise look equal)."""
    if probability > 0.99:
        return f"over 99{PERCENT}"
    if probability < 0.01:
        return f"under 1{PERCENT}"
    value = round(probability * 100, decimals)
    value = min(max(value, 1), 99)
    return f"{value:.{decimals}f}{PERCENT}"


def rank(
    rows: Iterable[tuple[str, float, float, tuple[Contribution, ...]]],
    tie_break: Callable[[str], int] = lambda role: 0,
) -> list[RoleScore]:
    """Order by posterior, then the tie-break, then role key. Two roles share a
    rank (a tie) only when their posteriors are equal; labels get a decimal
    more where unequal neighbours would otherwise read the same."""
    rows = [(role, total, round(p, 12), why) for role, total, p, why in rows]
    ordered = sorted(rows, key=lambda r: (-r[2], tie_break(r[0]), r[0]))
    counts = Counter(p for _, _, p, _ in ordered)
    labels = []
    for i, (_, _, p, _) in enumerate(ordered):
        neighbours = [ordered[j][2] for j in (i - 1, i + 1) if 0 <= j < len(ordered)]
        decimals = 0
        while decimals < 2 and any(
            q != p and percent_label(q, decimals) == percent_label(p, decimals)
            for q in neighbours
        ):
            decimals += 1
        labels.append(percent_label(p, decimals))
    result: list[RoleScore] = []
    current_rank = 0
    previous: float | None = None
    for position, ((role, total, p, why), label) in enumerate(
        zip(ordered, labels, strict=True), start=1
    ):
        if p != previous:
            current_rank, previous = position, p
        result.append(
            RoleScore(
                role,
                total,
                p,
                round(p * 100),
                label,
                current_rank,
                counts[p] > 1,
                why,
            )
        )
    return result


def verdict(ranking: Sequence[RoleScore], clear: float = CLEAR_DEFAULT) -> Verdict:
    """ "Clear" when the top role's posterior reaches ``clear`` (the model's
    fitted threshold); "between" when the top two together hold at least
    BETWEEN_MASS and the second at least BETWEEN_SECOND; otherwise no clear
    match."""
    if not ranking:
        return Verdict.NO_CLEAR_MATCH
    if ranking[0].probability >= clear:
        return Verdict.CLEAR
    if (
        len(ranking) > 1
        and ranking[1].probability >= BETWEEN_SECOND
        and ranking[0].probability + ranking[1].probability >= BETWEEN_MASS
    ):
        return Verdict.BETWEEN
    return Verdict.NO_CLEAR_MATCH


def confidence_words(verdict: Verdict, probability: float) -> str:
    """How sure the result is, in plain words that follow "we are". The verdict
    decides and the top role's probability only grades it: the clear-match
    threshold is fitted per questionnaire, so a probability alone can say
    "fairly sure" under a "no clear match" (84 % short of a 93 % threshold) or
    "unsure" under a clear match."""
    if verdict == Verdict.CLEAR:
        return "very sure" if probability >= 0.95 else "fairly sure"
    if verdict == Verdict.BETWEEN:
        return "not sure which of the two it is"
    if probability >= 0.5:
        return "not sure enough to name it"
    return "not sure at all"


def is_discriminating(question: QuestionSpec, roles: Sequence[str]) -> bool:
    """False when every answer gives every role the same points: the question
    cannot move one role above another."""
    if question.kind == SCENARIO:
        vectors = {tuple(o.points.get(r, 0) for r in roles) for o in question.options}
        return any(len(set(v)) > 1 for v in vectors)
    return len({question.weights.get(r, 0) for r in roles}) > 1


def separation(
    question: QuestionSpec, a: str, b: str, model: Model | None = None
) -> float:
    """How well a question tells role ``a`` from role ``b``. With a model: the
    symmetric Kullback-Leibler divergence (in nats) between the answers the
    two roles are expected to give; without one, the mean over its answers of
    the absolute difference in the points they give each."""
    if model is not None:
        pa = model.answer_probabilities(question, a)
        pb = model.answer_probabilities(question, b)
        return sum((x - y) * math.log(x / y) for x, y in zip(pa, pb, strict=True))
    values = question.answer_values
    total = 0.0
    for answer in values:
        points = question.points_for(answer)
        total += abs(points.get(a, 0.0) - points.get(b, 0.0))
    return total / len(values)


def separators(
    questions: Sequence[QuestionSpec], model: Model, a: str, b: str, count: int = 2
) -> list[QuestionSpec]:
    """The ``count`` questions that best tell ``a`` from ``b`` (in question
    order among equals)."""
    scored = [(separation(q, a, b, model), i, q) for i, q in enumerate(questions)]
    scored = [s for s in scored if s[0] > 1e-9]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [q for _, _, q in scored[:count]]


# --- reachability (the health panel) -------------------------------------------------


def margin(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    role: str,
    model: Model,
) -> float:
    """How far ``role``'s log-likelihood lies above the best other role's."""
    logs = model.log_likelihoods(raw_scores(questions, answers, roles))
    others = [v for r, v in logs.items() if r != role]
    return logs[role] - max(others, default=-math.inf)


def find_top_answers(
    questions: Sequence[QuestionSpec],
    roles: Sequence[str],
    role: str,
    *,
    model: Model | None = None,
    rounds: int = 4,
) -> tuple[dict[str, int], float]:
    """Search for an answer set that makes ``role`` the top result: start from
    the ideal respondent's answers, then improve one question at a time
    (coordinate ascent) on its lead. Returns the answers and the lead in
    log-likelihood; a positive lead proves reachability."""
    if model is None:
        model = build_model(questions, roles)
    answers = ideal_answers(questions, role)
    best_margin = margin(questions, answers, roles, role, model)
    for _ in range(rounds):
        improved = False
        for question in questions:
            for candidate in question.answer_values:
                if candidate == answers[question.key]:
                    continue
                trial = {**answers, question.key: candidate}
                value = margin(questions, trial, roles, role, model)
                if value > best_margin + 1e-9:
                    answers, best_margin, improved = trial, value, True
        if not improved:
            break
    return answers, best_margin
