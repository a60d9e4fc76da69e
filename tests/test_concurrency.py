"""Issue 21 items 2 and 3: editors never overwrite each other without a word.

Two editors and publishers, each with a test client of their own: a save of a
form opened on an older version is refused with their change beside yours,
and what was typed is kept (in the form and in a saved copy); an editor can
lock a record and a publisher can break the lock with a note; a draft whose
live page changed after it was started says so, and is rebased field by
field before it is published."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles import models as m
from roles.editorial import concurrency as cc
from roles.editorial import workflow as wf
from roles.editorial.merge import rebase, three_way
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP
from roles.publishing import registry

from . import test_admin_seam as seam
from .admin_forms import admin_form_data
from .factories import ResponsibilityFactory, RoleFactory, make_complete_guide

pytestmark = pytest.mark.django_db


def _user(django_user_model, name: str, *, publisher: bool):
    user = django_user_model.objects.create_user(
        name, password="a-long-test-password", is_staff=True
    )
    groups = [EDITORS_GROUP, PUBLISHERS_GROUP] if publisher else [EDITORS_GROUP]
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana(django_user_model):
    return _client(_user(django_user_model, "ana", publisher=True))


@pytest.fixture
def ben(django_user_model):
    return _client(_user(django_user_model, "ben", publisher=True))


@pytest.fixture
def eve(django_user_model):
    return _client(_user(django_user_model, "eve", publisher=False))


@pytest.fixture
def role():
    role = RoleFactory(
        slug="live", summary="The live summary.", origin="The live origin."
    )
    ResponsibilityFactory(role=role, text="A live duty.", order=0)
    return make_complete_guide(role)


def _url(obj) -> str:
    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


def _open(client, obj) -> dict:
    return admin_form_data(client.get(_url(obj)))


def _text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


# --- optimistic concurrency ---------------------------------------------------------


def test_two_publishers_saving_one_role_the_second_is_refused_and_keeps_typing(
    ana, ben, role
):
    first, second = _open(ana, role), _open(ben, role)
    first.update(summary="Ana's summary.", _continue="1")
    assert ana.post(_url(role), first).status_code == 302
    second.update(origin="Ben's origin.", _continue="1")
    response = ben.post(_url(role), second)

    assert response.status_code == 200
    role.refresh_from_db()
    # Ana's change is not overwritten, Ben's is not saved...
    assert (role.summary, role.origin) == ("Ana's summary.", "The live origin.")
    page = _text(response)
    assert "Someone saved this record after you opened it" in page
    # ...but what Ben typed is in the form, and kept as a copy.
    assert response.context["adminform"].form["origin"].value() == "Ben's origin."
    copy = m.AutosavedCopy.objects.get()
    assert copy.data["origin"] == ["Ben's origin."]
    # Their change beside his, field by field.
    fields = {f.field: f for f in response.context["workflow_conflict"]["fields"]}
    assert set(fields) == {"summary", "origin"}
    assert fields["summary"].theirs == "Ana's summary."
    assert not fields["summary"].yours_changed
    assert fields["origin"].yours == "Ben's origin."
    assert not fields["origin"].theirs_changed
    assert "Their change and yours" in page

    # Saved again from the refused form, as it came back: written live it
    # would put Ana's summary back as Ben opened it, so his change becomes a
    # draft on top of hers, and he is told why.
    again = admin_form_data(response)
    again["_continue"] = "1"
    saved = ben.post(_url(role), again, follow=True)
    role.refresh_from_db()
    assert (role.summary, role.origin) == ("Ana's summary.", "The live origin.")
    draft = m.Draft.objects.get()
    assert (draft.doc["summary"], draft.doc["origin"]) == (
        "Ana's summary.",
        "Ben's origin.",
    )
    assert "saved as a draft on top of theirs" in _text(saved)


def test_the_autosaved_copy_is_restored_into_the_form_later(ana, eve, role):
    stale = _open(eve, role)
    first = _open(ana, role)
    first.update(summary="Saved first.", _save_draft="1")
    ana.post(_url(role), first)
    stale.update(summary="Eve's long text, typed for an hour.", _save_draft="1")
    eve.post(_url(role), stale)
    assert m.Draft.objects.get().doc["summary"] == "Saved first."

    form = eve.get(_url(role))
    copy = m.AutosavedCopy.objects.get()
    assert f"?restore={copy.pk}" in form.content.decode()
    restored = eve.get(_url(role) + f"?restore={copy.pk}")
    assert restored.status_code == 200
    value = restored.context["adminform"].form["summary"].value()
    assert value == "Eve's long text, typed for an hour."
    assert m.Draft.objects.get().doc["summary"] == "Saved first."  # a GET saves nothing
    # Another editor cannot open Eve's copy.
    assert ana.get(_url(role) + f"?restore={copy.pk}").status_code == 404


def test_two_editors_saving_drafts_the_second_keeps_their_text(ana, eve, role):
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(summary="Eve's draft.", _submit_draft="1")
    response = eve.post(_url(role), e)
    assert response.status_code == 200
    draft = m.Draft.objects.get()
    assert (draft.doc["summary"], draft.state) == ("Ana's draft.", m.DraftState.DRAFT)
    fields = {f.field: f for f in response.context["workflow_conflict"]["fields"]}
    assert fields["summary"].conflict
    assert (fields["summary"].theirs, fields["summary"].yours) == (
        "Ana's draft.",
        "Eve's draft.",
    )


def test_the_version_is_checked_inside_the_saving_transaction(ana, role, monkeypatch):
    """The check and the save are one transaction, the live row and the draft
    read FOR UPDATE (PostgreSQL), so a second save waits and then is refused."""
    seen = []
    check = cc.edit_refusal

    def spy(**kwargs):
        seen.append(connection.in_atomic_block)
        with CaptureQueriesContext(connection) as queries:
            result = check(**kwargs)
        if connection.features.has_select_for_update:
            locked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
            assert len(locked) == 2, queries.captured_queries
        return result

    monkeypatch.setattr(cc, "edit_refusal", spy)
    data = _open(ana, role)
    data.update(summary="Checked.", _save_draft="1")
    assert ana.post(_url(role), data).status_code == 302
    assert seen == [True]


def test_publishing_a_draft_changed_after_the_review_page_opened_is_refused(
    ana, eve, role
):
    data = _open(eve, role)
    data.update(summary="Reviewed text.", _save_draft="1")
    eve.post(_url(role), data)
    draft = m.Draft.objects.get()
    review = ana.get(draft.get_absolute_url())
    token = review.context["draft_token"]
    data = _open(eve, role)
    data.update(summary="Changed after review.", _save_draft="1")
    eve.post(_url(role), data)

    response = ana.post(
        draft.get_absolute_url(), {"_publish": "1", "_draft_token": token}, follow=True
    )
    assert "saved again after you opened this page" in _text(response)
    role.refresh_from_db()
    assert role.summary == "The live summary."


# --- edit locks -----------------------------------------------------------------------


def test_an_edit_lock_is_shown_refuses_others_and_a_publisher_breaks_it_with_a_note(
    ana, eve, role
):
    lock_url = reverse("admin:roles_role_lock", args=[role.pk])
    eve.post(lock_url, {"_lock": "1"})
    lock = m.EditLock.objects.held().get()
    since = cc.when(lock.created_at)
    assert re.fullmatch(r"\d\d:\d\d", since)

    # Shown on the change form and in the list, to everyone else.
    assert f"Locked by eve since {since}" in _text(ana.get(_url(role)))
    changelist = _text(ana.get(reverse("admin:roles_role_changelist")))
    assert f"Locked by eve since {since}" in changelist
    assert "You locked this record" in _text(eve.get(_url(role)))

    # Another's save is refused; what was typed is kept.
    data = _open(ana, role)
    data.update(summary="Ana while locked.", _continue="1")
    response = ana.post(_url(role), data)
    assert response.status_code == 200
    assert f"Locked by eve since {since}" in _text(response)
    # Saving again would be refused again: the notice says when it can work.
    assert "Saving again keeps" not in _text(response)
    assert "You can save once the lock is released or lapses" in _text(response)
    assert m.AutosavedCopy.objects.get().data["summary"] == ["Ana while locked."]
    role.refresh_from_db()
    assert role.summary == "The live summary."
    # The holder saves as usual.
    data = _open(eve, role)
    data.update(summary="Eve's draft.", _save_draft="1")
    assert eve.post(_url(role), data).status_code == 302

    # Only publishers break it, and only with a note.
    eve_form = _text(eve.get(_url(role)))
    assert "Break the lock" not in eve_form
    ana.post(lock_url, {"_break_lock": "1", "lock_note": " "})
    assert m.EditLock.objects.held().exists()
    ana.post(lock_url, {"_break_lock": "1", "lock_note": "Urgent fix for a typo."})
    assert not m.EditLock.objects.held().exists()
    notice = _text(eve.get(_url(role)))
    assert "ana broke your lock: Urgent fix for a typo." in notice


def test_an_editor_cannot_take_a_held_lock_or_release_anothers(ana, eve, role):
    lock_url = reverse("admin:roles_role_lock", args=[role.pk])
    eve.post(lock_url, {"_lock": "1"})
    response = ana.post(lock_url, {"_lock": "1"}, follow=True)
    assert "Locked by eve" in _text(response)
    assert m.EditLock.objects.held().get().locked_by.username == "eve"
    assert ana.post(lock_url, {"_unlock": "1"}).status_code == 403
    eve.post(lock_url, {"_unlock": "1"})
    assert not m.EditLock.objects.held().exists()


# --- stale drafts ---------------------------------------------------------------------


def _import_origin(role, origin: str) -> None:
    """A change to the live record as the CLI import writes it."""
    doc = wf.record_doc(kind="roles", object_id=role.pk)
    wf.KIND_SPECS["roles"].write({**doc, "origin": origin}, instance=role)


def test_a_stale_draft_says_so_and_is_rebased_before_publishing(ana, eve, role):
    data = _open(eve, role)
    data.update(summary="Drafted summary.", _save_draft="1")
    eve.post(_url(role), data)
    draft = m.Draft.objects.get()
    assert not wf.draft_is_stale(draft)
    _import_origin(m.Role.objects.get(pk=role.pk), "Imported origin.")
    assert wf.draft_is_stale(draft)

    note = "The live page changed after this draft was started"
    assert note in _text(ana.get(draft.get_absolute_url()))
    preview = ana.get(reverse("admin:roles_draft_preview", args=[draft.pk]))
    assert note in _text(preview)
    assert note in _text(eve.get(_url(role)))

    # Publishing it as it is would revert the import: refused.
    response = ana.post(draft.get_absolute_url(), {"_publish": "1"}, follow=True)
    assert note in _text(response)
    role.refresh_from_db()
    assert (role.origin, role.summary) == ("Imported origin.", "The live summary.")

    ana.post(draft.get_absolute_url(), {"_rebase": "1"})
    draft.refresh_from_db()
    assert (draft.doc["origin"], draft.doc["summary"]) == (
        "Imported origin.",
        "Drafted summary.",
    )
    assert not wf.draft_is_stale(draft)
    ana.post(draft.get_absolute_url(), {"_publish": "1"})
    role.refresh_from_db()
    assert (role.origin, role.summary) == ("Imported origin.", "Drafted summary.")


def test_rebasing_a_field_both_changed_takes_the_side_chosen(ana, eve, role):
    data = _open(eve, role)
    data.update(summary="Drafted summary.", origin="Drafted origin.", _save_draft="1")
    eve.post(_url(role), data)
    draft = m.Draft.objects.get()
    live = m.Role.objects.get(pk=role.pk)
    doc = wf.record_doc(kind="roles", object_id=role.pk)
    wf.KIND_SPECS["roles"].write(
        {**doc, "origin": "Imported origin.", "summary": "Imported summary."},
        instance=live,
    )
    review = ana.get(draft.get_absolute_url())
    conflicts = {f.field for f in review.context["rebase_fields"] if f.conflict}
    assert conflicts == {"origin", "summary"}
    assert 'name="choice_origin"' in review.content.decode()

    ana.post(
        draft.get_absolute_url(),
        {"_rebase": "1", "choice_origin": "theirs", "choice_summary": "yours"},
    )
    draft.refresh_from_db()
    assert (draft.doc["origin"], draft.doc["summary"]) == (
        "Imported origin.",
        "Drafted summary.",
    )


def test_a_scheduled_stale_draft_keeps_the_live_fields_it_did_not_touch(eve, role):
    data = _open(eve, role)
    data.update(summary="Drafted summary.", _save_draft="1")
    eve.post(_url(role), data)
    draft = m.Draft.objects.get()
    _import_origin(m.Role.objects.get(pk=role.pk), "Imported origin.")
    wf.draft_publish(draft=draft, user=None)
    role.refresh_from_db()
    assert (role.origin, role.summary) == ("Imported origin.", "Drafted summary.")


# --- the three-way compare (pure) --------------------------------------------------------


def test_three_way_and_rebase_take_each_side_where_only_it_changed():
    base = {"a": 1, "b": 1, "c": 1, "d": [1]}
    theirs = {"a": 2, "b": 1, "c": 3, "d": [1]}
    yours = {"a": 1, "b": 2, "c": 4, "d": [1]}
    fields = {f.field: f for f in three_way(base, theirs, yours)}
    assert set(fields) == {"a", "b", "c"}
    assert [f.conflict for f in fields.values()] == [False, False, True]
    assert rebase(base, theirs, yours) == {"a": 2, "b": 2, "c": 4, "d": [1]}
    assert rebase(base, theirs, yours, {"c": "theirs"}) == {
        "a": 2,
        "b": 2,
        "c": 3,
        "d": [1],
    }


# --- two saves at the same moment (PostgreSQL row locks) ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_the_second_waits_then_is_refused(
    ana, ben, role, monkeypatch
):
    """Two publishers press "Save and publish" together: the second save waits
    on the first one's row lock, then sees its version and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row "
            "locks, it serialises whole writes"
        )
    checked, release = threading.Event(), threading.Event()
    check = cc.edit_refusal

    def paused(**kwargs):
        result = check(**kwargs)
        if threading.current_thread().name == "first":
            checked.set()
            release.wait(10)  # holding the locks, as a slow save would
        return result

    monkeypatch.setattr(cc, "edit_refusal", paused)
    first, second = _open(ana, role), _open(ben, role)
    first.update(summary="First summary.", _continue="1")
    second.update(origin="Second origin.", _continue="1")
    responses: dict = {}

    def post(name, client, data):
        try:
            responses[name] = client.post(_url(role), data)
        finally:
            connection.close()

    a = threading.Thread(target=post, args=("first", ana, first), name="first")
    b = threading.Thread(target=post, args=("second", ben, second), name="second")
    a.start()
    assert checked.wait(10)
    b.start()
    b.join(1)
    assert b.is_alive(), "the second save did not wait for the first one's lock"
    release.set()
    a.join(10)
    b.join(10)
    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200
    assert "Someone saved this record" in _text(responses["second"])
    role.refresh_from_db()
    assert (role.summary, role.origin) == ("First summary.", "The live origin.")


