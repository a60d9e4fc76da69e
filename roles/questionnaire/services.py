"""Storing a questionnaire submission and the feedback on its result."""

from __future__ import annotations

from typing import NamedTuple

from django.db import IntegrityError, transaction

from roles.questionnaire.models import Submission
from roles.questionnaire.results import (
    Questionnaire,
    adaptive_result_for,
    result_for,
)
from roles.questionnaire.selectors import submission_for_nonce


class SubmissionStored(NamedTuple):
    submission: Submission
    created: bool


def submission_create(
    *,
    questionnaire: Questionnaire,
    answers: dict[str, int],
    nonce: str = "",
    option_order: dict[str, tuple[int, ...]] | None = None,
    adaptive: bool = False,
) -> SubmissionStored:
    """Score the answers against the questionnaire as it is now and store both
    (with the option order the respondent saw), so the result page stays the
    same after editors change the questions. A form's nonce is stored once:
    the same form posted again returns the first result (``created`` False).
    ``adaptive``: the answers are the adaptive flow's subset (a version 4
    result, scored from the questions asked)."""
    earlier = submission_for_nonce(nonce)
    if earlier is not None:
        return SubmissionStored(earlier, False)
    result = (
        adaptive_result_for(questionnaire, answers)
        if adaptive
        else result_for(questionnaire, answers)
    )
    snapshot = questionnaire.as_snapshot()
    snapshot["option_order"] = {k: list(v) for k, v in (option_order or {}).items()}
    submission = Submission(
        answers=answers,
        snapshot=snapshot,
        result=result.to_json(),
        top_role_slug=result.top.role if result.top else "",
        nonce=nonce,
    )
    submission.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # The same form posted twice at once: the other request stored it.
        return SubmissionStored(Submission.objects.only("id").get(nonce=nonce), False)
    return SubmissionStored(submission, True)


def submission_feedback_set(
    *, submission_id, fit: bool, stated_role_slug: str = ""
) -> None:
    """Record (or change) the reader's verdict on their own result."""
    Submission.objects.filter(pk=submission_id).update(
        fit=fit, stated_role_slug=stated_role_slug
    )
