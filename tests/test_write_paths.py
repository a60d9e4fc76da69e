"""Every way content is written shows on the next anonymous request: an admin
save, an inline, a drag-and-drop reorder through adminsortable2's own
endpoint, a bulk action, a revert, an import and a seed. (Scheduled times
passing: test_cache_reliability; an import from another process, under
gunicorn: tests/browser/test_production_journeys.)"""

import json

import pytest
import reversion
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from roles import models as m
from roles.content_io.schema import export_document

from .formdata import form_data
from .test_typed_order import drag_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def warm(seeded):
    """A visitor who has already filled the cache with every page."""
    visitor = Client()
    for url in [
        "/",
        "/compare/",
        "/roles/product-owner/",
        "/compare/product-manager-vs-product-owner/",
    ]:
        visitor.get(url)
        assert visitor.get(url)["X-Cache"] == "hit"
    return visitor


def _page(visitor, url) -> str:
    response = visitor.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _save_role_form(staff_client, role, change):
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = form_data(staff_client.get(url).content.decode(), "role_form")
    change(data)
    data["_save"] = ["Save"]
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]


def test_an_inline_edit_in_the_admin_shows_next(warm, staff_client):
    role = m.Role.objects.get(slug="product-owner")

    def change(data):
        data["responsibilities-0-text"] = ["An inline edit, seen at once."]

    _save_role_form(staff_client, role, change)
    assert "An inline edit, seen at once." in _page(warm, "/roles/product-owner/")


def test_a_drag_and_drop_reorder_shows_next(warm, staff_client):
    """adminsortable2 saves a reorder with bulk_update, which sends no signal:
    the comparison table kept the old row order for up to an hour."""
    url = "/compare/product-manager-vs-product-owner/"
    before = list(m.Dimension.objects.order_by("order"))
    first, last = before[0], before[-1]
    html = _page(warm, url)
    assert html.index(first.name) < html.index(last.name)
    response = staff_client.post(
        drag_url(staff_client, m.Dimension),
        json.dumps({"updatedItems": [[last.pk, first.order], [first.pk, last.order]]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    html = _page(warm, url)
    assert html.index(last.name) < html.index(first.name)


def test_a_bulk_delete_action_shows_next(warm, staff_client):
    comparison = m.Comparison.objects.get(key="program-manager-vs-project-manager")
    assert comparison.title in _page(warm, "/compare/")
    response = staff_client.post(
        reverse("admin:roles_comparison_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [comparison.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert comparison.title not in _page(warm, "/compare/")


def test_a_revert_in_the_admin_shows_next(warm, staff_client):
    role = m.Role.objects.get(slug="product-owner")
    original = role.summary
    with reversion.create_revision():
        role.summary = "A summary an editor will take back."
        role.save()
    assert "will take back" in _page(warm, "/roles/product-owner/")
    version = Version.objects.get_for_object(role).order_by("pk").first()
    url = reverse("admin:roles_role_revision", args=[role.pk, version.pk])
    data = form_data(staff_client.get(url).content.decode(), "role_form")
    data["_save"] = ["Save"]
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    # A revert is a draft to review first: the live page is unchanged...
    assert "will take back" in _page(warm, "/roles/product-owner/")
    draft = m.Draft.objects.get(object_id=role.pk)
    review = reverse("admin:roles_draft_change", args=[draft.pk])
    response = staff_client.post(review, {"_publish": "Publish now"})
    assert response.status_code == 302
    # ...until it is published, which shows on the very next request.
    html = _page(warm, "/roles/product-owner/")
    assert "will take back" not in html
    assert original.split()[1] in html


def test_an_import_shows_next(warm, tmp_path):
    doc = export_document()
    role = next(r for r in doc["roles"] if r["slug"] == "product-owner")
    role["summary"] = "Imported, and shown on the very next request."
    path = tmp_path / "content.json"
    path.write_text(json.dumps(doc))
    call_command("import_content", str(path), verbosity=0)
    assert "Imported, and shown" in _page(warm, "/roles/product-owner/")


def test_a_seed_after_an_upgrade_shows_next(warm, monkeypatch):
    from roles.content_io import schema as content_doc

    load = content_doc.load_seed_files

    def upgraded():
        doc = load()
        role = next(r for r in doc["roles"] if r["slug"] == "product-owner")
        role["summary"] = "A new summary shipped with an upgrade."
        return doc

    monkeypatch.setattr(content_doc, "load_seed_files", upgraded)
    call_command("seed_content", verbosity=0)
    assert "shipped with an upgrade" in _page(warm, "/roles/product-owner/")
