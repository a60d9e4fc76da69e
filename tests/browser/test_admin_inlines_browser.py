"""The admin's change forms as editors meet them in Chromium: the Markdown
preview, the inline tables' headers, and inline rows with scripts off."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from roles import models as m

from .conftest import AXE_OPTIONS
from .sweep import _TIMERS_AS_MICROTASKS
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


@pytest.fixture
def nojs_desk(site, browser):
    get_user_model().objects.create_superuser("root", "", PASSWORD)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    yield page
    context.close()


def test_without_javascript_an_editor_adds_and_reorders_inline_rows(
    site, nojs_desk, screenshot_dir
):
    """Without scripts there is no "Add another" and no dragging: a blank
    row is drawn after the saved ones, and each row's order is a number to
    type."""
    question = m.Question.objects.filter(options__isnull=False).first()
    first, second, *rest = question.options.order_by("order", "pk")
    page = nojs_desk
    page.goto(site.url + f"/admin/roles/question/{question.pk}/change/")
    count = 2 + len(rest)
    blank = page.locator(f"#id_options-{count}-text")
    expect(blank).to_be_visible()
    expect(blank).to_have_value("")
    order = {
        page.locator(f"#id_options-{i}-id").input_value(): page.locator(
            f"#id_options-{i}-order"
        )
        for i in range(count)
    }
    expect(order[str(first.pk)]).to_be_visible()
    # The order numbers and the blank row are labelled (axe, scripts off as
    # tests/browser/sweep.py runs it); Django's colour-scheme toggle, which
    # works and is named only by its script, is not shown.
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(_TIMERS_AS_MICROTASKS)
    assert not page.locator(".theme-toggle").is_visible()
    found = Axe().run(page, options=AXE_OPTIONS)
    assert found.violations_count == 0, found.generate_report()
    order[str(first.pk)].fill("2")
    order[str(second.pk)].fill("1")
    blank.fill("A brand new answer")
    page.locator("#options-group").screenshot(path=str(screenshot_dir / "nojs.png"))
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert page.locator(".errornote").count() == 0, page.locator(
        ".errornote"
    ).inner_text()
    texts = list(
        question.options.order_by("order", "pk").values_list("text", flat=True)
    )
    assert texts[:2] == [second.text, first.text]
    assert texts[-1] == "A brand new answer"


def test_with_javascript_the_blank_rows_and_order_numbers_are_not_shown(site, desk):
    """Scripts on, rows are added with "Add another" and ordered by dragging
    or the Up/Down buttons: the blank rows drawn for editors without scripts
    are taken out (and the form's row count with them), the order numbers
    hidden."""
    question = m.Question.objects.filter(options__isnull=False).first()
    count = question.options.count()
    desk.goto(site.url + f"/admin/roles/question/{question.pk}/change/")
    desk.wait_for_load_state("load")
    rows = desk.locator("#options-group tbody tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(count)
    expect(desk.locator("#id_options-TOTAL_FORMS")).to_have_value(str(count))
    expect(desk.locator("#id_options-0-order")).to_be_hidden()
    expect(desk.locator("#options-group th.column-order")).to_be_hidden()
    expect(desk.locator(".theme-toggle").first).to_be_visible()
    desk.get_by_text("Add another Option").click()
    expect(rows).to_have_count(count + 1)
    expect(desk.locator(f"#id_options-{count}-text")).to_be_visible()
    expect(desk.locator("#id_options-TOTAL_FORMS")).to_have_value(str(count + 1))


def _phone_desk(site, browser, scripts: bool):
    """A superuser logged in on a 320 px screen, scripts on or off."""
    get_user_model().objects.create_superuser("root", "", PASSWORD)
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=scripts
    )
    page = context.new_page()
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    return context, page


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_responsibility_rows_stack_at_320_px(site, browser, screenshot_dir, scripts):
    """Found by a tester: at 320 px the Responsibilities table showed each
    row's drag handle, ordering buttons and theme, and its text box sat
    off-screen (x=317, 448 px wide) in a group that scrolled sideways. Each
    row now stacks: the text box under the theme, inside the screen."""
    context, page = _phone_desk(site, browser, scripts)
    role = m.Role.objects.get(slug="scrum-master")
    page.goto(site.url + f"/admin/roles/role/{role.pk}/change/")
    page.wait_for_load_state("load")
    group = page.locator("#responsibilities-group")
    group.scroll_into_view_if_needed()
    group.screenshot(path=str(screenshot_dir / f"responsibilities-320-{scripts}.png"))
    assert group.evaluate("g => g.scrollWidth <= g.clientWidth"), "scrolls sideways"
    rows = page.locator(
        "#responsibilities-group tbody tr.form-row:not(.empty-form)"
        ":has(textarea, input[name$='-text'])"
    )
    if scripts:  # a row added with "Add another" stacks too
        page.get_by_text("Add another Responsibility").click()
    assert rows.count() == role.responsibilities.count() + 1
    boxes = rows.evaluate_all(
        """rows => rows.map(row => {
            const box = el => el.getBoundingClientRect();
            const text = box(row.querySelector("[name$='-text']"));
            const theme = box(row.querySelector("select[name$='-theme']"));
            return {left: text.left, right: text.right, width: text.width,
                    top: text.top, themeBottom: theme.bottom};
        })"""
    )
    for i, b in enumerate(boxes):
        assert b["left"] >= 0 and b["right"] <= 320, (i, b)
        assert b["width"] >= 200, (i, b)  # room to read and type
        assert b["top"] >= b["themeBottom"], (i, b)  # under the theme
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if scripts:  # the stacked rows' labels and targets
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(_TIMERS_AS_MICROTASKS)
        found = Axe().run(page, context="#responsibilities-group", options=AXE_OPTIONS)
        assert found.violations_count == 0, found.generate_report()
    context.close()


def _change_forms():
    """A change form of each model with a tabular inline: a role (skills,
    dimensions, a typical week, related roles, responsibilities) and a
    question (its options)."""
    role = m.Role.objects.get(slug="scrum-master")
    question = next(q for q in m.Question.objects.all() if q.options.count() > 2)
    return [
        f"/admin/roles/role/{role.pk}/change/",
        f"/admin/roles/question/{question.pk}/change/",
    ]


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_every_tabular_inline_fits_a_320_px_screen(site, browser, scripts):
    """Found after the responsibilities were made to stack: at 320 px the
    other tables still scrolled sideways inside their group (skills 899 px,
    a typical week 848, dimensions 769, related roles 408), with their
    fields and Delete boxes off-screen. Every tabular inline stacks its rows,
    each field inside the screen and named above it."""
    context, page = _phone_desk(site, browser, scripts)
    checked = set()
    for url in _change_forms():
        page.goto(site.url + url)
        page.wait_for_load_state("load")
        found = page.locator('.inline-group[data-inline-type="tabular"]').evaluate_all(
            """groups => groups.map(g => ({
                id: g.id,
                wide: g.scrollWidth > g.clientWidth,
                outside: [...g.querySelectorAll(
                    "tr.form-row:not(.empty-form) :is(input, select, textarea)"
                )].filter(f => f.type !== "hidden" && f.offsetParent !== null)
                  .map(f => [f.name, f.getBoundingClientRect()])
                  .filter(([, b]) => b.left < 0 || b.right > 320)
                  .map(([name]) => name),
                unnamed: [...g.querySelectorAll(
                    "tr.form-row:not(.empty-form) td:not(.original, .delete)"
                )].filter(td => td.offsetParent !== null && td.querySelector(
                    "input:not([type=hidden]), select, textarea"))
                  .filter(td => !/^"[^"]*[A-Za-z]/.test(
                    getComputedStyle(td, "::before").content))
                  .map(td => td.className),
            }))"""
        )
        for group in found:
            checked.add(group["id"])
            assert not group["wide"], (url, group["id"], "scrolls sideways")
            assert not group["outside"], (url, group["id"], group["outside"])
            # Each field shows which column it is (a question's points boxes
            # were sixteen unnamed numbers).
            assert not group["unnamed"], (url, group["id"], group["unnamed"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    assert {
        "skills-group",
        "typical_week-group",
        "dimension_values-group",
        "related_links-group",
        "responsibilities-group",
        "options-group",
    } <= checked, checked
    context.close()
