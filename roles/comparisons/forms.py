"""The comparison picker: two to five roles, in the order chosen."""

from __future__ import annotations

from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from roles.comparisons.models import MAX_COMPARED_ROLES
from roles.core.crispy import ChoiceFieldset, SubmitButton
from roles.core.params import shortened


class RoleChoiceField(forms.MultipleChoiceField):
    """Django's "Select a valid choice. X is not one of the available
    choices." repeats X in full, however long, and says nothing useful when
    it is empty; this says which value is not a role, shortened."""

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(
                self.error_messages["required"], code="required"
            )
        for chosen in value:
            if self.valid_value(chosen):
                continue
            shown = shortened(str(chosen))
            if not shown and str(chosen).strip():
                raise forms.ValidationError(
                    "One of the roles sent is not a role on this site: choose two "
                    "to five roles from the list.",
                    code="invalid_choice",
                )
            if not shown:
                raise forms.ValidationError(
                    "One of the roles sent was empty: choose two to five roles "
                    "from the list.",
                    code="invalid_choice",
                )
            raise forms.ValidationError(
                f"“{shown}” is not a role on this site: choose two to five roles "
                "from the list.",
                code="invalid_choice",
            )


class ComparePickerForm(forms.Form):
    roles = RoleChoiceField(
        label="Choose two to five roles",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose at least two roles to compare."},
    )

    def __init__(self, *args, role_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = role_choices
        # A GET form (its result is a page address): no CSRF token.
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = "roles:compare_index"
        self.helper.form_id = "compare-picker"
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            # The error sits with the control it is about: under the question,
            # above the choices.
            ChoiceFieldset(
                "roles",
                choices="card_list",
                options_class="picker-options",
                error_id="roles-error",
            ),
            # Named, so a submission with no role ticked is still a submission
            # (and gets its message) rather than the empty picker again.
            SubmitButton("Compare", name="compare"),
        )

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
                "Choose two to five roles: a wider table is hard to read."
            )
        return chosen
