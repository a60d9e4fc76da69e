"""Adaptive questioning: which question to ask next, and when the answer is
settled. Pure: plain data in, plain data out; no ORM, no request.

How it works
------------
The scoring model (:mod:`roles.questionnaire.scoring`) says how likely a
person in each role is to give each answer, ``P(a | r)``, and answers are
independent given the role. So after any subset of the questions the
posterior over roles is the product of the answered questions' likelihoods
under a uniform prior — exactly the full questionnaire's posterior when every
question has been answered.

* **Next question**: the unanswered question with the largest *expected
  information gain* — how much, on average over the answers the current
  posterior expects, the entropy of the posterior would fall. Early on that
  favours questions that split the whole field; later, ones that separate the
  two or three roles still in contention. Ties go to questionnaire order, so
  the same answers always lead to the same questions.
* **Stop** when, after at least :data:`MIN_QUESTIONS`, the leading role's
  posterior reaches :data:`SETTLE`, or the model's clear-match threshold
  where that is higher (a stop is the flow saying "settled", so it is a
  clear match) — or when no unasked question could still
  change the picture (the best expected gain is below :data:`MIN_GAIN`
  while the leader is below :data:`SETTLE`: nearer certainty every question
  tells little, and the flow asks on towards a clear match), or
  after :data:`MAX_QUESTIONS`. A respondent can always answer more, up to the
  full questionnaire; the result is scored from the answers given.
* **Agreement** (:func:`agreement`): the share of respondents whose adaptive
  result names the same leading role as the full questionnaire's would.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from roles.questionnaire import scoring

#: Questions always asked before the flow may stop.
MIN_QUESTIONS = 8
#: The flow stops when the leading role's posterior reaches this, or the
#: model's fitted clear-match threshold if higher (Adaptive.settle).
SETTLE = 0.97
#: ... or when no remaining question is expected to tell more than this (nats).
MIN_GAIN = 0.01
#: ... and asks at most this many questions unless the respondent asks for more.
#: (22 since the full set grew to 51: with 20, simulated respondents' adaptive
#: result matched the full questionnaire's for 94.9 % on average over eight
#: seeds, under the 95 % target; with 22, 96.2 %, in 12.9 questions on average.
#: 24 since it grew to 67: with 22, 96.6 % on average over eight seeds but 95.0 %
#: at the audit's; with 24, 97.2 % (95.8 % at the audit's seed, the lowest), in
#: 12.6 questions on average. After the blind points review of 6 December:
#: 96.9 % over eight seeds, 95.0 % at the audit's, the lowest, in 12.7.
#: Settling at the clear threshold (98 %) since 7 December: 95.0 % at the
#: audit's seed, in 13.5 questions on average.)
MAX_QUESTIONS = 24


def _log_sum_exp(values: Sequence[float]) -> float:
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def _entropy(p: Sequence[float]) -> float:
    return -sum(x * math.log(x) for x in p if x > 0)


class _Matrices(NamedTuple):
    #: P(answer | role): a row per answer of every question, a column per role.
    probs: NDArray[np.float64]
    #: Each role's entropy over a question's answers: a row per question.
    spread: NDArray[np.float64]
    #: The question (its position) of each row of ``probs``.
    owner: NDArray[np.intp]
    #: Question key -> its row in ``spread`` (its questionnaire position).
    row_of: dict[str, int]


@dataclass(frozen=True)
class Adaptive:
    """The questionnaire's questions with ``log P(answer | role)`` precomputed
    per question, built once per questionnaire version and cached with it."""

    roles: tuple[str, ...]
    questions: tuple[scoring.QuestionSpec, ...]
    #: question key → role → log P(answer | role), in the question's answer order
    log_probs: Mapping[str, Mapping[str, tuple[float, ...]]]
    #: The leading posterior at which the flow stops (:data:`SETTLE` or the
    #: model's clear threshold, the higher; flows cached without it: SETTLE).
    settle: float = SETTLE

    @classmethod
    def build(
        cls, questions: Sequence[scoring.QuestionSpec], model: scoring.Model
    ) -> Adaptive:
        roles = tuple(r for r in model.roles if math.isfinite(model.log_z[r]))
        table: dict[str, dict[str, tuple[float, ...]]] = {}
        for q in questions:
            table[q.key] = {
                r: tuple(math.log(p) for p in model.answer_probabilities(q, r))
                for r in roles
            }
        return cls(roles, tuple(questions), table, max(SETTLE, model.clear))

    def question(self, key: str) -> scoring.QuestionSpec | None:
        return next((q for q in self.questions if q.key == key), None)

    def log_likelihoods(self, answers: Mapping[str, int]) -> dict[str, float]:
        """``log P(answers | role)`` over the answered questions."""
        totals = dict.fromkeys(self.roles, 0.0)
        for q in self.questions:
            if q.key not in answers:
                continue
            index = q.answer_values.index(answers[q.key])
            for r, logs in self.log_probs[q.key].items():
                totals[r] += logs[index]
        return totals

    def posterior(self, answers: Mapping[str, int]) -> dict[str, float]:
        logs = self.log_likelihoods(answers)
        if not logs:
            return {}
        norm = _log_sum_exp(list(logs.values()))
        return {r: math.exp(v - norm) for r, v in logs.items()}

    def __getstate__(self) -> dict[str, object]:
        # Pickled into the shared cache without the derived matrices: each
        # process rebuilds them on first use, in milliseconds.
        return {k: v for k, v in self.__dict__.items() if k != "_matrices"}

    @cached_property
    def _matrices(self) -> _Matrices:
        """:attr:`log_probs` as arrays, in questionnaire order: ``P(answer |
        role)`` with one row per answer of every question and one column per
        role, and each role's entropy over each question's answers. Derived
        on first use (not a field, so instances cached before it existed
        still load)."""
        rows: list[list[float]] = []
        spreads: list[list[float]] = []
        owner: list[int] = []
        for n, q in enumerate(self.questions):
            per_role = [
                [math.exp(v) for v in self.log_probs[q.key][r]] for r in self.roles
            ]
            owner.extend([n] * len(q.answer_values))
            rows.extend(
                [probs[i] for probs in per_role] for i in range(len(q.answer_values))
            )
            spreads.append([_entropy(probs) for probs in per_role])
        width = len(self.roles)
        return _Matrices(
            np.array(rows, dtype=np.float64).reshape(len(rows), width),
            np.array(spreads, dtype=np.float64).reshape(len(spreads), width),
            np.array(owner, dtype=np.intp),
            {q.key: i for i, q in enumerate(self.questions)},
        )

    def gains(self, posterior: Mapping[str, float]) -> list[float]:
        """Every question's expected gain (:meth:`gain`), in questionnaire
        order, in one pass: two matrix products over all questions at once.
        Weighed one question at a time in Python, a catalogue of two hundred
        roles took half a minute to simulate its typical length; this asks
        exactly the same questions (tests/test_adaptive.py)."""
        m = self._matrices
        if not self.questions:
            return []
        weights = np.array([posterior[r] for r in self.roles], dtype=np.float64)
        mass = m.probs @ weights
        positive = mass > 0
        terms = np.where(positive, mass * np.log(np.where(positive, mass, 1.0)), 0.0)
        # Summed per question (a question without answers sums to nothing).
        expected = -np.bincount(m.owner, terms, minlength=len(self.questions))
        return [float(g) for g in expected - m.spread @ weights]

    def gain(
        self, question: scoring.QuestionSpec, posterior: Mapping[str, float]
    ) -> float:
        """Expected fall in the posterior's entropy from asking ``question``:
        the mutual information between the answer and the role, computed as
        the entropy of the answer the posterior expects, ``H(Σ_r p_r P(a|r))``,
        less the entropy each role's own answer has, ``Σ_r p_r H(P(·|r))``
        (equal to the entropy before less the expected entropy after, in one
        pass over the roles and no logarithm per role)."""
        return self.gains(posterior)[self._matrices.row_of[question.key]]

    def next_question(
        self, answers: Mapping[str, int], *, more: bool = False
    ) -> scoring.QuestionSpec | None:
        """The most informative unanswered question, or None when the result
        is settled (``more`` asks past the stopping rule, up to every
        question)."""
        remaining = [q for q in self.questions if q.key not in answers]
        if not remaining:
            return None
        posterior = self.posterior(answers)
        if not more and self._settled(len(answers), posterior):
            return None
        best, best_gain = remaining[0], -math.inf
        gains, index = self.gains(posterior), self._matrices.row_of
        for q in remaining:
            g = gains[index[q.key]]
            if g > best_gain + 1e-12:
                best, best_gain = q, g
        if (
            not more
            and len(answers) >= MIN_QUESTIONS
            and best_gain < MIN_GAIN
            and max(posterior.values(), default=0) < SETTLE
        ):
            # Little left to tell while unsure. Near certainty (SETTLE up to
            # the clear threshold) each question tells little by nature: ask
            # on, so that the flow stops short of the cap only at a clear match.
            return None
        return best

    def settled(self, answers: Mapping[str, int]) -> bool:
        return self._settled(len(answers), self.posterior(answers)) or (
            self.next_question(answers) is None
        )

    def _settled(self, asked: int, posterior: Mapping[str, float]) -> bool:
        if asked >= MAX_QUESTIONS:
            return True
        top = max(posterior.values(), default=0)
        return asked >= MIN_QUESTIONS and top >= self.settle

    def run(self, respond: Callable[[scoring.QuestionSpec], int]) -> dict[str, int]:
        """Ask until settled; ``respond`` answers each question asked."""
        answers: dict[str, int] = {}
        while (q := self.next_question(answers)) is not None:
            answers[q.key] = respond(q)
        return answers

    def run_known(self, answers: Mapping[str, int]) -> dict[str, int]:
        """``run`` for a respondent whose every answer is known: what the
        flow would have asked them, with their answers."""
        return self.run(lambda q: answers[q.key])


def asked_questions(
    questions: Sequence[scoring.QuestionSpec], answers: Mapping[str, int]
) -> list[scoring.QuestionSpec]:
    """The questions answered, in questionnaire order."""
    return [q for q in questions if q.key in answers]


def score(
    questions: Sequence[scoring.QuestionSpec],
    answers: Mapping[str, int],
    roles: Sequence[str],
    model: scoring.Model,
) -> list[scoring.RoleScore]:
    """Score the answered subset with the questionnaire's fitted temperatures:
    the posterior is the product of the answered questions' likelihoods."""
    asked = asked_questions(questions, answers)
    return scoring.score(asked, answers, roles, model.for_questions(asked))


