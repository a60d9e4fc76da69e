"""The one-question-per-page flow's state and its next step. Pure: plain data
in, plain data out; no ORM, no request.

The state travels in a signed cookie (the view signs and checks it), so
reload, Back and a second tab are safe: each request reads the answers given
so far and asks :meth:`FlowState.next_key`. A tab that posts an answer to an
earlier question only changes that answer.
"""

from __future__ import annotations

import zlib
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


def answer_mark(question: scoring.QuestionSpec, value: int) -> int:
    """What an answer meant when it was given, in a few bits: a checksum of
    the chosen option's text (a statement's, for a scale answer). Answers are
    kept by position, so when an editor removes, reorders or rewrites options
    mid-flow the position alone would quietly name another option."""
    if question.kind == scoring.SCENARIO and 0 <= value < len(question.options):
        text = question.options[value].text
    else:
        text = question.text
    return zlib.crc32(text.encode()) & 0xFFFF


def question_mark(question: scoring.QuestionSpec) -> str:
    """Which version of a question a page showed: a checksum of its text and
    its options' texts in their order. A step form sends it back with the
    answer, so a position posted from a page shown before an editor changed
    the options is not read as an option of the new ones."""
    parts = [question.kind, question.text, *(o.text for o in question.options)]
    return f"{zlib.crc32(chr(31).join(parts).encode()):08x}"


@dataclass(frozen=True)
class FlowState:
    """Answers so far (in the order given), the option-order nonce, whether
    the respondent asked to answer more than the stopping rule needs,
    questions queued to ask next (from a result's "what would settle it"),
    and whether a result was stored for exactly these answers (``done``: a
    step shown again from the result says the result is ready, not how many
    questions may follow)."""

    nonce: str
    answers: dict[str, int] = field(default_factory=dict)
    more: bool = False
    queue: tuple[str, ...] = ()
    #: Each answer's :func:`answer_mark` (states written before marks have none).
    marks: dict[str, int] = field(default_factory=dict)
    done: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.nonce,
            "a": self.answers,
            "m": self.more,
            "q": list(self.queue),
            "h": self.marks,
            "f": self.done,
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
        marks = data.get("h", {})
        if not isinstance(marks, dict) or not all(
            isinstance(k, str) and type(v) is int for k, v in marks.items()
        ):
            raise BadState("bad marks")
        return cls(
            nonce,
            dict(answers),
            bool(data.get("m", False)),
            tuple(queue),
            {k: v for k, v in marks.items() if k in answers},
            bool(data.get("f", False)),
        )

    @classmethod
    def given(
        cls,
        nonce: str,
        answers: Mapping[str, int],
        questions: Mapping[str, scoring.QuestionSpec],
        **kwargs: Any,
    ) -> FlowState:
        """A state of answers given to ``questions`` (a stored result's, to
        its snapshot), each marked with what it meant then."""
        marks = {
            k: answer_mark(questions[k], v)
            for k, v in answers.items()
            if k in questions
        }
        return cls(nonce, dict(answers), marks=marks, **kwargs)

    def valid_for(self, questions: Mapping[str, scoring.QuestionSpec]) -> FlowState:
        """The state without answers to questions no longer published or no
        longer legal, or whose chosen option changed (an editor changed the
        questionnaire mid-flow): those questions are asked again."""

        def still_means(k: str, v: int) -> bool:
            q = questions[k]
            if v not in q.answer_values:
                return False
            return k not in self.marks or self.marks[k] == answer_mark(q, v)

        answers = {
            k: v
            for k, v in self.answers.items()
            if k in questions and still_means(k, v)
        }
        queue = tuple(k for k in self.queue if k in questions)
        marks = {k: v for k, v in self.marks.items() if k in answers}
        return replace(self, answers=answers, queue=queue, marks=marks)

    def answer(self, question: scoring.QuestionSpec, value: int) -> FlowState:
        """The state with ``question`` answered (a queued question leaves the
        queue), marked with what the answer means; an earlier answer keeps its
        place in the order. A finished flow stays finished only if the answer
        is the one it had."""
        key = question.key
        answers = dict(self.answers)
        answers[key] = value
        marks = {**self.marks, key: answer_mark(question, value)}
        return replace(
            self,
            answers=answers,
            queue=tuple(k for k in self.queue if k != key),
            marks=marks,
            done=self.done and self.answers.get(key) == value,
        )

    def next_key(self, flow: adaptive.Adaptive) -> str | None:
        """The question to ask next, or None when the result is settled."""
        if self.queue:
            return self.queue[0]
        question = flow.next_question(self.answers, more=self.more)
        return question.key if question else None

    def _sequence(self) -> list[str]:
        """The questions in the order this respondent meets them: those
        answered, then those queued (asked now, even if answered before:
        a "what would settle it" link goes on from the answers given)."""
        return [k for k in self.answers if k not in self.queue] + list(self.queue)

    def position(self, key: str) -> int:
        """The question's number in this respondent's flow (1-based)."""
        keys = self._sequence()
        return keys.index(key) + 1 if key in keys else len(keys) + 1

    def previous(self, key: str) -> str | None:
        """The question asked before ``key`` (for the Back link)."""
        keys = self._sequence()
        index = keys.index(key) if key in keys else len(keys)
        return keys[index - 1] if index > 0 else None


