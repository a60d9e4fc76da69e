"""Build the POST data an admin change form would send, from the form the
admin rendered (so tests change only what a person would change)."""

from __future__ import annotations

from django import forms


def _put(data: dict, bound) -> None:
    value = bound.value()
    widget = bound.field.widget
    name = bound.html_name
    if isinstance(widget, forms.MultiWidget):
        if isinstance(value, (list, tuple)):  # a bound form: the posted parts
            parts = list(value)
        else:
            parts = widget.decompress(value) if value else []
        for i, part in enumerate(parts):
            if part is not None:
                data[f"{name}_{i}"] = str(part)
        return
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        return
    if isinstance(value, (list, tuple)):
        data[name] = [str(v) for v in value]
        return
    data[name] = str(value)


def admin_form_data(response) -> dict:
    data: dict = {}
    token = response.context.get("workflow_token")
    if token:
        data["_workflow_token"] = token
    for key, name in (
        ("workflow_version", "_record_version"),
        ("workflow_base", "_base_doc"),
    ):
        if response.context.get(key):
            data[name] = response.context[key]
    # A form restored from a saved copy says what the copy was typed on.
    restored = response.context.get("workflow_restored")
    if restored:
        data["_restored_version"] = restored.version
        data["_restored_base"] = restored.base
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            _put(data, formset.management_form[name])
        for sub in formset.forms:
            for name in sub.fields:
                _put(data, sub[name])
    return data
