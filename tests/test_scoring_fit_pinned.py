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


if __name__ == "__main__":  # pragma: no cover - writes the pinned values on purpose
    PINNED.write_text(json.dumps(fitted(), indent=1, sort_keys=True) + "\n")
    sys.stdout.write(f"wrote {PINNED}\n")
