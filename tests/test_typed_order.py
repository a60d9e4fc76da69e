"""Every sortable list (a model admin with PublishersReorderMixin and
adminsortable2's drag) has a typed order too, for publishers without
JavaScript: the drag was the only way to order the questions, the themes,
the dimensions and the context factors."""

from __future__ import annotations

import re

import pytest
from adminsortable2.admin import SortableAdminMixin
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from roles.editorial.admin_common import PublishersReorderMixin, retyped_positions
from roles.editorial.permissions import EDITORS_GROUP, PUBLISHERS_GROUP

from .formdata import form_data

pytestmark = pytest.mark.django_db


def _sortable_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, PublishersReorderMixin)
        and isinstance(model_admin, SortableAdminMixin)
    ]


SORTABLE = _sortable_admins()
IDS = [model._meta.model_name for model, _ in SORTABLE]


def test_the_sortable_lists_are_found():
    names = set(IDS)
    assert {"question", "theme", "dimension", "contextfactor"} <= names


def _urls(model) -> tuple[str, str]:
    info = model._meta.app_label, model._meta.model_name
    return (
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_order".format(*info)),
    )


def _order(model) -> list[int]:
    field = admin.site._registry[model].default_order_field
    ordering = [o for o in model._meta.ordering if o.lstrip("-") != field]
    return list(
        model._default_manager.order_by(field, *ordering, "pk").values_list(
            "pk", flat=True
        )
    )


