"""Staging a draft does not run the live save: "Save draft" and "Submit for
review" validate the posted form and its inlines and build the draft's
document in memory (``roles.editorial.staged``). The admin's save hooks never
run, no history is recorded, and - when the record has no open draft - not
one INSERT, UPDATE or DELETE reaches a content table.

Generic over every draftable model and each of its inlines (the records and
the row recipes are the admin seam test's)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Revision, Version

from roles import models as m
from roles.editorial import staged
from roles.editorial import workflow as wf
from roles.publishing import registry

from .test_admin_seam import RECORDS, _change_url, _edit, _errors

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ACTIONS = ["_save_draft", "_submit_draft"]


def _live_tables() -> set[str]:
    """Every content table (records and their rows) and the history's."""
    tables = {model._meta.db_table for model in registry.content_models()}
    return tables | {Revision._meta.db_table, Version._meta.db_table}


def _writes_to(queries, tables: set[str]) -> list[str]:
    out = []
    for query in queries:
        sql = query["sql"]
        if not WRITE.match(sql):
            continue
        head = sql.split(" WHERE ")[0].split(" SET ")[0]
        if any(f'"{table}"' in head for table in tables):
            out.append(sql)
    return out


@pytest.fixture
def no_live_save(monkeypatch):
    """The admin's save hooks fail the test if a staging action calls them."""
    called: list[str] = []

    def watch(model):
        model_admin = admin.site.get_model_admin(model)
        for name in ("save_model", "save_related", "save_formset", "delete_model"):

            def hook(*args, _name=name, **kwargs):
                called.append(f"{model.__name__}Admin.{_name}")
                raise AssertionError(f"{_name} ran while staging a draft")

            monkeypatch.setattr(model_admin, name, hook)

    return watch, called


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("record", list(RECORDS))
def test_staging_writes_nothing_live(publisher_client, no_live_save, record, action):
    ctx: dict = {}
    obj = RECORDS[record](ctx)
    model = type(obj)
    kind = wf.kind_of(model)
    watch, called = no_live_save
    watch(model)
    url = _change_url(obj)
    live_before = wf.record_doc(kind=kind, object_id=obj.pk)
    versions = Version.objects.count()

    # No open draft: the form is bound over the live record, read only.
    form = publisher_client.get(url)
    data = _edit(form, ctx, model, 0)
    with CaptureQueriesContext(connection) as queries:
        response = publisher_client.post(url, {**data, action: "1"})
    assert response.status_code == 302, _errors(response)
    written = _writes_to(queries.captured_queries, _live_tables())
    assert written == [], written
    draft = m.Draft.objects.open().get()
    assert draft.doc != live_before  # the edits are in the draft...
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before  # ...only

    # An open draft: the form is bound over it (built in memory);
    # the admin's save still never runs and nothing is recorded in history.
    form = publisher_client.get(url)
    data = _edit(form, ctx, model, 1)
    response = publisher_client.post(url, {**data, action: "1"})
    assert response.status_code == 302, _errors(response)
    assert called == []
    assert Version.objects.count() == versions
    assert m.Draft.objects.open().get().doc != draft.doc
    assert wf.record_doc(kind=kind, object_id=obj.pk) == live_before


def test_new_rows_lose_their_provisional_keys(publisher_client):
    """The builder gives new rows a key only while it serialises them: the
    form rendered afterwards (say, with a problem) still shows them as new."""
    ctx: dict = {}
    obj = RECORDS["comparisons"](ctx)
    form = publisher_client.get(_change_url(obj))
    data = _edit(form, ctx, m.Comparison, 0)
    model_admin = admin.site.get_model_admin(m.Comparison)
    request = form.wsgi_request
    request.method = "POST"
    request.POST = data  # type: ignore[assignment]
    bound = model_admin._bound_form(request, obj.pk)
    assert bound is not None and bound.valid
    staged.stage_forms(bound.form, bound.editable)
    doc = staged.doc_from_forms(wf.kind_of(m.Comparison), bound.form, bound.editable)
    cache = bound.form.instance._prefetched_objects_cache
    added = [row for rows in cache.values() for row in rows if row._state.adding]
    assert added, "each inline got a new row"
    assert all(row.pk is None for row in added)
    assert ctx["spare_roles"][0].slug in doc["roles"]


