"""The questionnaire's form (one fieldset per question, options in each
respondent's own order) and the feedback form on a result."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden, Layout
from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from roles.core.crispy import (
    PACK,
    ChoiceFieldset,
    Control,
    HiddenValue,
    SubmitButton,
    card_html,
    form_html,
)
from roles.questionnaire import scoring
from roles.questionnaire.flow import question_mark
from roles.questionnaire.results import NONCE_PATTERN, Questionnaire, option_order

OTHER_ROLE = "other"

AGREEMENT_CHOICES = [(str(value), label) for value, label in scoring.SCALE.items()]


class OneRadioSelect(forms.RadioSelect):
    """Radio buttons send one value: a form that sends several for one
    question was not sent by them, and is refused (see :class:`AnswerField`)
    rather than quietly taking the last."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        if getlist is not None and len(values := getlist(name)) > 1:
            return values
        return super().value_from_datadict(data, files, name)

    def format_value(self, value):
        return [] if isinstance(value, list) else super().format_value(value)


class AnswerField(forms.ChoiceField):
    """One answer to one question, from :class:`OneRadioSelect`."""

    widget = OneRadioSelect
    default_error_messages = {
        "several": "Choose one answer: this form sent %(count)s for this question."
    }

    def to_python(self, value):
        if isinstance(value, list):
            raise forms.ValidationError(
                self.error_messages["several"],
                code="several",
                params={"count": len(value)},
            )
        return super().to_python(value)


class QuizQuestion(NamedTuple):
    """One question as the error summary lists it (the form itself is drawn
    by crispy, from ``QuizForm.helper``)."""

    number: int
    name: str
    anchor: str
    text: str
    error: str


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


CHANGED_WHILE_ANSWERING = (
    "This question was changed while you were answering it. Here it is as it "
    "is now: choose again."
)


class QuizForm(forms.Form):
    """One field per published question, named after its key. Values are option
    indexes (scenario) or scale values -2..2 (agreement); anything else is a form
    error, never an exception. ``nonce`` is the form's one-time value: it fixes
    the respondent's option order and stops a replay storing a second result.

    Drawn by ``{% crispy form %}``: each question a fieldset of option cards
    with the question as its legend; ``can_submit=False`` (an editor's preview)
    leaves out the submit button."""

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire,
        nonce: str = "",
        can_submit: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        given = self.data.get("nonce", "") if self.is_bound else nonce
        self.nonce = given if NONCE_PATTERN.match(given or "") else new_nonce()
        self.order = option_order(questionnaire, self.nonce)
        # Answers sent from a page shown before an editor changed their
        # question (see StepForm): dropped, and the question asked again.
        changed = {
            q.key
            for q in questionnaire.questions
            if self.is_bound
            and self.data.get(f"s-{q.key}")
            and self.data.get(f"s-{q.key}") != question_mark(q)
        }
        if changed:
            self.data = {
                k: v
                for k, v in self.data.items()
                if k.removeprefix("q-") not in changed or not k.startswith("q-")
            }
        for number, question in enumerate(questionnaire.questions, start=1):
            if question.kind == scoring.SCENARIO:
                choices = [
                    (str(i), question.options[i].text) for i in self.order[question.key]
                ]
            else:
                choices = AGREEMENT_CHOICES
            self.fields[f"q-{question.key}"] = AnswerField(
                label=f"{number}. {question.text}",
                choices=choices,
                help_text=questionnaire.hints.get(question.key, ""),
                error_messages={
                    "required": CHANGED_WHILE_ANSWERING
                    if question.key in changed
                    else "Please answer this question.",
                    "invalid_choice": "That answer is not one of the options.",
                },
            )
        self.helper = self._helper(can_submit=can_submit)

    def _helper(self, *, can_submit: bool) -> FormHelper:
        helper = FormHelper()
        helper.form_action = "roles:quiz_all"
        helper.form_id = "quiz-form"
        helper.form_class = "quiz-form"
        helper.attrs = {"novalidate": True, "aria-labelledby": "quiz-heading"}
        # The pack writes the form's one CSRF token (a POST form with its tag).
        parts = [Hidden("nonce", self.nonce)]
        for question in self.questionnaire.questions:
            scale = question.kind == scoring.AGREEMENT
            parts.append(HiddenValue(f"s-{question.key}", question_mark(question)))
            parts.append(
                ChoiceFieldset(
                    f"q-{question.key}",
                    choices="cards",
                    css_class="quiz-question",
                    css_id=f"question-{question.key}",
                    error_id=f"question-{question.key}-error",
                    hint_class="quiz-hint",
                    error_class="quiz-error",
                    options_class="option-list option-list-scale"
                    if scale
                    else "option-list",
                    data_kind=question.kind,
                )
            )
        if can_submit:
            parts.append(SubmitButton("See my result", wrapper_class="quiz-submit"))
        helper.layout = Layout(*parts)
        return helper

    def clean(self):
        if not self.questionnaire.questions:
            raise forms.ValidationError("The questionnaire has no questions yet.")
        return super().clean()

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("q-"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q-")
        }

    def questions(self) -> list[QuizQuestion]:
        rows = []
        for number, question in enumerate(self.questionnaire.questions, start=1):
            name = f"q-{question.key}"
            rows.append(
                QuizQuestion(
                    number=number,
                    name=name,
                    anchor=f"question-{question.key}",
                    text=question.text,
                    error=" ".join(str(e) for e in self.errors.get(name, [])),
                )
            )
        return rows

    def unanswered(self) -> list[QuizQuestion]:
        return [q for q in self.questions() if q.error]