# --- every draftable model --------------------------------------------------------------


@pytest.mark.parametrize("record", sorted(registry.draftable()))
def test_a_stale_form_of_every_draftable_model_is_refused_and_kept(ana, ben, record):
    """From the registry, so a new draftable model is covered the day it is
    added (its record comes from the seam test's recipes)."""
    obj = seam.RECORDS[record]({})
    url = _url(obj)
    first, stale = admin_form_data(ana.get(url)), admin_form_data(ben.get(url))
    assert ana.post(url, {**first, "_save_draft": "1"}).status_code == 302
    saved = m.Draft.objects.get().doc
    response = ben.post(url, {**stale, "_save_draft": "1"})
    assert response.status_code == 200
    assert "Someone saved this record after you opened it" in _text(response)
    assert m.Draft.objects.get().doc == saved
    copy = m.AutosavedCopy.objects.get()
    assert (copy.kind, copy.object_id) == (record, obj.pk)
    assert "_save_draft" in copy.data


@pytest.mark.parametrize("record", sorted(registry.draftable()))
def test_every_draftable_list_shows_who_holds_a_lock(ana, django_user_model, record):
    obj = seam.RECORDS[record]({})
    holder = django_user_model.objects.get(username="ana")
    lock = cc.lock_take(kind=record, object_id=obj.pk, user=holder)
    model = type(obj)._meta.model_name
    page = ana.get(reverse(f"admin:roles_{model}_changelist"))
    assert page.status_code == 200
    assert f"Locked by ana since {cc.when(lock.created_at)}" in _text(page)


