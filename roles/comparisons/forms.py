"""The comparison picker: two to five roles, in the order chosen."""

from __future__ import annotations

from typing import cast

from crispy_forms.helper import FormHelper
from django import forms

from roles.comparisons.models import MAX_COMPARED_ROLES


class ComparePickerForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Choose two to five roles",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose at least two roles to compare."},
    )

    def __init__(self, *args, role_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = role_choices
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