def test_the_check_sees_a_live_save(publisher_client):
    """The control: a publisher's live save of the same form is seen writing."""
    ctx: dict = {}
    obj = RECORDS["comparisons"](ctx)
    url = _change_url(obj)
    data = _edit(publisher_client.get(url), ctx, m.Comparison, 0)
    with CaptureQueriesContext(connection) as queries:
        response = publisher_client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302, _errors(response)
    assert _writes_to(queries.captured_queries, _live_tables())


@pytest.mark.parametrize("record", list(RECORDS))
def test_the_staged_draft_is_what_save_would_write(publisher_client, record):
    """The document built in memory from the posted form equals the record
    the admin's real save writes from the same form."""
    ctx: dict = {}
    obj = RECORDS[record](ctx)
    model = type(obj)
    kind = wf.kind_of(model)
    url = _change_url(obj)
    data = _edit(publisher_client.get(url), ctx, model, 0)
    response = publisher_client.post(url, {**data, "_save_draft": "1"})
    assert response.status_code == 302, _errors(response)
    draft = m.Draft.objects.open().get()
    staged_doc = draft.doc
    draft.state = m.DraftState.DISCARDED
    draft.save()

    response = publisher_client.post(url, {**data, "_continue": "1"})
    assert response.status_code == 302, _errors(response)
    assert wf.record_doc(kind=kind, object_id=obj.pk) == staged_doc


def test_rows_a_form_does_not_post_are_kept(publisher_client):
    """As the admin's save keeps the rows a formset does not post (its
    management form counts fewer), so does the staged draft."""
    ctx: dict = {}
    obj = RECORDS["roles"](ctx)
    url = _change_url(obj)
    live = wf.record_doc(kind=m.DraftKind.ROLE, object_id=obj.pk)
    assert live["sources"], "the record has sources"
    data = {
        k: v
        for k, v in _edit(publisher_client.get(url), ctx, m.Role, 0).items()
        if not k.startswith("sources-")
    }
    data.update({"sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0"})
    response = publisher_client.post(url, {**data, "_save_draft": "1"})
    assert response.status_code == 302, _errors(response)
    draft = m.Draft.objects.open().get()
    assert draft.doc["sources"] == live["sources"]
    assert draft.doc["summary"] != live["summary"]


def test_what_a_staged_record_breaks_is_said_on_the_form(publisher_client):
    """A rule of the whole record (a role related to itself) refuses the
    draft: the form comes back as posted with the problem among its own
    errors - state on the form, none left on the request - and nothing is
    saved."""
    ctx: dict = {}
    obj = RECORDS["roles"](ctx)
    url = _change_url(obj)
    form = publisher_client.get(url)
    data = _edit(form, ctx, m.Role, 0)
    prefix = next(
        inline.formset.prefix
        for inline in form.context["inline_admin_formsets"]
        if inline.formset.model is m.RelatedRole
    )
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-{total - 1}-related"] = str(obj.pk)
    response = publisher_client.post(url, {**data, "_save_draft": "1"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert any("cannot be related to itself" in e for e in errors), errors
    assert not [k for k in vars(response.wsgi_request) if k.startswith("_workflow")]
    assert not m.Draft.objects.exists()
    rendered = response.content.decode()
    assert "cannot be related to itself" in rendered


def test_the_lock_buttons_keep_what_was_typed_without_writing_it(publisher_client):
    """ "Keep my lock" posted with the whole form (no JavaScript): what was
    typed is compared with the version the form was opened on, in memory,
    and kept as a saved copy; the live record is not written."""
    ctx: dict = {}
    obj = RECORDS["comparisons"](ctx)
    url = _change_url(obj)
    data = _edit(publisher_client.get(url), ctx, m.Comparison, 0)
    lock_url = reverse("admin:roles_comparison_lock", args=[obj.pk])
    with CaptureQueriesContext(connection) as queries:
        response = publisher_client.post(lock_url, {**data, "_lock": "1"}, follow=True)
    assert response.status_code == 200
    assert "not saved yet" in " ".join(str(x) for x in response.context["messages"])
    assert m.AutosavedCopy.objects.filter(object_id=obj.pk).count() == 1
    written = _writes_to(queries.captured_queries, _live_tables())
    assert written == [], written
