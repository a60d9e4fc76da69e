"""The questionnaire model fit (scoring.build_model) is pinned: the same seed on the
same questionnaire gives exactly the same fitted parameters (β per role, log Z per role,
the "clear" threshold).

The expected values in tests/data/scoring_fit_pinned.json were written by the
implementation as it stood before any speed work (``python -m tests.test_scoring_fit_pinned``
rewrites them; do that only on purpose, with the old implementation checked out), so a
faster fit must reproduce the old one to the last bit, not just approximately.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from bench.run import synthetic_scoring_questionnaire
from roles.questionnaire import scoring

PINNED = Path(__file__).parent / "data" / "scoring_fit_pinned.json"


def bench_questionnaire() -> tuple[list[scoring.QuestionSpec], list[str]]:
    """The synthetic 200-role, 100-question questionnaire of bench/run.py (same seed)."""
    return synthetic_scoring_questionnaire(random.Random(1))


def fitted() -> dict[str, object]:
    questions, roles = bench_questionnaire()
    model = scoring.build_model(questions, roles)
    # repr() of a float round-trips exactly, so the comparison is bit-for-bit.
    return {
        "roles": list(model.roles),
        "beta": {r: repr(v) for r, v in model.beta.items()},
        "log_z": {r: repr(v) for r, v in model.log_z.items()},
        "clear": repr(model.clear),
    }


def test_build_model_reproduces_the_pinned_fit_exactly() -> None:
    expected = json.loads(PINNED.read_text())
    actual = fitted()
    assert actual["roles"] == expected["roles"]
    assert actual["clear"] == expected["clear"]
    assert actual["beta"] == expected["beta"]
    assert actual["log_z"] == expected["log_z"]


def test_the_fits_shortcuts_draw_and_add_exactly_as_the_public_functions() -> None:
    """The fit builds its simulated and random respondents' raw scores and its
    log partitions from tables (scoring._draw_table, _partition_plan) for
    speed; each must equal, bit for bit, what the public functions it stands
    for give from the same random state - so a change to ``simulated_answers``
    or ``log_partition`` that the fit does not follow fails here, by name."""
    questions, roles = bench_questionnaire()
    roles = roles[:40]  # enough roles for every kind of question, quicker
    table = scoring._draw_table(questions, roles)
    for seed in range(3):
        slow, fast = random.Random(seed), random.Random(seed)
        for _ in range(20):
            answers = scoring.random_answers(questions, slow)
            assert scoring._random_totals(table, roles, fast) == scoring.raw_scores(
                questions, answers, roles
            )
        for role in roles[:10]:
            plan = scoring._simulated_plan(questions, role)
            answers = scoring.simulated_answers(questions, role, slow)
            assert scoring._simulated_totals(
                table, plan, roles, fast
            ) == scoring.raw_scores(questions, answers, roles)
        assert slow.random() == fast.random()  # the same draws, no more
    for role in roles:
        plan = scoring._partition_plan(questions, role)
        for beta in (0.05, 0.4, 1.7):
            assert scoring._planned_partition(plan, beta) == scoring.log_partition(
                questions, role, beta
            )


if __name__ == "__main__":  # pragma: no cover - writes the pinned values on purpose
    PINNED.write_text(json.dumps(fitted(), indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"wrote {PINNED}\n")
