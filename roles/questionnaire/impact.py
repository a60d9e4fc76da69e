"""What a change to one question's points would do to stored results: which
roles gain or lose top results, and how many results change. Pure: stored
rows in, a typed summary out."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from roles.questionnaire import scoring
from roles.questionnaire.results import from_snapshot


@dataclass(frozen=True)
class RoleShift:
    role: str  # slug
    before: int  # stored results with this role on top now
    after: int  # ... if the change were saved

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class Impact:
    affected: int  # stored results that answered the question
    changed: int  # of those, how many would get a different top role
    shifts: tuple[RoleShift, ...]  # roles whose count of top results changes


def impact_of(
    proposed: scoring.QuestionSpec,
    submissions: Iterable[tuple[dict[str, Any], dict[str, int], str]],
) -> Impact:
    """Each stored result is re-scored against its own snapshot with only the
    proposed question replaced; results that did not answer it are left out."""
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    affected = changed = 0
    # Results stored from one questionnaire version share its questions: the
    # model is fitted once per distinct set, not once per result.
    models: dict[str, scoring.Model] = {}
    for snapshot, answers, top in submissions:
        questionnaire = from_snapshot(snapshot)
        if proposed.key not in {q.key for q in questionnaire.questions}:
            continue
        answer = answers.get(proposed.key)
        if proposed.kind == scoring.SCENARIO and not (
            isinstance(answer, int) and 0 <= answer < len(proposed.options)
        ):
            continue
        if proposed.kind == scoring.AGREEMENT and answer not in scoring.SCALE:
            continue
        questions = [
            proposed if q.key == proposed.key else q for q in questionnaire.questions
        ]
        key = json.dumps(snapshot.get("questions"), sort_keys=True, default=str)
        if key not in models:
            models[key] = scoring.build_model(questions, questionnaire.role_slugs)
        try:
            ranking = scoring.score(
                questions, answers, questionnaire.role_slugs, models[key]
            )
        except scoring.AnswerError:
            continue
        affected += 1
        new_top = ranking[0].role if ranking else top
        before[top] += 1
        after[new_top] += 1
        changed += new_top != top
    shifts = tuple(
        RoleShift(slug, before[slug], after[slug])
        for slug in sorted(set(before) | set(after))
        if before[slug] != after[slug]
    )
    return Impact(affected=affected, changed=changed, shifts=shifts)