def test_only_its_editor_discards_a_saved_copy(ana, eve, role):
    stale = _open(eve, role)
    ana.post(_url(role), {**_open(ana, role), "_save_draft": "1"})
    eve.post(_url(role), {**stale, "_save_draft": "1"})
    copy = m.AutosavedCopy.objects.get()
    lock_url = reverse("admin:roles_role_lock", args=[role.pk])
    assert ana.post(lock_url, {"_discard_copy": copy.pk}).status_code == 403
    eve.post(lock_url, {"_discard_copy": copy.pk})
    assert f"?restore={copy.pk}" not in eve.get(_url(role)).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing_draft", [False, True])
def test_two_draft_saves_at_the_same_moment_the_second_waits_then_is_refused(
    ana, eve, role, monkeypatch, existing_draft
):
    """Two editors press "Save draft" together, with or without an open
    draft, the first holding a lapsed edit lock (which her save keeps alive):
    the second waits on the first one's row locks, then is refused, never
    deadlocked and never writing over the first."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row "
            "locks, it serialises whole writes"
        )
    if existing_draft:
        start = _open(ana, role)
        start.update(summary="An earlier draft.", _save_draft="1")
        assert ana.post(_url(role), start).status_code == 302
    ana.post(reverse("admin:roles_role_lock", args=[role.pk]), {"_lock": "1"})
    lock = m.EditLock.objects.held().get()
    m.EditLock.objects.filter(pk=lock.pk).update(  # lapsed: Eve may save too
        active_at=lock.active_at - dt.timedelta(hours=1)
    )
    checked, release = threading.Event(), threading.Event()
    check = cc.edit_refusal

    def paused(**kwargs):
        result = check(**kwargs)
        if threading.current_thread().name == "first":
            checked.set()
            release.wait(10)
        return result

    monkeypatch.setattr(cc, "edit_refusal", paused)
    first, second = _open(ana, role), _open(eve, role)
    first.update(summary="Ana's draft.", _save_draft="1")
    second.update(origin="Eve's draft.", _save_draft="1")
    responses: dict = {}

    def post(name, client, data):
        try:
            responses[name] = client.post(_url(role), data)
        finally:
            connection.close()

    a = threading.Thread(target=post, args=("first", ana, first), name="first")
    b = threading.Thread(target=post, args=("second", eve, second), name="second")
    a.start()
    assert checked.wait(10)
    b.start()
    b.join(1)
    assert b.is_alive(), "the second save did not wait for the first one's locks"
    release.set()
    a.join(15)
    b.join(15)
    assert not a.is_alive() and not b.is_alive(), "a save never finished"
    assert responses["first"].status_code == 302
    assert responses["second"].status_code == 200
    # Ana's save kept her (lapsed) lock alive, so that is what stops Eve.
    assert "Locked by ana since" in _text(responses["second"])
    draft = m.Draft.objects.get()
    assert (draft.doc["summary"], draft.doc["origin"]) == (
        "Ana's draft.",
        "The live origin.",
    )
    assert m.AutosavedCopy.objects.get().data["origin"] == ["Eve's draft."]


# --- saving again after a refusal: their changes stay -------------------------------


def test_a_draft_saved_again_as_refused_keeps_their_draft_change(ana, eve, role):
    """Eve is refused (Ana saved a draft meanwhile) and saves the form again as
    it came back: Ana's summary, a field Eve never touched, stays."""
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(origin="Eve's origin.", _save_draft="1")
    refused = eve.post(_url(role), e)
    assert refused.status_code == 200 and "workflow_conflict" in refused.context
    again = admin_form_data(refused)
    again["_save_draft"] = "1"
    assert eve.post(_url(role), again).status_code == 302
    doc = m.Draft.objects.get().doc
    assert (doc["summary"], doc["origin"]) == ("Ana's draft summary.", "Eve's origin.")


def test_a_live_save_again_as_refused_keeps_their_published_change(ana, ben, role):
    first, second = _open(ana, role), _open(ben, role)
    first.update(summary="Ana's summary.", _continue="1")
    assert ana.post(_url(role), first).status_code == 302
    second.update(origin="Ben's origin.", _continue="1")
    refused = ben.post(_url(role), second)
    assert refused.status_code == 200
    again = admin_form_data(refused)
    again["_continue"] = "1"
    ben.post(_url(role), again)
    role.refresh_from_db()
    draft = m.Draft.objects.open().first()
    live = (role.summary, role.origin)
    drafted = (draft.doc["summary"], draft.doc["origin"]) if draft else None
    # Ben's change goes live or waits as a draft on top of Ana's - never
    # with Ana's summary undone.
    assert ("Ana's summary.", "Ben's origin.") in (live, drafted)
    assert role.summary == "Ana's summary."


def test_a_field_both_changed_takes_yours_when_saved_again(ana, eve, role):
    """What the refusal says: where you both changed a field, saving again
    puts yours in place of theirs."""
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(summary="Eve's summary.", _save_draft="1")
    again = admin_form_data(eve.post(_url(role), e))
    again["_save_draft"] = "1"
    eve.post(_url(role), again)
    assert m.Draft.objects.get().doc["summary"] == "Eve's summary."


def test_a_restored_copy_saved_keeps_the_draft_saved_meanwhile(ana, eve, role):
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(origin="Eve's origin.", _save_draft="1")
    eve.post(_url(role), e)
    copy = m.AutosavedCopy.objects.get()
    restored = admin_form_data(eve.get(_url(role) + f"?restore={copy.pk}"))
    restored["_save_draft"] = "1"
    assert eve.post(_url(role), restored).status_code == 302
    doc = m.Draft.objects.get().doc
    assert (doc["summary"], doc["origin"]) == ("Ana's draft summary.", "Eve's origin.")


