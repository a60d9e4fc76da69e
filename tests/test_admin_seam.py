"""The admin seam: every field and child row of every draftable model survives
the editor's round trip through the admin — open the change form, change, add
and delete rows, "Save draft", reopen (the form's rows and their initial data
come from the draft, deletions included), change, add and delete rows again,
"Save draft", reopen, preview (unsaved form and saved draft), publish — and the
live record is exactly what was drafted.

The models and their inlines come from the registry and the admin site, so a
new draftable model or a new inline fails here until it has a recipe below."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from roles import models as m
from roles.editorial import workflow as wf
from roles.publishing import registry

from .admin_forms import admin_form_data
from .factories import (
    DimensionFactory,
    ResponsibilityFactory,
    RoleFactory,
    ThemeFactory,
    make_comparison,
    make_complete_guide,
    make_scenario,
    make_statement,
)

pytestmark = pytest.mark.django_db

#: Form fields the round trip leaves alone: identities that name the record
#: (renames have their own tests), publishing state (a draft is published by
#: the publish action) and the row order, which the document keeps as the
#: rows' sequence rather than as numbers.
UNEDITED = {"slug", "key", "status", "publish_at", "unpublish_at", "order"}
HIDDEN = {
    "id",
    "DELETE",
    "order",
    "_workflow_token",
    "_record_version",
    "_base_doc",
    "confirm_impact",
}


# --- the records, and how an editor adds a row to each inline -------------------


def _role(ctx: dict):
    theme = ThemeFactory(slug="seam-theme")
    ctx["theme"] = theme
    dims = [DimensionFactory(slug=f"seam-dim-{i}") for i in range(2)]
    role = RoleFactory(slug="seam", name="Seam Role", summary="Seam summary.")
    for i in range(2):
        ResponsibilityFactory(role=role, theme=theme, text=f"Seam duty {i}.", order=i)
    for dim in dims:
        m.DimensionValue.objects.create(role=role, dimension=dim, value=f"{dim.slug}")
    make_complete_guide(role)
    ctx["spare_roles"] = [
        RoleFactory(slug=f"seam-spare-{i}", name=f"Spare {i}") for i in range(4)
    ]
    ctx["spare_dimensions"] = [
        DimensionFactory(slug=f"seam-dim-spare-{i}") for i in range(2)
    ]
    return role


def _role_added_in_admin(ctx: dict):
    """A new role as the add form leaves it: a draft, its guide still empty
    (no skills, ways in, week, anti-patterns, related roles or career paths)."""
    role = m.Role.objects.get(pk=_role(ctx).pk)
    role.status = m.Status.DRAFT
    role.save()
    for name in ("skills", "ways_in", "typical_week", "anti_patterns"):
        getattr(role, name).all().delete()
    role.related_links.all().delete()
    role.paths_out.all().delete()
    return role


def _comparison(ctx: dict):
    roles = [RoleFactory(slug=f"seam-cmp-{i}", name=f"Compared {i}") for i in range(3)]
    factor = m.ContextFactor.objects.create(slug="seam-size", name="Size")
    ctx["factor"] = factor
    ctx["spare_roles"] = [
        RoleFactory(slug=f"seam-cmp-spare-{i}", name=f"Compared spare {i}")
        for i in range(2)
    ]
    return make_comparison(
        roles, title="Seam comparison", notes=[(factor, "Small", "Small note.")]
    )


def _question(ctx: dict):
    roles = [RoleFactory(slug=f"seam-q-{i}", name=f"Quiz role {i}") for i in range(2)]
    return make_scenario(
        [{roles[0]: 2}, {roles[1]: 3}, {roles[0]: 1, roles[1]: 1}], key="seam-q"
    )


def _statement(ctx: dict):
    roles = [
        RoleFactory(slug=f"seam-s-{i}", name=f"Statement role {i}") for i in range(2)
    ]
    return make_statement({roles[0]: 2, roles[1]: 1}, key="seam-s")


RECORDS = {
    "roles": _role,
    "roles-added": _role_added_in_admin,
    "comparisons": _comparison,
    "questions": _question,
    "questions-statement": _statement,
}

# One recipe per inline model: the values an editor types into a new row in
# round ``n`` of the round trip (each round adds a different row).
ADD_ROW = {
    m.Responsibility: lambda ctx, n: {
        "theme": ctx["theme"].pk,
        "text": f"Added duty {n}.",
    },
    m.Source: lambda ctx, n: {
        "title": f"Added source {n}",
        "publisher": "Seam Press",
        "url": f"https://example.org/seam/added-source-{n}",
        "note": "Added.",
    },
    m.DimensionValue: lambda ctx, n: {
        "dimension": ctx["spare_dimensions"][n].pk,
        "value": f"Added value {n}.",
    },
    m.Skill: lambda ctx, n: {
        "name": f"Added skill {n}",
        "level": m.SkillLevel.values[n % len(m.SkillLevel.values)],
        "note": "New.",
    },
    m.WayIn: lambda ctx, n: {"title": f"Added way in {n}", "text": "From afar."},
    m.WeekActivity: lambda ctx, n: {
        "activity": f"Added {n}",
        "hours": 2,
        "text": "More.",
    },
    m.AntiPattern: lambda ctx, n: {"name": f"Added anti-pattern {n}", "text": "Oops."},
    m.RelatedRole: lambda ctx, n: {"related": ctx["spare_roles"][n].pk},
    m.CareerPath: lambda ctx, n: {
        "to_role": ctx["spare_roles"][2 + n].pk,
        "summary": f"Onwards to spare role {n}.",
        "new_responsibilities": "Owning more\nOwning it all",
        "skills_to_build": "Patience\nFocus",
    },
    m.ComparisonRole: lambda ctx, n: {
        "role": ctx["spare_roles"][n].pk,
        "suits": f"Suits spare {n}.",
    },
    m.ContextNote: lambda ctx, n: {
        "factor": ctx["factor"].pk,
        "label": f"Large {n}",
        "note": "Large note.",
        "order": 1 + n,
    },
    m.Option: lambda ctx, n: {"text": f"An added option {n}."},
}


def test_every_draftable_model_and_inline_has_a_recipe():
    kinds = {kind.split("-")[0] for kind in RECORDS}
    assert kinds == set(registry.draftable()), "add a record to RECORDS"
    for model in registry.draftable().values():
        for inline in admin.site.get_model_admin(model).inlines:
            assert inline.model in ADD_ROW, f"add a row recipe for {inline.model}"


# --- reading and changing the admin's POST data --------------------------------


def _inline_prefixes(response) -> dict[str, list[str]]:
    """Each inline formset's prefix and the fields of its forms."""
    out = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        fk = formset.fk.name
        out[formset.prefix] = [
            name
            for name in formset.empty_form.fields
            if name not in HIDDEN and name != fk
        ]
    return out