def drag_url(client, model) -> str:
    """Where the change list's drag posts (adminsortable2's script reads
    it from the page's config), as the page drew it for ``client``."""
    changelist, _ = _urls(model)
    html = client.get(changelist).content.decode()
    found = re.search(r'"update_url": "([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1).replace("&amp;", "&")


def _form(html: str) -> dict[str, str]:
    """The typed-order form's fields, as the page fills them."""
    data = form_data(html, "typed-order")
    assert data, html[:2000]
    return {name: values[0] for name, values in data.items()}


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_publisher_types_the_order_without_javascript(
    seeded, publisher_client, model, model_admin
):
    changelist, url = _urls(model)
    assert f'href="{url}"' in publisher_client.get(changelist).content.decode()
    before = _order(model)
    assert len(before) >= 3
    page = publisher_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    data = _form(html)
    assert "csrfmiddlewaretoken" in data
    # Each row's position, numbered as the list shows them.
    assert [data[f"row-{pk}"] for pk in before] == [
        str(n) for n in range(1, len(before) + 1)
    ]
    # Each input is named after its row.
    first = model._default_manager.get(pk=before[0])
    assert f'aria-label="Position of {first}"' in html.replace("&#x27;", "'")
    # The last row first, the first one last.
    data[f"row-{before[-1]}"] = "1"
    data[f"row-{before[0]}"] = str(len(before) + 5)
    response = publisher_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == changelist
    after = _order(model)
    assert after == [before[-1], *before[1:-1], before[0]]
    followed = publisher_client.get(changelist).content.decode()
    assert "The order is saved" in followed


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_bad_positions_are_refused_with_a_message_and_nothing_changes(
    seeded, publisher_client, model, model_admin
):
    _, url = _urls(model)
    before = _order(model)
    data = _form(publisher_client.get(url).content.decode())
    key = f"row-{before[1]}"
    for bad, words in (
        ("", "Give every row a position"),
        ("two", "Give every row a position"),
        ("-1", "1 or more"),
        ("0", "1 or more"),
        ("99999999999999999999", "at most"),
    ):
        response = publisher_client.post(url, {**data, key: bad})
        html = response.content.decode()
        assert response.status_code == 400, (bad, html[:500])
        assert words in html, bad
        # What was typed stays in the form.
        assert re.search(rf'name="{key}"[^>]*value="{re.escape(bad)}"', html) or (
            bad == "" and re.search(rf'name="{key}"', html)
        )
        assert _order(model) == before
    missing = {k: v for k, v in data.items() if k != key}
    assert publisher_client.post(url, missing).status_code == 400
    stale = publisher_client.post(url, {**data, "shown": "x,y"})
    assert stale.status_code == 400
    assert "open the order again" in stale.content.decode()
    assert _order(model) == before


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_an_order_changed_since_the_page_was_opened_is_not_overwritten(
    seeded, publisher_client, model, model_admin
):
    """Another publisher dragged a row meanwhile: nothing is saved, the page
    says why, and what this publisher typed is still in the form."""
    _, url = _urls(model)
    before = _order(model)
    data = _form(publisher_client.get(url).content.decode())
    field = model_admin.default_order_field
    moved = model._default_manager.get(pk=before[0])
    setattr(moved, field, 10_000)
    moved.save(update_fields=[field])
    changed = _order(model)
    data[f"row-{before[2]}"] = "1"
    response = publisher_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened this page" in html
    assert _order(model) == changed
    assert re.search(rf'name="row-{before[2]}"[^>]*value="1"', html)
    # Sent again from that page, it is saved.
    again = _form(html)
    assert publisher_client.post(url, again).status_code == 302
    assert _order(model)[0] == before[2]


def test_only_the_rows_given_a_new_number_keep_it_over_the_order_now():
    # The page showed 1, 2, 3; now it is 2, 3, 1 and 4 was added.
    fields = retyped_positions(
        shown=[1, 2, 3],
        current=[2, 3, 1, 4],
        typed={"row-1": "1", "row-2": "2", "row-3": " 1 "},
    )
    assert fields == {"row-2": "1", "row-3": " 1 ", "row-1": "3", "row-4": "4"}
    # A bad number typed stays, to be shown with its error.
    assert retyped_positions(shown=[1], current=[1], typed={"row-1": "x"}) == {
        "row-1": "x"
    }


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_an_out_of_date_order_saved_again_keeps_the_other_publishers_move(
    seeded, publisher_client, django_user_model, model, model_admin
):
    """On the 409 page only the rows this publisher gave a new number keep
    it; the others show their number now, so saving that page again keeps
    the other publisher's move instead of putting the old order back."""
    _, url = _urls(model)
    before = _order(model)
    data = _form(publisher_client.get(url).content.decode())
    # Another publisher, meanwhile, types the first row last.
    other = django_user_model.objects.create_user("pub-b", is_staff=True)
    other.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, PUBLISHERS_GROUP]))
    b = Client()
    b.force_login(other)
    theirs = _form(b.get(url).content.decode())
    theirs[f"row-{before[0]}"] = str(len(before) + 1)
    assert b.post(url, theirs).status_code == 302
    current = _order(model)
    assert current == [*before[1:], before[0]]
    # This publisher, on the stale page, only moves the third row first.
    data[f"row-{before[2]}"] = "1"
    response = publisher_client.post(url, data)
    assert response.status_code == 409
    again = _form(response.content.decode())
    assert {pk: again[f"row-{pk}"] for pk in current} == {
        pk: "1" if pk == before[2] else str(n) for n, pk in enumerate(current, start=1)
    }
    html = response.content.decode()
    assert "the rows you gave a new number keep it" in html
    assert publisher_client.post(url, again).status_code == 302
    after = _order(model)
    assert after[0] == before[2]
    assert after[-1] == before[0]  # the other publisher's move stands


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_a_row_given_the_number_of_another_goes_before_it(
    seeded, publisher_client, model, model_admin
):
    _, url = _urls(model)
    before = _order(model)
    data = _form(publisher_client.get(url).content.decode())
    data[f"row-{before[2]}"] = "1"  # as the first row's
    assert publisher_client.post(url, data).status_code == 302
    assert _order(model)[:3] == [before[2], before[0], before[1]]


@pytest.mark.parametrize(("model", "model_admin"), SORTABLE, ids=IDS)
def test_editors_are_refused_the_typed_order_as_the_drag(
    seeded, editor_client, model, model_admin
):
    changelist, url = _urls(model)
    before = _order(model)
    assert f'href="{url}"' not in editor_client.get(changelist).content.decode()
    data = {f"row-{pk}": str(n) for n, pk in enumerate(reversed(before), start=1)}
    data["shown"] = ",".join(map(str, before))
    for response in (editor_client.get(url), editor_client.post(url, data)):
        assert response.status_code == 403
        assert "Only publishers can change this order" in response.content.decode()
    info = model._meta.app_label, model._meta.model_name
    drag = editor_client.post(
        reverse("admin:{}_{}_sortable_update".format(*info)),
        {"updatedItems": [[before[0], 99]]},
        content_type="application/json",
    )
    assert drag.status_code == 403
    assert _order(model) == before


def test_the_typed_order_needs_the_csrf_token(seeded, django_user_model):
    model = SORTABLE[0][0]
    user = django_user_model.objects.create_user("pub2", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=[EDITORS_GROUP, PUBLISHERS_GROUP]))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    _, url = _urls(model)
    before = _order(model)
    data = _form(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken")
    data[f"row-{before[-1]}"] = "1"
    assert client.post(url, data).status_code == 403
    assert _order(model) == before
