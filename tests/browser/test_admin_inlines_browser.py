"""The admin's change forms as editors meet them in Chromium: the Markdown
preview, the inline tables' headers, and inline rows with scripts off."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from roles import models as m

from .test_editor_browser import PASSWORD, _login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(site, browser):
    get_user_model().objects.create_superuser("root", "", PASSWORD)
    context, page = _login(browser, site, "root")
    yield page
    context.close()


def test_the_markdown_preview_shows_list_markers(site, desk):
    """The admin's form styles drop the bullets of lists inside an aligned
    fieldset (``form .aligned ul li``): the preview must show them as the
    public page does."""
    role = m.Role.objects.order_by("pk").first()
    desk.goto(site.url + f"/admin/roles/role/{role.pk}/change/")
    editor = desk.locator(".markdown-editor").first
    editor.locator("textarea").fill("Intro\n\n- one\n- two\n\n1. first\n2. second\n")
    editor.get_by_role("button", name="Preview").click()
    expect(editor.locator(".markdown-preview li")).to_have_count(4)
    markers = editor.locator(".markdown-preview li").evaluate_all(
        "items => items.map(li => getComputedStyle(li).listStyleType)"
    )
    assert markers == ["disc", "disc", "decimal", "decimal"]


def _forms_with_tabular_inlines() -> list[str]:
    from django.contrib import admin
    from django.urls import reverse

    pages = []
    for model, model_admin in admin.site._registry.items():
        tabular = [i for i in model_admin.inlines if issubclass(i, admin.TabularInline)]
        first = model.objects.order_by("pk").first()
        if tabular and first is not None:
            opts = model._meta
            name = f"admin:{opts.app_label}_{opts.model_name}_change"
            pages.append(reverse(name, args=[first.pk]))
    return pages


@pytest.mark.parametrize("who", ["publisher", "editor"])
def test_inline_tables_have_no_empty_column_header(site, browser, who):
    """axe's empty-table-header (a best practice, outside the WCAG tags the
    other sweeps run): the drag column's and the Delete column's headers
    have text for screen readers, also for an editor who may not delete."""
    from axe_playwright_python.sync_playwright import Axe

    from ..factories import make_editor

    user = make_editor("ed")
    if who == "publisher":
        user.is_superuser = True
    user.set_password(PASSWORD)
    user.save()
    context, page = _login(browser, site, "ed")
    pages = _forms_with_tabular_inlines()
    assert len(pages) >= 2, pages
    found = []
    for path in pages:
        assert page.goto(site.url + path).status == 200, path
        page.wait_for_load_state("load")
        result = Axe().run(
            page,
            options={
                "runOnly": {"type": "rule", "values": ["empty-table-header"]},
                "resultTypes": ["violations"],
            },
        )
        found += [
            f"{path}: {node['html'][:80]}"
            for violation in result.response["violations"]
            for node in violation["nodes"]
        ]
    context.close()
    assert found == [], "\n".join(found)


def test_option_rows_drag_handle_is_not_cut_off_by_the_text_column(
    site, desk, screenshot_dir
):
    """Each option row's drag handle (adminsortable2 draws the option's text
    above the row) ran under the sticky Text column, showing the tail of the
    text ("…uggle with."). The handle now says what it is where it can be
    seen, and the text stays in its own box only."""
    question = m.Question.objects.filter(options__isnull=False).first()
    desk.goto(site.url + f"/admin/roles/question/{question.pk}/change/")
    desk.wait_for_load_state("load")
    handles = desk.locator("#options-group tr.has_original td.original > p")
    assert handles.count() >= 2
    seen = handles.evaluate_all(
        """ps => ps.map(p => {
            const text = [...p.childNodes].filter(n => n.nodeType === 3
                && n.textContent.trim())[0];
            const range = document.createRange();
            range.selectNodeContents(text);
            const r = range.getBoundingClientRect();
            const covered = r.width > 0
                && !p.contains(document.elementFromPoint(r.left + 2, r.top + r.height / 2));
            const label = getComputedStyle(p, '::before').content;
            return {covered, label};
        })"""
    )
    assert not any(s["covered"] for s in seen), seen
    assert all("Drag to reorder" in s["label"] for s in seen), seen
    desk.locator("#options-group").screenshot(path=str(screenshot_dir / "options.png"))