def _char_fields(response) -> dict[str, set[str]]:
    out = {}
    for inline in response.context["inline_admin_formsets"]:
        fields = inline.formset.empty_form.fields
        out[inline.formset.prefix] = {
            name for name, field in fields.items() if _is_text(field)
        }
    return out


def _is_text(field) -> bool:
    return isinstance(field, forms.CharField) and not field.widget.is_hidden


def _rows(data: dict, prefix: str, fields: list[str], text: set[str]) -> list:
    """The rows of one inline as the form holds them (deleted rows and blank
    new rows left out), in a comparable form."""
    rows = []
    for i in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        key = f"{prefix}-{i}-"
        if data.get(key + "DELETE"):
            continue
        values = {name: str(data.get(key + name, "")) for name in fields}
        is_new = not data.get(key + "id")
        if is_new and text and not any(values[name] for name in text):
            continue  # an empty extra row (a dimension without a value yet)
        if is_new and not any(values.values()):
            continue
        rows.append(tuple(sorted(values.items())))
    return sorted(rows)


def _snapshot(response, data: dict | None = None) -> dict:
    """What the form shows: main fields and every inline's rows."""
    data = admin_form_data(response) if data is None else data
    main = {
        name: data.get(name)
        for name in data
        if "-" not in name and name not in HIDDEN and not name.startswith("_")
    }
    text = _char_fields(response)
    return {
        "main": main,
        **{
            prefix: _rows(data, prefix, fields, text[prefix])
            for prefix, fields in _inline_prefixes(response).items()
        },
    }


def _edited(value: str, field) -> str:
    if isinstance(field, forms.URLField):
        return value.rstrip("/") + "-edited"
    return f"{value} (edited)".strip()[: field.max_length or None]