class Agreement(NamedTuple):
    respondents: int
    mean_questions: float
    agreement: float


def agreement(
    adaptive: Adaptive,
    full_answers: Sequence[Mapping[str, int]],
) -> Agreement:
    """Run the adaptive flow on respondents whose every answer is known and
    compare its leading role with the full questionnaire's."""
    if not full_answers:
        return Agreement(0, 0.0, 1.0)
    agree = 0
    lengths = 0
    for answers in full_answers:
        asked = adaptive.run_known(answers)
        lengths += len(asked)
        if _leader(adaptive.posterior(asked)) == _leader(adaptive.posterior(answers)):
            agree += 1
    n = len(full_answers)
    return Agreement(n, round(lengths / n, 2), round(agree / n, 4))


def _leader(posterior: Mapping[str, float]) -> str:
    return max(sorted(posterior), key=lambda r: posterior[r])


def simulated_population(
    adaptive: Adaptive, per_role: int, seed: int, limit: int | None = None
) -> list[dict[str, int]]:
    """``per_role`` simulated respondents of every role (the model fit's
    simulator), each answering every question. With ``limit``, at most that
    many in all, still spread evenly: fewer per role, and with more roles than
    ``limit`` one respondent each for a seeded sample of the roles."""
    rng = random.Random(seed)
    roles: Sequence[str] = adaptive.roles
    if limit is not None and per_role * len(roles) > limit:
        per_role = max(1, limit // len(roles))
        if len(roles) > limit:
            keep = set(rng.sample(range(len(roles)), limit))
            roles = [r for i, r in enumerate(roles) if i in keep]
    return [
        scoring.simulated_answers(adaptive.questions, role, rng)
        for role in roles
        for _ in range(per_role)
    ]
