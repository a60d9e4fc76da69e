"""adminsortable2's bulk moves on a sortable change list ("Move selected to
first page", "… pages forward", …) under the drag's rule: a move posted from
a page drawn before another publisher changed the order is refused, nothing
moved and nothing recorded. The moves reckon their target positions from
the order there is when they run, so from a stale page they made an order
nobody saw."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from roles import models as m
from roles.editorial.admin_common import MOVE_CHANGED

from .factories import make_editor, make_publisher
from .formdata import form_data
from .test_typed_order import IDS, SORTABLE, _form, _order, _urls

pytestmark = pytest.mark.django_db

PER_PAGE = 2


@pytest.fixture
def paged(monkeypatch, model_admin):
    """The list two rows a page, so the moves are offered."""
    monkeypatch.setattr(model_admin, "list_per_page", PER_PAGE)


def _action_form(client, model) -> dict[str, list[str]]:
    """The change list's form (the actions and the rows' boxes) as the
    first page draws it for ``client``, with the move to the last page."""
    changelist, _ = _urls(model)
    response = client.get(f"{changelist}?p=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="move_to_last_page"' in html, "the move is offered"
    data = form_data(html, "changelist-form")
    assert data, html[:2000]
    return data


def _move_to_last_page(client, model, data, pk: int):
    """Post the page's form as a browser does: row ``pk`` ticked, "Move
    selected to last page" chosen, Go (the button is ``index``)."""
    changelist, _ = _urls(model)
    return client.post(
        f"{changelist}?p=1",
        {
            **data,
            "action": "move_to_last_page",
            "_selected_action": [pk],
            "index": "0",
        },
    )


def _other_publisher_types_last_first(model) -> list[int]:
    other = Client()
    other.force_login(make_publisher("pub-b"))
    _, url = _urls(model)
    before = _order(model)
    data = _form(other.get(url).content.decode())
    data[f"row-{before[-1]}"] = "1"
    assert other.post(url, data).status_code == 302
    return _order(model)


def _moves(model) -> list[m.OrderChange]:
    return list(m.OrderChange.objects.for_model(model).filter(how=m.OrderHow.MOVED))


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_move_from_a_page_drawn_before_another_publishers_reorder_is_refused(
    seeded, publisher_client, paged, model, model_admin
):
    before = _order(model)
    data = _action_form(publisher_client, model)
    theirs = _other_publisher_types_last_first(model)
    assert theirs != before
    response = _move_to_last_page(publisher_client, model, data, before[0])
    # Back to the change list, drawn again: the order as it is now.
    changelist, _ = _urls(model)
    assert response.status_code == 302
    assert response["Location"] == f"{changelist}?p=1"
    assert _order(model) == theirs
    assert _moves(model) == []
    followed = publisher_client.get(response["Location"])
    html = followed.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    [message] = followed.context["messages"]
    assert message.level_tag == "error"
    assert message.message.startswith(MOVE_CHANGED)
    assert "The order changed since this page was drawn" in html
    assert "Nothing is moved: the list below is the order now" in html
    # Where to see what the other publisher did: a link, not escaped text.
    opts = model._meta
    history = reverse(f"admin:{opts.app_label}_{opts.model_name}_order_history")
    assert f'<a href="{history}">See what changed in the order history</a>' in html


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE[:1], ids=IDS[:1])
def test_a_move_without_the_order_its_page_drew_is_refused(
    seeded, publisher_client, paged, model, model_admin
):
    """A form from another page, or from before the moves carried the
    order: nothing tells what order it saw, so nothing is moved."""
    before = _order(model)
    data = _action_form(publisher_client, model)
    for shown in (None, "", "not-a-fingerprint"):
        sent = {name: values for name, values in data.items() if name != "shown"}
        if shown is not None:
            sent["shown"] = [shown]
        response = _move_to_last_page(publisher_client, model, sent, before[0])
        assert response.status_code == 302
        assert _order(model) == before
    assert _moves(model) == []


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_move_from_the_page_drawn_again_is_saved_and_recorded(
    seeded, publisher_client, publisher, paged, model, model_admin
):
    stale = _action_form(publisher_client, model)
    theirs = _other_publisher_types_last_first(model)
    _move_to_last_page(publisher_client, model, stale, theirs[0])
    assert _order(model) == theirs
    fresh = _action_form(publisher_client, model)
    response = _move_to_last_page(publisher_client, model, fresh, theirs[0])
    assert response.status_code == 302
    after = _order(model)
    assert after != theirs
    assert after.index(theirs[0]) >= len(after) - PER_PAGE  # on the last page
    [move] = _moves(model)
    assert (move.user, move.before, move.after) == (publisher, theirs, after)
    followed = publisher_client.get(response["Location"])
    assert [m.level_tag for m in followed.context["messages"]] == []


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_an_editor_without_the_publish_right_is_refused_the_moves(
    seeded, publisher_client, editor_client, paged, model, model_admin, rf
):
    """An editor who may not publish is offered no move and no order to
    post; the page a publisher drew, posted by them, moves nothing. The
    action itself refuses them (PermissionDenied) before it looks at the
    order, even one that is up to date."""
    changelist, _ = _urls(model)
    before = _order(model)
    html = editor_client.get(f"{changelist}?p=1").content.decode()
    assert "move_to_" not in html
    assert 'name="shown"' not in html
    data = _action_form(publisher_client, model)
    assert data["shown"][0]
    _move_to_last_page(editor_client, model, data, before[0])
    assert _order(model) == before
    assert _moves(model) == []
    request = rf.post(f"{changelist}?p=1", {"shown": data["shown"][0]})
    request.user = make_editor("editor-2")
    selected = model._default_manager.filter(pk=before[0])
    with pytest.raises(PermissionDenied, match="Only publishers"):
        model_admin.move_to_last_page(request, selected)
    assert _order(model) == before
