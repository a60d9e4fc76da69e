"""Every sortable list keeps a history of its order: who changed it, when,
how (a drag, a typed order, a move to another page, a restore) and the
order before and after, and a publisher can put an earlier order back. A
reorder went live at once with no record, and django-reversion's history is
per record, so it could not give a list's order back."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from roles import models as m
from roles.editorial.order_history import moved_keys, restored_order
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

from .formdata import form_data
from .test_typed_order import IDS, SORTABLE, _form, _order, _urls, drag_url

pytestmark = pytest.mark.django_db


def _publisher(django_user_model, name="pub", **client_kwargs):
    user = django_user_model.objects.create_user(
        name, password="a-long-test-password", is_staff=True
    )
    user.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, PUBLISHERS_GROUP]))
    client = Client(**client_kwargs)
    client.force_login(user)
    return user, client


@pytest.fixture
def publisher(django_user_model):
    return _publisher(django_user_model)


def _history_url(model) -> str:
    info = model._meta.app_label, model._meta.model_name
    return reverse("admin:{}_{}_order_history".format(*info))


def _restore_url(model, change) -> str:
    info = model._meta.app_label, model._meta.model_name
    return reverse("admin:{}_{}_order_restore".format(*info), args=[change.pk])


def _changes(model):
    return list(m.OrderChange.objects.for_model(model).order_by("pk"))


def _drag_first_below_second(client, model, model_admin, before, url=None):
    """What adminsortable2's script posts after a drag: the new numbers of
    the rows that moved, to the address the change list gave it (``url``,
    or the one a change list opened now gives)."""
    field = model_admin.default_order_field
    first, second = (model._default_manager.get(pk=pk) for pk in before[:2])
    return client.post(
        url or drag_url(client, model),
        {
            "updatedItems": [
                [first.pk, getattr(second, field)],
                [second.pk, getattr(first, field)],
            ]
        },
        content_type="application/json",
    )


def _type_last_first(client, model) -> None:
    _, url = _urls(model)
    before = _order(model)
    data = _form(client.get(url).content.decode())
    data[f"row-{before[-1]}"] = "1"
    assert client.post(url, data).status_code == 302


def _restore_form(html: str, change) -> dict[str, str]:
    """The fields of the restore form of ``change`` on the history page."""
    data = form_data(html, f"restore-{change.pk}")
    assert data, html[:3000]
    return {name: values[-1] for name, values in data.items()}


# --- The pure rule -------------------------------------------------------------


def test_restored_order_puts_rows_back_and_added_ones_last():
    # 4 deleted since, 7 and 5 added since (5 now before 7).
    assert restored_order(old=[1, 2, 3, 4], current=[3, 5, 1, 7, 2]) == [
        1,
        2,
        3,
        5,
        7,
    ]
    assert restored_order(old=[], current=[2, 1]) == [2, 1]
    assert restored_order(old=[1, 2], current=[]) == []


def test_only_the_rows_moved_are_named_not_those_that_shifted():
    # One row taken to the top: the rest only shifted down.
    assert moved_keys(before=[1, 2, 3, 4, 5], after=[5, 1, 2, 3, 4]) == {5}
    assert moved_keys(before=[1, 2, 3, 4, 5], after=[2, 3, 4, 5, 1]) == {1}
    assert moved_keys(before=[1, 2, 3], after=[1, 2, 3]) == set()
    # Two swapped: one of them moved.
    assert len(moved_keys(before=[1, 2, 3], after=[2, 1, 3])) == 1
    # Reversed: all but one moved.
    assert len(moved_keys(before=[1, 2, 3, 4], after=[4, 3, 2, 1])) == 3
    # Rows added or deleted in between are not "moved".
    assert moved_keys(before=[1, 2, 9], after=[7, 2, 1]) == {2} or moved_keys(
        before=[1, 2, 9], after=[7, 2, 1]
    ) == {1}


@given(st.permutations(list(range(12))))
def test_the_rows_not_moved_keep_their_relative_order(after):
    before = list(range(12))
    moved = moved_keys(before=before, after=after)
    stayed = [pk for pk in after if pk not in moved]
    assert stayed == sorted(stayed)
    # And no smaller set would do: the rows kept are a longest such run.
    assert len(stayed) == _longest_increasing(after)


def _longest_increasing(values) -> int:
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


# --- Recording ----------------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_drag_is_recorded(seeded, publisher, model, model_admin):
    user, client = publisher
    before = _order(model)
    response = _drag_first_below_second(client, model, model_admin, before)
    assert response.status_code == 200, response.content
    after = _order(model)
    assert after[:2] == [before[1], before[0]]
    [change] = _changes(model)
    assert (change.user, change.how, change.before, change.after) == (
        user,
        m.OrderHow.DRAG,
        before,
        after,
    )


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_drag_on_a_list_changed_since_it_was_drawn_is_refused(
    seeded, django_user_model, model, model_admin
):
    """Publisher A opens the list; publisher B types another order; A's
    drag on the stale page is refused with a message to reload (as the
    typed order and the restore answer 409), and B's order stands."""
    _, a = _publisher(django_user_model, "pub-a")
    _, b = _publisher(django_user_model, "pub-b")
    before = _order(model)
    stale = drag_url(a, model)
    _type_last_first(b, model)
    theirs = _order(model)
    assert theirs != before
    changes = _changes(model)
    response = _drag_first_below_second(a, model, model_admin, before, stale)
    assert response.status_code == 409, response.content
    assert "reload" in response.json()["message"].lower()
    assert _order(model) == theirs
    assert _changes(model) == changes
    # A drag without the page's fingerprint is refused too.
    info = model._meta.app_label, model._meta.model_name
    bare = reverse("admin:{}_{}_sortable_update".format(*info))
    assert (
        _drag_first_below_second(a, model, model_admin, theirs, bare).status_code == 409
    )
    # Reloaded, the drag is saved; the answer gives the address of the next
    # drag from the same page (the order it drew is now the one just saved).
    fresh = _drag_first_below_second(a, model, model_admin, theirs)
    assert fresh.status_code == 200, fresh.content
    assert _order(model)[:2] == [theirs[1], theirs[0]]
    now = _order(model)
    again = _drag_first_below_second(
        a, model, model_admin, now, fresh.json()["update_url"]
    )
    assert again.status_code == 200, again.content
    assert _order(model)[:2] == [now[1], now[0]]


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_typed_order_is_recorded(seeded, publisher, model, model_admin):
    user, client = publisher
    before = _order(model)
    _type_last_first(client, model)
    [change] = _changes(model)
    assert (change.user, change.how, change.before, change.after) == (
        user,
        m.OrderHow.TYPED,
        before,
        _order(model),
    )


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE[:1], ids=IDS[:1])
def test_an_order_saved_unchanged_or_refused_records_nothing(
    seeded, publisher, model, model_admin
):
    _, client = publisher
    _, url = _urls(model)
    data = _form(client.get(url).content.decode())
    assert client.post(url, data).status_code == 302  # saved as it was
    bad = client.post(
        drag_url(client, model),
        {"updatedItems": [[999_999, 1]]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert _changes(model) == []


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE[:1], ids=IDS[:1])
def test_a_move_to_another_page_is_recorded(
    seeded, publisher, model, model_admin, monkeypatch
):
    user, client = publisher
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    changelist, _ = _urls(model)
    before = _order(model)
    # The page's form as drawn: it carries the order the page drew.
    page = form_data(
        client.get(f"{changelist}?p=1").content.decode(), "changelist-form"
    )
    response = client.post(
        f"{changelist}?p=1",
        {
            **page,
            "action": "move_to_last_page",
            "_selected_action": [before[0]],
            "index": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = _order(model)
    assert after != before
    assert after[-1] == before[0]
    [change] = _changes(model)
    assert (change.user, change.how, change.before, change.after) == (
        user,
        m.OrderHow.MOVED,
        before,
        after,
    )


# --- The history page ---------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_the_history_page_says_who_when_how_and_the_orders_in_names(
    seeded, publisher, editor_client, model, model_admin
):
    user, client = publisher
    changelist, _ = _urls(model)
    history = _history_url(model)
    assert f'href="{history}"' in client.get(changelist).content.decode()
    assert f'href="{history}"' in editor_client.get(changelist).content.decode()
    before = _order(model)
    _type_last_first(client, model)
    # A row deleted since (some lists protect their rows from deletion, so
    # the record names one that no longer exists) is shown as deleted.
    [change] = _changes(model)
    gone = max(_order(model)) + 1000
    change.before = [*change.before, gone]
    change.save(update_fields=["before"])
    for viewer in (client, editor_client):
        response = viewer.get(history)
        assert response.status_code == 200
        html = response.content.decode().replace("&#x27;", "'")
        assert user.username in html
        assert "Typed order" in html
        first = str(model._default_manager.get(pk=before[0]))
        last = str(model._default_manager.get(pk=before[-1]))
        # Before: the old first row leads; after: the old last row does.
        lists = re.findall(r"<ol[^>]*>(.*?)</ol>", html, re.S)
        assert len(lists) == 2, lists
        old, new = (re.findall(r"<li[^>]*>(.*?)</li>", ol, re.S) for ol in lists)
        assert first in old[0] and last in new[0]
        # The row that moved is named, not every row that shifted.
        assert f"{last}: {len(before)} → 1" in html
        assert f"{first}: 1 → 2" not in html
        assert f"(deleted since, id {gone})" in old[-1]
        assert "<time" in html


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE[:1], ids=IDS[:1])
def test_two_changes_by_one_publisher_in_a_minute_have_different_headings(
    seeded, publisher, model, model_admin
):
    """Each change is a section named by its heading (axe's
    landmark-unique): two typed orders by the same user in the same minute
    had the same one."""
    _, client = publisher
    _type_last_first(client, model)
    _type_last_first(client, model)
    assert len(_changes(model)) == 2
    html = client.get(_history_url(model)).content.decode()
    sections = re.findall(r'<section[^>]*aria-labelledby="([^"]+)"', html)
    headings = {
        ident: re.sub(r"<[^>]+>", "", text).strip()
        for ident, text in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html, re.S)
    }
    names = [headings[ident] for ident in sections]
    assert len(names) == 2
    assert len(set(names)) == 2, names


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_the_history_page_takes_as_many_queries_for_one_change_as_for_four(
    seeded, publisher, model, model_admin
):
    _, client = publisher
    history = _history_url(model)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history).status_code == 200
        return len(captured)

    _type_last_first(client, model)
    one = queries()
    for _ in range(3):
        _type_last_first(client, model)
    assert len(_changes(model)) == 4
    assert queries() == one


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE[:1], ids=IDS[:1])
def test_an_empty_history_says_so(seeded, editor_client, model, model_admin):
    response = editor_client.get(_history_url(model))
    assert response.status_code == 200
    assert "No change of this order is recorded yet" in response.content.decode()


