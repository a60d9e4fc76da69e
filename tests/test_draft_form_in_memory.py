"""A change form over an open draft is built in memory: the record and its
rows as the draft has them are unsaved instances (``services.in_memory``),
bound to the form and its inline formsets through the admin's hooks. The
live rows are never written or locked to show or stage it - not even in a
transaction rolled back afterwards, as the form once did - and rows the
draft deleted stay deleted, rows it added stay added.

Generic over every draftable model and each of its inlines (the records and
the row recipes are the admin seam test's)."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from roles import models as m
from roles.content_io.services import staged_primary_keys
from roles.editorial import workflow as wf

from .admin_forms import admin_form_data
from .test_admin_seam import ADD_ROW, RECORDS, _change_url, _edit, _errors, _snapshot
from .test_draft_staging import _live_tables, _writes_to

pytestmark = pytest.mark.django_db

# Row locks (PostgreSQL; SQLite, the default test database, has none).
LOCKING = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b", re.IGNORECASE)


def _locks_on(queries, tables: set[str]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if LOCKING.search(q["sql"]) and any(f'"{t}"' in q["sql"] for t in tables)
    ]


def _row_changes(data: dict, form, ctx: dict) -> dict[str, dict]:
    """Per inline of ``form``: the ids ``data`` deletes, and the values of
    the row ``_edit`` adds (round 0)."""
    out = {}
    for inline in form.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        deleted = {
            str(data[f"{prefix}-{i}-id"])
            for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
            if data.get(f"{prefix}-{i}-id") and data.get(f"{prefix}-{i}-DELETE")
        }
        added = {k: str(v) for k, v in ADD_ROW[formset.model](ctx, 0).items()}
        if formset.model is m.Option and data.get("kind") == m.QuestionKind.AGREEMENT:
            added = {}  # an agreement statement has no options
        out[prefix] = {"deleted": deleted, "added": added, "fields": list(added)}
    return out


def _shown_rows(form, prefix: str, fields: list[str]) -> tuple[set[str], list]:
    """The ids and the field values of the rows the form shows in one inline."""
    data = admin_form_data(form)
    ids, rows = set(), []
    for i in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        key = f"{prefix}-{i}-"
        if data.get(key + "id"):
            ids.add(str(data[key + "id"]))
        rows.append({f: str(data.get(key + f, "")) for f in fields})
    return ids, rows


def _with_open_draft(client, record: str):
    """The record, and its open draft saved from a form that changed every
    field, deleted a row of each inline and added one."""
    ctx: dict = {}
    obj = RECORDS[record](ctx)
    model = type(obj)
    url = _change_url(obj)
    form = client.get(url)
    data = _edit(form, ctx, model, 0)
    response = client.post(url, {**data, "_save_draft": "1"})
    assert response.status_code == 302, _errors(response)
    draft = m.Draft.objects.open().get()
    return ctx, obj, url, form, data, draft


@pytest.mark.parametrize("record", list(RECORDS))
def test_the_form_over_a_draft_is_shown_without_writing(publisher_client, record):
    ctx, obj, url, opened, data, draft = _with_open_draft(publisher_client, record)
    kind = wf.kind_of(type(obj))
    live_before = wf.record_doc(kind=kind, object_id=obj.pk)
    assert draft.doc != live_before

    with CaptureQueriesContext(connection) as queries:
        form = publisher_client.get(url)
    assert form.status_code == 200
    tables = _live_tables()
    assert _writes_to(queries.captured_queries, tables) == []
    assert _locks_on(queries.captured_queries, tables) == []

    # The draft's values, its deletions and its additions.
    assert _snapshot(form) == _snapshot(opened, data)
    changes = _row_changes(data, opened, ctx)
    if record != "questions-statement":  # an agreement statement has no rows
        assert any(c["deleted"] for c in changes.values()), "the draft deletes rows"
    for prefix, change in changes.items():
        ids, rows = _shown_rows(form, prefix, change["fields"])
        assert not ids & change["deleted"], f"{prefix}: a deleted row is back"
        if change["added"]:
            assert change["added"] in rows, f"{prefix}: the added row is missing"
    if record == "roles":
        # The defect once seen: a draft that deleted a related role showed
        # the old rows again.
        related = next(p for p in changes if p.startswith("related_links"))
        assert changes[related]["deleted"]
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before


@pytest.mark.parametrize("record", list(RECORDS))
def test_saving_a_draft_over_a_draft_keeps_it_and_writes_nothing(
    publisher_client, record
):
    ctx, obj, url, _opened, _data, draft = _with_open_draft(publisher_client, record)
    model = type(obj)
    kind = wf.kind_of(model)
    live_before = wf.record_doc(kind=kind, object_id=obj.pk)

    # Saved again as shown: the same draft, deletions and additions kept.
    form = publisher_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = publisher_client.post(
            url, {**admin_form_data(form), "_save_draft": "1"}
        )
    assert response.status_code == 302, _errors(response)
    assert _writes_to(queries.captured_queries, _live_tables()) == []
    assert m.Draft.objects.open().get().doc == draft.doc

    # Changed again: the draft is what the live save of the same form,
    # over the same draft, writes (that save is rolled back here).
    form = publisher_client.get(url)
    again = _edit(form, ctx, model, 1)
    with transaction.atomic():
        response = publisher_client.post(url, {**again, "_continue": "1"})
        assert response.status_code == 302, _errors(response)
        saved = wf.record_doc(kind=kind, object_id=obj.pk)
        transaction.set_rollback(True)
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before
    with CaptureQueriesContext(connection) as queries:
        response = publisher_client.post(url, {**again, "_save_draft": "1"})
    assert response.status_code == 302, _errors(response)
    assert _writes_to(queries.captured_queries, _live_tables()) == []
    assert m.Draft.objects.open().get().doc == saved
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before


@pytest.mark.parametrize("record", list(RECORDS))
def test_a_live_save_over_a_draft_writes_the_draft(publisher_client, record):
    _ctx, obj, url, _opened, _data, draft = _with_open_draft(publisher_client, record)
    kind = wf.kind_of(type(obj))
    form = publisher_client.get(url)
    response = publisher_client.post(url, {**admin_form_data(form), "_save": "1"})
    assert response.status_code == 302, _errors(response)
    assert wf.record_doc(kind=kind, object_id=obj.pk) == draft.doc
    draft.refresh_from_db()
    assert draft.state == m.DraftState.PUBLISHED


@pytest.mark.parametrize("record", list(RECORDS))
def test_the_record_in_memory_is_the_draft(publisher_client, record):
    """Built from the draft without writing, the record serialises back to
    the draft: its fields, kept rows, new rows, and none of the deleted."""
    _ctx, obj, _url, _opened, _data, draft = _with_open_draft(publisher_client, record)
    kind = wf.kind_of(type(obj))
    spec = wf.KIND_SPECS[kind]
    live = spec.model._default_manager.get(pk=obj.pk)
    with CaptureQueriesContext(connection) as queries, staged_primary_keys():
        drafted = wf.record_in_memory(kind=kind, live=live, doc=draft.doc)
        doc = spec.serialise(drafted)
    assert _writes_to(queries.captured_queries, _live_tables()) == []
    assert doc == draft.doc
    assert drafted.pk == obj.pk
    assert wf.record_doc(kind=kind, object_id=obj.pk) != draft.doc


def test_a_viewer_sees_the_form_over_the_draft_read_only(publisher_client, client):
    """Someone who may view a record but not change it sees it as its open
    draft has it (as an editor would), every field read-only, nothing
    written."""
    from django.contrib.auth.models import Permission, User

    _ctx, obj, url, _opened, _data, draft = _with_open_draft(publisher_client, "roles")
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_role", content_type__app_label="roles")
    )
    client.force_login(viewer)
    live_before = wf.record_doc(kind=draft.kind, object_id=obj.pk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert _writes_to(queries.captured_queries, _live_tables()) == []
    html = page.content.decode()
    assert str(draft.doc["name"]) in html and str(obj.name) not in html.replace(
        str(draft.doc["name"]), ""
    )
    # Read-only: no input for the record's own fields, no save button.
    assert 'name="name"' not in html
    assert 'name="_save"' not in html
    assert page.context["original"].name == draft.doc["name"]
    assert wf.record_doc(kind=draft.kind, object_id=obj.pk) == live_before
