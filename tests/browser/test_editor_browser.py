"""The editorial workflow in Chromium: an Editors-group user stages changes to
live pages, a Publisher reviews, publishes, schedules and reverts."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from reversion.models import Version

from roles import models as m
from roles.content_io import schema as cd

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-editor-password-42"


@pytest.fixture
def accounts(site, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "ed", stdout=StringIO())
    call_command("create_editor", "pat", "--publisher", stdout=StringIO())
    return "ed", "pat"


def _login(browser, site, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text[:300])
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    page.goto(site.url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # Logged in before the caller navigates: a goto issued while the login
    # POST is in flight can cancel it and land on the login form instead.
    expect(page.locator("#user-tools")).to_be_visible()
    return context, page


def _change(page, site, obj):
    page.goto(site.url + f"/admin/roles/{obj._meta.model_name}/{obj.pk}/change/")


def test_editor_stages_previews_submits_publisher_rejects_then_publishes(
    site, accounts, browser
):
    role = m.Role.objects.get(slug="product-owner")
    editor_ctx, editor = _login(browser, site, "ed")
    publisher_ctx, publisher = _login(browser, site, "pat")
    public = browser.new_context().new_page()

    # The editor edits the live guide; Save draft leaves the public page alone.
    _change(editor, site, role)
    editor.fill("#id_responsibilities-0-text", "Edited in the browser by an editor.")
    editor.fill("#id_summary", "A summary staged by an editor.")
    editor.click("input[name=_save_draft] >> nth=0")
    assert "Draft saved" in editor.locator(".messagelist").inner_text()
    public.goto(site.url + "/roles/product-owner/")
    assert public.get_by_text("A summary staged by an editor.").count() == 0
    assert public.get_by_text(role.summary).first.is_visible()

    # The review page shows the change; its preview is the site's own page.
    assert editor.get_by_role("rowheader", name="Summary", exact=True).is_visible()
    editor.click("text=Preview the draft")
    expect(editor.get_by_text("A summary staged by an editor.").first).to_be_visible()
    assert editor.locator("main").count() == 1
    expect(editor.get_by_role("status")).to_contain_text("Preview of a draft")
    assert_accessible(editor)
    editor.go_back()

    # Preview of unsaved changes opens in a new tab and saves nothing.
    _change(editor, site, role)
    editor.fill("#id_summary", "Typed but not saved.")
    with editor.expect_popup() as popup_info:
        editor.click("button[name=_preview] >> nth=0")
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.get_by_text("Typed but not saved.").first.is_visible()
    popup.close()
    draft = m.Draft.objects.get()
    assert draft.doc["summary"] == "A summary staged by an editor."

    # Submit for review; an editor cannot publish.
    editor.goto(site.url + draft.get_absolute_url())
    assert editor.locator("input[name=_publish]").count() == 0
    editor.click("input[name=_submit]")
    assert "Submitted for review" in editor.locator(".messagelist").inner_text()

    # The publisher sees it on the dashboard and sends it back with a comment.
    publisher.goto(site.url + "/admin/")
    assert_accessible(publisher)
    publisher.click(f"section:has(h2:text('Awaiting review')) >> text={role.name}")
    publisher.fill("#id_comment", "Name the stakeholders, please.")
    publisher.click("input[name=_reject]")
    assert "Sent back" in publisher.locator(".messagelist").inner_text()

    # The editor sees the comment in the form (which holds the draft) and resubmits.
    _change(editor, site, role)
    assert editor.get_by_text("Name the stakeholders, please.").is_visible()
    assert editor.input_value("#id_summary") == "A summary staged by an editor."
    editor.fill("#id_summary", "A summary naming the stakeholders.")
    editor.click("input[name=_submit_draft] >> nth=0")
    public.goto(site.url + "/roles/product-owner/")
    assert public.get_by_text("A summary naming the stakeholders.").count() == 0

    # The publisher publishes: the public sees it.
    publisher.goto(site.url + draft.get_absolute_url())
    publisher.click("input[name=_publish]")
    assert "is live" in publisher.locator(".messagelist").inner_text()
    public.goto(site.url + "/roles/product-owner/")
    assert public.get_by_text("A summary naming the stakeholders.").first.is_visible()
    assert public.get_by_text("Edited in the browser by an editor.").is_visible()
    assert_accessible(public)
    assert editor.csp_errors == [] and publisher.csp_errors == []
    editor_ctx.close()
    publisher_ctx.close()


def test_scheduled_draft_goes_live_at_its_time_and_expiry_takes_it_down(
    site, accounts, browser
):
    role = m.Role.objects.get(slug="scrum-master")
    context, publisher = _login(browser, site, "pat")
    public = browser.new_context().new_page()
    _change(publisher, site, role)
    publisher.fill("#id_summary", "The scheduled summary.")
    publisher.click("input[name=_save_draft] >> nth=0")
    at = timezone.localtime() + dt.timedelta(hours=3)
    publisher.fill("#id_go_live_at", at.strftime("%Y-%m-%dT%H:%M"))
    publisher.click("input[name=_schedule]")
    assert "Scheduled for" in publisher.locator(".messagelist").inner_text()
    public.goto(site.url + "/roles/scrum-master/")
    assert public.get_by_text("The scheduled summary.").count() == 0
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        public.goto(site.url + "/roles/scrum-master/")
        assert public.get_by_text("The scheduled summary.").first.is_visible()
    # Unpublish at: the page goes offline at that time.
    _change(publisher, site, role)
    end = timezone.localtime() + dt.timedelta(days=2)
    publisher.fill("#id_unpublish_at_0", end.strftime("%Y-%m-%d"))
    publisher.fill("#id_unpublish_at_1", end.strftime("%H:%M:%S"))
    publisher.click("input[name=_continue] >> nth=0")
    assert public.goto(site.url + "/roles/scrum-master/").status == 200
    with time_machine.travel(end + dt.timedelta(minutes=1)):
        assert public.goto(site.url + "/roles/scrum-master/").status == 404
    context.close()


def test_revert_of_one_role_after_seeding_changes_no_other_record(
    site, accounts, browser
):
    context, publisher = _login(browser, site, "pat")
    analyst = m.Role.objects.get(slug="business-analyst")
    delivery = m.Role.objects.get(slug="delivery-manager")
    for role, text in ((analyst, "Analyst, edited."), (delivery, "Delivery, edited.")):
        _change(publisher, site, role)
        publisher.fill("#id_summary", text)
        publisher.click("input[name=_continue] >> nth=0")
    before = cd.export_document()
    seeded = Version.objects.get_for_object(delivery).order_by("pk").first()
    publisher.goto(site.url + f"/admin/roles/role/{delivery.pk}/history/")
    assert publisher.get_by_text("Seeded").first.is_visible()
    publisher.goto(site.url + f"/admin/roles/role/{delivery.pk}/history/{seeded.pk}/")
    publisher.click("input[type=submit][name=_save], input[type=submit].default")
    assert "is now a draft" in publisher.locator(".messagelist").inner_text()
    assert cd.export_document() == before  # a draft: nothing changed yet
    publisher.click("input[name=_publish]")
    after = cd.export_document()
    changed = [
        kind + ":" + cd.record_key(kind, record)
        for kind in cd.KINDS
        for record, old in zip(after[kind], before[kind], strict=True)
        if record != old
    ]
    assert changed == ["roles:delivery-manager"]
    assert m.Role.objects.get(pk=analyst.pk).summary == "Analyst, edited."
    assert m.Role.objects.get(pk=delivery.pk).summary != "Delivery, edited."
    context.close()


def test_crlf_from_the_textarea_shows_no_change(site, accounts, browser):
    role = m.Role.objects.get(slug="product-manager")
    context, editor = _login(browser, site, "ed")
    _change(editor, site, role)
    overview = editor.input_value("#id_overview")
    assert "\n" in overview
    editor.fill("#id_overview", overview)  # the browser posts it with CRLF
    editor.fill("#id_origin", "Origin, changed.")
    editor.click("input[name=_save_draft] >> nth=0")
    rows = editor.locator("table.draft-changes tbody th").all_inner_texts()
    assert rows == ["Origin"]
    assert "\r" not in m.Draft.objects.get().doc["overview"]
    assert re.search("Origin, changed", editor.content())
    assert_accessible(editor)
    context.close()


def test_slug_rename_keeps_the_curated_comparison_and_redirects(
    site, accounts, browser
):
    role = m.Role.objects.get(slug="product-owner")
    curated = m.Comparison.objects.get(key="product-manager-vs-product-owner")
    context, publisher = _login(browser, site, "pat")
    _change(publisher, site, role)
    publisher.fill("#id_slug", "po")
    publisher.click("input[name=_continue] >> nth=0")
    public = browser.new_context().new_page()
    response = public.goto(site.url + "/compare/product-manager-vs-product-owner/")
    assert response.status == 200
    assert public.url.endswith("/compare/po-vs-product-manager/")
    assert public.get_by_role("heading", name=curated.title).first.is_visible()
    public.goto(site.url + "/roles/product-owner/")
    assert public.url.endswith("/roles/po/")
    assert_accessible(public)
    context.close()


def test_the_impact_table_shows_before_saving_points(live_server, browser, monkeypatch):
    from django.test import Client

    from tests.factories import RoleFactory, make_scenario

    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "pat", "--publisher", stdout=StringIO())
    pm = RoleFactory(slug="pm", name="Product Manager")
    po = RoleFactory(slug="po", name="Product Owner")
    question = make_scenario([{pm: 3}, {po: 3}], key="only")
    visitor = Client()
    for answer in ("0", "0", "1"):
        visitor.post("/quiz/all/", {"q-only": answer})
    assert m.Submission.objects.count() == 3
    context, publisher = _login(browser, live_server, "pat")
    _change(publisher, live_server, question)
    publisher.fill(f"#id_options-0-points_{pm.pk}", "0")
    publisher.fill(f"#id_options-0-points_{po.pk}", "3")
    publisher.fill(f"#id_options-1-points_{pm.pk}", "3")
    publisher.fill(f"#id_options-1-points_{po.pk}", "0")
    publisher.click("input[name=_continue] >> nth=-1")
    publisher.wait_for_selector(".impact-warning table")
    table = publisher.locator(".impact-warning table")
    assert "loses 1" in table.locator("tr", has_text="Product Manager").inner_text()
    assert "gains 1" in table.locator("tr", has_text="Product Owner").inner_text()
    option = question.options.order_by("order").first()
    assert m.OptionPoints.objects.get(option=option, role=pm).points == 3
    # The whole page, Django's date-time boxes and the points grid included.
    assert_accessible(publisher)
    publisher.click(".impact-warning button[name=confirm_impact]")
    assert "changed successfully" in publisher.locator(".messagelist").inner_text()
    assert m.OptionPoints.objects.get(option=option, role=po).points == 3
    context.close()


def test_every_editing_page_has_named_inputs_and_passes_axe(site, accounts, browser):
    """Django's tabular inlines, split date-time boxes and select2 boxes get
    accessible names (roles/admin/common.py, static/js/admin-a11y.js)."""
    role = m.Role.objects.get(slug="product-owner")
    comparison = m.Comparison.objects.first()
    question = m.Question.objects.first()
    term = m.GlossaryTerm.objects.filter(related_roles__isnull=False).first()
    context, publisher = _login(browser, site, "pat")
    pages = [
        "/admin/",
        "/admin/roles/role/",
        "/admin/roles/role/add/",
        f"/admin/roles/role/{role.pk}/change/",
        "/admin/roles/comparison/add/",
        f"/admin/roles/comparison/{comparison.pk}/change/",
        "/admin/roles/question/",
        "/admin/roles/question/add/",
        f"/admin/roles/question/{question.pk}/change/",
        "/admin/roles/glossaryterm/add/",
        f"/admin/roles/glossaryterm/{term.pk}/change/",
        "/admin/roles/draft/",
    ]
    for path in pages:
        publisher.csp_errors.clear()
        publisher.goto(site.url + path)  # "load": the admin's scripts are deferred
        assert publisher.csp_errors == [], path  # before axe, whose probes are inline
        assert_accessible(publisher)
    # Each row of a tabular inline is named by its column and row.
    _change(publisher, site, role)
    first = publisher.locator("#id_responsibilities-0-text")
    assert first.get_attribute("aria-label") == "Responsibility 1: Text"
    assert publisher.get_by_label("Publish at: time").count() == 1
    # A row added with "Add another" gets a named autocomplete box too.
    publisher.goto(site.url + f"/admin/roles/comparison/{comparison.pk}/change/")
    publisher.csp_errors.clear()
    publisher.click("#comparison_roles-group .add-row a")
    new_row = publisher.locator("#comparison_roles-group .select2-selection__rendered")
    expect(new_row.last).to_have_attribute("aria-label", "Role: Choose a role")
    assert publisher.csp_errors == []
    assert_accessible(publisher)
    context.close()


def test_responsibilities_are_edited_under_their_themes(
    live_server, browser, monkeypatch
):
    """Headings per theme in the public order; choosing a theme or dragging a
    row under another heading moves it there; "move to first position" stays
    within the theme; Save stores the order shown, and the public page agrees."""
    from tests.factories import (
        ResponsibilityFactory,
        RoleFactory,
        ThemeFactory,
        make_complete_guide,
    )

    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "pat", "--publisher", stdout=StringIO())
    role = make_complete_guide(RoleFactory(slug="analyst", name="Analyst"))
    first = ThemeFactory(name="First theme", slug="first", order=1)
    second = ThemeFactory(name="Second theme", slug="second", order=2)
    texts = {"a": "Alpha duty.", "b": "Bravo duty.", "c": "Charlie duty."}
    ResponsibilityFactory(role=role, theme=second, text=texts["a"], order=0)
    ResponsibilityFactory(role=role, theme=first, text=texts["b"], order=5)
    ResponsibilityFactory(role=role, theme=first, text=texts["c"], order=6)
    context, page = _login(browser, live_server, "pat")
    _change(page, live_server, role)
    group = page.locator("#responsibilities-group")

    def shown() -> list[str]:
        """Headings and rows as the editor sees them, top to bottom."""
        out = []
        for row in group.locator("tbody > tr").all():
            classes = row.get_attribute("class") or ""
            if "theme-heading" in classes:
                out.append(row.locator("h3").inner_text().split(" · ")[0])
            elif "has_original" in classes:
                text = row.locator("textarea").input_value()
                out.append(next(k for k, v in texts.items() if v == text))
        return out

    # Forms are numbered in the public order: b, c (first theme), a (second).
    assert shown() == ["First theme", "b", "c", "Second theme", "a"]
    page.select_option("#id_responsibilities-2-theme", str(first.pk))
    assert shown() == ["First theme", "b", "c", "a"]
    page.locator("#responsibilities-2 i.move-begin").click()
    assert shown() == ["First theme", "a", "b", "c"]
    page.select_option("#id_responsibilities-0-theme", str(second.pk))
    assert shown() == ["First theme", "a", "c", "Second theme", "b"]
    # Dragged under the second theme's heading, Charlie takes that theme.
    page.locator("#responsibilities-1 td.original p").drag_to(
        page.locator("#responsibilities-0 td.original p")
    )
    assert shown()[:3] == ["First theme", "a", "Second theme"]
    assert page.input_value("#id_responsibilities-1-theme") == str(second.pk)
    order = shown()
    assert_accessible(page)
    page.click("input[name=_continue] >> nth=-1")
    assert "changed successfully" in page.locator(".messagelist").inner_text()
    saved = [
        (r.theme.slug, next(k for k, v in texts.items() if v == r.text))
        for r in role.responsibilities.select_related("theme").order_by(
            "theme__order", "order"
        )
    ]
    assert [key for _, key in saved] == [k for k in order if k in texts]
    assert {k: t for t, k in saved} == {
        "a": "first",
        "b": "second",
        "c": "second",
    }
    public = context.new_page()
    public.goto(live_server.url + "/roles/analyst/")
    html = public.content()
    positions = [html.index(texts[k]) for k in order if k in texts]
    assert positions == sorted(positions)
    context.close()