def _edit(response, ctx: dict, model, n: int) -> dict:
    """Change every text and number field of the record and of one row per
    inline, delete a row from each inline, add a row to each (round ``n``)."""
    data = admin_form_data(response)
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if name in UNEDITED or name in HIDDEN or field.widget.is_hidden:
            continue
        if name.startswith("points_") and model is m.Question:
            if data.get("kind") == m.QuestionKind.SCENARIO:
                continue  # a scenario's points are its options'
            data[name] = "3" if data.get(name) != "3" else "4"
            continue
        if _is_text(field) and not isinstance(field, forms.SlugField):
            if isinstance(field.widget, forms.Select):
                continue
            data[name] = _edited(str(data.get(name, "")), field)
        elif isinstance(field, forms.IntegerField):
            data[name] = "42" if data.get(name) != "42" else "41"
        elif isinstance(field, forms.DateField):
            data[name] = "2026-01-02"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        total = int(data[f"{prefix}-TOTAL_FORMS"])
        saved = [i for i in range(total) if data.get(f"{prefix}-{i}-id")]
        if len(saved) > max(formset.min_num, 1):
            data[f"{prefix}-{saved[-1]}-DELETE"] = "on"
            saved = saved[:-1]
        for i in saved[:1]:
            for name, field in formset.empty_form.fields.items():
                if name in UNEDITED or name in HIDDEN or field.widget.is_hidden:
                    continue
                key = f"{prefix}-{i}-{name}"
                if _is_text(field) and not isinstance(field.widget, forms.Select):
                    data[key] = _edited(str(data.get(key, "")), field)
                elif isinstance(field, forms.IntegerField):
                    value = 3 if data.get(key) != "3" else 4
                    data[key] = str(value)
        if formset.model is m.Option and data.get("kind") == m.QuestionKind.AGREEMENT:
            continue  # an agreement statement has no options
        values = ADD_ROW[formset.model](ctx, n)
        # A prefilled extra row (a dimension still without a value) is where
        # an editor types; otherwise "Add another" makes a row.
        blank = next(
            (
                i
                for i in range(total)
                if not data.get(f"{prefix}-{i}-id")
                and str(data.get(f"{prefix}-{i}-{formset.fk.name}", ""))
                in ("", str(formset.instance.pk))
                and all(
                    str(data.get(f"{prefix}-{i}-{k}", "")) in ("", str(v))
                    for k, v in values.items()
                )
            ),
            None,
        )
        index = total if blank is None else blank
        for name in formset.empty_form.fields:
            if name.startswith("points_"):
                data.setdefault(f"{prefix}-{index}-{name}", "0")
        for name, value in values.items():
            data[f"{prefix}-{index}-{name}"] = str(value)
        data.setdefault(f"{prefix}-{index}-order", str(1000 + index))
        if blank is None:
            data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


def _change_url(obj) -> str:
    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("record", list(RECORDS))
def test_every_field_and_row_round_trips_through_a_draft(publisher_client, record):
    ctx: dict = {}
    obj = RECORDS[record](ctx)
    model = type(obj)
    kind = wf.kind_of(model)
    url = _change_url(obj)
    live_before = wf.record_doc(kind=kind, object_id=obj.pk)

    form = publisher_client.get(url)
    assert form.status_code == 200
    for n in range(2):
        # Change, add and delete rows of the form as opened (round 0: the
        # live record; round 1: the draft) and save a draft.
        data = _edit(form, ctx, model, n)
        expected = _snapshot(form, data)
        response = publisher_client.post(url, {**data, "_save_draft": "1"})
        assert response.status_code == 302, _errors(response)
        draft = m.Draft.objects.open().get()
        assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before

        # Reopened, the form shows the draft exactly, deletions included,
        # and each formset's initial data is the draft's rows.
        form = publisher_client.get(url)
        assert form.status_code == 200
        assert _snapshot(form) == expected, f"round {n}"
        assert _initial_snapshot(form) == expected, f"round {n}: initial data"

    # Previewing the form unchanged, and the saved draft, saves nothing.
    again = admin_form_data(form)
    page = publisher_client.post(url, {**again, "_preview": "1"})
    assert page.status_code == 200, _errors(page)
    preview = publisher_client.get(
        reverse("admin:roles_draft_preview", args=[draft.pk]), follow=True
    )
    if record == "roles-added":
        # An unfinished guide is not previewed as a published page; the
        # editor is told what is missing.
        assert "needs" in _messages(preview), _messages(preview)
    else:
        assert preview.status_code == 200
        assert preview.redirect_chain == []
    assert m.Draft.objects.get(pk=draft.pk).doc == draft.doc
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before

    # Saving it again unchanged keeps the draft as it was.
    response = publisher_client.post(url, {**again, "_save_draft": "1"})
    assert response.status_code == 302, _errors(response)
    doc = m.Draft.objects.get(pk=draft.pk).doc
    assert doc == draft.doc

    if record == "roles-added":
        return  # an unfinished guide is not published
    response = publisher_client.post(draft.get_absolute_url(), {"_publish": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED, _messages(response)
    live = wf.record_doc(kind=kind, object_id=obj.pk)
    assert live == {**doc, "status": m.Status.PUBLISHED, "publish_at": None}
    assert _snapshot(publisher_client.get(url)) == expected


def _initial_snapshot(response) -> dict:
    """The form's snapshot from the initial data of its forms (what Django
    compares a posted row with to decide whether it changed), not from the
    values shown."""
    data: dict = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[name] = form[name].initial
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.total_form_count()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].initial
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = value
    compared = admin_form_data(response)
    main = {
        name: compared.get(name)
        for name in compared
        if "-" not in name and name not in HIDDEN and not name.startswith("_")
    }
    snapshot = _snapshot(response, data)
    snapshot["main"] = main
    return snapshot


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def _errors(response) -> str:
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return str(response.status_code)
    parts = [str(context["adminform"].form.errors)]
    for inline in context["inline_admin_formsets"]:
        parts.append(f"{inline.formset.prefix}: {inline.formset.errors}")
        parts.append(str(inline.formset.non_form_errors()))
    return "\n".join(parts)
