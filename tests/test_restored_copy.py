# ruff: noqa: F811 (fixtures imported from test_concurrency are parameters here)
"""Issue 21: a saved copy restored and saved as a draft starts from the
version it was typed on. When the record moved on meanwhile the draft is
stale and is rebased - it never quietly undoes the change that was saved
first (the copy holds that field's old value)."""

from __future__ import annotations

import pytest

from roles import models as m
from roles.editorial import workflow as wf
from roles.editorial.admin_common import SPARE_ROWS

from .formdata import form_data
from .test_concurrency import _open, _text, _url, ana, eve, role  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_restored_copy_saved_as_a_draft_is_stale_and_rebases_onto_the_live_change(
    ana, eve, role
):
    stale = _open(eve, role)
    first = _open(ana, role)
    first.update(origin="Ana's published origin.", _continue="1")
    assert ana.post(_url(role), first).status_code == 302  # live now
    stale.update(summary="Eve's summary, typed on the old version.", _save_draft="1")
    assert eve.post(_url(role), stale).status_code == 200  # refused, copied
    copy = m.AutosavedCopy.objects.get()

    restored = eve.get(_url(role) + f"?restore={copy.pk}")
    # As the browser would post it back: every input on the page's form.
    data = form_data(restored.content.decode(), "role_form")
    assert data["origin"] == ["The live origin."]  # the copy's old value
    assert data["_restored_version"] and data["_restored_base"]
    # Its inlines come back too (they once lost their rows and management
    # form, so the restored copy could not be saved at all).
    assert "ManagementForm data is missing" not in restored.content.decode()
    # Its five skills, and the blank row drawn for editors without scripts.
    assert data["skills-INITIAL_FORMS"] == ["5"]
    assert data["skills-TOTAL_FORMS"] == [str(5 + SPARE_ROWS)]
    data["_save_draft"] = "1"
    saved = eve.post(_url(role), data)
    assert saved.status_code == 302

    draft = m.Draft.objects.get()
    assert wf.draft_is_stale(draft)
    assert "The live page changed after this draft was started" in _text(
        eve.get(_url(role))
    )
    fields = {f.field: f for f in wf.draft_rebase_fields(draft)}
    assert fields["origin"].theirs_changed and not fields["origin"].yours_changed
    assert fields["summary"].yours_changed and not fields["summary"].theirs_changed
    ana.post(draft.get_absolute_url(), {"_rebase": "1"})
    draft.refresh_from_db()
    assert (draft.doc["origin"], draft.doc["summary"]) == (
        "Ana's published origin.",
        "Eve's summary, typed on the old version.",
    )


def test_a_draft_saved_from_a_fresh_form_starts_from_the_live_version(eve, role):
    data = _open(eve, role)
    data.update(summary="Fresh.", _save_draft="1")
    eve.post(_url(role), data)
    assert not wf.draft_is_stale(m.Draft.objects.get())


def test_a_forged_restored_base_is_ignored(eve, role):
    data = _open(eve, role)
    data.update(
        summary="Fresh.",
        _save_draft="1",
        _restored_version="2001-01-01T00:00:00+00:00",
        _restored_base="not-a-signed-document",
    )
    eve.post(_url(role), data)
    assert not wf.draft_is_stale(m.Draft.objects.get())