class StepForm(forms.Form):
    """One question of the adaptive flow, drawn as the page's heading and its
    option cards (in the respondent's own order). ``finish`` adds a second
    button, "See my result now", for a respondent past the stopping rule.

    Its crispy helper depends only on the question, the form's address and
    ``finish``, not on the respondent: a caller may build it once
    (:meth:`build_helper`) and pass it to every form of that step."""

    def __init__(
        self,
        *args,
        question: scoring.QuestionSpec,
        hint: str,
        order: tuple[int, ...] | None,
        action: str,
        finish: bool = False,
        helper: FormHelper | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.kind == scoring.SCENARIO:
            indexes = order or tuple(range(len(question.options)))
            choices = [(str(i), question.options[i].text) for i in indexes]
        else:
            choices = AGREEMENT_CHOICES
        self.fields["answer"] = AnswerField(
            label=question.text,
            choices=choices,
            help_text=hint,
            error_messages={
                "required": "Choose the answer closest to you.",
                "invalid_choice": "That answer is not one of the options.",
            },
        )
        self.helper = helper or self.build_helper(question, action, finish=finish)
        # Sent from a page shown before an editor changed this question: its
        # answer is a position among options the visitor no longer has before
        # them, so it is dropped and the question shown as it is now. (A form
        # sent without the mark - a client that is not the page - is taken as
        # it is.)
        shown = self.data.get("shown") if self.is_bound else None
        self.changed = bool(shown) and shown != question_mark(question)
        if self.changed:
            self.data = {k: v for k, v in self.data.items() if k != "answer"}
            self.fields["answer"].error_messages["required"] = CHANGED_WHILE_ANSWERING

    @staticmethod
    def build_helper(
        question: scoring.QuestionSpec, action: str, *, finish: bool
    ) -> FormHelper:
        helper = FormHelper()
        helper.form_action = action
        helper.form_id = "quiz-step-form"
        helper.form_class = "quiz-step-form"
        helper.attrs = {"novalidate": True}
        # No widget here has media: crispy need not ask for it on every step.
        helper.include_media = False
        scale = question.kind == scoring.AGREEMENT
        parts = [
            HiddenValue("shown", question_mark(question)),
            ChoiceFieldset(
                "answer",
                choices="cards",
                css_class="quiz-question quiz-step-question",
                css_id=f"question-{question.key}",
                error_id="answer-error",
                hint_class="quiz-hint",
                error_class="quiz-error",
                legend_heading="quiz-step-heading",
                options_class="option-list option-list-scale"
                if scale
                else "option-list",
                data_kind=question.kind,
            ),
            SubmitButton("Continue", wrapper_class="quiz-submit"),
        ]
        if finish:
            parts.append(
                SubmitButton(
                    "See my result now",
                    css_class="btn btn-outline-primary",
                    wrapper_class="quiz-submit",
                    name="finish",
                )
            )
        helper.layout = Layout(*parts)
        return helper

    @property
    def value(self) -> int:
        return int(self.cleaned_data["answer"])


#: Stands for the CSRF token while a StepFormFrame is cut (letters and digits:
#: no escaping changes it; random per process, so no text contains it).
_TOKEN_MARK = secrets.token_hex(16)


class StepFormFrame:
    """A step's form as a visitor sees it before sending it - unbound, the
    options in the visitor's own order, the answer given before checked -
    byte for byte what :func:`roles.core.crispy.form_html` draws for that
    :class:`StepForm`, but cut once per question (and ``finish``) into its
    fixed text and its option cards, then only joined per request: the
    form, its bound field and the option widgets are not built for each
    visitor. A card differs between positions only by its id (``for`` and
    ``id``, each in quotes, which no escaped label contains), and between
    checked and not by the one attribute; tests hold the joined form equal
    to form_html's for every question, order and answer."""

    __slots__ = ("after_token", "before_token", "cards", "id_", "tail", "values")

    def __init__(self, question, *, hint: str, action: str, finish: bool, helper):
        def drawn(initial=None) -> StepForm:
            return StepForm(
                None,
                initial=initial,
                question=question,
                hint=hint,
                order=None,  # the options in their own order: position = index
                action=action,
                finish=finish,
                helper=helper,
            )

        attributes = helper.get_attributes(template_pack=PACK)
        plain = drawn()
        field = plain["answer"]
        self.id_ = field.auto_id
        self.values = tuple(str(w.data["value"]) for w in field)
        unchecked = [card_html(w) for w in field]
        page = form_html(plain, _TOKEN_MARK, attributes=attributes)
        joined = "".join(unchecked)
        if page.count(joined) != 1 or page.count(_TOKEN_MARK) != 1:
            raise ValueError(f"{question.key}: the form's cards could not be cut out")
        head, self.tail = page.split(joined)
        self.before_token, self.after_token = head.split(_TOKEN_MARK)
        checked = [
            card_html(list(drawn({"answer": value})["answer"])[position])
            for position, value in enumerate(self.values)
        ]
        self.cards = tuple(
            (self._cut(unchecked[i], i), self._cut(checked[i], i))
            for i in range(len(self.values))
        )

    def _cut(self, card: str, position: int) -> tuple[str, str, str]:
        pieces = card.split(f'"{self.id_}_{position}"')
        if len(pieces) != 3:
            raise ValueError("a card names its id other than twice")
        return pieces[0], pieces[1], pieces[2]

    def fill(
        self, csrf_token: str, order: tuple[int, ...] | None, previous: int | None
    ) -> SafeString:
        """The form with this token, the options in ``order`` (option indexes;
        None: their own order) and ``previous`` checked."""
        chosen = None if previous is None else str(previous)
        parts = [self.before_token, conditional_escape(csrf_token), self.after_token]
        for position, index in enumerate(order or range(len(self.values))):
            first, middle, last = self.cards[index][self.values[index] == chosen]
            quoted = f'"{self.id_}_{position}"'
            parts += (first, quoted, middle, quoted, last)
        parts.append(self.tail)
        return mark_safe("".join(parts))  # drawn escaped by form_html; token escaped


class ActionForm(forms.Form):
    """A form that is only a button (start the questionnaire, answer more
    questions): it posts its CSRF token and nothing else."""

    def __init__(
        self,
        *args,
        action: str,
        label: str,
        css_class: str,
        form_id: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_class = "quiz-action"
        if form_id:
            self.helper.form_id = form_id
        self.helper.layout = Layout(SubmitButton(label, css_class=css_class))


class FeedbackForm(forms.Form):
    fit = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose “Yes” or “No”."},
    )
    current_role = forms.ChoiceField(
        label="Which role do you do now? (optional)",
        required=False,
        help_text="It helps editors check the questionnaire against real people.",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(
        self, *args, role_choices: list[tuple[str, str]], action: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["current_role"]).choices = [
            ("", "I would rather not say"),
            *role_choices,
            (OTHER_ROLE, "Another role, or none of these"),
        ]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "feedback-form"
        self.helper.form_class = "feedback-form"
        self.helper.label_class = "form-label"
        # The pack writes the form's one CSRF token (a POST form with its tag).
        self.helper.layout = Layout(
            ChoiceFieldset(
                "fit", choices="cards", options_class="option-list feedback-options"
            ),
            Control("current_role", wrapper_tag="p"),
            SubmitButton("Send", css_class="btn btn-outline-primary"),
        )


class AnalyticsPeriodForm(forms.Form):
    """The date range the analytics page covers (both ends included)."""

    EARLIEST = dt.date(2000, 1, 1)
    DEFAULT_WEEKS = 12

    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def for_request(cls, data, today: dt.date) -> AnalyticsPeriodForm:
        defaults = {
            "start": (today - dt.timedelta(weeks=cls.DEFAULT_WEEKS)).isoformat(),
            "end": today.isoformat(),
        }
        given = {key: data[key] for key in ("start", "end") if data.get(key)}
        return cls({**defaults, **given})

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value is not None and value < self.EARLIEST:
                self.add_error(name, "Choose a date from 2000 onwards.")
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The range must end on or after its first day.")
        return cleaned
