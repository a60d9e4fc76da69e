from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from . import scoring
from .models import MAX_COMPARED_ROLES
from .quiz import Questionnaire

AGREEMENT_CHOICES = [(str(value), label) for value, label in scoring.SCALE.items()]


class ComparePickerForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Choose two to five roles",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose at least two roles to compare."},
    )

    def __init__(self, *args, role_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template writes the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True

    def clean_roles(self) -> list[str]:
        chosen = self.cleaned_data["roles"]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(
                "You chose the same role more than once: choose each role once."
            )
        if len(chosen) < 2:
            raise forms.ValidationError("Choose at least two roles to compare.")
        if len(chosen) > MAX_COMPARED_ROLES:
            raise forms.ValidationError(
                f"Choose at most {MAX_COMPARED_ROLES} roles: a wider table is hard to read."
            )
        return chosen


class QuizForm(forms.Form):
    """One field per published question, named after its key. Values are option
    indexes (scenario) or scale values -2..2 (agreement); anything else is a form
    error, never an exception."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for number, question in enumerate(questionnaire.questions, start=1):
            if question.kind == scoring.SCENARIO:
                choices = [(str(i), o.text) for i, o in enumerate(question.options)]
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
        # The <form> tag is in the template: crispy-bootstrap5 copies form
        # attributes (the id) onto every radio group, duplicating ids.
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template writes the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True

    def clean(self):
        if not self.questionnaire.questions:
            raise forms.ValidationError("The questionnaire has no questions yet.")
        return super().clean()

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("q-"): int(value)
            for name, value in self.cleaned_data.items()
        }

    def unanswered(self) -> list[str]:
        return [
            field.label for name, field in self.fields.items() if name in self.errors
        ]


class FeedbackForm(forms.Form):
    fit = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template writes the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True