#: The bar stands at this share of its length when the typical number of
#: questions is done (the rest of the bar is for the answers that need more).
BAR_AT_TYPICAL = 0.8
BAR_SCALE = 100


@dataclass(frozen=True)
class Progress:
    """What the progress indicator says: the question's number, the most
    questions there can be after it (the flow's length depends on the
    answers: the only figure that never moves away), and, on the way to the
    typical length, how many more it usually takes beside it."""

    number: int
    #: The most questions there can be after this one.
    to_go: int
    #: For the bar: ``done`` of ``of``; it only moves on along a flow.
    of: int
    done: int
    #: Usually this many more (0: no typical figure to give).
    usual: int = 0
    #: The result is stored for these answers: this is an answer revisited
    #: (changing it updates the result), ``number`` of ``of_answered``.
    ready: bool = False
    of_answered: int = 0


def _bar(done: int, left: int, typical: int, ceiling: int) -> int:
    """How far the bar is, out of BAR_SCALE: ``done / (done + k · left)``,
    which only grows as questions are answered and the most left falls, is
    full when nothing can be left, and with ``k`` set so that it stands at
    BAR_AT_TYPICAL when the typical number is done (a bar drawn to the
    ceiling stood at half when most people were finishing; one drawn to the
    typical length went back when the flow went past it)."""
    if left <= 0:
        return BAR_SCALE
    spare = ceiling - typical
    k = typical * (1 / BAR_AT_TYPICAL - 1) / spare if typical > 0 and spare > 0 else 1.0
    return min(BAR_SCALE - 1, int(BAR_SCALE * done / (done + k * left)))


def progress(state: FlowState, key: str, *, typical: int, total: int) -> Progress:
    number = state.position(key)
    done = number - 1
    if state.done and key in state.answers:
        # Back from the result: nothing is left to ask, so no "at most N
        # more" (it said 11 after the result was settled), and the bar stays
        # where the result left it, full.
        count = len(state.answers)
        return Progress(number, 0, BAR_SCALE, BAR_SCALE, ready=True, of_answered=count)
    ceiling = min(total, adaptive.MAX_QUESTIONS)
    if state.more:
        left = total - len(state.answers) - (0 if key in state.answers else 1)
        left = max(0, left)
        return Progress(number, left, BAR_SCALE, _bar(done, left, 0, total))
    if state.queue:
        # The queued questions, then the adaptive flow until it settles, at
        # most up to its ceiling of questions answered in all.
        queued = [k for k in state.queue if k != key]
        answered = len(state.answers) + sum(
            1 for k in state.queue if k not in state.answers
        )
        left = len(queued) + max(0, ceiling - answered)
        return Progress(number, left, BAR_SCALE, _bar(done, left, 0, number + left))
    left = max(0, ceiling - number)
    usual = typical - number if number < typical else 0
    return Progress(
        number,
        left,
        BAR_SCALE,
        _bar(done, left, min(typical, ceiling), max(ceiling, number)),
        usual,
    )