def test_a_refusal_or_a_restored_copy_is_not_called_an_error_to_correct(ana, eve, role):
    """Nothing in the form is wrong: the notice says what happened, without
    the admin's 'Please correct the error below.'"""
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(origin="Eve's origin.", _save_draft="1")
    refused = eve.post(_url(role), e)
    assert "Saving again keeps their changes" in _text(refused)
    assert "Please correct the error" not in _text(refused)
    assert not refused.context["adminform"].form.errors
    copy = m.AutosavedCopy.objects.get()
    restored = eve.get(_url(role) + f"?restore={copy.pk}")
    assert "is back in the form below" in _text(restored)
    assert "Please correct the error" not in _text(restored)


def test_a_refused_form_shows_their_text_in_the_fields_you_left_alone(ana, eve, role):
    """What the refused form shows is what saving it again stores: their new
    summary (you did not touch it) and your origin."""
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(origin="Eve's origin.", _save_draft="1")
    form = eve.post(_url(role), e).context["adminform"].form
    assert form["summary"].value() == "Ana's draft summary."
    assert form["origin"].value() == "Eve's origin."


def _ways(*rows):
    return [{"title": t, "text": x} for t, x in rows]


def test_rows_each_side_changed_are_taken_together():
    """A list is merged row by row: the reorder one side made and the text
    the other changed in a row both stay (the whole list was one field, so
    saving again put yours - in the old order - over their reorder)."""
    from roles.editorial.merge import merge_rows

    base = {"ways_in": _ways(("A", "a"), ("B", "b"), ("C", "c"))}
    theirs = {"ways_in": _ways(("B", "b"), ("A", "a"), ("C", "c"))}  # reordered
    yours = {"ways_in": _ways(("A", "a, more"), ("B", "b"), ("C", "c"))}  # text
    (field,) = three_way(base, theirs, yours)
    assert not field.conflict
    assert rebase(base, theirs, yours)["ways_in"] == _ways(
        ("B", "b"), ("A", "a, more"), ("C", "c")
    )
    # Added on each side, removed on one: all kept as each side left them.
    added = {"ways_in": _ways(("A", "a"), ("B", "b"), ("C", "c"), ("D", "d"))}
    removed = {"ways_in": _ways(("A", "a"), ("C", "c"))}
    assert merge_rows(
        "ways_in", base["ways_in"], added["ways_in"], removed["ways_in"]
    ) == _ways(("A", "a"), ("C", "c"), ("D", "d"))
    # The same row changed by both, differently: a conflict, yours by default.
    clash = {"ways_in": _ways(("A", "theirs"), ("B", "b"), ("C", "c"))}
    (field,) = three_way(base, clash, yours)
    assert field.conflict
    assert rebase(base, clash, yours)["ways_in"] == yours["ways_in"]
    # Both reordered: a conflict too. Rows without their key: never merged.
    both = {"ways_in": _ways(("C", "c"), ("A", "a"), ("B", "b"))}
    assert (
        merge_rows("ways_in", base["ways_in"], theirs["ways_in"], both["ways_in"])
        is None
    )
    assert merge_rows("related_roles", ["a"], ["b"], ["c"]) is None


def test_a_reorder_and_a_text_change_by_two_editors_both_stay(ana, eve, role):
    """Ana moves a way in down and publishes; Eve, on the form she opened
    before, changes the first way's text: refused, then saved again as it
    came back. Ana's order stays (it was undone) and Eve's text is in."""
    from roles.catalogue.guides import WayIn

    WayIn.objects.filter(role=role).delete()
    for order, title in enumerate(["First way", "Second way", "Third way"]):
        WayIn.objects.create(role=role, title=title, text=f"{title} text.", order=order)
    a, e = _open(ana, role), _open(eve, role)
    prefix = next(k for k in a if k.endswith("-0-title") and "way" in k).rsplit(
        "-0-", 1
    )[0]
    a[f"{prefix}-0-order"], a[f"{prefix}-1-order"] = "1", "0"
    a["_continue"] = "1"
    assert ana.post(_url(role), a).status_code == 302
    e[f"{prefix}-0-text"] = "First way text, as Eve rewrote it."
    e["_save_draft"] = "1"
    refused = eve.post(_url(role), e)
    assert refused.status_code == 200
    again = admin_form_data(refused)
    again["_save_draft"] = "1"
    assert eve.post(_url(role), again).status_code == 302
    ways = m.Draft.objects.get().doc["ways_in"]
    assert [w["title"] for w in ways] == ["Second way", "First way", "Third way"]
    assert ways[1]["text"] == "First way text, as Eve rewrote it."


