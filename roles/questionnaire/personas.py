"""Blind personas: a regression fixture for the questionnaire's accuracy.
Pure: plain data in, plain data out.

The personas (``roles/content/quiz_personas.yaml``) were written blind: two
per role, each described from knowledge of the job *before* any question was
read, then answered from the question and option texts only, by someone who
never saw the points. The set is a fixture, not training data: the points are
never fitted to it, and a change that makes it worse fails the suite. A second
set (``quiz_personas_validation.yaml``), written and answered the same way by
others who saw neither the project nor the first set, checks that the figures
hold for people the questionnaire has never met. A third, held out
(``quiz_personas_holdout.yaml``), asked for the overlaps real jobs have with
their neighbours, only measures: no item is written, chosen or dropped by it.

Figures (:func:`evaluate`):

* ``top1`` — personas whose full questionnaire puts their role first;
* ``noisy_top1`` — the same with a share of their answers (20 %) replaced at
  random, averaged over seeded trials; ``noisy_by_role`` per role;
* ``adaptive_agreement`` and ``adaptive_mean_questions`` — the adaptive flow
  run on each persona (it answers whatever it is asked), against the full
  questionnaire's leading role.

A question the personas never saw (added later) is left unanswered: every
figure scores the answered subset with the questionnaire's fitted model.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roles.questionnaire import adaptive, scoring

NOISE = 0.2
TRIALS = 100
SEED = 20261204


@dataclass(frozen=True)
class Persona:
    id: str
    role: str
    description: str
    answers: Mapping[str, int]


@dataclass(frozen=True)
class PersonaFigures:
    count: int
    top1: int
    noisy_top1: float
    noisy_by_role: Mapping[str, float]
    misses: tuple[tuple[str, str], ...]  # (persona id, role placed first)
    adaptive_agreement: float
    adaptive_mean_questions: float
    unknown: tuple[str, ...] = field(default=())  # personas of unpublished roles

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "top1": self.top1,
            "noisy_top1": self.noisy_top1,
            "noisy_top1_min_role": min(self.noisy_by_role.values(), default=0.0),
            "noisy_by_role": dict(self.noisy_by_role),
            "misses": [list(m) for m in self.misses],
            "adaptive_agreement": self.adaptive_agreement,
            "adaptive_mean_questions": self.adaptive_mean_questions,
        }


def parse(data: Mapping[str, Any]) -> list[Persona]:
    """The fixture's ``personas`` list as typed records."""
    return [
        Persona(
            str(p["id"]),
            str(p["role"]),
            str(p.get("description", "")),
            {str(k): int(v) for k, v in (p.get("answers") or {}).items()},
        )
        for p in data.get("personas", [])
    ]


def _usable(
    questions: Sequence[scoring.QuestionSpec], answers: Mapping[str, int]
) -> dict[str, int]:
    """The answers that fit today's questions (a changed question's stale
    answer is dropped rather than guessed)."""
    usable = {}
    for q in questions:
        if q.key in answers and answers[q.key] in q.answer_values:
            usable[q.key] = answers[q.key]
    return usable


def _leader(flow: adaptive.Adaptive, answers: Mapping[str, int]) -> str:
    posterior = flow.posterior(answers)
    return max(sorted(posterior), key=lambda r: posterior[r])


def _noisy(
    questions: Sequence[scoring.QuestionSpec],
    answers: Mapping[str, int],
    rng: random.Random,
    share: float,
) -> dict[str, int]:
    keys = sorted(answers)
    changed = set(rng.sample(keys, round(share * len(keys))))
    by_key = {q.key: q for q in questions}
    return {
        k: (rng.choice(by_key[k].answer_values) if k in changed else v)
        for k, v in answers.items()
    }


def evaluate(
    flow: adaptive.Adaptive,
    personas: Iterable[Persona],
    *,
    trials: int = TRIALS,
    noise: float = NOISE,
    seed: int = SEED,
) -> PersonaFigures:
    questions = flow.questions
    known = [p for p in personas if p.role in flow.roles]
    unknown = tuple(p.id for p in personas if p.role not in flow.roles)
    rng = random.Random(seed)
    top1 = 0
    misses = []
    hits: dict[str, list[int]] = {}
    agree = lengths = 0
    for persona in known:
        answers = _usable(questions, persona.answers)
        leader = _leader(flow, answers)
        if leader == persona.role:
            top1 += 1
        else:
            misses.append((persona.id, leader))
        for _ in range(trials):
            noisy = _noisy(questions, answers, rng, noise)
            hits.setdefault(persona.role, []).append(
                int(_leader(flow, noisy) == persona.role)
            )

        def respond(q: scoring.QuestionSpec, a: Mapping[str, int] = answers) -> int:
            # A question the persona never answered: "no answer" is not an
            # option, so the flow is offered the neutral or last one.
            if q.key in a:
                return a[q.key]
            return 0 if q.kind == scoring.AGREEMENT else q.answer_values[-1]

        asked = flow.run(respond)
        lengths += len(asked)
        agree += int(_leader(flow, asked) == leader)
    n = len(known)
    every = [h for rows in hits.values() for h in rows]
    return PersonaFigures(
        count=n,
        top1=top1,
        noisy_top1=round(sum(every) / len(every), 4) if every else 0.0,
        noisy_by_role={
            role: round(sum(rows) / len(rows), 4) for role, rows in sorted(hits.items())
        },
        misses=tuple(misses),
        adaptive_agreement=round(agree / n, 4) if n else 1.0,
        adaptive_mean_questions=round(lengths / n, 2) if n else 0.0,
        unknown=unknown,
    )
