"""The one-question-per-page flow's state and its next step. Pure: plain data
in, plain data out; no ORM, no request.

The state travels in a signed cookie (the view signs and checks it), so
reload, Back and a second tab are safe: each request reads the answers given
so far and asks :meth:`FlowState.next_key`. A tab that posts an answer to an
earlier question only changes that answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from roles.questionnaire import adaptive, scoring
from roles.questionnaire.results import NONCE_PATTERN

#: The most answers a state may hold (far above any questionnaire's length):
#: a signed cookie is trusted, but it should never grow without bound.
MAX_ANSWERS = 500


class BadState(ValueError):
    """A cookie that is signed but not a state this code wrote."""


@dataclass(frozen=True)
class FlowState:
    """Answers so far (in the order given), the option-order nonce, whether
    the respondent asked to answer more than the stopping rule needs, and
    questions queued to ask next (from a result's "what would settle it")."""

    nonce: str
    answers: dict[str, int] = field(default_factory=dict)
    more: bool = False
    queue: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.nonce,
            "a": self.answers,
            "m": self.more,
            "q": list(self.queue),
        }

    @classmethod
    def from_json(cls, data: object) -> FlowState:
        if not isinstance(data, dict):
            raise BadState("not an object")
        nonce = data.get("n")
        answers = data.get("a", {})
        queue = data.get("q", [])
        if not isinstance(nonce, str) or not NONCE_PATTERN.match(nonce):
            raise BadState("bad nonce")
        if (
            not isinstance(answers, dict)
            or len(answers) > MAX_ANSWERS
            or not all(
                isinstance(k, str) and type(v) is int for k, v in answers.items()
            )
        ):
            raise BadState("bad answers")
        if not isinstance(queue, list) or not all(isinstance(k, str) for k in queue):
            raise BadState("bad queue")
        return cls(nonce, dict(answers), bool(data.get("m", False)), tuple(queue))

    def valid_for(self, questions: Mapping[str, scoring.QuestionSpec]) -> FlowState:
        """The state without answers to questions no longer published or no
        longer legal (an editor changed the questionnaire mid-flow)."""
        answers = {
            k: v
            for k, v in self.answers.items()
            if k in questions and v in questions[k].answer_values
        }
        queue = tuple(k for k in self.queue if k in questions)
        return replace(self, answers=answers, queue=queue)

    def answer(self, key: str, value: int) -> FlowState:
        """The state with ``key`` answered (a queued question leaves the
        queue); an earlier answer keeps its place in the order."""
        answers = dict(self.answers)
        answers[key] = value
        return replace(
            self, answers=answers, queue=tuple(k for k in self.queue if k != key)
        )

    def next_key(self, flow: adaptive.Adaptive) -> str | None:
        """The question to ask next, or None when the result is settled."""
        if self.queue:
            return self.queue[0]
        question = flow.next_question(self.answers, more=self.more)
        return question.key if question else None

    def position(self, key: str) -> int:
        """The question's number in this respondent's flow (1-based)."""
        keys = list(self.answers)
        return keys.index(key) + 1 if key in self.answers else len(keys) + 1

    def previous(self, key: str) -> str | None:
        """The question asked before ``key`` (for the Back link)."""
        keys = list(self.answers)
        index = keys.index(key) if key in self.answers else len(keys)
        return keys[index - 1] if index > 0 else None


@dataclass(frozen=True)
class Progress:
    """What the progress indicator says: the question's number and, as the
    flow's length depends on the answers, an honest estimate of what is left."""

    number: int
    #: Questions expected after this one (an estimate), or the most there can be.
    to_go: int
    #: True when ``to_go`` is a ceiling ("at most"), not a typical figure.
    at_most: bool
    #: For the bar: ``number`` of ``of``.
    of: int


def progress(state: FlowState, key: str, *, typical: int, total: int) -> Progress:
    number = state.position(key)
    if state.more or state.queue:
        left = total - len(state.answers) - (0 if key in state.answers else 1)
        return Progress(number, max(0, left), True, max(total, number))
    if number < typical:
        return Progress(number, typical - number, False, typical)
    ceiling = min(total, adaptive.MAX_QUESTIONS)
    return Progress(number, max(0, ceiling - number), True, max(ceiling, number))
