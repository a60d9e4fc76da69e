# ruff: noqa: F811 (fixtures imported from test_concurrency are parameters here)
"""Issue 21: edit locks lapse. A lock its holder has not refreshed (a save,
"Keep my lock") for EDITORIAL_LOCK_MINUTES is shown as lapsed, blocks no one,
and can be taken over - recorded on the old lock, which its holder is told.
Time is moved with time-machine; nothing sleeps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from roles import models as m
from roles.editorial import concurrency as cc
from roles.publishing import registry

from . import test_admin_seam as seam
from .admin_forms import admin_form_data
from .test_concurrency import _open, _text, _url, ana, eve, role  # noqa: F401

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)


def _lock_url(role) -> str:
    return reverse("admin:roles_role_lock", args=[role.pk])


def _at(minutes: float):
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


def _hhmm(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def test_a_lock_lapses_after_the_set_minutes_and_then_blocks_no_one(
    ana, eve, role, settings
):
    settings.EDITORIAL_LOCK_MINUTES = 30
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
        data = _open(ana, role)
    lapses = _hhmm(START + dt.timedelta(minutes=30))
    with _at(29):
        assert "Locked by eve since" in _text(ana.get(_url(role)))
        data.update(summary="Ana while locked.", _save_draft="1")
        refused = ana.post(_url(role), data)
        assert refused.status_code == 200
        assert "Locked by eve since" in _text(refused)
        assert not m.Draft.objects.exists()
    with _at(31):
        form = _text(ana.get(_url(role)))
        assert f"Lock by eve lapsed at {lapses}" in form
        assert "Take over the lock" in form
        listing = _text(ana.get(reverse("admin:roles_role_changelist")))
        assert f"Lock by eve lapsed at {lapses}" in listing
        assert f"Your lock lapsed at {lapses}" in _text(eve.get(_url(role)))
        # Ana's save goes through: the lapsed lock no longer blocks.
        data = _open(ana, role)
        data.update(summary="Ana after the lapse.", _save_draft="1")
        assert ana.post(_url(role), data).status_code == 302
    assert m.Draft.objects.get().doc["summary"] == "Ana after the lapse."


@override_settings(EDITORIAL_LOCK_MINUTES=10)
def test_the_setting_decides_when_a_lock_lapses(ana, eve, role):
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
    with _at(9):
        assert "Locked by eve since" in _text(ana.get(_url(role)))
    with _at(11):
        assert "Lock by eve lapsed at" in _text(ana.get(_url(role)))


def test_saving_and_keeping_the_lock_refresh_it(ana, eve, role, settings):
    settings.EDITORIAL_LOCK_MINUTES = 30
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
    with _at(20):
        data = _open(eve, role)
        data.update(summary="Eve's draft.", _save_draft="1")
        assert eve.post(_url(role), data).status_code == 302
    with _at(45):  # 25 minutes after the save: still held
        assert "Locked by eve since" in _text(ana.get(_url(role)))
        response = eve.post(_lock_url(role), {"_lock": "1"}, follow=True)
        assert f"until {_hhmm(START + dt.timedelta(minutes=75))}" in _text(response)
    with _at(70):
        assert "Locked by eve since" in _text(ana.get(_url(role)))
    assert m.EditLock.objects.count() == 1  # refreshed, never re-made


def test_a_holder_whose_lock_lapsed_untaken_can_still_save_and_holds_it_again(
    ana, eve, role, settings
):
    settings.EDITORIAL_LOCK_MINUTES = 30
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
        data = _open(eve, role)
    with _at(40):
        data.update(summary="Eve after a long lunch.", _save_draft="1")
        assert eve.post(_url(role), data).status_code == 302
        assert "Locked by eve since" in _text(ana.get(_url(role)))


def test_taking_over_a_lapsed_lock_is_recorded_and_the_old_holder_is_refused(
    ana, eve, role, settings
):
    settings.EDITORIAL_LOCK_MINUTES = 30
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
        eve_form = _open(eve, role)
    with _at(10):
        # In force: another editor cannot take it.
        response = ana.post(_lock_url(role), {"_lock": "1"}, follow=True)
        assert "Locked by eve since" in _text(response)
        assert m.EditLock.objects.held().get().locked_by.username == "eve"
    with _at(35):
        response = ana.post(_lock_url(role), {"_lock": "1"}, follow=True)
        lapses = _hhmm(START + dt.timedelta(minutes=30))
        assert f"Lock by eve lapsed at {lapses}; you took the record over" in _text(
            response
        )
        old, new = m.EditLock.objects.order_by("created_at")
        assert (old.locked_by.username, old.broken_by.username) == ("eve", "ana")
        assert old.lapsed_at == START + dt.timedelta(minutes=30)
        assert old.released_at == START + dt.timedelta(minutes=35)
        assert new.locked_by.username == "ana" and new.released_at is None
        # Eve is told, and her save is refused; what she typed is kept.
        notice = _text(eve.get(_url(role)))
        assert f"Your lock lapsed at {lapses} and ana took the record over" in notice
        assert "Locked by ana since" in notice
        eve_form.update(summary="Eve typed this.", _save_draft="1")
        refused = eve.post(_url(role), eve_form)
        assert refused.status_code == 200
        assert "Locked by ana since" in _text(refused)
        assert m.AutosavedCopy.objects.get().data["summary"] == ["Eve typed this."]
        assert not m.Draft.objects.exists()


def test_a_lapsed_lock_is_not_refreshed_by_someone_elses_save(
    ana, eve, role, django_user_model
):
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
    with _at(31):
        data = _open(ana, role)
        data.update(summary="Ana's.", _save_draft="1")
        assert ana.post(_url(role), data).status_code == 302
        lock = m.EditLock.objects.held().get()
        assert lock.locked_by.username == "eve" and lock.has_lapsed()
        ana_user = django_user_model.objects.get(username="ana")
        assert (
            cc.lock_keep_alive(kind="roles", object_id=role.pk, user=ana_user) is None
        )
        assert m.EditLock.objects.held().get().has_lapsed()


def test_the_keep_alive_refreshes_only_the_holders_lock(ana, eve, role):
    with _at(0):
        eve.post(_lock_url(role), {"_lock": "1"})
    with _at(20):
        answer = eve.post(_lock_url(role), {"_keep_alive": "1"}).json()
        assert answer["held"] is True
        assert answer["until"] == _hhmm(START + dt.timedelta(minutes=50))
        assert answer["seconds_left"] == 30 * 60
        # Another editor's keep-alive neither refreshes nor takes it.
        other = ana.post(_lock_url(role), {"_keep_alive": "1"}).json()
        assert other == {"held": False, "label": "Locked by eve since " + _hhmm(START)}
    assert m.EditLock.objects.held().get().active_at == START + dt.timedelta(minutes=20)
    assert m.EditLock.objects.count() == 1


def test_the_change_form_loads_the_keep_alive_script_only_from_a_file(eve, role):
    eve.post(_lock_url(role), {"_lock": "1"})
    html = eve.get(_url(role)).content.decode()
    assert 'src="/static/js/admin-edit-lock.js"' in html
    assert f'data-lock-url="{_lock_url(role)}"' in html
    assert "<script>" not in html  # nothing inline (CSP without unsafe-inline)


def test_without_javascript_the_lock_buttons_keep_what_was_typed(eve, role):
    """They post the whole change form and leave the page: typed, unsaved
    text becomes a saved copy; an untouched form leaves none."""
    eve.post(_lock_url(role), {"_lock": "1"})
    untouched = _open(eve, role)
    eve.post(_lock_url(role), {**untouched, "_lock": "1"})
    assert not m.AutosavedCopy.objects.exists()

    typed = _open(eve, role)
    typed.update(summary="Typed, then Keep my lock.", _lock="1")
    response = eve.post(_lock_url(role), typed, follow=True)
    copy = m.AutosavedCopy.objects.get()
    assert copy.data["summary"] == ["Typed, then Keep my lock."]
    assert "kept as a saved copy" in _text(response)
    # A warning: the form no longer shows what was typed until it is restored.
    assert re.search(
        r'<li class="warning">.*?</span>What you had typed', response.content.decode()
    )
    assert f"?restore={copy.pk}" in response.content.decode()
    assert not m.Draft.objects.exists()  # nothing saved
    role.refresh_from_db()
    assert role.summary == "The live summary."


@pytest.mark.parametrize("record", sorted(registry.draftable()))
def test_an_untouched_form_of_every_draftable_model_leaves_no_copy(ana, record):
    obj = seam.RECORDS[record]({})
    url = reverse(f"admin:roles_{type(obj)._meta.model_name}_change", args=[obj.pk])
    lock_url = reverse(f"admin:roles_{type(obj)._meta.model_name}_lock", args=[obj.pk])
    data = admin_form_data(ana.get(url))
    assert ana.post(lock_url, {**data, "_lock": "1"}).status_code == 302
    assert m.EditLock.objects.held().get().object_id == obj.pk
    assert not m.AutosavedCopy.objects.exists()
