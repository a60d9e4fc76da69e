from io import StringIO

import pytest
from django.core.management import call_command
from reversion.models import Version

from roles import models as m

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-42"


@pytest.fixture
def editor(site, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "ed", stdout=StringIO())
    return "ed"


def test_editor_edits_reorders_previews_publishes_and_reverts(site, editor, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda msg: (
            csp_errors.append((page.url, msg.text[:60], msg.location))
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    public = browser.new_context().new_page()
    role = m.Role.objects.get(slug="product-owner")
    first, second = list(role.responsibilities.order_by("order", "id"))[:2]

    page.goto(site.url + "/admin/")
    page.fill("#id_username", editor)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(site.url + f"/admin/roles/role/{role.pk}/change/")

    # Edit a responsibility, move it to the end, and keep the guide as a draft.
    page.fill("#id_responsibilities-0-text", "Edited in the browser by an editor.")
    page.locator("#responsibilities-0").get_by_role(
        "button", name="Move to last position"
    ).click()
    page.select_option("#id_status", "draft")
    page.click("input[name=_continue]")
    assert page.locator(".messagelist").inner_text().count("changed successfully") == 1

    # Preview: the editor sees the draft with a banner, the public does not.
    page.goto(site.url + "/roles/product-owner/")
    assert page.locator(".draft-banner").is_visible()
    assert page.get_by_text("Edited in the browser by an editor.").is_visible()
    items = page.locator("article li").all_inner_texts()
    assert public.goto(site.url + "/roles/product-owner/").status == 404

    # Reordered: the edited responsibility now comes after the one that followed it.
    texts = list(
        m.Role.objects.get(pk=role.pk)
        .responsibilities.order_by("order")
        .values_list("text", flat=True)
    )
    assert texts.index("Edited in the browser by an editor.") > texts.index(second.text)
    assert items

    # Publish: the public sees the change.
    page.goto(site.url + f"/admin/roles/role/{role.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    public.goto(site.url + "/roles/product-owner/")
    assert public.get_by_text("Edited in the browser by an editor.").is_visible()

    # History shows the versions; revert to the seeded one, children included.
    page.goto(site.url + f"/admin/roles/role/{role.pk}/history/")
    assert page.get_by_text("Seeded").first.is_visible()
    seeded = Version.objects.get_for_object(role).order_by("pk").first()
    page.goto(site.url + f"/admin/roles/role/{role.pk}/history/{seeded.pk}/")
    page.click("input[type=submit][name=_save], input[type=submit].default")
    public.goto(site.url + "/roles/product-owner/")
    assert public.get_by_text(first.text).is_visible()
    assert public.get_by_text("Edited in the browser by an editor.").count() == 0
    assert_accessible(public)
    assert csp_errors == []
    context.close()
