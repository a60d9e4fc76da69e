"""The questionnaire's form (one fieldset per question, options in each
respondent's own order) and the feedback form on a result."""

from __future__ import annotations

import secrets
from typing import NamedTuple, cast

from crispy_forms.helper import FormHelper
from django import forms

from roles.questionnaire import scoring
from roles.questionnaire.results import NONCE_PATTERN, Questionnaire, option_order

OTHER_ROLE = "other"

AGREEMENT_CHOICES = [(str(value), label) for value, label in scoring.SCALE.items()]


class QuizOption(NamedTuple):
    value: str
    text: str
    input_id: str
    checked: bool


class QuizQuestion(NamedTuple):
    """One question as the template draws it: a fieldset of option cards."""

    number: int
    name: str
    anchor: str
    text: str
    hint: str
    kind: str
    options: tuple[QuizOption, ...]
    error: str


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


class QuizForm(forms.Form):
    """One field per published question, named after its key. Values are option
    indexes (scenario) or scale values -2..2 (agreement); anything else is a form
    error, never an exception. ``nonce`` is the form's one-time value: it fixes
    the respondent's option order and stops a replay storing a second result."""

    def __init__(self, *args, questionnaire: Questionnaire, nonce: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        given = self.data.get("nonce", "") if self.is_bound else nonce
        self.nonce = given if NONCE_PATTERN.match(given or "") else new_nonce()
        self.order = option_order(questionnaire, self.nonce)
        for number, question in enumerate(questionnaire.questions, start=1):
            if question.kind == scoring.SCENARIO:
                choices = [
                    (str(i), question.options[i].text) for i in self.order[question.key]
                ]
            else:
                choices = AGREEMENT_CHOICES
            self.fields[f"q-{question.key}"] = forms.ChoiceField(
                label=f"{number}. {question.text}",
                choices=choices,
                widget=forms.RadioSelect,
                help_text=questionnaire.hints.get(question.key, ""),
                error_messages={
                    "required": "Please answer this question.",
                    "invalid_choice": "That answer is not one of the options.",
                },
            )

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
            # Every q- field is the ChoiceField built in __init__, its choices
            # (value, text) pairs of strings.
            field = cast(forms.ChoiceField, self.fields[name])
            choices = cast("list[tuple[str, str]]", field.choices)
            current = str(self[name].value() or "") if self.is_bound else ""
            rows.append(
                QuizQuestion(
                    number=number,
                    name=name,
                    anchor=f"question-{question.key}",
                    text=question.text,
                    hint=str(field.help_text),
                    kind=question.kind,
                    options=tuple(
                        QuizOption(value, text, f"id_{name}_{i}", value == current)
                        for i, (value, text) in enumerate(choices)
                    ),
                    error=" ".join(str(e) for e in self.errors.get(name, [])),
                )
            )
        return rows

    def unanswered(self) -> list[QuizQuestion]:
        return [q for q in self.questions() if q.error]


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
    )

    def __init__(self, *args, role_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["current_role"]).choices = [
            ("", "I would rather not say"),
            *role_choices,
            (OTHER_ROLE, "Another role, or none of these"),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template writes the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True