@pytest.mark.parametrize("publish_first", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize("theirs", ["renamed", "deleted"])
@pytest.mark.parametrize("how", ["saved-again", "restored"])
def test_saved_again_after_their_row_change_keeps_both(
    ana, eve, role, publish_first, theirs, how
):
    """Ana renames (or deletes) an anti-pattern - a row of an inline - and
    saves a draft, or publishes; Eve, on the form she opened before, changes
    the origin: refused, then saved again as the refusal showed it, or later
    from her saved copy. After a draft it was refused for ever ("Please
    correct the error below." and no error shown: her rows named rows the
    draft did not have) - now both changes stay. (A copy restored with no
    draft open starts a stale draft, rebased field by field before it is
    published: both stay there.)"""
    from roles.catalogue.guides import AntiPattern

    # One more than a published guide needs, so that one can go.
    AntiPattern.objects.create(role=role, name="A spare", text="Spare.", order=99)
    a, e = _open(ana, role), _open(eve, role)
    prefix = next(k for k in a if k.endswith("-0-name") and "anti" in k).rsplit(
        "-0-", 1
    )[0]
    first = a[f"{prefix}-0-name"]
    if theirs == "renamed":
        a[f"{prefix}-0-name"] = "Ana's anti-pattern"
    else:
        a[f"{prefix}-0-DELETE"] = "on"
    a["_continue" if publish_first else "_save_draft"] = "1"
    assert ana.post(_url(role), a).status_code == 302
    e["origin"] = "Eve's origin."
    e["_save_draft"] = "1"
    refused = eve.post(_url(role), e)
    assert refused.status_code == 200 and "workflow_conflict" in refused.context
    assert refused.context["adminform"].form["origin"].value() == "Eve's origin."
    assert "Please correct the error" not in _text(refused)
    # Their change is named beside yours.
    changed = [f.field for f in refused.context["workflow_conflict"]["fields"]]
    assert "anti_patterns" in changed and "origin" in changed
    if how == "saved-again":
        again = admin_form_data(refused)
    else:
        copy = m.AutosavedCopy.objects.get()
        again = admin_form_data(eve.get(_url(role) + f"?restore={copy.pk}"))
    again["_save_draft"] = "1"
    saved = eve.post(_url(role), again)
    assert saved.status_code == 302, _text(saved)[:3000]
    draft = m.Draft.objects.get()
    doc = draft.doc
    if how == "restored" and publish_first:
        assert wf.draft_is_stale(draft)
        doc = wf.draft_rebase(draft=draft, user=draft.created_by, choices={}).doc
    assert doc["origin"] == "Eve's origin."
    names = [row["name"] for row in doc["anti_patterns"]]
    assert first not in names
    if theirs == "renamed":
        assert names[0] == "Ana's anti-pattern"


# --- a lock holds on the draft's review page too ------------------------------------------


def _eve_drafts_and_locks(eve, role) -> m.Draft:
    """Eve saves a draft, submits it, then locks the record and keeps typing."""
    data = _open(eve, role)
    data.update(summary="Eve's draft.", _save_draft="1")
    assert eve.post(_url(role), data).status_code == 302
    draft = m.Draft.objects.get()
    eve.post(draft.get_absolute_url(), {"_submit": "1"})
    eve.post(reverse("admin:roles_role_lock", args=[role.pk]), {"_lock": "1"})
    draft.refresh_from_db()
    assert draft.state == m.DraftState.IN_REVIEW
    return draft


#: Every action of a draft's review page that changes the draft or the record.
REVIEW_ACTIONS = {
    "publish": {"_publish": "1"},
    "schedule": {"_schedule": "1", "go_live_at": "2099-01-01T10:00"},
    "reject": {"_reject": "1", "comment": "Please change this."},
    "discard": {"_discard_confirmed": "1"},
    "rebase": {"_rebase": "1"},
}


@pytest.mark.parametrize("action", sorted(REVIEW_ACTIONS))
def test_no_review_page_action_goes_through_anothers_lock(ana, eve, role, action):
    """Publishing over Eve's lock wrote the live record and changed her draft
    under her: her next save was refused, and nobody told her why."""
    draft = _eve_drafts_and_locks(eve, role)
    lock = m.EditLock.objects.held().get()
    before = (draft.state, draft.updated_at, draft.doc)
    page = ana.get(draft.get_absolute_url())
    assert f"Locked by eve since {cc.when(lock.created_at)}" in _text(page)

    data = {**REVIEW_ACTIONS[action], "_draft_token": page.context["draft_token"]}
    response = ana.post(draft.get_absolute_url(), data, follow=True)
    assert response.status_code == 200
    assert f"Locked by eve since {cc.when(lock.created_at)}" in _text(response)
    assert "break the lock" in _text(response).lower()
    draft.refresh_from_db()
    assert (draft.state, draft.updated_at, draft.doc) == before
    role.refresh_from_db()
    assert role.summary == "The live summary."
    assert m.EditLock.objects.held().get() == lock


def test_a_publisher_breaks_the_lock_with_a_note_from_the_review_page_then_publishes(
    ana, eve, role
):
    draft = _eve_drafts_and_locks(eve, role)
    page = _text(ana.get(draft.get_absolute_url()))
    assert "Break the lock" in page
    # Not without a note for Eve.
    ana.post(draft.get_absolute_url(), {"_break_lock": "1", "lock_note": "  "})
    assert m.EditLock.objects.held().exists()
    ana.post(
        draft.get_absolute_url(),
        {"_break_lock": "1", "lock_note": "Publishing the fix now."},
    )
    assert not m.EditLock.objects.held().exists()
    response = ana.post(draft.get_absolute_url(), {"_publish": "1"}, follow=True)
    assert "is live" in _text(response)
    role.refresh_from_db()
    assert role.summary == "Eve's draft."
    # Eve is told on her form, with the note.
    assert "ana broke your lock: Publishing the fix now." in _text(eve.get(_url(role)))


def test_a_plain_editor_cannot_break_a_lock_from_the_review_page(
    django_user_model, eve, role
):
    draft = _eve_drafts_and_locks(eve, role)
    other = _client(_user(django_user_model, "ed2", publisher=False))
    assert "Break the lock" not in _text(other.get(draft.get_absolute_url()))
    response = other.post(
        draft.get_absolute_url(), {"_break_lock": "1", "lock_note": "Mine now."}
    )
    assert response.status_code == 403
    assert m.EditLock.objects.held().exists()


def test_the_lock_holder_and_a_lapsed_lock_do_not_stop_the_review_page(ana, eve, role):
    draft = _eve_drafts_and_locks(eve, role)
    # Her own lock does not stop Eve (she sends it back to draft by saving).
    assert "Locked by eve" not in _text(eve.get(draft.get_absolute_url()))
    lock = m.EditLock.objects.held().get()
    m.EditLock.objects.filter(pk=lock.pk).update(
        active_at=lock.active_at - dt.timedelta(hours=1)
    )
    response = ana.post(draft.get_absolute_url(), {"_publish": "1"}, follow=True)
    assert "is live" in _text(response)


def test_bulk_publish_from_the_list_does_not_go_through_anothers_lock(ana, eve, role):
    draft = _eve_drafts_and_locks(eve, role)
    response = ana.post(
        reverse("admin:roles_role_changelist"),
        {"action": "publish_selected", "_selected_action": [role.pk]},
        follow=True,
    )
    assert "Not published" in _text(response)
    assert "Locked by eve since" in _text(response)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.IN_REVIEW
    role.refresh_from_db()
    assert role.summary == "The live summary."


# --- discarding a draft: its author or a publisher, confirmed, and undone ---------------


def _eve_drafts(eve, role) -> m.Draft:
    data = _open(eve, role)
    data.update(summary="Eve's draft.", _save_draft="1")
    assert eve.post(_url(role), data).status_code == 302
    return m.Draft.objects.get()


@pytest.mark.parametrize("scheduled", [False, True])
def test_a_plain_editor_cannot_discard_someone_elses_draft(
    django_user_model, ana, eve, role, scheduled
):
    draft = _eve_drafts(eve, role)
    if scheduled:
        ana_user = django_user_model.objects.get(username="ana")
        wf.draft_schedule(
            draft=draft, user=ana_user, at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
        )
    state = m.Draft.objects.get().state
    other = _client(_user(django_user_model, "ed2", publisher=False))
    page = other.get(draft.get_absolute_url())
    assert 'name="_discard' not in page.content.decode()
    for step in ("_discard", "_discard_confirmed"):
        response = other.post(
            draft.get_absolute_url(),
            {step: "1", "_draft_token": page.context["draft_token"]},
        )
        assert response.status_code == 403
    assert m.Draft.objects.get().state == state


@pytest.mark.parametrize("who", ["eve", "ana"])  # its author; a publisher
def test_discarding_asks_first_then_is_kept_with_who_and_when_and_restored(
    ana, eve, role, who
):
    client = {"eve": eve, "ana": ana}[who]
    draft = _eve_drafts(eve, role)
    page = client.get(draft.get_absolute_url())
    token = page.context["draft_token"]

    # The first step only asks, in a page of its own that works without
    # JavaScript: its own form, with its own CSRF token.
    asked = client.post(
        draft.get_absolute_url(), {"_discard": "1", "_draft_token": token}
    )
    assert asked.status_code == 200
    assert m.Draft.objects.get().state == m.DraftState.DRAFT
    html = asked.content.decode()
    assert "Discard this draft?" in _text(asked)
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="_discard_confirmed"' in html
    assert f'value="{token}"' in html
    # Found by a tester: the state read "It is draft."
    assert "It is a draft that has not been sent for review." in _text(asked)

    done = client.post(
        draft.get_absolute_url(),
        {"_discard_confirmed": "1", "_draft_token": token},
        follow=True,
    )
    assert "Draft discarded" in _text(done)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DISCARDED
    assert draft.discarded_by.username == who
    assert draft.discarded_at is not None
    page = _text(client.get(draft.get_absolute_url()))
    assert f"Discarded by {who}" in page
    assert "Restore the draft" in page

    # Restored from its page: open again, with its content, as a draft.
    client.post(draft.get_absolute_url(), {"_restore": "1"})
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DRAFT
    assert draft.doc["summary"] == "Eve's draft."
    assert draft.discarded_by.username == who  # the history stays
    assert draft.restored_by.username == who
    form = eve.get(_url(role)).context["adminform"].form
    assert form["summary"].value() == "Eve's draft."


def test_a_discarded_draft_is_not_restored_over_another_open_draft(ana, eve, role):
    draft = _eve_drafts(eve, role)
    eve.post(draft.get_absolute_url(), {"_discard_confirmed": "1"})
    data = _open(ana, role)
    data.update(summary="Ana's new draft.", _save_draft="1")
    ana.post(_url(role), data)
    newer = m.Draft.objects.open().get()
    response = eve.post(draft.get_absolute_url(), {"_restore": "1"}, follow=True)
    assert "Another draft of this record is open" in _text(response)
    draft.refresh_from_db()
    assert draft.state == m.DraftState.DISCARDED
    assert m.Draft.objects.open().get() == newer


def test_a_plain_editor_cannot_restore_someone_elses_draft(
    django_user_model, ana, role
):
    data = _open(ana, role)
    data.update(summary="Ana's draft.", _save_draft="1")
    ana.post(_url(role), data)
    draft = m.Draft.objects.get()
    ana.post(draft.get_absolute_url(), {"_discard_confirmed": "1"})
    other = _client(_user(django_user_model, "ed2", publisher=False))
    assert "Restore the draft" not in _text(other.get(draft.get_absolute_url()))
    assert other.post(draft.get_absolute_url(), {"_restore": "1"}).status_code == 403
    assert m.Draft.objects.get().state == m.DraftState.DISCARDED


def test_plain_editors_are_not_offered_to_delete_drafts(ana, eve, role):
    draft = _eve_drafts(eve, role)
    changelist = reverse("admin:roles_draft_changelist")
    assert "delete_selected" not in eve.get(changelist).content.decode()
    response = eve.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert m.Draft.objects.filter(pk=draft.pk).exists()
    delete = reverse("admin:roles_draft_delete", args=[draft.pk])
    assert eve.post(delete, {"post": "yes"}).status_code == 403
    assert m.Draft.objects.filter(pk=draft.pk).exists()
    assert response.status_code in (200, 302)
    assert "delete_selected" in ana.get(changelist).content.decode()


def test_a_refusal_is_said_once(ana, eve, role):
    """The refusal's reason stood twice at the top of the form: in the notice
    and again at the head of the box with their change beside yours."""
    a, e = _open(ana, role), _open(eve, role)
    a.update(summary="Ana's draft summary.", _save_draft="1")
    ana.post(_url(role), a)
    e.update(origin="Eve's origin.", _save_draft="1")
    text = _text(eve.post(_url(role), e))
    assert text.count("Someone saved this record after you opened it") == 1
    assert text.count("Saving again keeps their changes and adds yours") == 1


# --- reverting to an old version: a write of the draft like any other -----------------


def _revert_url(role) -> str:
    """The history's "Revert to this version" page of the role's first version
    (the live summary), saved before anyone drafted or locked it."""
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        role.save()
    old = Version.objects.get_for_object(role).order_by("pk").first()
    return reverse("admin:roles_role_revision", args=[role.pk, old.pk])


def test_reverting_to_an_old_version_does_not_go_through_anothers_lock(ana, eve, role):
    """ "Restore as a draft" wrote the old version over Eve's draft while she
    held the lock and kept typing: her draft was gone, and her next save was
    refused without a word of why."""
    url = _revert_url(role)
    draft = _eve_drafts_and_locks(eve, role)
    lock = m.EditLock.objects.held().get()
    before = (draft.state, draft.updated_at, draft.doc)
    locked = f"Locked by eve since {cc.when(lock.created_at)}"
    page = ana.get(url)
    assert locked in _text(page)
    data = admin_form_data(page)
    data.update(origin="Ana typed this on the old version.", _save="1")
    response = ana.post(url, data)

    assert response.status_code == 200
    text = _text(response)
    assert f"{locked}: nothing was changed." in text
    assert "break the lock" in text.lower()
    # What Ana typed is still in the form.
    assert (
        response.context["adminform"].form["origin"].value()
        == "Ana typed this on the old version."
    )
    draft.refresh_from_db()
    assert (draft.state, draft.updated_at, draft.doc) == before
    assert m.Draft.objects.count() == 1
    role.refresh_from_db()
    assert role.summary == "The live summary."
    assert m.EditLock.objects.held().get() == lock


def test_a_publisher_breaks_the_lock_from_the_revert_page_then_reverts(
    django_user_model, ana, eve, role
):
    url = _revert_url(role)
    _eve_drafts_and_locks(eve, role)
    # Not a plain editor, and not without a note for Eve.
    other = _client(_user(django_user_model, "ed2", publisher=False))
    assert "Break the lock" not in _text(other.get(url))
    refused = other.post(url, {"_break_lock": "1", "lock_note": "Mine now."})
    assert refused.status_code == 403
    assert "Break the lock" in _text(ana.get(url))
    ana.post(url, {"_break_lock": "1", "lock_note": "  "})
    assert m.EditLock.objects.held().exists()
    broken = ana.post(
        url, {"_break_lock": "1", "lock_note": "Restoring the old text."}, follow=True
    )
    assert "Lock of eve broken" in _text(broken)
    assert broken.redirect_chain[-1][0] == url
    assert not m.EditLock.objects.held().exists()
    data = admin_form_data(ana.get(url))
    data["_save"] = "1"
    assert ana.post(url, data).status_code == 302
    assert m.Draft.objects.get().doc["summary"] == "The live summary."
    assert "ana broke your lock: Restoring the old text." in _text(eve.get(_url(role)))


# --- a refused form's rows: their change where you left the row alone ------------------


def _prefix(data: dict, field: str) -> str:
    """The form prefix of the inline whose rows have ``field`` and whose
    prefix names ``hint`` (as the tests above find it)."""
    name, hint = field.split(":")
    return next(k for k in data if k.endswith(f"-0-{name}") and hint in k).rsplit(
        "-0-", 1
    )[0]


def _row_value(form_response, key: str):
    for formset in form_response.context["inline_admin_formsets"]:
        for row in formset.formset.forms:
            for name in row.fields:
                if row.add_prefix(name) == key:
                    return row[name].value()
    raise KeyError(key)


def test_a_refused_form_shows_their_text_in_the_rows_you_left_alone(ana, eve, role):
    """Ana rewrites the first anti-pattern's text and the responsibility,
    and saves a draft; Eve, on the form she opened before, rewrites the
    second anti-pattern and the origin. Her refused form showed the first
    anti-pattern and the responsibility as she opened them (the plain
    fields already showed Ana's text): it shows Ana's now, and Eve's own
    rewrite where she made one. Saved again, both are kept."""
    a, e = _open(ana, role), _open(eve, role)
    anti, duty = _prefix(a, "text:anti"), _prefix(a, "text:respons")
    a[f"{anti}-0-text"] = "Ana's first anti-pattern text."
    a[f"{duty}-0-text"] = "A live duty, as Ana put it."
    a["_save_draft"] = "1"
    assert ana.post(_url(role), a).status_code == 302
    e[f"{anti}-1-text"] = "Eve's second anti-pattern text."
    e["origin"] = "Eve's origin."
    e["_save_draft"] = "1"
    refused = eve.post(_url(role), e)
    assert refused.status_code == 200 and "workflow_conflict" in refused.context

    assert _row_value(refused, f"{anti}-0-text") == "Ana's first anti-pattern text."
    assert _row_value(refused, f"{anti}-1-text") == "Eve's second anti-pattern text."
    assert _row_value(refused, f"{duty}-0-text") == "A live duty, as Ana put it."
    assert _row_value(refused, f"{anti}-0-name") == "Anti-pattern 0"
    assert refused.context["adminform"].form["origin"].value() == "Eve's origin."

    again = admin_form_data(refused)
    again["_save_draft"] = "1"
    assert eve.post(_url(role), again).status_code == 302
    doc = m.Draft.objects.get().doc
    assert [row["text"] for row in doc["anti_patterns"][:2]] == [
        "Ana's first anti-pattern text.",
        "Eve's second anti-pattern text.",
    ]
    assert [row["text"] for row in doc["responsibilities"]] == [
        "A live duty, as Ana put it."
    ]
    assert doc["origin"] == "Eve's origin."


def test_rows_you_left_alone_take_their_version_matched_by_key_or_place():
    from roles.editorial.merge import untouched_rows_theirs

    base = _ways(("A", "a"), ("B", "b"), ("C", "c"))
    theirs = _ways(("B", "b, theirs"), ("A", "a, theirs"), ("C", "c, theirs"))
    yours = _ways(("A", "a"), ("B", "b"), ("C", "c, yours"))
    # Matched by key (they moved A and B), never a row you changed (C).
    assert untouched_rows_theirs("ways_in", base, theirs, yours) == {
        0: {"title": "A", "text": "a, theirs"},
        1: {"title": "B", "text": "b, theirs"},
    }
    # A responsibility is told apart by its text: rewritten in its place.
    duties = [{"theme": "t", "text": "Old."}, {"theme": "t", "text": "Kept."}]
    rewritten = [{"theme": "t", "text": "New."}, {"theme": "t", "text": "Kept."}]
    assert untouched_rows_theirs("responsibilities", duties, rewritten, duties) == {
        0: {"theme": "t", "text": "New."}
    }
    # A row you deleted, or they deleted: left as it is.
    assert untouched_rows_theirs("ways_in", base, base[1:], base) == {}
    assert untouched_rows_theirs("ways_in", base, theirs, base[1:]) == {
        1: {"title": "B", "text": "b, theirs"},
        2: {"title": "C", "text": "c, theirs"},
    }
    assert untouched_rows_theirs("related_roles", ["a"], ["b"], ["a"]) == {}


def _conflict_table(response) -> str:
    import html

    page = response.content.decode()
    table = page[page.index('class="draft-changes conflict-changes"') :]
    table = re.sub(r"<[^>]+>", " ", table[: table.index("</table>")])
    return html.unescape(re.sub(r"\s+", " ", table))


def test_the_refusals_table_lists_only_the_rows_that_differ(ana, eve, role):
    """Ana changed one skill's note and Eve another's: the table of their
    change beside hers listed every skill of the role, three times over."""
    a, e = _open(ana, role), _open(eve, role)
    skills = _prefix(a, "note:skill")
    a[f"{skills}-0-note"] = "Ana's note."
    a["_save_draft"] = "1"
    assert ana.post(_url(role), a).status_code == 302
    e[f"{skills}-3-note"] = "Eve's note."
    e["origin"] = "Eve's origin."
    e["_save_draft"] = "1"
    refused = eve.post(_url(role), e)
    table = _conflict_table(refused)
    assert "Ana's note." in table and "Eve's note." in table
    assert "Eve's origin." in table
    for untouched in ("live skill 1", "live skill 2", "live skill 4"):
        assert untouched not in table
    (skill_rows,) = [
        f.rows
        for f in refused.context["workflow_conflict"]["fields"]
        if f.field == "skills"
    ]
    assert [(r.theirs_changed, r.yours_changed) for r in skill_rows] == [
        (True, False),
        (False, True),
    ]


def test_a_fields_rows_that_differ_each_side_added_removed_or_moved():
    base = {"ways_in": _ways(("A", "a"), ("B", "b"), ("C", "c"))}
    theirs = {"ways_in": _ways(("B", "b"), ("A", "a"), ("C", "c"), ("D", "d"))}
    yours = {"ways_in": _ways(("A", "a"), ("B", "b, yours"))}
    (field,) = three_way(base, theirs, yours)
    rows = {r.label: r for r in field.rows}
    assert set(rows) == {
        "Ways in: “B”",
        "Ways in: “C”",
        "Ways in, added: “D”",
        "Ways in: order",
    }
    assert (rows["Ways in: “B”"].yours_text, rows["Ways in: “B”"].theirs_changed) == (
        "title: B; text: b, yours",
        False,
    )
    assert rows["Ways in: “C”"].yours_text == "removed"
    assert rows["Ways in, added: “D”"].theirs_text == "title: D; text: d"
    assert rows["Ways in: order"].theirs_text == "B\nA\nC\nD"
    # A field that is not a list of rows is one row: the whole field.
    (plain,) = three_way({"summary": "x"}, {"summary": "y"}, {"summary": "x"})
    assert [(r.label, r.theirs_text) for r in plain.rows] == [("Summary", "y")]


# --- what a draft changes: responsibilities as the page shows them ------------------------


def test_a_draft_that_renumbers_and_edits_a_responsibility_lists_one_change(eve, role):
    """The form shows responsibilities by theme, as the page does, and a
    drag (or typed numbers) numbers them in that order: the draft's change
    list called every one of them moved, and the edited one removed plus a
    new one added."""
    from .factories import ThemeFactory

    role.responsibilities.all().delete()
    first = ThemeFactory(slug="first", name="First", order=0)
    second = ThemeFactory(slug="second", name="Second", order=1)
    for order, (theme, text) in enumerate(
        [(first, "One."), (second, "Two."), (first, "Three."), (second, "Four.")]
    ):
        ResponsibilityFactory(role=role, theme=theme, text=text, order=order)
    data = _open(eve, role)
    shown = int(data["responsibilities-INITIAL_FORMS"])
    texts = [data[f"responsibilities-{i}-text"] for i in range(shown)]
    assert texts == ["One.", "Three.", "Two.", "Four."]  # by theme
    for i in range(shown):
        data[f"responsibilities-{i}-order"] = str(i)
    data["responsibilities-1-text"] = "Three, rewritten."
    data["_save_draft"] = "1"
    assert eve.post(_url(role), data).status_code == 302
    draft = m.Draft.objects.get()
    changes = eve.get(draft.get_absolute_url()).context["changes"]
    assert [(c.action, c.before, c.after) for c in changes] == [
        ("changed", "Three.", "Three, rewritten.")
    ]


# --- a row added by one editor while the other rewrites another -------------------


def _add_responsibility(data: dict, text: str) -> None:
    """What "Add another Responsibility" then a theme and the text post: one
    more form at the end, its order left to the page (empty)."""
    at = int(data["responsibilities-TOTAL_FORMS"])
    data["responsibilities-TOTAL_FORMS"] = str(at + 1)
    data[f"responsibilities-{at}-theme"] = data["responsibilities-0-theme"]
    data[f"responsibilities-{at}-text"] = text
    data[f"responsibilities-{at}-order"] = ""


def _rewrite_responsibility(data: dict, text: str) -> None:
    data["responsibilities-0-text"] = text


@pytest.mark.parametrize("publish_first", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize("adds", ["first", "second"], ids=["ana-adds", "ben-adds"])
@pytest.mark.parametrize("slug", ["scrum-master", "chief-product-officer"])
def test_a_responsibility_added_and_another_rewritten_by_two_editors_both_stay(
    ana, ben, seeded, slug, adds, publish_first
):
    """Found by a tester. Ana adds a responsibility and saves (a draft, or
    publishes); Ben, on the form he opened before, rewrites an existing
    responsibility: refused, told "Saving again keeps their changes and adds
    yours", and saves again as the refusal showed it. "Draft saved." - but
    the draft had his rewrite and not Ana's new row: responsibilities are
    told apart by their text, which he changed, so the list could not be
    merged row by row and his whole list replaced hers. (And the other way
    round: Ana rewrites, Ben adds.)"""
    role = m.Role.objects.get(slug=slug)
    first, second = _open(ana, role), _open(ben, role)
    base = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    edited = first["responsibilities-0-text"]
    added, rewritten = (
        "ANA-RESP Coaches the team on retrospectives.",
        f"{edited} (as Ben put it)",
    )
    if adds == "second":
        added, rewritten = (
            "BEN-RESP Runs the quarterly planning.",
            (f"{edited} (as Ana put it)"),
        )
    (_add_responsibility if adds == "first" else _rewrite_responsibility)(
        first, added if adds == "first" else rewritten
    )
    first["_continue" if publish_first else "_save_draft"] = "1"
    assert ana.post(_url(role), first).status_code == 302
    (_rewrite_responsibility if adds == "first" else _add_responsibility)(
        second, rewritten if adds == "first" else added
    )
    second["_save_draft"] = "1"
    refused = ben.post(_url(role), second)
    assert refused.status_code == 200 and "workflow_conflict" in refused.context
    page = _text(refused)
    assert "Saving again keeps their changes and adds yours" in page
    table = _conflict_table(refused)
    assert added in table and rewritten in table

    again = admin_form_data(refused)
    again["_save_draft"] = "1"
    saved = ben.post(_url(role), again)
    assert saved.status_code == 302, _text(saved)[:3000]
    texts = [r["text"] for r in m.Draft.objects.get().doc["responsibilities"]]
    assert added in texts and rewritten in texts
    assert edited not in texts
    # Every other responsibility is kept, once.
    others = [r["text"] for r in base["responsibilities"] if r["text"] != edited]
    assert sorted(t for t in texts if t not in (added, rewritten)) == sorted(others)


def _duties(*texts, theme="t"):
    return [{"theme": theme, "text": text} for text in texts]


def test_responsibilities_added_on_one_side_rewritten_on_the_other_are_merged():
    """Responsibilities are told apart by their text: a row rewritten in its
    place is the same row (as the side-by-side shows it), so one side's new
    row and the other's rewrite are taken together - the rewrite was one
    side's whole list, replacing the other's."""
    from roles.editorial.merge import merge_rows

    base = _duties("One.", "Two.", "Three.")
    added = _duties("One.", "Two.", "Three.", "Added.")
    rewritten = _duties("One.", "Two, rewritten.", "Three.")
    merged = _duties("One.", "Two, rewritten.", "Three.", "Added.")
    assert merge_rows("responsibilities", base, added, rewritten) == merged
    assert merge_rows("responsibilities", base, rewritten, added) == merged
    (field,) = three_way(
        {"responsibilities": base},
        {"responsibilities": added},
        {"responsibilities": rewritten},
    )
    assert not field.conflict
    # One row rewritten by both, differently: a conflict, as it was - shown
    # as one, and yours replaces theirs there (as the refusal says).
    other = _duties("One.", "Two, otherwise.", "Three.")
    (field,) = three_way(
        {"responsibilities": base},
        {"responsibilities": other},
        {"responsibilities": rewritten},
    )
    assert field.conflict
    assert merge_rows("responsibilities", base, other, rewritten) == rewritten
    assert merge_rows("responsibilities", base, other, rewritten, "theirs") == other
    # Rewritten as the text the other side added: not two rows alike.
    same = _duties("One.", "Two.", "Three.", "Two, rewritten.")
    assert merge_rows("responsibilities", base, same, rewritten) is None
    # Rewritten by one side, deleted by the other: a conflict too.
    assert (
        merge_rows("responsibilities", base, _duties("One.", "Three."), rewritten)
        is None
    )


def test_a_refused_form_shows_their_rewrite_in_the_row_they_rewrote(ana, ben, seeded):
    """The form lists responsibilities under their themes, the document in
    the stored order: Ana's rewrite of the form's first responsibility came
    back in Ben's refused form in the row at the document's place of it -
    over another responsibility's text, which saving again then lost."""
    role = m.Role.objects.get(slug="scrum-master")
    first, second = _open(ana, role), _open(ben, role)
    shown = int(first["responsibilities-INITIAL_FORMS"])
    texts = [first[f"responsibilities-{i}-text"] for i in range(shown)]
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    stored = [r["text"] for r in doc["responsibilities"]]
    assert texts.index(stored[0]) != 0 or stored.index(texts[0]) != 0
    rewritten = f"{texts[0]} (as Ana put it)"
    first["responsibilities-0-text"] = rewritten
    first["_save_draft"] = "1"
    assert ana.post(_url(role), first).status_code == 302
    second["summary"] = "Ben's summary."
    second["_save_draft"] = "1"
    refused = ben.post(_url(role), second)
    assert "workflow_conflict" in refused.context
    shown_again = [
        _row_value(refused, f"responsibilities-{i}-text") for i in range(shown)
    ]
    assert shown_again == [rewritten, *texts[1:]]


# --- what the refusal says saving again does ------------------------------------------


def _buttons(response) -> set[str]:
    page = response.content.decode()
    form = page[page.index('class="submit-row workflow-row"') :]
    form = form[: form.index("</div>")]
    return set(re.findall(r'name="(_[a-z_]+)"', form))


def test_after_their_save_the_refusal_says_saving_again_makes_a_draft(ana, ben, role):
    """Saved again after a refusal, "Save and publish" saved a draft (the
    record moved on: published over theirs, the form would undo their
    change) and only said so afterwards. The refusal says it beforehand,
    and offers no button that says it publishes."""
    first, second = _open(ana, role), _open(ben, role)
    first.update(summary="Ana's summary.", _continue="1")
    assert ana.post(_url(role), first).status_code == 302
    second.update(origin="Ben's origin.", _continue="1")
    refused = ben.post(_url(role), second)
    text = _text(refused)
    assert "Saving again keeps their changes and adds yours, as a draft" in text
    assert "_continue" not in _buttons(refused)
    assert "changes the live page at once" not in text
    again = admin_form_data(refused)
    again["_save_draft"] = "1"
    assert ben.post(_url(role), again).status_code == 302
    role.refresh_from_db()
    assert role.origin != "Ben's origin."  # not published: a draft
    assert m.Draft.objects.get().doc["origin"] == "Ben's origin."


def test_a_refusal_for_a_lock_alone_shows_your_changes_not_theirs(ana, ben, role):
    """Nobody else saved anything: the table of "their change and yours"
    had no change of theirs; and once the lock is gone, saving publishes."""
    ana.post(reverse("admin:roles_role_lock", args=[role.pk]), {"_lock": "1"})
    second = _open(ben, role)
    second.update(origin="Ben's origin.", _continue="1")
    refused = ben.post(_url(role), second)
    assert "workflow_conflict" in refused.context
    text = _conflict_table(refused)
    assert "Their change and yours" not in text
    assert "Theirs (saved)" not in text
    assert "Your changes, not saved yet" in text and "Ben's origin." in text
    assert "as a draft" not in _text(refused)
    assert "_continue" in _buttons(refused)