# --- Restoring ----------------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_publisher_restores_an_earlier_order_and_it_is_recorded(
    seeded, publisher, model, model_admin
):
    user, client = publisher
    before = _order(model)
    _type_last_first(client, model)
    [typed] = _changes(model)
    # A row added since goes last.
    field = model_admin.default_order_field
    added = model._default_manager.get(pk=before[0])
    added.pk = None
    for name in ("slug", "key"):
        if hasattr(added, name):
            setattr(added, name, f"{getattr(added, name)}-copy")
    if hasattr(added, "name"):
        added.name = f"{added.name} copy"
    if hasattr(added, "text"):
        added.text = f"{added.text} copy"
    setattr(added, field, 0)
    added.save()
    page = client.get(_history_url(model)).content.decode()
    assert "Restore the order before this change" in page
    data = _restore_form(page, typed)
    response = client.post(_restore_url(model, typed), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == _history_url(model)
    assert _order(model) == [*before, added.pk]
    restored = _changes(model)[-1]
    assert (restored.user, restored.how, restored.restored_from) == (
        user,
        m.OrderHow.RESTORED,
        typed,
    )
    assert restored.after == [*before, added.pk]
    assert "The order is restored" in client.get(_history_url(model)).content.decode()


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_restore_from_a_stale_page_is_refused_and_saves_nothing(
    seeded, publisher, model, model_admin
):
    _, client = publisher
    _type_last_first(client, model)
    [typed] = _changes(model)
    data = _restore_form(client.get(_history_url(model)).content.decode(), typed)
    # Another publisher reorders meanwhile.
    _type_last_first(client, model)
    changed = _order(model)
    response = client.post(_restore_url(model, typed), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The order changed since you opened this page" in html
    assert "Nothing is restored" in html
    assert _order(model) == changed
    assert len(_changes(model)) == 2
    # From the page shown with the refusal, it goes through.
    again = _restore_form(html, typed)
    assert client.post(_restore_url(model, typed), again).status_code == 302
    # A page that cannot have come from the site: 400, nothing saved.
    for bad in ({}, {"shown": "x,y"}):
        assert client.post(_restore_url(model, typed), bad).status_code == 400
    assert len(_changes(model)) == 3


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_editors_see_the_history_but_are_refused_the_restore(
    seeded, publisher, editor_client, model, model_admin
):
    _, client = publisher
    _type_last_first(client, model)
    [typed] = _changes(model)
    changed = _order(model)
    page = editor_client.get(_history_url(model)).content.decode()
    assert "Restore the order" not in page
    data = {"shown": ",".join(map(str, changed))}
    response = editor_client.post(_restore_url(model, typed), data)
    assert response.status_code == 403
    assert "Only publishers can change this order" in response.content.decode()
    assert _order(model) == changed
    assert len(_changes(model)) == 1


def test_the_restore_needs_the_csrf_token_and_a_post(seeded, django_user_model):
    model = SORTABLE[0][0]
    _, client = _publisher(django_user_model, "pub2", enforce_csrf_checks=True)
    _type_last_first(client, model)
    [typed] = _changes(model)
    changed = _order(model)
    data = _restore_form(client.get(_history_url(model)).content.decode(), typed)
    assert "csrfmiddlewaretoken" in data
    assert client.get(_restore_url(model, typed)).status_code == 405
    data.pop("csrfmiddlewaretoken")
    assert client.post(_restore_url(model, typed), data).status_code == 403
    assert _order(model) == changed
    assert len(_changes(model)) == 1


def test_a_change_of_another_list_is_not_found_there(seeded, publisher):
    (one, _), (other, _) = SORTABLE[0], SORTABLE[1]
    _, client = publisher
    _type_last_first(client, one)
    [typed] = _changes(one)
    shown = ",".join(map(str, _order(other)))
    response = client.post(_restore_url(other, typed), {"shown": shown})
    assert response.status_code == 404


def test_restoring_the_order_there_is_now_changes_and_records_nothing(
    seeded, publisher
):
    model = SORTABLE[0][0]
    _, client = publisher
    _type_last_first(client, model)
    [typed] = _changes(model)
    data = _restore_form(client.get(_history_url(model)).content.decode(), typed)
    assert client.post(_restore_url(model, typed), data).status_code == 302
    restored = _order(model)
    # The same restore again, from the page as it is now.
    data = _restore_form(client.get(_history_url(model)).content.decode(), typed)
    response = client.post(_restore_url(model, typed), data, follow=True)
    # A neutral note, not a success with a tick: nothing was saved.
    assert re.search(
        r'<li class="info">.*?</span>The list is already in that order: nothing changed',
        response.content.decode(),
    )
    assert _order(model) == restored
    assert len(_changes(model)) == 2
