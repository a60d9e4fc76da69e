"""The editors' accessibility checker runs axe-core in the editor's browser on
a draft's preview (static/js/preview-check.js, axe from the npm lockfile) and
lists what would hurt readers, with a way back to the form."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from roles import models as m
from roles.editorial import workflow as wf

from .test_editor_browser import PASSWORD, _login

pytestmark = pytest.mark.django_db(transaction=True)


def _draft_with(overview: str, user) -> m.Draft:
    role = m.Role.objects.get(slug="product-owner")
    doc = wf.record_doc(kind=m.DraftKind.ROLE, object_id=role.pk)
    doc["overview"] = overview
    return wf.draft_save(kind=m.DraftKind.ROLE, object_id=role.pk, doc=doc, user=user)


def test_the_preview_lists_what_axe_finds_on_the_rendered_page(
    site, browser, django_user_model, screenshot_dir
):
    root = django_user_model.objects.create_superuser("root", "", PASSWORD)
    # "[](address)" is valid Markdown: an empty link, which axe reports.
    draft = _draft_with("Read [](https://example.org/guide) first.", root)
    context, desk = _login(browser, site, "root")
    desk.goto(site.url + reverse("admin:roles_draft_preview", args=[draft.pk]))
    page_check = desk.locator(".preview-checks-page")
    expect(desk.locator(".preview-checks")).to_have_attribute(
        "data-axe", "done", timeout=30_000
    )
    expect(page_check).to_contain_text("found 1 problem")
    expect(page_check).to_contain_text("Links must have discernible text")
    fix = page_check.get_by_role("link", name="Fix it in the form")
    change = reverse("admin:roles_role_change", args=[draft.object_id])
    assert fix.get_attribute("href") == change
    # The server's own Markdown check names the field, with a link to it.
    text_check = desk.locator(".preview-checks-content")
    expect(text_check.get_by_role("link", name="Overview")).to_have_attribute(
        "href", f"{change}#id_overview"
    )
    assert desk.csp_errors == []
    desk.locator(".preview-checks").screenshot(
        path=str(screenshot_dir / "preview-check.png")
    )

    # A clean draft: the same check says so.
    m.Draft.objects.filter(pk=draft.pk).delete()
    clean = _draft_with("Read [the guide](https://example.org/guide) first.", root)
    desk.goto(site.url + reverse("admin:roles_draft_preview", args=[clean.pk]))
    expect(page_check).to_contain_text("found no problems", timeout=30_000)
    context.close()


def test_without_javascript_the_preview_says_where_the_page_check_runs(
    site, browser, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "", PASSWORD)
    draft = _draft_with("Read [](https://example.org/guide) first.", root)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    page.goto(site.url + reverse("admin:roles_draft_preview", args=[draft.pk]))
    expect(page.locator(".preview-checks-page")).to_contain_text(
        "runs in your browser when JavaScript is on"
    )
    expect(page.locator(".preview-checks-content")).to_contain_text("has no text")
    context.close()


def test_the_preview_of_unsaved_changes_runs_the_same_checks(
    site, browser, django_user_model, screenshot_dir
):
    """The "Preview" button on the change form opens the form's unsaved text in a new tab
    with both checks; the findings name their fields (the form stays in the
    first tab, so nothing links away from it)."""
    django_user_model.objects.create_superuser("root", "", PASSWORD)
    role = m.Role.objects.get(slug="product-owner")
    context, desk = _login(browser, site, "root")
    desk.goto(site.url + reverse("admin:roles_role_change", args=[role.pk]))
    desk.fill("#id_overview", "Read [](https://example.org/guide) first.")
    with context.expect_page() as opened:
        desk.locator("button[name=_preview]").first.click()
    preview = opened.value
    expect(preview.get_by_role("status")).to_contain_text("Preview of unsaved changes")
    expect(preview.locator(".preview-checks")).to_have_attribute(
        "data-axe", "done", timeout=30_000
    )
    page_check = preview.locator(".preview-checks-page")
    expect(page_check).to_contain_text("Links must have discernible text")
    assert page_check.get_by_role("link", name="Fix it in the form").count() == 0
    text_check = preview.locator(".preview-checks-content")
    expect(text_check).to_contain_text("Overview: A link to https://example.org/guide")
    assert text_check.get_by_role("link").count() == 0
    preview.screenshot(path=str(screenshot_dir / "preview-unsaved-check.png"))
    # Nothing was saved: the public page and the form's tab are as they were.
    assert "example.org/guide" not in m.Role.objects.get(pk=role.pk).overview
    expect(desk.locator("#id_overview")).to_have_value(
        "Read [](https://example.org/guide) first."
    )
    context.close()
